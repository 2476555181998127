"""Occupants: who they are (drawn once per run) and how each one moves (a SimPy process).

The draws come from the population's own streams, attribute by attribute, so two protocols
run with the same seed give each person the same position, speed and pre-movement quantile
(common random numbers). Each person waits for their zone's first cue, spends their
pre-movement time (docs/model.md, pre-movement), then walks from opening to opening, choosing at each zone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import simpy

from .census import INSIDE, Census
from .doors import Door
from .geometry import random_points
from .movement import MAX_FLOW_DENSITY_P_M2, walking_speed
from .scenario.population import Population
from .simpy_ext import StartedNow
from .zones import ZoneState

if TYPE_CHECKING:
    from .exit_choice import RouteChoice
    from .orders import Orders
    from .rerouting import Rerouting
from .streams import Streams

__all__ = [
    "RESPEED_STEP_S",
    "CrowdHost",
    "Occupants",
    "draw_occupants",
    "move_occupant",
    "release_occupants",
]


RESPEED_STEP_S = 2.0
"""How often someone walking through a packed zone takes its density again, s. A speed kept
for a whole leg let people who entered a packed corridor crawl the length of it after it had
cleared, starving the opening beyond (issue 13); two seconds is under a metre at the speeds
of a packed crowd. Only a zone denser than the density of the largest flow
(`MAX_FLOW_DENSITY_P_M2`) is stepped: there a jam feeds itself, while below it a speed kept
for the leg errs little, and stepping every walk above 0.54 /m² doubled the run time of the
reference scenario."""


@dataclass
class Occupants:
    """Per-person attributes as plain lists (indexing lists is much faster than numpy scalars)."""

    zone: list[int]
    """Index of the zone each person starts in."""
    x: list[float]
    y: list[float]
    free_speed: list[float]
    """Level walking speed, m/s."""
    premovement: list[float]
    """Delay from first cue to moving, s."""
    entrance: list[int | None]
    """Index of the opening a familiar person heads back to, else None."""

    def __len__(self) -> int:
        return len(self.zone)


def draw_occupants(population: Population, zone_index: dict, zone_shapes: dict,
                   door_index: dict, streams: Streams) -> Occupants:
    """Draw every occupant's position, speed, pre-movement and familiarity.

    Counts are the population's scaled ones (`Population.counts`). Speeds and pre-movements are
    drawn for everybody from the population's streams first, exactly as for a file without
    group distributions; a group with its own distribution then overwrites its people's values
    from a stream keyed by the group's id, so giving one group its own speeds leaves everybody
    else's draws unchanged (common random numbers). Pre-movement is a delay: a negative draw
    (a `shift` below zero) is raised to 0 s here.
    """
    groups = [(g, n) for g, n in zip(population.occupants, population.counts, strict=True) if n > 0]
    sizes = [n for _, n in groups]
    total = sum(sizes)
    zone = np.repeat([zone_index[g.zone] for g, _ in groups], sizes)
    place = streams.population("position")
    blocks = [
        np.tile(g.at_m, (n, 1)) if g.at_m is not None
        else random_points(zone_shapes[g.zone], n, place)
        for g, n in groups
    ]
    points = np.concatenate(blocks) if blocks else np.zeros((0, 2))
    speed = population.free_speed_m_s.sample(streams.population("free_speed"), total)
    premove = population.premovement_s.sample(streams.population("premovement"), total)
    start = 0
    for g, n in groups:
        if g.id is not None and g.free_speed_m_s is not None:
            speed[start:start + n] = g.free_speed_m_s.sample(streams.group("free_speed", g.id), n)
        if g.id is not None and g.premovement_s is not None:
            premove[start:start + n] = g.premovement_s.sample(streams.group("premovement", g.id), n)
        start += n
    speed = np.maximum(speed, 0.05)  # a drawn speed of zero would never arrive
    premove = np.maximum(premove, 0.0)
    familiar = streams.population("familiarity").random(total) < population.familiarity_share
    entrance: list[int | None] = []
    for g, n in groups:
        entrance.extend([door_index.get(g.entrance) if g.entrance else None] * n)
    entrance = [e if f else None for e, f in zip(entrance, familiar.tolist(), strict=True)]
    return Occupants(
        zone=zone.tolist(),
        x=points[:, 0].tolist(),
        y=points[:, 1].tolist(),
        free_speed=speed.tolist(),
        premovement=premove.tolist(),
        entrance=entrance,
    )


class CrowdHost(Protocol):
    """What a moving person asks of the simulation."""

    env: simpy.Environment
    occupants: Occupants
    census: Census
    route: RouteChoice
    rerouting: Rerouting
    orders: Orders
    doors: list[Door]

    def people_in(self, zone: ZoneState) -> list[int]:
        """The people who started the run in `zone`."""
        ...


def release_occupants(sim: CrowdHost, zone: ZoneState) -> Generator[simpy.Event, Any, None]:
    """A zone's occupants start moving one by one after its first cue.

    Each starts when their own pre-movement time has passed: one waiting process per zone,
    not one per person, which saves an event per occupant. An announcement shortens the
    pre-movement still to come; the threat arriving in the zone starts everybody at once.
    """
    env = sim.env
    while not zone.cue.triggered:
        with contextlib.suppress(simpy.Interrupt):  # a replan before the cue changes nothing yet
            yield zone.cue
    cued_at = env.now
    people = sim.occupants
    starting = sorted((people.premovement[p], p) for p in sim.people_in(zone))
    status, started = sim.census.status, sim.census.started
    i = 0
    while i < len(starting):
        premovement, person = starting[i]
        if status[person] != INSIDE or started[person]:
            i += 1
            continue
        start = sim.orders.planned_start(zone, cued_at, premovement)
        if start > env.now:
            try:  # noqa: SIM105 - no context-manager object per person in this hot loop
                yield env.timeout(start - env.now)
            except simpy.Interrupt:
                pass  # start times changed (announcement, threat): work them out again
            continue
        i += 1
        started[person] = True
        StartedNow(env, move_occupant(sim, person, zone))


def move_occupant(sim: CrowdHost, person: int, zone: ZoneState,
                  position: tuple[float, float] | None = None) -> Generator[simpy.Event, Any, None]:
    """One person, once their pre-movement is over: opening by opening to safety.

    After every wait the person checks they are still inside: harm or sheltering ends the walk.
    In a packed zone the speed is taken again every `RESPEED_STEP_S` from the density of the
    people ahead (those in the zone when they entered, or set off, and not yet gone): newcomers
    behind do not slow them, and as the crowd ahead drains they speed up. A jam so dissolves
    from its front, and the opening beyond a crowded zone is not starved by people who
    entered while it was packed crawling the whole leg (issue 13).
    """
    env = sim.env
    people = sim.occupants
    route = sim.route
    status = sim.census.status
    turn_of = sim.census.turn_of
    walks = sim.census.walk
    walk = walks[person]
    if position is None:
        position = (people.x[person], people.y[person])
    free_speed = people.free_speed[person]
    entrance = people.entrance[person]
    target = sim.doors[entrance] if entrance is not None else None
    came_by = None
    order = 0
    while True:
        door, dist = route.choose(zone, position, free_speed, env.now, target, came_by)
        if door is None and target is not None:
            target = None  # the way they came in is gone: follow the crowd's best route
            continue
        if door is None:
            yield sim.rerouting.routes_changed()
            if status[person] != INSIDE or walks[person] != walk:
                return  # harmed or sheltering; or sheltered, released, and walking anew
            continue
        if came_by is None:
            order = zone.exits + zone.count  # who is here now is ahead or alongside; later ones behind
        density = (order - zone.exits) / zone.area_m2
        speed = walking_speed(free_speed, density, zone.k)
        if density >= MAX_FLOW_DENSITY_P_M2 and dist > speed * RESPEED_STEP_S:
            # A packed zone: walk step by step, taking the density again after each. The
            # opening counts them as heading its way meanwhile, as route choice expects.
            door.heading += 1
            while density >= MAX_FLOW_DENSITY_P_M2 and dist > speed * RESPEED_STEP_S:
                yield env.timeout(RESPEED_STEP_S)
                dist -= speed * RESPEED_STEP_S
                density = (order - zone.exits) / zone.area_m2
                speed = walking_speed(free_speed, density, zone.k)
                if status[person] != INSIDE or walks[person] != walk:
                    door.heading -= 1
                    return  # harmed or sheltering while on the way
            door.heading -= 1
        turn = door.approach(person, zone, dist / speed)  # the walk and the wait: one event
        while True:
            turn_of[person] = turn
            yield turn
            turn_of[person] = None
            if status[person] != INSIDE:
                return
            outcome = door.take_turn(turn)
            if outcome is True or outcome is False:
                break
            turn = outcome
        position = door.position
        if not outcome:  # it was shut, or shut or blocked while they came or queued
            if door.state != "open":
                sim.rerouting.found_shut(door)
            continue
        zone = door.other(zone)
        came_by = door
        order = zone.entries - 1  # how many entered before them: those not yet gone are ahead
        if door is target:
            target = None
        if zone.is_safe:
            # End the process (SimPy schedules one more event to announce it) rather than park
            # it on an event that never comes: a parked process, its generator and its last
            # turn live to the end of the run, and the garbage collector's first pass after
            # the run then walks all of them, which costs more than the events (about a tenth
            # of a run against a thirtieth, measured on the reference scenario).
            return
