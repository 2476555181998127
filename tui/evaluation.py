"""What the evaluator and the facilitator write down during play (HSEEP evaluation), as plain records.

The session keeps them and journals them; the after-action report and improvement plan
(AAR/IP) are built from them. Ratings follow HSEEP: P, S, M or U per core capability under
each objective; observations are strengths or areas for improvement with their analysis
and recommendation; corrective actions are the improvement plan's rows.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CAPABILITY_ELEMENTS", "OBSERVATION_KINDS", "CorrectiveAction", "LogLine", "Note", "Observation"]

OBSERVATION_KINDS = ("strength", "improvement")
"""A strength, or an area for improvement."""

CAPABILITY_ELEMENTS = ("Planning", "Organization", "Equipment", "Training", "Exercise")
"""HSEEP's capability elements, which an improvement plan's corrective actions address."""


@dataclass(frozen=True)
class LogLine:
    """One line of the console's log: a model event or something the exercise did."""

    t: float
    kind: str
    text: str
    zone: str | None = None
    source: str = "model"
    """`model` (from the simulation's event log) or `exercise` (deliveries, decisions, notes)."""


@dataclass(frozen=True)
class Note:
    """A free-text note by the facilitator or an evaluator."""

    t: float
    text: str
    inject_id: str | None = None
    wall: str = ""
    """When it was written (ISO time of day on the facilitator's machine)."""


@dataclass(frozen=True)
class Observation:
    """A strength or an area for improvement under one core capability."""

    capability: str
    kind: str
    observation: str
    analysis: str = ""
    """Why it happened (the root cause, for an area for improvement)."""
    recommendation: str = ""
    objective_id: str | None = None


@dataclass(frozen=True)
class CorrectiveAction:
    """One row of the improvement plan."""

    capability: str
    issue: str
    action: str
    element: str = ""
    """Planning, Organization, Equipment, Training or Exercise."""
    organisation: str = ""
    poc: str = ""
    start: str = ""
    completion: str = ""
