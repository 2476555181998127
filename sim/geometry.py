"""Plan geometry: where openings are, how far apart things are, where people stand.

Distances are straight lines inside a zone (docs/model.md, zones and openings), or round
its corners where a polygon zone is not convex (`walkways`); on a stair they are stretched to
the slope length, and a stair over several floors adds its flights (`flight_length_m`).
Zones given as rectangles keep to a few lines of arithmetic; polygon zones use shapely, once,
when the venue is built.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.ops import unary_union

from .scenario.venue import Rect, Zone

__all__ = [
    "distance",
    "flight_length_m",
    "line_pieces",
    "near_zone",
    "point_near_zone",
    "polygon_problem",
    "random_points",
    "random_points_in",
    "shared_edge_midpoint",
    "shared_edge_point",
    "slope_factor",
    "zone_outline",
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


def zone_outline(zone: Zone) -> Polygon | MultiPolygon:
    """A zone's plan as a shapely geometry: its polygon less its holes, or its rectangles' union.

    Shared by every zone drawn alike: each protocol and each run builds its own Zone objects
    from the same plan.
    """
    if zone.polygon is not None:
        holes = tuple(tuple(map(tuple, h)) for h in zone.holes or ())
        return _outline(tuple(map(tuple, zone.polygon)), holes, ())
    return _outline((), (), tuple((r.x_m, r.y_m, r.width_m, r.depth_m) for r in zone.shapes))


@functools.lru_cache(maxsize=4096)
def _outline(corners: tuple, holes: tuple, rects: tuple) -> Polygon | MultiPolygon:
    if corners:
        return shapely.make_valid(Polygon(corners, holes))
    return unary_union([shapely.box(x, y, x + w, y + d) for x, y, w, d in rects])


def polygon_problem(corners: Sequence[Sequence[float]],
                    holes: Sequence[Sequence[Sequence[float]]]) -> str | None:
    """Why a polygon (with holes) is not a usable zone plan, or None.

    Its outline must not cross itself, and each hole must lie inside it without touching another.
    """
    outer = Polygon(corners)
    if not outer.is_valid:
        return f"polygon is not simple: {shapely.is_valid_reason(outer)}"
    if outer.area <= 0:
        return "polygon has no area (its corners lie on a line)"
    for i, ring in enumerate(holes):
        hole = Polygon(ring)
        if not hole.is_valid or hole.area <= 0:
            return f"hole {i} is not a simple polygon"
        if not outer.contains(hole):
            return f"hole {i} is not inside the polygon"
    whole = Polygon(corners, holes)
    if not whole.is_valid:
        return f"holes overlap or touch: {shapely.is_valid_reason(whole)}"
    return None


def shared_edge_point(a: Zone, b: Zone) -> tuple[float, float] | None:
    """The middle of the longest stretch of edge two zones share, or None if they share none.

    Rectangle zones keep `shared_edge_midpoint`'s arithmetic (its results are the reference);
    for polygons it is the middle of the longest piece of one's boundary that lies on the other's.
    """
    if a.polygon is None and b.polygon is None:
        return shared_edge_midpoint(a.shapes, b.shapes)
    common = a.outline.boundary.intersection(b.outline.buffer(TOUCH_TOLERANCE_M))
    pieces = [p for p in line_pieces(common) if p.length > TOUCH_TOLERANCE_M * 2]
    if not pieces:
        return None
    longest = max(pieces, key=lambda p: p.length)
    mid = longest.interpolate(0.5, normalized=True)
    return (round(mid.x, 6), round(mid.y, 6))


def line_pieces(geometry) -> list[LineString]:
    """The line pieces of a shapely geometry, merged where they join (empty ones left out)."""
    if geometry.is_empty:
        return []
    lines = [g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, LineString)]
    if not lines:
        return []
    merged = shapely.line_merge(shapely.MultiLineString(lines))
    return [g for g in getattr(merged, "geoms", [merged]) if g.length > 0]


def near_zone(point: tuple[float, float], zone: Zone) -> bool:
    """Whether a point lies in, or within a wall's thickness of, a zone's plan."""
    if zone.polygon is None:
        return point_near_zone(point, zone.shapes)
    return bool(zone.outline.distance(Point(point)) <= NEAR_ZONE_TOLERANCE_M)


def random_points_in(zone: Zone, count: int, rng: np.random.Generator) -> np.ndarray:
    """`count` points uniform over a zone's plan, as an (n, 2) array.

    Rectangles as `random_points` draws them; a polygon by drawing in its bounding box and
    keeping the points inside (in batches, so the draws depend only on the seed).
    """
    if zone.polygon is None:
        return random_points(zone.shapes, count, rng)
    outline = zone.outline
    x0, y0, x1, y1 = outline.bounds
    shapely.prepare(outline)
    kept: list[np.ndarray] = []
    have = 0
    batch = max(16, int(count * (x1 - x0) * (y1 - y0) / outline.area * 1.2) + 8)
    while have < count:
        u = rng.random((batch, 2))
        xs, ys = x0 + u[:, 0] * (x1 - x0), y0 + u[:, 1] * (y1 - y0)
        inside = shapely.contains_xy(outline, xs, ys)
        kept.append(np.column_stack((xs[inside], ys[inside])))
        have += int(inside.sum())
    return np.concatenate(kept)[:count] if kept else np.zeros((0, 2))
