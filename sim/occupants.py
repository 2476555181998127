"""Occupants: who they are (drawn once per run) and when each one sets off (`walker.py` walks them).

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
from .scenario.population import Occupancy, Population
from .walker import walk
from .zones import ZoneState

if TYPE_CHECKING:
    from .exit_choice import RouteChoice
    from .hiding import Hiding
    from .orders import Orders
    from .rerouting import Rerouting
from .streams import Streams

__all__ = [
    "CrowdHost",
    "Occupants",
    "canonical_groups",
    "draw_occupants",
    "group_key",
    "release_occupants",
]




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
            walk(sim, person, zone)
        else:
            sim.hiding.respond(person, zone)  # run, hide or freeze (hiding.py)
