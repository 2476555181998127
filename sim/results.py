"""Results of one run as frozen records (docs/model.md, results), and their JSON form.

Everything here is aggregate: counts, times, curves sampled at a fixed step. Nothing
per-person leaves a run, so batch workers return small records.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from .census import SAFE
from .tenability import INJURY_FED
from .trapped import trapped_by_reason

if TYPE_CHECKING:
    from .simulation import Simulation

__all__ = ["CURVE_DT_S", "HidingResult", "OpeningResult", "Result", "ZoneResult", "build_result"]

CURVE_DT_S = 5.0
"""Step of the evacuation curve and the zone occupancy series in results."""


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
    """How full one zone was, and when it became untenable."""

    initial: int
    peak_occupancy: int
    final: int
    cleared_s: float | None
    """When its last occupant left (None if it never held anyone, or never emptied)."""
    untenable_s: float | None = None
    """When smoke made it untenable (None if it never did)."""


@dataclass(frozen=True)
class HidingResult:
    """Who ran, hid and froze, and how the hidden fared (runs where people may hide)."""

    hid: int
    """People who reached a hiding place."""
    hidden_peak: int
    """Most people hiding at once."""
    hidden_end: int
    """People still hiding when the run stopped (in `trapped` as `hiding`)."""
    harmed_hidden: int
    """People harmed while hiding (threat or smoke)."""
    choices: dict[str, int]
    """Decisions made: run, hide, freeze (someone who froze decides again: each counts)."""


@dataclass(frozen=True)
class Result:
    """One replication's outcome."""

    scenario: str
    protocol: str
    seed: int
    occupants: int
    evacuated: int
    remaining: int
    """Still inside (not safe, not sheltering, not harmed) when the run stopped."""
    sheltered: int
    """Sheltering when the run stopped, people hiding of their own accord included (`hiding`)."""
    harmed: dict[str, int]
    """Harmed by cause: threat, smoke."""
    exposed: int
    """People who shared a zone with the threat, not sheltered."""
    rset_s: float | None
    """Time the last person reached safety (None if some never did, harmed people apart)."""
    t50_s: float | None
    """Time half of the occupants were safe."""
    t95_s: float | None
    """Time 95 % of the occupants were safe."""
    end_s: float
    """Simulation time when the run stopped."""
    times: dict[str, float | None]
    """Milestones: detection, alarm, evacuation order, announcement, police arrival,
    containment, threat left, all-clear, fire start, fire service arrival, suppression."""
    openings: dict[str, OpeningResult]
    zones: dict[str, ZoneResult]
    events_count: int
    curve_dt_s: float
    curve_safe: tuple[int, ...]
    """People safe at 0, dt, 2·dt, ..."""
    posture: int = 0
    """The venue's security posture level at t = 0."""
    cancelled: bool = False
    """The event was cancelled before it started."""
    warning_reached_venue: bool = False
    """A warning reached the venue's security before the event."""
    t_warning_at_venue_s: float | None = None
    """When it did (negative: before the event)."""
    agencies: dict[str, dict] = field(default_factory=dict)
    """Per agency: received_s, acted, acted_s, forwarded."""
    curve_harmed: tuple[int, ...] = ()
    """People harmed at the same times."""
    occupancy: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Each zone's head count at the same times."""
    exposed_smoke: int = 0
    """People who were in a zone with smoke (`exposed` is the threat's)."""
    injured_smoke: int = 0
    """People who got out with a smoke dose of FED 0.3 or more (ISO 13571's threshold for the
    sensitive): not incapacitated, but affected."""
    trapped: dict[str, int] = field(default_factory=dict)
    """Everybody still inside or sheltering at the end, by why (`trapped.TRAPPED_REASONS`):
    locked_in, behind_threat, untenable, sheltering, and no_reason, which should be 0; where
    people may hide, `hiding` too."""
    not_arrived: int | None = None
    """Latecomers who had not arrived by the end (None where nobody comes late): with
    evacuated, remaining, sheltered and harmed, they make up `occupants`."""
    hiding: HidingResult | None = None
    """Run, hide or freeze, where the scenario configures it (None: everybody ran)."""
    harmed_by_zone: dict[str, int] = field(default_factory=dict)
    """Harmed people by the zone they were in. In the JSON only where people may hide, so
    that results of scenarios without it are unchanged."""

    @property
    def harmed_total(self) -> int:
        """Harmed, all causes."""
        return sum(self.harmed.values())

    def to_dict(self) -> dict:
        """The JSON object of `ttxsim run --json`."""
        return {
            "scenario": self.scenario,
            "protocol": self.protocol,
            "seed": self.seed,
            "occupants": self.occupants,
            "evacuated": self.evacuated,
            "remaining": self.remaining,
            "sheltered": self.sheltered,
            "harmed": dict(self.harmed) | {"total": self.harmed_total},
            "exposed": self.exposed,
            "exposed_by_cause": {"threat": self.exposed, "smoke": self.exposed_smoke},
            "injured_smoke": self.injured_smoke,
            "trapped": dict(self.trapped),
            "posture": self.posture,
            "cancelled": self.cancelled,
            "warning_reached_venue": self.warning_reached_venue,
            "t_warning_at_venue_s": self.t_warning_at_venue_s,
            "agencies": self.agencies,
            "rset_s": self.rset_s,
            "t50_s": self.t50_s,
            "t95_s": self.t95_s,
            "end_s": self.end_s,
            **{f"t_{name}_s": value for name, value in self.times.items()},
            "t_untenable_s": {k: z.untenable_s for k, z in self.zones.items() if z.untenable_s is not None},
            "openings": {k: asdict(v) for k, v in self.openings.items()},
            "zones": {k: asdict(v) for k, v in self.zones.items()},
            "events_count": self.events_count,
            "curve": {
                "dt_s": self.curve_dt_s,
                "safe": list(self.curve_safe),
                "harmed": list(self.curve_harmed),
            },
            "occupancy": {"dt_s": self.curve_dt_s, "zones": {k: list(v) for k, v in self.occupancy.items()}},
            **({"hiding": asdict(self.hiding), "harmed_by_zone": dict(self.harmed_by_zone)}
               if self.hiding is not None else {}),
            **({"not_arrived": self.not_arrived} if self.not_arrived is not None else {}),
        }


def build_result(sim: Simulation) -> Result:
    """The Result of a Simulation as it stands."""
    census = sim.census
    n = census.total
    times = census.safe_times
    end = sim.now
    steps = math.ceil(end / CURVE_DT_S) + 1  # the last sample is at or after the end
    accounted = census.all_accounted
    hiding = getattr(sim, "hiding", None)  # built at t = 0 with the incident
    hidden, where = census.hidden, census.harmed_where
    return Result(
        scenario=sim.scenario.meta.name,
        protocol=sim.protocol,
        seed=sim.seed,
        occupants=n,
        evacuated=len(times),
        remaining=census.inside,
        not_arrived=census.expected if any(t is not None for t in sim.occupants.arrival) else None,
        sheltered=census.sheltered,
        harmed=dict(census.harmed),
        exposed=len(sim.exposure.exposed) if sim.exposure is not None else 0,
        rset_s=(times[-1] if times else 0.0) if accounted else None,
        t50_s=_quantile_time(times, n, 0.50),
        t95_s=_quantile_time(times, n, 0.95),
        end_s=end,
        times=sim.milestones.as_dict(),
        openings={
            d.id: OpeningResult(d.passed, d.peak_queue, d.first_pass, d.last_pass, d.state, d.capacity)
            for d in sim.doors_as_listed  # the file's order: the run itself goes by id
        },
        zones={
            z.id: ZoneResult(z.initial, z.peak, z.count + len(z.sheltered) + len(hidden.get(z.index, ())),
                             z.cleared_at, z.untenable_at)
            for z in sim.zones_as_listed
        },
        events_count=len(sim.events),
        curve_dt_s=CURVE_DT_S,
        curve_safe=_curve(times, steps),
        curve_harmed=_curve(census.harm_times, steps),
        posture=sim.posture,
        cancelled=sim.cancelled_event if sim.begun else sim.pre_event.cancelled,
        **_warning_fields(sim),
        occupancy={z.id: tuple(census.occupancy[z.id])
                   for z in sim.zones_as_listed if z.id in census.occupancy},
        trapped=trapped_by_reason(census, sim.zones, census.hidden if hiding is not None else None),
        hiding=hiding and HidingResult(len(hiding.hid), hiding.peak, hiding.hidden_now, census.harmed_hidden,
                                       dict(hiding.choices)),
        harmed_by_zone={z.id: where[z.id] for z in sim.zones_as_listed if z.id in where},
        **_smoke_fields(sim),
    )


def _smoke_fields(sim: Simulation) -> dict:
    exposure = sim.exposure
    if exposure is None:
        return {}
    status = sim.census.status
    return {
        "exposed_smoke": len(exposure.smoke_exposed),
        "injured_smoke": sum(1 for p, fed in enumerate(exposure.fed)
                             if fed >= INJURY_FED and status[p] == SAFE),
    }


def _warning_fields(sim: Simulation) -> dict:
    flow = sim.warnings
    if flow is None:
        return {}
    venue = flow.venue_record()
    at_venue = venue.received_s if venue is not None and venue.received_s is not None else None
    return {
        "warning_reached_venue": at_venue is not None and at_venue <= 0.0,
        "t_warning_at_venue_s": at_venue,
        "agencies": {name: asdict(record) for name, record in flow.records.items()},
    }


def _curve(times: list[float], steps: int) -> tuple[int, ...]:
    """How many of the (sorted) times are at or before 0, dt, 2·dt, ..."""
    out, k = [], 0
    for i in range(steps):
        while k < len(times) and times[k] <= i * CURVE_DT_S:
            k += 1
        out.append(k)
    return tuple(out)


def _quantile_time(times: list[float], total: int, share: float) -> float | None:
    """When `share` of all occupants were safe (None if that many never were)."""
    if total == 0:
        return 0.0
    needed = max(1, math.ceil(share * total))
    return times[needed - 1] if len(times) >= needed else None
