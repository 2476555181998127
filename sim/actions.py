"""Actions: the only ways anyone changes a running model (DESIGN.md 3.7).

A protocol, an inject's decision and the facilitator all speak in actions; a run's
decisions are a list of (time, action), so every run can be replayed exactly. Actions are
pydantic models tagged by `action`, so decision files are validated like scenarios.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from .scenario.base import Identifier, StrictModel

__all__ = [
    "Action",
    "LockOpenings",
    "OpenOpenings",
    "OrderEvacuation",
    "parse_action",
]


class OrderEvacuation(StrictModel):
    """Order people to leave: the order is a cue, and pre-movement starts from it."""

    action: Literal["order_evacuation"]
    zones: list[Identifier] | None = None
    """The zones ordered out; unset: the whole venue."""


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


Action = Annotated[OrderEvacuation | OpenOpenings | LockOpenings, Field(discriminator="action")]
"""Any action, chosen by its `action` key."""

_ACTION = TypeAdapter(Action)


def parse_action(data: dict) -> OrderEvacuation | OpenOpenings | LockOpenings:
    """Validate a mapping such as `{"action": "open_openings", "ids": ["e1"]}`."""
    return _ACTION.validate_python(data)

