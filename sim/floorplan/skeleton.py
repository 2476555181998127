"""A scenario skeleton from a floor plan: zones, openings where doors lie, exits, a TODO crowd.

A door (a line across a gap in a wall) whose middle lies on the edge two zones share, within
a wall's thickness (`DOOR_SNAP_M`), becomes an opening between them; one on the outer boundary
of its floor (the union of the floor's zones) becomes an exit to outside. Optionally, zones
that touch along an edge with no door on it are joined by an open `opening` as wide as the
edge (an open-plan space drawn as several zones). Each zone gets a population from its area
(`DENSITY_P_M2`), and the values only the planner knows are marked TODO in comments.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import shapely
from shapely.geometry import LineString, Polygon

from ..geometry import TOUCH_TOLERANCE_M
from .plan import FloorPlan, PlanDoor, PlanError, PlanZone

__all__ = ["DENSITY_P_M2", "DOOR_SNAP_M", "skeleton_yaml"]

DOOR_SNAP_M = 0.5
"""A door's middle may lie this far from a zone's edge and still be in its wall."""
DENSITY_P_M2 = 0.5
"""People per m² in the skeleton's population (a placeholder the planner replaces)."""
KINDS = ("room", "hall", "foyer", "corridor", "stair")


def skeleton_yaml(plan: FloorPlan, *, name: str | None = None, open_shared_edges: bool = False) -> str:
    """The commented scenario text for `plan`; PlanError if it has no zones or no exit."""
    source = Path(plan.source).name
    if not plan.zones:
        raise PlanError([f"{plan.source}: no zones found (closed polylines on layer ZONES, or Polygon "
                         "features); see docs/floorplans.md"])
    zones = _unique(plan.zones)
    outlines = {floor: shapely.union_all([z.polygon for z in zones if z.floor == floor])
                for floor in {z.floor for z in zones}}
    openings: list[str] = []
    skipped: list[str] = []
    joined: set[frozenset[str]] = set()
    ids: set[str] = set()
    exits = 0
    for door in plan.doors:
        line = _opening(door, zones, outlines, joined, ids)
        if line is None:
            mid = door.line.interpolate(0.5, normalized=True)
            skipped.append(f"# not imported: the door ({door.where}) at [{mid.x:.2f}, {mid.y:.2f}] lies "
                           "on no zone's edge")
            continue
        exits += "outside]" in line
        openings.append(line)
    if open_shared_edges:
        openings += _open_edges(zones, joined, ids)
    if not exits:
        raise PlanError([f"{plan.source}: no door lies on the outer boundary, so the venue has no exit: "
                         "draw at least one door in an outside wall (see docs/floorplans.md)"])
    title = name or Path(plan.source).stem.replace("_", " ").capitalize()
    out = [
        f"# Scenario skeleton imported from {source} by `ttxsim import-plan`.",
        "# Zones and openings come from the drawing; every value marked TODO is a placeholder",
        "# only the planner can set. Then: `ttxsim validate` and `ttxsim run` this file.",
        "meta:",
        f"  name: {json.dumps(title)}",
        f"  description: {json.dumps(f'Imported from the floor plan {source}.')}",
        "  horizon_s: 3600",
        "  sources:",
        f"    - {json.dumps(f'Floor plan: {source} (imported)')}",
        "venue:",
        "  zones:",
        *(line for zone in zones for line in _zone(zone)),
        "  openings:",
        "    # TODO: each opening's state (open, closed, locked) and kind (door, opening, turnstile, stair)",
        *openings,
        *(f"    {line}" for line in skipped),
        "population:",
        f"  # TODO: counts are {DENSITY_P_M2:g} people per m² of floor; set them from the venue's occupancy.",
        "  occupants:",
        *(f"    - {{zone: {z.id}, count: {max(1, round(z.polygon.area * DENSITY_P_M2))}}}"
          for z in zones if (z.kind or "room") != "stair"),
        "  # TODO: pre-movement times for this venue and its alarm (docs/model.md).",
        "  premovement_s: {dist: lognormal, median: 60, sigma: 0.6}",
        "# TODO: an incident (a threat's route, a fire), the response and protocols: see",
        "# docs/scenario-format.md, or `ttxsim new` for a commented example of each section.",
        "",
    ]
    return "\n".join(out)


def _unique(zones: Iterable[PlanZone]) -> list[PlanZone]:
    """The zones with ids made unique (a drawing may label two rooms alike)."""
    seen: dict[str, int] = defaultdict(int)
    out = []
    for zone in zones:
        seen[zone.id] += 1
        if seen[zone.id] > 1:
            zone = PlanZone(f"{zone.id}_{seen[zone.id]}"[:64], zone.polygon, zone.name, zone.kind, zone.floor,
                            zone.where)
        out.append(zone)
    return out


def _zone(zone: PlanZone) -> list[str]:
    """A zone's YAML: a rectangle as x_m/y_m/width_m/depth_m, anything else as a polygon."""
    fields = [f"id: {zone.id}"]
    if zone.name and zone.name != zone.id:
        fields.append(f"name: {json.dumps(zone.name)}")
    kind = zone.kind if zone.kind in KINDS else "room"
    fields.append(f"kind: {kind}")
    if zone.floor:
        fields.append(f"floor: {zone.floor}")
    area = f"  # {zone.polygon.area:.1f} m², from {zone.where}"
    area += "" if zone.kind in KINDS else "; TODO: kind"
    polygon = zone.polygon
    x0, y0, x1, y1 = (round(v, 3) for v in polygon.bounds)
    if not polygon.interiors and abs(polygon.area - (x1 - x0) * (y1 - y0)) < 1e-6 * max(polygon.area, 1.0) \
            and len(polygon.exterior.coords) == 5:
        fields += [f"x_m: {_n(x0)}", f"y_m: {_n(y0)}", f"width_m: {_n(x1 - x0)}", f"depth_m: {_n(y1 - y0)}"]
        return [f"    - {{{', '.join(fields)}}}{area}"]
    lines = [f"    - {fields[0]}{area}", *(f"      {f}" for f in fields[1:])]
    lines.append(f"      polygon: {_ring(polygon.exterior.coords)}")
    if polygon.interiors:
        lines.append(f"      holes: [{', '.join(_ring(r.coords) for r in polygon.interiors)}]")
    return lines


def _ring(coords) -> str:
    points = list(coords)[:-1]
    return "[" + ", ".join(f"[{_n(x)}, {_n(y)}]" for x, y in points) + "]"


def _n(value: float) -> str:
    """A coordinate to the millimetre, without trailing zeros."""
    return f"{round(value, 3):g}" if abs(value) < 1e5 else f"{round(value, 3)}"


def _opening(door: PlanDoor, zones: list[PlanZone], outlines, joined: set[frozenset[str]],
             ids: set[str]) -> str | None:
    """The YAML line of the opening a door makes, or None if it lies on no zone's edge."""
    mid = door.line.interpolate(0.5, normalized=True)
    near = sorted((z.polygon.boundary.distance(mid), i) for i, z in enumerate(zones)
                  if z.floor == door.floor and z.polygon.boundary.distance(mid) <= DOOR_SNAP_M)
    if not near:
        return None
    width = round(door.line.length, 2)
    at = f"[{_n(round(mid.x, 2))}, {_n(round(mid.y, 2))}]"
    if len(near) >= 2:
        a, b = zones[near[0][1]], zones[near[1][1]]
        joined.add(frozenset((a.id, b.id)))
        opening_id = _new_id(door.id or f"{a.id}_{b.id}", ids)
        note = "  # drawn as an exit, but it joins two zones" if door.kind == "exit" else ""
        return (f"    - {{id: {opening_id}, between: [{a.id}, {b.id}], width_m: {_n(width)}, at_m: {at}}}"
                f"{note}")
    zone = zones[near[0][1]]
    if outlines[door.floor].boundary.distance(mid) > DOOR_SNAP_M:
        return None
    opening_id = _new_id(door.id or f"{zone.id}_exit", ids)
    return f"    - {{id: {opening_id}, between: [{zone.id}, outside], width_m: {_n(width)}, at_m: {at}}}"


def _open_edges(zones: list[PlanZone], joined: set[frozenset[str]], ids: set[str]) -> list[str]:
    """Open openings between zones that share an edge and no door: one open-plan space."""
    lines = []
    for i, a in enumerate(zones):
        for b in zones[i + 1:]:
            if a.floor != b.floor or frozenset((a.id, b.id)) in joined:
                continue
            common = a.polygon.boundary.intersection(b.polygon.buffer(TOUCH_TOLERANCE_M))
            pieces = [g for g in getattr(common, "geoms", [common]) if isinstance(g, LineString)]
            if not pieces:
                continue
            merged = shapely.line_merge(shapely.MultiLineString(pieces))
            longest = max(getattr(merged, "geoms", [merged]), key=lambda g: g.length)
            if longest.length < 1.0 or Polygon(a.polygon).intersection(b.polygon).area > 0.01:
                continue
            mid = longest.interpolate(0.5, normalized=True)
            width = min(round(longest.length - 2 * TOUCH_TOLERANCE_M, 2), 100.0)
            opening_id = _new_id(f"{a.id}_{b.id}", ids)
            lines.append(f"    - {{id: {opening_id}, kind: opening, between: [{a.id}, {b.id}], "
                         f"width_m: {_n(width)}, at_m: [{_n(round(mid.x, 2))}, {_n(round(mid.y, 2))}]}}"
                         "  # shared edge, no wall drawn")
    return lines


def _new_id(wanted: str, ids: set[str]) -> str:
    """`wanted`, or `wanted_2`, `wanted_3`... if taken."""
    candidate, n = wanted[:60], 1
    while candidate in ids:
        n += 1
        candidate = f"{wanted[:60]}_{n}"
    ids.add(candidate)
    return candidate
