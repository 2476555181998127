"""Openings as flow servers (DESIGN.md 3.2).

An opening passes at most `capacity` persons per second, in arrival order, in either
direction: with a standing queue, one person every 1/capacity seconds, so the measured
flow equals the capacity exactly and the event mechanics lose none of it. A person who
finds no queue passes at once. If the zone beyond is full it passes nobody until room
frees up (back-pressure). Closing or locking an opening sends its queue elsewhere.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

import simpy

from .scenario.venue import Opening
from .zones import ZoneState

__all__ = ["Door"]


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
        self.queue: deque[tuple[int, ZoneState, simpy.Event]] = deque()
        self.heading = 0
        """People walking towards it who have not arrived yet."""
        self.passed = 0
        self.peak_queue = 0
        self.first_pass: float | None = None
        self.last_pass: float | None = None
        self._on_pass = on_pass
        self._next_free = -math.inf
        self._wake: simpy.Event | None = None
        env.process(self.pass_people())

    @property
    def usable(self) -> bool:
        """Whether people can get through now."""
        return self.state == "open"

    @property
    def believed_usable(self) -> bool:
        """Whether people head for it: open, or a signed exit nobody has found shut yet."""
        return self.state == "open" or (self.spec.signed_exit and not self.found_shut)

    def other(self, zone: ZoneState) -> ZoneState:
        """The zone on the far side from `zone`."""
        return self.sides[1] if zone is self.sides[0] else self.sides[0]

    def expected_wait(self, arrive_in_s: float) -> float:
        """Queueing time for somebody arriving in `arrive_in_s`, from those queued or on their way."""
        return max(0.0, (len(self.queue) + self.heading) * self.headway - arrive_in_s)

    def request(self, person: int, from_zone: ZoneState) -> simpy.Event | None:
        """Ask to pass from `from_zone`: None if passed at once, else an event worth True once
        passed or False if the opening shut while the person queued."""
        to_zone = self.other(from_zone)
        if not self.queue and self.env.now >= self._next_free and not to_zone.full:
            self._pass(person, from_zone, to_zone)
            return None
        passed = self.env.event()
        self.queue.append((person, from_zone, passed))
        if len(self.queue) > self.peak_queue:
            self.peak_queue = len(self.queue)
        self._wake_up()
        return passed

    def open(self) -> None:
        """Open it (staff unlock it, or an action)."""
        self.state = "open"
        self._wake_up()

    def shut(self, state: str) -> None:
        """Close or lock it; everybody queued turns away (and knows it is shut)."""
        self.state = state
        self.found_shut = True
        queued, self.queue = self.queue, deque()
        for _, _, passed in queued:
            passed.succeed(False)

    def pass_people(self):
        """The opening's process: pass the head of the queue every headway while it is open."""
        env = self.env
        while True:
            if not self.queue or self.state != "open":
                self._wake = env.event()
                yield self._wake
                continue
            wait = self._next_free - env.now
            if wait > 0:
                yield env.timeout(wait)
                continue
            person, from_zone, passed = self.queue[0]
            to_zone = self.other(from_zone)
            if to_zone.full:
                yield to_zone.room_freed()
                continue
            self.queue.popleft()
            self._pass(person, from_zone, to_zone)
            passed.succeed(True)

    def _pass(self, person: int, from_zone: ZoneState, to_zone: ZoneState) -> None:
        now = self.env.now
        self._next_free = now + self.headway
        self.passed += 1
        if self.first_pass is None:
            self.first_pass = now
        self.last_pass = now
        self._on_pass(person, self, from_zone, to_zone)

    def _wake_up(self) -> None:
        if self._wake is not None and not self._wake.triggered:
            self._wake.succeed()
