"""Injects: the exercise's Master Scenario Events List (MSEL), docs/scenario-format.md.

Each inject is a message delivered to the players at a scenario time (`T-14d` in the weeks
before, `T+00:04:00` during the incident) or when something happens in the model (`on:
first_detection`). It says who sends it to whom and how, what the players are expected to
do, and what the facilitator should ask. An inject may carry a decision: options that map
to model actions, a default, and a deadline after which the default applies.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from .base import Identifier, InjectId, StrictModel
from .limits import MAX_HORIZON_S, MAX_LEAD_S
from .times import ScenarioTime

__all__ = ["TRIGGERS", "Alternative", "Decision", "Inject", "Option"]

TRIGGERS = (
    "first_detection",
    "alarm",
    "evacuation_ordered",
    "announcement",
    "threat_entered",
    "threat_left",
    "threat_contained",
    "fire_started",
    "smoke_arrived",
    "zone_untenable",
    "police_arrived",
    "fire_service_arrived",
    "fire_suppressed",
    "all_clear",
    "all_safe",
    "warning_received",
    "warning_at_venue",
)
"""Model events an inject can be triggered by (`on:`)."""


class Option(StrictModel):
    """One answer to an inject's decision and the actions it sets going."""

    id: Identifier
    """Short id, used by `default`."""
    label: str = Field(min_length=1)
    """What the players choose, in their words."""
    actions: list[dict[str, Any]] = Field(default_factory=list)
    """Model actions (`{action: open_openings, ids: [...]}`, ...) applied when this option is chosen;
    may be empty."""


class Decision(StrictModel):
    """A choice the players must make when the inject arrives."""

    prompt: str = Field(min_length=1)
    """The question put to the players."""
    options: list[Option] = Field(min_length=2, max_length=12)
    """The choices."""
    default: Identifier
    """The option applied if nobody decides before the deadline."""
    deadline_s: float = Field(default=120.0, gt=0, le=30 * 86400.0)
    """Scenario seconds after delivery by which the players must decide."""

    @model_validator(mode="after")
    def _default_is_an_option(self):
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError("option ids must be unique")
        if self.default not in ids:
            raise ValueError(f"default '{self.default}' is not one of the options: {', '.join(ids)}")
        return self


class Alternative(StrictModel):
    """What is delivered instead of an inject whose `when` fails at its time (`otherwise:`).

    Fields left out are the inject's own; the alternative keeps the inject's id and time, so the
    MSEL stays one row per moment of the exercise.
    """

    message: str = Field(min_length=1)
    """What is said or shown to the players instead."""
    sender: str | None = Field(default=None, alias="from")
    to: str | None = Field(default=None, min_length=1)
    channel: str | None = None
    kind: Literal["contextual", "expected_action", "decision", "information", "contingency"] | None = None
    expected_actions: list[str] | None = None
    questions: list[str] | None = None
    objective: str | None = None
    notes: str | None = None
    decision: Decision | None = None
    """A decision of its own; without one the alternative carries none (the inject's decision
    belongs to the situation its condition describes)."""


class Inject(StrictModel):
    """One row of the MSEL."""

    id: InjectId
    """Event number or control number as the MSEL writes it (`10a`, `2.1`, `CH-01`), unique in the
    scenario: a letter or digit, then up to 63 letters, digits, `_`, `.` or `-`."""
    at: Annotated[ScenarioTime, Field(ge=-MAX_LEAD_S, le=MAX_HORIZON_S)] | None = None
    """Scenario time of delivery (`T-14d`, `T+00:04:00`); or give `on`."""
    on: Literal[TRIGGERS] | None = None  # type: ignore[valid-type]
    """Deliver when this model event first happens, instead of at a time."""
    delay_s: float = Field(default=0.0, ge=0, le=86400.0)
    """With `on`: deliver this long after the event."""
    kind: Literal["contextual", "expected_action", "decision", "information", "contingency"] = "information"
    """HSEEP event type."""
    sender: str = Field(default="Exercise control", alias="from")
    """Who the message comes from (a simulated agency, a caller, the media)."""
    to: str = Field(min_length=1)
    """Who receives it (a player role)."""
    channel: str = "briefing"
    """Inject mode: phone, radio, e-mail, briefing, media, in person, ..."""
    message: str = Field(min_length=1)
    """What is said or shown to the players."""
    expected_actions: list[str] = Field(default_factory=list)
    """What the players are expected to do (for the evaluator)."""
    questions: list[str] = Field(default_factory=list)
    """Discussion questions for the facilitator."""
    objective: str = ""
    """The exercise objective or core capability it tests."""
    notes: str = ""
    """Controller notes; unknown MSEL columns are kept here."""
    decision: Decision | None = None
    """A decision the players must make."""
    when: str | None = Field(default=None, min_length=1, max_length=500)
    """A condition on the model's state and earlier decisions that must hold at delivery
    (docs/scenario-format.md, conditions); otherwise the inject is skipped or replaced."""
    unless: str | None = Field(default=None, min_length=1, max_length=500)
    """A condition under which the inject is not delivered at all, not even its alternative (e.g.
    `cancelled`: the event did not take place)."""
    otherwise: Alternative | None = None
    """Delivered instead when `when` fails; without it the inject is skipped."""

    @model_validator(mode="after")
    def _when(self):
        if (self.at is None) == (self.on is None):
            raise ValueError("give exactly one of at (a scenario time) or on (a model event)")
        return self
