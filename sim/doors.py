"""Openings as flow servers (DESIGN.md 3.2).

An opening passes at most `capacity` persons per second, in arrival order, in either
direction: with a standing queue, one person every 1/capacity seconds, so the measured
flow equals the capacity exactly and the event mechanics lose none of it. A person who
finds no queue passes at once. If the zone beyond is full it passes nobody until room
frees up (back-pressure). Closing or locking an opening sends its queue elsewhere.

The opening has no process of its own: each queued person waits on a `Turn`, which the
opening schedules for the moment the person may pass. That is one event per passage, half
of what a serving process would cost, and passages are most of a run's events.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

import simpy

from .scenario.venue import Opening
from .zones import ZoneState

__all__ = ["Door", "Turn"]


class Turn(simpy.Event):
    """A queued person's turn at an opening: fires when they may try to pass."""

    def __init__(self, env: simpy.Environment, door: Door, person: int, from_zone: ZoneState):
        super().__init__(env)
        self.door = door
        self.person = person
        self.from_zone = from_zone
        self.scheduled = False

    def fire_in(self, delay: float) -> None:
        """Schedule the turn `delay` seconds from now (as simpy.Timeout schedules itself)."""
        self.scheduled = True
        self._ok = True
        self._value = None
        self.env.schedule(self, delay=delay)


class Door:
    """One opening during a run."""

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
        self.capacity = capacity_p_s
        """Persons per second with a standing queue."""
        self.headway = 1.0 / capacity_p_s
        """Seconds between two passages with a standing queue."""
        self.state = spec.state
        """open, closed or locked."""
        self.found_shut = False
        """Somebody has found it shut, and word has spread: nobody heads for it any more."""
        self.believed_usable = self._believed()
        """Whether people head for it: open, or a signed exit nobody has found shut yet
        (kept as an attribute: route choice reads it tens of thousands of times a run)."""
        self.queue: deque[Turn] = deque()
        self.heading = 0
        """People walking towards it who have not arrived yet."""
        self.passed = 0
        self.peak_queue = 0
        self.first_pass: float | None = None
        self.last_pass: float | None = None
        self._on_pass = on_pass
        self._next_free = -math.inf

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

    def request(self, person: int, from_zone: ZoneState) -> bool | Turn:
        """Ask to pass from `from_zone`.

        Returns True if the person passed at once, else a Turn to wait on (then `take_turn`).
        """
        to_zone = self.sides[1] if from_zone is self.sides[0] else self.sides[0]
        if not self.queue and self.env.now >= self._next_free and to_zone.count < to_zone.capacity:
            self._pass(person, from_zone, to_zone)
            return True
        turn = Turn(self.env, self, person, from_zone)
        self.queue.append(turn)
        if len(self.queue) > self.peak_queue:
            self.peak_queue = len(self.queue)
        if len(self.queue) == 1:
            self._schedule_head()
        return turn

    def take_turn(self, turn: Turn) -> bool | Turn:
        """A person's turn came.

        Returns True if they passed, False if the opening shut on them, or a new Turn if
        the zone beyond is full and they must wait for room.
        """
        queue = self.queue
        if not queue or queue[0] is not turn:
            return False  # sent away while this turn was on its way
        from_zone = turn.from_zone
        to_zone = self.sides[1] if from_zone is self.sides[0] else self.sides[0]
        if (to_zone.blocked or to_zone.untenable or from_zone.threat) and not self.passable(from_zone):
            queue.popleft()  # the way beyond became blocked while they waited
            self._schedule_head()
            return False
        if to_zone.count >= to_zone.capacity:
            again = Turn(self.env, self, turn.person, turn.from_zone)
            self.queue[0] = again
            if not self._let_counterflow_through():
                to_zone.room_freed().callbacks.append(lambda _: self._schedule_head())
            return again
        queue.popleft()
        self._pass(turn.person, from_zone, to_zone)
        if queue:
            self._schedule_head()
        return True

    def mark_found_shut(self) -> None:
        """Somebody found it shut; from now on nobody heads for it while it stays shut."""
        self.found_shut = True
        self.believed_usable = self._believed()

    def open(self) -> None:
        """Open it (staff unlock it, or an action)."""
        self.state = "open"
        self.believed_usable = True
        self._schedule_head()

    def shut(self, state: str) -> None:
        """Close or lock it; everybody queued turns away (and knows it is shut)."""
        self.state = state
        self.mark_found_shut()
        queued, self.queue = self.queue, deque()
        for turn in queued:
            if not turn.scheduled:
                turn.fire_in(0.0)

    def withdraw(self, turn: Turn) -> None:
        """Take one person out of the queue (harmed, or sheltering) and wake them to find out."""
        was_head = bool(self.queue) and self.queue[0] is turn
        try:
            self.queue.remove(turn)
        except ValueError:
            return
        if not turn.scheduled:
            turn.fire_in(0.0)
        if was_head:
            self._schedule_head()

    def turn_away(self, into: ZoneState | None = None, out_of: ZoneState | None = None) -> None:
        """Send away the people queued to go `into` a zone, or out of one (a hazard appeared)."""
        keep: deque[Turn] = deque()
        head = self.queue[0] if self.queue else None
        for turn in self.queue:
            if turn.from_zone is out_of or (into is not None and self.other(turn.from_zone) is into):
                if not turn.scheduled:
                    turn.fire_in(0.0)
            else:
                keep.append(turn)
        self.queue = keep
        if self.queue and self.queue[0] is not head:
            self._schedule_head()

    def _let_counterflow_through(self) -> bool:
        """The head waits for room beyond; let the first person going the other way pass first.

        Without this, one person waiting to enter a full stair would hold up everybody on the
        stair waiting to come out through the same opening: a deadlock no crowd would keep.
        """
        blocked = self.other(self.queue[0].from_zone)
        for i, turn in enumerate(self.queue):
            if i and self.other(turn.from_zone) is not blocked and not self.other(turn.from_zone).full:
                del self.queue[i]
                self.queue.appendleft(turn)
                self._schedule_head()
                return True
        return False

    def _schedule_head(self) -> None:
        if not self.queue or self.state != "open":
            return
        head = self.queue[0]
        if not head.scheduled:
            head.fire_in(max(0.0, self._next_free - self.env.now))

    def _believed(self) -> bool:
        return self.state == "open" or (self.spec.signed_exit and not self.found_shut)

    def _pass(self, person: int, from_zone: ZoneState, to_zone: ZoneState) -> None:
        now = self.env.now
        self._next_free = now + self.headway
        self.passed += 1
        if self.first_pass is None:
            self.first_pass = now
        self.last_pass = now
        self._on_pass(person, self, from_zone, to_zone)
