"""What the evaluator and the facilitator write down during play (HSEEP evaluation), as plain records.

The session keeps them and journals them; the after-action report and improvement plan
(AAR/IP) are built from them. Ratings follow HSEEP: P, S, M or U per core capability under
each objective; observations are strengths or areas for improvement with their analysis
and recommendation; corrective actions are the improvement plan's rows. Each expected player
action of a delivered inject gets a mark, as an HSEEP Exercise Evaluation Guide (EEG) has one
per critical task: met, partly met or not met.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ttxsim.sim import RATINGS

__all__ = ["CAPABILITY_ELEMENTS", "MARKS", "OBSERVATION_KINDS", "CorrectiveAction", "Evaluation",
           "EvaluationError", "LogLine", "Note", "Observation"]

OBSERVATION_KINDS = ("strength", "improvement")
"""A strength, or an area for improvement."""

MARKS = {"met": "Met", "partly": "Partly met", "not_met": "Not met"}
"""The evaluator's mark of an expected player action, as an EEG marks a task (key → as shown)."""

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


class EvaluationError(ValueError):
    """An evaluation entry that does not fit the exercise; the message is for the evaluator."""


_CORRECTIVE_FIELDS = (
    "capability", "issue", "action", "element", "organisation", "poc", "start", "completion",
)


class Evaluation:
    """The evaluator's ratings, observations and corrective actions for one exercise.

    `*_entry` methods check what the evaluator gave and return the journal entry for it;
    `record` takes an entry (live or replayed) into the books. Keeping the two apart is what
    lets a journal be replayed without asking anybody anything.
    """

    def __init__(self, exercise, injects=()):
        self.exercise = exercise
        self.injects = {inject.id: inject for inject in injects}
        self.ratings: dict[tuple[str, str], str] = {}
        """(objective id, capability) → P, S, M or U."""
        self.observations: list[Observation] = []
        self.corrective_actions: list[CorrectiveAction] = []
        self.marks: dict[tuple[str, int], str] = {}
        """(inject id, expected action number from 1) → met, partly or not_met."""

    def rating_entry(self, objective_id: str, capability: str, rating: str) -> dict[str, Any]:
        """The entry for an HSEEP rating, or EvaluationError."""
        objective = next((o for o in self.exercise.objectives if o.id == objective_id), None)
        if objective is None:
            raise EvaluationError(f"no objective {objective_id!r} in this exercise")
        if capability not in objective.capabilities:
            raise EvaluationError(f"{objective_id} does not test {capability!r}")
        if rating not in RATINGS:
            raise EvaluationError(f"rating must be one of {', '.join(RATINGS)}, not {rating!r}")
        return {"cmd": "rate", "objective": objective_id, "capability": capability, "rating": rating}

    def mark_entry(self, inject_id: str, number: int, mark: str) -> dict[str, Any]:
        """The entry for a mark of an inject's expected action (numbered from 1), or EvaluationError."""
        inject = self.injects.get(inject_id)
        if inject is None:
            raise EvaluationError(f"no inject {inject_id!r} in this MSEL")
        count = len(inject.expected_actions)
        if type(number) is not int or not 1 <= number <= count:
            raise EvaluationError(f"{inject_id} has {count} expected action{'s' if count != 1 else ''}, "
                                  f"not a number {number!r}")
        if mark not in MARKS:
            raise EvaluationError(f"a mark is one of {', '.join(MARKS)}, not {mark!r}")
        return {"cmd": "mark", "inject": inject_id, "expected": number, "mark": mark}

    def observation_entry(self, capability: str, kind: str, observation: str, analysis: str = "",
                          recommendation: str = "", objective_id: str | None = None) -> dict[str, Any]:
        """The entry for a strength or an area for improvement, or EvaluationError."""
        if kind not in OBSERVATION_KINDS:
            raise EvaluationError(f"an observation is a strength or an improvement, not {kind!r}")
        if not capability.strip() or not observation.strip():
            raise EvaluationError("an observation needs a capability and a text")
        return {"cmd": "observe", "capability": capability.strip(), "kind": kind,
                "observation": observation.strip(), "analysis": analysis.strip(),
                "recommendation": recommendation.strip(), "objective": objective_id}

    def corrective_entry(self, **fields: str) -> dict[str, Any]:
        """The entry for an improvement-plan row, or EvaluationError."""
        values = {name: (fields.get(name) or "").strip() for name in _CORRECTIVE_FIELDS}
        if not values["capability"] or not values["issue"] or not values["action"]:
            raise EvaluationError("a corrective action needs a capability, an issue and an action")
        return {"cmd": "corrective", **values}

    def check(self, entry: dict[str, Any]) -> None:
        """Raise EvaluationError if a journaled entry would not have been taken live (a damaged journal)."""
        if entry["cmd"] == "rate":
            self.rating_entry(entry["objective"], entry["capability"], entry["rating"])
        elif entry["cmd"] == "mark":
            self.mark_entry(entry["inject"], entry["expected"], entry["mark"])
        elif entry["cmd"] == "observe":
            self.observation_entry(entry["capability"], entry["kind"], entry["observation"],
                                   entry.get("analysis") or "", entry.get("recommendation") or "",
                                   entry.get("objective"))
        else:
            self.corrective_entry(**{name: entry.get(name) or "" for name in _CORRECTIVE_FIELDS})

    def record(self, entry: dict[str, Any]) -> None:
        """Take a rate, mark, observe or corrective entry into the books."""
        if entry["cmd"] == "rate":
            self.ratings[(entry["objective"], entry["capability"])] = entry["rating"]
        elif entry["cmd"] == "mark":
            self.marks[(entry["inject"], entry["expected"])] = entry["mark"]
        elif entry["cmd"] == "observe":
            self.observations.append(Observation(entry["capability"], entry["kind"], entry["observation"],
                                                 entry.get("analysis", ""), entry.get("recommendation", ""),
                                                 entry.get("objective")))
        else:
            fields = {name: entry.get(name, "") for name in _CORRECTIVE_FIELDS}
            self.corrective_actions.append(CorrectiveAction(**fields))
