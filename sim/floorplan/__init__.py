"""Floor plans in, scenario skeletons out: import a drawn plan (DXF, GeoJSON, WKT) or start afresh.

A planner's venue usually exists as a drawing. `read_plan` reads one into a `FloorPlan`
(zone polygons and door lines, in metres); `skeleton_yaml` turns it into a commented scenario
that validates and runs, with the values only the planner knows marked TODO (docs/floorplans.md).
`starter_yaml` writes a small commented scenario to start from when there is no drawing.

The names are looked up on first use: `ttxsim --help` imports the commands module of this
package, and shapely (0.2 s) need not come with it.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["FloorPlan", "PlanDoor", "PlanError", "PlanZone", "read_plan", "skeleton_yaml", "starter_yaml"]

_HOMES = {"FloorPlan": "plan", "PlanDoor": "plan", "PlanError": "plan", "PlanZone": "plan",
          "read_plan": "plan", "skeleton_yaml": "skeleton", "starter_yaml": "starter"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{home}", __name__), name)
