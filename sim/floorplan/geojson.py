"""Floor plans as GeoJSON or WKT: the form JuPedSim and GIS tools exchange geometry in.

GeoJSON: a FeatureCollection. Each Polygon (or MultiPolygon of one part) feature is a zone;
its properties may give `id`, `name`, `kind` (room, hall, foyer, corridor, stair) and
`floor`. Each LineString feature is a door, drawn across its opening (its length is the
clear width); its properties may give `id`, `kind` (`door` or `exit`) and `floor`.
Coordinates are metres on the plan (a projected system, not longitude and latitude).

WKT: one geometry per line, `ID = WKT`: `POLYGON ((...))` lines are zones, `LINESTRING (...)`
lines are doors; blank lines and lines starting with `#` are skipped.
"""

from __future__ import annotations

import os
from typing import Any

import shapely
from shapely.geometry import LineString, Polygon, shape

from ..scenario.errors import ScenarioError
from ..scenario.loader import read_document
from .plan import FloorPlan, PlanDoor, PlanError, PlanZone, clean_id

__all__ = ["read_geojson", "read_wkt"]


def read_geojson(path: str | os.PathLike) -> FloorPlan:
    """Read a GeoJSON FeatureCollection of zone polygons and door lines."""
    try:  # JSON is YAML: the scenario reader gives each value its line for the messages
        doc = read_document(path, expected="a GeoJSON FeatureCollection",
                            empty="the file is empty; expected a GeoJSON FeatureCollection")
    except ScenarioError as exc:
        raise PlanError([str(p) for p in exc.problems]) from None
    data = doc.data
    if data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise PlanError([str(doc.problem(("type",), "expected a GeoJSON FeatureCollection with features"))])
    plan = FloorPlan(source=str(path))
    problems: list[str] = []
    for i, feature in enumerate(data["features"]):
        at = ("features", i)
        try:
            _add_feature(plan, feature, i)
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            problems.append(str(doc.problem((*at, "geometry"), str(exc) or type(exc).__name__)))
    if problems:
        raise PlanError(problems)
    return plan


def _add_feature(plan: FloorPlan, feature: Any, i: int) -> None:
    if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
        raise ValueError("a feature needs a geometry")
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise ValueError("properties must be a mapping")
    geometry = shape(feature["geometry"])
    label = props.get("id", feature.get("id"))
    floor = int(props.get("floor", 0))
    where = f"feature {i}"
    if geometry.geom_type == "MultiPolygon" and len(geometry.geoms) == 1:
        geometry = geometry.geoms[0]
    if isinstance(geometry, Polygon):
        zone_id = clean_id(str(label), f"zone_{i}") if label is not None else f"zone_{i}"
        zone = PlanZone(zone_id, _valid(geometry), props.get("name"), props.get("kind"), floor, where)
        plan.zones.append(zone)
    elif isinstance(geometry, LineString):
        door_id = clean_id(str(label), f"door_{i}") if label is not None else None
        plan.doors.append(PlanDoor(geometry, door_id, props.get("kind"), floor, where))
    else:
        raise ValueError(f"a {geometry.geom_type} is neither a zone (Polygon) nor a door (LineString)")


def read_wkt(path: str | os.PathLike) -> FloorPlan:
    """Read `ID = WKT` lines: polygons are zones, line strings doors."""
    plan = FloorPlan(source=str(path))
    problems: list[str] = []
    try:
        lines = open(path, encoding="utf-8").read().splitlines()  # noqa: SIM115 (read at once)
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError([f"{path}:1:1: {getattr(exc, 'strerror', None) or exc}"]) from None
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        label, sep, wkt = text.partition("=")
        try:
            if not sep:
                raise ValueError("expected ID = WKT")
            geometry = shapely.from_wkt(wkt.strip())
            where = f"line {number}"
            if isinstance(geometry, Polygon):
                plan.zones.append(PlanZone(clean_id(label, f"zone_{number}"), _valid(geometry), label.strip(),
                                           where=where))
            elif isinstance(geometry, LineString):
                plan.doors.append(PlanDoor(geometry, clean_id(label, f"door_{number}"), where=where))
            else:
                raise ValueError(f"a {geometry.geom_type} is neither a zone (POLYGON) nor a door "
                                 "(LINESTRING)")
        except (ValueError, shapely.errors.ShapelyError) as exc:
            problems.append(f"{path}:{number}:1: {str(exc).splitlines()[0]}")
    if problems:
        raise PlanError(problems)
    return plan


def _valid(polygon: Polygon) -> Polygon:
    """The polygon if it is a usable zone outline; else a ValueError saying why."""
    if not polygon.is_valid:
        raise ValueError(f"the zone's polygon is not simple: {shapely.is_valid_reason(polygon)}")
    if polygon.is_empty or polygon.area <= 0:
        raise ValueError("the zone's polygon has no area")
    return polygon
