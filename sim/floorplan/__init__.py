"""Floor plans in, scenario skeletons out: import a drawn plan (DXF, GeoJSON, WKT) or start afresh.

A planner's venue usually exists as a drawing. `read_plan` reads one into a `FloorPlan`
(zone polygons and door lines, in metres); `skeleton_yaml` turns it into a commented scenario
that validates and runs, with the values only the planner knows marked TODO (docs/floorplans.md).
`starter_yaml` writes a small commented scenario to start from when there is no drawing.
"""

from .plan import FloorPlan, PlanDoor, PlanError, PlanZone, read_plan
from .skeleton import skeleton_yaml
from .starter import starter_yaml

__all__ = ["FloorPlan", "PlanDoor", "PlanError", "PlanZone", "read_plan", "skeleton_yaml", "starter_yaml"]
