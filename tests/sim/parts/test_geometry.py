"""Plan geometry (sim/geometry.py): distances, stair slope, shared edges, points in zones."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ttxsim.sim.geometry import (
    NEAR_ZONE_TOLERANCE_M,
    TOUCH_TOLERANCE_M,
    distance,
    flight_length_m,
    point_near_zone,
    random_points,
    shared_edge_midpoint,
    slope_factor,
)
from ttxsim.sim.scenario.venue import Rect


def rect(x, y, w, d):
    return Rect(x_m=x, y_m=y, width_m=w, depth_m=d)


def test_distance_is_euclidean():
    assert distance((0.0, 0.0), (3.0, 4.0)) == 5.0  # the 3-4-5 triangle
    assert distance((1.0, 1.0), (1.0, 1.0)) == 0.0


def test_slope_factor_is_the_hypotenuse_per_metre_of_plan():
    # 178 mm riser on 279 mm tread: √(1 + 0.637993²) = √1.407035 = 1.186185.
    assert slope_factor(178.0, 279.0) == pytest.approx(1.186185, rel=1e-6)
    # 1:1 (45°): √2.
    assert slope_factor(200.0, 200.0) == pytest.approx(math.sqrt(2.0))


def test_a_storeys_flights_are_its_rise_over_the_pitch():
    # 3 m at 178 / 279 mm: a run of 3 × 279 / 178 = 4.702247 m on the plan, along the slope
    # 4.702247 × 1.186185 = 5.577735 m = 3 × √(178² + 279²) / 178.
    run_m = 3.0 * 279.0 / 178.0
    assert flight_length_m(178.0, 279.0, 3.0) == pytest.approx(run_m * slope_factor(178.0, 279.0))
    assert flight_length_m(178.0, 279.0, 3.0) == pytest.approx(5.577735, rel=1e-6)
    assert flight_length_m(150.0, 300.0, 3.0) == pytest.approx(3.0 * math.sqrt(5.0))  # 6.708204


def test_shared_edge_midpoint_of_side_by_side_rooms():
    # A 10 × 10 room and a 5 × 4 room against its right wall from y = 2 to 6: mid (10, 4).
    assert shared_edge_midpoint([rect(0, 0, 10, 10)], [rect(10, 2, 5, 4)]) == (10.0, 4.0)
    # Stacked: a room above from x = 3 to 13 shares x = 3…10 of the top edge: mid (6.5, 10).
    assert shared_edge_midpoint([rect(0, 0, 10, 10)], [rect(3, 10, 10, 5)]) == (6.5, 10.0)


def test_shared_edge_tolerates_a_drawing_gap():
    a, b = [rect(0, 0, 10, 10)], [rect(10.04, 0, 5, 10)]
    assert TOUCH_TOLERANCE_M == 0.05
    assert shared_edge_midpoint(a, b) == pytest.approx((10.02, 5.0))
    assert shared_edge_midpoint(a, [rect(10.06, 0, 5, 10)]) is None


def test_corners_and_far_apart_rooms_share_no_edge():
    assert shared_edge_midpoint([rect(0, 0, 10, 10)], [rect(10, 10, 5, 5)]) is None
    assert shared_edge_midpoint([rect(0, 0, 10, 10)], [rect(20, 0, 5, 5)]) is None


def test_the_longest_shared_edge_wins():
    # An L-shaped zone touching a U-shaped corridor along y = 0 from x = 2 to 4 (2 m, mid (3, 0))
    # and along y = 6 from x = 0 to 6 (6 m, mid (3, 6)).
    zone = [rect(0, 0, 4, 2), rect(0, 2, 6, 4)]
    corridor = [rect(2, -2, 4, 2), rect(0, 6, 10, 2)]
    assert shared_edge_midpoint(zone, corridor) == (3.0, 6.0)
    assert shared_edge_midpoint(zone[:1], corridor) == (3.0, 0.0)


def test_point_near_zone_allows_a_wall_thickness():
    rooms = [rect(0, 0, 10, 10)]
    assert NEAR_ZONE_TOLERANCE_M == 1.0
    assert point_near_zone((5.0, 5.0), rooms)
    assert point_near_zone((10.9, 5.0), rooms)
    assert not point_near_zone((11.1, 5.0), rooms)
    # Off a corner by (0.6, 0.6): 0.85 m away, inside; by (0.8, 0.8): 1.13 m, outside.
    assert point_near_zone((10.6, 10.6), rooms)
    assert not point_near_zone((10.8, 10.8), rooms)


def test_random_points_fall_inside_and_spread_by_area():
    rects = [rect(0, 0, 1, 1), rect(10, 0, 3, 1)]  # areas 1 and 3
    points = random_points(rects, 4000, np.random.default_rng(7))
    assert points.shape == (4000, 2)
    in_small = (points[:, 0] <= 1.0) & (points[:, 1] >= 0.0) & (points[:, 1] <= 1.0)
    in_large = (points[:, 0] >= 10.0) & (points[:, 0] <= 13.0) & (points[:, 1] >= 0.0) & (points[:, 1] <= 1.0)
    assert np.all(in_small | in_large)
    # A quarter in the small one: SD √(0.25 · 0.75 / 4000) = 0.0068; allow 4 SD.
    assert in_small.mean() == pytest.approx(0.25, abs=0.028)


def test_random_points_are_reproducible_from_the_seed():
    rects = [rect(0, 0, 2, 3)]
    a = random_points(rects, 5, np.random.default_rng(1))
    b = random_points(rects, 5, np.random.default_rng(1))
    assert np.array_equal(a, b)
    assert random_points(rects, 0, np.random.default_rng(1)).shape == (0, 2)
