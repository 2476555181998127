"""Exit choice by expected time (docs/model.md, openings and walking).

Each occupant picks, among the openings of the zone they are in, the one with the least
expected time to safety: walking to it + queueing there + the best time onwards from the
far side. "Onwards" comes from a table computed by Dijkstra over (opening, zone entered)
pairs, with walking at the population's mean speed and each opening's current queue; the
table is refreshed every few seconds and whenever an opening opens, shuts or is found shut,
so choices follow the crowd. Nobody heads into a zone holding the threat or made untenable
by smoke, nor out to safety past the threat; smoke that is still tenable costs a penalty.
Familiar occupants (docs/model.md: familiarity) use a table
rooted at the entrance they came in by, by walking time alone, while it stays usable.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from typing import ClassVar

from .doors import Door
from .zones import ZoneState

__all__ = ["QuickestRoute"]

REFRESH_S = 5.0
"""How stale the onwards-time table may get before it is recomputed."""

UNTENABLE_PENALTY_S = 600.0
"""Crossing an untenable zone: only people already caught in one may, as a last resort."""

SMOKE_PENALTY_S = 60.0
"""Extra expected time for crossing a zone with smoke in it (still tenable): people avoid
smoke when another way is not much longer (Jin: visibility, and the will to go on, fall in smoke)."""


class QuickestRoute:
    """The default route-choice strategy: least expected time to safety (`exit_choice: quickest`)."""

    name: ClassVar[str] = "quickest"
    refresh_s: ClassVar[float] = REFRESH_S
    counts_queues: ClassVar[bool] = True
    """Whether a choice adds the queue still ahead at each opening (the nearest-exit rule does not)."""
    """How stale the crowd's table may get: the queues in it change all the time."""

    def __init__(self, zones: Sequence[ZoneState], doors: Sequence[Door], reference_speed_m_s: float,
                 margin_s: float = 0.0):
        self.zones = zones
        self.doors = doors
        self.speed = reference_speed_m_s
        self.margin_s = margin_s
        """Seconds another way must save before people take it over their own (`clearly_better`;
        the population's `route_inertia.margin_s`, 0 in part tests: perfect information)."""
        self._legs = self._zone_legs()
        self._exits = [
            [(d, 2 * d.index + (d.other(z) is d.sides[1]), d.other(z), d.other(z).is_safe, *d.position)
             for d in sorted(z.doors, key=lambda d: d.id)]
            for z in zones
        ]
        """Per zone: (door, table node on its far side, far zone, whether it is safe, door x, door y),
        in the order of the openings' ids: an exact tie goes to the smallest id, whatever the
        order the file lists them in."""
        self._tables: dict[Door, list[float]] = {}
        self._crowd: list[float] = []
        self._stamp = -math.inf
        self._options: dict[tuple[int, Door | None, Door | None], list[tuple]] = {}
        """Usable ways out per (zone, None, target), and with the walking distances from each
        opening of the zone per (zone, opening, target), for the current tables (target None:
        the crowd's)."""
        self.revision = 0
        """How many times `invalidate` has been called (`RouteChoice.revision`)."""
        self._door_at = {id(d.position): d for d in doors}
        """Openings by their position object: people who stand at one pass that very tuple."""

    def invalidate(self) -> None:
        """Recompute the tables at the next choice (an opening opened or shut).

        Every change that makes an opening usable or not, or a zone blocked, untenable or
        threatened, is followed by a call to this (the simulation's contract), so the ways
        out cached per zone (`_options`) are dropped here too.
        """
        self.revision += 1
        self._stamp = -math.inf
        self._tables.clear()
        self._options.clear()

    def choose(self, zone: ZoneState, position: tuple[float, float], speed: float, now: float,
               target: Door | None = None, came_by: Door | None = None,
               keep_share: float = 1.0) -> tuple[Door | None, float]:
        """The best opening out of `zone` from `position`, and the walking distance to it.

        (None, 0) if no opening leads to safety now. Costs are in the same units everywhere
        (walking at the reference speed), so a slow walker does not mistake turning back for
        a shortcut; their own `speed` only sets when they would reach a queue. Nobody turns
        back through `came_by`, the opening they just came through, unless it is the only way
        on. With a `target` entrance, the route to it. `keep_share` is the person's route
        inertia (`clearly_better`).
        """
        exits = self._exits[zone.index]
        if len(exits) == 2 and came_by is not None and target is None and not zone.untenable:
            # A corridor or stair: the only way on is the other end, if it is open to them.
            door, node, beyond, safe_beyond, px, py = exits[1] if exits[0][0] is came_by else exits[0]
            if door.believed_usable and not beyond.blocked and not beyond.untenable \
                    and not (safe_beyond and zone.threat) \
                    and (safe_beyond or self._table(None, now)[node] != math.inf):
                if zone.flight_m or zone.walkways is not None:
                    return door, zone.walk_m(position, door)
                return door, math.hypot(px - position[0], py - position[1]) * zone.path_factor
        best, _, dist = self._scan(zone, position, speed, now, target, came_by, keep_share=keep_share)
        return best, dist

    def alternative(self, zone: ZoneState, door: Door, speed: float,
                    now: float) -> tuple[Door | None, float]:
        """For someone queued at `door`: the best other opening from there, and its expected time."""
        best, cost, _ = self._scan(zone, door.position, speed, now, None, door, allow_back=False,
                                   keep_share=None)
        return best, cost

    def clearly_better(self, other_s: float, own_s: float, keep_share: float = 1.0) -> bool:
        """Whether a way expected to take `other_s` is worth leaving one of `own_s` for.

        People keep to the way they are on (the nearest, or the queue they are in) unless
        another saves `margin_s` and takes at most their `keep_share` of the time (route
        inertia; keep_share is 1 − their drawn `faster_by`).
        """
        return other_s + self.margin_s < own_s and other_s <= keep_share * own_s

    def stay_cost(self, zone: ZoneState, door: Door, place_in_queue: int, now: float) -> float:
        """Expected time to safety for someone at `place_in_queue` in `door`'s queue."""
        beyond = door.other(zone)
        node = 2 * door.index + (beyond is door.sides[1])
        after = 0.0 if beyond.is_safe else self._table(None, now)[node]
        return place_in_queue * door.headway + after

    def _table(self, target: Door | None, now: float) -> list[float]:
        """The onwards-time table for the crowd, or for a familiar entrance.

        The crowd's is refreshed every `refresh_s`; a familiar entrance's counts walking only
        (people head for the way they know whatever the queues), so it changes only when an
        opening opens or shuts.
        """
        if target is not None:
            table = self._tables.get(target)
            if table is None:
                table = self._tables[target] = self._onwards(target, waits=False)
            return table
        if now - self._stamp >= self.refresh_s:
            self._crowd = self._crowd_table()
            self._stamp = now
            self._options.clear()
        return self._crowd

    def _crowd_table(self) -> list[float]:
        """The crowd's onwards table, worked out afresh: walking, queues and hazards."""
        return self._onwards(None, waits=True)

    def _scan(self, zone, position, speed, now, target, came_by, allow_back=True, keep_share=1.0):
        """The least expected time out of `zone` (or to `target`): (opening, cost, walking distance).

        For a person choosing (`keep_share` not None; a queue being weighed passes None), the
        way that is nearest in time without the queues in this zone wins unless the quickest
        is `clearly_better` for them: people see the queues ahead of them but do not balance
        them to the second (route inertia).

        Which openings are usable and the time onwards from each change only when the table
        does, so they are worked out once per zone (`_usable`); from an opening (people stand
        at one after every passage, or on finding it shut) the walking distances are fixed
        too. Only the queues are read each time. An exact tie goes to the opening with the
        smallest id (`_exits` is in id order), so the file's order never decides.
        """
        options = self._ways_from(zone, position, target, now)
        waits = self.counts_queues
        best, best_cost, best_dist, back_cost, back_dist = None, math.inf, 0.0, math.inf, 0.0
        near, near_walk, near_cost, near_dist = None, math.inf, math.inf, 0.0
        for door, dist, walk in options:
            if waits:
                queue_s = (len(door.line) + door.heading) * door.headway - dist / speed
                cost = walk + queue_s if queue_s > 0.0 else walk
            else:
                cost = walk
            if door is came_by:
                back_cost, back_dist = cost, dist
                continue
            if cost < best_cost:
                best, best_cost, best_dist = door, cost, dist
            if walk < near_walk:
                near, near_walk, near_cost, near_dist = door, walk, cost, dist
        if best is None and allow_back and back_cost < math.inf:
            return came_by, back_cost, back_dist
        if keep_share is not None and near is not best and waits and target is None \
                and not self.clearly_better(best_cost, near_cost, keep_share):
            return near, near_cost, near_dist
        return best, best_cost, best_dist

    def _ways_from(self, zone: ZoneState, position: tuple[float, float], target: Door | None,
                   now: float) -> list[tuple[Door, float, float]]:
        """The ways out of `zone` with their walking distance and time without queues, cached per opening."""
        if target is None and now - self._stamp >= self.refresh_s:
            self._table(None, now)  # the crowd's table is stale: refresh it (drops `_options`)
        at = self._door_at.get(id(position))
        if at is not None and at.position is position:
            options = self._options.get((zone.index, at, target))
            if options is None:
                options = self._distances(zone, position, target, now)
                self._options[zone.index, at, target] = options
            return options
        return self._distances(zone, position, target, now)

    def _distances(self, zone: ZoneState, position: tuple[float, float], target: Door | None,
                   now: float) -> list[tuple[Door, float, float]]:
        """The ways out of `zone`: (opening, walk to it from `position`, time without the queues).

        The time is walking there at the reference speed and the time onwards from it, worked
        out here once for every choice the list is kept for (`_ways_from`).
        """
        usable = self._usable(zone, target, now)
        reference = self.speed
        ways = []
        if zone.flight_m or zone.walkways is not None:  # flights count too, or corners to go round
            walk_m = zone.walk_m
            for door, after, _, _ in usable:
                dist = walk_m(position, door)
                ways.append((door, dist, dist / reference + after))
            return ways
        x, y = position  # the plan distance, inline: this runs at nearly every choice
        factor, hypot = zone.path_factor, math.hypot
        for door, after, px, py in usable:
            dist = hypot(px - x, py - y) * factor
            ways.append((door, dist, dist / reference + after))
        return ways

    def _usable(self, zone: ZoneState, target: Door | None,
                now: float) -> list[tuple[Door, float, float, float]]:
        """The ways out of `zone` now: (opening, best time onwards, door x, door y).

        Believed usable, not into a blocked zone nor (unless caught in it already) an
        untenable one, not out to safety past the threat, and some way on from the far side.
        For the crowd, stepping out to safety is the end; towards a `target`, the walk
        onwards from there counts too.
        """
        options = self._options.get((zone.index, None, target))
        if options is not None:
            return options
        onwards = self._table(target, now)
        caught = zone.untenable
        options = []
        for door, node, beyond, safe_beyond, px, py in self._exits[zone.index]:
            if not door.believed_usable or beyond.blocked or (beyond.untenable and not caught):
                continue
            if safe_beyond:
                if zone.threat:
                    continue
                after = 0.0 if target is None else onwards[node]
            else:
                after = onwards[node]
            if after != math.inf:
                options.append((door, after, px, py))
        self._options[zone.index, None, target] = options
        return options

    def _zone_legs(self) -> list[dict[int, list[tuple[Door, float]]]]:
        """Per zone, per door out: the other doors in and the walking distance from each."""
        return [
            {
                out.index: [
                    (entry, zone.walk_m(entry.position, out))
                    for entry in zone.doors if entry is not out
                ]
                for out in zone.doors
            } if not zone.is_safe else {}
            for zone in self.zones
        ]

    def _onwards(self, target: Door | None, *, waits: bool) -> list[float]:
        """Best expected time to safety (or walking time to `target`) after entering a zone.

        Node 2·i + s is "just came through door i into its side s". With `waits`, each
        opening's queue counts; without, only walking and the hazard penalties do.
        """
        cost = [math.inf] * (2 * len(self.doors))
        heap: list[tuple[float, int]] = []
        sources = [target] if target is not None else self.doors
        for door in sources:
            if not door.believed_usable:
                continue
            for side, zone in enumerate(door.sides):
                if door.sides[1 - side].threat:
                    continue  # the threat covers this way out, or the far side is blocked
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
            base = c + (len(door.line) + door.heading) * door.headway if waits else c
            if before.blocked:
                continue  # nobody may enter the zone one would cross `door` from
            if before.untenable:
                base += UNTENABLE_PENALTY_S
            elif before.smoky:
                base += SMOKE_PENALTY_S
            for entry, dist in self._legs[before.index][door.index]:
                prev = 2 * entry.index + (before is entry.sides[1])
                new = base + dist / self.speed
                if new < cost[prev]:
                    cost[prev] = new
                    heapq.heappush(heap, (new, prev))
        return cost
