"""Occupants: who they are (drawn once per run) and how each one moves (a SimPy process).

Each group of people draws from its own streams, attribute by attribute, keyed by the
group's identity rather than its place in the file, so two protocols run with the same seed
give each person the same position, speed and pre-movement quantile (common random numbers),
and reordering the groups changes nothing. Each person waits for their zone's first cue, spends their
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
from .geometry import random_points_in
from .movement import MAX_FLOW_DENSITY_P_M2, walking_speed
from .scenario.population import Occupancy, Population
from .simpy_ext import StartedNow
from .zones import ZoneState

if TYPE_CHECKING:
    from .exit_choice import RouteChoice
    from .hiding import Hiding
    from .orders import Orders
    from .rerouting import Rerouting
from .streams import Streams

__all__ = [
    "RESPEED_STEP_S",
    "CrowdHost",
    "Occupants",
    "canonical_groups",
    "draw_occupants",
    "group_key",
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
    target: list[int | None]
    """Index of the opening a person heads for by walking alone, else None: their group's
    assigned exit, or (for a familiar person) the entrance they came in by."""
    stair_factor: list[float]
    """Multiplies the person's own speed on stairs (their group's `stair_speed_factor`)."""
    arrival: list[float | None]
    """When a latecomer arrives (their group's `arrives_s`), else None: there at t = 0."""
    keep_share: list[float]
    """Route inertia: another way must take at most this share of the time of their own
    (1 − their drawn `route_inertia.faster_by`)."""

    def __len__(self) -> int:
        return len(self.zone)


def draw_occupants(population: Population, zone_index: dict, zone_plans: dict,
                   door_index: dict, streams: Streams) -> Occupants:
    """Draw every occupant's position, speed, pre-movement, familiarity and target.

    Counts are the population's scaled ones (`Population.counts`). Each group draws from its
    own streams, keyed by the group's identity (`group_key`), never from a stream shared in the
    file's order: reordering the groups, or a protocol that adds, removes or resizes one group,
    leaves every other group's draws unchanged (common random numbers), and resizing a group
    keeps its first people's draws. People are numbered group by group in the order of those
    keys, so ties (two equal pre-movements) fall the same way too. A group with its own
    distribution samples it instead of the population's. Pre-movement is a delay: a negative
    draw (a `shift` below zero) is raised to 0 s here. A group's assigned exit is every
    member's target; the familiarity draw is made all the same, so that assigning an exit
    changes no other draw.
    """
    groups = canonical_groups(population)
    zone: list[int] = []
    x: list[float] = []
    y: list[float] = []
    speed: list[float] = []
    premove: list[float] = []
    target: list[int | None] = []
    keep_share: list[float] = []
    stair_factor: list[float] = []
    arrival: list[float | None] = []
    inertia = population.route_inertia.faster_by
    for key, g, n in groups:
        points = (np.tile(g.at_m, (n, 1)) if g.at_m is not None
                  else random_points_in(zone_plans[g.zone], n, streams.group("position", key)))
        speeds = (g.free_speed_m_s or population.free_speed_m_s).sample(streams.group("free_speed", key), n)
        delays = (g.premovement_s or population.premovement_s).sample(streams.group("premovement", key), n)
        familiar = streams.group("familiarity", key).random(n) < population.familiarity_share
        way_in = door_index.get(g.entrance) if g.entrance else None
        zone.extend([zone_index[g.zone]] * n)
        x.extend(points[:, 0].tolist())
        y.extend(points[:, 1].tolist())
        speed.extend(np.maximum(speeds, 0.05).tolist())  # a drawn speed of zero would never arrive
        premove.extend(np.maximum(delays, 0.0).tolist())
        if g.assigned_exit is not None:
            targets = [door_index[g.assigned_exit]] * n
        else:
            targets = [way_in if f else None for f in familiar.tolist()]
        target.extend(targets)
        stair_factor.extend([g.stair_speed_factor] * n)
        if g.arrives_s is None:
            arrival.extend([None] * n)
        else:
            arrival.extend(np.maximum(g.arrives_s.sample(streams.group("arrival", key), n), 0.0).tolist())
        shares = inertia.sample(streams.group("route_inertia", key), n)
        keep_share.extend((1.0 - np.clip(shares, 0.0, 0.95)).tolist())
    return Occupants(zone=zone, x=x, y=y, free_speed=speed, premovement=premove, target=target,
                     stair_factor=stair_factor, arrival=arrival, keep_share=keep_share)


def group_key(group: Occupancy) -> str:
    """The name a group's streams are keyed by: its id, else where it is (zone, entrance, point).

    Unnamed groups cannot have distributions of their own, so two with the same place are the
    same kind of people and `canonical_groups` merges them; the key starts with a character no
    id holds, so it never collides with a named group's. An assigned exit is part of the place
    (two groups in one room sent to different exits stay apart), added only when set so that
    every other group keeps the key, and so the draws, it had before exits could be assigned.
    """
    if group.id is not None:
        return group.id
    key = f"\0zone={group.zone}\0entrance={group.entrance}\0at={group.at_m}"
    return key if group.assigned_exit is None else f"{key}\0exit={group.assigned_exit}"


def canonical_groups(population: Population) -> list[tuple[str, Occupancy, int]]:
    """The groups with people in them as (key, group, scaled count), in the order of their keys.

    Unnamed groups with the same key are one group of the summed count: which of them the file
    lists first then cannot matter.
    """
    merged: dict[str, tuple[Occupancy, int]] = {}
    for g, n in zip(population.occupants, population.counts, strict=True):
        key = group_key(g)
        merged[key] = (g, merged[key][1] + n) if key in merged else (g, n)
    return [(key, g, n) for key, (g, n) in sorted(merged.items()) if n > 0]


class CrowdHost(Protocol):
    """What a moving person asks of the simulation."""

    env: simpy.Environment
    occupants: Occupants
    census: Census
    route: RouteChoice
    rerouting: Rerouting
    orders: Orders
    doors: list[Door]
    hiding: Hiding | None

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
        if sim.hiding is None:
            StartedNow(env, move_occupant(sim, person, zone))
        else:
            sim.hiding.respond(person, zone)  # run, hide or freeze (hiding.py)


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
    keep_share = people.keep_share[person]
    stair_factor = people.stair_factor[person]
    heading_for = people.target[person]
    target = sim.doors[heading_for] if heading_for is not None else None
    came_by = None
    order = 0
    while True:
        door, dist = route.choose(zone, position, free_speed, env.now, target, came_by, keep_share)
        if door is None and target is not None:
            target = None  # their exit, or the way they came in, is gone: follow the crowd
            continue
        if door is None:
            yield sim.rerouting.routes_changed()
            if status[person] != INSIDE or walks[person] != walk:
                return  # harmed or sheltering; or sheltered, released, and walking anew
            continue
        if came_by is None:
            order = zone.exits + zone.count  # who is here now is ahead or alongside; later ones behind
        ahead = order - zone.exits
        own = free_speed * stair_factor if zone.is_stair else free_speed
        if zone.smoke is not None:  # smoke slows walkers (Frantzich & Nilsson), read as the leg starts
            own *= zone.smoke_speed_factor(env.now)
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
            while density >= MAX_FLOW_DENSITY_P_M2 and dist > speed * RESPEED_STEP_S:
                yield env.timeout(RESPEED_STEP_S)
                dist -= speed * RESPEED_STEP_S
                density = (order - zone.exits) / zone.area_m2
                speed = walking_speed(own, density, zone.k)
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
