"""Orders and alarms (sim/orders.py) and the evacuation strategies (sim/strategies.py).

docs/model.md, pre-movement and 3.5: the alarm (once) sets the scenario's strategy going: everybody out,
zones stage by stage, or lockable zones shelter while the rest leave; an announcement cues
everybody and scales the pre-movement still to come; staff open closed exits some time
after the alarm; the all-clear releases the people sheltering.

The plan: A (lockable; people 0–2), B (people 3, 4) and C (empty). Openings: a-b (A–B, open),
b-out (B–outside, open), a-out (A–outside, closed: staff open it), c-b (C–B, open),
c-out (C–outside, locked). The last two tests run a real Simulation: releasing people who
were trapped when they sheltered involves their walks, which only the simulation drives.
"""

from __future__ import annotations

import simpy

from ttxsim.sim.census import Census
from ttxsim.sim.milestones import Milestones
from ttxsim.sim.orders import Orders
from ttxsim.sim.rerouting import Rerouting
from ttxsim.sim.routing import QuickestRoute
from ttxsim.sim.scenario.response import Response
from ttxsim.sim.simulation import Simulation

from .conftest import Calls, FakeExposure, Log


class PlannedAnnouncement:
    """The response as Orders sees it: records when its planned announcement was started."""

    def __init__(self, env):
        self.env = env
        self.started: list[float] = []

    def announce_after_alarm(self):
        self.started.append(self.env.now)
        yield self.env.timeout(0.0)


class Venue:
    """The plan above, a Census with the five people counted in, and Orders over them."""

    def __init__(self, plan, *, staff_delays=None, **response):
        env = self.env = plan.env
        self.a = plan.zone("A", lockable=True)
        self.b = plan.zone("B", x_m=10.0)
        self.c = plan.zone("C", x_m=20.0)
        outside = plan.outside()
        self.doors = {
            "a-b": plan.door(self.a, self.b, id="a-b"),
            "b-out": plan.door(self.b, outside, id="b-out"),
            "a-out": plan.door(self.a, outside, id="a-out", state="closed"),
            "c-b": plan.door(self.c, self.b, id="c-b"),
            "c-out": plan.door(self.c, outside, id="c-out", state="locked"),
        }
        self.log = Log(env)
        self.accounted = Calls(env)
        self.census = Census(env, plan.zones, log=self.log, accounted=self.accounted)
        self.census.count_in([0, 0, 0, 1, 1])
        self.exposure = FakeExposure(env)
        self.rerouting = Rerouting(env, QuickestRoute(plan.zones, plan.doors, 1.2), self.log)
        self.milestones = Milestones()
        self.response = PlannedAnnouncement(env)
        self.set_off = Calls(env)
        self.cued: dict[str, float] = {}
        for zone in (self.a, self.b, self.c):
            zone.cue.callbacks.append(lambda _, zone=zone: self.cued.setdefault(zone.id, env.now))
        self.orders = Orders(env, Response.model_validate(response), plan.zones, plan.doors,
                             census=self.census, exposure=self.exposure, rerouting=self.rerouting,
                             milestones=self.milestones, log=self.log, response=self.response,
                             staff_delays=staff_delays or {}, set_off=self.set_off, accounted=self.accounted)

    def at(self, t, action, *args):
        def later():
            yield self.env.timeout(t - self.env.now)
            action(*args)

        self.env.process(later())

    def logged(self, kind):
        return [(e.t, e.zone or e.opening, e.detail) for e in self.log.of(kind)]


# --- the alarm and the strategies -------------------------------------------------------------


def test_the_alarm_sounds_once(plan):
    venue = Venue(plan)
    for t in (10.0, 10.0, 20.0):
        venue.at(t, venue.orders.raise_alarm, "venue alarm")
    plan.env.run()
    assert venue.logged("alarm") == [(10.0, None, "venue alarm")]
    assert venue.milestones["alarm"] == 10.0
    assert len(venue.log.of("evacuation_ordered")) == 1  # the strategy ran once
    assert venue.response.started == [10.0]              # and the planned announcement was set going once


def test_simultaneous_orders_everybody_out_at_the_alarm(plan):
    venue = Venue(plan)
    venue.at(10.0, venue.orders.raise_alarm, "venue alarm")
    plan.env.run()
    assert venue.logged("evacuation_ordered") == [(10.0, None, "whole venue")]
    assert venue.milestones["evac_order"] == 10.0
    assert venue.cued == {"A": 10.0, "B": 10.0, "C": 10.0}
    # Only zones that had people at the start log their cue.
    assert venue.logged("zone_cued") == [(10.0, "A", "venue alarm"), (10.0, "B", "venue alarm")]


def test_staged_orders_stages_at_the_interval_and_unlisted_zones_last(plan):
    venue = Venue(plan, strategy="staged", stages=[["B"], ["A"]], stage_interval_s=60.0)
    venue.at(10.0, venue.orders.raise_alarm, "venue alarm")
    plan.env.run()
    # B at the alarm (10 s), A one interval later (70 s), C (in no stage) another later (130 s).
    assert venue.logged("evacuation_ordered") == [
        (10.0, None, "B"), (70.0, None, "A"), (130.0, None, "C")]
    assert venue.cued == {"B": 10.0, "A": 70.0, "C": 130.0}
    assert venue.logged("zone_cued") == [(10.0, "B", "stage 1 evacuation order"),
                                         (70.0, "A", "stage 2 evacuation order")]
    assert venue.milestones["evac_order"] == 10.0


def test_shelter_locks_lockable_zones_and_evacuates_the_rest(plan):
    venue = Venue(plan, strategy="shelter")
    venue.at(10.0, venue.orders.raise_alarm, "venue alarm")
    plan.env.run()
    census = venue.census
    assert venue.logged("shelter_ordered") == [(10.0, None, "A")]
    assert venue.log.times("evacuation_ordered") == [10.0]
    # A's open opening is locked (its closed one stays closed); its three people shelter.
    assert venue.doors["a-b"].state == "locked" and venue.doors["a-out"].state == "closed"
    assert census.sheltered == 3 and census.inside == 2 and venue.a.sheltered == {0, 1, 2}
    assert venue.cued == {"B": 10.0, "C": 10.0}  # A is told to stay, not to go
    assert [c[1:3] for c in venue.exposure.changes] == [("A", True), ("A", False)]
    assert venue.accounted.times == [10.0]


def test_the_shelter_strategy_orders_out_only_zones_inside(plan):
    venue = Venue(plan, strategy="shelter")
    venue.orders.raise_alarm("venue alarm")
    assert venue.logged("evacuation_ordered") == [(0.0, None, "B, C")]


# --- announcements and pre-movement ---------------------------------------------------------


def test_planned_start_with_announcements_hand_worked(plan):
    venue = Venue(plan, premovement_factor={"clear": 0.5, "poor": 1.5})
    orders = venue.orders
    venue.at(40.0, orders.announce, "clear")
    plan.env.run(until=50.0)
    # Cued at 0 with 100 s pre-movement: 60 s were still to come at 40 s, halved: 40 + 30 = 70 s.
    assert orders.planned_start(venue.b, 0.0, 100.0) == 70.0
    assert orders.planned_start(venue.b, 0.0, 30.0) == 30.0    # started before the announcement
    assert orders.planned_start(venue.b, 50.0, 100.0) == 150.0  # cued after it: unaffected
    assert orders.planned_start(venue.b, 40.0, 100.0) == 90.0   # cued with it: 40 + 100 × 0.5
    venue.at(60.0, orders.announce, "clear")
    plan.env.run(until=61.0)
    # A second one at 60 s: 10 s were still to come after the first, halved again: 65 s.
    assert orders.planned_start(venue.b, 0.0, 100.0) == 65.0
    venue.b.rush = True
    assert orders.planned_start(venue.b, 0.0, 100.0) == 61.0  # rushing: at once


def test_a_poor_announcement_can_lengthen_what_is_left(plan):
    venue = Venue(plan, premovement_factor={"clear": 0.5, "poor": 1.5})
    venue.at(40.0, venue.orders.announce, "poor")
    plan.env.run(until=41.0)
    assert venue.orders.planned_start(venue.b, 0.0, 100.0) == 130.0  # 40 + 60 × 1.5
    assert venue.logged("announcement") == [(40.0, None, "poor (pre-movement × 1.5)")]


def test_an_announcement_cues_everybody_and_replans_their_starts(plan):
    venue = Venue(plan)
    interrupted = []

    def release():
        try:
            yield plan.env.timeout(1000.0)
        except simpy.Interrupt as why:
            interrupted.append((plan.env.now, why.cause))

    venue.b.release = plan.env.process(release())
    venue.at(40.0, venue.orders.announce, "clear")
    venue.at(80.0, venue.orders.announce, "clear")
    plan.env.run()
    assert venue.cued == {"A": 40.0, "B": 40.0, "C": 40.0}
    assert venue.milestones["announcement"] == 40.0  # the first one
    assert venue.log.times("announcement") == [40.0, 80.0]
    assert interrupted == [(40.0, "replan")]


# --- staff, all-clear, release --------------------------------------------------------------


def test_staff_open_closed_exits_after_their_delay(plan):
    venue = Venue(plan, staff_delays={"a-out": 45.0, "c-out": 45.0})
    trapped = venue.rerouting.routes_changed()
    venue.at(10.0, venue.orders.raise_alarm, "venue alarm")
    plan.env.run()
    # Alarm at 10 s + 45 s: a-out opens at 55 s; c-out is locked, not closed: staff leave it.
    assert venue.logged("opening_opened") == [(55.0, "a-out", "opened by staff")]
    assert venue.doors["a-out"].state == "open" and venue.doors["c-out"].state == "locked"
    assert trapped.triggered  # people waiting for a way out look again


def test_staff_do_not_reopen_what_an_order_opened_first(plan):
    venue = Venue(plan, staff_delays={"a-out": 45.0})
    venue.at(10.0, venue.orders.raise_alarm, "venue alarm")
    venue.at(30.0, venue.orders.open_door, venue.doors["a-out"], "opened by order")
    plan.env.run()
    assert venue.logged("opening_opened") == [(30.0, "a-out", "opened by order")]


def test_the_all_clear_releases_the_people_sheltering(plan):
    venue = Venue(plan, strategy="shelter")
    venue.at(10.0, venue.orders.raise_alarm, "venue alarm")
    venue.at(100.0, venue.orders.all_clear)
    venue.at(120.0, venue.orders.all_clear)
    plan.env.run()
    census = venue.census
    assert venue.logged("all_clear") == [(100.0, None, "")] and venue.milestones["all_clear"] == 100.0
    assert venue.logged("opening_opened") == [(100.0, "a-b", "unlocked (all-clear)")]
    assert venue.set_off.calls == [(100.0, p, venue.a) for p in (0, 1, 2)]
    assert census.sheltered == 0 and census.inside == 5 and venue.a.members == {0, 1, 2}
    assert [c[1:3] for c in venue.exposure.changes if c[0] == 100.0] == [("A", True), ("A", False)]


def test_an_evacuation_order_releases_a_sheltering_zone(plan):
    venue = Venue(plan)
    venue.at(10.0, venue.orders.order_shelter, [venue.a])
    venue.at(50.0, venue.orders.order_evacuation, [venue.a], "evacuation order")
    plan.env.run()
    assert venue.logged("opening_opened") == [(50.0, "a-b", "unlocked (evacuation order)")]
    assert [c[:2] for c in venue.set_off.calls] == [(50.0, 0), (50.0, 1), (50.0, 2)]
    assert venue.cued == {"A": 50.0} and venue.census.sheltered == 0


def test_an_unlockable_zone_never_shelters(plan):
    venue = Venue(plan)
    venue.orders.order_shelter([venue.b])
    assert venue.logged("shelter_ordered") == [(0.0, None, "no lockable zone")]
    assert venue.census.sheltered == 0 and venue.doors["b-out"].state == "open"


def test_open_and_lock_log_only_a_change(plan):
    venue = Venue(plan)
    door = venue.doors["b-out"]
    venue.orders.open_door(door, "opened by order")   # already open
    venue.orders.lock_door(door, "locked by order")
    venue.orders.lock_door(door, "locked by order")
    assert venue.log.kinds() == ["opening_locked"] and door.state == "locked"


TRAPPED_THEN_SHELTERED = {
    "venue": {"zones": [{"id": "room", "lockable": True},
                        {"id": "foyer", "kind": "foyer", "x_m": 10, "y_m": 0, "width_m": 10, "depth_m": 10}],
              "openings": [{"id": "door", "between": ["room", "foyer"]},
                           {"id": "exit", "between": ["foyer", "outside"], "width_m": 1.0, "at_m": [20, 5]}]},
    "population": {"occupants": [{"zone": "room", "count": 5}], "premovement_s": 1},
    "incident": {"threat": {"route": [{"zone": "foyer", "dwell_s": 300}], "leaves": True,
                            "harm_rate_per_s": 0.0}},
}
"""Five people in a lockable room whose only way out is a foyer the threat holds until 300 s."""


def test_people_trapped_then_sheltered_walk_out_once_when_released(make_scenario):
    # Alarm at 0 s; from 1 s the five are trapped (the threat blocks the foyer); sheltered at
    # 60 s, ordered out at 120 s: still trapped until the threat leaves at 300 s, then out.
    scenario = make_scenario(**TRAPPED_THEN_SHELTERED)
    sim = Simulation(scenario, seed=1, decisions=[(60, {"action": "order_shelter", "zones": ["room"]}),
                                                  (120, {"action": "order_evacuation", "zones": ["room"]})])
    sim.run()
    census = sim.census
    assert all(z.count >= 0 for z in sim.zones)
    assert census.safe == 5 and census.inside == 0 and len(census.safe_times) == 5


def test_people_trapped_walk_out_once_when_the_threat_leaves(make_scenario):
    # The same run without the shelter and the release: all five out once, after 300 s.
    sim = Simulation(make_scenario(**TRAPPED_THEN_SHELTERED), seed=1)
    sim.run()
    census = sim.census
    assert census.safe == 5 and census.inside == 0 and all(z.count >= 0 for z in sim.zones)
    assert min(census.safe_times) > 300.0
