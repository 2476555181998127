"""Results of one run as frozen records (DESIGN.md 3.8), and their JSON form.

Everything here is aggregate: counts, times, curves sampled at a fixed step. Nothing
per-person leaves a run, so batch workers return small records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["OpeningResult", "Result", "ZoneResult"]


@dataclass(frozen=True)
class OpeningResult:
    """What passed through one opening."""

    passed: int
    peak_queue: int
    first_pass_s: float | None
    last_pass_s: float | None
    state: str
    """Its state at the end of the run."""
    capacity_p_s: float
    """Its flow with a standing queue."""


@dataclass(frozen=True)
class ZoneResult:
    """How full one zone was."""

    initial: int
    peak_occupancy: int
    final: int
    cleared_s: float | None
    """When its last occupant left (None if it never held anyone, or never emptied)."""


@dataclass(frozen=True)
class Result:
    """One replication's outcome."""

    scenario: str
    protocol: str
    seed: int
    occupants: int
    evacuated: int
    remaining: int
    rset_s: float | None
    """Time the last person reached safety (None if some never did)."""
    t50_s: float | None
    """Time half of the occupants were safe."""
    t95_s: float | None
    """Time 95 % of the occupants were safe."""
    end_s: float
    """Simulation time when the run stopped."""
    t_alarm_s: float | None
    openings: dict[str, OpeningResult]
    zones: dict[str, ZoneResult]
    events_count: int
    curve_dt_s: float
    curve_safe: tuple[int, ...]
    """People safe at 0, dt, 2·dt, ..."""
    occupancy: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Each zone's head count at the same times."""

    def to_dict(self) -> dict:
        """The JSON object of `ttxsim run --json`."""
        return {
            "scenario": self.scenario,
            "protocol": self.protocol,
            "seed": self.seed,
            "occupants": self.occupants,
            "evacuated": self.evacuated,
            "remaining": self.remaining,
            "rset_s": self.rset_s,
            "t50_s": self.t50_s,
            "t95_s": self.t95_s,
            "end_s": self.end_s,
            "t_alarm_s": self.t_alarm_s,
            "openings": {k: asdict(v) for k, v in self.openings.items()},
            "zones": {k: asdict(v) for k, v in self.zones.items()},
            "events_count": self.events_count,
            "curve": {"dt_s": self.curve_dt_s, "safe": list(self.curve_safe)},
            "occupancy": {"dt_s": self.curve_dt_s, "zones": {k: list(v) for k, v in self.occupancy.items()}},
        }
