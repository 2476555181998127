"""Latecomers: groups who arrive during the run (docs/model.md, people who arrive during the run).

People coming in late, or a train or bus arriving into the incident: each arrives in their
group's zone at their drawn time (`Occupancy.arrives_s`). Before that they are not at the
venue: no zone counts them and nothing harms them. On arrival they take their first cue from
the zone (if it has had one) and start after their own pre-movement, counted from the later
of their arrival and that cue; where the zone is rushed (the threat, smoke) they start at once.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import simpy

from .census import INSIDE
from .walker import walk

if TYPE_CHECKING:
    from .simulation import Simulation
    from .zones import ZoneState

__all__ = ["bring_latecomers"]


def bring_latecomers(sim: Simulation) -> None:
    """Start the process that brings latecomers in, if the scenario has any."""
    arrival = sim.occupants.arrival
    late = sorted((t, p) for p, t in enumerate(arrival) if t is not None)
    if late:
        sim.env.process(_arrivals(sim, late))


def _arrivals(sim: Simulation, late: list[tuple[float, int]]) -> Generator[simpy.Event, Any, None]:
    """Bring each latecomer in at their time, in order of arrival (ties by person number)."""
    env, census, zones = sim.env, sim.census, sim.zones
    for t, person in late:
        if t > env.now:
            yield env.timeout(t - env.now)
        zone = zones[sim.occupants.zone[person]]
        census.arrive(person, zone)
        env.process(_start(sim, person, zone))


def _start(sim: Simulation, person: int, zone: ZoneState) -> Generator[simpy.Event, Any, None]:
    """A latecomer waits for their zone's cue, then their own pre-movement, then responds."""
    env = sim.env
    if not zone.cue.triggered:
        yield zone.cue
    # now is the later of their arrival and the zone's first cue
    start = sim.orders.planned_start(zone, env.now, sim.occupants.premovement[person])
    if start > env.now:
        yield env.timeout(start - env.now)
    if sim.census.status[person] != INSIDE or sim.census.started[person]:
        return  # harmed while waiting, or already on the move
    sim.census.started[person] = True
    if sim.hiding is None:
        walk(sim, person, zone)
    else:
        sim.hiding.respond(person, zone)  # run, hide or freeze (hiding.py)

