"""Which inject triggers (`on:` in the MSEL) a logged model event fires.

An inject can wait for something to happen in the model rather than for a time; the names
an MSEL uses (`first_detection`, `warning_at_venue`) are the exercise's words for events the
log records under its own kinds. Only the first firing of a trigger delivers an inject.
"""

from __future__ import annotations

from .events import Event
from .scenario import Scenario
from .scenario.injects import TRIGGERS

__all__ = ["EVENT_KINDS", "triggers_of"]

_SAME = {name for name in TRIGGERS if name not in ("first_detection", "warning_at_venue")}

EVENT_KINDS: dict[str, str] = {name: name for name in _SAME} | {
    "first_detection": "detection",
    "warning_at_venue": "warning_received",
}
"""Trigger name → the event kind that can fire it."""


def triggers_of(event: Event, scenario: Scenario) -> tuple[str, ...]:
    """The triggers `event` fires in `scenario` (the venue's agencies come from its intel)."""
    names = [name for name, kind in EVENT_KINDS.items() if kind == event.kind and name != "warning_at_venue"]
    if event.kind == "warning_received" and scenario.intel is not None:
        agency = event.detail.split(" ", 1)[0]
        venue = {a.id for a in scenario.intel.agencies if a.role == "venue_security"}
        if agency in venue:
            names.append("warning_at_venue")
    return tuple(names)
