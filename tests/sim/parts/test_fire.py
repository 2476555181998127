"""Fire growth, doorway smoke flow, smoke spread and CO dose (sim/fire.py), worked by hand.

Sources: t² growth classes defined by the time to 1,055 kW (SFPE Handbook; vfdb Leitfaden
2020; model-parameters.md §4); NFPA 92 (2012) t² filling correlation and axisymmetric plume,
coefficients as the module quotes them; Kawagoe's opening flow m ≈ 0.5 A √H kg/s (Drysdale,
An Introduction to Fire Dynamics, ch. 10); Purser & McAllister (SFPE Handbook 2016, ch. 63)
CO dose for light work, FED/min = 3.317e-5 [CO]^1.036 V_E / D, V_E = 25 L/min, D = 30 %COHb.
tests/sim/test_fire.py covers the filling and plume correlations; these add the rest.
"""

from __future__ import annotations

import math

import pytest

from ttxsim.sim.fed import FED_CO_COEFF_PER_MIN, FED_CO_EXPONENT, CoProfile, fed_rate_per_s
from ttxsim.sim.fire import (
    GROWTH_ALPHA_KW_S2,
    REFERENCE_HRR_KW,
    doorway_flow_m3_s,
    fire_zone_filling_s,
    hrr_kw,
    plume_volume_flow_m3_s,
)
from ttxsim.sim.smoke_spread import smoke_schedule

# --- t² growth ---------------------------------------------------------------------------------


def test_growth_coefficients_are_the_standard_classes():
    assert GROWTH_ALPHA_KW_S2 == {"slow": 0.00293, "medium": 0.01172, "fast": 0.0469,
                                  "ultrafast": 0.1876}
    # Each is 1,055 kW over its growth time squared, to the 3–4 figures quoted:
    # 1055/600² = 0.0029306, 1055/300² = 0.011722, 1055/150² = 0.046889, 1055/75² = 0.18756.
    for growth, t_g in (("slow", 600), ("medium", 300), ("fast", 150), ("ultrafast", 75)):
        assert GROWTH_ALPHA_KW_S2[growth] == pytest.approx(REFERENCE_HRR_KW / t_g**2, rel=5e-4)


def test_t_squared_growth_and_its_plateau():
    # Slow at 600 s: 0.00293 × 360,000 = 1,054.8 kW; ultrafast at 75 s: 0.1876 × 5,625 = 1,055.25.
    assert hrr_kw(0.00293, 600.0, math.inf) == pytest.approx(1054.8)
    assert hrr_kw(0.1876, 75.0, math.inf) == pytest.approx(1055.25)
    # Medium reaches a 2 MW plateau at √(2000 / 0.01172) = 413.1 s and stays there.
    assert hrr_kw(0.01172, 413.0, 2000.0) == pytest.approx(0.01172 * 413.0**2)  # 1,999.06 kW
    assert hrr_kw(0.01172, 414.0, 2000.0) == 2000.0
    assert hrr_kw(0.01172, 3600.0, 2000.0) == 2000.0


# --- Kawagoe doorway flow --------------------------------------------------------------------------


def test_doorway_flow_is_kawagoe_over_smoke_density():
    # 1 m wide, 2 m high: A = 2 m², √H = √2 = 1.414214; m = 0.5 × 2 × 1.414214 = 1.414214 kg/s;
    # at 1.1 kg/m³: 1.285649 m³/s. Linear in width; nothing through no width.
    assert doorway_flow_m3_s(1.0) == pytest.approx(1.285649, rel=1e-6)
    assert doorway_flow_m3_s(2.5) == pytest.approx(2.5 * 1.285649, rel=1e-6)
    assert doorway_flow_m3_s(0.0) == 0.0


# --- smoke spread through openings ---------------------------------------------------------------

ZONES = {"A": (200.0, 4.0), "B": (100.0, 3.0), "C": (100.0, 3.0)}
FIRE = {"fire_zone": "A", "ignition_s": 0.0, "alpha": 0.0469, "max_hrr_kw": 5000.0,
        "tenability_height_m": 2.0}
A_UNTENABLE_S = 59.9279
"""The fire zone A (200 m², 4 m high, fast fire, layer down to 2 m), by NFPA 92:
t_g = √(1055 / 0.0469) = 149.982 s; τ = t_g^0.4 · H^0.8 · (A/H²)^0.6 = 7.42021 · 3.03143 · 4.55141
= 102.379 s; t = τ · (0.23 / 0.5)^(1/1.45) = 102.379 · 0.585355 = 59.928 s."""
A_PLUME_M3_S = 3.38307
"""The plume when A starts spilling: Q = 0.0469 · 59.928² = 168.43 kW, Qc = 117.90 kW, flame
height 0.166 · Qc^0.4 = 1.12 m < 4 m, so m = 0.071 · Qc^(1/3) · 4^(5/3) + 0.0018 · Qc
= 0.071 · 4.90354 · 10.07937 + 0.21223 = 3.72138 kg/s, ÷ 1.1 = 3.38307 m³/s."""
B_SMOKE_M3 = 100.0
"""B's smoke volume above the tenability height: 100 m² × (3 − 2) m."""


def test_the_hand_worked_fire_zone_and_plume():
    assert fire_zone_filling_s(0.0469, 200.0, 4.0, 2.0) == pytest.approx(A_UNTENABLE_S, rel=1e-5)
    q = hrr_kw(0.0469, A_UNTENABLE_S, 5000.0)
    assert plume_volume_flow_m3_s(q, 4.0) == pytest.approx(A_PLUME_M3_S, rel=1e-5)


@pytest.mark.parametrize(("width_m", "fill_s"), [
    (1.0, B_SMOKE_M3 / 1.285649),          # the doorway limits: 100 / 1.2856 = 77.78 s
    (2.0, B_SMOKE_M3 / (2 * 1.285649)),    # still the doorway: 38.89 s
    (3.0, 26.6265),   # 3.857 m³/s: the plume (3.383 m³/s when A spills) grows past it: see below
])
def test_a_neighbour_fills_at_the_lesser_of_plume_and_doorway(width_m, fill_s):
    s = smoke_schedule(zones=ZONES, links={"A": ["B"]}, vents={frozenset("AB"): width_m}, **FIRE)
    assert s["B"].arrival_s == pytest.approx(A_UNTENABLE_S, rel=1e-5)
    assert s["B"].untenable_s - s["B"].arrival_s == pytest.approx(fill_s, rel=1e-4)


def test_the_plume_limited_fill_follows_the_growing_fire():
    # B fills at min(plume(t), 3.857) from A's spill at 59.928 s: a midpoint sum of 20,000
    # steps of that flow reaches 100 m³ after 26.6265 s (the spill-moment flow alone: 29.56 s).
    n, fill = 20_000, 26.6265
    step = fill / n
    delivered = sum(min(3 * 1.285649, plume_volume_flow_m3_s(
        hrr_kw(0.0469, A_UNTENABLE_S + (i + 0.5) * step, 5000.0), 4.0)) for i in range(n)) * step
    assert delivered == pytest.approx(B_SMOKE_M3, rel=1e-4)
    assert fill < B_SMOKE_M3 / A_PLUME_M3_S


def test_a_set_untenable_time_and_a_later_ignition():
    s = smoke_schedule(zones=ZONES, links={"A": ["B"]}, fire_zone_untenable_after_s=120.0,
                       **{**FIRE, "ignition_s": 30.0})
    assert s["A"].arrival_s == 30.0 and s["A"].untenable_s == 150.0
    # B then fills at the plume of the growing fire, 675.4 kW 120 s after ignition: a midpoint
    # sum of that flow over the fill delivers B's 100 m³.
    fill = s["B"].untenable_s - 150.0
    n = 20_000
    delivered = sum(plume_volume_flow_m3_s(hrr_kw(0.0469, 120.0 + (i + 0.5) * fill / n, 5000.0), 4.0)
                    for i in range(n)) * fill / n
    assert delivered == pytest.approx(B_SMOKE_M3, rel=1e-3)
    assert fill < B_SMOKE_M3 / plume_volume_flow_m3_s(0.0469 * 120.0**2, 4.0)


def test_a_fire_zone_untenable_at_ignition_still_spreads_by_the_growing_plume():
    # No heat release at the moment of spilling: the fill time T solves
    # ∫₀ᵀ plume(0.0469 t²) dt = 100 m³; check it against a midpoint sum of 20,000 steps.
    s = smoke_schedule(zones=ZONES, links={"A": ["B"]}, fire_zone_untenable_after_s=0.0, **FIRE)
    fill = s["B"].untenable_s - s["B"].arrival_s
    assert s["B"].arrival_s == 0.0 and 0.0 < fill < math.inf
    n = 20_000
    step = fill / n
    delivered = sum(plume_volume_flow_m3_s(hrr_kw(0.0469, (i + 0.5) * step, 5000.0), 4.0)
                    for i in range(n)) * step
    assert delivered == pytest.approx(B_SMOKE_M3, rel=1e-4)


def test_a_shut_door_holds_the_smoke_back():
    s = smoke_schedule(zones=ZONES, links={"A": ["B"]}, vents={}, **FIRE)
    assert "B" not in s  # with no leakage given (see the leakage tests in test_smoke_spread.py)


def test_smoke_arrives_only_through_open_width():
    vents = {frozenset("AB"): 1.0, frozenset("BC"): 1.0}  # A–C: a shut door, no open width
    s = smoke_schedule(zones=ZONES, links={"A": ["B", "C"], "B": ["C"]}, vents=vents, **FIRE)
    assert s["C"].arrival_s == pytest.approx(s["B"].untenable_s)


def test_the_doorway_limit_holds_while_the_plume_grows():
    s = smoke_schedule(zones=ZONES, links={"A": ["B"]}, vents={frozenset("AB"): 0.1},
                       fire_zone_untenable_after_s=0.0, **FIRE)
    assert s["B"].untenable_s - s["B"].arrival_s >= B_SMOKE_M3 / doorway_flow_m3_s(0.1)


# --- CO dose -----------------------------------------------------------------------------------------


def test_the_light_work_coefficient_is_purser_with_v_e_25_and_d_30():
    # 3.317e-5 × 25 / 30 = 2.76417e-5, quoted as 2.764e-5.
    assert abs(FED_CO_COEFF_PER_MIN / (3.317e-5 * 25 / 30) - 1) < 1e-4
    assert FED_CO_EXPONENT == 1.036


def test_fed_at_2700_ppm_reaches_one_in_about_ten_minutes():
    # 2700^1.036 = exp(1.036 × ln 2700) = exp(1.036 × 7.901007) = exp(8.185443) = 3588.33;
    # FED/min = 2.764e-5 × 3588.33 = 0.0991816; FED 1 after 1 / 0.0991816 = 10.0825 min = 604.95 s.
    assert fed_rate_per_s(2700.0) * 60.0 == pytest.approx(0.0991816, rel=1e-6)
    step = CoProfile(arrival_s=100.0, untenable_s=100.0, co_at_untenable_ppm=2700.0)
    assert step.concentration_ppm(100.0) == 2700.0
    assert step.time_of_dose(1.0) == pytest.approx(100.0 + 604.951, rel=1e-6)
    assert step.dose(100.0 + 60.0) == pytest.approx(0.0991816, rel=1e-6)
    assert fed_rate_per_s(0.0) == 0.0


def test_dose_on_a_linear_rise_hand_worked():
    # C = 9 u ppm (2,700 ppm after 300 s). FED(300) = a · 9^b · 300^(b+1) / (b+1) with
    # a = 2.764e-5 / 60 = 4.60667e-7 /s, b = 1.036: 9^1.036 = 9.74081,
    # 300^2.036 = exp(2.036 × 5.703782) = 110,514.4, so 4.60667e-7 × 9.74081 × 110,514.4 / 2.036
    # = 0.243570.
    rise = CoProfile(arrival_s=0.0, untenable_s=300.0, co_at_untenable_ppm=2700.0)
    assert rise.concentration_ppm(150.0) == pytest.approx(1350.0)
    assert rise.dose(300.0) == pytest.approx(0.243570, rel=1e-5)
    # The same by a midpoint sum of the rate over 30,000 steps.
    n = 30_000
    assert sum(fed_rate_per_s(9.0 * (i + 0.5) * 0.01) for i in range(n)) * 0.01 == pytest.approx(
        rise.dose(300.0), rel=1e-6)
    # FED 0.3 (ISO 13571's sensitive population) comes at 0.3^(1/2.036) of the FED-1 time.
    assert rise.time_of_dose(0.3) == pytest.approx(rise.time_of_dose(1.0) * 0.3 ** (1 / 2.036))
