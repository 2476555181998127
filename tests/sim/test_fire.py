"""Fire, smoke and CO dose (sim/fire.py).

Sources: t² growth classes (SFPE Handbook; vfdb 2020; model-parameters.md §4); NFPA 92
(2012, §5.5) smoke filling and axisymmetric plume, coefficients as commonly quoted;
Purser & McAllister (SFPE Handbook 2016, ch. 63) CO dose for light work,
FED/min = 2.764e-5 [CO]^1.036 (model-parameters.md §4 "CO" row).
"""

import itertools
import math
from types import SimpleNamespace

import pytest

from ttxsim.sim.fed import CoProfile, fed_rate_per_s
from ttxsim.sim.fire import (
    GROWTH_ALPHA_KW_S2,
    MIN_FILL_DEPTH_M,
    fire_zone_filling_s,
    growth_alpha,
    hrr_kw,
    plume_volume_flow_m3_s,
)
from ttxsim.sim.smoke_spread import ZoneSmoke, smoke_schedule

# --- growth -------------------------------------------------------------------------------


def test_hrr_is_alpha_t_squared_capped_and_zero_before_ignition():
    assert hrr_kw(0.0469, 100.0, 50_000.0) == pytest.approx(469.0)  # 0.0469 · 100²
    assert hrr_kw(0.01172, 200.0, 50_000.0) == pytest.approx(468.8)  # 0.01172 · 200²
    assert hrr_kw(0.0469, 1000.0, 5000.0) == 5000.0  # 46,900 kW capped
    assert hrr_kw(0.0469, 0.0, 5000.0) == 0.0
    assert hrr_kw(0.0469, -10.0, 5000.0) == 0.0


@pytest.mark.parametrize(
    ("growth", "t_s"), [("slow", 600), ("medium", 300), ("fast", 150), ("ultrafast", 75)]
)
def test_growth_classes_reach_1055_kw_at_their_growth_time(growth, t_s):
    # SFPE / vfdb 2020: the classes are defined by the time to 1,055 kW (1,000 BTU/s).
    assert hrr_kw(GROWTH_ALPHA_KW_S2[growth], t_s, math.inf) == pytest.approx(1055.0, rel=0.01)


def test_growth_alpha_prefers_explicit_alpha():
    assert growth_alpha(SimpleNamespace(growth="medium", alpha_kw_s2=None)) == 0.01172
    assert growth_alpha(SimpleNamespace(growth="fast", alpha_kw_s2=0.5)) == 0.5
    with pytest.raises(ValueError):
        growth_alpha(SimpleNamespace(growth=None, alpha_kw_s2=None))


# --- NFPA 92 smoke filling ------------------------------------------------------------------


def test_filling_hand_computed():
    # z/H = 0.23 · [t / (t_g^0.4 · H^0.8 · (A/H²)^0.6)]^−1.45, t_g = sqrt(1055/α).
    # Choose α = 1055/1024 so t_g = 32 s and t_g^0.4 = 32^0.4 = 4; H = 10 m, A = 100 m²
    # so A/H² = 1; H^0.8 = 10^0.8 = 6.30957. Then τ = 4 · 6.30957 = 25.2383 s.
    alpha = 1055.0 / 1024.0
    # z = 2.3 m: z/H = 0.23, the bracket is 1, so t = τ = 25.2383 s.
    assert fire_zone_filling_s(alpha, 100.0, 10.0, 2.3) == pytest.approx(25.2383, rel=1e-5)
    # z = 5 m: z/H = 0.5, t = τ · (0.23/0.5)^(1/1.45) = 25.2383 · 0.46^0.689655
    #        = 25.2383 · exp(0.689655 · ln 0.46) = 25.2383 · exp(−0.535537) = 25.2383 · 0.585355 = 14.7734 s.
    assert fire_zone_filling_s(alpha, 100.0, 10.0, 5.0) == pytest.approx(14.7734, rel=1e-4)


def test_filling_is_monotone_in_area_growth_and_tenability_height():
    base = fire_zone_filling_s(0.0469, 400.0, 6.0, 2.0)
    assert fire_zone_filling_s(0.0469, 800.0, 6.0, 2.0) > base  # bigger area: later
    assert fire_zone_filling_s(0.1876, 400.0, 6.0, 2.0) < base  # faster growth: sooner
    assert fire_zone_filling_s(0.00293, 400.0, 6.0, 2.0) > base
    assert fire_zone_filling_s(0.0469, 400.0, 6.0, 1.5) > base  # lower layer: later


def test_filling_clamps_z_over_h_to_the_correlations_range():
    # NFPA 92 fitted 0.2 ≤ z/H ≤ 0.8: a ceiling at or below the tenability height uses 0.8,
    # a tall atrium uses 0.2.
    low = fire_zone_filling_s(0.0469, 100.0, 2.0, 2.0)
    assert low == pytest.approx(fire_zone_filling_s(0.0469, 100.0, 2.0, 1.6))
    assert fire_zone_filling_s(0.0469, 100.0, 1.5, 2.0) == pytest.approx(
        fire_zone_filling_s(0.0469, 100.0, 1.5, 1.2)
    )
    tall = fire_zone_filling_s(0.0469, 1000.0, 30.0, 2.0)
    assert tall == pytest.approx(fire_zone_filling_s(0.0469, 1000.0, 30.0, 6.0))


# --- NFPA 92 plume --------------------------------------------------------------------------


def test_plume_flow_hand_computed_above_the_flame():
    # Q = 1,000 kW, z = 8 m: Qc = 700 kW; flame limit z_l = 0.166 · 700^0.4 = 2.281 m < 8 m,
    # so m = 0.071 · 700^(1/3) · 8^(5/3) + 0.0018 · 700 = 0.071 · 8.87904 · 32 + 1.26
    #      = 20.1732 + 1.26 = 21.4332 kg/s; ÷ 1.1 kg/m³ = 19.4847 m³/s.
    assert plume_volume_flow_m3_s(1000.0, 8.0) == pytest.approx(19.4847, rel=1e-5)


def test_plume_flow_within_the_flame_uses_the_near_field_correlation():
    # Q = 5,000 kW, z = 3 m: Qc = 3,500 kW; z_l = 0.166 · 3500^0.4 = 0.166 · 26.159 = 4.342 m > 3 m,
    # so m = 0.032 · 3500^0.6 · 3 = 0.032 · 133.80 · 3 = 12.845 kg/s; ÷ 1.1 = 11.677 m³/s.
    assert plume_volume_flow_m3_s(5000.0, 3.0) == pytest.approx(11.677, rel=1e-3)


def test_plume_flow_branches_meet_at_the_flame_height_and_zero_without_fire():
    qc = 0.7 * 2000.0
    z_l = 0.166 * qc**0.4
    below, above = plume_volume_flow_m3_s(2000.0, z_l), plume_volume_flow_m3_s(2000.0, z_l * (1 + 1e-9))
    assert above == pytest.approx(below, rel=0.015)
    assert plume_volume_flow_m3_s(0.0, 3.0) == 0.0


# --- smoke schedule -------------------------------------------------------------------------

ZONES = {"A": (200.0, 4.0), "B": (100.0, 3.0), "C": (400.0, 3.0), "D": (50.0, 3.0)}
KW = {"ignition_s": 10.0, "alpha": 0.0469, "max_hrr_kw": 5000.0, "tenability_height_m": 2.0}


def fill_volume(zone):
    area, height = ZONES[zone]
    return area * max(height - KW["tenability_height_m"], MIN_FILL_DEPTH_M)


def growing_fill_s(volume, since_ignition, cap=math.inf, height=4.0):
    """Seconds for min(plume of the growing fire, cap) to deliver `volume`, from `since_ignition`:
    a midpoint sum of 4,000 steps, bisected."""
    def delivered(d):
        step = d / 4000
        return sum(min(cap, plume_volume_flow_m3_s(hrr_kw(0.0469, since_ignition + (i + 0.5) * step,
                                                              5000.0), height))
                   for i in range(4000)) * step
    lo, hi = 0.0, 1.0
    while delivered(hi) < volume:
        hi *= 2.0
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if delivered(mid) < volume else (lo, mid)
    return hi


def test_chain_arrivals_follow_untenable_times_and_unconnected_zones_get_nothing():
    s = smoke_schedule(fire_zone="A", zones=ZONES, links={"A": ["B"], "B": ["A", "C"]}, **KW)
    assert set(s) == {"A", "B", "C"}  # D is not connected
    assert s["A"].arrival_s == 10.0
    assert s["A"].untenable_s == pytest.approx(10.0 + fire_zone_filling_s(0.0469, 200.0, 4.0, 2.0))
    assert s["B"].arrival_s == s["A"].untenable_s
    assert s["C"].arrival_s == s["B"].untenable_s
    assert s["A"].arrival_s < s["B"].arrival_s < s["C"].arrival_s < s["C"].untenable_s
    # B fills V at the plume flow of the growing fire (A's ceiling), from when A starts spilling.
    fill = growing_fill_s(fill_volume("B"), s["A"].untenable_s - 10.0)
    assert s["B"].untenable_s - s["B"].arrival_s == pytest.approx(fill, rel=1e-3)


def test_larger_neighbour_takes_longer_to_fill():
    # A star: B (100 m³ above 2 m) and C (400 m³) both start filling when A is untenable,
    # with the same growing plume flow each, so C takes the time that plume needs for 400 m³.
    s = smoke_schedule(fire_zone="A", zones=ZONES, links={"A": ["B", "C"]}, **KW)
    fill_b = s["B"].untenable_s - s["B"].arrival_s
    fill_c = s["C"].untenable_s - s["C"].arrival_s
    assert s["B"].arrival_s == s["C"].arrival_s == s["A"].untenable_s
    assert fill_c > fill_b
    assert fill_c == pytest.approx(growing_fill_s(fill_volume("C"), s["A"].untenable_s - 10.0), rel=1e-3)
    assert fill_c / fill_b < fill_volume("C") / fill_volume("B")  # the fire grew meanwhile


def test_links_are_undirected_and_unknown_zones_ignored():
    one_way = smoke_schedule(fire_zone="A", zones=ZONES, links={"B": ["A", "outside"], "C": ["B"]}, **KW)
    both = smoke_schedule(fire_zone="A", zones=ZONES, links={"A": ["B"], "B": ["A", "C"]}, **KW)
    assert one_way == both


def test_scenario_set_fire_zone_time_and_earliest_path_wins():
    # Diamond A–B–D and A–C–D: D takes the earlier of the two routes.
    links = {"A": ["B", "C"], "B": ["D"], "C": ["D"]}
    s = smoke_schedule(fire_zone="A", zones=ZONES, links=links, fire_zone_untenable_after_s=60.0, **KW)
    assert s["A"] == ZoneSmoke(arrival_s=10.0, untenable_s=70.0)
    assert s["D"].arrival_s == min(s["B"].untenable_s, s["C"].untenable_s) == s["B"].untenable_s
    # From both B and C, D takes no more than the fire makes: the growing plume from B's spill.
    spill = s["B"].untenable_s
    assert s["D"].untenable_s == pytest.approx(spill + growing_fill_s(fill_volume("D"), spill - 10.0),
                                               rel=1e-3)


def test_fire_zone_untenable_at_ignition_still_spreads():
    # No heat release at the spill moment: the growing plume's volume is integrated instead.
    s = smoke_schedule(fire_zone="A", zones=ZONES, links={"A": ["B"]}, fire_zone_untenable_after_s=0.0, **KW)
    assert s["A"].untenable_s == 10.0
    assert s["B"].arrival_s == 10.0
    assert 10.0 < s["B"].untenable_s < math.inf


def test_unknown_fire_zone_is_an_error():
    with pytest.raises(KeyError):
        smoke_schedule(fire_zone="X", zones=ZONES, links={}, **KW)


# --- CO dose (Purser & McAllister 2016) -----------------------------------------------------


def test_fed_rate_light_work():
    # FED/min = 2.764e-5 · C^1.036: at 2,700 ppm, 60 / (2.764e-5 · 2700^1.036) = 605 s to FED 1,
    # the "about 10 min" of the fixed 2,700 ppm limit (Engineering Australia 2014).
    assert fed_rate_per_s(2700.0) == pytest.approx(2.764e-5 * 2700.0**1.036 / 60.0)
    assert 1.0 / fed_rate_per_s(2700.0) == pytest.approx(604.95, rel=1e-4)
    assert fed_rate_per_s(0.0) == 0.0


def test_hand_computed_time_to_fed_1_on_a_rising_profile():
    # Arrival 0, 2,700 ppm at 300 s: slope s = 9 ppm/s, C = 9u. FED rate a·C^b with
    # a = 2.764e-5/60 = 4.60667e-7 /s, b = 1.036, so FED(u) = a · 9^b · u^(b+1) / (b+1).
    # 9^1.036 = 9.74081; a · 9^b = 4.48727e-6; FED = 1 at u^2.036 = 2.036 / 4.48727e-6 = 453,728,
    # u = 453,728^(1/2.036) = exp(13.02526 / 2.036) = 600.33 s.
    p = CoProfile(arrival_s=0.0, untenable_s=300.0, co_at_untenable_ppm=2700.0)
    assert p.time_of_dose(1.0) == pytest.approx(600.33, rel=1e-5)
    assert p.dose(600.33) == pytest.approx(1.0, rel=1e-4)
    assert p.concentration_ppm(300.0) == pytest.approx(2700.0)
    assert p.concentration_ppm(600.0) == pytest.approx(5400.0)  # keeps the slope


PROFILES = {
    "rising": (CoProfile(50.0, 350.0, 2700.0), [60.0, 200.0, 350.0, 900.0]),
    "capped": (CoProfile(50.0, 350.0, 2700.0, co_max_ppm=4000.0), [100.0, 300.0, 600.0, 2000.0]),
    "frozen": (CoProfile(50.0, 350.0, 2700.0, frozen_at_s=200.0), [100.0, 199.0, 201.0, 5000.0]),
    "step": (CoProfile(50.0, 50.0, 2700.0), [50.5, 100.0, 1000.0]),
}


@pytest.mark.parametrize("name", PROFILES)
def test_dose_round_trips_on_every_piece(name):
    profile, times = PROFILES[name]
    for t in times:
        assert profile.time_of_dose(profile.dose(t)) == pytest.approx(t, rel=1e-9)


@pytest.mark.parametrize("name", PROFILES)
def test_dose_is_monotone_and_continuous(name):
    profile, _ = PROFILES[name]
    ts = [i * 0.5 for i in range(6000)]
    doses = [profile.dose(t) for t in ts]
    assert all(b >= a for a, b in itertools.pairwise(doses))
    assert all(b - a < 0.01 for a, b in itertools.pairwise(doses))  # no jumps
    assert profile.dose(49.0) == 0.0 and profile.concentration_ppm(49.0) == 0.0
    for boundary in (50.0, 200.0, 350.0, 50.0 + 4000.0 / 9.0):  # arrival, freeze, untenable, cap
        eps = 1e-7
        assert profile.dose(boundary + eps) - profile.dose(boundary - eps) < 1e-9


def test_frozen_profile_stops_rising_and_dose_becomes_linear():
    p = CoProfile(50.0, 350.0, 2700.0).with_freeze(200.0)
    c = 9.0 * 150.0  # slope 9 ppm/s for 150 s
    assert p.concentration_ppm(200.0) == pytest.approx(c)
    assert p.concentration_ppm(10_000.0) == pytest.approx(c)
    assert p.dose(1200.0) - p.dose(1000.0) == pytest.approx(200.0 * fed_rate_per_s(c))
    # A later freeze does not undo an earlier one.
    assert p.with_freeze(400.0).frozen_at_s == 200.0


def test_freeze_before_arrival_keeps_the_zone_clear():
    p = CoProfile(50.0, 350.0, 2700.0).with_freeze(40.0)
    assert p.concentration_ppm(1e6) == 0.0
    assert p.dose(1e6) == 0.0
    assert p.time_of_dose(0.1) == math.inf
    assert CoProfile(50.0, 350.0, 2700.0).with_freeze(50.0).dose(1e6) == 0.0


def test_cap_gives_linear_dose_after_it():
    p = CoProfile(0.0, 300.0, 2700.0, co_max_ppm=3600.0)  # 9 ppm/s reaches 3,600 ppm at 400 s
    assert p.concentration_ppm(400.0) == pytest.approx(3600.0)
    assert p.concentration_ppm(900.0) == 3600.0
    assert p.dose(900.0) - p.dose(500.0) == pytest.approx(400.0 * fed_rate_per_s(3600.0))
    # Before the cap the dose is the same as without it.
    assert p.dose(350.0) == pytest.approx(CoProfile(0.0, 300.0, 2700.0).dose(350.0))


def test_time_of_dose_edge_cases():
    p = CoProfile(0.0, 300.0, 2700.0)
    assert p.time_of_dose(0.0) == -math.inf
    assert CoProfile(0.0, math.inf, 2700.0).time_of_dose(1.0) == math.inf
    with pytest.raises(ValueError):
        CoProfile(300.0, 0.0, 2700.0)
