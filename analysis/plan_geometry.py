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

from ttxsim.sim.geometry import shared_edge_midpoint
from ttxsim.sim.scenario.venue import OUTSIDE, Opening, Venue, Zone, opening_floor

__all__ = ["PlacedOpening", "Point", "floor_bounds", "floors_of", "label_box", "label_point",
           "place_openings", "zone_outlines"]

Point = tuple[float, float]
"""A position on the plan, metres (x east, y north: the plan's up is drawn as north)."""


def zone_outlines(zone: Zone) -> list[list[Point]]:
    """The zone's plan as closed rings of points (metres), one per shape, counter-clockwise."""
    return [[(r.x_m, r.y_m), (r.x_m + r.width_m, r.y_m), (r.x_m + r.width_m, r.y_m + r.depth_m),
             (r.x_m, r.y_m + r.depth_m)] for r in zone.shapes]


def _ring_area(ring: Sequence[Point]) -> float:
    edges = zip(ring, [*ring[1:], ring[0]], strict=True)
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in edges)) / 2


def label_point(zone: Zone) -> Point:
    """Where the zone's label goes: the middle of its largest shape's bounding box."""
    ring = max(zone_outlines(zone), key=_ring_area)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)


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
            at = shared_edge_midpoint(sides[0].shapes, sides[1].shapes)
        if at is None:  # an exit without `at_m`: the middle of its zone's largest shape, as a fallback
            at = label_point(sides[0])
        along, inward = _nearest_edge(at, sides)
        floor = opening_floor(spec, zones)
        placed.append(PlacedOpening(spec=spec, floor=sides[0].floor if floor is None else floor, at=at,
                                    along=along, outward=(-inward[0], -inward[1]) if OUTSIDE in spec.between
                                    else None))
    return placed
