"""A snapshot of a running simulation, for displays, conditional injects and tests.

Everything a console or an MSEL condition reads about the model comes from here, so that
they read the model's public state and never its parts (docs/scenario-format.md, conditions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["THREAT_STATUSES", "SimState", "snapshot"]

THREAT_STATUSES = ("none", "coming", "active", "gone", "contained")
"""What the threat is doing: there is none (no threat, or the event was cancelled), it has not
yet entered, it is in the venue, it has left, or the police contained it or secured the venue."""


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
    sheltering: dict[str, int] = field(default_factory=dict)
    """People sheltering or hiding per zone (locked in by staff, or hiding by their own choice)."""
    harmed_by: dict[str, int] = field(default_factory=dict)
    """Harmed people by cause: `threat`, `smoke`."""
    threat_status: str = "none"
    """One of `THREAT_STATUSES`."""
    posture: int = 0
    """The venue's security posture level (before t = 0: the level it would start at, as things stand)."""
    milestones: dict[str, float | None] = field(default_factory=dict)
    """When each milestone first came (`metrics.MILESTONES` names), or None."""
    cancelled: bool = False
    """The event will not (or did not) take place: an action or the posture cancelled it."""


def snapshot(sim: Any) -> SimState:
    """The state of `sim` (a `Simulation`) now."""
    census = sim.census
    hidden = census.hidden
    posture = sim.posture if sim.begun else sim.pre_event.posture_at_start()
    sheltering = {z.id: len(z.sheltered) + len(hidden.get(z.index, ())) for z in sim.zones_as_listed}
    return SimState(
        t=sim.now,
        inside=census.inside,
        safe=census.safe,
        sheltered=census.sheltered,
        harmed=sum(census.harmed.values()),
        zones={z.id: z.count for z in sim.zones_as_listed},
        queues={d.id: len(d.queue) for d in sim.doors_as_listed},
        openings={d.id: d.state for d in sim.doors_as_listed},
        threat_zone=sim.threat.zone.id if sim.threat and sim.threat.zone else None,
        smoky_zones=tuple(z.id for z in sim.zones_as_listed if z.smoky),
        untenable_zones=tuple(z.id for z in sim.zones_as_listed if z.untenable),
        t_alarm_s=sim.milestones["alarm"],
        finished=sim.finished,
        sheltering={zone: n for zone, n in sheltering.items() if n},
        harmed_by=dict(census.harmed),
        threat_status=_threat_status(sim, posture),
        posture=posture,
        milestones=sim.milestones.as_dict(),
        cancelled=sim.pre_event.cancels(posture),
    )


def _threat_status(sim: Any, posture: int) -> str:
    milestones = sim.milestones
    if sim.scenario.incident.threat is None or sim.pre_event.cancels(posture):
        return "none"
    if milestones.reached("contained"):
        return "contained"
    if milestones.reached("threat_left"):
        return "gone"
    if sim.threat is not None and sim.threat.zone is not None:
        return "active"
    return "coming"
