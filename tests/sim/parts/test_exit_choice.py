"""Exit choice (sim/exit_choice.py): the nearest exit, against hand-worked walking distances.

The plan is test_routing's corridor, 10 m × 10 m zones in a row, openings at mid-height:

    outside |west  A  ab|  B  |bc  C  east| outside
            x=0       x=10    x=20       x=30

Reference speed 1.25 m/s (costs are walking times at it: 10 m take 8 s, exact in binary).
Nearest counts the walk from where a person stands to an opening of their zone, then opening
to opening on to the outside; queues never count; the threat, untenable smoke and the smoke
penalty (60 s, i.e. 75 m at 1.25 m/s) apply as with the quickest route.
"""

from __future__ import annotations

import math
from typing import get_args

import pytest

from ttxsim.sim.exit_choice import ROUTE_CHOICES, NearestExit, make_route_choice
from ttxsim.sim.rerouting import STAY_PUT, Rerouting
from ttxsim.sim.routing import SMOKE_PENALTY_S, QuickestRoute
from ttxsim.sim.scenario.population import Population

SPEED = 1.25
MID_A = (5.0, 5.0)
MID_B = (15.0, 5.0)


class Corridor:
    """The three zones and four openings above, with a NearestExit and a QuickestRoute."""

    def __init__(self, plan, inner_order=("ab", "bc"), west_state="open"):
        self.plan = plan
        self.a = plan.zone("a", x_m=0.0)
        self.b = plan.zone("b", x_m=10.0)
        self.c = plan.zone("c", x_m=20.0)
        self.outside = plan.outside()
        self.west = plan.door(self.a, self.outside, id="west", position=(0.0, 5.0), state=west_state)
        inner = {
            "ab": lambda: plan.door(self.a, self.b, id="ab", position=(10.0, 5.0)),
            "bc": lambda: plan.door(self.b, self.c, id="bc", position=(20.0, 5.0)),
        }
        built = {name: inner[name]() for name in inner_order}
        self.ab, self.bc = built["ab"], built["bc"]
        self.east = plan.door(self.c, self.outside, id="east", position=(30.0, 5.0))
        self.nearest = NearestExit(plan.zones, plan.doors, SPEED)
        self.quickest = QuickestRoute(plan.zones, plan.doors, SPEED)

    def choose(self, zone, position, *, now=0.0, **kw):
        return self.nearest.choose(zone, position, SPEED, now, **kw)

    def invalidate(self):
        """The simulation's contract: every shut, open or hazard change is followed by this."""
        self.nearest.invalidate()
        self.quickest.invalidate()

    def heading_to(self, door, zone, count, first=0):
        """`count` people set off towards `door` (arriving far in the future)."""
        for person in range(first, first + count):
            door.approach(person, zone, 1000.0)


@pytest.fixture
def corridor(plan):
    return Corridor(plan)


def test_the_table_names_every_choice_the_scenario_offers():
    assert set(ROUTE_CHOICES) == set(get_args(Population.model_fields["exit_choice"].annotation))
    assert Population.model_fields["exit_choice"].default == "quickest"
    assert ROUTE_CHOICES["quickest"] is QuickestRoute and ROUTE_CHOICES["nearest"] is NearestExit


def test_make_route_choice_builds_the_named_strategy(corridor):
    route = make_route_choice("nearest", corridor.plan.zones, corridor.plan.doors, SPEED)
    assert isinstance(route, NearestExit) and route.speed == SPEED


def test_the_shortest_walk_to_safety_wins(corridor):
    # From (5, 5) in A: west 5 m; via ab 5 + 10 + 10 = 25 m.
    assert corridor.choose(corridor.a, MID_A) == (corridor.west, 5.0)
    # From (16, 5) in B: bc 4 m + 10 m through C = 14 m; ab 6 m + 10 m through A = 16 m.
    assert corridor.choose(corridor.b, (16.0, 5.0)) == (corridor.bc, 4.0)
    assert corridor.choose(corridor.b, (14.0, 5.0)) == (corridor.ab, 4.0)


def test_the_nearest_opening_is_not_always_the_nearest_exit(corridor):
    # From (9, 5) in A: ab is 1 m away, but the way on through B and C makes it 1 + 10 + 10
    # = 21 m; west is 9 m.
    assert corridor.choose(corridor.a, (9.0, 5.0)) == (corridor.west, 9.0)


@pytest.mark.parametrize("inner_order", [("ab", "bc"), ("bc", "ab")])
def test_an_exact_tie_goes_to_the_smallest_id_whatever_the_order_listed(plan, inner_order):
    # From the middle of B: 5 m + 10 m either way.
    corridor = Corridor(plan, inner_order)
    door, dist = corridor.choose(corridor.b, MID_B)
    assert (door.id, dist) == ("ab", 5.0)


def test_queues_do_not_count(corridor):
    # 50 people on their way to west (50 s of queue) and 20 to ab. From (14, 5) in B the
    # quickest route goes the other way: via ab 3.2 s + 16.8 s left of ab's queue + 8 s + 50 s
    # = 78 s against 4.8 s + 8 s via bc. The nearest exit is still through A, 14 m against
    # 16 m, and stays so however long the queues are.
    corridor.heading_to(corridor.west, corridor.a, 50)
    corridor.heading_to(corridor.ab, corridor.b, 20, first=50)
    assert corridor.quickest.choose(corridor.b, (14.0, 5.0), SPEED, 0.0)[0] is corridor.bc
    assert corridor.choose(corridor.b, (14.0, 5.0)) == (corridor.ab, 4.0)
    assert corridor.choose(corridor.b, (14.0, 5.0), now=100.0) == (corridor.ab, 4.0)


def test_nobody_switches_queues(plan, log):
    # A room with 60 people queued at a slow door and an empty door 10 m away: under the
    # quickest route the back of the queue moves (test_rerouting); nearest offers no
    # alternative, so everybody stays.
    room = plan.zone("room")
    outside = plan.outside()
    slow = plan.door(room, outside, capacity_p_s=0.1, position=(0.0, 0.0))
    plan.door(room, outside, capacity_p_s=1.0, position=(10.0, 0.0))
    route = NearestExit(plan.zones, plan.doors, 1.0)
    for person in range(60):
        room.enter(person)
        slow.approach(person, room, 0.0)
    assert route.alternative(room, slow, 1.0, 0.0) == (None, math.inf)
    assert len(slow.queue) > STAY_PUT
    Rerouting(plan.env, route, log).reconsider_queues([room])
    assert [t.person for t in slow.queue] == list(range(60))
    # Staying costs the place in the queue (10 s headway) plus nothing onwards (outside).
    assert route.stay_cost(room, slow, 3, 0.0) == 30.0


def test_a_shut_exit_found_on_arrival(plan, log):
    # West is locked but signed: people head for it until the first one finds it shut.
    corridor = Corridor(plan, west_state="locked")
    rerouting = Rerouting(plan.env, corridor.nearest, log)
    assert corridor.choose(corridor.a, MID_A) == (corridor.west, 5.0)
    walker = plan.walk(0, corridor.a, corridor.west, 5.0 / SPEED)
    plan.env.run(walker)
    assert plan.outcome[0] == (4.0, False)
    rerouting.found_shut(corridor.west)
    assert log.kinds() == ["opening_found_shut"]
    # From west's own position: ab 10 m, then B and C, 10 m each.
    assert corridor.choose(corridor.a, corridor.west.position, now=4.0) == (corridor.ab, 10.0)
    # Everybody else in A now heads east too: from (5, 5), 5 m to ab.
    assert corridor.choose(corridor.a, MID_A, now=4.0) == (corridor.ab, 5.0)
    # Until the invalidate that must follow every change, the table stands (no timed refresh).
    corridor.west.open()
    assert corridor.choose(corridor.a, MID_A, now=100.0)[0] is corridor.ab
    corridor.nearest.invalidate()
    assert corridor.choose(corridor.a, MID_A, now=100.0) == (corridor.west, 5.0)


def test_no_way_to_safety(corridor):
    for door in (corridor.west, corridor.east):
        door.shut("closed")
    corridor.invalidate()
    assert corridor.choose(corridor.b, MID_B) == (None, 0.0)


def test_nobody_heads_into_the_threat_nor_out_past_it(corridor):
    corridor.a.threat = True
    corridor.a.hazard_changed()
    corridor.invalidate()
    # From (10.5, 5) in B: ab is 0.5 m away but leads into the threat; bc, 9.5 m.
    assert corridor.choose(corridor.b, (10.5, 5.0)) == (corridor.bc, 9.5)
    # In A itself: not out past the threat through west; through B and C instead.
    assert corridor.choose(corridor.a, MID_A) == (corridor.ab, 5.0)


def test_smoke_counts_as_its_walking_equivalent_and_untenable_smoke_bars_the_way(corridor):
    # The 60 s smoke penalty at 1.25 m/s is 75 m. C smoky: from (19, 5) in B, bc is
    # 1 + 10 + 75 = 86 m against 9 + 10 = 19 m through A.
    assert SMOKE_PENALTY_S * SPEED == 75.0
    corridor.c.smoky = True
    corridor.invalidate()
    assert corridor.choose(corridor.b, (19.0, 5.0)) == (corridor.ab, 9.0)
    # With west shut the smoky way is the only one, and they take it.
    corridor.west.shut("locked")
    corridor.invalidate()
    assert corridor.choose(corridor.b, (11.0, 5.0)) == (corridor.bc, 9.0)
    # Untenable: not into it, unless caught in untenable smoke already.
    corridor.c.untenable = True
    corridor.invalidate()
    assert corridor.choose(corridor.b, (19.0, 5.0)) == (None, 0.0)
    corridor.b.smoky = corridor.b.untenable = True
    corridor.invalidate()
    assert corridor.choose(corridor.b, (19.0, 5.0)) == (corridor.bc, 1.0)


def test_no_turning_back_through_the_opening_just_used(corridor):
    # Just through ab at (10, 5): back through ab is 10 m, on through C 20 m; they go on.
    at_ab = corridor.ab.position
    assert corridor.choose(corridor.b, at_ab, came_by=corridor.ab) == (corridor.bc, 10.0)
    corridor.c.threat = True
    corridor.c.hazard_changed()
    corridor.invalidate()
    assert corridor.choose(corridor.b, at_ab, came_by=corridor.ab) == (corridor.ab, 0.0)


def test_a_familiar_person_still_heads_for_their_entrance(corridor):
    # Familiarity is a walk to the entrance under either choice: from A, east is via ab.
    assert corridor.choose(corridor.a, MID_A, target=corridor.east) == (corridor.ab, 5.0)
