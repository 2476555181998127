"""Orders and alarms: what the venue tells its people, and the doors its staff open or lock.

The alarm (and the evacuation strategy it sets going), announcements and their effect on
pre-movement still to come (docs/model.md, pre-movement), evacuation and shelter orders, the all-clear, and
the cues and rushes that start a zone's people moving. The actions of a run (`apply`) and
the incident's parts both speak to the crowd through this part.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, Protocol

import simpy

from .census import Census
from .doors import Door
from .events import Log
from .milestones import Milestones
from .rerouting import Rerouting
from .scenario.response import Response
from .strategies import STRATEGIES
from .zones import ZoneState

__all__ = ["Orders"]


class _Exposure(Protocol):
    def zone_changed(self, zone: ZoneState, before_change: bool) -> None: ...

    def threat_over(self) -> None: ...


class _Hiding(Protocol):
    def leave_cue(self, zone: ZoneState | None, reason: str) -> None: ...


class _Response(Protocol):
    def announce_after_alarm(self) -> Generator[simpy.Event, Any, None]: ...


class Orders:
    """The venue's orders during one run.

    Args:
        env: the run's environment.
        spec: the scenario's response (strategy, stages, pre-movement factors).
        zones, doors: the venue at run time (the outside is the last zone).
        census, exposure, rerouting, milestones, log: the parts it tells.
        response: starts the planned announcement after the alarm.
        staff_delays: per closed opening, how long after the alarm staff open it.
        set_off: starts a person moving from a zone (people leaving their shelter).
    """

    def __init__(self, env: simpy.Environment, spec: Response, zones: list[ZoneState], doors: list[Door], *,
                 census: Census, exposure: _Exposure, rerouting: Rerouting, milestones: Milestones,
                 log: Log, response: _Response, staff_delays: dict[str, float],
                 set_off: Callable[[int, ZoneState], None], accounted: Callable[[], None]):
        self.env = env
        self.spec = spec
        self.zones = zones
        self.zone_by_id = {z.id: z for z in zones}
        self.doors = doors
        self.census = census
        self.exposure = exposure
        self.rerouting = rerouting
        self.milestones = milestones
        self.log = log
        self.response = response
        self.strategy = STRATEGIES[spec.strategy]()
        self._staff_delays = staff_delays
        self._set_off = set_off
        self._accounted = accounted
        self._announcements: list[tuple[float, float]] = []
        self._shelter_locked: dict[str, list[Door]] = {}
        self.hiding: _Hiding | None = None
        """People who may hide (wired in after): the all-clear and staff orders cue them out."""

    def raise_alarm(self, detail: str) -> None:
        """The venue-wide alarm: the evacuation strategy starts and staff go to closed exits."""
        if not self.milestones.mark("alarm", self.env.now):
            return
        self.log("alarm", detail=detail)
        self.strategy.on_alarm(self, detail)
        for door in self.doors:
            if door.id in self._staff_delays:
                self.env.process(self.open_by_staff(door, self._staff_delays[door.id]))
        self.env.process(self.response.announce_after_alarm())

    def announce(self, quality: str) -> None:
        """A public announcement: a cue for everybody; pre-movement still to come scales by quality."""
        factor = self.spec.premovement_factor.get(quality, 1.0)  # type: ignore[call-overload]  # any str
        self.milestones.mark("announcement", self.env.now)
        self._announcements.append((self.env.now, factor))
        self.log("announcement", detail=f"{quality} (pre-movement × {factor:g})")
        for zone in self.zones:
            self.cue(zone, "announcement")
            zone.replanned()

    def planned_start(self, zone: ZoneState, cued_at: float, premovement: float) -> float:
        """When someone cued at `cued_at` starts moving, given the announcements since."""
        if zone.rush:
            return self.env.now
        start = cued_at + premovement
        for t, factor in self._announcements:
            if cued_at <= t < start:
                start = t + (start - t) * factor
        return start

    def order_evacuation(self, zones: list[ZoneState] | None, detail: str) -> None:
        """Order these zones out (None: the whole venue, which sounds the alarm too)."""
        if zones is None and not self.milestones.reached("alarm"):
            self.raise_alarm(detail)  # its strategy gives the venue's orders, this one among them
            return
        where = "whole venue" if zones is None else ", ".join(z.id for z in zones)
        self.log("evacuation_ordered", detail=where)
        self.milestones.mark("evac_order", self.env.now)
        for zone in zones if zones is not None else self.zones:
            self.cue(zone, detail)
            if zones is not None and zone.sheltered:
                self.release_sheltered(zone, "evacuation order")
            if zones is not None and self.hiding is not None:
                self.hiding.leave_cue(zone, "staff")

    def stage_evacuation(self, stages: list[list[ZoneState]],
                         interval: float) -> Generator[simpy.Event, Any, None]:
        """Order zones out stage by stage (docs/model.md, response chain: staged evacuation)."""
        for i, zones in enumerate(stages):
            if i:
                yield self.env.timeout(interval)
            self.order_evacuation(zones, f"stage {i + 1} evacuation order")

    def order_shelter(self, zones: list[ZoneState] | None) -> None:
        """People in lockable zones lock themselves in until the all-clear."""
        targets = [z for z in (zones if zones is not None else self.zones) if z.spec and z.spec.lockable]
        self.log("shelter_ordered", detail=", ".join(z.id for z in targets) or "no lockable zone")
        for zone in targets:
            locked = [d for d in zone.doors if d.state == "open"]
            self._shelter_locked.setdefault(zone.id, []).extend(locked)
            for door in locked:
                door.shut("locked")
            self.rerouting.route.invalidate()
            self.exposure.zone_changed(zone, before_change=True)
            self.census.shelter(zone)
            self.exposure.zone_changed(zone, before_change=False)
        self._accounted()

    def all_clear(self) -> None:
        """The all-clear: sheltering people unlock their rooms and leave."""
        if not self.milestones.mark("all_clear", self.env.now):
            return
        self.log("all_clear")
        if self.hiding is not None:
            self.hiding.leave_cue(None, "all-clear")
        for zone_id in list(self._shelter_locked):
            self.release_sheltered(self.zone_by_id[zone_id], "all-clear")

    def release_sheltered(self, zone: ZoneState, reason: str) -> None:
        """The people sheltering in a zone unlock it and leave (all-clear, an order, or smoke)."""
        for door in self._shelter_locked.pop(zone.id, []):
            self.open_door(door, f"unlocked ({reason})")
        self.exposure.zone_changed(zone, before_change=True)
        for person in sorted(zone.sheltered):
            self.census.unshelter(person, zone)
            self._set_off(person, zone)
        self.exposure.zone_changed(zone, before_change=False)

    def cue(self, zone: ZoneState, detail: str) -> None:
        """The zone's people notice: their pre-movement starts (once per zone)."""
        if zone.is_safe or zone.cue.triggered:
            return
        zone.cue.succeed()
        if zone.initial:
            self.log("zone_cued", zone=zone.id, detail=detail)

    def rush(self, zone: ZoneState, detail: str) -> None:
        """Everybody in the zone starts moving at once."""
        self.cue(zone, detail)
        if not zone.rush:
            zone.rush = True
            zone.replanned()

    def open_door(self, door: Door, detail: str) -> None:
        """Open an opening; queues nearby reconsider and trapped people look again."""
        if door.state == "open":
            return
        door.open()
        self.log("opening_opened", opening=door.id, detail=detail)
        self.rerouting.route.invalidate()
        self.rerouting.reconsider_queues(door.sides)
        self.rerouting.wake_trapped()

    def lock_door(self, door: Door, detail: str) -> None:
        """Lock an opening; its queue turns away."""
        if door.state == "locked":
            return
        door.shut("locked")
        self.log("opening_locked", opening=door.id, detail=detail)
        self.rerouting.route.invalidate()

    def open_by_staff(self, door: Door, delay: float) -> Generator[simpy.Event, Any, None]:
        """Staff reach a closed exit some time after the alarm and open it."""
        yield self.env.timeout(delay)
        if door.state == "closed":
            self.open_door(door, "opened by staff")
