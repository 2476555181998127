"""The exercise's design: what the tabletop sets out to test (HSEEP), for evaluation and the AAR/IP.

HSEEP (Homeland Security Exercise and Evaluation Program, FEMA 2020) builds every exercise on a
few objectives, each tied to core capabilities (the National Preparedness Goal's list:
"Intelligence and Information Sharing", "Operational Coordination", ...). Evaluators rate each
capability under each objective P (performed without challenges), S (with some challenges),
M (with major challenges) or U (unable to be performed); the after-action report and
improvement plan (AAR/IP) are organised by them.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from .base import Identifier, StrictModel

__all__ = ["RATINGS", "Exercise", "Objective"]

RATINGS = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}
"""HSEEP's capability ratings, by letter."""


class Objective(StrictModel):
    """One exercise objective (specific, measurable) and the core capabilities it tests."""

    id: Identifier
    """Short id, such as OBJ-1; injects may name it in their `objective`."""
    text: str = Field(min_length=1)
    """The objective, as the exercise plan states it."""
    capabilities: list[str] = Field(min_length=1)
    """The core capabilities it tests (National Preparedness Goal names)."""


class Exercise(StrictModel):
    """The exercise's overview as the AAR/IP reports it."""

    name: str = ""
    """The exercise's name (defaults to the scenario's name)."""
    type: str = "Tabletop exercise"
    """HSEEP exercise type."""
    scope: str = ""
    """What is played and what is not, and for how long."""
    mission_areas: list[str] = Field(default_factory=list)
    """Prevention, Protection, Mitigation, Response, Recovery."""
    threat_or_hazard: str = ""
    """The threat or hazard exercised, in plain words."""
    sponsor: str = ""
    """Who sponsors and runs the exercise."""
    participants: list[str] = Field(default_factory=list)
    """The organisations and roles taking part."""
    point_of_contact: str = ""
    """Who to ask about the exercise."""
    objectives: list[Objective] = Field(default_factory=list, max_length=50)
    """The exercise objectives and their core capabilities."""

    @model_validator(mode="after")
    def _unique_ids(self):
        ids = [o.id for o in self.objectives]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"objective ids must be unique: {', '.join(duplicates)}")
        return self

    def capabilities(self) -> list[str]:
        """Every core capability the objectives name, in first-mention order."""
        seen: dict[str, None] = {}
        for objective in self.objectives:
            for capability in objective.capabilities:
                seen.setdefault(capability, None)
        return list(seen)
