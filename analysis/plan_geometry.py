"""Where things are on a venue's plan, for drawing it: outlines, floors, openings on their walls.

The model places an opening at its `at_m`, else at the middle of the edge its two zones
share (`ttxsim.sim.geometry`); a drawing also needs the wall it sits in, to draw its width
along it, and which way is out, to point an exit outwards. Zones are read through
`zone_outlines` only, so a venue drawn from polygons instead of rectangles changes one function.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.path import Path
from shapely.geometry.polygon import orient

from ttxsim.sim.geometry import shared_edge_point
from ttxsim.sim.scenario.venue import OUTSIDE, Opening, Venue, Zone, opening_floor

__all__ = [
    "PlacedOpening",
    "Point",
    "floor_bounds",
    "floors_of",
    "inside_zone",
    "label_box",
    "label_point",
    "place_openings",
    "zone_outlines",
    "zone_path",
]

Point = tuple[float, float]
"""A position on the plan, metres (x east, y north: the plan's up is drawn as north)."""


def zone_outlines(zone: Zone) -> list[list[Point]]:
    """The zone's plan as closed rings of points (metres): outer rings counter-clockwise, holes clockwise.

    Drawn together as one path (`zone_path`), so a hole (the arena inside a ring of seating)
    stays empty. Rectangle zones give one ring per rectangle; a polygon zone its outline and
    holes, as the model reads them (`Zone.outline`).
    """
    if zone.polygon is None:
        return [[(r.x_m, r.y_m), (r.x_m + r.width_m, r.y_m), (r.x_m + r.width_m, r.y_m + r.depth_m),
                 (r.x_m, r.y_m + r.depth_m)] for r in zone.shapes]
    rings: list[list[Point]] = []
    for part in getattr(zone.outline, "geoms", [zone.outline]):
        part = orient(part, 1.0)  # outer rings counter-clockwise, holes clockwise
        rings.append([(float(x), float(y)) for x, y in part.exterior.coords[:-1]])
        rings += [[(float(x), float(y)) for x, y in hole.coords[:-1]] for hole in part.interiors]
    return rings


def _ring_area(ring: Sequence[Point]) -> float:
    edges = zip(ring, [*ring[1:], ring[0]], strict=True)
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in edges)) / 2


def zone_path(zone: Zone) -> Path:
    """All the zone's rings as one matplotlib path (holes stay holes when it is filled)."""
    vertices: list[Point] = []
    codes: list[int] = []
    for ring in zone_outlines(zone):
        vertices += [*ring, ring[0]]
        codes += [Path.MOVETO] + [Path.LINETO] * (len(ring) - 1) + [Path.CLOSEPOLY]
    return Path(vertices, codes)


def label_point(zone: Zone) -> Point:
    """Where the zone's label goes: inside the zone, as central as it can be.

    The middle of its largest ring's bounding box if that is in the zone, else the point of
    the zone farthest from its edges on a 24 × 24 grid (a ring of seating has its middle in
    the hole).
    """
    ring = max(zone_outlines(zone), key=_ring_area)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    middle = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    edges = [(a, b) for r in zone_outlines(zone) for a, b in zip(r, [*r[1:], r[0]], strict=True)]
    if inside_zone(middle, edges):
        return middle
    grid = [(min(xs) + (max(xs) - min(xs)) * (i + 0.5) / 24, min(ys) + (max(ys) - min(ys)) * (j + 0.5) / 24)
            for i in range(24) for j in range(24)]
    inside = [p for p in grid if inside_zone(p, edges)] or [middle]
    return max(inside, key=lambda p: min(_to_segment(p, a, b) for a, b in edges))


def inside_zone(p: Point, edges: Sequence[tuple[Point, Point]]) -> bool:
    """Whether `p` is inside the rings whose edges these are, holes excluded (even-odd rule).

    matplotlib's `Path.contains_point` counts a point in a hole as inside its outer ring.
    """
    x, y = p
    crossings = 0
    for (x0, y0), (x1, y1) in edges:
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            crossings += 1
    return crossings % 2 == 1


def _to_segment(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    s = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.hypot(p[0] - a[0] - s * dx, p[1] - a[1] - s * dy)


def label_box(zone: Zone) -> tuple[float, float]:
    """Width and height (metres) of the zone's largest shape's bounding box: the room for its label."""
    ring = max(zone_outlines(zone), key=_ring_area)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return (max(xs) - min(xs), max(ys) - min(ys))


def floors_of(zone: Zone) -> range:
    """The floors a zone is drawn on: its own; a stair's every floor from foot to head."""
    return zone.floors


def floor_bounds(venue: Venue, floor: int) -> tuple[float, float, float, float]:
    """The bounding box (x0, y0, x1, y1) of every zone drawn on `floor`, metres."""
    points = [p for z in venue.zones if floor in floors_of(z) for ring in zone_outlines(z) for p in ring]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True)
class PlacedOpening:
    """An opening as drawn: where, along which wall, and which way is out of the venue."""

    spec: Opening
    floor: int
    at: Point
    along: Point
    """Unit vector along the wall it sits in."""
    outward: Point | None
    """Unit vector from the venue to outside, for an exit; None between two zones."""

    @property
    def is_exit(self) -> bool:
        """It leads outside."""
        return OUTSIDE in self.spec.between

    def ends(self) -> tuple[Point, Point]:
        """The two ends of its clear width along the wall."""
        half = self.spec.width_m / 2
        (x, y), (ux, uy) = self.at, self.along
        return (x - ux * half, y - uy * half), (x + ux * half, y + uy * half)


def _nearest_edge(point: Point, zones: Sequence[Zone]) -> tuple[Point, Point]:
    """The wall nearest `point` among the zones' outlines: (direction along it, inward normal)."""
    best: tuple[float, Point, Point] | None = None
    for zone in zones:
        for ring in zone_outlines(zone):
            for a, b in zip(ring, [*ring[1:], ring[0]], strict=True):
                dx, dy = b[0] - a[0], b[1] - a[1]
                length = math.hypot(dx, dy)
                if length == 0:
                    continue
                ux, uy = dx / length, dy / length
                s = max(0.0, min(length, (point[0] - a[0]) * ux + (point[1] - a[1]) * uy))
                gap = math.hypot(point[0] - a[0] - ux * s, point[1] - a[1] - uy * s)
                if best is None or gap < best[0]:
                    best = (gap, (ux, uy), (-uy, ux))  # rings run counter-clockwise: left is inside
    if best is None:
        return (1.0, 0.0), (0.0, 1.0)
    return best[1], best[2]


def place_openings(venue: Venue) -> list[PlacedOpening]:
    """Every opening of the venue with its place on the plan (as the model places it)."""
    zones = {z.id: z for z in venue.zones}
    placed = []
    for spec in venue.openings:
        sides = [zones[z] for z in spec.between if z in zones]
        at = spec.at_m
        if at is None and len(sides) == 2:
            at = shared_edge_point(sides[0], sides[1])
        if at is None:  # an exit without `at_m`: the middle of its zone's largest shape, as a fallback
            at = label_point(sides[0])
        along, inward = _nearest_edge(at, sides)
        floor = opening_floor(spec, zones)
        placed.append(PlacedOpening(spec=spec, floor=sides[0].floor if floor is None else floor, at=at,
                                    along=along, outward=(-inward[0], -inward[1]) if OUTSIDE in spec.between
                                    else None))
    return placed
