"""The emergency response (sim/response.py) against a recording host, with constant delays.

docs/model.md, response chain: detection from t = 0, the alarm after the venue's decision delay, the planned
announcement after the alarm; police dispatched after detection, patrol and tactical team
travelling, containment by the configured unit and the all-clear after it; the fire service
dispatched once a fire is reported, arriving and suppressing. Every delay below is a
constant (a number in the spec), so every time is a sum worked by hand.
"""

from __future__ import annotations

from typing import Any

import pytest
import simpy

from ttxsim.sim.milestones import Milestones
from ttxsim.sim.response import ResponseModel
from ttxsim.sim.scenario.response import Response
from ttxsim.sim.streams import Streams

from .conftest import FakeHost

POLICE: dict[str, Any] = {"dispatch_after_detection_s": 30, "patrol_travel_s": 100, "tactical_travel_s": 300,
                          "contained_by": "tactical", "contain_after_arrival_s": 60}
FIRE_SERVICE: dict[str, Any] = {"dispatch_after_detection_s": 20, "travel_s": 200,
                                "suppress_after_arrival_s": 100}
SPEC: dict[str, Any] = {
    "detection_s": 10, "alarm_decision_s": 20, "announcement": {"after_alarm_s": 15, "quality": "poor"},
    "all_clear_after_containment_s": 45, "police": POLICE, "fire_service": FIRE_SERVICE,
}
"""Detection at 10 s, alarm at 10 + 20 = 30 s, announcement at 30 + 15 = 45 s; police sent at
10 + 30 = 40 s, patrol on site at 140 s, tactical team at 340 s, containment at 400 s,
all-clear at 445 s; the fire service sent 20 s after the fire is known, 200 s on the road,
100 s to suppress."""


class Run:
    """A ResponseModel on a fresh Environment with a FakeHost, started."""

    def __init__(self, *, fire: bool = True, seed: int = 0, **fields: Any):
        self.env = env = simpy.Environment()
        self.host = FakeHost(env)
        self.milestones = Milestones()
        self.spec = Response.model_validate({**SPEC, **fields})
        self.model = ResponseModel(env, self.spec, Streams(seed), host=self.host, milestones=self.milestones)
        self.host.response = self.model
        self.model.start(fire=fire)

    def at(self, t: float, action) -> None:
        def later():
            yield self.env.timeout(t)
            action()

        self.env.process(later())

    def fire_at(self, t: float) -> None:
        self.at(t, self.host.fire_started.succeed)

    def logged(self, kind: str) -> list[tuple[float, str]]:
        return [(e.t, e.detail) for e in self.host.log.of(kind)]


def test_the_whole_timeline_by_hand():
    run = Run()
    run.fire_at(50.0)
    run.env.run()
    host = run.host
    assert run.logged("detection") == [(10.0, "first report")]
    assert host.when("alarm") == [30.0]
    assert [c for c in host.calls if c[1] == "announce"] == [(45.0, "announce", "poor")]
    assert run.logged("police_dispatched") == [(40.0, "")]
    assert run.logged("police_arrived") == [(140.0, "patrol"), (340.0, "tactical")]
    assert host.when("contain") == [400.0]  # the tactical team's arrival + 60 s
    assert host.when("all_clear") == [445.0]
    # Fire at 50 s (after detection at 10 s): sent at 50 + 20 = 70 s, on site 270 s, suppressed 370 s.
    assert run.logged("fire_service_dispatched") == [(70.0, "")]
    assert run.logged("fire_service_arrived") == [(270.0, "")]
    assert host.when("suppress") == [370.0]
    assert {k: v for k, v in run.milestones.as_dict().items() if v is not None} == {
        "detection": 10.0, "police_arrival": 140.0, "fire_service": 270.0}
    # Settled: detection, police and fire service at the start, then each police unit's arrival.
    assert len(host.settled) == 5 and not any(p.is_alive for p in host.settled)


def test_the_patrol_contains_when_configured_to():
    run = Run(police={**POLICE, "contained_by": "patrol"})
    run.env.run()
    # Patrol on site at 140 s, contains at 200 s, all-clear at 245 s; the tactical team still comes.
    assert run.host.when("contain") == [200.0] and run.host.when("all_clear") == [245.0]
    assert run.logged("police_arrived") == [(140.0, "patrol"), (340.0, "tactical")]


def test_the_patrol_contains_when_there_is_no_tactical_team():
    run = Run(police={**POLICE, "tactical_travel_s": None})
    run.env.run()
    assert run.logged("police_arrived") == [(140.0, "patrol")]
    assert run.host.when("contain") == [200.0] and run.host.when("all_clear") == [245.0]


def test_no_alarm_without_a_decision_delay_and_no_announcement_without_one():
    run = Run(alarm_decision_s=None)
    run.env.run()
    assert run.host.when("alarm") == [] and run.host.when("announce") == []
    run = Run(announcement=None)
    run.env.run()
    assert run.host.when("alarm") == [30.0] and run.host.when("announce") == []


def test_without_police_nobody_contains():
    run = Run(police=None)
    run.env.run()
    assert run.model.police_delays is None
    assert run.host.log.of("police_dispatched") == [] and run.host.when("contain") == []
    assert len(run.host.settled) == 2  # detection and the fire service


def test_a_fire_before_detection_is_reported_at_detection():
    run = Run()
    run.fire_at(5.0)
    run.env.run()
    # Known at detection (10 s): sent at 30 s, on site at 230 s, suppressed at 330 s.
    assert run.logged("fire_service_dispatched") == [(30.0, "")]
    assert run.host.when("suppress") == [330.0]


@pytest.mark.parametrize(("fire_s", "suppress_s"), [(250.0, 350.0), (150.0, 300.0)])
def test_a_unit_on_standby_waits_for_the_fire(fire_s, suppress_s):
    run = Run()
    run.model.order_dispatch("fire_service")  # on standby from t = 0
    run.fire_at(fire_s)
    run.env.run()
    # Sent at 0 s, on site at 200 s; it suppresses 100 s after the later of its arrival and the fire.
    assert run.logged("fire_service_dispatched") == [(0.0, "")]
    assert run.logged("fire_service_arrived") == [(200.0, "")]
    assert run.host.when("suppress") == [suppress_s]


def test_a_unit_on_standby_goes_home_if_the_fire_is_prevented():
    run = Run()
    run.model.order_dispatch("fire_service")
    run.at(250.0, run.host.fire_prevented.succeed)
    run.env.run()
    assert run.logged("fire_service_arrived") == [(200.0, "")]
    assert run.host.when("suppress") == []


def test_a_prevented_fire_brings_no_fire_service():
    run = Run()
    run.at(50.0, run.host.fire_prevented.succeed)
    run.env.run()
    assert run.host.log.of("fire_service_dispatched") == [] and run.host.when("suppress") == []


def test_no_fire_service_process_without_a_fire():
    run = Run(fire=False)
    run.fire_at(50.0)  # even if something succeeded the event, nobody is listening
    run.env.run()
    assert len(run.host.settled) == 4  # detection, police, patrol and tactical arrivals
    assert run.host.log.of("fire_service_dispatched") == [] and run.host.when("suppress") == []


@pytest.mark.parametrize(("ordered_s", "dispatched_s"), [
    (5.0, 5.0),    # before detection: sent at once
    (20.0, 20.0),  # before the planned 40 s: sent earlier
    (60.0, 40.0),  # after it: no change, and no second dispatch
])
def test_ordering_the_police_only_ever_moves_the_dispatch_earlier(ordered_s, dispatched_s):
    run = Run()
    run.at(ordered_s, lambda: run.model.order_dispatch("police"))
    run.at(ordered_s, lambda: run.model.order_dispatch("police"))  # twice: harmless
    run.env.run()
    assert run.logged("police_dispatched") == [(dispatched_s, "")]
    # Patrol on site 100 s later, containment 300 + 60 s later, all-clear 45 s after that.
    assert run.logged("police_arrived")[0] == (dispatched_s + 100.0, "patrol")
    assert run.host.when("contain") == [dispatched_s + 360.0]
    assert run.host.when("all_clear") == [dispatched_s + 405.0]


@pytest.mark.parametrize(("ordered_s", "dispatched_s"), [(60.0, 60.0), (80.0, 70.0)])
def test_ordering_the_fire_service_only_ever_moves_the_dispatch_earlier(ordered_s, dispatched_s):
    run = Run()
    run.fire_at(50.0)  # planned dispatch at 70 s
    run.at(ordered_s, lambda: run.model.order_dispatch("fire_service"))
    run.env.run()
    assert run.logged("fire_service_dispatched") == [(dispatched_s, "")]
    assert run.host.when("suppress") == [dispatched_s + 300.0]


def test_each_delay_is_drawn_from_its_own_stream():
    uniform = {"dist": "uniform", "low": 0.0, "high": 100.0}
    fields = {"detection_s": uniform, "alarm_decision_s": uniform,
              "police": {**POLICE, "patrol_travel_s": uniform, "tactical_travel_s": uniform}}
    run = Run(seed=3, **fields)
    streams = Streams(3)
    assert run.model.detection_s == streams.item("response", "detection").uniform(0.0, 100.0)
    assert run.model.alarm_decision_s == streams.item("response", "alarm").uniform(0.0, 100.0)
    patrol, tactical = streams.item("response", "police").uniform(0.0, 100.0, 2)
    assert run.model.police_delays == (30.0, patrol, tactical, 60.0)  # in the order the spec lists them
    # Common random numbers: without an announcement, or with another detection law, the
    # police draw the same.
    other = Run(seed=3, **{**fields, "announcement": None, "detection_s": 7})
    assert other.model.police_delays == run.model.police_delays
