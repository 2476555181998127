"""SFPE hydraulic relations (sim/movement.py) against the handbook's equations, worked by hand.

Source: SFPE Handbook of Fire Protection Engineering, chapter "Employing the Hydraulic Model
in Assessing Emergency Movement" (Gwynne & Rosenbaum; Nelson & Mowrer in earlier editions):

* speed S = k (1 − a D), a = 0.266 m²/person, for 0.54 ≤ D ≤ 3.8 persons/m²;
* k = 1.40 m/s for corridors, aisles, ramps and doorways; for stairs, by riser / tread,
  7.5/10 in → 1.00, 7/11 → 1.08, 6.5/12 → 1.16, 6.5/13 → 1.23;
* specific flow Fs = S D = (1 − a D) k D, highest at D = 1/(2a) = 1.88 /m², where it is
  k/(4a); the handbook tabulates Fs_max as 1.3 (level), 0.94, 1.01, 1.09, 1.16 (the stairs
  above) persons/s per metre of effective width;
* effective width = clear width less a boundary layer each side (doors 0.15 m, corridor
  walls 0.20 m, handrails 0.09 m).

tests/sim/test_movement.py checks a first set of these numbers; these add the rest, and the
rule ttxsim adds between the tabulated stairs (linear in slope, docs/model.md).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ttxsim.sim.movement import (
    CRAWL_SPEED_M_S,
    FREE_FLOW_DENSITY_P_M2,
    K_LEVEL,
    MAX_SPECIFIC_FLOW,
    SPEED_DENSITY_SLOPE,
    STAIR_K,
    effective_width_m,
    opening_capacity_p_s,
    sfpe_max_specific_flow,
    stair_k,
    walking_speed,
)

FAST = 3.0
"""A free speed no SFPE crowd speed reaches, so walking_speed returns the SFPE value itself."""


def test_the_constants_are_the_handbooks():
    assert K_LEVEL == 1.40 and SPEED_DENSITY_SLOPE == 0.266
    assert FREE_FLOW_DENSITY_P_M2 == 0.54
    # Riser/tread in mm: 7.5/10 in = 190.5/254 mm, 7/11 = 177.8/279.4, 6.5/12 = 165.1/304.8,
    # 6.5/13 = 165.1/330.2 (rounded to the millimetre).
    assert STAIR_K == {(191.0, 254.0): 1.00, (178.0, 279.0): 1.08, (165.0, 305.0): 1.16,
                       (165.0, 330.0): 1.23}
    assert MAX_SPECIFIC_FLOW == {1.00: 0.94, 1.08: 1.01, 1.16: 1.09, 1.23: 1.16, 1.40: 1.3}


@pytest.mark.parametrize(("density", "expected"), [
    (0.54, 1.198904),   # 1.40 × (1 − 0.266 × 0.54) = 1.40 × 0.85636 (≈ the handbook's 0.85 k)
    (1.0, 1.0276),      # 1.40 × 0.734
    (2.5, 0.469),       # 1.40 × (1 − 0.665) = 1.40 × 0.335
    (3.0, 0.2828),      # 1.40 × 0.202
])
def test_level_speed_is_k_times_one_minus_a_d(density, expected):
    assert walking_speed(FAST, density, K_LEVEL) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(("k", "density", "expected"), [
    (1.00, 2.0, 0.468),      # 1.00 × (1 − 0.532)
    (1.16, 1.0, 0.85144),    # 1.16 × 0.734
    (1.23, 1.5, 0.73923),    # 1.23 × (1 − 0.399) = 1.23 × 0.601
])
def test_stair_speed_along_the_slope(k, density, expected):
    assert walking_speed(FAST, density, k) == pytest.approx(expected, rel=1e-9)


def test_below_the_threshold_density_people_walk_at_their_own_speed():
    # Level: own speed even if faster than the SFPE value (1.5 > 1.40 × (1 − 0.266 × 0.53)).
    assert walking_speed(1.5, 0.53, K_LEVEL) == 1.5
    # Stairs: the level speed × k / 1.40; 1.2 m/s on a k = 1.16 stair: 1.2 × 1.16 / 1.40 = 0.994286.
    assert walking_speed(1.2, 0.1, 1.16) == pytest.approx(0.994286, rel=1e-6)
    # In a crowd a slow walker keeps their own speed: 0.5 < 1.0276 at D = 1.
    assert walking_speed(0.5, 1.0, K_LEVEL) == 0.5


def test_the_sfpe_speed_reaches_zero_at_1_over_a_and_the_crowd_still_creeps():
    # S = 0 at D = 1/0.266 = 3.759 /m²; the SFPE line meets the 0.1 m/s crawl at
    # D_c = (1 − 0.1/1.40)/0.266 = 3.491 /m², and beyond it speed is 0.1 (D_c/D)².
    d_c = (1 - 0.1 / 1.40) / 0.266
    assert walking_speed(FAST, 3.5, K_LEVEL) == pytest.approx(0.1 * (d_c / 3.5) ** 2)
    assert walking_speed(FAST, 1 / 0.266, K_LEVEL) == pytest.approx(0.1 * (d_c * 0.266) ** 2)
    assert CRAWL_SPEED_M_S == 0.1
    assert walking_speed(FAST, 3.4, K_LEVEL) == pytest.approx(1.40 * (1 - 0.266 * 3.4))  # 0.13384


@pytest.mark.parametrize("k", [1.00, 1.08, 1.16, 1.23, 1.40])
def test_specific_flow_peaks_at_k_over_4a_near_the_tabulated_maximum(k):
    # Fs(D) = S(D) · D on a 0.01 /m² grid from 0.54 to 3.7: the peak is at D = 1/(2 · 0.266)
    # = 1.8797 /m² and equals k / (4 · 0.266) = k / 1.064.
    grid = [0.54 + 0.01 * i for i in range(317)]
    flows = [walking_speed(FAST, d, k) * d for d in grid]
    peak = max(flows)
    assert grid[flows.index(peak)] == pytest.approx(1.88, abs=0.005)
    assert peak == pytest.approx(k / 1.064, rel=1e-4)
    # The handbook rounds: level 1.3158 → 1.3; stairs 0.9398 → 0.94, 1.0150 → 1.01,
    # 1.0902 → 1.09, 1.1560 → 1.16.
    assert MAX_SPECIFIC_FLOW[k] == pytest.approx(k / 1.064, abs=0.016)


def test_max_specific_flow_between_the_tabulated_k_is_linear_in_k():
    # 1.2 lies 4/7 of the way from 1.16 (1.09) to 1.23 (1.16): 1.09 + 0.07 × 4/7 = 1.13
    # (the analytic peak 1.2 / 1.064 = 1.1278 is within the handbook's rounding of it).
    assert sfpe_max_specific_flow(1.2) == pytest.approx(1.13)
    assert sfpe_max_specific_flow(1.16) == 1.09
    assert sfpe_max_specific_flow(1.04) == pytest.approx(0.975)  # halfway from 0.94 to 1.01


def test_max_specific_flow_beyond_the_table_is_proportional_to_k():
    # As the analytic peak k / (4a) is, anchored at the table's ends: continuous there.
    assert sfpe_max_specific_flow(0.9) == pytest.approx(0.94 * 0.9)
    assert sfpe_max_specific_flow(1.5) == pytest.approx(1.3 * 1.5 / 1.4)


@pytest.mark.parametrize(("riser", "tread", "k", "fs_max"), [
    (191, 254, 1.00, 0.94), (178, 279, 1.08, 1.01), (165, 305, 1.16, 1.09), (165, 330, 1.23, 1.16),
])
def test_tabulated_stairs_keep_the_handbooks_k_and_fs_max_exactly(riser, tread, k, fs_max):
    assert stair_k(riser, tread) == k
    assert sfpe_max_specific_flow(stair_k(riser, tread)) == fs_max


@pytest.mark.parametrize(("riser", "tread", "k"), [
    # Slopes: 191/254 = 0.75197, 178/279 = 0.63799, 165/305 = 0.54098, 165/330 = 0.5.
    (190.5, 254.0, 1.0 + 0.08 * (0.75197 - 0.75) / (0.75197 - 0.63799)),  # 1.00138
    (180, 280, 1.08 - 0.08 * (0.64286 - 0.63799) / (0.75197 - 0.63799)),   # 1.07658
    (165, 300, 1.16 - 0.08 * (0.55 - 0.54098) / (0.63799 - 0.54098)),      # 1.15256
])
def test_stair_k_is_linear_in_slope_between_tabulated_stairs(riser, tread, k):
    assert stair_k(riser, tread) == pytest.approx(k, abs=2e-4)


@pytest.mark.parametrize(("riser", "tread"), [(200, 250), (191, 240), (150, 350), (165, 340)])
def test_stair_k_is_clamped_beyond_the_table(riser, tread):
    # Steeper than 7.5 / 10 in: 1.00; shallower than 6.5 / 13 in: 1.23 (SFPE gives no more).
    assert stair_k(riser, tread) == (1.00 if riser / tread > 0.752 else 1.23)


def test_boundary_layers_by_kind():
    assert effective_width_m(2.0, "door") == pytest.approx(1.7)        # 2.0 − 2 × 0.15
    assert effective_width_m(3.0, "opening") == pytest.approx(2.6)     # 3.0 − 2 × 0.20
    assert effective_width_m(1.2, "stair") == pytest.approx(0.9)       # 1.2 − 2 × 0.15
    assert effective_width_m(1.0, "door", 0.09) == pytest.approx(0.82)  # handrails: 0.09 m
    assert effective_width_m(0.25, "door") == 0.1                      # never below 0.1 m


def test_sfpe_capacity_is_fs_max_times_effective_width():
    def sfpe(width, kind, k=K_LEVEL, layer=None):
        return opening_capacity_p_s(width_m=width, kind=kind, flow_model="sfpe",
                                    specific_flow_p_s_m=1.3, k=k, boundary_layer_m=layer)

    assert sfpe(2.0, "door") == pytest.approx(2.21)            # 1.3 × 1.7
    assert sfpe(3.0, "opening") == pytest.approx(3.38)         # 1.3 × 2.6
    assert sfpe(1.2, "stair", k=1.08) == pytest.approx(0.909)  # 1.01 × 0.9
    assert sfpe(1.0, "door", layer=0.09) == pytest.approx(1.066)  # 1.3 × 0.82


def test_empirical_capacity_on_a_stair_scales_by_the_sfpe_ratio():
    # 1.3 p/s/m × 1.2 m × Fs_max(1.08) / Fs_max(level) = 1.56 × 1.01 / 1.3 = 1.212 p/s.
    cap = opening_capacity_p_s(width_m=1.2, kind="stair", flow_model="empirical",
                               specific_flow_p_s_m=1.3, k=1.08)
    assert cap == pytest.approx(1.212)
    # PD 7974-6's 1.33 p/s/m through a 1 m level door.
    assert opening_capacity_p_s(width_m=1.0, kind="door", flow_model="empirical",
                                specific_flow_p_s_m=1.33) == pytest.approx(1.33)


RISERS = st.floats(100.0, 300.0)
TREADS = st.floats(150.0, 600.0)

LIPSCHITZ = 2.0
"""Steepest change of k, and of Fs_max(k), per unit of slope: the table's steepest segment
is 165/330 → 165/305 mm, 0.07 per 0.041 of slope (1.71); Fs_max rises at most 1.0 per unit of k."""


def stair_values(riser: float, tread: float) -> tuple[float, float]:
    k = stair_k(riser, tread)
    return k, sfpe_max_specific_flow(k)


@given(RISERS, TREADS, RISERS, TREADS)
def test_a_steeper_stair_is_never_faster_nor_higher_flowing(r1, t1, r2, t2):
    (k1, fs1), (k2, fs2) = stair_values(r1, t1), stair_values(r2, t2)
    if r1 / t1 <= r2 / t2:
        assert k1 >= k2 and fs1 >= fs2
    else:
        assert k1 <= k2 and fs1 <= fs2


@given(RISERS, TREADS, st.floats(-5.0, 5.0), st.floats(-5.0, 5.0))
def test_k_and_fs_max_change_no_faster_than_the_slope(riser, tread, d_riser, d_tread):
    # Continuity: a few millimetres more riser or less tread moves k and Fs_max by at most
    # LIPSCHITZ × the change of slope; nothing jumps between tabulated stairs.
    (k1, fs1) = stair_values(riser, tread)
    (k2, fs2) = stair_values(riser + d_riser, tread + d_tread)
    d_slope = abs(riser / tread - (riser + d_riser) / (tread + d_tread))
    assert abs(k1 - k2) <= LIPSCHITZ * d_slope + 1e-12
    assert abs(fs1 - fs2) <= LIPSCHITZ * d_slope + 1e-12
    assert 1.00 <= k1 <= 1.23 and 0.94 <= fs1 <= 1.16
