"""Tenability beyond CO: Purser's convective heat dose, thresholds that differ between people,
and walking speed in smoke (sim/fed.py, sim/tenability.py), worked by hand.

Sources: Purser (SFPE Handbook 2016, ch. 63) convective heat, t = 5 × 10^7 T^−3.4 min, and the
lognormal spread of incapacitating doses (FED 1 median, 0.3 for about 11.4 % per ISO 13571;
model-parameters.md §4); Frantzich & Nilsson (2003) walking speed in smoke as FDS+Evac uses
it, v = max(0.1 v0, v0 (1 − 0.057 K / 0.706)) (model-parameters.md §2).
"""

from __future__ import annotations

import math
import statistics

import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from ttxsim.sim.fed import CoProfile, fed_rate_per_s, heat_fed_rate_per_s
from ttxsim.sim.streams import Streams
from ttxsim.sim.tenability import smoke_speed_factor, susceptibility
from ttxsim.sim.zones import ZoneState


def test_heat_rate_is_purser_convective_formula():
    # 100 °C: 100^3.4 = 10^6.8 = 6,309,573; / 5e7 = 0.1261915 FED/min: FED 1 after 7.924 min.
    assert heat_fed_rate_per_s(100.0) * 60.0 == pytest.approx(0.1261915, rel=1e-6)
    assert 1.0 / (heat_fed_rate_per_s(100.0) * 60.0) == pytest.approx(7.924, abs=1e-3)
    # 60 °C: 60^3.4 = exp(3.4 × 4.0943446) = exp(13.920772) = 1,110,004; / 5e7 = 0.0222001 /min:
    # 45.00 min (the "about 45 min" of model-parameters.md §4).
    assert 1.0 / (heat_fed_rate_per_s(60.0) * 60.0) == pytest.approx(45.00, abs=0.01)
    assert heat_fed_rate_per_s(0.0) == 0.0


def test_heat_adds_its_dose_to_the_co_on_a_rise_hand_worked():
    # CO 9 u ppm and T = 20 + 80 u / 300 °C (100 °C at the untenable 300 s), then rising on.
    # The closed form against a midpoint sum of both rates over 60,000 steps to 600 s.
    p = CoProfile(arrival_s=0.0, untenable_s=300.0, co_at_untenable_ppm=2700.0, heat_at_untenable_c=100.0)
    assert p.temperature_c(300.0) == pytest.approx(100.0)
    n, end = 60_000, 600.0
    step = end / n
    total = sum(fed_rate_per_s(9.0 * (i + 0.5) * step)
                + heat_fed_rate_per_s(20.0 + 80.0 * (i + 0.5) * step / 300.0) for i in range(n)) * step
    assert p.dose(end) == pytest.approx(total, rel=1e-6)
    co_only = CoProfile(arrival_s=0.0, untenable_s=300.0, co_at_untenable_ppm=2700.0)
    assert p.dose(end) > co_only.dose(end)
    # The time of a dose is the inverse of the dose, and earlier than with CO alone.
    for target in (0.1, 0.3, 1.0, 3.0):
        t = p.time_of_dose(target)
        assert p.dose(t) == pytest.approx(target, rel=1e-7)
        assert t < co_only.time_of_dose(target)


def test_heat_after_a_freeze_is_a_constant_rate():
    p = CoProfile(arrival_s=0.0, untenable_s=300.0, heat_at_untenable_c=100.0).with_freeze(300.0)
    rate = fed_rate_per_s(2700.0) + heat_fed_rate_per_s(100.0)
    assert p.dose(900.0) - p.dose(600.0) == pytest.approx(rate * 300.0, rel=1e-9)


def test_thresholds_are_lognormal_with_11_percent_below_0_3():
    draws = susceptibility([("group-a", None, 20_000)], Streams(7), 1.0)
    assert statistics.median(draws) == pytest.approx(1.0, abs=0.03)
    below = sum(d < 0.3 for d in draws) / len(draws)
    assert below == pytest.approx(0.114, abs=0.01)  # ISO 13571's share for FED 0.3
    assert statistics.stdev(math.log(d) for d in draws) == pytest.approx(1.0, abs=0.02)
    assert susceptibility([("group-a", None, 5)], Streams(7), 0.0) == [1.0] * 5


def test_thresholds_are_keyed_by_group_not_by_order():
    one = susceptibility([("a", None, 3), ("b", None, 4)], Streams(3), 1.0)
    alone = susceptibility([("b", None, 4)], Streams(3), 1.0)
    assert one[3:] == alone  # b's draws do not depend on a being there
    assert one != susceptibility([("a", None, 3), ("b", None, 4)], Streams(4), 1.0)


def test_walking_speed_in_smoke_is_frantzich_and_nilsson():
    # 1 − 0.057 K / 0.706: K = 1.9 → 0.846601; K = 7.4 → 0.402550; K ≥ 11.15 → the 0.1 floor.
    assert smoke_speed_factor(0.0) == 1.0
    assert smoke_speed_factor(1.9) == pytest.approx(0.846601, rel=1e-6)
    assert smoke_speed_factor(7.4) == pytest.approx(0.402550, rel=1e-5)
    assert smoke_speed_factor(20.0) == 0.1


def test_a_zone_tells_walkers_how_much_its_smoke_slows_them():
    zone = ZoneState(simpy.Environment(), 0, None, 3.8)
    assert zone.smoke_speed_factor(100.0) == 1.0  # no smoke
    zone.smoke = CoProfile(arrival_s=0.0, untenable_s=300.0)
    zone.extinction_at_untenable_per_m = 0.8
    # At the untenable time K = 0.8 /m: 1 − 0.057 × 0.8 / 0.706 = 0.935411; half way, K = 0.4.
    assert zone.smoke_speed_factor(300.0) == pytest.approx(0.935411, rel=1e-6)
    assert zone.smoke_speed_factor(150.0) == pytest.approx(smoke_speed_factor(0.4))


@settings(max_examples=300, deadline=None)
@given(arrival=st.floats(0.0, 600.0),
       rise=st.one_of(st.just(0.0), st.floats(0.01, 900.0)),  # a step, or 1/100 s or more
       heat=st.one_of(st.none(), st.floats(25.0, 400.0)),
       cap=st.one_of(st.none(), st.floats(100.0, 20_000.0)),
       frozen=st.one_of(st.none(), st.floats(0.0, 2_000.0)),
       target=st.floats(1e-6, 20.0))
def test_time_of_dose_is_the_earliest_time_the_dose_is_reached(arrival, rise, heat, cap, frozen, target):
    # The inverse is exact where the dose is linear and Newton's on the rise: whatever the
    # profile (a step, a cap, a freeze, heat or none), the dose at the time is at least the
    # target, and a hair earlier it is short of it.
    p = CoProfile(arrival_s=arrival, untenable_s=arrival + rise, co_at_untenable_ppm=2700.0,
                  co_max_ppm=cap, frozen_at_s=frozen, heat_at_untenable_c=heat)
    t = p.time_of_dose(target)
    if math.isinf(t):
        assert frozen is not None and frozen <= arrival  # only a zone that stays clear never gets there
        return
    assert p.dose(t) == pytest.approx(target, rel=1e-9)
    earlier = t - 1e-6 * max(1.0, t)
    assert p.dose(earlier) < target or p.dose(earlier) == pytest.approx(target, rel=1e-6)
