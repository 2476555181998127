"""Zones at run time (sim/zones.py): capacity from jam density, counts, back-pressure, hazards."""

from __future__ import annotations

import math

import pytest
import simpy

from ttxsim.sim.movement import K_LEVEL
from ttxsim.sim.scenario.venue import OUTSIDE
from ttxsim.sim.zones import ZoneState


def test_capacity_is_jam_density_times_area(plan):
    # SFPE: walking stops at about 3.8 /m² (1 / 0.266 = 3.76): 10 m × 10 m admits 380.
    assert plan.zone("hall").capacity == 380
    assert plan.zone("small", width_m=2.5, depth_m=1.0).capacity == 9  # 9.5 people: 9 fit
    assert plan.zone("hall2", jam_density=2.0).capacity == 200
    # A zone's own limit wins over the venue's: 0.5 m²/person (2 /m², HSE standing areas).
    assert plan.zone("standing", max_density_p_m2=2.0).capacity == 200
    assert plan.zone("cupboard", width_m=0.2, depth_m=0.5).capacity == 1  # never below one


def test_rects_add_up(plan):
    zone = plan.zone("l_shape", x_m=None, y_m=None, width_m=None, depth_m=None,
                     rects=[{"x_m": 0, "y_m": 0, "width_m": 4, "depth_m": 2},
                            {"x_m": 0, "y_m": 2, "width_m": 2, "depth_m": 3}])
    assert zone.area_m2 == 14.0
    assert zone.capacity == 53  # 3.8 × 14 = 53.2


def test_outside_never_fills(plan):
    outside = plan.outside()
    assert outside.id == OUTSIDE and outside.is_safe
    assert outside.capacity == math.inf and outside.area_m2 == math.inf
    assert not outside.full
    car_park = plan.zone("car_park", kind="outside")
    assert car_park.is_safe and car_park.capacity == math.inf


def test_stair_constants(plan):
    stair = plan.zone("stair", kind="stair", riser_mm=178.0, tread_mm=279.0)
    # SFPE k for a 7 in riser / 11 in tread stair: 1.08; slope length √(1 + (178/279)²) per metre.
    assert stair.is_stair and stair.k == 1.08
    assert stair.path_factor == pytest.approx(1.186185, rel=1e-6)
    level = plan.zone("hall")
    assert level.k == K_LEVEL == 1.40 and level.path_factor == 1.0


def test_a_stair_between_the_tabulated_ones_takes_the_interpolated_k(plan):
    # 165 / 300 mm: slope 0.55, between 165/305 (0.54098, k 1.16) and 178/279 (0.63799, 1.08).
    stair = plan.zone("stair", kind="stair", riser_mm=165.0, tread_mm=300.0)
    assert stair.k == pytest.approx(1.16 - 0.08 * (0.55 - 165 / 305) / (178 / 279 - 165 / 305))  # 1.15256
    assert stair.flight_m == 0.0  # one storey, drawn on the plan: no flights added


def test_a_stair_core_counts_its_plan_once_per_flight(plan):
    core = plan.zone("core", kind="stair", floor=1, top_floor=4, width_m=6.0, depth_m=2.0, height_m=3.5)
    assert core.area_m2 == 36.0 and core.capacity == int(3.8 * 36.0)  # 12 m² × 3 flights
    assert core.flight_m == pytest.approx(3.5 * math.hypot(178.0, 279.0) / 178.0)  # 6.5074 m
    assert core.mid_floor == 2.5


def test_enter_and_leave_keep_count_members_peak_and_density(plan):
    zone = plan.zone("room", width_m=2.0, depth_m=2.0)  # 4 m², capacity 15
    for person in range(6):
        zone.enter(person)
    zone.leave(2)
    zone.leave(3)
    zone.enter(9)
    assert zone.count == 5 and zone.members == {0, 1, 4, 5, 9}
    assert zone.peak == 6
    assert zone.density == 1.25  # 5 people on 4 m²


def test_room_freed_succeeds_when_someone_leaves_a_full_zone(plan):
    zone = plan.zone("stair", width_m=1.0, depth_m=1.0, max_density_p_m2=2.0, people=2)
    assert zone.full
    woke = []
    zone.room_freed().callbacks.append(lambda event: woke.append(plan.env.now))
    plan.at(3.0, lambda: zone.leave(1000))
    plan.env.run()
    assert woke == [3.0]
    assert not zone.full


def test_leaving_a_zone_nobody_waits_on_schedules_nothing(plan):
    zone = plan.zone("room", people=3)
    zone.leave(1000)
    assert plan.env.peek() == math.inf


def test_hazard_changed_derives_blocked_and_hazardous(plan):
    zone = plan.zone("room")
    assert not (zone.blocked or zone.hazardous)
    zone.threat = True
    zone.hazard_changed()
    assert zone.blocked and zone.hazardous
    zone.threat = False
    zone.untenable = True  # untenable alone does not block: people caught in it may cross
    zone.hazard_changed()
    assert not zone.blocked and not zone.hazardous
    zone.smoke = object()  # a smoke profile: being here may harm
    zone.hazard_changed()
    assert zone.hazardous and not zone.blocked


def test_replanned_interrupts_a_live_release_process(plan):
    zone = plan.zone("room")
    zone.replanned()  # no release process yet: nothing happens
    causes = []

    def release():
        try:
            yield plan.env.timeout(100.0)
        except simpy.Interrupt as interrupt:
            causes.append((plan.env.now, interrupt.cause))

    zone.release = plan.env.process(release())
    plan.at(4.0, zone.replanned)
    plan.env.run()
    assert causes == [(4.0, "replan")]
    zone.replanned()  # finished: nothing to interrupt


def test_cue_is_a_pending_event(plan):
    zone = ZoneState(plan.env, 0, None, 3.8)
    assert isinstance(zone.cue, simpy.Event) and not zone.cue.triggered
