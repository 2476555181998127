"""The fire and its smoke as SimPy processes (DESIGN.md 3.4), on the formulas of `fire.py`.

At ignition the spread of smoke through the venue is worked out once (`fire.smoke_schedule`),
through the openings open at that moment, each passing no more smoke than a doorway can;
then one small process per reached zone marks the smoke's arrival (a cue for the people
there, a penalty for routes through it) and the zone's untenable moment (nobody enters any
more). Suppression freezes every zone's conditions and stops the spread.
"""

from __future__ import annotations

import numpy as np
import simpy

from .fire import CoProfile, growth_alpha, smoke_schedule
from .scenario.incident import Fire, Smoke
from .zones import ZoneState

__all__ = ["SmokeModel"]


class SmokeModel:
    """The fire of one run: its drawn times and its processes."""

    def __init__(self, sim, fire: Fire, smoke: Smoke, rng: np.random.Generator):
        self.sim = sim
        self.env: simpy.Environment = sim.env
        self.fire = fire
        self.smoke = smoke
        self.start_s = float(fire.start_s.sample(rng, 1)[0])
        self.untenable_after_s = (
            None if fire.untenable_after_s is None else float(fire.untenable_after_s.sample(rng, 1)[0])
        )
        self.alpha = growth_alpha(fire)
        self.schedule: dict = {}
        """Zone id → fire.ZoneSmoke, once the fire has started."""

    def burn(self):
        """Ignite at the drawn time and set the smoke moving through the venue."""
        sim = self.sim
        yield self.env.timeout(max(0.0, self.start_s - self.env.now))
        if self.fire.set_by_threat and (sim.t_contained is not None or sim.t_threat_left is not None):
            sim.log("fire_prevented", zone=self.fire.zone, detail="the threat was stopped first")
            sim.fire_prevented.succeed()
            return
        sim.t_fire_start = self.env.now
        sim.log("fire_started", zone=self.fire.zone)
        sim.fire_started.succeed()
        inside = [z for z in sim.zones if not z.is_safe]
        self.schedule = smoke_schedule(
            fire_zone=self.fire.zone,
            ignition_s=self.env.now,
            alpha=self.alpha,
            max_hrr_kw=self.fire.max_hrr_kw,
            zones={z.id: (z.area_m2, z.spec.height_m) for z in inside},
            links={z.id: [d.other(z).id for d in z.doors] for z in inside},
            tenability_height_m=self.smoke.tenability_height_m,
            fire_zone_untenable_after_s=self.untenable_after_s,
            vents=self._vents(inside),
        )
        reached = {z: t for z, t in self.schedule.items() if t.untenable_s != float("inf")}
        for zone_id, times in sorted(reached.items(), key=lambda item: item[1].arrival_s):
            self.env.process(self.fill_zone(sim.zone_by_id[zone_id], times))

    def _vents(self, inside: list[ZoneState]) -> dict[frozenset, float]:
        """Open width between each pair of zones when the fire starts: shut doors hold smoke back."""
        vents: dict[frozenset, float] = {}
        for door in self.sim.doors:
            a, b = door.sides
            if door.state == "open" and not a.is_safe and not b.is_safe:
                key = frozenset((a.id, b.id))
                vents[key] = vents.get(key, 0.0) + door.spec.width_m
        return vents

    def fill_zone(self, zone: ZoneState, times):
        """Smoke arrives in one zone, then makes it untenable, unless the fire is stopped first."""
        sim = self.sim
        yield self.env.timeout(max(0.0, times.arrival_s - self.env.now))
        if sim.t_suppressed is not None:
            return
        profile = CoProfile(
            arrival_s=times.arrival_s,
            untenable_s=times.untenable_s,
            co_at_untenable_ppm=self.smoke.co_at_untenable_ppm,
            co_max_ppm=self.smoke.co_max_ppm,
        )
        sim.exposure.zone_changed(zone, before_change=True)
        zone.smoke = profile
        zone.smoky = True
        zone.hazard_changed()
        sim.exposure.zone_changed(zone, before_change=False)
        sim.log("smoke_arrived", zone=zone.id)
        sim.zone_hazard_changed(zone)
        yield self.env.timeout(max(0.0, times.untenable_s - self.env.now))
        if sim.t_suppressed is not None:
            return
        zone.untenable = True
        zone.untenable_at = self.env.now
        zone.hazard_changed()
        sim.log("zone_untenable", zone=zone.id)
        sim.zone_hazard_changed(zone)

    def suppress(self) -> None:
        """The fire stops growing: every zone's conditions stay as they are now.

        With the fire service inside and the smoke no longer getting worse, untenable zones no
        longer bar the way: people trapped behind them come out (still taking their dose).
        """
        now = self.env.now
        for zone in self.sim.zones:
            if zone.smoke is not None:
                self.sim.exposure.zone_changed(zone, before_change=True)
                zone.smoke = zone.smoke.with_freeze(now)
                zone.untenable = False
                zone.hazard_changed()
                self.sim.exposure.zone_changed(zone, before_change=False)
        self.sim.route.invalidate()
        self.sim.wake_trapped()
