"""Exposure and harm: the threat's exposure clock and the smoke's dose (docs/model.md, threat and fire).

Both are cumulative doses with a per-person threshold:

- threat: each exposed person in the threat's zone is harmed at rate λ per second, i.e. once
  λ × (time exposed) exceeds a unit-exponential threshold drawn for that person in advance
  (the same law as a Poisson clock, with no draw at each change);
- smoke: each person's fractional effective dose (Purser) grows with the zone's CO profile
  and they are incapacitated at the scenario's FED threshold.

Only people in hazardous zones cost anything: each person's dose is brought up to date
(a checkpoint) when they change zone or their zone's hazard changes, and their due time goes
into one heap watched by a single process, so a run has one event per person harmed.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import simpy

from .census import INSIDE, SAFE
from .zones import ZoneState

__all__ = ["Exposure"]

THREAT, SMOKE = "threat", "smoke"


class Exposure:
    """Per-person threat exposure and smoke dose, and the process that harms at the due time."""

    def __init__(self, env: simpy.Environment, status: list[int], harm_rate_per_s: float,
                 fed_threshold: float, rng: np.random.Generator, harm: Callable[[int, str], None],
                 susceptibility: list[float] | None = None):
        self.env = env
        self.status = status
        """Each person's status (the census's own list: read, never written here)."""
        self.harm = harm
        """Called when a person's dose reaches their threshold, with the cause."""
        self.rate = harm_rate_per_s
        self.fed_threshold = fed_threshold
        n = len(status)
        self.threshold = rng.exponential(1.0, n).tolist()
        """Unit-exponential threat thresholds, one per person (drawn whether or not there is a threat)."""
        self.exposure = [0.0] * n
        """Threat exposure, λ-weighted (compare with `threshold`)."""
        self.fed = [0.0] * n
        """Fractional effective dose from smoke."""
        self.fed_limit = ([fed_threshold * m for m in susceptibility] if susceptibility is not None
                          else [fed_threshold] * n)
        """Each person's incapacitating dose (`tenability.susceptibility` spreads them)."""
        self.smoke_exposed: set[int] = set()
        """Everybody who has been in a zone with smoke."""
        self.since = [0.0] * n
        """Time of each person's last checkpoint."""
        self.stamp = [0] * n
        self.exposed: set[int] = set()
        """Everybody who has shared a zone with the threat (not sheltered)."""
        self._heap: list[tuple[float, int, int, int, str]] = []
        self._seq = 0
        self._wake_at = math.inf
        self._kick = self.env.event()
        self.env.process(self.harm_when_due())

    # -- bookkeeping --------------------------------------------------------------------

    def checkpoint(self, person: int, zone: ZoneState) -> None:
        """Bring a person's doses up to now for the time spent in `zone` since the last checkpoint."""
        now = self.env.now
        since = self.since[person]
        if zone.threat and self.status[person] == INSIDE:
            self.exposure[person] += self.rate * (now - since)
        if zone.smoke is not None:
            self.fed[person] += zone.smoke.dose(now) - zone.smoke.dose(since)
        self.since[person] = now
        self.stamp[person] += 1

    def schedule(self, person: int, zone: ZoneState) -> None:
        """Work out when the person would be harmed if nothing changed, and watch for it."""
        now = self.env.now
        stamp = self.stamp[person]
        if zone.threat and self.status[person] == INSIDE:
            self.exposed.add(person)
        if zone.threat and self.rate > 0 and self.status[person] == INSIDE:
            due = now + (self.threshold[person] - self.exposure[person]) / self.rate
            self._push(due, person, stamp, THREAT)
        if zone.smoke is not None:
            self.smoke_exposed.add(person)
            profile = zone.smoke
            due = profile.time_of_dose(profile.dose(now) + self.fed_limit[person] - self.fed[person])
            if due < math.inf:
                self._push(max(due, now), person, stamp, SMOKE)

    def moved(self, person: int, from_zone: ZoneState, to_zone: ZoneState) -> None:
        """A person went from one zone to another."""
        if from_zone.hazardous:
            self.checkpoint(person, from_zone)
        else:
            self.since[person] = self.env.now
            self.stamp[person] += 1
        if to_zone.hazardous:
            self.schedule(person, to_zone)

    def zone_changed(self, zone: ZoneState, before_change: bool) -> None:
        """Call with before_change=True just before a zone's hazard changes, then False after."""
        people = list(zone.members) + list(zone.sheltered)
        if before_change:
            for person in people:
                self.checkpoint(person, zone)
        elif zone.hazardous:
            for person in people:
                self.schedule(person, zone)

    # -- the process --------------------------------------------------------------------

    def harm_when_due(self) -> Generator[simpy.Event, Any, None]:
        """Harm each person at their due time, unless their situation changed meanwhile."""
        env = self.env
        heap = self._heap
        while True:
            while heap and (heap[0][3] != self.stamp[heap[0][2]] or self.status[heap[0][2]] >= SAFE):
                heapq.heappop(heap)  # stale: the person moved, or is already safe or harmed
            if not heap:
                self._wake_at = math.inf
                self._kick = env.event()
                yield self._kick
                continue
            due = heap[0][0]
            if due > env.now:
                self._wake_at = due
                self._kick = env.event()
                yield env.timeout(due - env.now) | self._kick
                continue
            _, _, person, _, cause = heapq.heappop(heap)
            self.harm(person, cause)

    def _push(self, due: float, person: int, stamp: int, cause: str) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (due, self._seq, person, stamp, cause))
        if due < self._wake_at and not self._kick.triggered:
            self._kick.succeed()
