"""The SFPE relations in ttxsim.sim.movement against the handbook's numbers."""

import pytest

from ttxsim.sim.movement import (
    CRAWL_SPEED_M_S,
    K_LEVEL,
    effective_width_m,
    opening_capacity_p_s,
    sfpe_max_specific_flow,
    stair_k,
    walking_speed,
)


def test_free_speed_applies_below_the_sfpe_threshold_density():
    assert walking_speed(1.33, 0.2, K_LEVEL) == 1.33


def test_sfpe_speed_caps_fast_walkers_in_a_crowd():
    # S = k (1 − 0.266 D): 1.40 × (1 − 0.266 × 2.0) = 0.6552 m/s.
    assert walking_speed(1.5, 2.0, K_LEVEL) == pytest.approx(0.6552)
    assert walking_speed(0.5, 2.0, K_LEVEL) == 0.5


def test_a_packed_crowd_still_creeps():
    assert 0.0 < walking_speed(1.3, 4.5, K_LEVEL) < CRAWL_SPEED_M_S
    assert walking_speed(1.3, 3.49, K_LEVEL) == pytest.approx(CRAWL_SPEED_M_S, abs=1e-3)


@pytest.mark.parametrize("k", [K_LEVEL, 1.08])
def test_flow_above_the_sfpe_range_falls_with_density(k):
    # Issue 13: a flat crawl made S·D rise (0.40, 0.52, 0.63 at 4, 5, 6 /m²); Weidmann's falls.
    flows = [d * walking_speed(1.3, d, k) for d in (3.8, 4.0, 5.0, 6.0)]
    assert flows == sorted(flows, reverse=True)
    assert flows[-1] > 0.0


def test_stair_constants_follow_the_sfpe_table():
    assert stair_k(178, 279) == 1.08
    assert stair_k(165, 330) == 1.23
    assert sfpe_max_specific_flow(1.08) == 1.01
    # On stairs a person's level speed scales by k / 1.40.
    assert walking_speed(1.4, 0.1, 1.08) == pytest.approx(1.08)


def test_sfpe_capacity_uses_effective_width():
    assert effective_width_m(1.0, "door") == pytest.approx(0.7)
    cap = opening_capacity_p_s(width_m=1.0, kind="door", flow_model="sfpe", specific_flow_p_s_m=1.3)
    assert cap == pytest.approx(0.91)


def test_empirical_capacity_is_linear_in_clear_width():
    caps = [
        opening_capacity_p_s(width_m=w, kind="door", flow_model="empirical", specific_flow_p_s_m=1.3)
        for w in (1.0, 2.0, 4.0)
    ]
    assert caps == pytest.approx([1.3, 2.6, 5.2])
