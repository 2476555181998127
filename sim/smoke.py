"""The fire and its smoke as SimPy processes (docs/model.md, threat and fire).

The formulas are in `fire.py` (growth, plume), `smoke_spread.py` and `fed.py` (dose).

At ignition the spread of smoke through the venue is worked out once (`smoke_spread.smoke_schedule`),
through the openings open at that moment, each passing no more smoke than a doorway can;
then one small process per reached zone marks the smoke's arrival (a cue for the people
there, a penalty for routes through it) and the zone's untenable moment (nobody enters any
more). Suppression freezes every zone's conditions and stops the spread.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, Protocol

import numpy as np
import simpy

from .doors import Door
from .events import Log
from .fed import CoProfile
from .fire import growth_alpha
from .milestones import Milestones
from .scenario.incident import Fire, Smoke
from .smoke_spread import ZoneSmoke, smoke_schedule
from .zones import ZoneState

__all__ = ["SmokeModel"]


class _Exposure(Protocol):
    def zone_changed(self, zone: ZoneState, before_change: bool) -> None: ...


class SmokeModel:
    """The fire of one run: its drawn times and its processes.

    Args:
        started, prevented: events it succeeds when the fire starts, or never will.
        hazard_changed: told when smoke reaches a zone or makes it untenable.
        eased: told when suppression freezes the smoke (untenable zones open again).
    """

    def __init__(self, env: simpy.Environment, fire: Fire, smoke: Smoke, rng: np.random.Generator, *,
                 zones: list[ZoneState], doors: list[Door], log: Log, milestones: Milestones,
                 exposure: _Exposure, started: simpy.Event, prevented: simpy.Event,
                 hazard_changed: Callable[[ZoneState], None], eased: Callable[[], None]):
        self.env = env
        self.zones = zones
        self.zone_by_id = {z.id: z for z in zones}
        self.doors = doors
        self.log = log
        self.milestones = milestones
        self.exposure = exposure
        self.started = started
        self.prevented = prevented
        self._hazard_changed = hazard_changed
        self._eased = eased
        self.fire = fire
        self.smoke = smoke
        self.start_s = fire.start_s.delay(rng)
        self.untenable_after_s = (
            None if fire.untenable_after_s is None else fire.untenable_after_s.delay(rng)
        )
        self.alpha = growth_alpha(fire)
        self.schedule: dict[str, ZoneSmoke] = {}
        """Zone id → smoke_spread.ZoneSmoke, once the fire has started."""

    def burn(self) -> Generator[simpy.Event, Any, None]:
        """Ignite at the drawn time and set the smoke moving through the venue."""
        yield self.env.timeout(max(0.0, self.start_s - self.env.now))
        if self.fire.set_by_threat and (self.milestones.reached("contained")
                                        or self.milestones.reached("threat_left")):
            self.log("fire_prevented", zone=self.fire.zone, detail="the threat was stopped first")
            self.prevented.succeed()
            return
        self.milestones.mark("fire_start", self.env.now)
        self.log("fire_started", zone=self.fire.zone)
        self.started.succeed()
        inside = [z for z in self.zones if not z.is_safe]
        self.schedule = smoke_schedule(
            fire_zone=self.fire.zone,
            ignition_s=self.env.now,
            alpha=self.alpha,
            max_hrr_kw=self.fire.max_hrr_kw,
            zones={z.id: (z.area_m2, z.spec.height_m) for z in inside if z.spec is not None},
            links={z.id: [d.other(z).id for d in z.doors] for z in inside},
            tenability_height_m=self.smoke.tenability_height_m,
            fire_zone_untenable_after_s=self.untenable_after_s,
            vents=self._vents(inside),
        )
        reached = {z: t for z, t in self.schedule.items() if t.untenable_s != float("inf")}
        for zone_id, times in sorted(reached.items(), key=lambda item: item[1].arrival_s):
            self.env.process(self.fill_zone(self.zone_by_id[zone_id], times))

    def _vents(self, inside: list[ZoneState]) -> dict[frozenset, float]:
        """Open width between each pair of zones when the fire starts: shut doors hold smoke back."""
        vents: dict[frozenset, float] = {}
        for door in self.doors:
            a, b = door.sides
            if door.state == "open" and not a.is_safe and not b.is_safe:
                key = frozenset((a.id, b.id))
                vents[key] = vents.get(key, 0.0) + door.spec.width_m
        return vents

    def fill_zone(self, zone: ZoneState, times: ZoneSmoke) -> Generator[simpy.Event, Any, None]:
        """Smoke arrives in one zone, then makes it untenable, unless the fire is stopped first."""
        yield self.env.timeout(max(0.0, times.arrival_s - self.env.now))
        if self.milestones.reached("suppressed"):
            return
        profile = CoProfile(
            arrival_s=times.arrival_s,
            untenable_s=times.untenable_s,
            co_at_untenable_ppm=self.smoke.co_at_untenable_ppm,
            co_max_ppm=self.smoke.co_max_ppm,
        )
        self.exposure.zone_changed(zone, before_change=True)
        zone.smoke = profile
        zone.smoky = True
        zone.hazard_changed()
        self.exposure.zone_changed(zone, before_change=False)
        self.log("smoke_arrived", zone=zone.id)
        self._hazard_changed(zone)
        yield self.env.timeout(max(0.0, times.untenable_s - self.env.now))
        if self.milestones.reached("suppressed"):
            return
        zone.untenable = True
        zone.untenable_at = self.env.now
        zone.hazard_changed()
        self.log("zone_untenable", zone=zone.id)
        self._hazard_changed(zone)

    def suppress(self) -> None:
        """The fire stops growing: every zone's conditions stay as they are now.

        With the fire service inside and the smoke no longer getting worse, untenable zones no
        longer bar the way: people trapped behind them come out (still taking their dose).
        """
        now = self.env.now
        for zone in self.zones:
            if zone.smoke is not None:
                self.exposure.zone_changed(zone, before_change=True)
                zone.smoke = zone.smoke.with_freeze(now)
                zone.untenable = False
                zone.hazard_changed()
                self.exposure.zone_changed(zone, before_change=False)
        self._eased()
