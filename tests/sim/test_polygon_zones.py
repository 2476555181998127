"""Zones drawn as polygons: area, placement, openings, and walks that stay inside the zone."""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import Point

from ttxsim.sim.geometry import random_points_in, shared_edge_point
from ttxsim.sim.scenario import ScenarioError, parse_scenario
from ttxsim.sim.scenario.venue import Zone
from ttxsim.sim.simulation import Simulation
from ttxsim.sim.walkways import Walkways
from ttxsim.sim.zones import _walkways

RING = Zone(id="bowl", kind="hall", polygon=[[0, 0], [30, 0], [30, 30], [0, 30]],
            holes=[[[10, 10], [20, 10], [20, 20], [10, 20]]])
"""A 30 m square seating bowl round a 10 m square well."""

L_SHAPE = Zone(id="ell", polygon=[[0, 0], [20, 0], [20, 5], [5, 5], [5, 20], [0, 20]])
"""An L: a 20 m arm along x and one along y, each 5 m wide."""

ARENA = """\
meta: {name: Bowl, sources: [test]}
venue:
  zones:
    - id: bowl
      kind: hall
      polygon: [[0, 0], [30, 0], [30, 30], [0, 30]]
      holes: [[[10, 10], [20, 10], [20, 20], [10, 20]]]
    - {id: foyer, polygon: [[30, 0], [40, 0], [40, 30], [30, 30]]}
  openings:
    - {id: vomitory, between: [bowl, foyer], width_m: 2}
    - {id: exit, between: [foyer, outside], width_m: 3, at_m: [40, 15]}
population:
  occupants: [{zone: bowl, count: 400}]
  premovement_s: 30
"""


def test_a_ring_has_the_area_of_its_outline_less_its_hole():
    assert RING.area_m2 == pytest.approx(800.0)
    assert L_SHAPE.area_m2 == pytest.approx(175.0)


def test_people_are_placed_inside_the_polygon_never_in_its_hole():
    points = random_points_in(RING, 2000, np.random.default_rng(3))
    assert points.shape == (2000, 2)
    assert all(RING.outline.covers(Point(p)) for p in points)
    in_well = (points[:, 0] > 10) & (points[:, 0] < 20) & (points[:, 1] > 10) & (points[:, 1] < 20)
    assert not in_well.any()
    again = random_points_in(RING, 2000, np.random.default_rng(3))
    assert np.array_equal(points, again)


def test_the_centre_of_a_ring_is_on_the_ring_not_in_its_well():
    assert RING.outline.covers(Point(RING.centre))


def test_a_walk_across_the_ring_goes_round_the_well():
    walks = Walkways(RING.outline)
    # The straight line from (5, 15) to (30, 5) crosses the well; the walk turns at (10, 10).
    expected = math.dist((5, 15), (10, 10)) + math.dist((10, 10), (30, 5))
    assert walks.length((5, 15), (30, 5)) == pytest.approx(expected)
    assert walks.length((5, 15), (30, 5)) > math.dist((5, 15), (30, 5))
    assert walks.length((5, 5), (25, 5)) == pytest.approx(20.0)  # in sight: the straight line


def test_a_walk_round_an_l_turns_at_its_inner_corner():
    walks = Walkways(L_SHAPE.outline)
    assert walks.length((18, 2.5), (2.5, 18)) == pytest.approx(2 * math.dist((18, 2.5), (5, 5)))


L_RECTS = Zone(id="ell", rects=[{"x_m": 0, "y_m": 0, "width_m": 20, "depth_m": 5},
                                 {"x_m": 0, "y_m": 5, "width_m": 5, "depth_m": 15}])
"""The same L drawn as two rectangles."""


def test_an_l_of_two_rectangles_walks_round_its_corner_as_the_same_l_drawn_as_a_polygon():
    assert L_RECTS.area_m2 == pytest.approx(L_SHAPE.area_m2)
    rects, polygon = _walkways(L_RECTS), _walkways(L_SHAPE)
    assert rects is not None and polygon is not None
    for a, b in [((18, 2.5), (2.5, 18)), ((19, 4), (1, 19)), ((2, 2), (3, 17)), ((10, 1), (19, 4))]:
        assert rects.length(a, b) == pytest.approx(polygon.length(a, b))
    assert rects.length((18, 2.5), (2.5, 18)) > math.dist((18, 2.5), (2.5, 18))  # not through the wall
    # A union of rectangles that is itself a rectangle needs no walkways: the line stays inside.
    halves = Zone(id="halves", rects=[{"x_m": 0, "y_m": 0, "width_m": 5, "depth_m": 5},
                                      {"x_m": 5, "y_m": 0, "width_m": 5, "depth_m": 5}])
    assert _walkways(halves) is None


def test_walks_between_openings_are_cached_both_ways():
    walks = Walkways(RING.outline)
    first = walks.length((0, 15), (30, 15), cache=True)
    assert walks._cache[((30, 15), (0, 15))] == first
    assert first == pytest.approx(2 * math.dist((0, 15), (10, 10)) + 10)


def test_only_zones_a_straight_line_could_leave_get_walkways():
    square = Zone(id="sq", polygon=[[0, 0], [10, 0], [10, 10], [0, 10]])
    rect = Zone(id="r", x_m=0, y_m=0, width_m=10, depth_m=10)
    assert _walkways(square) is None and _walkways(rect) is None
    assert _walkways(RING) is not None and _walkways(L_SHAPE) is not None


def test_an_opening_between_polygons_is_placed_on_their_shared_edge():
    foyer = Zone(id="foyer", polygon=[[30, 0], [40, 0], [40, 30], [30, 30]])
    assert shared_edge_point(RING, foyer) == pytest.approx((30.0, 15.0))


def test_a_ring_shaped_bowl_runs_and_everybody_walks_round_the_well():
    scenario = parse_scenario(ARENA)
    sim = Simulation(scenario, seed=4)
    result = sim.run()
    assert result.evacuated == 400
    bowl = next(z for z in sim.zones if z.id == "bowl")
    door = next(d for d in sim.doors if d.id == "vomitory")
    assert door.position == (30.0, 15.0)
    round_the_well = math.dist((5, 15), (10, 10)) + 10.0 + math.dist((20, 10), (30, 15))  # two corners
    assert bowl.walk_m((5.0, 15.0), door) == pytest.approx(round_the_well)


@pytest.mark.parametrize(("zone", "message"), [
    ("{id: bowl, polygon: [[0, 0], [30, 30], [30, 0], [0, 30]]}", "polygon is not simple"),
    ("{id: bowl, polygon: [[0, 0], [30, 0], [30, 30]], x_m: 0}", "give one of polygon, rects or"),
    ("{id: bowl, x_m: 0, y_m: 0, width_m: 30, depth_m: 30, holes: [[[1, 1], [2, 1], [2, 2]]]}",
     "holes need a polygon"),
    ("{id: bowl, polygon: [[0, 0], [30, 0], [30, 30], [0, 30]], holes: [[[25, 25], [35, 25], [35, 35]]]}",
     "hole 0 is not inside the polygon"),
])
def test_a_bad_polygon_is_a_located_error(zone, message):
    text = ARENA.replace("""    - id: bowl
      kind: hall
      polygon: [[0, 0], [30, 0], [30, 30], [0, 30]]
      holes: [[[10, 10], [20, 10], [20, 20], [10, 20]]]
""", f"    - {zone}\n")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "bowl.yaml")
    first = caught.value.problems[0]
    assert (first.line, first.path) == (4, "venue.zones[0]")
    assert message in first.message
