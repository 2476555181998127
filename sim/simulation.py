"""The Simulation: one SimPy model of a venue incident, steppable by every caller.

The console steps it (`run_until`, `state`, `apply`), the batch runner runs it to the end
(`run`, `result`), the tests inspect it (`events`). There is no second model (DESIGN.md 1).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import simpy

from .actions import Action, LockOpenings, OpenOpenings, OrderEvacuation, parse_action
from .doors import Door
from .events import Event, EventKind
from .geometry import shared_edge_midpoint
from .movement import opening_capacity_p_s, stair_k
from .occupants import draw_occupants, release_occupants
from .results import OpeningResult, Result, ZoneResult
from .routing import QuickestRoute
from .scenario import OUTSIDE, Scenario
from .streams import Streams
from .zones import ZoneState

__all__ = ["ActionError", "SimState", "Simulation"]

CURVE_DT_S = 5.0
"""Step of the evacuation curve and the zone occupancy series in results."""


class ActionError(ValueError):
    """An action that does not fit the scenario (an unknown zone or opening)."""


@dataclass(frozen=True)
class SimState:
    """A snapshot of a run, for displays and tests."""

    t: float
    inside: int
    safe: int
    zones: dict[str, int]
    """Head count per zone."""
    queues: dict[str, int]
    """People queued per opening."""
    openings: dict[str, str]
    """State per opening: open, closed or locked."""
    t_alarm_s: float | None
    finished: bool


class Simulation:
    """A run of a scenario under a protocol with a seed.

    Args:
        scenario: the validated scenario (from `load_scenario`).
        protocol: one of the scenario's protocols; None or "baseline" for the file as written.
        seed: the run's seed; every random draw derives from it.
        decisions: (time, action) pairs applied when the clock reaches them.
    """

    def __init__(self, scenario: Scenario, *, protocol: str | None = None, seed: int = 0,
                 decisions: Iterable[tuple[float, Action | dict]] = ()):
        self.scenario = scenario.with_protocol(protocol)
        self.protocol = self.scenario.protocol
        self.seed = seed
        self.env = simpy.Environment()
        self.events: list[Event] = []
        """The event log, in time order."""
        self.applied: list[tuple[float, Action]] = []
        """Every action applied, with its time: enough to replay the run."""
        streams = Streams(seed)
        venue = self.scenario.venue
        self.horizon_s = self.scenario.meta.horizon_s

        self.zones = [ZoneState(self.env, i, z, venue.jam_density_p_m2) for i, z in enumerate(venue.zones)]
        self.zones.append(ZoneState(self.env, len(self.zones), None, venue.jam_density_p_m2))
        self.zone_by_id = {z.id: z for z in self.zones}
        self.doors = [self._make_door(i, spec) for i, spec in enumerate(venue.openings)]
        self.door_by_id = {d.id: d for d in self.doors}
        for door in self.doors:
            for zone in door.sides:
                zone.doors.append(door)

        self.occupants = draw_occupants(
            self.scenario.population,
            {z.id: z.index for z in self.zones},
            {z.id: z.spec.shapes for z in self.zones if z.spec is not None},
            {d.id: d.index for d in self.doors},
            streams,
        )
        self._people_by_zone: dict[int, list[int]] = {}
        for person, index in enumerate(self.occupants.zone):
            self.zones[index].enter()
            self._people_by_zone.setdefault(index, []).append(person)
        for zone in self.zones:
            zone.initial = zone.count
        self.total = len(self.occupants)
        self.inside = self.total
        self.safe_times: list[float] = []
        mean_speed = sum(self.occupants.free_speed) / self.total if self.total else 1.2
        self.route = QuickestRoute(self.zones, self.doors, mean_speed)
        self.t_alarm: float | None = None
        self._routes_changed: simpy.Event | None = None
        self._finished = self.env.event()
        self._occupancy: dict[str, list[int]] = {z.id: [] for z in self.zones if not z.is_safe}

        response = streams["response"]
        alarm = self.scenario.response.alarm_delay_s
        self._alarm_delay = float(alarm.sample(response, 1)[0]) if alarm is not None else None
        self._staff_delays = {
            d.id: float(d.spec.staff_open_after_s.sample(response, 1)[0])
            for d in self.doors if d.spec.staff_open_after_s is not None
        }

        env = self.env
        if self._alarm_delay is not None:
            env.process(self.sound_alarm(self._alarm_delay))
        for zone in self.zones:
            if zone.initial:
                env.process(release_occupants(self, zone))
        for t, action in decisions:
            env.process(self.apply_at(t, action))
        env.process(self.record_occupancy())
        env.process(self.stop_at_horizon())
        if self.total == 0:
            self._finish("all_safe", "nobody inside")

    # -- stepping API -------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Simulation time, seconds."""
        return self.env.now

    @property
    def finished(self) -> bool:
        """Everybody is safe, or the horizon was reached."""
        return self._finished.triggered

    def run_until(self, t: float) -> None:
        """Advance the clock to `t` (capped at the horizon); the past cannot be re-run."""
        t = min(t, self.horizon_s)
        if t > self.env.now:
            self.env.run(until=t)

    def run(self) -> Result:
        """Run until everybody is safe or the horizon, and return the result."""
        if not self._finished.triggered:
            self.env.run(until=self._finished)
        return self.result()

    def apply(self, action: Action | dict) -> None:
        """Apply an action now (DESIGN.md 3.7); raises ActionError if it names unknown things."""
        if isinstance(action, dict):
            action = parse_action(action)
        if isinstance(action, OrderEvacuation):
            zones = self._lookup(action.zones, self.zone_by_id, "zone") if action.zones else None
            self.applied.append((self.now, action))
            self._order_evacuation(zones)
        elif isinstance(action, OpenOpenings | LockOpenings):
            doors = self._lookup(action.ids, self.door_by_id, "opening")
            self.applied.append((self.now, action))
            for door in doors:
                if isinstance(action, OpenOpenings):
                    self._open(door, "opened by order")
                elif door.state != "locked":
                    door.shut("locked")
                    self._log("opening_locked", opening=door.id, detail="locked by order")
            self.route.invalidate()
        else:  # pragma: no cover - the Action union is closed
            raise ActionError(f"unsupported action {action!r}")

    def state(self) -> SimState:
        """A snapshot of the run now."""
        return SimState(
            t=self.now,
            inside=self.inside,
            safe=self.total - self.inside,
            zones={z.id: z.count for z in self.zones if not z.is_safe},
            queues={d.id: len(d.queue) for d in self.doors},
            openings={d.id: d.state for d in self.doors},
            t_alarm_s=self.t_alarm,
            finished=self.finished,
        )

    def result(self) -> Result:
        """The outcome so far (final once `finished`)."""
        n = self.total
        times = self.safe_times
        end = self.now
        steps = math.ceil(end / CURVE_DT_S) + 1  # the last sample is at or after the end
        curve, k = [], 0
        for i in range(steps):
            while k < len(times) and times[k] <= i * CURVE_DT_S:
                k += 1
            curve.append(k)
        return Result(
            scenario=self.scenario.meta.name,
            protocol=self.protocol,
            seed=self.seed,
            occupants=n,
            evacuated=len(times),
            remaining=self.inside,
            rset_s=times[-1] if times and self.inside == 0 else (0.0 if n == 0 else None),
            t50_s=_quantile_time(times, n, 0.50),
            t95_s=_quantile_time(times, n, 0.95),
            end_s=end,
            t_alarm_s=self.t_alarm,
            openings={
                d.id: OpeningResult(d.passed, d.peak_queue, d.first_pass, d.last_pass, d.state, d.capacity)
                for d in self.doors
            },
            zones={
                z.id: ZoneResult(z.initial, z.peak, z.count, z.cleared_at)
                for z in self.zones if not z.is_safe
            },
            events_count=len(self.events),
            curve_dt_s=CURVE_DT_S,
            curve_safe=tuple(curve),
            occupancy={k: tuple(v) for k, v in self._occupancy.items()},
        )

    # -- processes ----------------------------------------------------------------------

    def sound_alarm(self, delay: float):
        """The venue-wide alarm sounds after its delay and cues everybody (DESIGN.md 3.3)."""
        yield self.env.timeout(delay)
        self._raise_alarm("venue alarm")

    def open_by_staff(self, door: Door, delay: float):
        """Staff reach a closed exit some time after the alarm and open it."""
        yield self.env.timeout(delay)
        if door.state == "closed":
            self._open(door, "opened by staff")

    def apply_at(self, t: float, action: Action | dict):
        """Apply a scheduled decision when the clock reaches its time."""
        if isinstance(action, dict):
            action = parse_action(action)
        if t > self.env.now:
            yield self.env.timeout(t - self.env.now)
        self.apply(action)

    def record_occupancy(self):
        """Sample each zone's head count every CURVE_DT_S until the run finishes."""
        while True:
            for zone in self.zones:
                if not zone.is_safe:
                    self._occupancy[zone.id].append(zone.count)
            if self._finished.triggered:
                return
            yield self.env.timeout(CURVE_DT_S) | self._finished

    def stop_at_horizon(self):
        """End the run at the scenario's horizon, whoever is still inside."""
        yield self.env.timeout(self.horizon_s) | self._finished
        if not self._finished.triggered:
            self._finish("horizon_reached", f"{self.inside} people still inside")

    # -- callbacks from doors and occupants ---------------------------------------------

    def people_in(self, zone: ZoneState) -> list[int]:
        """The people who started the run in `zone`."""
        return self._people_by_zone.get(zone.index, [])

    def routes_changed(self) -> simpy.Event:
        """An event that succeeds the next time an opening opens (trapped people wait on it)."""
        if self._routes_changed is None:
            self._routes_changed = self.env.event()
        return self._routes_changed

    def found_shut(self, door: Door) -> None:
        """Somebody reached an opening and found it shut; word spreads."""
        if not door.found_shut:
            door.mark_found_shut()
            self._log("opening_found_shut", opening=door.id, detail=f"{door.state}")
            self.route.invalidate()

    def _on_pass(self, person: int, door: Door, from_zone: ZoneState, to_zone: ZoneState) -> None:
        from_zone.leave()
        to_zone.enter()
        now = self.env.now
        if from_zone.count == 0 and not from_zone.is_safe:
            if from_zone.cleared_at is None and from_zone.initial > 0:
                self._log("zone_cleared", zone=from_zone.id)
            from_zone.cleared_at = now
        if to_zone.is_safe:
            self.inside -= 1
            self.safe_times.append(now)
            if self.inside == 0:
                self._finish("all_safe", f"{self.total} people safe")

    # -- internals ----------------------------------------------------------------------

    def _make_door(self, index: int, spec) -> Door:
        sides = (self.zone_by_id[spec.between[0]], self.zone_by_id[spec.between[1]])
        position = spec.at_m or shared_edge_midpoint(sides[0].spec.shapes, sides[1].spec.shapes)
        stairs = [z for z in sides if z.is_stair]
        k = stairs[0].k if stairs else (stair_k(178, 279) if spec.kind == "stair" else 1.40)
        venue = self.scenario.venue
        capacity = spec.capacity_p_s or opening_capacity_p_s(
            width_m=spec.width_m, kind=spec.kind, flow_model=venue.flow_model,
            specific_flow_p_s_m=venue.specific_flow_p_s_m, k=k, boundary_layer_m=spec.boundary_layer_m,
        )
        return Door(self.env, index, spec, sides, tuple(position), capacity, self._on_pass)

    def _lookup(self, ids, table: dict, what: str) -> list:
        unknown = [i for i in ids if i not in table or i == OUTSIDE]
        if unknown:
            raise ActionError(f"unknown {what} {', '.join(map(repr, unknown))}")
        return [table[i] for i in ids]

    def _raise_alarm(self, detail: str) -> None:
        if self.t_alarm is not None:
            return
        self.t_alarm = self.now
        self._log("alarm", detail=detail)
        for zone in self.zones:
            self._cue(zone, detail)
        for door in self.doors:
            if door.id in self._staff_delays:
                self.env.process(self.open_by_staff(door, self._staff_delays[door.id]))

    def _order_evacuation(self, zones: list[ZoneState] | None) -> None:
        where = "whole venue" if zones is None else ", ".join(z.id for z in zones)
        self._log("evacuation_ordered", detail=where)
        if zones is None:
            self._raise_alarm("evacuation order")
        else:
            for zone in zones:
                self._cue(zone, "evacuation order")

    def _cue(self, zone: ZoneState, detail: str) -> None:
        if zone.is_safe or zone.cue.triggered:
            return
        zone.cue.succeed()
        if zone.initial:
            self._log("zone_cued", zone=zone.id, detail=detail)

    def _open(self, door: Door, detail: str) -> None:
        if door.state == "open":
            return
        door.open()
        self._log("opening_opened", opening=door.id, detail=detail)
        self.route.invalidate()
        if self._routes_changed is not None:
            changed, self._routes_changed = self._routes_changed, None
            changed.succeed()

    def _finish(self, kind: EventKind, detail: str) -> None:
        if not self._finished.triggered:
            self._log(kind, detail=detail)
            self._finished.succeed()

    def _log(self, kind: EventKind, *, zone: str | None = None, opening: str | None = None,
             detail: str = "") -> None:
        self.events.append(Event(self.now, kind, zone, opening, detail))


def _quantile_time(times: list[float], total: int, share: float) -> float | None:
    """When `share` of all occupants were safe (None if that many never were)."""
    if total == 0:
        return 0.0
    needed = max(1, math.ceil(share * total))
    return times[needed - 1] if len(times) >= needed else None
