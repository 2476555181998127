"""Route choice (sim/routing.py) on a three-zone corridor, against hand-worked expected times.

The plan, 10 m × 10 m zones in a row, openings at mid-height (y = 5):

    outside |west  A  ab|  B  |bc  C  east| outside
            x=0       x=10    x=20       x=30

Reference speed 1.25 m/s, so 5 m take 4 s and 10 m take 8 s (exact in binary). Each opening
passes 1 p/s (headway 1 s). From the middle of B (15, 5) both ways out are 5 m to the inner
opening and 10 m on to the exit: 4 s + 8 s = 12 s each, an exact tie.
"""

from __future__ import annotations

import math

import pytest

from ttxsim.sim.routing import REFRESH_S, SMOKE_PENALTY_S, UNTENABLE_PENALTY_S, QuickestRoute

SPEED = 1.25
MID_B = (15.0, 5.0)
MID_A = (5.0, 5.0)


class Corridor:
    """The three zones and four openings above, with its QuickestRoute."""

    def __init__(self, plan, inner_order=("ab", "bc"), ids=("ab", "bc")):
        self.plan = plan
        self.a = plan.zone("a", x_m=0.0)
        self.b = plan.zone("b", x_m=10.0)
        self.c = plan.zone("c", x_m=20.0)
        self.outside = plan.outside()
        self.west = plan.door(self.a, self.outside, id="west", position=(0.0, 5.0))
        inner = {
            "ab": lambda: plan.door(self.a, self.b, id=ids[0], position=(10.0, 5.0)),
            "bc": lambda: plan.door(self.b, self.c, id=ids[1], position=(20.0, 5.0)),
        }
        built = {name: inner[name]() for name in inner_order}
        self.ab, self.bc = built["ab"], built["bc"]
        self.east = plan.door(self.c, self.outside, id="east", position=(30.0, 5.0))
        self.route = QuickestRoute(plan.zones, plan.doors, SPEED)

    def choose(self, zone, position, *, speed=SPEED, now=0.0, **kw):
        return self.route.choose(zone, position, speed, now, **kw)

    def heading_to(self, door, zone, count, first=0):
        """`count` people set off towards `door` (arriving far in the future)."""
        for person in range(first, first + count):
            door.approach(person, zone, 1000.0)


@pytest.fixture
def corridor(plan):
    return Corridor(plan)


def test_the_nearest_exit_wins(corridor):
    # From (5, 5) in A: west is 5 m (4 s); via ab it is 5 m + B 10 m + C 10 m = 20 s.
    assert corridor.choose(corridor.a, MID_A) == (corridor.west, 5.0)
    # From (27, 5) in C: east is 3 m away.
    assert corridor.choose(corridor.c, (27.0, 5.0)) == (corridor.east, 3.0)


@pytest.mark.parametrize("inner_order", [("ab", "bc"), ("bc", "ab")])
@pytest.mark.parametrize(("ids", "winner"), [(("ab", "bc"), "ab"), (("z_ab", "a_bc"), "a_bc")])
def test_an_exact_tie_goes_to_the_smallest_id_whatever_the_order_listed(plan, inner_order, ids, winner):
    # 12 s either way from the middle of B. The zone's openings are in the order they are
    # listed, and the smallest id wins whichever is listed first (the ids z_ab and a_bc
    # sort the other way round from the plan): never the file's order, nor the direction.
    corridor = Corridor(plan, inner_order, ids)
    names = dict(zip(("ab", "bc"), ids, strict=True))
    assert [d.id for d in corridor.b.doors] == [names[n] for n in inner_order]
    door, dist = corridor.choose(corridor.b, MID_B)
    assert (door.id, dist) == (winner, 5.0)
    # The same tie from another spot equidistant from both: (15, 0), 5√2 m from each.
    door, dist = corridor.choose(corridor.b, (15.0, 0.0))
    assert door.id == winner and dist == pytest.approx(5.0 * math.sqrt(2.0))


def test_one_metre_breaks_the_tie(corridor):
    assert corridor.choose(corridor.b, (15.5, 5.0))[0] is corridor.bc
    assert corridor.choose(corridor.b, (14.5, 5.0))[0] is corridor.ab


def test_a_queue_at_the_next_opening_counts_what_is_left_of_it_on_arrival(corridor):
    # 10 people heading for ab (1 p/s): 10 s of queue; walking there takes 4 s, so 6 s are
    # left: via ab 4 + 6 + 8 = 18 s against 12 s via bc.
    corridor.heading_to(corridor.ab, corridor.a, 10)
    assert corridor.choose(corridor.b, MID_B)[0] is corridor.bc
    # A slow walker (0.5 m/s) reaches ab in 10 s, when the queue is gone: 4 + 0 + 8 = 12 s,
    # the tie again (costs are in reference-speed time), which ab wins by its smaller id.
    assert corridor.choose(corridor.b, MID_B, speed=0.5)[0] is corridor.ab


def test_a_queue_just_shorter_than_the_walk_costs_nothing(corridor):
    # 4 people at 1 p/s are gone by the time a reference walker covers the 5 m (4 s).
    corridor.heading_to(corridor.ab, corridor.a, 4)
    assert corridor.choose(corridor.b, MID_B)[0] is corridor.ab  # 12 s each: the tie, ab by id
    corridor.heading_to(corridor.ab, corridor.a, 1, first=4)
    assert corridor.choose(corridor.b, MID_B)[0] is corridor.bc  # 13 s against 12 s


def test_a_queue_at_the_exit_beyond_counts_once_the_table_is_refreshed(corridor):
    # 10 heading for west: onwards from ab becomes 8 + 10 = 18 s, via ab 4 + 18 = 22 s.
    corridor.choose(corridor.b, MID_B, now=0.0)  # the table as of t = 0
    corridor.heading_to(corridor.west, corridor.a, 10)
    # Within REFRESH_S the table is stale: the tie still goes to ab.
    assert corridor.choose(corridor.b, MID_B, now=REFRESH_S - 0.5)[0] is corridor.ab
    assert corridor.choose(corridor.b, MID_B, now=REFRESH_S)[0] is corridor.bc


def test_invalidate_refreshes_at_once(corridor):
    corridor.choose(corridor.b, MID_B, now=0.0)
    corridor.heading_to(corridor.west, corridor.a, 10)
    corridor.route.invalidate()
    assert corridor.choose(corridor.b, MID_B, now=0.5)[0] is corridor.bc


def test_an_exit_found_shut_reroutes_everybody_after_invalidate(corridor):
    assert corridor.choose(corridor.a, MID_A)[0] is corridor.west
    corridor.west.shut("locked")
    corridor.route.invalidate()  # the simulation's contract: every shut or open is followed by this
    # From A the only way left is through B and C: 5 m + 10 m + 10 m.
    assert corridor.choose(corridor.a, MID_A) == (corridor.ab, 5.0)
    assert corridor.route.stay_cost(corridor.b, corridor.bc, 0, 0.0) == 8.0
    assert corridor.route.stay_cost(corridor.b, corridor.ab, 0, 0.0) == math.inf
    corridor.west.open()
    corridor.route.invalidate()
    assert corridor.choose(corridor.a, MID_A)[0] is corridor.west


def test_no_way_to_safety(corridor):
    for door in (corridor.west, corridor.east):
        door.shut("closed")
    corridor.route.invalidate()
    assert corridor.choose(corridor.b, MID_B) == (None, 0.0)


def test_nobody_heads_into_the_threat_nor_out_past_it(corridor):
    corridor.a.threat = True
    corridor.a.hazard_changed()
    corridor.route.invalidate()
    # From B: ab leads into the threat, so bc whatever the distance.
    assert corridor.choose(corridor.b, (10.5, 5.0))[0] is corridor.bc
    # In A itself: not out past the threat through west; through B and C instead.
    assert corridor.choose(corridor.a, MID_A)[0] is corridor.ab


def test_smoke_costs_a_penalty_and_untenable_smoke_bars_the_way(corridor):
    corridor.c.smoky = True
    corridor.route.invalidate()
    # Through C: 8 s + SMOKE_PENALTY_S = 68 s onwards; via ab 12 s: ab even from (19, 5).
    assert SMOKE_PENALTY_S == 60.0
    assert corridor.choose(corridor.b, (19.0, 5.0))[0] is corridor.ab
    assert corridor.route.stay_cost(corridor.b, corridor.bc, 0, 0.0) == 8.0 + SMOKE_PENALTY_S
    corridor.c.untenable = True
    corridor.route.invalidate()
    assert corridor.choose(corridor.b, (19.9, 5.0))[0] is corridor.ab
    corridor.a.untenable = True  # both ways untenable: B's people are not caught in it, so stay
    corridor.route.invalidate()
    assert corridor.choose(corridor.b, MID_B) == (None, 0.0)


def test_someone_caught_in_untenable_smoke_may_cross_more_of_it(corridor):
    for zone in (corridor.a, corridor.b, corridor.c):
        zone.smoky = zone.untenable = True
    corridor.route.invalidate()
    # From B (untenable itself) both ways are open to them at 8 s + UNTENABLE_PENALTY_S onwards.
    assert UNTENABLE_PENALTY_S == 600.0
    assert corridor.route.stay_cost(corridor.b, corridor.ab, 0, 0.0) == 8.0 + UNTENABLE_PENALTY_S
    assert corridor.choose(corridor.b, MID_B)[0] is corridor.ab


def test_no_turning_back_through_the_opening_just_used(corridor):
    # Just through ab at (10, 5): bc is 10 m on (8 + 8 = 16 s) while ab back is 0 + 8 = 8 s,
    # but nobody turns back while a way on exists.
    at_ab = corridor.ab.position
    assert corridor.choose(corridor.b, at_ab, came_by=corridor.ab) == (corridor.bc, 10.0)
    # The way on blocked (the threat in C): turning back is the only way, so they do.
    corridor.c.threat = True
    corridor.c.hazard_changed()
    corridor.route.invalidate()
    assert corridor.choose(corridor.b, at_ab, came_by=corridor.ab) == (corridor.ab, 0.0)


def test_no_turning_back_even_when_back_is_quickest(corridor):
    # A third way out of B: a door to outside at (19.5, 10). From ab's position (10, 5) it is
    # √(9.5² + 5²) = 10.7355 m (8.588 s) against 8 s back through ab; still not back.
    plan = corridor.plan
    north = plan.door(corridor.b, corridor.outside, id="north", position=(19.5, 10.0))
    route = QuickestRoute(plan.zones, plan.doors, SPEED)
    at_ab = corridor.ab.position
    door, dist = route.choose(corridor.b, at_ab, SPEED, 0.0, came_by=corridor.ab)
    assert door is north and dist == pytest.approx(10.7355, rel=1e-5)
    # Someone who did not come that way takes the quicker one.
    assert route.choose(corridor.b, (10.0, 5.0), SPEED, 0.0)[0] is corridor.ab


def test_a_familiar_person_heads_for_their_entrance_whatever_the_queue(corridor):
    corridor.heading_to(corridor.west, corridor.a, 50)  # 50 s of queue at west
    # The crowd: via ab 4 + 8 + 50 = 62 s against 12 s via bc.
    assert corridor.choose(corridor.b, MID_B)[0] is corridor.bc
    # Someone who came in by west goes back that way (walking time alone).
    assert corridor.choose(corridor.b, MID_B, target=corridor.west)[0] is corridor.ab
    assert corridor.choose(corridor.a, MID_A, target=corridor.west) == (corridor.west, 5.0)
    # Towards east, through C: from A that is ab, the long way round.
    assert corridor.choose(corridor.a, MID_A, target=corridor.east)[0] is corridor.ab


def test_stay_cost_and_the_alternative_for_someone_queued(corridor):
    # Third in ab's queue (place 3, headway 1 s): 3 s, then 8 s from ab on through A.
    assert corridor.route.stay_cost(corridor.b, corridor.ab, 3, 0.0) == 3.0 + 8.0
    # From ab's position the other way out is bc: 10 m (8 s), then 8 s through C.
    assert corridor.route.alternative(corridor.b, corridor.ab, SPEED, 0.0) == (corridor.bc, 16.0)
    # Stepping out to safety costs nothing onwards.
    assert corridor.route.stay_cost(corridor.a, corridor.west, 2, 0.0) == 2.0


def test_walking_distance_on_a_stair_is_along_the_slope(plan):
    stair = plan.zone("stair", kind="stair", riser_mm=178.0, tread_mm=279.0)
    outside = plan.outside()
    door = plan.door(stair, outside, position=(10.0, 5.0))
    route = QuickestRoute(plan.zones, plan.doors, SPEED)
    # 4 m of plan × √(1 + (178/279)²) = 4 × 1.186185 = 4.74474 m.
    chosen, dist = route.choose(stair, (6.0, 5.0), SPEED, 0.0)
    assert chosen is door
    assert dist == pytest.approx(4.0 * math.hypot(1.0, 178.0 / 279.0))
    assert dist == pytest.approx(4.74474, rel=1e-5)
