"""Floor plans from DXF drawings (ezdxf), by a layer convention.

- Layer `ZONES` (floor 0) or `ZONES_<n>` (floor n, e.g. `ZONES_1`, `ZONES_-1`): each closed
  LWPOLYLINE or POLYLINE is a zone. A TEXT or MTEXT on the same layer inside it gives its id
  (and, as written, its name); without one the zone is named after its entity handle.
- Layer `DOORS` or `DOORS_<n>`: each LINE (or open polyline) is a door drawn across its
  opening, its length the clear width; each INSERT of a block is a door whose leaf runs from
  the insertion point along the block's rotation, as wide as the block's drawing is along x
  (times its x scale). A door on an edge two zones share joins them; a door on the outer
  boundary is an exit.
- Units: the drawing's $INSUNITS (millimetres, centimetres, metres, inches, feet); unset:
  metres. Other layers are ignored.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from typing import Any

from shapely.geometry import LineString, Point, Polygon

from .plan import FloorPlan, PlanDoor, PlanError, PlanZone, clean_id

__all__ = ["DOOR_LAYER", "ZONE_LAYER", "read_dxf"]

ZONE_LAYER = "ZONES"
"""Layer of zone outlines (with `_<floor>` for other floors than 0)."""
DOOR_LAYER = "DOORS"
"""Layer of doors (with `_<floor>`)."""

UNIT_M = {0: 1.0, 1: 0.0254, 2: 0.3048, 4: 0.001, 5: 0.01, 6: 1.0}
"""Metres per drawing unit, by $INSUNITS code (0: unitless, taken as metres)."""


def _layer(name: str) -> tuple[str, int] | None:
    """(ZONES or DOORS, floor) for a layer of the convention, else None."""
    match = re.fullmatch(rf"({ZONE_LAYER}|{DOOR_LAYER})(?:_(-?\d+))?", name.strip().upper())
    return (match[1], int(match[2] or 0)) if match else None


def read_dxf(path: str | os.PathLike) -> FloorPlan:
    """Read zones and doors from the layers of a DXF drawing."""
    import ezdxf  # a second's import: only this command needs it
    from ezdxf import bbox

    try:
        drawing = ezdxf.readfile(str(path))
    except OSError as exc:
        raise PlanError([f"{path}: {exc.strerror or exc}"]) from None
    except ezdxf.DXFError as exc:
        raise PlanError([f"{path}: not a readable DXF file ({exc})"]) from None
    unit = UNIT_M.get(drawing.header.get("$INSUNITS", 0))
    if unit is None:
        raise PlanError([f"{path}: drawing units $INSUNITS={drawing.header.get('$INSUNITS')} are not "
                         "supported; use millimetres, centimetres, metres, inches or feet"])
    plan = FloorPlan(source=str(path))
    labels: list[tuple[int, Point, str]] = []
    outlines: list[tuple[int, Polygon, str]] = []
    problems: list[str] = []
    entities: Iterable[Any] = drawing.modelspace()  # typed as the base class: fields vary by kind
    for entity in entities:
        layer = _layer(entity.dxf.layer)
        if layer is None:
            continue
        kind, floor = layer
        where = f"entity {entity.dxf.handle} on layer {entity.dxf.layer}"
        dxftype = entity.dxftype()
        if kind == ZONE_LAYER and dxftype in ("LWPOLYLINE", "POLYLINE"):
            points = [(x * unit, y * unit) for x, y in entity.get_points("xy")] if dxftype == "LWPOLYLINE" \
                else [(v.dxf.location.x * unit, v.dxf.location.y * unit) for v in entity.vertices]
            if not entity.is_closed and not (len(points) > 3 and points[0] == points[-1]):
                problems.append(f"{path}: {where}: a zone's polyline must be closed")
                continue
            polygon = Polygon(points)
            if not polygon.is_valid or polygon.area <= 0:
                problems.append(f"{path}: {where}: a zone's polyline must not cross itself")
                continue
            outlines.append((floor, polygon, where))
        elif kind == ZONE_LAYER and dxftype in ("TEXT", "MTEXT"):
            text = entity.plain_text() if dxftype == "MTEXT" else entity.dxf.text
            at = entity.dxf.insert
            labels.append((floor, Point(at.x * unit, at.y * unit), text.strip()))
        elif kind == DOOR_LAYER and dxftype == "LINE":
            start, end = entity.dxf.start, entity.dxf.end
            line = LineString([(start.x * unit, start.y * unit), (end.x * unit, end.y * unit)])
            plan.doors.append(PlanDoor(line, floor=floor, where=where))
        elif kind == DOOR_LAYER and dxftype == "LWPOLYLINE" and not entity.is_closed:
            points = [(x * unit, y * unit) for x, y in entity.get_points("xy")]
            plan.doors.append(PlanDoor(LineString([points[0], points[-1]]), floor=floor, where=where))
        elif kind == DOOR_LAYER and dxftype == "INSERT":
            box = bbox.extents(drawing.blocks[entity.dxf.name])
            width = (box.size.x if box.has_data else 0.0) * abs(entity.dxf.xscale) * unit
            if width <= 0:
                problems.append(f"{path}: {where}: door block {entity.dxf.name!r} has no width")
                continue
            angle = math.radians(entity.dxf.rotation)
            x, y = entity.dxf.insert.x * unit, entity.dxf.insert.y * unit
            line = LineString([(x, y), (x + width * math.cos(angle), y + width * math.sin(angle))])
            plan.doors.append(PlanDoor(line, floor=floor, where=where))
    if problems:
        raise PlanError(problems)
    for floor, polygon, where in outlines:
        inside = [text for f, point, text in labels if f == floor and polygon.contains(point)]
        handle = where.split()[1]
        label = inside[0] if inside else None
        zone_id = clean_id(label, f"zone_{handle.lower()}") if label else f"zone_{handle.lower()}"
        plan.zones.append(PlanZone(zone_id, polygon, label, None, floor, where))
    return plan
