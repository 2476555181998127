"""The census: who is where and in what state, so that nobody is lost or counted twice.

At every moment inside + safe + sheltered + harmed = total. The census keeps each person's
status, the head counts, the times people reached safety or were harmed, and each zone's
occupancy over time; it says when everybody is accounted for.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, Protocol

import simpy

from .events import Log
from .zones import ZoneState

__all__ = ["EXPECTED", "HARMED", "INSIDE", "SAFE", "SHELTERED", "Census"]

INSIDE, SHELTERED, SAFE, HARMED, EXPECTED = 0, 1, 2, 3, 4
"""A person's status: still inside (waiting or moving), sheltering, safe, harmed, or not yet
at the venue (a latecomer; above SAFE, so nothing that skips people already out acts on them)."""


class _Exposure(Protocol):
    def moved(self, person: int, from_zone: ZoneState, to_zone: ZoneState) -> None: ...


class Census:
    """The books of one run's occupants.

    It is made with the venue (the openings report every passage to it) and counts people
    in once they are drawn at t = 0 (`count_in`).

    Args:
        env: the run's environment.
        zones: every zone, the outside last.
        log: the run's event log.
        accounted: called when everybody may be accounted for (the run may end).
    """

    def __init__(self, env: simpy.Environment, zones: list[ZoneState], *, log: Log,
                 accounted: Callable[[], None]):
        self.env = env
        self.zones = zones
        self._log = log
        self._accounted = accounted
        self.exposure: _Exposure | None = None
        """Told of every passage once a hazard exists (wired after: it reads these statuses)."""
        self.hazards = False
        """A threat or smoke is (or was) in the venue: passages must update the exposure."""
        self.count_in([])

    def count_in(self, zone_of: list[int], arrival: list[float | None] | None = None) -> None:
        """The people at the venue at t = 0, by the index of the zone each starts in.

        Latecomers (an `arrival` time) are counted but not yet in a zone: EXPECTED until
        `arrive` brings them in.
        """
        n = len(zone_of)
        zones = self.zones
        self.total = n
        late = [p for p in range(n) if arrival is not None and arrival[p] is not None]
        self.expected = len(late)
        """Latecomers not yet at the venue."""
        self.status = [INSIDE] * n
        for person in late:
            self.status[person] = EXPECTED
        """Each person's status (INSIDE, SHELTERED, SAFE, HARMED)."""
        self.started = [False] * n
        """Whether each person has set off (their pre-movement is over)."""
        self.turn_of: list[Any] = [None] * n
        """The turn each person waits on at an opening, if any."""
        self.walk = [0] * n
        """Each person's current walk: a walk that finds another has started since ends."""
        self.zone_of = list(zone_of)
        """Index of the zone each person is in now."""
        self.inside = n - len(late)
        self.sheltered = 0
        self.harmed: dict[str, int] = {"threat": 0, "smoke": 0}
        self.safe_times: list[float] = []
        """When each safe person got out, in order."""
        self.harm_times: list[float] = []
        self.harmed_where: dict[str, int] = {}
        """Harmed people by the zone they were in (where the exercise must look)."""
        self.hidden: dict[int, set[int]] = {}
        """People hiding by their own choice (status SHELTERED), by the index of the zone they
        hide in; apart from `ZoneState.sheltered`, which staff orders lock and unlock."""
        self.harmed_hidden = 0
        """People harmed while hiding."""
        self.occupancy: dict[str, list[int]] = {z.id: [] for z in zones if not z.is_safe}
        """Each zone's head count (sheltering people included) every sample step."""
        self.people_by_zone: dict[int, list[int]] = {}
        """Who starts in each zone (by zone index)."""
        status = self.status
        for person, index in enumerate(zone_of):
            if status[person] == INSIDE:
                self.people_by_zone.setdefault(index, []).append(person)
        for index, people in self.people_by_zone.items():
            zones[index].enter_all(people)
        for zone in zones:
            zone.initial = zone.count

    @property
    def safe(self) -> int:
        """People who reached safety."""
        return len(self.safe_times)

    @property
    def all_accounted(self) -> bool:
        """Nobody is inside or sheltering any more, and nobody is still to come."""
        return self.inside == 0 and self.sheltered == 0 and self.expected == 0

    def arrive(self, person: int, zone: ZoneState) -> None:
        """A latecomer arrives in `zone` (a train, a bus, people coming in late), exposed from now."""
        self.status[person] = INSIDE
        self.expected -= 1
        self.inside += 1
        zone.enter(person)
        self.zone_of[person] = zone.index
        if self.hazards and zone.hazardous:
            self.exposure.moved(person, self.zones[-1], zone)  # type: ignore[union-attr]

    def passed(self, person: int, door: Any, from_zone: ZoneState, to_zone: ZoneState) -> None:
        """A person went through an opening (the openings' `on_pass`)."""
        from_zone.leave(person)
        now = self.env._now
        if from_zone.count == 0 and not from_zone.is_safe:
            if from_zone.cleared_at is None and from_zone.initial > 0:
                self._log("zone_cleared", zone=from_zone.id)
            from_zone.cleared_at = now
        if self.hazards and (from_zone.hazardous or to_zone.hazardous):
            self.exposure.moved(person, from_zone, to_zone)  # type: ignore[union-attr]
        if to_zone.is_safe:
            to_zone.count += 1
            self.status[person] = SAFE
            self.inside -= 1
            self.safe_times.append(now)
            if self.inside == 0 and self.sheltered == 0 and self.expected == 0:
                self._accounted()
        else:
            to_zone.enter(person)
            self.zone_of[person] = to_zone.index

    def withdraw(self, person: int, zone: ZoneState) -> None:
        """Take a person out of the moving crowd: out of their zone's count and any queue."""
        zone.leave(person)
        turn = self.turn_of[person]
        if turn is not None:
            turn.door.withdraw(turn)
            self.turn_of[person] = None

    def shelter(self, zone: ZoneState) -> None:
        """Everybody in `zone` locks themselves in."""
        for person in list(zone.members):
            self.withdraw(person, zone)
            self.status[person] = SHELTERED
            zone.sheltered.add(person)
            self.inside -= 1
            self.sheltered += 1

    def unshelter(self, person: int, zone: ZoneState) -> None:
        """A sheltering person leaves their room and sets off at once."""
        zone.sheltered.discard(person)
        self.status[person] = INSIDE
        self.sheltered -= 1
        self.inside += 1
        zone.enter(person)
        self.started[person] = True
        self.walk[person] += 1  # an old walk still waiting for a way out must not resume

    def harm(self, person: int, cause: str) -> None:
        """A person is harmed (threat) or incapacitated (smoke): out of the evacuation."""
        zone = self.zones[self.zone_of[person]]
        if self.status[person] == SHELTERED:
            zone.sheltered.discard(person)
            hidden = self.hidden.get(zone.index)
            if hidden is not None and person in hidden:
                hidden.discard(person)
                self.harmed_hidden += 1
            self.sheltered -= 1
        else:
            self.withdraw(person, zone)
            self.inside -= 1
        self.status[person] = HARMED
        self.harmed[cause] += 1
        self.harm_times.append(self.env.now)
        self.harmed_where[zone.id] = self.harmed_where.get(zone.id, 0) + 1
        self._accounted()

    def hide(self, person: int, zone: ZoneState) -> None:
        """A person hides in `zone`: out of the moving crowd, sheltering by their own choice."""
        self.withdraw(person, zone)
        self.status[person] = SHELTERED
        self.hidden.setdefault(zone.index, set()).add(person)
        self.inside -= 1
        self.sheltered += 1

    def come_out(self, person: int, zone: ZoneState) -> None:
        """A hiding person comes out and sets off at once (the caller starts their walk)."""
        self.hidden[zone.index].discard(person)
        self.status[person] = INSIDE
        self.sheltered -= 1
        self.inside += 1
        zone.enter(person)
        self.started[person] = True
        self.walk[person] += 1

    def record_occupancy(self, step_s: float, finished: simpy.Event) -> Generator[simpy.Event, Any, None]:
        """Sample each zone's head count every `step_s` until the run finishes."""
        while True:
            for zone in self.zones:
                if not zone.is_safe:
                    hidden = self.hidden.get(zone.index)
                    self.occupancy[zone.id].append(zone.count + len(zone.sheltered) + len(hidden or ()))
            if finished.triggered:
                return
            yield self.env.timeout(step_s) | finished
