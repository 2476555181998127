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

With a harm capacity C (Holling type II saturation), the threat's rate per person depends on
how many are exposed with them: λ / (1 + λN/C). The rate is then taken again every
`SATURATION_STEP_S` from the zone's count, and exposure runs on a clock per zone (the dose a
person alone would have had) rather than on time; within a step the rate is constant, so the
due times inside it stay exact (`ThreatClock`).
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

__all__ = ["SATURATION_STEP_S", "Exposure", "ThreatClock"]

THREAT, SMOKE = "threat", "smoke"

SATURATION_STEP_S = 1.0
"""How often a saturating threat's rate follows the number exposed, s (a modelling choice:
crowds in a zone change over seconds, not within one)."""


class ThreatClock:
    """A zone's exposure clock under a saturating threat: the dose of one person exposed throughout.

    It runs at the per-person rate λ / (1 + λN/C), N read from the zone at the start of each
    step. Each exposed person's dose is their share of the clock since they came (their
    `mark`); they are due when the clock reaches their `need`, kept in a heap per zone.
    """

    def __init__(self, zone: ZoneState):
        self.zone = zone
        self.value = 0.0
        """The clock at `at`."""
        self.at = 0.0
        self.rate = 0.0
        """Per-person rate over the current step."""
        self.due: list[tuple[float, int, int, int]] = []
        """(clock value at which due, order, person, stamp)."""

    def now(self, t: float) -> float:
        """The clock at time t within the current step."""
        return self.value + self.rate * (t - self.at)


class Exposure:
    """Per-person threat exposure and smoke dose, and the process that harms at the due time."""

    def __init__(self, env: simpy.Environment, status: list[int], harm_rate_per_s: float,
                 fed_threshold: float, rng: np.random.Generator, harm: Callable[[int, str], None],
                 harm_capacity_per_s: float | None = None, susceptibility: list[float] | None = None):
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
        self.hidden: dict[int, set[int]] = {}
        """People hiding, by zone index (the census's own dict, wired in when people may hide)."""
        self.hidden_factor = 0.0
        """Multiplies the harm rate for people hiding in the threat's zone."""
        self._heap: list[tuple[float, int, int, int, str]] = []
        self._seq = 0
        self._wake_at = math.inf
        self._kick = self.env.event()
        self.env.process(self.harm_when_due())
        self.capacity = harm_capacity_per_s
        """C, the most harmed per second in a zone (None: linear in the number exposed)."""
        self.clocks: dict[int, ThreatClock] = {}
        """Per zone index, under a saturating threat."""
        self.mark = [0.0] * n
        """Each person's zone clock at their last checkpoint (saturating threat only)."""
        self._step_end = env.now + SATURATION_STEP_S
        """When the current saturation step ends (all zones' steps end together)."""
        self._threat_over = False
        """The threat is contained or has left for good: the saturation steps have nothing left to do."""
        self.saturating: simpy.Process | None = None
        """The saturation steps (a saturating threat only): they end once the threat is over."""
        if self.capacity is not None and harm_rate_per_s > 0:
            self.saturating = self.env.process(self.saturate())

    # -- bookkeeping --------------------------------------------------------------------

    def checkpoint(self, person: int, zone: ZoneState) -> None:
        """Bring a person's doses up to now for the time spent in `zone` since the last checkpoint."""
        now = self.env.now
        since = self.since[person]
        if zone.threat:
            factor = self._factor(person, zone)
            if self.capacity is None:
                self.exposure[person] += self.rate * factor * (now - since)
            else:
                clock = self._clock(zone).now(now)
                self.exposure[person] += factor * (clock - self.mark[person])
                self.mark[person] = clock
        if zone.smoke is not None:
            self.fed[person] += zone.smoke.dose(now) - zone.smoke.dose(since)
        self.since[person] = now
        self.stamp[person] += 1

    def schedule(self, person: int, zone: ZoneState) -> None:
        """Work out when the person would be harmed if nothing changed, and watch for it."""
        now = self.env.now
        stamp = self.stamp[person]
        if zone.threat:
            factor = self._factor(person, zone)
            if self.status[person] == INSIDE or self.rate * factor > 0:
                self.exposed.add(person)
            if self.rate * factor > 0:
                if self.capacity is None:
                    due = now + (self.threshold[person] - self.exposure[person]) / (self.rate * factor)
                    self._push(due, person, stamp, THREAT)
                else:
                    clock = self._clock(zone)
                    self.mark[person] = at = clock.now(now)
                    self._seq += 1
                    need = at + (self.threshold[person] - self.exposure[person]) / factor
                    heapq.heappush(clock.due, (need, self._seq, person, stamp))
                    self._release(clock, now, self._step_end)
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
        people = list(zone.members) + list(zone.sheltered) + sorted(self.hidden.get(zone.index, ()))
        if before_change:
            for person in people:
                self.checkpoint(person, zone)
        elif zone.hazardous:
            for person in people:
                self.schedule(person, zone)

    # -- a saturating threat --------------------------------------------------------------

    def _clock(self, zone: ZoneState) -> ThreatClock:
        """The zone's clock, running at the rate for its count if the threat has just come."""
        clock = self.clocks.get(zone.index)
        if clock is None:
            clock = self.clocks[zone.index] = ThreatClock(zone)
        if clock.rate == 0.0 and zone.threat:
            now = self.env.now
            clock.value, clock.at = clock.now(now), now
            clock.rate = self._per_person_rate(len(zone.members))
        return clock

    def _per_person_rate(self, exposed: int) -> float:
        """λ / (1 + λN/C): the zone's total tends to C however many are exposed."""
        assert self.capacity is not None
        return self.rate / (1.0 + self.rate * exposed / self.capacity)

    def threat_over(self) -> None:
        """The threat is contained or has left, never to come back: no zone's clock runs again."""
        self._threat_over = True

    def saturate(self) -> Generator[simpy.Event, Any, None]:
        """Every step, set each threatened zone's rate from its count and release who falls due in it.

        Ends once the threat is over: no zone holds it again, so every later step would be an
        event doing nothing (one a second to the end of the run).
        """
        env = self.env
        while True:
            yield env.timeout(SATURATION_STEP_S)
            if self._threat_over:
                return
            now = env.now
            self._step_end = now + SATURATION_STEP_S
            for clock in self.clocks.values():
                clock.value = clock.now(now)
                clock.at = now
                zone = clock.zone
                clock.rate = self._per_person_rate(len(zone.members)) if zone.threat else 0.0
                self._release(clock, now, self._step_end)

    def _release(self, clock: ThreatClock, now: float, step_end: float) -> None:
        """Put into the harm heap everyone in `clock`'s zone due before `step_end`, at their exact time."""
        if clock.rate <= 0:
            return
        end = clock.value + clock.rate * (step_end - clock.at)
        due = clock.due
        while due and due[0][0] <= end:
            need, _, person, stamp = heapq.heappop(due)
            if stamp == self.stamp[person] and self.status[person] < SAFE:  # inside or hiding
                self._push(max(now, clock.at + (need - clock.value) / clock.rate), person, stamp, THREAT)

    def _factor(self, person: int, zone: ZoneState) -> float:
        """How much of the threat's rate reaches a person in its zone: all if inside, a share if hiding."""
        if self.status[person] == INSIDE:
            return 1.0
        hidden = self.hidden.get(zone.index)
        return self.hidden_factor if hidden is not None and person in hidden else 0.0

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
