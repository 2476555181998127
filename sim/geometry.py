"""Plan geometry: where openings are, how far apart things are, where people stand.

Distances are straight lines inside a zone (docs/model.md, zones and openings); on a stair
they are stretched to the slope length, and a stair over several floors adds its flights
(`flight_length_m`). Zones are unions of axis-aligned rectangles, so everything here is a
few lines of arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .scenario.venue import Rect

__all__ = [
    "distance", "flight_length_m", "point_near_zone", "random_points", "shared_edge_midpoint", "slope_factor",
]

TOUCH_TOLERANCE_M = 0.05
"""Two edges closer than this count as shared (plans are drawn to a few centimetres)."""

NEAR_ZONE_TOLERANCE_M = 1.0
"""An opening's `at_m` may lie this far outside a zone's rectangles (wall thickness)."""


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Euclidean distance on the plan."""
    return math.hypot(a[0] - b[0], a[1] - b[1])


def slope_factor(riser_mm: float, tread_mm: float) -> float:
    """Length along a stair's slope per metre of plan distance."""
    return math.hypot(1.0, riser_mm / tread_mm)


def flight_length_m(riser_mm: float, tread_mm: float, storey_m: float) -> float:
    """Length along the slope of the flights that climb one storey at this riser and tread.

    The storey's rise over the stair's pitch: storey_m × √(r² + g²) / r, the same slope
    length `slope_factor` gives for the flight's plan run storey_m × g / r.
    """
    return storey_m * math.hypot(riser_mm, tread_mm) / riser_mm


def shared_edge_midpoint(a: Sequence[Rect], b: Sequence[Rect]) -> tuple[float, float] | None:
    """The middle of the longest edge the two zones share, or None if they share none."""
    best: tuple[float, tuple[float, float]] | None = None
    for ra in a:
        for rb in b:
            for length, mid in _touching(ra, rb):
                if best is None or length > best[0]:
                    best = (length, mid)
    return None if best is None else best[1]


def _touching(ra: Rect, rb: Rect):
    ax0, ax1, ay0, ay1 = ra.x_m, ra.x_m + ra.width_m, ra.y_m, ra.y_m + ra.depth_m
    bx0, bx1, by0, by1 = rb.x_m, rb.x_m + rb.width_m, rb.y_m, rb.y_m + rb.depth_m
    for ea, eb in ((ax1, bx0), (ax0, bx1)):  # vertical edges
        if abs(ea - eb) <= TOUCH_TOLERANCE_M:
            lo, hi = max(ay0, by0), min(ay1, by1)
            if hi - lo > TOUCH_TOLERANCE_M:
                yield hi - lo, ((ea + eb) / 2, (lo + hi) / 2)
    for ea, eb in ((ay1, by0), (ay0, by1)):  # horizontal edges
        if abs(ea - eb) <= TOUCH_TOLERANCE_M:
            lo, hi = max(ax0, bx0), min(ax1, bx1)
            if hi - lo > TOUCH_TOLERANCE_M:
                yield hi - lo, ((lo + hi) / 2, (ea + eb) / 2)


def point_near_zone(point: tuple[float, float], rects: Sequence[Rect]) -> bool:
    """Whether a point lies in, or within a wall's thickness of, one of the rectangles."""
    x, y = point
    for r in rects:
        dx = max(r.x_m - x, 0.0, x - (r.x_m + r.width_m))
        dy = max(r.y_m - y, 0.0, y - (r.y_m + r.depth_m))
        if math.hypot(dx, dy) <= NEAR_ZONE_TOLERANCE_M:
            return True
    return False


def random_points(rects: Sequence[Rect], count: int, rng: np.random.Generator) -> np.ndarray:
    """`count` points uniform over the union of the rectangles (by area), as an (n, 2) array."""
    areas = np.array([r.area_m2 for r in rects])
    which = rng.choice(len(rects), size=count, p=areas / areas.sum()) if len(rects) > 1 else (
        np.zeros(count, dtype=int)
    )
    u = rng.random((count, 2))
    x0 = np.array([r.x_m for r in rects])[which]
    y0 = np.array([r.y_m for r in rects])[which]
    w = np.array([r.width_m for r in rects])[which]
    d = np.array([r.depth_m for r in rects])[which]
    return np.column_stack((x0 + u[:, 0] * w, y0 + u[:, 1] * d))
