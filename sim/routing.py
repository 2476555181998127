"""Exit choice by expected time (DESIGN.md 3.2).

Each occupant picks, among the openings of the zone they are in, the one with the least
expected time to safety: walking to it + queueing there + the best time onwards from the
far side. "Onwards" comes from a table computed by Dijkstra over (opening, zone entered)
pairs, with walking at the population's mean speed and each opening's current queue; the
table is refreshed every few seconds and whenever an opening opens, shuts or is found shut,
so choices follow the crowd. Familiar occupants (DESIGN.md: familiarity bias) use a table
rooted at the entrance they came in by, while it stays usable.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence

from .doors import Door
from .geometry import distance
from .zones import ZoneState

__all__ = ["QuickestRoute"]

REFRESH_S = 2.0
"""How stale the onwards-time table may get before it is recomputed."""


class QuickestRoute:
    """The route-choice strategy: least expected time to safety."""

    def __init__(self, zones: Sequence[ZoneState], doors: Sequence[Door], reference_speed_m_s: float):
        self.zones = zones
        self.doors = doors
        self.speed = reference_speed_m_s
        self._legs = self._zone_legs()
        self._tables: dict[Door | None, list[float]] = {}
        self._stamp = -math.inf

    def invalidate(self) -> None:
        """Recompute the tables at the next choice (an opening opened or shut)."""
        self._stamp = -math.inf

    def choose(self, zone: ZoneState, position: tuple[float, float], speed: float,
               now: float, target: Door | None = None) -> tuple[Door | None, float]:
        """The best opening out of `zone` from `position`, and the time to walk to it.

        With a `target` entrance, the route towards it; (None, 0) if no opening leads to
        safety (or to the target) now.
        """
        onwards = self._table(target, now)
        best, best_cost, best_walk = None, math.inf, 0.0
        for door in zone.doors:
            if not door.believed_usable:
                continue
            beyond = door.other(zone)
            after = 0.0 if beyond.is_safe and target is None else onwards[2 * door.index + (beyond is door.sides[1])]
            if after == math.inf:
                continue
            walk = distance(position, door.position) * zone.path_factor / speed
            cost = walk + door.expected_wait(walk) + after
            if cost < best_cost:
                best, best_cost, best_walk = door, cost, walk
        return best, best_walk

    def _table(self, target: Door | None, now: float) -> list[float]:
        if now - self._stamp >= REFRESH_S:
            self._tables.clear()
            self._stamp = now
        table = self._tables.get(target)
        if table is None:
            table = self._tables[target] = self._onwards(target)
        return table

    def _zone_legs(self) -> list[dict[int, list[tuple[Door, float]]]]:
        """Per zone, per door out: the other doors in and the walking distance from each."""
        return [
            {
                out.index: [
                    (entry, distance(entry.position, out.position) * zone.path_factor)
                    for entry in zone.doors if entry is not out
                ]
                for out in zone.doors
            } if not zone.is_safe else {}
            for zone in self.zones
        ]

    def _onwards(self, target: Door | None) -> list[float]:
        """Best expected time to safety (or to pass `target`) after entering a zone by a door.

        Node 2·i + s is "just came through door i into its side s".
        """
        cost = [math.inf] * (2 * len(self.doors))
        heap: list[tuple[float, int]] = []
        sources = [target] if target is not None else self.doors
        for door in sources:
            if not door.believed_usable:
                continue
            for side, zone in enumerate(door.sides):
                if zone.is_safe or target is not None:
                    node = 2 * door.index + side
                    cost[node] = 0.0
                    heap.append((0.0, node))
        heapq.heapify(heap)
        while heap:
            c, node = heapq.heappop(heap)
            if c > cost[node]:
                continue
            door = self.doors[node >> 1]
            before = door.sides[1 - (node & 1)]  # the zone one crosses `door` from
            if before.is_safe or not door.believed_usable:
                continue
            base = c + door.expected_wait(0.0)
            for entry, dist in self._legs[before.index][door.index]:
                prev = 2 * entry.index + (before is entry.sides[1])
                new = base + dist / self.speed
                if new < cost[prev]:
                    cost[prev] = new
                    heapq.heappush(heap, (new, prev))
        return cost
