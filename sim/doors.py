"""Openings as flow servers (docs/model.md, openings and walking).

An opening passes at most `capacity` persons per second, in arrival order, in either
direction: with a standing queue, one person every 1/capacity seconds, so the measured
flow equals the capacity exactly and the event mechanics lose none of it. A person who
finds no queue passes at once. If the zone beyond is full it passes nobody into it until room
frees up (back-pressure), but people coming out of the full zone still pass, and when both
zones are full a person going each way swap places (see `Door.take_turn`). Closing or locking
an opening sends its queue elsewhere.

The opening has no process of its own, and the walk to it has no event of its own either:
a person who sets off towards an opening takes a `Turn` there at once, and the opening
schedules only the turn of whoever is first (at their arrival, or when it is free again).
The others join the queue, in order of arrival, the next time the opening acts. That is one
event per passage, whatever the walk and the wait, and passages are most of a run's events.
Those on their way learn that it shut, or that the way beyond was blocked, on arrival.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable

import simpy

from .geometry import shared_edge_point
from .movement import K_LEVEL, opening_capacity_p_s, stair_k
from .scenario.venue import Opening, Venue, opening_floor
from .turn import Turn
from .zones import ZoneState

__all__ = ["Door", "Turn", "make_door"]

TIME_EPS_S = 1e-9
"""Scheduling `t - now` seconds ahead may land a rounding error away from t: arrivals and
the moment an opening is free again are compared with this much slack."""


class Door:
    """One opening during a run.

    It holds the people queued at it (`line`, in arrival order) and the people walking
    towards it (`coming`, a heap by arrival time). Whoever is first of all, queued or not,
    has their turn scheduled: at their arrival, or when the opening is free again if that is
    later. The others need no event until they are first; arrivals join the queue when the
    opening next acts (`_admit`), in the order they arrived. So a passage costs one event,
    however the walk and the wait split.
    """

    def __init__(
        self,
        env: simpy.Environment,
        index: int,
        spec: Opening,
        sides: tuple[ZoneState, ZoneState],
        position: tuple[float, float],
        capacity_p_s: float,
        on_pass: Callable[[int, Door, ZoneState, ZoneState], None],
    ):
        self.env = env
        self.index = index
        self.id = spec.id
        self.spec = spec
        self.sides = sides
        """The two zones it joins, in the file's order."""
        self.position = position
        """Where it is on the plan (metres)."""
        specs = {z.id: z.spec for z in sides if z.spec is not None}
        floor = opening_floor(spec, specs)
        self.floor = min((z.floor for z in specs.values()), default=0) if floor is None else floor
        """The floor it is on: walks through a stair with `top_floor` count flights by it. (The
        lowest floor of its zones where it cannot be told: only between one-storey stairs,
        whose walks do not use it; the scenario check refuses it on a `top_floor` stair.)"""
        self.capacity = capacity_p_s
        """Persons per second with a standing queue."""
        self.headway = 1.0 / capacity_p_s
        """Seconds between two passages with a standing queue."""
        self.state: str = spec.state
        """open, closed or locked."""
        self.found_shut = False
        """Somebody has found it shut, and word has spread: nobody heads for it any more."""
        self.believed_usable = self._believed()
        """Whether people head for it: open, or a signed exit nobody has found shut yet
        (kept as an attribute: route choice reads it tens of thousands of times a run)."""
        self.line: deque[Turn] = deque()
        """The people queued here, as of its last action (see `queue` for now)."""
        self.lined_from = [0, 0]
        """How many of `line` came from each side (`sides` order): re-routing looks only at
        the people of one zone, and a queue into a full zone may hold hundreds from the other."""
        self.coming: list[tuple[float, int, Turn]] = []
        """The people on their way here: a heap of (arrival, order, turn)."""
        self.heading = 0
        """How many are on their way (those coming, and those who will find it shut):
        `len(line) + heading` is everybody heading for it or queued, whether or not the
        latest arrivals have joined the line yet."""
        self.passed = 0
        self.peak_queue = 0
        self.first_pass: float | None = None
        self.last_pass: float | None = None
        self._on_pass = on_pass
        self.watchers: list[Callable[[Door], None]] = []
        """Told after it opens or shuts during the run (the smoke reads which doors are open)."""
        self._next_free = -math.inf
        self._order = 0
        self._held_for: ZoneState | None = None
        """The full zone the head of the queue waits to enter, while it waits: people coming
        out of it are woken on arrival, since they can pass (or swap) at once."""
        self._waiting_on: simpy.Event | None = None
        """The `room_freed` event the opening already waits on (one callback per event)."""

    @property
    def queue(self) -> deque[Turn]:
        """The people queued here now, in order (the ones who have arrived join first)."""
        self._admit()
        return self.line

    def passable(self, from_zone: ZoneState) -> bool:
        """Whether someone in `from_zone` can get through now.

        It must be open, the far side must not hold the threat, nor be untenable unless the
        person is already in untenable smoke, and no threat may cover this way out to safety.
        """
        if self.state != "open":
            return False
        to_zone = self.other(from_zone)
        if to_zone.blocked or (to_zone.untenable and not from_zone.untenable):
            return False
        return not (from_zone.threat and to_zone.is_safe)

    def other(self, zone: ZoneState) -> ZoneState:
        """The zone on the far side from `zone`."""
        return self.sides[1] if zone is self.sides[0] else self.sides[0]

    def approach(self, person: int, from_zone: ZoneState, walk_s: float) -> Turn:
        """A person sets off from `from_zone` and reaches the opening `walk_s` from now.

        Returns the Turn to wait on, then `take_turn`. If the opening is not open they find
        it so on arrival: the turn fires then, and `take_turn` says no.
        """
        now = self.env._now
        turn = Turn(self.env, self, person, from_zone, now + walk_s)
        self.heading += 1
        if self.state != "open":
            turn.finds_shut = True
            turn.fire_in(walk_s)
            return turn
        self._order += 1
        heapq.heappush(self.coming, (turn.arrival, self._order, turn))
        turn.in_line = True
        if not self.line and self.coming[0][2] is turn:
            self._schedule_head(now)  # first of all (perhaps ahead of someone slower)
        elif from_zone is self._held_for and not turn.scheduled:
            turn.fire_in(walk_s)  # coming out of the full zone the head waits for: can move
        return turn

    def take_turn(self, turn: Turn) -> bool | Turn:
        """A person's turn came.

        Returns True if they passed, False if they must choose again (the opening shut, or
        the way beyond was blocked, while they came or queued), or a new Turn to wait on:
        the zone beyond is full, or somebody else turned out to be first.

        A head who waits for room in a full zone does not hold up the people coming out of it
        through the same opening: the first of them passes first if the head's own zone has
        room, and if it is full too the two swap places (`_exchange`). Only when nobody queued
        is going the other way does the opening wait for room (and it wakes on the arrival of
        anyone coming out of the full zone). So an opening between two zones always serves
        someone who can move.
        """
        if not turn.in_line:
            if turn.exchanged:
                return True  # swapped places with the head while queued
            self._arrived_outside_line(turn)
            return False  # the opening was shut, or they were sent away, while they came
        now = self.env._now
        coming = self.coming
        if coming and coming[0][0] <= now + TIME_EPS_S:
            self._admit(now)
        queue = self.line
        if queue[0] is not turn or now < self._next_free - TIME_EPS_S:
            return self._wait_again(turn)  # overtaken on the way, or the opening is busy
        from_zone = turn.from_zone
        to_zone = self.sides[1] if from_zone is self.sides[0] else self.sides[0]
        if (to_zone.blocked or to_zone.untenable or from_zone.threat) and not self.passable(from_zone):
            self._unline(queue.popleft())  # the way beyond became blocked while they waited
            self._schedule_head(now)
            return False
        if to_zone.count >= to_zone.capacity:
            return self._wait_for_room(turn, from_zone, to_zone, now)
        self._unline(queue.popleft())
        self._pass(turn.person, from_zone, to_zone, now)
        self._schedule_head(now)
        return True

    def set_before_event(self, state: str) -> None:
        """Open or lock it before the event starts (nobody is on the move yet)."""
        self.state = state
        self.believed_usable = self.spec.signed_exit or state == "open"

    def mark_found_shut(self) -> None:
        """Somebody found it shut; from now on nobody heads for it while it stays shut."""
        self.found_shut = True
        self.believed_usable = self._believed()

    def open(self) -> None:
        """Open it (staff unlock it, or an action)."""
        self.state = "open"
        self.believed_usable = True
        self._schedule_head()
        for watcher in self.watchers:
            watcher(self)

    def shut(self, state: str) -> None:
        """Close or lock it; everybody queued turns away (and knows it is shut).

        Those still on their way find it shut when they arrive.
        """
        self._admit()
        self.state = state
        self.mark_found_shut()
        queued, self.line, self.lined_from = self.line, deque(), [0, 0]
        coming, self.coming = self.coming, []
        self.heading -= len(coming)
        for turn in queued:
            self._send_away(turn)
        for _, _, turn in coming:
            self._send_away(turn)
        for watcher in self.watchers:
            watcher(self)

    def withdraw(self, turn: Turn) -> None:
        """Take one person out of the line (harmed, or sheltering) and wake them to find out."""
        if not turn.in_line:
            self._arrived_outside_line(turn)
            return
        self._admit()
        head = self._head()
        self._remove(turn)
        turn.in_line = False
        if not turn.scheduled:
            turn.fire_in(0.0)
        if turn is head:
            self._schedule_head()

    def turn_away(self, into: ZoneState | None = None, out_of: ZoneState | None = None) -> None:
        """Send away the people going `into` a zone, or out of one (a hazard appeared).

        Those queued learn at once; those on their way, when they arrive.
        """
        self._admit()
        head = self._head()

        def going(turn: Turn) -> bool:
            return turn.from_zone is out_of or (into is not None and self.other(turn.from_zone) is into)

        keep: deque[Turn] = deque()
        for turn in self.line:
            if going(turn):
                self._send_away(turn)
            else:
                keep.append(turn)
        self.line = keep
        self.lined_from = [sum(self._side(t) == side for t in keep) for side in (0, 1)]
        coming = []
        for entry in self.coming:
            if going(entry[2]):
                self._send_away(entry[2])
            else:
                coming.append(entry)
        heapq.heapify(coming)
        self.heading -= len(self.coming) - len(coming)
        self.coming = coming
        if self._head() is not head:
            self._schedule_head()

    def _arrived_outside_line(self, turn: Turn) -> None:
        """Someone who set off towards it while it was shut arrives, or drops out on the way."""
        if turn.finds_shut:
            turn.finds_shut = False
            self.heading -= 1

    def _send_away(self, turn: Turn) -> None:
        """Wake someone to choose again: now if they are here, else when they arrive.

        The queued head's turn may already be due later (when the opening is free again): a
        scheduled event cannot be brought forward, so whoever waits on it (its callbacks) is
        moved to a fresh turn due now, and the old one fires later to nobody.
        """
        turn.in_line = False
        now = self.env.now
        if not turn.scheduled:
            turn.fire_in(max(0.0, turn.arrival - now))
        elif turn.arrival <= now + TIME_EPS_S and turn.callbacks:
            now_turn = Turn(self.env, self, turn.person, turn.from_zone, turn.arrival)
            now_turn.callbacks, turn.callbacks = turn.callbacks, []
            now_turn.fire_in(0.0)

    def _admit(self, now: float | None = None) -> None:
        """The people who have arrived by now join the queue, in the order they arrived.

        Between two actions of the opening nobody leaves its queue, so joining late changes
        nothing but the peak queue, counted here as it would have been on arrival: someone
        who found the opening free and nobody queued was not waiting, nor counted while the
        others who arrived with them join the queue behind them.
        """
        coming = self.coming
        if now is None:
            now = self.env._now
        line = self.line
        while coming and coming[0][0] <= now + TIME_EPS_S:
            arrival, _, turn = heapq.heappop(coming)
            self.heading -= 1
            waits = turn.waited = bool(line) or arrival < self._next_free
            line.append(turn)
            self.lined_from[self._side(turn)] += 1
            if waits:
                waiting = len(line) if line[0].waited else len(line) - 1  # the head passing now does not wait
                if waiting > self.peak_queue:
                    self.peak_queue = waiting

    def _unline(self, turn: Turn) -> None:
        """Book the turn just taken off the front of the line."""
        turn.in_line = False
        self.lined_from[self._side(turn)] -= 1

    def _side(self, turn: Turn) -> int:
        """The index in `sides` of the zone the turn's person came from."""
        return 0 if turn.from_zone is self.sides[0] else 1

    def lined_up_from(self, zone: ZoneState) -> int:
        """How many in the line (as of the opening's last action) came from `zone`."""
        return self.lined_from[0 if zone is self.sides[0] else 1]

    def _head(self) -> Turn | None:
        """Whoever is first: queued, or else the next to arrive."""
        if self.line:
            return self.line[0]
        return self.coming[0][2] if self.coming else None

    def _remove(self, turn: Turn) -> None:
        """Take a turn out of the line, or else out of those coming.

        The line is searched from the back: people leave a long queue from its end (see the
        simulation's `reconsider_queues`), and searching from the front made that quadratic.
        """
        line = self.line
        last = len(line) - 1
        for i, queued in enumerate(reversed(line)):
            if queued is turn:
                del line[last - i]
                self.lined_from[self._side(turn)] -= 1
                return
        self.coming = [entry for entry in self.coming if entry[2] is not turn]
        heapq.heapify(self.coming)
        self.heading -= 1

    def _replace(self, turn: Turn, place: int) -> Turn:
        """A new turn for the person at `place` in the queue (their old one has fired)."""
        again = Turn(self.env, self, turn.person, turn.from_zone, turn.arrival)
        again.in_line = True
        turn.in_line = False
        self.line[place] = again
        return again

    def _wait_again(self, turn: Turn) -> Turn:
        """A turn fired before its person was first, or before the opening was free."""
        again = self._replace(turn, self.line.index(turn))
        self._schedule_head()
        return again

    def _wait_for_room(self, turn: Turn, from_zone: ZoneState, to_zone: ZoneState,
                       now: float) -> bool | Turn:
        """The head's zone beyond is full: serve someone coming out of it, or wait for room.

        Without this one person waiting to enter a full stair would hold up everybody on the
        stair waiting to come out through the same opening: a deadlock no crowd would keep.
        """
        line = self.line
        out = next((i for i, t in enumerate(line) if t.from_zone is to_zone), None)
        if out is not None and not self.passable(to_zone):
            out = None  # they would be turned away on their turn (the head's zone is blocked)
        if out is None:
            again = self._replace(turn, 0)
            self._held_for = to_zone
            self._wake_first_coming_out(to_zone)
            room = to_zone.room_freed()
            if room is not self._waiting_on:
                self._waiting_on = room
                room.callbacks.append(self._room_freed)
            return again
        if from_zone.count < from_zone.capacity:
            # The first coming out passes first: that frees the place the head waits for.
            other = line[out]
            del line[out]
            line.appendleft(other)
            again = self._replace(turn, 1)
            self._schedule_head(now)
            return again
        return self._exchange(turn, line[out], now)

    def _exchange(self, head: Turn, other: Turn, now: float) -> bool:
        """Both zones are full: the head and the first going the other way swap places.

        People coming out of a jammed doorway make room for those going in, one for one. The
        two passages share the opening's capacity: the next person passes two headways later.
        No reduction for counterflow beyond that (see docs/model.md). The swap is one
        movement, so neither zone holds one more than it admits, even for an instant: the
        peaks the bookkeeping of two passages in a row would raise are kept as they were.
        """
        from_zone, to_zone = head.from_zone, other.from_zone
        self._unline(self.line.popleft())
        self.line.remove(other)
        self._unline(other)
        other.exchanged = True
        peaks = from_zone.peak, to_zone.peak
        self._pass(head.person, from_zone, to_zone, now)
        self._pass(other.person, to_zone, from_zone, now)
        from_zone.peak, to_zone.peak = peaks
        self._next_free = now + 2.0 * self.headway
        if not other.scheduled:
            other.fire_in(0.0)
        self._schedule_head(now)
        return True

    def _wake_first_coming_out(self, full: ZoneState) -> None:
        """Wake the first person on their way here out of `full` when they arrive."""
        first = min((entry for entry in self.coming if entry[2].from_zone is full), default=None)
        if first is not None and not first[2].scheduled:
            first[2].fire_in(max(0.0, first[0] - self.env.now))

    def _room_freed(self, _: simpy.Event) -> None:
        """Somebody left the full zone the head waits for: the head may try again."""
        self._waiting_on = None
        self._held_for = None
        self._schedule_head()

    def _schedule_head(self, now: float | None = None) -> None:
        """Fire the turn of whoever is first, at their arrival or when the opening is free."""
        if self.state != "open":
            return
        head = self._head()
        if head is not None and not head.scheduled:
            free = self._next_free if self._next_free > head.arrival else head.arrival
            delay = free - (self.env._now if now is None else now)
            head.fire_in(delay if delay > 0.0 else 0.0)

    def _believed(self) -> bool:
        return self.state == "open" or (self.spec.signed_exit and not self.found_shut)

    def _pass(self, person: int, from_zone: ZoneState, to_zone: ZoneState, now: float) -> None:
        if to_zone is self._held_for or from_zone is self._held_for:
            self._held_for = None  # the head has changed, or the full zone has room again
        self._next_free = now + self.headway
        self.passed += 1
        if self.first_pass is None:
            self.first_pass = now
        self.last_pass = now
        self._on_pass(person, self, from_zone, to_zone)


def make_door(env: simpy.Environment, index: int, spec: Opening, zone_by_id: dict[str, ZoneState],
              venue: Venue, on_pass: Callable[[int, Door, ZoneState, ZoneState], None]) -> Door:
    """An opening of the venue at run time: its place on the plan and its flow capacity.

    A stair's speed constant comes from the stair zone it joins (or a standard 178/279 mm
    stair if it joins none), so its capacity follows SFPE's specific flow for that stair.
    """
    sides = (zone_by_id[spec.between[0]], zone_by_id[spec.between[1]])
    a, b = (side.spec for side in sides)
    position = spec.at_m or (shared_edge_point(a, b) if a is not None and b is not None else None)
    assert position is not None, "the scenario check places every opening on a shared edge"
    stairs = [z for z in sides if z.is_stair]
    k = stairs[0].k if stairs else (stair_k(178, 279) if spec.kind == "stair" else K_LEVEL)
    capacity = spec.capacity_p_s or opening_capacity_p_s(
        width_m=spec.width_m, kind=spec.kind, flow_model=venue.flow_model,
        specific_flow_p_s_m=venue.specific_flow_p_s_m, k=k, boundary_layer_m=spec.boundary_layer_m,
    )
    return Door(env, index, spec, sides, (position[0], position[1]), capacity, on_pass)
