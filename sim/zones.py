"""Zones at run time: who is in them, how crowded they are, and back-pressure.

A zone admits people up to its jam density (DESIGN.md 3.2); an opening leading into a full
zone waits on `room_freed` until somebody leaves. Safe zones never fill.
"""

from __future__ import annotations

import math

import simpy

from .geometry import slope_factor
from .movement import K_LEVEL, stair_k
from .scenario.venue import OUTSIDE, Zone

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
        self.k = stair_k(zone.riser_mm, zone.tread_mm) if self.is_stair else K_LEVEL
        """SFPE speed constant for walking in this zone."""
        self.path_factor = slope_factor(zone.riser_mm, zone.tread_mm) if self.is_stair else 1.0
        """Walking distance per metre of plan distance (the slope length on stairs)."""
        limit = (zone.max_density_p_m2 or jam_density) if zone is not None else math.inf
        self.capacity = math.inf if self.is_safe else max(1, int(limit * self.area_m2))
        """Most people the zone admits (back-pressure beyond this)."""
        self.doors: list = []
        """The openings on its boundary (filled in by the simulation)."""
        self.count = 0
        self.initial = 0
        self.peak = 0
        self.cleared_at: float | None = None
        self.cue = env.event()
        """Succeeds at the zone's first cue (alarm, order, or the incident itself)."""
        self._room: simpy.Event | None = None

    @property
    def density(self) -> float:
        """People per square metre now."""
        return self.count / self.area_m2

    @property
    def full(self) -> bool:
        """Whether nobody more can enter."""
        return self.count >= self.capacity

    def room_freed(self) -> simpy.Event:
        """An event that succeeds when somebody leaves (shared by all who wait)."""
        if self._room is None:
            self._room = self.env.event()
        return self._room

    def enter(self) -> None:
        """Count one person in."""
        self.count += 1
        if self.count > self.peak:
            self.peak = self.count

    def leave(self) -> None:
        """Count one person out, waking openings blocked by back-pressure."""
        self.count -= 1
        if self._room is not None and self.count < self.capacity:
            room, self._room = self._room, None
            room.succeed()
