"""The scenario file format: pydantic models, one per section, and the YAML loader."""

from .distributions import Distribution
from .errors import Problem, ScenarioError, quote
from .incident import Fire, Incident, Smoke, Threat
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
    "Fire",
    "Incident",
    "Meta",
    "Occupancy",
    "Opening",
    "Population",
    "Problem",
    "Rect",
    "Response",
    "Scenario",
    "ScenarioError",
    "Smoke",
    "SourceDocument",
    "Threat",
    "Venue",
    "Zone",
    "load_scenario",
    "parse_scenario",
    "quote",
    "read_document",
]
