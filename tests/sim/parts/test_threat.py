"""The threat's movement (sim/threat.py) on a small plan: route, dwell, containment, wander, leaving.

docs/model.md, threat and fire: the threat enters its first zone at t = 0, stays each stop's dwell time, goes
on along its route (stops need not adjoin), then may wander to neighbouring zones through
open openings, and finally leaves or stays, until containment stops it. The model only says
where it is (`moved(previous, zone)`); what that does to a zone is the reactions' business.

The plan: A–B open, A–C locked, B–C open, A to the outside and A to a safe car park (kind
"outside") open. So from A the only zone it can wander to is B; from B, A or C; from C, B.
"""

from __future__ import annotations

import numpy as np
import pytest

from ttxsim.sim.milestones import Milestones
from ttxsim.sim.scenario.incident import Threat
from ttxsim.sim.threat import ThreatModel

from .conftest import Calls, Log

WANDER_NEIGHBOURS = {"A": ["B"], "B": ["A", "C"], "C": ["B"]}
"""Where it may wander from each zone: through open openings, to zones that are not safe, by id."""


class Venue:
    """The plan above and a ThreatModel on it, its moves recorded as (time, from id, to id)."""

    def __init__(self, plan, *, seed=0, **threat):
        self.env = plan.env
        self.a, self.b, self.c = plan.zone("A"), plan.zone("B", x_m=10.0), plan.zone("C", x_m=20.0)
        car_park = plan.zone("car_park", kind="outside", y_m=10.0)
        plan.door(self.a, self.b)
        plan.door(self.a, self.c, state="locked")
        plan.door(self.b, self.c)
        plan.door(self.a, plan.outside())
        plan.door(self.a, car_park)
        self.log = Log(self.env)
        self.milestones = Milestones()
        self.calls = Calls(self.env)
        spec = Threat.model_validate({"harm_rate_per_s": 0.01, **threat})
        self.model = ThreatModel(self.env, spec, np.random.default_rng(seed),
                                 zone_by_id={z.id: z for z in plan.zones}, log=self.log,
                                 milestones=self.milestones, moved=self.calls)
        self.process = self.env.process(self.model.move_threat())

    @property
    def moves(self):
        return [(t, a.id if a else None, b.id if b else None) for t, a, b in self.calls.calls]

    def contain_at(self, t):
        def later():
            yield self.env.timeout(t - self.env.now)
            self.model.contain()

        self.env.process(later())


ROUTE = [{"zone": "A", "dwell_s": 60}, {"zone": "C", "dwell_s": 30}]


def test_the_route_with_its_dwell_times_then_it_leaves(plan):
    venue = Venue(plan, route=ROUTE, leaves=True)
    plan.env.run()
    # In A from 0 to 60 s, then C (not adjoining A by an open door: a script may skip) to 90 s.
    assert venue.moves == [(0.0, None, "A"), (60.0, "A", "C"), (90.0, "C", None)]
    assert [(e.t, e.kind) for e in venue.log.events] == [(90.0, "threat_left")]
    assert venue.milestones["threat_left"] == 90.0 and venue.model.zone is None


def test_without_leaving_it_stays_in_its_last_zone(plan):
    venue = Venue(plan, route=ROUTE)
    plan.env.run()
    assert venue.moves == [(0.0, None, "A"), (60.0, "A", "C")]
    assert venue.model.zone is venue.c and not venue.process.is_alive
    assert venue.log.events == [] and venue.milestones["threat_left"] is None


def test_the_dwell_times_are_drawn_at_the_start_in_route_order(plan):
    dwell = {"dist": "uniform", "low": 10.0, "high": 20.0}
    venue = Venue(plan, seed=4, route=[{"zone": "A", "dwell_s": dwell}, {"zone": "B", "dwell_s": dwell}],
                  leaves=True)
    first, second = np.random.default_rng(4).uniform(10.0, 20.0, 2)
    assert venue.model.dwell == [first, second]
    plan.env.run()
    assert venue.moves == [(0.0, None, "A"), (first, "A", "B"), (first + second, "B", None)]


def test_containment_stops_it_where_it_is_and_frees_its_zone(plan):
    venue = Venue(plan, route=ROUTE, leaves=True)
    venue.contain_at(30.0)
    venue.contain_at(40.0)  # a second containment changes nothing
    plan.env.run()
    assert venue.moves == [(0.0, None, "A"), (30.0, "A", None)]
    assert venue.model.zone is None and not venue.process.is_alive
    assert venue.milestones["threat_left"] is None and venue.log.events == []


def test_containment_after_it_left_moves_nothing(plan):
    venue = Venue(plan, route=ROUTE, leaves=True)
    venue.contain_at(100.0)
    plan.env.run()
    assert venue.moves[-1] == (90.0, "C", None) and len(venue.moves) == 3


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_it_wanders_through_open_openings_to_zones_that_are_not_safe(plan, seed):
    venue = Venue(plan, seed=seed, route=[{"zone": "A", "dwell_s": 10}],
                  wander={"moves": 6, "dwell_s": 5}, leaves=True)
    plan.env.run()
    # The route's and the wander's dwell times are constants (no draws), so the generator only
    # picks among the sorted neighbours: replay its picks on the hand-made neighbour table.
    rng, here, path = np.random.default_rng(seed), "A", []
    for _ in range(6):
        options = WANDER_NEIGHBOURS[here]
        here = options[int(rng.integers(len(options)))]
        path.append(here)
    assert [to for _, _, to in venue.moves[1:-1]] == path
    assert path[0] == "B"  # from A: C is locked, the outside and the car park are safe
    # A move every 5 s after the 10 s stop, then gone at 10 + 6 × 5 = 40 s.
    assert [t for t, _, _ in venue.moves] == [0.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0]
    assert venue.milestones["threat_left"] == 40.0


def test_the_wander_ends_where_no_open_opening_leads_on(plan):
    venue = Venue(plan, route=[{"zone": "A", "dwell_s": 10}], wander={"moves": 3, "dwell_s": 5}, leaves=True)
    plan.doors[0].shut("locked")  # A–B locked too: from A only safe zones are left
    plan.env.run()
    assert venue.moves == [(0.0, None, "A"), (10.0, "A", None)]
    assert venue.milestones["threat_left"] == 10.0


def test_containment_stops_the_wander(plan):
    venue = Venue(plan, route=[{"zone": "A", "dwell_s": 10}], wander={"moves": 5, "dwell_s": 5}, leaves=True)
    venue.contain_at(17.0)
    plan.env.run()
    # In B from 10 s (the only way on from A), then A or C at 15 s; contained there at 17 s.
    assert [(t, a) for t, a, _ in venue.moves[:2]] == [(0.0, None), (10.0, "A")]
    assert venue.moves[1][2] == "B" and venue.moves[-1][0] == 17.0 and venue.moves[-1][2] is None
    assert len(venue.moves) == 4 and venue.milestones["threat_left"] is None
