"""The fires and their smoke as SimPy processes (docs/model.md, fire, smoke and tenability).

The formulas are in `fire.py` (growth, plume), `smoke_spread.py` (spread) and `fed.py` (dose).

At each ignition, and whenever an opening opens or shuts afterwards, the spread of smoke
through the venue is worked out again from that moment (`smoke_spread.SmokeSpread`), with
the openings as they are then: open ones pass a doorway's flow, shut ones their leakage.
One small process per zone marks the smoke's arrival (a cue for the people there, a penalty
for routes through it) and the zone's untenable moment (nobody enters any more); a new
schedule replaces them. Suppression freezes every zone's conditions and stops the spread.
"""

from __future__ import annotations

import zlib
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
from .smoke_spread import SmokeFire, SmokeSpread, SmokeState, ZoneSmoke
from .smoke_venue import places, vents
from .zones import ZoneState

__all__ = ["SmokeModel"]


class _Exposure(Protocol):
    def zone_changed(self, zone: ZoneState, before_change: bool) -> None: ...


def keyed_fires(fires: list[Fire], rng: np.random.Generator) -> list[tuple[Fire, np.random.Generator]]:
    """Each further fire with a stream of its own, keyed by its zone, in the order of the zones.

    One number is drawn from the fire stream (whether or not there are further fires, so the
    first fire's draws never depend on them); each further fire's stream is derived from it and
    a checksum of its zone id (and, for fires sharing a zone, their rank by what they are), so
    neither the order of the list nor adding another fire changes a fire's draws.
    """
    base = int(rng.integers(2**63))
    keyed: list[tuple[Fire, np.random.Generator]] = []
    seen: dict[str, int] = {}
    for fire in sorted(fires, key=lambda f: (f.zone, f.model_dump_json())):
        rank = seen[fire.zone] = seen.get(fire.zone, 0) + 1
        keyed.append((fire, np.random.default_rng([base, zlib.crc32(fire.zone.encode()), rank])))
    return keyed


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
                 hazard_changed: Callable[[ZoneState], None], eased: Callable[[], None],
                 further: list[Fire] | None = None):
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
        self.further = [(f, f.start_s.delay(r),
                         None if f.untenable_after_s is None else f.untenable_after_s.delay(r))
                        for f, r in keyed_fires(further or [], rng)]
        """Further fires with their drawn start and untenable delays, each from its own stream
        keyed by its zone (`keyed_fires`): reordering the list changes nothing."""
        self.spread = SmokeSpread(places(zones), smoke.tenability_height_m)
        self.burning: list[SmokeFire] = []
        """The fires that have started."""
        self.state: SmokeState | None = None
        """The smoke in every volume at the last change (None before the first ignition)."""
        self._vents = vents(doors)
        self._generation = 0
        self.schedule: dict[str, ZoneSmoke] = {}
        """Zone id → smoke_spread.ZoneSmoke, as last worked out."""

    def burn(self) -> Generator[simpy.Event, Any, None]:
        """Ignite at the drawn time and set the smoke moving through the venue."""
        yield self.env.timeout(max(0.0, self.start_s - self.env.now))
        if self.fire.set_by_threat and self._threat_stopped():
            self.log("fire_prevented", zone=self.fire.zone, detail="the threat was stopped first")
            self.prevented.succeed()
            return
        self.milestones.mark("fire_start", self.env.now)
        self.log("fire_started", zone=self.fire.zone)
        self.started.succeed()
        for door in self.doors:
            if not any(z.is_safe for z in door.sides):  # exits carry no smoke between zones
                door.watchers.append(self._door_changed)
        self._ignite(SmokeFire(self.fire.zone, self.env.now, self.alpha, self.fire.max_hrr_kw,
                               self.untenable_after_s))
        for fire, start_s, untenable_after_s in self.further:
            self.env.process(self.burn_later(fire, start_s, untenable_after_s))

    def burn_later(self, fire: Fire, start_s: float, untenable_after_s: float | None
                   ) -> Generator[simpy.Event, Any, None]:
        """A further fire ignites at its drawn time, adding its smoke to the first's."""
        yield self.env.timeout(max(0.0, start_s - self.env.now))
        if self.milestones.reached("suppressed"):
            return
        if fire.set_by_threat and self._threat_stopped():
            self.log("fire_prevented", zone=fire.zone, detail="the threat was stopped first")
            return
        self.log("fire_started", zone=fire.zone)
        self._ignite(SmokeFire(fire.zone, self.env.now, growth_alpha(fire), fire.max_hrr_kw,
                               untenable_after_s))

    def _threat_stopped(self) -> bool:
        return self.milestones.reached("contained") or self.milestones.reached("threat_left")

    def _ignite(self, fire: SmokeFire) -> None:
        self._replan(lambda: self.burning.append(fire))

    def _door_changed(self, _door: Door) -> None:
        """An opening opened or shut: the smoke spreads on from now through the openings as they are."""
        if not self.milestones.reached("suppressed"):
            self._replan(lambda: setattr(self, "_vents", vents(self.doors)))

    def _replan(self, change: Callable[[], None]) -> None:
        """Bring the smoke up to now as it was spreading, apply the change, and work out the rest."""
        now = self.env.now
        if self.state is None:
            self.state = self.spread.start(now)
        else:
            self.state = self.spread.advance(self.state, now, self._vents, self.burning)
        change()
        self.schedule = self.spread.schedule(self.state, self._vents, self.burning)
        self._generation += 1
        for zone_id, times in sorted(self.schedule.items(), key=lambda item: (item[1].arrival_s, item[0])):
            zone = self.zone_by_id[zone_id]
            if zone.untenable_at is not None:
                continue
            if zone.smoke is not None:
                self._reshape(zone, times)
            self.env.process(self.fill_zone(zone, times, self._generation))

    def _reshape(self, zone: ZoneState, times: ZoneSmoke) -> None:
        """A zone already smoky fills at another pace from now: the CO goes on from where it is."""
        profile = zone.smoke
        assert profile is not None
        if profile.untenable_s == times.untenable_s:
            return
        now = self.env.now
        c_now = profile.concentration_ppm(now)
        c_u = self.smoke.co_at_untenable_ppm
        if times.untenable_s == float("inf") or c_now >= c_u:
            new = profile.with_freeze(now)
        else:
            slope = (c_u - c_now) / max(times.untenable_s - now, 1e-9)
            new = CoProfile(arrival_s=now - c_now / slope, untenable_s=times.untenable_s,
                            co_at_untenable_ppm=c_u, co_max_ppm=self.smoke.co_max_ppm,
                            heat_at_untenable_c=self.smoke.heat_at_untenable_c)
        self.exposure.zone_changed(zone, before_change=True)
        zone.smoke = new
        zone.hazard_changed()
        self.exposure.zone_changed(zone, before_change=False)

    def fill_zone(self, zone: ZoneState, times: ZoneSmoke, generation: int
                  ) -> Generator[simpy.Event, Any, None]:
        """Smoke arrives in one zone, then makes it untenable, unless the fire stops or the plan changes."""
        if zone.smoke is None:
            yield self.env.timeout(max(0.0, times.arrival_s - self.env.now))
            if self.milestones.reached("suppressed") or generation != self._generation:
                return
            profile = CoProfile(
                arrival_s=times.arrival_s,
                untenable_s=times.untenable_s,
                co_at_untenable_ppm=self.smoke.co_at_untenable_ppm,
                co_max_ppm=self.smoke.co_max_ppm,
                heat_at_untenable_c=self.smoke.heat_at_untenable_c,
            )
            zone.extinction_at_untenable_per_m = self.smoke.extinction_at_untenable_per_m
            self.exposure.zone_changed(zone, before_change=True)
            zone.smoke = profile
            zone.smoky = True
            zone.hazard_changed()
            self.exposure.zone_changed(zone, before_change=False)
            self.log("smoke_arrived", zone=zone.id)
            self._hazard_changed(zone)
        if times.untenable_s == float("inf"):
            return
        yield self.env.timeout(max(0.0, times.untenable_s - self.env.now))
        if self.milestones.reached("suppressed") or generation != self._generation:
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
