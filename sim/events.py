"""The event log: what happened, when and where, as typed records.

Every caller reads the same log: the console shows it, the results count it, the tests
inspect it. Per-person movements are not logged (they are in the counts and curves).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal, Protocol

__all__ = ["Event", "EventKind", "Log"]

EventKind = Literal[
    "alarm",
    "evacuation_ordered",
    "zone_cued",
    "opening_opened",
    "opening_locked",
    "opening_found_shut",
    "zone_cleared",
    "all_safe",
    "detection",
    "announcement",
    "shelter_ordered",
    "all_clear",
    "threat_entered",
    "threat_left",
    "threat_contained",
    "police_dispatched",
    "police_arrived",
    "fire_started",
    "smoke_arrived",
    "zone_untenable",
    "fire_service_dispatched",
    "fire_service_arrived",
    "fire_suppressed",
    "fire_prevented",
    "warning_issued",
    "warning_received",
    "warning_acted_on",
    "posture",
    "horizon_reached",
    "action_applied",
    "hiding_cued_out",
]


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened in a run."""

    t: float
    """Simulation time, seconds (t = 0 is the incident's start)."""
    kind: EventKind
    """What happened."""
    zone: str | None = None
    """The zone concerned, if any."""
    opening: str | None = None
    """The opening concerned, if any."""
    detail: str = ""
    """A short human-readable note."""

    def to_dict(self) -> dict:
        """A JSON-ready dict."""
        return asdict(self)


class Log(Protocol):
    """What a part may do with the event log: append to it (the simulation's `log`)."""

    def __call__(self, kind: EventKind, *, zone: str | None = None, opening: str | None = None,
                 detail: str = "") -> None:
        """Append one event at the current time."""
