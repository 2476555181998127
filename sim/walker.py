"""One person's walk to safety, opening by opening, driven by the events it waits on.

A walk was a SimPy process: a generator per person, resumed by SimPy at each event it
yielded, and ended by one more event that announced the process's end. Here the walk is a
small object whose methods are the events' callbacks: the same events, scheduled at the same
moments in the same order, so results are identical, without a process per person, the
process machinery at every step, or the closing event (about one event in seven of a run;
issue 17). What the walk does at each step is unchanged (docs/model.md, movement):

- choose an opening (`RouteChoice.choose`), or wait for a way out if none leads to safety;
- in a packed zone, walk step by step (RESPEED_STEP_S), taking the density of the people
  ahead again after each: newcomers behind do not slow them, and a jam dissolves from its
  front (issue 13);
- approach the opening: one `Turn` event stands for the walk and the wait in its queue;
- pass, or choose again if it was shut or the way beyond was blocked meanwhile.

After every wait the person checks they are still inside: harm or sheltering ends the walk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import simpy
from simpy.core import URGENT

from .census import INSIDE
from .movement import MAX_FLOW_DENSITY_P_M2, walking_speed

if TYPE_CHECKING:
    from .doors import Door, Turn
    from .occupants import CrowdHost, Occupants
    from .zones import ZoneState

__all__ = ["RESPEED_STEP_S", "Walker", "standing_at", "walk", "walk_soon"]

RESPEED_STEP_S = 2.0
"""How often someone walking through a packed zone takes its density again, s. A speed kept
for a whole leg let people who entered a packed corridor crawl the length of it after it had
cleared, starving the opening beyond (issue 13); two seconds is under a metre at the speeds
of a packed crowd. Only a zone denser than the density of the largest flow
(`MAX_FLOW_DENSITY_P_M2`) is stepped: there a jam feeds itself, while below it a speed kept
for the leg errs little, and stepping every walk above 0.54 /m² doubled the run time of the
reference scenario."""


def standing_at(people: Occupants, person: int, zone: ZoneState) -> tuple[float, float]:
    """Where `person` stands in `zone`: their own place if they started there, else `Zone.centre`.

    Someone who came from elsewhere to hide or shelter stands somewhere in the room; where in
    it matters little against the walk out.
    """
    if people.zone[person] == zone.index:
        return people.x[person], people.y[person]
    return zone.spec.centre if zone.spec is not None else (0.0, 0.0)


def walk(sim: CrowdHost, person: int, zone: ZoneState, position: tuple[float, float] | None = None) -> None:
    """`person` sets off from `zone` now, choosing their first opening at once."""
    Walker(sim, person, zone, position).choose()


def walk_soon(sim: CrowdHost, person: int, zone: ZoneState, position: tuple[float, float]) -> None:
    """`person` sets off from `position` in `zone`, as a new SimPy process would start.

    That is at an urgent event now, after whatever is running (a person leaving a shelter
    mid-step), so the order of events is the same as when walks were processes.
    """
    start = simpy.Event(sim.env)
    start._ok, start._value = True, None
    start.callbacks.append(Walker(sim, person, zone, position).choose)
    sim.env.schedule(start, URGENT)


class Walker:
    """One person's walk: where they are, where they head, and the leg they are on."""

    __slots__ = ("came_by", "census", "dist", "door", "env", "free_speed", "keep_share", "order",
                 "own", "person", "position", "route", "sim", "speed", "stair_factor", "target",
                 "walk", "zone")

    def __init__(self, sim: CrowdHost, person: int, zone: ZoneState,
                 position: tuple[float, float] | None = None):
        people = sim.occupants
        self.sim = sim
        self.env = sim.env
        self.route = sim.route
        self.census = sim.census
        self.person = person
        self.walk = sim.census.walk[person]
        """Which of the person's walks this is: sheltered and released, they walk anew."""
        self.zone = zone
        self.position = position if position is not None else (people.x[person], people.y[person])
        self.free_speed = people.free_speed[person]
        self.keep_share = people.keep_share[person]
        self.stair_factor = people.stair_factor[person]
        heading_for = people.target[person]
        self.target: Door | None = sim.doors[heading_for] if heading_for is not None else None
        """The opening they head for whatever the queues (assigned, or the way they came in)."""
        self.came_by: Door | None = None
        self.order = 0
        """How many had entered or left their zone before them: those still there are ahead."""
        self.door: Door | None = None
        self.dist = self.own = self.speed = 0.0

    def _gone(self) -> bool:
        """Harmed or sheltering; or sheltered, released, and walking anew."""
        census = self.census
        return census.status[self.person] != INSIDE or census.walk[self.person] != self.walk

    def choose(self, _event: Any = None) -> None:
        """Choose the next opening and set off towards it, or wait for a way out."""
        zone, route = self.zone, self.route
        while True:
            door, dist = route.choose(zone, self.position, self.free_speed, self.env._now, self.target,
                                      self.came_by, self.keep_share)
            if door is not None or self.target is None:
                break
            self.target = None  # their exit, or the way they came in, is gone: follow the crowd
        if door is None:
            self.sim.rerouting.routes_changed().callbacks.append(self._way_opened)
            return
        if self.came_by is None:
            self.order = zone.exits + zone.count  # who is here now is ahead or alongside; later ones behind
        ahead = self.order - zone.exits
        own = self.free_speed * self.stair_factor if zone.is_stair else self.free_speed
        if zone.smoke is not None:  # smoke slows walkers (Frantzich & Nilsson), read as the leg starts
            own *= zone.smoke_speed_factor(self.env.now)
        if ahead < zone.sparse_below and not zone.is_stair:
            speed = own  # what `walking_speed` gives in a sparse crowd, without the call
            density = 0.0
        else:
            density = ahead / zone.area_m2
            speed = walking_speed(own, density, zone.k)
        if density >= MAX_FLOW_DENSITY_P_M2 and dist > speed * RESPEED_STEP_S:
            # A packed zone: walk step by step, taking the density again after each. The
            # opening counts them as heading its way meanwhile, as route choice expects.
            door.heading += 1
            self.door, self.dist, self.own, self.speed = door, dist, own, speed
            self.env.timeout(RESPEED_STEP_S).callbacks.append(self._stepped)
            return
        self._wait(door.approach(self.person, zone, dist / speed))  # the walk and the wait: one event

    def _way_opened(self, _event: Any) -> None:
        if not self._gone():
            self.choose()

    def _stepped(self, _event: Any) -> None:
        """One step through a packed zone done: the density ahead again, and the next step."""
        door, zone = self.door, self.zone
        assert door is not None
        self.dist -= self.speed * RESPEED_STEP_S
        density = (self.order - zone.exits) / zone.area_m2
        self.speed = walking_speed(self.own, density, zone.k)
        if self._gone():
            door.heading -= 1
            return  # harmed or sheltering while on the way
        if density >= MAX_FLOW_DENSITY_P_M2 and self.dist > self.speed * RESPEED_STEP_S:
            self.env.timeout(RESPEED_STEP_S).callbacks.append(self._stepped)
            return
        door.heading -= 1
        self._wait(door.approach(self.person, zone, self.dist / self.speed))

    def _wait(self, turn: Turn) -> None:
        self.census.turn_of[self.person] = turn
        if turn.callbacks is None:  # already processed: go on at once, as a SimPy process would
            self._turn_came(turn)
        else:
            turn.callbacks.append(self._turn_came)

    def _turn_came(self, turn: Any) -> None:
        """Their turn at the opening: pass, wait again, or choose again."""
        census = self.census
        census.turn_of[self.person] = None
        if census.status[self.person] != INSIDE:
            return
        door = turn.door
        outcome = door.take_turn(turn)
        if outcome is not True and outcome is not False:
            self._wait(outcome)
            return
        self.position = door.position
        if not outcome:  # it was shut, or shut or blocked while they came or queued
            if door.state != "open":
                self.sim.rerouting.found_shut(door)
            self.choose()
            return
        zone = self.zone = door.other(self.zone)
        self.came_by = door
        self.order = zone.entries - 1  # how many entered before them: those not yet gone are ahead
        if door is self.target:
            self.target = None
        if not zone.is_safe:
            self.choose()
