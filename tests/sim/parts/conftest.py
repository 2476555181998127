"""Small factories for the run-time parts on a bare SimPy Environment (no Simulation).

`zone_spec` and `opening_spec` build the scenario's pydantic models with defaults a test
overrides; `Plan` holds an Environment, its zones and doors, and the walkers driven through
them the way `walker.Walker` drives a person (approach → turn → take_turn).
For the parts that talk to each other, `Log`, `Calls`, `FakeExposure` and `FakeHost` stand
in for the simulation's hooks and record what each part tells them, with the time.
"""

from __future__ import annotations

from typing import Any

import pytest
import simpy

from ttxsim.sim.doors import Door
from ttxsim.sim.events import Event, EventKind
from ttxsim.sim.scenario.venue import OUTSIDE, Opening, Zone
from ttxsim.sim.zones import ZoneState

JAM_DENSITY_P_M2 = 3.8
"""The venue default (SFPE: walking stops at about 3.8 /m²)."""


def zone_spec(id: str = "room", *, x_m: float = 0.0, y_m: float = 0.0, width_m: float = 10.0,
              depth_m: float = 10.0, **fields: Any) -> Zone:
    """A one-rectangle zone, 10 m × 10 m at the origin unless told otherwise."""
    return Zone(id=id, x_m=x_m, y_m=y_m, width_m=width_m, depth_m=depth_m, **fields)


def opening_spec(id: str = "door", between: tuple[str, str] = ("room", OUTSIDE), *,
                 width_m: float = 1.0, **fields: Any) -> Opening:
    """A 1 m door, open unless told otherwise."""
    return Opening(id=id, between=between, width_m=width_m, **fields)


class Plan:
    """An Environment with zones and doors built directly, and people walking through them.

    `passages` records every passage as (person, time, from zone id, to zone id), and the
    zone counts follow it as the simulation's census does (`Census.passed`): out of one, into the other.
    `outcome[person]` is (time, True/False) once their `take_turn` said yes or no.
    """

    def __init__(self) -> None:
        self.env = simpy.Environment()
        self.zones: list[ZoneState] = []
        self.doors: list[Door] = []
        self.passages: list[tuple[int, float, str, str]] = []
        self.outcome: dict[int, tuple[float, bool]] = {}
        self.turn_of: dict[int, Any] = {}
        """Each walker's current turn (as `Simulation.turn_of`), to withdraw them."""

    def zone(self, id: str = "room", *, people: int = 0, first: int = 1000,
             jam_density: float = JAM_DENSITY_P_M2, **fields: Any) -> ZoneState:
        """A ZoneState for `zone_spec(id, **fields)`, holding `people` bystanders numbered from `first`."""
        return self._add(zone_spec(id, **fields), people, first, jam_density)

    def outside(self) -> ZoneState:
        """The implicit safe zone (never fills)."""
        return self._add(None, 0, 0, JAM_DENSITY_P_M2)

    def _add(self, spec: Zone | None, people: int, first: int, jam_density: float) -> ZoneState:
        state = ZoneState(self.env, len(self.zones), spec, jam_density)
        self.zones.append(state)
        for person in range(first, first + people):
            state.enter(person)
        return state

    def door(self, a: ZoneState, b: ZoneState, *, capacity_p_s: float = 1.0,
             position: tuple[float, float] = (0.0, 0.0), **fields: Any) -> Door:
        """A Door between `a` and `b` passing `capacity_p_s` persons per second."""
        fields.setdefault("id", f"door{len(self.doors)}")
        spec = opening_spec(between=(a.id, b.id), **fields)
        door = Door(self.env, len(self.doors), spec, (a, b), position, capacity_p_s, self._on_pass)
        self.doors.append(door)
        a.doors.append(door)
        b.doors.append(door)
        return door

    def _on_pass(self, person: int, door: Door, from_zone: ZoneState, to_zone: ZoneState) -> None:
        from_zone.leave(person)
        if to_zone.is_safe:
            to_zone.count += 1
        else:
            to_zone.enter(person)
        self.passages.append((person, self.env.now, from_zone.id, to_zone.id))

    def walk(self, person: int, zone: ZoneState, door: Door, walk_s: float = 0.0, *,
             at: float = 0.0, enter: bool = True):
        """Start a walker: from `zone` at time `at`, reaching `door` `walk_s` later."""
        if enter:
            zone.enter(person)
        return self.env.process(self._walk(person, zone, door, walk_s, at))

    def _walk(self, person, zone, door, walk_s, at):
        """What `Walker._turn_came` does: wait on the turn, take it, wait again if told."""
        if at > self.env.now:
            yield self.env.timeout(at - self.env.now)
        turn = door.approach(person, zone, walk_s)
        while True:
            self.turn_of[person] = turn
            yield turn
            self.turn_of[person] = None
            outcome = door.take_turn(turn)
            if outcome is True or outcome is False:
                self.outcome[person] = (self.env.now, outcome)
                return outcome
            turn = outcome

    def at(self, t: float, action) -> None:
        """Call `action()` at time t (a shut, an open, somebody leaving a zone)."""

        def later():
            yield self.env.timeout(t - self.env.now)
            action()

        self.env.process(later())

    def times(self, person_ids=None) -> list[float]:
        """Passage times, in order (of the given people only, if given)."""
        return [t for p, t, _, _ in self.passages if person_ids is None or p in person_ids]

    def order(self) -> list[int]:
        """Who passed, in order."""
        return [p for p, _, _, _ in self.passages]


@pytest.fixture
def plan() -> Plan:
    """An empty Plan on a fresh Environment."""
    return Plan()


# --- recorders and fakes for the parts that talk to each other (harm, smoke, response, ...) -------


class Log:
    """A recording event log with the signature the parts declare (`Simulation.log`)."""

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.events: list[Event] = []

    def __call__(self, kind: EventKind, *, zone: str | None = None, opening: str | None = None,
                 detail: str = "") -> None:
        self.events.append(Event(self.env.now, kind, zone, opening, detail))

    def of(self, kind: str) -> list[Event]:
        """The events of one kind, in order."""
        return [e for e in self.events if e.kind == kind]

    def times(self, kind: str) -> list[float]:
        """When each event of one kind came."""
        return [e.t for e in self.of(kind)]

    def kinds(self) -> list[str]:
        """Every event's kind, in order."""
        return [e.kind for e in self.events]


class Calls:
    """A plain callback that records (time, *arguments) of every call."""

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.calls: list[tuple] = []

    def __call__(self, *args: Any) -> None:
        self.calls.append((self.env.now, *args))

    @property
    def times(self) -> list[float]:
        return [c[0] for c in self.calls]


class FakeExposure:
    """Records what the parts tell the exposure: (time, zone id, before_change, smoke?, untenable?).

    The last two are the zone's state at the call, so a test sees that `before_change=True`
    came before the change and `False` after it.
    """

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.changes: list[tuple[float, str, bool, bool, bool]] = []
        self.moves: list[tuple[float, int, str, str]] = []

    def zone_changed(self, zone: ZoneState, before_change: bool) -> None:
        self.changes.append((self.env.now, zone.id, before_change, zone.smoke is not None, zone.untenable))

    def moved(self, person: int, from_zone: ZoneState, to_zone: ZoneState) -> None:
        self.moves.append((self.env.now, person, from_zone.id, to_zone.id))


class FakeHost:
    """The simulation as the response sees it (`response.ResponseHost`), recording every call.

    `raise_alarm` starts the response's planned announcement as `Orders.raise_alarm` does
    (once `response` is set); `contain_threat` and `all_clear` only record.
    """

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.log = Log(env)
        self.fire_started = env.event()
        self.fire_prevented = env.event()
        self.settled: list[simpy.Process] = []
        self.calls: list[tuple[float, str, Any]] = []
        self.response: Any = None

    def settle(self, process: simpy.Process) -> None:
        self.settled.append(process)

    def raise_alarm(self, detail: str) -> None:
        self.calls.append((self.env.now, "alarm", detail))
        if self.response is not None:
            self.env.process(self.response.announce_after_alarm())

    def announce(self, quality: str) -> None:
        self.calls.append((self.env.now, "announce", quality))

    def contain_threat(self) -> None:
        self.calls.append((self.env.now, "contain", None))

    def all_clear(self) -> None:
        self.calls.append((self.env.now, "all_clear", None))

    def suppress_fire(self) -> None:
        self.calls.append((self.env.now, "suppress", None))

    def when(self, name: str) -> list[float]:
        """When each call of this name came."""
        return [t for t, n, _ in self.calls if n == name]


@pytest.fixture
def log(plan: Plan) -> Log:
    """A recording log on the plan's Environment."""
    return Log(plan.env)
