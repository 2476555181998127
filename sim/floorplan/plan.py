"""A floor plan as the importers read it: zone polygons and door lines on floors, in metres.

The readers (`dxf`, `geojson`) know their file formats and nothing of scenarios; the
skeleton (`skeleton`) knows scenarios and nothing of file formats. What they share is here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from shapely.geometry import LineString, Polygon

__all__ = ["FloorPlan", "PlanDoor", "PlanError", "PlanZone", "clean_id", "read_plan"]


class PlanError(ValueError):
    """A floor plan that cannot be read; each message names the file and where in it."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class PlanZone:
    """A zone as drawn: its outline (holes allowed), its id and what the drawing says of it."""

    id: str
    polygon: Polygon
    name: str | None = None
    kind: str | None = None
    floor: int = 0
    where: str = ""
    """Where in the file it was drawn, for messages ("feature 3", "entity 1F on ZONES")."""


@dataclass(frozen=True)
class PlanDoor:
    """A door as drawn: a line across the gap in the wall (its length is the clear width)."""

    line: LineString
    id: str | None = None
    kind: str | None = None
    """`door` or `exit` if the drawing says; exits are told by where they are all the same."""
    floor: int = 0
    where: str = ""


@dataclass
class FloorPlan:
    """Everything read from one drawing."""

    source: str
    zones: list[PlanZone] = field(default_factory=list)
    doors: list[PlanDoor] = field(default_factory=list)


def read_plan(path: str | os.PathLike) -> FloorPlan:
    """Read a floor plan by its file's extension: .dxf, .geojson/.json, or .wkt."""
    suffix = Path(path).suffix.lower()
    if suffix == ".dxf":
        from .dxf import read_dxf

        return read_dxf(path)
    if suffix in (".geojson", ".json"):
        from .geojson import read_geojson

        return read_geojson(path)
    if suffix == ".wkt":
        from .geojson import read_wkt

        return read_wkt(path)
    raise PlanError([f"{path}: unknown kind of floor plan {suffix or '(no extension)'!r}; "
                     "expected .dxf, .geojson, .json or .wkt"])


def clean_id(text: str, fallback: str) -> str:
    """A scenario id from a drawing's label: letters, digits and _ . -, starting with a letter."""
    cleaned = re.sub(r"[^A-Za-z0-9_.\-]+", "_", text.strip()).strip("_").lower()[:64]
    if not cleaned:
        return fallback
    return cleaned if cleaned[0].isalpha() else f"z_{cleaned}"[:64]
