"""A snapshot of a running simulation, for displays and tests."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SimState"]


@dataclass(frozen=True)
class SimState:
    """What the model looks like at one moment (inside + safe + sheltered + harmed = occupants)."""

    t: float
    inside: int
    """Still inside and trying to get out (waiting or moving)."""
    safe: int
    sheltered: int
    harmed: int
    zones: dict[str, int]
    """Head count per zone (not counting people sheltering there)."""
    queues: dict[str, int]
    """People queued per opening."""
    openings: dict[str, str]
    """State per opening: open, closed or locked."""
    threat_zone: str | None
    """Where the threat is now."""
    smoky_zones: tuple[str, ...]
    untenable_zones: tuple[str, ...]
    t_alarm_s: float | None
    finished: bool
