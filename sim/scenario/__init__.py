"""The scenario file format: pydantic models, one per section, and the YAML loader."""

from .distributions import Distribution
from .errors import Problem, ScenarioError
from .loader import SourceDocument, load_scenario, parse_scenario, read_document
from .meta import Meta
from .population import Occupancy, Population
from .response import Response
from .scenario import BASELINE, Scenario
from .venue import OUTSIDE, Opening, Rect, Venue, Zone

__all__ = [
    "BASELINE",
    "OUTSIDE",
    "Distribution",
    "Meta",
    "Occupancy",
    "Opening",
    "Population",
    "Problem",
    "Rect",
    "Response",
    "Scenario",
    "ScenarioError",
    "SourceDocument",
    "Venue",
    "Zone",
    "load_scenario",
    "parse_scenario",
    "read_document",
]
