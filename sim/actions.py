"""Actions: the only ways anyone changes a running model (docs/model.md, actions).

A protocol, an inject's decision and the facilitator all speak in actions; a run's
decisions are a list of (time, action), so every run can be replayed exactly. Actions are
pydantic models tagged by `action`, so decision files are validated like scenarios.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from .scenario.base import Identifier, StrictModel

__all__ = [
    "ACTION_NAMES",
    "Action",
    "ActionError",
    "Announce",
    "CancelEvent",
    "Dispatch",
    "ForwardWarning",
    "LockOpenings",
    "OpenOpenings",
    "OrderEvacuation",
    "OrderShelter",
    "RaisePosture",
    "parse_action",
]


class OrderEvacuation(StrictModel):
    """Order people to leave: the order is a cue, and pre-movement starts from it."""

    action: Literal["order_evacuation"]
    zones: list[Identifier] | None = None
    """The zones ordered out; unset: the whole venue (this also sounds the alarm)."""


class OrderShelter(StrictModel):
    """Order people in lockable zones to lock themselves in until the all-clear."""

    action: Literal["order_shelter"]
    zones: list[Identifier] | None = None
    """Lockable zones to shelter in; unset: every lockable zone."""


class OpenOpenings(StrictModel):
    """Open closed or locked openings (staff unlock exits, stewards open gates)."""

    action: Literal["open_openings"]
    ids: list[Identifier] = Field(min_length=1)
    """The openings to open."""


class LockOpenings(StrictModel):
    """Lock openings: people queued there turn to other routes."""

    action: Literal["lock_openings"]
    ids: list[Identifier] = Field(min_length=1)
    """The openings to lock."""


class Announce(StrictModel):
    """A public-address announcement: a cue for everybody, and pre-movement changes with its quality."""

    action: Literal["announce"]
    quality: Literal["clear", "poor"] = "clear"
    """A clear voice message, or a poor one."""


class Dispatch(StrictModel):
    """Send a unit now (if it is not already on its way sooner)."""

    action: Literal["dispatch"]
    unit: Literal["police", "fire_service"]
    """Which service: police (patrol and tactical team) or the fire service."""


class RaisePosture(StrictModel):
    """Raise the venue's security posture (before the event: it sets the event's parameters)."""

    action: Literal["raise_posture"]
    level: int = Field(ge=0, le=10)
    """The posture level (see the scenario's posture_levels)."""


class ForwardWarning(StrictModel):
    """Pass the warning to an agency now, over a trusted channel (before the event)."""

    action: Literal["forward_warning"]
    to: Identifier
    """The receiving agency."""


class CancelEvent(StrictModel):
    """Cancel the event (before it starts): nobody is at the venue at t = 0."""

    action: Literal["cancel_event"]


Action = Annotated[
    OrderEvacuation | OrderShelter | OpenOpenings | LockOpenings | Announce | Dispatch
    | RaisePosture | ForwardWarning | CancelEvent,
    Field(discriminator="action"),
]
"""Any action, chosen by its `action` key."""

ACTION_NAMES = (
    "order_evacuation", "order_shelter", "open_openings", "lock_openings", "announce", "dispatch",
    "raise_posture", "forward_warning", "cancel_event",
)
"""The `action` values, in the order docs/model.md, actions lists them."""

_ACTION = TypeAdapter(Action)


class ActionError(ValueError):
    """An action that does not fit the scenario or the moment (an unknown zone or opening, say).

    `decision` is the index of the scheduled decision that failed (None: applied by hand), so
    a command can point at its line in the decisions file. It travels in `args` because SimPy
    re-raises a failed process's exception as a copy built from them.
    """

    def __init__(self, message: str, decision: int | None = None):
        super().__init__(message, decision)

    def __str__(self) -> str:
        return str(self.args[0])

    @property
    def decision(self) -> int | None:
        """Which of the run's scheduled decisions it was, by position (None: not one)."""
        return self.args[1] if len(self.args) > 1 else None


def parse_action(data: dict) -> Action:
    """Validate a mapping such as `{"action": "open_openings", "ids": ["e1"]}`."""
    return _ACTION.validate_python(data)
