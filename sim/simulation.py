"""The Simulation: one SimPy model of a venue incident, steppable by every caller.

The console steps it (`run_until`, `state`, `apply`), the batch runner runs it to the end
(`run`, `result`), the tests inspect it (`events`). There is no second model (DESIGN.md 1).
The parts live in their own modules (occupants, doors, routing, threat, smoke, harm,
response); this class wires them together and keeps the books.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Collection, Iterable

import simpy

from .actions import (
    Action,
    Announce,
    CancelEvent,
    Dispatch,
    ForwardWarning,
    LockOpenings,
    OpenOpenings,
    OrderEvacuation,
    OrderShelter,
    RaisePosture,
    parse_action,
)
from .doors import Door
from .events import Event, EventKind
from .geometry import shared_edge_midpoint
from .harm import Exposure
from .movement import opening_capacity_p_s, stair_k
from .occupants import HARMED, INSIDE, SAFE, SHELTERED, draw_occupants, move_occupant, release_occupants
from .response import ResponseModel
from .results import CURVE_DT_S, build_result
from .routing import QuickestRoute
from .scenario import OUTSIDE, Scenario
from .simpy_ext import run_to
from .smoke import SmokeModel
from .state import SimState
from .streams import Streams
from .threat import ThreatModel
from .warning_flow import WarningFlow
from .zones import ZoneState

__all__ = ["ActionError", "SimState", "Simulation"]


@contextlib.contextmanager
def _gc_paused():
    """Pause Python's cyclic garbage collector for a whole run.

    A run allocates hundreds of thousands of short-lived events and generator frames, and the
    collector's passes over them cost about a fifth of the run (measured on the reference
    scenario); the cycles are freed when collection resumes. Reference counting still frees
    everything acyclic at once.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


SWITCH_MARGIN_S = 30.0
"""How much sooner another opening must promise to get someone out before they leave a queue."""


class ActionError(ValueError):
    """An action that does not fit the scenario (an unknown zone or opening, say)."""


class Simulation:
    """A run of a scenario under a protocol with a seed.

    Args:
        scenario: the validated scenario (from `load_scenario`).
        protocol: one of the scenario's protocols; None or "baseline" for the file as written.
        seed: the run's seed; every random draw derives from it.
        decisions: (time, action) pairs applied when the clock reaches them.
    """

    def __init__(self, scenario: Scenario, *, protocol: str | None = None, seed: int = 0,
                 decisions: Iterable[tuple[float, Action | dict]] = (), start_s: float | None = None):
        self.scenario = scenario.with_protocol(protocol)
        """The scenario as it runs: the protocol applied, and from t = 0 the posture too."""
        self.protocol = self.scenario.protocol
        self.seed = seed
        self._streams = Streams(seed)
        decisions = [(float(t), parse_action(a) if isinstance(a, dict) else a) for t, a in decisions]
        intel = self.scenario.intel
        starts = [0.0, *(t for t, _ in decisions)]
        starts += [w.issued for w in intel.warnings] if intel else []
        starts += [start_s] if start_s is not None else []
        self.env = env = simpy.Environment(initial_time=min(starts))
        self.events: list[Event] = []
        """The event log, in time order."""
        self.applied: list[tuple[float, Action]] = []
        """Every action applied, with its time: enough to replay the run."""
        self.horizon_s = self.scenario.meta.horizon_s
        self.begun = False
        """Whether t = 0 has come: the occupants are drawn and the incident runs."""
        self.posture = intel.initial_posture if intel else 0
        """The venue's security posture level (final from t = 0)."""
        self.cancelled = False
        self._posture_floor = 0
        self._pre_event_doors: dict[str, str] = {}
        self._standby: list[str] = []
        self._settling: list[simpy.Process] = []
        self._finished = env.event()
        self._horizon = env.timeout(self.horizon_s - env.now)
        self.fire_started = env.event()
        """Succeeds when the fire (if any) ignites."""
        self.hazards = False
        """A threat or smoke is (or was) in the venue: hazard checks are needed on every passage."""
        self._stop_on: frozenset[str] = frozenset()
        self._stop: simpy.Event | None = None
        self.fire_prevented = env.event()
        """Succeeds if a fire set by the threat never starts because the threat was stopped."""
        self.warnings = WarningFlow(self, intel, self._streams["intel"]) if intel else None
        self._build_venue(self.scenario)
        self._reset_books(0)
        if self.warnings is not None:
            self.warnings.start()
        for t, action in decisions:
            env.process(self.apply_at(t, action))
        env.process(self.stop_at_horizon())
        if env.now < 0:
            env.process(self.begin_event())
        else:
            self._begin()

    def _build_venue(self, scenario: Scenario) -> None:
        """Zones, openings and route choice for a scenario (again at t = 0: the posture may change them)."""
        env = self.env
        venue = scenario.venue
        self.zones = [ZoneState(env, i, z, venue.jam_density_p_m2) for i, z in enumerate(venue.zones)]
        self.zones.append(ZoneState(env, len(self.zones), None, venue.jam_density_p_m2))
        self.zone_by_id = {z.id: z for z in self.zones}
        self.doors = [self._make_door(i, spec, scenario) for i, spec in enumerate(venue.openings)]
        self.door_by_id = {d.id: d for d in self.doors}
        for door in self.doors:
            for zone in door.sides:
                zone.doors.append(door)
        for door_id, state in self._pre_event_doors.items():  # set by actions before t = 0
            door = self.door_by_id[door_id]
            door.state = state
            door.believed_usable = door.spec.signed_exit or state == "open"

    def _reset_books(self, n: int) -> None:
        """Counters and milestones for `n` occupants."""
        self.total = n
        self.status = [INSIDE] * n
        self.started = [False] * n
        self.turn_of: list = [None] * n
        self.inside = n
        self.sheltered = 0
        self.harmed = {"threat": 0, "smoke": 0}
        self.safe_times: list[float] = []
        self.harm_times: list[float] = []
        self.t_detection: float | None = None
        self.t_alarm: float | None = None
        self.t_evac_order: float | None = None
        self.t_announcement: float | None = None
        self.t_police_arrival: float | None = None
        self.t_contained: float | None = None
        self.t_threat_left: float | None = None
        self.t_all_clear: float | None = None
        self.t_fire_start: float | None = None
        self.t_fire_service: float | None = None
        self.t_suppressed: float | None = None
        self._announcements: list[tuple[float, float]] = []
        self._shelter_locked: dict[str, list[Door]] = {}
        self._routes_changed: simpy.Event | None = None
        self._occupancy: dict[str, list[int]] = {z.id: [] for z in self.zones if not z.is_safe}
        self.exposure = None
        self.threat = None
        self.smoke = None

    def begin_event(self):
        """Wait through the weeks before the event (the warning flow runs), then start it."""
        yield self.env.timeout(-self.env.now)
        if not self.begun:  # an action applied at t = 0 may have started it already
            self._begin()

    def _begin(self) -> None:
        """At t = 0: settle the posture, draw the occupants, start the incident and the response."""
        env, streams = self.env, self._streams
        self.begun = True
        self.posture = self._posture_at_start()
        self.scenario = scenario = self._event_scenario(self.posture)
        if self.posture or self.warnings is not None:
            level = self._posture_level(self.posture)
            self.log("posture", detail=f"level {self.posture}" + (f" ({level.name})" if level else ""))
        self._build_venue(scenario)
        self.occupants = draw_occupants(
            scenario.population,
            {z.id: z.index for z in self.zones},
            {z.id: z.spec.shapes for z in self.zones if z.spec is not None},
            {d.id: d.index for d in self.doors},
            streams,
        )
        n = len(self.occupants)
        self._reset_books(n)
        self.zone_of = list(self.occupants.zone)
        self._people_by_zone: dict[int, list[int]] = {}
        for person, index in enumerate(self.occupants.zone):
            self.zones[index].enter(person)
            self._people_by_zone.setdefault(index, []).append(person)
        for zone in self.zones:
            zone.initial = zone.count
        mean_speed = sum(self.occupants.free_speed) / n if n else 1.2
        self.route = QuickestRoute(self.zones, self.doors, mean_speed)

        incident = scenario.incident
        self.exposure = Exposure(self, incident.threat.harm_rate_per_s if incident.threat else 0.0,
                                 incident.smoke.fed_threshold, streams.item("incident", "harm"))
        self.threat = ThreatModel(self, incident.threat, streams.item("incident", "threat")) \
            if incident.threat and not self.cancelled_event else None
        self.smoke = SmokeModel(self, incident.fire, incident.smoke, streams.item("incident", "fire")) \
            if incident.fire and not self.cancelled_event else None
        self.response = ResponseModel(self, scenario.response, streams)
        staff = streams.item("response", "staff")
        self._staff_delays = {
            d.id: float(d.spec.staff_open_after_s.sample(staff, 1)[0])
            for d in self.doors if d.spec.staff_open_after_s is not None
        }
        for zone in self.zones:
            if zone.initial:
                zone.release = env.process(release_occupants(self, zone))
        if not self.cancelled_event:
            self.response.start()
            for unit in self._standby:
                self.response.order_dispatch(unit)
        if self.threat is not None:
            self.settle(env.process(self.threat.move_threat()))
        if self.smoke is not None:
            self.settle(env.process(self.smoke.burn()))
        env.process(self.record_occupancy())
        if n == 0:
            self._finish("all_safe", "event cancelled" if self.cancelled_event else "nobody inside")

    @property
    def cancelled_event(self) -> bool:
        """The event did not take place (an action, or the posture level, cancelled it)."""
        level = self._posture_level(self.posture)
        return self.cancelled or bool(level and level.cancels_event)

    def _posture_at_start(self) -> int:
        intel = self.scenario.intel
        if intel is not None and intel.fixed_posture is not None:
            return max(intel.fixed_posture, self._posture_floor)
        flow = self.warnings.posture_at(0.0) if self.warnings is not None else 0
        return max(flow, self._posture_floor)

    def _posture_level(self, level: int):
        return next((p for p in self.scenario.posture_levels if p.level == level), None)

    def _event_scenario(self, posture: int) -> Scenario:
        """The scenario with the posture level's effects (and a cancelled or capped attendance)."""
        level = self._posture_level(posture)
        scenario = self.scenario
        if level is not None and level.overrides:
            scenario = scenario.with_overrides(level.overrides)
        share = 0.0 if self.cancelled_event else (level.attendance_share if level else 1.0)
        if share < 1.0:
            groups = [g.model_dump(mode="json", exclude_unset=True) | {"count": int(g.count * share)}
                      for g in scenario.population.occupants]
            scenario = scenario.with_overrides({"population": {"occupants": groups}})
        return scenario

    # -- stepping API -------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Simulation time, seconds."""
        return self.env.now

    @property
    def finished(self) -> bool:
        """Nobody is left inside or sheltering, or the horizon was reached."""
        return self._finished.triggered

    def run_until(self, t: float, *, stop_on: Collection[str] = ()) -> Event | None:
        """Advance the clock to `t` (capped at the horizon); the past cannot be re-run.

        With `stop_on` (event kinds), stop early, just after the first such event is logged,
        and return it: a console stops the clock when something it waits for happens.
        """
        t = min(t, self.horizon_s)
        if t <= self.env.now:
            return None
        if not stop_on:
            self.env.run(until=t)
            return None
        self._stop_on = frozenset(stop_on)
        self._stop = stop = self.env.event()
        try:
            run_to(self.env, t, stop)
        finally:
            self._stop_on, self._stop = frozenset(), None
        return stop.value if stop.triggered else None

    def reseed(self, seed: int) -> None:
        """Draw every random number from now on from `seed` instead.

        What is already drawn stays (who is where, their pre-movement, a unit already on its
        way): a preview replays the present and then asks what futures it can have.
        """
        self._streams.reseed(seed)

    def run(self):
        """Run to the end and return the result.

        The end is when everybody is accounted for (safe, harmed, or sheltering with nobody
        left to release them) and the incident's milestones have played out (police arrival,
        containment, suppression, smoke spread), or the horizon, whichever comes first.
        """
        with _gc_paused():
            if not self._finished.triggered:
                self.env.run(until=self._finished)
            while not self._horizon.processed:
                pending = [p for p in self._settling if p.is_alive]
                if not pending:
                    break
                self.env.run(until=self.env.all_of(pending) | self._horizon)
        return self.result()

    def settle(self, process: simpy.Process) -> None:
        """Register a process whose milestones a run waits for after everybody is out."""
        self._settling.append(process)

    def apply(self, action: Action | dict) -> None:
        """Apply an action now (DESIGN.md 3.7); raises ActionError if it cannot apply.

        Before t = 0 (the weeks of warnings) only what can be done before an event applies:
        opening or locking openings, putting units on standby (`dispatch`), raising the
        posture, forwarding the warning, cancelling the event.
        """
        if isinstance(action, dict):
            action = parse_action(action)
        before_only = RaisePosture | CancelEvent | ForwardWarning
        if not self.begun and self.now >= 0 and not isinstance(action, before_only):
            self._begin()  # t = 0 has come: the event starts now, before this action, not after it
        if not self.begun:
            self._apply_before_event(action)
        elif isinstance(action, RaisePosture | CancelEvent | ForwardWarning):
            raise ActionError(f"{action.action} applies before the event (t < 0) only")
        elif isinstance(action, OrderEvacuation):
            zones = self._lookup(action.zones, self.zone_by_id, "zone") if action.zones else None
            self.applied.append((self.now, action))
            self._order_evacuation(zones, "evacuation order")
        elif isinstance(action, OrderShelter):
            zones = self._lookup(action.zones, self.zone_by_id, "zone") if action.zones else None
            if zones is not None:
                unlockable = [z.id for z in zones if z.spec is None or not z.spec.lockable]
                if unlockable:
                    raise ActionError(f"not lockable: {', '.join(map(repr, unlockable))}")
            self.applied.append((self.now, action))
            self.order_shelter(zones)
        elif isinstance(action, OpenOpenings | LockOpenings):
            doors = self._lookup(action.ids, self.door_by_id, "opening")
            self.applied.append((self.now, action))
            for door in doors:
                if isinstance(action, OpenOpenings):
                    self._open(door, "opened by order")
                else:
                    self._lock(door, "locked by order")
        elif isinstance(action, Announce):
            self.applied.append((self.now, action))
            self.announce(action.quality)
        elif isinstance(action, Dispatch):
            self.applied.append((self.now, action))
            self.log("action_applied", detail=f"dispatch {action.unit}")
            self.response.order_dispatch(action.unit)
        else:  # pragma: no cover - the Action union is closed
            raise ActionError(f"unsupported action {action!r}")

    def _apply_before_event(self, action: Action) -> None:
        if isinstance(action, OpenOpenings | LockOpenings):
            doors = self._lookup(action.ids, self.door_by_id, "opening")
            state = "open" if isinstance(action, OpenOpenings) else "locked"
            for door in doors:
                self._pre_event_doors[door.id] = state
                door.state = state
                door.believed_usable = door.spec.signed_exit or state == "open"
        elif isinstance(action, Dispatch):
            self._standby.append(action.unit)
        elif isinstance(action, RaisePosture):
            known = {p.level for p in self.scenario.posture_levels} | {0}
            if action.level not in known:
                raise ActionError(f"no posture level {action.level}; this scenario has {sorted(known)}")
            self._posture_floor = max(self._posture_floor, action.level)
        elif isinstance(action, CancelEvent):
            self.cancelled = True
        elif isinstance(action, ForwardWarning):
            if self.warnings is None or action.to not in self.warnings.agencies:
                raise ActionError(f"unknown agency {action.to!r}")
            self.warnings.forward_now(action.to)
        else:
            raise ActionError(f"{action.action} applies once the event has started (t ≥ 0)")
        self.applied.append((self.now, action))
        self.log("action_applied", detail=action.action)

    def state(self) -> SimState:
        """A snapshot of the run now."""
        return SimState(
            t=self.now,
            inside=self.inside,
            safe=len(self.safe_times),
            sheltered=self.sheltered,
            harmed=sum(self.harmed.values()),
            zones={z.id: z.count for z in self.zones if not z.is_safe},
            queues={d.id: len(d.queue) for d in self.doors},
            openings={d.id: d.state for d in self.doors},
            threat_zone=self.threat.zone.id if self.threat and self.threat.zone else None,
            smoky_zones=tuple(z.id for z in self.zones if z.smoky),
            untenable_zones=tuple(z.id for z in self.zones if z.untenable),
            t_alarm_s=self.t_alarm,
            finished=self.finished,
        )

    def result(self):
        """The outcome so far (final once `finished`)."""
        return build_result(self)

    # -- processes ----------------------------------------------------------------------

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

    def stage_evacuation(self, stages: list[list[ZoneState]], interval: float):
        """Order zones out stage by stage (DESIGN.md 3.5: staged evacuation)."""
        for i, zones in enumerate(stages):
            if i:
                yield self.env.timeout(interval)
            self._order_evacuation(zones, f"stage {i + 1} evacuation order")

    def record_occupancy(self):
        """Sample each zone's head count every CURVE_DT_S until the run finishes."""
        while True:
            for zone in self.zones:
                if not zone.is_safe:
                    self._occupancy[zone.id].append(zone.count + len(zone.sheltered))
            if self._finished.triggered:
                return
            yield self.env.timeout(CURVE_DT_S) | self._finished

    def stop_at_horizon(self):
        """End the run at the scenario's horizon, whoever is still inside."""
        yield self._horizon | self._finished
        if not self._finished.triggered:
            self._finish("horizon_reached", f"{self.inside} inside, {self.sheltered} sheltering")

    # -- what the parts call ------------------------------------------------------------

    def log(self, kind: EventKind, *, zone: str | None = None, opening: str | None = None,
            detail: str = "") -> None:
        """Append to the event log."""
        event = Event(self.now, kind, zone, opening, detail)
        self.events.append(event)
        if kind in self._stop_on and self._stop is not None and not self._stop.triggered:
            self._stop.succeed(event)

    def people_in(self, zone: ZoneState) -> list[int]:
        """The people who started the run in `zone`."""
        return self._people_by_zone.get(zone.index, [])

    def planned_start(self, zone: ZoneState, cued_at: float, premovement: float) -> float:
        """When someone cued at `cued_at` starts moving, given the announcements since."""
        if zone.rush:
            return self.now
        start = cued_at + premovement
        for t, factor in self._announcements:
            if cued_at <= t < start:
                start = t + (start - t) * factor
        return start

    def routes_changed(self) -> simpy.Event:
        """An event that succeeds the next time a way opens (trapped people wait on it)."""
        if self._routes_changed is None:
            self._routes_changed = self.env.event()
        return self._routes_changed

    def found_shut(self, door: Door) -> None:
        """Somebody reached an opening and found it shut; word spreads."""
        if not door.found_shut:
            door.mark_found_shut()
            self.log("opening_found_shut", opening=door.id, detail=door.state)
            self.route.invalidate()

    def raise_alarm(self, detail: str) -> None:
        """The venue-wide alarm: the evacuation strategy starts and staff go to closed exits."""
        if self.t_alarm is not None:
            return
        self.t_alarm = self.now
        self.log("alarm", detail=detail)
        response = self.scenario.response
        if response.strategy == "staged":
            listed = [[self.zone_by_id[z] for z in stage] for stage in response.stages]
            rest = [z for z in self.zones if not z.is_safe and not any(z in s for s in listed)]
            stages = listed + ([rest] if rest else [])
            self.env.process(self.stage_evacuation(stages, response.stage_interval_s))
        elif response.strategy == "shelter":
            self.order_shelter(None)
            self._order_evacuation([z for z in self.zones if not (z.spec and z.spec.lockable)], detail)
        else:
            self._order_evacuation(None, detail)
        for door in self.doors:
            if door.id in self._staff_delays:
                self.env.process(self.open_by_staff(door, self._staff_delays[door.id]))
        self.env.process(self.response.announce_after_alarm())

    def announce(self, quality: str) -> None:
        """A public announcement: a cue for everybody; pre-movement still to come scales by quality."""
        factor = self.scenario.response.premovement_factor.get(quality, 1.0)
        if self.t_announcement is None:
            self.t_announcement = self.now
        self._announcements.append((self.now, factor))
        self.log("announcement", detail=f"{quality} (pre-movement × {factor:g})")
        for zone in self.zones:
            self._cue(zone, "announcement")
            zone.replanned()

    def order_shelter(self, zones: list[ZoneState] | None) -> None:
        """People in lockable zones lock themselves in until the all-clear."""
        targets = [z for z in (zones if zones is not None else self.zones) if z.spec and z.spec.lockable]
        self.log("shelter_ordered", detail=", ".join(z.id for z in targets) or "no lockable zone")
        for zone in targets:
            locked = [d for d in zone.doors if d.state == "open"]
            self._shelter_locked.setdefault(zone.id, []).extend(locked)
            for door in locked:
                door.shut("locked")
            self.route.invalidate()
            self.exposure.zone_changed(zone, before_change=True)
            for person in list(zone.members):
                self._withdraw(person, zone)
                self.status[person] = SHELTERED
                zone.sheltered.add(person)
                self.inside -= 1
                self.sheltered += 1
            self.exposure.zone_changed(zone, before_change=False)
        self._check_finished()

    def all_clear(self) -> None:
        """The all-clear: sheltering people unlock their rooms and leave."""
        if self.t_all_clear is not None:
            return
        self.t_all_clear = self.now
        self.log("all_clear")
        for zone_id in list(self._shelter_locked):
            self._release_sheltered(self.zone_by_id[zone_id], "all-clear")

    def _release_sheltered(self, zone: ZoneState, reason: str) -> None:
        """The people sheltering in a zone unlock it and leave (all-clear, an order, or smoke)."""
        for door in self._shelter_locked.pop(zone.id, []):
            self._open(door, f"unlocked ({reason})")
        self.exposure.zone_changed(zone, before_change=True)
        for person in sorted(zone.sheltered):
            zone.sheltered.discard(person)
            self.status[person] = INSIDE
            self.sheltered -= 1
            self.inside += 1
            zone.enter(person)
            self.started[person] = True
            self.env.process(move_occupant(self, person, zone, self._position_in(person, zone)))
        self.exposure.zone_changed(zone, before_change=False)

    def harm(self, person: int, cause: str) -> None:
        """A person is harmed (threat) or incapacitated (smoke): out of the evacuation."""
        zone = self.zones[self.zone_of[person]]
        if self.status[person] == SHELTERED:
            zone.sheltered.discard(person)
            self.sheltered -= 1
        else:
            self._withdraw(person, zone)
            self.inside -= 1
        self.status[person] = HARMED
        self.harmed[cause] += 1
        self.harm_times.append(self.now)
        self._check_finished()

    def threat_moved(self, previous: ZoneState | None, zone: ZoneState | None) -> None:
        """The threat left `previous` and is now in `zone` (None: gone or contained)."""
        if previous is not None:
            self.exposure.zone_changed(previous, before_change=True)
            previous.threat = False
            previous.hazard_changed()
            self.exposure.zone_changed(previous, before_change=False)
            self.route.invalidate()
            self.reconsider_queues([previous, *(d.other(previous) for d in previous.doors)])
        if zone is not None:
            self.hazards = True
            self.log("threat_entered", zone=zone.id)
            self.exposure.zone_changed(zone, before_change=True)
            zone.threat = True
            zone.hazard_changed()
            self.exposure.zone_changed(zone, before_change=False)
            self._rush(zone, "threat here")
            for door in zone.doors:
                self._cue(door.other(zone), "threat heard")
                door.turn_away(into=zone, out_of=zone if door.other(zone).is_safe else None)
        self.route.invalidate()
        self.wake_trapped()

    def police_arrived(self, unit: str) -> None:
        """A police unit reached the venue."""
        self.log("police_arrived", detail=unit)
        if self.t_police_arrival is None:
            self.t_police_arrival = self.now

    def contain_threat(self) -> None:
        """The police contain the threat (or, if it has gone, secure the venue): the all-clear can follow."""
        if self.t_contained is not None:
            return
        self.t_contained = self.now
        where = self.threat.zone.id if self.threat is not None and self.threat.zone else None
        self.log("threat_contained", zone=where, detail="contained" if where else "venue secured")
        if self.threat is not None:
            self.threat.contain()

    def fire_service_arrived(self) -> None:
        """The first fire crews reached the venue."""
        self.t_fire_service = self.now
        self.log("fire_service_arrived")

    def suppress_fire(self) -> None:
        """The fire stops growing; smoke stops getting worse and spreading."""
        if self.smoke is not None and self.t_suppressed is None:
            self.t_suppressed = self.now
            self.log("fire_suppressed")
            self.smoke.suppress()

    def zone_hazard_changed(self, zone: ZoneState) -> None:
        """Smoke reached a zone or made it untenable: people there move, and others reroute."""
        self.hazards = True
        if zone.smoky:
            self._rush(zone, "smoke") if zone.untenable else self._cue(zone, "smoke seen")
        if zone.sheltered:
            self._release_sheltered(zone, "smoke")  # nobody stays locked in with the smoke
        if zone.untenable:
            for door in zone.doors:
                door.turn_away(into=zone)
        self.route.invalidate()
        self.wake_trapped()

    # -- bookkeeping --------------------------------------------------------------------

    def _on_pass(self, person: int, door: Door, from_zone: ZoneState, to_zone: ZoneState) -> None:
        from_zone.leave(person)
        now = self.env.now
        if from_zone.count == 0 and not from_zone.is_safe:
            if from_zone.cleared_at is None and from_zone.initial > 0:
                self.log("zone_cleared", zone=from_zone.id)
            from_zone.cleared_at = now
        if self.hazards and (from_zone.hazardous or to_zone.hazardous):
            self.exposure.moved(person, from_zone, to_zone)
        if to_zone.is_safe:
            to_zone.count += 1
            self.status[person] = SAFE
            self.inside -= 1
            self.safe_times.append(now)
            self._check_finished()
        else:
            to_zone.enter(person)
            self.zone_of[person] = to_zone.index

    def _position_in(self, person: int, zone: ZoneState) -> tuple[float, float]:
        """Where a person stands in `zone`: their start point if they never left it, else its middle."""
        if self.occupants.zone[person] == zone.index:
            return (self.occupants.x[person], self.occupants.y[person])
        rect = zone.spec.shapes[0]
        return (rect.x_m + rect.width_m / 2, rect.y_m + rect.depth_m / 2)

    def _check_finished(self) -> None:
        if self.inside == 0 and self.sheltered == 0:
            harmed = sum(self.harmed.values())
            self._finish("all_safe", f"{len(self.safe_times)} safe, {harmed} harmed")

    def _withdraw(self, person: int, zone: ZoneState) -> None:
        """Take a person out of the moving crowd: out of their zone's count and any queue."""
        zone.leave(person)
        turn = self.turn_of[person]
        if turn is not None:
            turn.door.withdraw(turn)
            self.turn_of[person] = None

    def _make_door(self, index: int, spec, scenario: Scenario) -> Door:
        sides = (self.zone_by_id[spec.between[0]], self.zone_by_id[spec.between[1]])
        position = spec.at_m or shared_edge_midpoint(sides[0].spec.shapes, sides[1].spec.shapes)
        stairs = [z for z in sides if z.is_stair]
        k = stairs[0].k if stairs else (stair_k(178, 279) if spec.kind == "stair" else 1.40)
        venue = scenario.venue
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

    def _order_evacuation(self, zones: list[ZoneState] | None, detail: str) -> None:
        where = "whole venue" if zones is None else ", ".join(z.id for z in zones)
        self.log("evacuation_ordered", detail=where)
        if self.t_evac_order is None:
            self.t_evac_order = self.now
        if zones is None:
            self.raise_alarm(detail)
        for zone in zones if zones is not None else self.zones:
            self._cue(zone, detail)
            if zones is not None and zone.sheltered:
                self._release_sheltered(zone, "evacuation order")

    def _cue(self, zone: ZoneState, detail: str) -> None:
        if zone.is_safe or zone.cue.triggered:
            return
        zone.cue.succeed()
        if zone.initial:
            self.log("zone_cued", zone=zone.id, detail=detail)

    def _rush(self, zone: ZoneState, detail: str) -> None:
        """Everybody in the zone starts moving at once."""
        self._cue(zone, detail)
        if not zone.rush:
            zone.rush = True
            zone.replanned()

    def _open(self, door: Door, detail: str) -> None:
        if door.state == "open":
            return
        door.open()
        self.log("opening_opened", opening=door.id, detail=detail)
        self.route.invalidate()
        if self.begun:
            self.reconsider_queues(door.sides)
        self.wake_trapped()

    def _lock(self, door: Door, detail: str) -> None:
        if door.state == "locked":
            return
        door.shut("locked")
        self.log("opening_locked", opening=door.id, detail=detail)
        self.route.invalidate()

    def reconsider_queues(self, zones: Iterable[ZoneState]) -> None:
        """A way opened or cleared: people at the back of queues in these zones may switch.

        From the back of each queue, people move to the best other opening while it still
        promises to get them out SWITCH_MARGIN_S sooner, counting those who moved before them
        into its queue; the first five of a queue never move (they are nearly through).
        """
        now = self.now
        speed = self.route.speed
        for zone in zones:
            if zone.is_safe:
                continue
            for door in zone.doors:
                if len(door.queue) <= 5:
                    continue
                other, cost = self.route.alternative(zone, door, speed, now)
                if other is None:
                    continue
                leaving = []
                for place in range(len(door.queue) - 1, 4, -1):
                    turn = door.queue[place]
                    if turn.scheduled or turn.from_zone is not zone:
                        continue
                    if cost + len(leaving) * other.headway + SWITCH_MARGIN_S >= \
                            self.route.stay_cost(zone, door, place, now):
                        break
                    leaving.append(turn)
                for turn in leaving:
                    door.withdraw(turn)

    def wake_trapped(self) -> None:
        """Wake the people waiting for a way out: something changed."""
        if self._routes_changed is not None:
            changed, self._routes_changed = self._routes_changed, None
            changed.succeed()

    def _finish(self, kind: EventKind, detail: str) -> None:
        if not self._finished.triggered:
            self.log(kind, detail=detail)
            self._finished.succeed()
