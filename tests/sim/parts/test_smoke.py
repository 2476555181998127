"""The fire and its smoke as processes (sim/smoke.py) on a small plan, against hand-worked times.

docs/model.md, threat and fire: at ignition the spread is worked out once (`smoke_spread.smoke_schedule`)
through the openings open then; each reached zone gets its smoke at the arrival time and
turns untenable at the untenable time, unless the fire is suppressed first, which freezes
every zone's conditions. The plan is a chain A (fire, 200 m², 4 m) → B → C (100 m², 3 m
each), joined by 1 m doors, with exits to outside that carry no smoke between zones.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from ttxsim.sim.fed import CoProfile
from ttxsim.sim.fire import doorway_flow_m3_s, fire_zone_filling_s
from ttxsim.sim.milestones import Milestones
from ttxsim.sim.scenario.distributions import Uniform
from ttxsim.sim.scenario.incident import Fire, Smoke
from ttxsim.sim.smoke import SmokeModel
from ttxsim.sim.smoke_spread import ZoneSmoke, smoke_schedule

from .conftest import Calls, FakeExposure, Log

A_UNTENABLE_AFTER_S = 59.9279
"""A (200 m², 4 m, fast fire, layer down to 2 m) by NFPA 92, worked in tests/sim/parts/test_fire.py:
t_g = 149.982 s, τ = 102.379 s, t = τ (0.23 / 0.5)^(1/1.45) = 59.928 s after ignition."""
DOOR_FILL_S = 77.7817
"""B or C (100 m × (3 − 2) m = 100 m³ of smoke) through a 1 m door: Kawagoe 0.5 × 2 m² × √2 / 1.1
= 1.285649 m³/s, less than the plume (3.38 m³/s when A spills, 6.57 when B does): 100 / 1.285649 s."""
IGNITION_S = 30.0


class Venue:
    """The A → B → C chain on a plan, and a SmokeModel for a fire in A, with recorders."""

    def __init__(self, plan, *, fire=None, smoke=None, ab_state="open", ab_doors=1, seed=0, further=None):
        self.plan = plan
        env = self.env = plan.env
        self.a = plan.zone("A", width_m=20.0, height_m=4.0, people=3, first=0)
        self.b = plan.zone("B", x_m=20.0, people=2, first=10)
        self.c = plan.zone("C", x_m=30.0)
        outside = plan.outside()
        for _ in range(ab_doors):
            plan.door(self.a, self.b, state=ab_state)
        plan.door(self.b, self.c)
        plan.door(self.a, outside, width_m=5.0)  # exits pass no smoke between zones
        plan.door(self.c, outside)
        self.log = Log(env)
        self.milestones = Milestones()
        self.exposure = FakeExposure(env)
        self.started, self.prevented = env.event(), env.event()
        self.changed: list[tuple[float, str, bool, bool]] = []
        self.eased = Calls(env)
        fire = fire or Fire(zone="A", start_s=IGNITION_S, growth="fast", max_hrr_kw=5000.0)
        self.model = SmokeModel(
            env, fire, smoke or Smoke(), np.random.default_rng(seed), zones=plan.zones, doors=plan.doors,
            log=self.log, milestones=self.milestones, exposure=self.exposure, started=self.started,
            prevented=self.prevented, hazard_changed=self._changed, eased=self.eased, further=further)
        env.process(self.model.burn())

    def _changed(self, zone):
        self.changed.append((self.env.now, zone.id, zone.smoky, zone.untenable))

    def expected_schedule(self, vents):
        """smoke_schedule called directly with the plan's zones, links and vents."""
        return smoke_schedule(
            fire_zone="A", ignition_s=IGNITION_S, alpha=0.0469, max_hrr_kw=5000.0,
            zones={"A": (200.0, 4.0), "B": (100.0, 3.0), "C": (100.0, 3.0)},
            links={"A": ["B"], "B": ["C"]}, tenability_height_m=2.0, vents=vents)

    def mark_at(self, name, t):
        """A milestone another part marks at t (the police contain the threat, say)."""

        def later():
            yield self.env.timeout(t - self.env.now)
            self.milestones.mark(name, self.env.now)

        self.env.process(later())

    def suppress_at(self, t):
        """The fire service stops the fire at t, as `Simulation.suppress_fire` does it."""

        def later():
            yield self.env.timeout(t - self.env.now)
            self.milestones.mark("suppressed", self.env.now)
            self.model.suppress()

        self.env.process(later())


def test_ignition_at_the_drawn_start_time(plan):
    start = Uniform(dist="uniform", low=20.0, high=40.0)
    untenable = Uniform(dist="uniform", low=50.0, high=70.0)
    fire = Fire(zone="A", start_s=start, untenable_after_s=untenable, max_hrr_kw=5000.0)
    venue = Venue(plan, fire=fire, seed=5)
    # Both are drawn from the fire's stream at construction, start first.
    rng = np.random.default_rng(5)
    t0, fill = rng.uniform(20.0, 40.0), rng.uniform(50.0, 70.0)
    assert (venue.model.start_s, venue.model.untenable_after_s) == (t0, fill)
    plan.env.run(until=t0 - 1e-6)
    assert not venue.started.triggered and venue.milestones["fire_start"] is None
    plan.env.run(until=t0 + 1e-6)
    assert venue.started.triggered and not venue.prevented.triggered
    assert venue.milestones["fire_start"] == t0
    assert [(e.t, e.zone) for e in venue.log.of("fire_started")] == [(t0, "A")]
    assert venue.model.schedule["A"] == ZoneSmoke(t0, t0 + fill)


@pytest.mark.parametrize("stopped", ["contained", "threat_left"])
def test_a_fire_the_threat_would_set_is_prevented_if_it_was_stopped_first(plan, stopped):
    venue = Venue(plan, fire=Fire(zone="A", start_s=IGNITION_S, set_by_threat=True))
    venue.mark_at(stopped, 10.0)
    plan.env.run(until=1000.0)
    assert venue.prevented.triggered and not venue.started.triggered
    assert [(e.t, e.kind, e.zone) for e in venue.log.events] == [(IGNITION_S, "fire_prevented", "A")]
    assert venue.milestones["fire_start"] is None
    assert venue.model.schedule == {} and venue.changed == []
    assert all(z.smoke is None for z in plan.zones)


@pytest.mark.parametrize(("set_by_threat", "stopped_at"), [(True, 40.0), (False, 10.0)])
def test_the_fire_starts_if_the_threat_is_stopped_too_late_or_did_not_set_it(plan, set_by_threat, stopped_at):
    venue = Venue(plan, fire=Fire(zone="A", start_s=IGNITION_S, set_by_threat=set_by_threat))
    venue.mark_at("contained", stopped_at)
    plan.env.run(until=100.0)
    assert venue.started.triggered and not venue.prevented.triggered
    assert venue.milestones["fire_start"] == IGNITION_S


def test_zones_fill_at_the_schedule_times(plan):
    venue = Venue(plan)
    plan.env.run()
    expected = venue.expected_schedule({frozenset("AB"): 1.0, frozenset("BC"): 1.0})
    assert venue.model.schedule == expected
    # By hand: A untenable 59.928 s after ignition at 30 s; B gets smoke then and fills through
    # its 1 m door in 77.782 s; C gets smoke when B is untenable and fills as fast (doorway-limited).
    hand = {"A": (30.0, 89.9279), "B": (89.9279, 167.7096), "C": (167.7096, 245.4913)}
    for zone_id, (arrival, untenable) in hand.items():
        assert (expected[zone_id].arrival_s, expected[zone_id].untenable_s) == pytest.approx(
            (arrival, untenable), abs=2e-4)
    arrived = {e.zone: e.t for e in venue.log.of("smoke_arrived")}
    untenable_at = {e.zone: e.t for e in venue.log.of("zone_untenable")}
    assert arrived == {z: s.arrival_s for z, s in expected.items()}
    assert untenable_at == {z: s.untenable_s for z, s in expected.items()}
    for zone in (venue.a, venue.b, venue.c):
        times = expected[zone.id]
        assert zone.smoke == CoProfile(times.arrival_s, times.untenable_s, 2700.0, None,
                                           heat_at_untenable_c=50.0)
        assert zone.smoky and zone.untenable and zone.untenable_at == times.untenable_s
        assert zone.hazardous and not zone.blocked  # smoke bars entry through `untenable`, not `blocked`


def test_hazard_changed_is_called_in_time_order_with_each_zone(plan):
    venue = Venue(plan)
    plan.env.run()
    times = [t for t, *_ in venue.changed]
    assert times == sorted(times)
    # (zone, smoky, untenable) at each moment: arrival, then untenable; a zone spills into the
    # next the moment it turns untenable, so those two come at the same time.
    by_time: dict[float, set] = {}
    for t, *what in venue.changed:
        by_time.setdefault(round(t, 4), set()).add(tuple(what))
    assert by_time == {
        30.0: {("A", True, False)},
        89.9279: {("A", True, True), ("B", True, False)},
        167.7097: {("B", True, True), ("C", True, False)},
        245.4914: {("C", True, True)},
    }


def test_the_exposure_is_told_just_before_and_just_after_smoke_arrives(plan):
    venue = Venue(plan)
    plan.env.run()
    # (zone, before_change, smoke present?, untenable?): the profile is set between the two calls;
    # turning untenable does not change the profile, so the exposure is not told then.
    assert [c[1:] for c in venue.exposure.changes] == [
        ("A", True, False, False), ("A", False, True, False),
        ("B", True, False, False), ("B", False, True, False),
        ("C", True, False, False), ("C", False, True, False),
    ]


def test_the_smoke_settings_reach_the_profiles(plan):
    venue = Venue(plan, smoke=Smoke(co_at_untenable_ppm=2000.0, co_max_ppm=3000.0, tenability_height_m=2.0))
    plan.env.run(until=100.0)
    assert venue.a.smoke == CoProfile(30.0, venue.model.schedule["A"].untenable_s, 2000.0, 3000.0,
                                           heat_at_untenable_c=50.0)


LEAK_M3_S = 0.5 * 0.02 * math.sqrt(2.0) / 1.1
"""A shut 1 m door's leakage: 0.01 m² per m² of door × (1 m × 2 m) = 0.02 m², passing
Kawagoe's flow per m² of a 2 m doorway, 0.5 × 0.02 × √2 / 1.1 = 0.0128565 m³/s."""


def test_a_shut_opening_leaks_so_a_closed_room_fills_later_not_never(plan):
    venue = Venue(plan, ab_state="closed")
    plan.env.run()
    # A untenable at 30 + 59.928 s; B's 100 m³ then come through the leak: 100 / 0.0128565
    # = 7,778.17 s more, then C through its open door (the plume is far above the leak).
    b = venue.model.schedule["B"]
    assert b.arrival_s == pytest.approx(IGNITION_S + A_UNTENABLE_AFTER_S, abs=1e-4)
    assert b.untenable_s - b.arrival_s == pytest.approx(100.0 / LEAK_M3_S, rel=1e-6)
    assert b.untenable_s - b.arrival_s == pytest.approx(7778.17, abs=0.01)
    assert venue.b.untenable and venue.b.untenable_at == pytest.approx(b.untenable_s)


def test_an_opening_opened_after_ignition_lets_the_smoke_through_from_then(plan):
    venue = Venue(plan, ab_state="closed")
    plan.env.run(until=60.0)
    plan.doors[0].open()  # before A spills (89.93 s): as if it had been open all along
    plan.env.run()
    assert venue.model.schedule["B"] == pytest.approx(venue.expected_schedule(
        {frozenset("AB"): 1.0, frozenset("BC"): 1.0})["B"])
    assert venue.b.untenable_at == pytest.approx(IGNITION_S + A_UNTENABLE_AFTER_S + DOOR_FILL_S, abs=1e-4)


def test_an_opening_shut_while_smoke_pours_through_slows_the_fill_to_its_leak(plan):
    venue = Venue(plan)
    spill = IGNITION_S + A_UNTENABLE_AFTER_S  # 89.928 s: B starts filling at 1.285649 m³/s

    def shut():
        yield plan.env.timeout(120.0)
        plan.doors[0].shut("closed")

    plan.env.process(shut())
    plan.env.run(until=120.0)
    before = venue.b.smoke.concentration_ppm(120.0)
    plan.env.run()
    # By 120 s B holds 1.285649 × 30.072 = 38.662 m³; the other 61.338 m³ leak in at 0.0128565.
    filled = doorway_flow_m3_s(1.0) * (120.0 - spill)
    assert venue.b.untenable_at == pytest.approx(120.0 + (100.0 - filled) / LEAK_M3_S, rel=1e-6)
    # The CO goes on from where it was, towards 2,700 ppm at the new untenable time.
    assert venue.b.smoke.concentration_ppm(120.0) == pytest.approx(before)
    assert venue.b.smoke.concentration_ppm(venue.b.untenable_at) == pytest.approx(2700.0)


def test_two_doors_between_zones_add_their_widths(plan):
    venue = Venue(plan, ab_doors=2)
    plan.env.run()
    # 2 m of open width pass 2 × 1.285649 m³/s (still less than the 3.38 m³/s plume): B fills in
    # 100 / 2.571298 = 38.891 s instead of 77.782 s.
    b = venue.model.schedule["B"]
    assert b.untenable_s - b.arrival_s == pytest.approx(100.0 / doorway_flow_m3_s(2.0))
    assert b.untenable_s - b.arrival_s == pytest.approx(DOOR_FILL_S / 2, abs=1e-4)


def test_suppression_freezes_the_smoke_and_stops_it_spreading(plan):
    venue = Venue(plan)
    venue.suppress_at(100.0)  # A untenable at 89.93 s, B smoky since then, B untenable due at 167.71 s
    plan.env.run()
    assert venue.eased.calls == [(100.0,)]
    assert venue.a.smoke.frozen_at_s == 100.0 and venue.b.smoke.frozen_at_s == 100.0
    assert venue.c.smoke is None and not venue.c.smoky  # its arrival at 167.71 s never came
    assert not venue.a.untenable and not venue.b.untenable  # untenable cleared, never reached
    assert venue.a.smoky and venue.a.hazardous  # still smoke: people still take their dose
    # A's CO stops where it was: 2,700 ppm / 59.928 s × (100 − 30) s = 3,153.8 ppm, and stays.
    assert venue.a.smoke.concentration_ppm(100.0) == pytest.approx(3153.79, rel=1e-5)
    assert venue.a.smoke.concentration_ppm(1000.0) == venue.a.smoke.concentration_ppm(100.0)
    # Told of A's smoke (30 s), A untenable and B's smoke (89.93 s); nothing after suppression.
    assert sorted(c[1:] for c in venue.changed) == [("A", True, False), ("A", True, True), ("B", True, False)]
    assert venue.log.times("zone_untenable") == [pytest.approx(89.9279, abs=1e-4)]
    # The exposure is told before and after each smoky zone's profile is frozen, with the
    # untenable flag cleared in between.
    at_100 = [c[1:] for c in venue.exposure.changes if c[0] == 100.0]
    assert at_100 == [("A", True, True, True), ("A", False, True, False),
                      ("B", True, True, False), ("B", False, True, False)]


def test_a_further_fire_starts_later_and_adds_its_smoke(plan):
    # A second fire in C at 200 s: C (100 m², 3 m) is then untenable by its own NFPA 92 time,
    # fire_zone_filling_s(0.0469, 100, 3, 2) after its ignition, at the latest.
    later = Fire(zone="C", start_s=200.0, growth="fast", max_hrr_kw=5000.0)
    venue = Venue(plan, further=[later])
    plan.env.run()
    assert [e.zone for e in venue.log.events if e.kind == "fire_started"] == ["A", "C"]
    assert venue.c.untenable_at <= 200.0 + fire_zone_filling_s(0.0469, 100.0, 3.0, 2.0) + 1e-6
    one_fire = venue.expected_schedule({frozenset("AB"): 1.0, frozenset("BC"): 1.0})
    assert venue.c.untenable_at < one_fire["C"].untenable_s


def test_further_fires_draw_the_same_whatever_their_order_in_the_list():
    # Each further fire has a stream keyed by its zone (smoke.keyed_fires), so reordering the
    # list changes no fire's drawn start.
    import numpy as np

    from ttxsim.sim.scenario.incident import Fire
    from ttxsim.sim.smoke import keyed_fires

    fires = [Fire(zone=z, start_s={"dist": "uniform", "low": 60, "high": 600}, growth="fast")
             for z in ("a", "b", "c")]

    def starts(order):
        drawn = keyed_fires([fires[i] for i in order], np.random.default_rng(7))
        return {f.zone: f.start_s.delay(r) for f, r in drawn}

    assert starts([0, 1, 2]) == starts([2, 0, 1]) == starts([1, 2, 0])
    assert starts([0, 1]) == {k: v for k, v in starts([0, 1, 2]).items() if k != "c"}
