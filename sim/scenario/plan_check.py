"""Checks of the venue's geometry: exits on the outer wall, doors that fit their wall, no overlaps.

The schema takes each zone and opening alone; these look at them together on the plan. A zone
that overlaps another is reported with the overlap's area; an opening to outside must lie on
the venue's outer boundary (the union of the zones on its floor); an opening must be no wider
than the straight run of wall it sits in. Each problem comes back as (path, message).
"""

from __future__ import annotations

import math
from collections import defaultdict

import shapely
from shapely.geometry import LineString, Point

from ..geometry import NEAR_ZONE_TOLERANCE_M, TOUCH_TOLERANCE_M, line_pieces, shared_edge_point
from .merge import Path
from .venue import OUTSIDE, Opening, Venue, Zone, opening_floor

__all__ = ["check_plan", "overlap_m2"]

CORNER_DEG = 45.0
"""A wall turns a corner where its direction changes by more than this; a curved wall drawn
as many short segments stays one wall."""


def check_plan(venue: Venue, zones: dict[str, Zone]) -> list[tuple[Path, str]]:
    """Every geometry problem of a venue whose zone ids are known (`zones`, by id).

    Remembered by the plan's fields: the loader checks every protocol and posture level, and
    most leave the plan as it was.
    """
    key = _plan_fields(venue)
    found = _checked.get(key)
    if found is None:
        found = _checked[key] = _check_plan(venue, zones)
        if len(_checked) > 256:
            _checked.pop(next(iter(_checked)))
    return list(found)


_checked: dict[tuple, list[tuple[Path, str]]] = {}


def _plan_fields(venue: Venue) -> tuple:
    """Everything about a venue the plan checks read (zones are unique by id when they run)."""
    zones = tuple((z.id, z.kind, z.floor, z.top_floor, str(z.polygon), str(z.holes),
                   tuple((r.x_m, r.y_m, r.width_m, r.depth_m) for r in z.shapes)) for z in venue.zones)
    openings = tuple((o.id, o.between, o.width_m, o.at_m, o.floor) for o in venue.openings)
    return zones, openings


def _check_plan(venue: Venue, zones: dict[str, Zone]) -> list[tuple[Path, str]]:
    problems = _check_overlaps(venue)
    floors = _floor_plans(zones)
    for i, opening in enumerate(venue.openings):
        a, b = opening.between
        if a == b or any(z != OUTSIDE and z not in zones for z in (a, b)):
            continue  # reported by the reference checks
        problems.extend(_check_opening(opening, ("venue", "openings", i), zones, floors))
    return problems


def overlap_m2(a: Zone, b: Zone) -> float:
    """Area two zones' plans share, m²; 0 for a sliver thinner than the drawing tolerance."""
    if not _bounds_meet(a.outline.bounds, b.outline.bounds):
        return 0.0
    common = a.outline.intersection(b.outline)
    if common.is_empty or common.buffer(-TOUCH_TOLERANCE_M / 2).is_empty:
        return 0.0
    return float(common.area)


def _bounds_meet(p: tuple[float, ...], q: tuple[float, ...]) -> bool:
    return p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]


def _check_overlaps(venue: Venue) -> list[tuple[Path, str]]:
    """Zones on one floor that overlap; a stair only against zones of its foot's floor."""
    problems: list[tuple[Path, str]] = []
    seen: dict[int, list[tuple[int, Zone]]] = defaultdict(list)
    for i, zone in enumerate(venue.zones):
        if zone.is_safe or zone.id == OUTSIDE:
            continue
        if zone.rects is not None and len(zone.rects) > 1:
            twice = zone.plan_area_m2 - float(zone.outline.area)
            if twice > TOUCH_TOLERANCE_M:
                problems.append((("venue", "zones", i, "rects"),
                                 f"the rectangles of zone '{zone.id}' overlap by {twice:.1f} m²: its area "
                                 "would count that twice"))
        for _, other in seen[zone.floor]:
            if zone.id == other.id:
                continue
            area = overlap_m2(zone, other)
            if area > 0:
                problems.append((("venue", "zones", i, _plan_key(zone)),
                                 f"zone '{zone.id}' overlaps zone '{other.id}' by {area:.1f} m²: "
                                 "zones on one floor must not overlap (they may share an edge)"))
        seen[zone.floor].append((i, zone))
    return problems


def _plan_key(zone: Zone) -> str:
    """The field that draws a zone's plan, for pointing at it."""
    return "polygon" if zone.polygon is not None else "rects" if zone.rects is not None else "x_m"


def _floor_plans(zones: dict[str, Zone]):
    """Per floor, the union of the (not outside) zones on it: the venue's outline there."""
    by_floor: dict[int, list] = defaultdict(list)
    for zone in zones.values():
        if not zone.is_safe:
            for floor in zone.floors:
                by_floor[floor].append(zone.outline)
    return {floor: shapely.union_all(parts) for floor, parts in by_floor.items()}


def _check_opening(opening: Opening, at: Path, zones: dict[str, Zone], floors) -> list[tuple[Path, str]]:
    inside = [zones[z] for z in opening.between if z != OUTSIDE]
    leads_out = len(inside) < 2 or any(z.is_safe for z in inside)
    building = [z for z in inside if not z.is_safe]
    if not building or (opening.floor is not None and any(opening.floor not in z.floors for z in inside)):
        return []  # nothing to check, or on a floor its zones do not reach (reported as such)
    if leads_out:
        return _check_exit(opening, at, building[0], zones, floors)
    a, b = building
    point = opening.at_m or shared_edge_point(a, b)
    if point is None:
        area = overlap_m2(a, b)
        if area > 0 and opening.at_m is None:
            return [((*at, "between"), f"zones '{a.id}' and '{b.id}' overlap (by {area:.1f} m²) "
                                       "instead of sharing an edge: fix their plans, or give at_m")]
        return []
    wall = _wall_between(a, b, point)
    return _check_width(opening, at, wall, f"the wall '{a.id}' and '{b.id}' share")


def _check_exit(opening: Opening, at: Path, zone: Zone, zones: dict[str, Zone], floors):
    """An opening to safety sits on the outer boundary of its floor, in a wall wide enough."""
    if opening.at_m is None:
        return []  # the reference checks ask for a position
    floor = opening_floor(opening, zones)
    outline = floors.get(floor if floor is not None else zone.floor)
    if outline is None:
        return []
    point = Point(opening.at_m)
    off = outline.boundary.distance(point)
    if off > NEAR_ZONE_TOLERANCE_M:
        where = f"floor {floor}" if floor is not None else f"'{zone.id}'"
        return [((*at, "at_m"), f"position {list(opening.at_m)} is {off:.1f} m inside the venue, "
                                f"not on its outer boundary ({where}): an opening to outside "
                                "must be in an outside wall")]
    outer = zone.outline.boundary.intersection(outline.boundary.buffer(TOUCH_TOLERANCE_M))
    wall = _wall_at(outer, opening.at_m)
    return _check_width(opening, at, wall, f"the outside wall of '{zone.id}'")


def _check_width(opening: Opening, at: Path, wall: float | None, which: str) -> list[tuple[Path, str]]:
    if wall is None or opening.width_m <= wall + 2 * TOUCH_TOLERANCE_M:
        return []
    return [((*at, "width_m"), f"{opening.width_m:g} m is wider than {which} where it sits "
                               f"({wall:.1f} m)")]


def _wall_between(a: Zone, b: Zone, point) -> float | None:
    """Length of the straight run of wall two zones share at `point`.

    Through a wall's thickness if they do not quite touch.
    """
    for tolerance in (TOUCH_TOLERANCE_M, NEAR_ZONE_TOLERANCE_M):
        common = a.outline.boundary.intersection(b.outline.buffer(tolerance))
        wall = _wall_at(common, point)
        if wall is not None:
            return wall
    return None


def _wall_at(lines, point) -> float | None:
    """Length of the straight run (`CORNER_DEG`) of `lines` nearest `point`.

    None if none is within a wall's thickness of it.
    """
    runs = [run for line in line_pieces(lines) for run in _runs(line)]
    if not runs:
        return None
    where = Point(point)
    nearest = min(runs, key=lambda r: r.distance(where))
    return float(nearest.length) if nearest.distance(where) <= NEAR_ZONE_TOLERANCE_M else None


def _runs(line: LineString) -> list[LineString]:
    """The line split at its corners."""
    coords = list(line.coords)
    runs, start = [], 0
    for k in range(1, len(coords) - 1):
        if _turn_deg(coords[k - 1], coords[k], coords[k + 1]) > CORNER_DEG:
            runs.append(LineString(coords[start:k + 1]))
            start = k
    runs.append(LineString(coords[start:]))
    return [r for r in runs if r.length > 0]


def _turn_deg(p, q, r) -> float:
    a1 = math.atan2(q[1] - p[1], q[0] - p[0])
    a2 = math.atan2(r[1] - q[1], r[0] - q[0])
    turn = abs(math.degrees(a2 - a1)) % 360
    return min(turn, 360 - turn)
