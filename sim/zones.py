"""Zones at run time: who is in them, how crowded they are, and back-pressure.

A zone admits people up to its jam density (docs/model.md); an opening leading into a full
zone waits on `room_freed` until somebody leaves. Safe zones never fill.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

import simpy

from .fed import CoProfile
from .geometry import flight_length_m, slope_factor
from .movement import FREE_FLOW_DENSITY_P_M2, K_LEVEL, stair_k
from .scenario.venue import OUTSIDE, Zone
from .tenability import smoke_speed_factor
from .walkways import Walkways

if TYPE_CHECKING:
    from .doors import Door  # doors build on zones: for the annotation only

__all__ = ["ZoneState"]


class ZoneState:
    """One zone during a run."""

    def __init__(self, env: simpy.Environment, index: int, zone: Zone | None, jam_density: float):
        self.env = env
        self.index = index
        """Position in the simulation's zone list."""
        self.id = zone.id if zone is not None else OUTSIDE
        self.spec = zone
        """The scenario's zone (None for the implicit outside)."""
        self.is_safe = zone is None or zone.is_safe
        self.area_m2 = zone.area_m2 if zone is not None else math.inf
        self.is_stair = zone is not None and zone.kind == "stair"
        self.sparse_below = FREE_FLOW_DENSITY_P_M2 * self.area_m2
        """Fewer people than this ahead, on the level, and each walks at their own free speed
        (`walking_speed` below 0.54 /m²): people read it to skip the speed formula."""
        stair = zone if zone is not None and zone.kind == "stair" else None
        self.k = stair_k(stair.riser_mm, stair.tread_mm) if stair is not None else K_LEVEL
        """SFPE speed constant for walking in this zone."""
        self.path_factor = slope_factor(stair.riser_mm, stair.tread_mm) if stair is not None else 1.0
        """Walking distance per metre of plan distance (the slope length on stairs)."""
        core = stair if stair is not None and stair.top_floor is not None else None
        self.flight_m = flight_length_m(core.riser_mm, core.tread_mm, core.height_m) if core else 0.0
        """Walking length of one storey's flight on a stair with `top_floor` (its flights are
        stacked in its plan, so the plan distance does not hold them), else 0."""
        self.walkways = _walkways(zone)
        """Shortest walks round its corners and holes, for a polygon zone that is not convex;
        None where a straight line always stays inside (every rectangle zone, by convention)."""
        self.mid_floor = (core.floor + core.floor + core.flights) / 2 if core else 0.0
        """The height, in floors, taken for someone who starts on such a stair."""
        limit = (zone.max_density_p_m2 or jam_density) if zone is not None else math.inf
        self.capacity = math.inf if self.is_safe else max(1, int(limit * self.area_m2))
        """Most people the zone admits (back-pressure beyond this)."""
        self.doors: list = []
        """The openings on its boundary (filled in by the simulation)."""
        self.count = 0
        """People in the zone who are still trying to get out (not sheltering, not harmed)."""
        self.members: set[int] = set()
        """Who they are."""
        self.entries = 0
        """How many have entered so far (with `exits`, who is still ahead of a newcomer)."""
        self.exits = 0
        """How many have left so far (out through an opening, or out of the crowd)."""
        self.sheltered: set[int] = set()
        """People locked in here, sheltering."""
        self.threat = False
        """The threat is here now."""
        self.smoky = False
        """Smoke has arrived (people avoid it if they can)."""
        self.untenable = False
        """Smoke has made it untenable: nobody enters any more."""
        self.smoke: CoProfile | None = None
        """The zone's smoke profile (a fed.CoProfile) once a fire has started, else None."""
        self.extinction_at_untenable_per_m = 0.0
        """Extinction coefficient (1/m) the smoke here has when the zone is untenable; it rises
        with the CO (`smoke_speed_factor`). Set when smoke arrives."""
        self.blocked = False
        """Nobody may enter: the threat is here. (An untenable zone may still be crossed by
        people already caught in untenable smoke: standing still would be worse.)"""
        self.hazardous = False
        """Being here may harm: the threat is here, or there is smoke."""
        self.untenable_at: float | None = None
        self.initial = 0
        self.peak = 0
        self.cleared_at: float | None = None
        self.cue = env.event()
        """Succeeds at the zone's first cue (alarm, order, or the incident itself)."""
        self.rush = False
        """Everybody here starts at once (the threat is here, or smoke): no more pre-movement."""
        self._room: simpy.Event | None = None
        self.release: simpy.Process | None = None
        """The process that starts this zone's occupants (see occupants.release_occupants)."""

    def walk_m(self, start: tuple[float, float], door: Door) -> float:
        """Walking length across this zone from `start` (a point, or an opening's position) to `door`.

        The plan distance (round the corners of a polygon zone that is not convex), along the
        slope on a stair; on a stair with `top_floor`, plus a
        flight for each floor between where one starts and `door`'s floor. Someone standing
        at an opening is on its floor; someone who started on the stair, half way up it (the
        mean height of people spread evenly up it, for a walk to its foot or its head).
        """
        x, y = door.position
        walkways = self.walkways
        if walkways is None:
            plan = math.hypot(x - start[0], y - start[1]) * self.path_factor
        else:
            at_door = any(d.position is start for d in self.doors)
            plan = walkways.length(start, door.position, cache=at_door) * self.path_factor
        if not self.flight_m:
            return plan
        level = next((d.floor for d in self.doors if d.position is start), self.mid_floor)
        return plan + abs(door.floor - level) * self.flight_m

    def smoke_speed_factor(self, t: float) -> float:
        """Share of free walking speed left in this zone's smoke at time t (1 without smoke).

        For the walking code: multiply a walker's speed by it when a leg starts. The extinction
        coefficient rises with the CO, K = K_u C(t) / C_u (`tenability.smoke_speed_factor`).
        """
        profile = self.smoke
        if profile is None or not self.extinction_at_untenable_per_m:
            return 1.0
        k = self.extinction_at_untenable_per_m * profile.concentration_ppm(t) / profile.co_at_untenable_ppm
        return smoke_speed_factor(k)

    @property
    def density(self) -> float:
        """People per square metre now."""
        return self.count / self.area_m2

    def hazard_changed(self) -> None:
        """Recompute `blocked` and `hazardous` after `threat`, `untenable` or `smoke` changed.

        They are plain attributes, not properties: route choice and every passage read them.
        """
        self.blocked = self.threat
        self.hazardous = self.threat or self.smoke is not None

    @property
    def full(self) -> bool:
        """Whether nobody more can enter."""
        return self.count >= self.capacity

    def room_freed(self) -> simpy.Event:
        """An event that succeeds when somebody leaves (shared by all who wait)."""
        if self._room is None:
            self._room = self.env.event()
        return self._room

    def replanned(self) -> None:
        """Wake the zone's release process: its people's start times changed."""
        release = self.release
        if release is not None and release.is_alive:
            release.interrupt("replan")

    def enter(self, person: int) -> None:
        """Count one person in."""
        self.members.add(person)
        self.count += 1
        self.entries += 1
        if self.count > self.peak:
            self.peak = self.count

    def enter_all(self, people: list[int]) -> None:
        """Count many people in at once, as `enter` one by one would (the crowd at t = 0)."""
        self.members.update(people)
        self.count += len(people)
        self.entries += len(people)
        if self.count > self.peak:
            self.peak = self.count

    def leave(self, person: int) -> None:
        """Count one person out, waking openings blocked by back-pressure."""
        self.members.discard(person)
        self.count -= 1
        self.exits += 1
        if self._room is not None and self.count < self.capacity:
            room, self._room = self._room, None
            room.succeed()


def _walkways(zone: Zone | None) -> Walkways | None:
    """Walkways for a zone a straight line could leave (not convex, or with holes).

    A polygon or a union of rectangles may be; a single rectangle never is.
    """
    if zone is None or (zone.polygon is None and len(zone.shapes) < 2):
        return None
    return _walkways_of(zone.outline)


@functools.lru_cache(maxsize=256)
def _walkways_of(outline) -> Walkways | None:
    """One Walkways per plan, shared by every run: its graph is the costly part.

    Walks are a pure function of the plan and their two ends: sharing its cache changes nothing.
    """
    convex = outline.convex_hull.area - outline.area <= 1e-9 * outline.area
    if convex and not getattr(outline, "interiors", ()):
        return None
    return Walkways(outline)
