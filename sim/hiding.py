"""Run, hide or freeze: each person's response to the threat cue, and the people who hide.

At the end of their pre-movement each person decides, on what they perceive then (the threat
in their own zone, next door, or only an alarm; staff directions once an evacuation order is
given), to run (walk out, as everybody does without this part), to hide (walk to the nearest
reachable hiding place with room, by a way that avoids the threat, and stay), or to freeze
(stay put for a while, then decide again, freezing less each time). Hidden people are out of
the moving crowd: the threat next door does not reach them, in their own hiding place it
harms them at a reduced rate, smoke still does. They come out after their own delay once a
cue to leave reaches them (all-clear, police containment, staff, smoke in their hiding
place), then run. Sources and values: docs/model.md, run, hide or freeze.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable, Generator
from typing import Any, Protocol

import numpy as np
import simpy

from .census import INSIDE, Census
from .doors import Door
from .movement import walking_speed
from .occupants import Occupants, canonical_groups
from .scenario.population import Population
from .scenario.threat_response import MAX_DECISIONS, ResponseShares, ThreatResponse
from .streams import Streams
from .walker import standing_at, walk
from .zones import ZoneState

__all__ = ["Hiding", "HidingDraws", "draw_responses", "make_hiding"]


class _Exposure(Protocol):
    hidden: dict[int, set[int]]
    hidden_factor: float

    def checkpoint(self, person: int, zone: ZoneState) -> None: ...

    def schedule(self, person: int, zone: ZoneState) -> None: ...


class HidingDraws:
    """Each person's draws for the response, made at t = 0 from streams keyed by their group.

    Like every other per-person draw (`draw_occupants`), so that reordering the groups, or a
    protocol that resizes one, leaves every other group's draws unchanged.
    """

    def __init__(self, choice: list[float], freeze_s: list[float], leave_s: list[float]):
        self.choice = choice
        """One uniform number per decision (compared with the shares): person p's decision k
        at `p * MAX_DECISIONS + k`. Flat, not a list per person: thousands of small lists cost
        their making and the garbage collector's pass over them after every run."""
        self.freeze_s = freeze_s
        """How long each freeze lasts, seconds, indexed as `choice`."""
        self.leave_s = leave_s
        """Per person, the delay from a cue to leave to coming out, seconds."""


def draw_responses(spec: ThreatResponse, population: Population, streams: Streams) -> HidingDraws:
    """Every person's response draws, group by group in the order people are numbered."""
    choice: list[float] = []
    freeze: list[float] = []
    leave: list[float] = []
    for key, _, n in canonical_groups(population):
        choice.extend(streams.group("threat_response", key).random((n, MAX_DECISIONS)).ravel().tolist())
        frozen = spec.freeze_s.sample(streams.group("freeze", key), n * MAX_DECISIONS)
        freeze.extend(np.maximum(frozen, 0.0).tolist())
        leave.extend(np.maximum(spec.leave_delay_s.sample(streams.group("hide_leave", key), n), 0.0).tolist())
    return HidingDraws(choice, freeze, leave)


class Hiding:
    """The run-hide-freeze decisions and the hiding places of one run.

    Args:
        env: the run's environment.
        spec: the scenario's `population.threat_response`.
        zones: the venue at run time (the outside last).
        census, exposure: the books it moves people in and out of, and the harm it tells.
        occupants: who the people are (their walking speeds).
        draws: each person's draws (`draw_responses`).
        run: starts a person walking out from a zone (from their own place if it is theirs).
        evacuation_ordered: whether staff have directed people out yet.
        log: the run's event log.
    """

    def __init__(self, env: simpy.Environment, spec: ThreatResponse, zones: list[ZoneState], *,
                 census: Census, exposure: _Exposure, occupants: Occupants, draws: HidingDraws,
                 run: Callable[[int, ZoneState], None], evacuation_ordered: Callable[[], bool],
                 log: Callable[..., None], revision: Callable[[], int] | None = None):
        self.env = env
        self.spec = spec
        self.zones = zones
        self.census = census
        self.exposure = exposure
        self.occupants = occupants
        self.draws = draws
        self._run = run
        self._evacuation_ordered = evacuation_ordered
        self._log = log
        exposure.hidden = census.hidden
        exposure.hidden_factor = spec.hidden_harm_factor
        self.capacity = [z.spec.hide_capacity if z.spec is not None else 0 for z in zones]
        """How many can hide in each zone (0: not a hiding place)."""
        self._places = [z for z in zones if self.capacity[z.index] > 0]
        """The hiding places: when none has room, nobody need search the venue for one."""
        self._legs: dict[tuple[int, int], list[tuple[Door, ZoneState, float]]] = {}
        """Per (zone, opening come in by): the ways on across it (`_legs_on`)."""
        self.reserved = [0] * len(zones)
        """People on their way to hide in each zone: their place is kept for them."""
        self.decisions = [0] * len(occupants)
        """How many decisions each person has made."""
        self.choices = {"run": 0, "hide": 0, "freeze": 0}
        """How many decisions of each kind were made (every freeze's next decision counts too)."""
        self.hid: set[int] = set()
        """Everybody who reached a hiding place."""
        self.peak = 0
        """Most people hidden at once."""
        self._revision = revision
        """How often route choice has been told the venue changed (`RouteChoice.revision`): the
        searches below keep what depends only on the venue's state while it stays the same.
        None: nothing is kept (a part tested alone)."""
        self._searched: dict[tuple[Any, ...], tuple[ZoneState, Door | None, float] | None] = {}
        self._searched_at = -1
        self._neighbours = [tuple(door.other(zone) for door in zone.doors) for zone in zones]
        """The zones next to each (read at every decision: is the threat next door?)."""
        self._leave = [env.event() for _ in zones]
        self._leave_all = env.event()

    # -- what the simulation calls ------------------------------------------------------

    def respond(self, person: int, zone: ZoneState) -> None:
        """A person's pre-movement is over: they run, hide or freeze."""
        k = self.decisions[person]
        self.decisions[person] += 1
        kind = "run"
        if k < MAX_DECISIONS:
            hide, freeze = self.shares(self.perceived(zone), k)
            u = self.draws.choice[person * MAX_DECISIONS + k]
            kind = "hide" if u < hide else "freeze" if u < hide + freeze else "run"
        self.choices[kind] += 1
        if kind == "freeze":
            self.env.process(self.freeze(person, zone, self.draws.freeze_s[person * MAX_DECISIONS + k]))
        elif kind == "hide" and self.go_into_hiding(person, zone):
            return
        elif kind != "freeze":
            self._run(person, zone)

    def leave_cue(self, zone: ZoneState | None, reason: str) -> None:
        """A cue to come out reaches the people hiding in `zone` (None: everywhere).

        Containment and the all-clear hold from then on (who hides later comes out too); a cue
        to one zone reaches only those hiding there now (nobody hides where smoke is).
        """
        if zone is None:
            if self._leave_all.triggered:
                return
            self._leave_all.succeed()
            hidden = self.hidden_now
        else:
            hidden = len(self.census.hidden.get(zone.index, ()))
            if not hidden:
                return
            self._leave[zone.index].succeed()
            self._leave[zone.index] = self.env.event()
        if hidden:
            self._log("hiding_cued_out", zone=None if zone is None else zone.id,
                      detail=f"{reason}: {hidden} hiding")

    def hazard_changed(self, zone: ZoneState) -> None:
        """Smoke in a hiding place is a cue to leave it: the people there can see or smell it."""
        if zone.smoke is not None or zone.untenable:
            self.leave_cue(zone, "smoke")

    # -- the decision -------------------------------------------------------------------

    def perceived(self, zone: ZoneState) -> ResponseShares:
        """The shares for what a person in `zone` perceives now."""
        spec = self.spec
        if zone.threat:
            return spec.threat_here
        if spec.staff_directed is not None and self._evacuation_ordered():
            return spec.staff_directed  # staff lead people out, even with the threat next door
        if any(neighbour.threat for neighbour in self._neighbours[zone.index]):
            return spec.threat_next_door
        return spec.alarm_only

    def shares(self, shares: ResponseShares, k: int) -> tuple[float, float]:
        """(hide, freeze) at a person's decision `k` (0 first): freezing fades after each freeze."""
        freeze = shares.freeze * self.spec.freeze_fades ** k
        rest = shares.hide + shares.run
        hide = shares.hide * (1.0 - freeze) / rest if rest > 0 else 1.0 - freeze
        return hide, freeze

    def freeze(self, person: int, zone: ZoneState, duration: float) -> Generator[simpy.Event, Any, None]:
        """A person stays where they are for a while, then decides again (unless harmed)."""
        yield self.env.timeout(duration)
        if self.census.status[person] == INSIDE:
            self.respond(person, zone)

    # -- hiding -------------------------------------------------------------------------

    def has_room(self, zone: ZoneState) -> bool:
        """Whether somebody more can hide in `zone` (counting those on their way).

        Nobody hides where the threat is, nor where they can see or smell smoke.
        """
        if zone.threat or zone.smoke is not None or zone.untenable:
            return False
        taken = len(self.census.hidden.get(zone.index, ())) + self.reserved[zone.index]
        return taken < self.capacity[zone.index]

    def nearest_place(self, zone: ZoneState, position: tuple[float, float], only: ZoneState | None = None,
                      at: Door | None = None) -> tuple[ZoneState, Door | None, float] | None:
        """The nearest hiding place with room by walking, or the way to `only`: (place, door, metres).

        The way avoids the threat and untenable smoke, as route choice does. `at`: they stand
        at this opening (`position` is its own). A shortest-path search from where they stand,
        written tight: a run makes a few thousand. What depends only on the venue's state is
        kept until it changes (`_kept`): that no place can be reached from a zone (a third of
        the searches, and the longest), and the way from an opening to a given place.
        """
        has_room = self.has_room
        key: tuple[Any, ...] | None = None
        if only is None:
            rooms = tuple(map(has_room, self._places))
            if True not in rooms:
                return None  # every place is full, threatened or smoky: the search would find none
            key = ("none reachable", zone.index, rooms)
        elif at is not None:
            key = ("way", zone.index, at.index, only.index)
        if zone is only if only is not None else has_room(zone):
            return zone, None, 0.0
        if key is None or self._revision is None:
            return self._search(zone, position, only)
        kept = self._kept(self._revision())
        if key in kept:
            return kept[key]
        found = self._search(zone, position, only)
        if found is None or only is not None:
            kept[key] = found
        return found

    def _kept(self, revision: int) -> dict[tuple[Any, ...], tuple[ZoneState, Door | None, float] | None]:
        """The searches kept for the venue as it is now (emptied when it changes)."""
        if revision != self._searched_at:
            self._searched.clear()
            self._searched_at = revision
        return self._searched

    def _search(self, zone: ZoneState, position: tuple[float, float],
                only: ZoneState | None) -> tuple[ZoneState, Door | None, float] | None:
        """The shortest-path search of `nearest_place`, from `position` in `zone`."""
        has_room = self.has_room
        tie = itertools.count()
        heap: list[tuple[float, int, Door, ZoneState, Door]] = []
        for door in zone.doors:
            if _open(door, zone):
                heap.append((zone.walk_m(position, door), next(tie), door, door.other(zone), door))
        heapq.heapify(heap)
        settled: set[int] = set()
        legs_on, pop, push = self._legs_on, heapq.heappop, heapq.heappush
        while heap:
            dist, _, door, into, first = pop(heap)
            node = 2 * door.index + (into is door.sides[1])
            if node in settled:
                continue
            settled.add(node)
            if into is only if only is not None else has_room(into):
                return into, first, dist
            caught = into.untenable
            for onward, beyond, leg in legs_on(into, door):
                if onward.state == "open" and not beyond.blocked and (caught or not beyond.untenable):
                    push(heap, (dist + leg, next(tie), onward, beyond, first))
        return None

    def _legs_on(self, zone: ZoneState, came_in: Door) -> list[tuple[Door, ZoneState, float]]:
        """The ways on from `came_in` across `zone` that can lead to a hiding place, with their lengths.

        What never changes is worked out once per pair (the walk across, and that the far side
        is inside the venue, not outside nor the unbounded outdoors); what does (open or shut,
        blocked, untenable) `nearest_place` reads at each search, as `_open` does.
        """
        key = (zone.index, came_in.index)
        legs = self._legs.get(key)
        if legs is None:
            legs = self._legs[key] = [
                (onward, beyond, zone.walk_m(came_in.position, onward))
                for onward in zone.doors
                if onward is not came_in and not (beyond := onward.other(zone)).is_safe
                and not math.isinf(beyond.area_m2)]
        return legs

    def go_into_hiding(self, person: int, zone: ZoneState) -> bool:
        """Set off for the nearest hiding place with room; False if none can be reached."""
        position = standing_at(self.occupants, person, zone)
        found = self.nearest_place(zone, position)
        if found is None:
            return False
        place = found[0]
        self.reserved[place.index] += 1
        if place is zone:
            self.hide(person, zone)
        else:
            self.census.started[person] = True
            self.env.process(self.walk_to_hide(person, zone, position, place))
        return True

    def walk_to_hide(self, person: int, zone: ZoneState, position: tuple[float, float],
                     place: ZoneState) -> Generator[simpy.Event, Any, None]:
        """Walk opening by opening to a hiding place; if the way closes, the next nearest, or run."""
        census = self.census
        status, turn_of = census.status, census.turn_of
        own = self.occupants.free_speed[person]
        at: Door | None = None  # the opening they stand at, once they have reached one
        while zone is not place:
            way = self.nearest_place(zone, position, only=place, at=at)
            if way is None:  # the way is gone: another place, or run from here
                self.reserved[place.index] -= 1
                other = self.nearest_place(zone, position, at=at)
                if other is None:
                    self._run(person, zone)
                    return
                place = other[0]
                self.reserved[place.index] += 1
                continue
            _, door, dist = way
            assert door is not None  # not there yet
            speed = walking_speed(own, zone.density, zone.k)
            turn = door.approach(person, zone, dist / max(speed, 0.05))
            while True:
                turn_of[person] = turn
                yield turn
                turn_of[person] = None
                if status[person] != INSIDE:
                    self.reserved[place.index] -= 1
                    return  # harmed on the way
                outcome = door.take_turn(turn)
                if outcome is True or outcome is False:
                    break
                turn = outcome
            position, at = door.position, door
            if outcome:
                zone = door.other(zone)
        self.hide(person, zone)

    def hide(self, person: int, zone: ZoneState) -> None:
        """A person reaches their hiding place and hides there until a cue to leave."""
        self.reserved[zone.index] -= 1
        self._in_place(person, zone, self.census.hide)
        self.hid.add(person)
        self.peak = max(self.peak, self.hidden_now)
        self.hazard_changed(zone)  # smoke already there: they leave again
        self.env.process(self.stay_hidden(person, zone))

    def stay_hidden(self, person: int, zone: ZoneState) -> Generator[simpy.Event, Any, None]:
        """Hide until a cue to leave, wait one's own delay, then come out and run."""
        yield self._leave[zone.index] | self._leave_all
        yield self.env.timeout(self.draws.leave_s[person])
        hidden = self.census.hidden.get(zone.index)
        if hidden is None or person not in hidden:
            return  # harmed while hiding
        self._in_place(person, zone, self.census.come_out)
        self._run(person, zone)

    def _in_place(self, person: int, zone: ZoneState, change: Callable[[int, ZoneState], None]) -> None:
        """Change a person's state where they stand (hide, come out), doses brought up to date.

        Their harm rate changes with it, so their dose is settled before and rescheduled after.
        """
        if zone.hazardous:
            self.exposure.checkpoint(person, zone)
        change(person, zone)
        if zone.hazardous:
            self.exposure.schedule(person, zone)

    @property
    def hidden_now(self) -> int:
        """People hiding now."""
        return sum(len(h) for h in self.census.hidden.values())

def _open(door: Door, zone: ZoneState) -> bool:
    """Whether someone in `zone` can walk on through `door` to hide (never out to safety)."""
    beyond = door.other(zone)
    return (door.state == "open" and not beyond.is_safe and not beyond.blocked
            and not (beyond.untenable and not zone.untenable) and not math.isinf(beyond.area_m2))


class _Host(Protocol):
    """What the run-hide-freeze part asks of the simulation when it is built."""

    env: simpy.Environment
    zones: list[ZoneState]
    census: Census
    occupants: Occupants
    milestones: Any
    orders: Any
    reactions: Any
    route: Any

    def log(self, kind: Any, *, zone: str | None = None, opening: str | None = None,
            detail: str = "") -> None:
        """Append to the event log."""
        ...

    def _set_off(self, person: int, zone: ZoneState) -> None: ...


def make_hiding(host: _Host, population: Population, exposure: _Exposure, streams: Streams) -> Hiding | None:
    """The part, wired to the orders and reactions that cue people out; None if nobody may hide."""
    spec = population.threat_response
    if spec is None:
        return None
    def run(person: int, zone: ZoneState) -> None:
        """Walk out as everybody does without this part: at once, from their own place if still there."""
        if host.occupants.zone[person] == zone.index:
            walk(host, person, zone)  # type: ignore[arg-type]  # a CrowdHost
        else:
            host._set_off(person, zone)

    hiding = Hiding(host.env, spec, host.zones, census=host.census, exposure=exposure,
                    occupants=host.occupants, draws=draw_responses(spec, population, streams),
                    run=run, evacuation_ordered=lambda: host.milestones.reached("evac_order"),
                    log=host.log, revision=lambda: host.route.revision)
    host.orders.hiding = host.reactions.hiding = hiding
    return hiding
