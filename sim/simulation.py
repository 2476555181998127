"""The Simulation: one SimPy model of a venue incident, steppable by every caller.

The console steps it (`run_until`, `state`, `apply`), the batch runner runs it to the end
(`run`, `result`), the tests inspect it (`events`). There is no second model (docs/model.md).
It builds its parts and wires them, each seeing only what it declares it needs: the census
(`census.py`), the milestones, orders and alarms (`orders.py`, with the evacuation strategy
of `strategies.py`), re-routing, the crowd's reactions to hazards (`reactions.py`), the
people (`occupants.py`), the threat, the smoke, exposure and harm, the response, the warning
flow and the posture before the event (`posture.py`). Actions go through `dispatch.py`.
"""

from __future__ import annotations

from collections.abc import Collection, Generator, Iterable
from typing import Any

import simpy

from .actions import Action, ActionError, parse_action
from .arrivals import bring_latecomers
from .census import Census
from .dispatch import BEFORE_ONLY, apply_before_event, apply_during_event
from .doors import make_door
from .events import Event, EventKind
from .exit_choice import make_route_choice
from .gc_pause import gc_paused
from .harm import Exposure
from .hiding import Hiding, make_hiding
from .milestones import Milestones
from .occupants import Occupants, canonical_groups, draw_occupants, release_occupants
from .orders import Orders
from .posture import PreEvent
from .reactions import Reactions
from .rerouting import Rerouting
from .response import ResponseModel
from .results import CURVE_DT_S, Result, build_result
from .scenario import Scenario
from .simpy_ext import run_to
from .smoke import SmokeModel
from .state import SimState, snapshot
from .streams import Streams
from .tenability import susceptibility
from .threat import ThreatModel
from .walker import standing_at, walk_soon
from .warning_flow import WarningFlow
from .zones import ZoneState

__all__ = ["ActionError", "SimState", "Simulation"]


class Simulation:
    """A run of a scenario under a protocol with a seed.

    Args:
        scenario: the validated scenario (from `load_scenario`).
        protocol: one of the scenario's protocols; None or "baseline" for the file as written.
        seed: the run's seed; every random draw derives from it.
        decisions: (time, action) pairs applied when the clock reaches them.
        start_s: start the clock this early (before t = 0) even without a warning or decision then.
    """

    def __init__(self, scenario: Scenario, *, protocol: str | None = None, seed: int = 0,
                 decisions: Iterable[tuple[float, Action | dict]] = (), start_s: float | None = None):
        self.scenario = scenario.with_protocol(protocol)
        """The scenario as it runs: the protocol applied, and from t = 0 the posture too."""
        self.protocol = self.scenario.protocol
        self.seed = seed
        self._streams = Streams(seed)
        timed = [(float(t), parse_action(a) if isinstance(a, dict) else a) for t, a in decisions]
        intel = self.scenario.intel
        starts = [0.0, *(t for t, _ in timed)]
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
        self._settling: list[simpy.Process] = []
        self._finished = env.event()
        self._horizon = env.timeout(self.horizon_s - env.now)
        self.fire_started = env.event()
        """Succeeds when the fire (if any) ignites."""
        self.fire_prevented = env.event()
        """Succeeds if a fire set by the threat never starts because the threat was stopped."""
        self._stop_on: frozenset[str] = frozenset()
        self._stop: simpy.Event | None = None
        self.warnings = WarningFlow(env, intel, self._streams["intel"], self.log) if intel else None
        self.pre_event = PreEvent(self.scenario, self.warnings)
        """What is settled before t = 0 (posture floor, openings, standby, cancellation)."""
        self.milestones = Milestones()
        self._build_venue(self.scenario)
        self.exposure: Exposure | None = None
        self.threat: ThreatModel | None = None
        self.smoke: SmokeModel | None = None
        if self.warnings is not None:
            self.warnings.start()
        for i, (t, action) in enumerate(timed):
            env.process(self.apply_at(t, action, decision=i))
        env.process(self.stop_at_horizon())
        if env.now < 0:
            env.process(self.begin_event())
        else:
            self._begin()

    def _build_venue(self, scenario: Scenario) -> None:
        """Zones and openings for a scenario (again at t = 0: the posture may change them)."""
        venue = scenario.venue
        # In id order, not the file's: all that iterates over them (route ties, releases, staff
        # draws, occupancy) is then the same however the file lists them (docs/model.md).
        zones = sorted(venue.zones, key=lambda z: z.id)
        openings = sorted(venue.openings, key=lambda o: o.id)
        self.zones = [ZoneState(self.env, i, z, venue.jam_density_p_m2) for i, z in enumerate(zones)]
        self.zones.append(ZoneState(self.env, len(self.zones), None, venue.jam_density_p_m2))
        self.zone_by_id = {z.id: z for z in self.zones}
        self.census = Census(self.env, self.zones, log=self.log, accounted=self._check_finished)
        self.doors = [make_door(self.env, i, spec, self.zone_by_id, venue, self.census.passed)
                      for i, spec in enumerate(openings)]
        self.door_by_id = {d.id: d for d in self.doors}
        self.zones_as_listed = [self.zone_by_id[z.id] for z in venue.zones]
        """The venue's zones in the file's order (not the outside): what people read lists in."""
        self.doors_as_listed = [self.door_by_id[o.id] for o in venue.openings]
        """The openings in the file's order, likewise."""
        for door in self.doors:
            for zone in door.sides:
                zone.doors.append(door)
        for door_id, state in self.pre_event.doors.items():  # set by actions before t = 0
            self.door_by_id[door_id].set_before_event(state)

    def begin_event(self) -> Generator[simpy.Event, Any, None]:
        """Wait through the weeks before the event (the warning flow runs), then start it."""
        yield self.env.timeout(-self.env.now)
        if not self.begun:  # an action applied at t = 0 may have started it already
            self._begin()

    def _begin(self) -> None:
        """At t = 0: settle the posture, draw the occupants, build the parts, start the incident."""
        env, streams = self.env, self._streams
        self.begun = True
        self.posture = self.pre_event.posture_at_start()
        self.scenario = scenario = self.pre_event.event_scenario(self.posture)
        if self.posture or self.warnings is not None:
            level = self.pre_event.level(self.posture)
            self.log("posture", detail=f"level {self.posture}" + (f" ({level.name})" if level else ""))
        self._build_venue(scenario)
        self.occupants: Occupants = draw_occupants(
            scenario.population, {z.id: z.index for z in self.zones},
            {z.id: z.spec for z in self.zones if z.spec is not None},
            {d.id: d.index for d in self.doors}, streams,
        )
        (census := self.census).count_in(self.occupants.zone, self.occupants.arrival)
        mean_speed = sum(self.occupants.free_speed) / census.total if census.total else 1.2
        population = scenario.population
        self.route = make_route_choice(population.exit_choice, self.zones, self.doors, mean_speed,
                                       population.route_inertia.margin_s)
        self.rerouting = Rerouting(env, self.route, self.log, self.occupants.keep_share,
                                   self.occupants.target)
        if self.route.counts_queues:
            env.process(self.rerouting.look_around(self.zones))
        self._build_parts(scenario)
        cancelled = self.cancelled_event
        for zone in self.zones:
            if zone.initial:
                zone.release = env.process(release_occupants(self, zone))
        if not cancelled:
            self.response.start(fire=self.smoke is not None)
            for unit in self.pre_event.standby:
                self.response.order_dispatch(unit)
        if self.threat is not None:
            self.settle(env.process(self.threat.move_threat()))
        if self.smoke is not None:
            self.settle(env.process(self.smoke.burn()))
        bring_latecomers(self)
        env.process(census.record_occupancy(CURVE_DT_S, self._finished))
        if census.total == 0:
            self._finish("all_safe", "event cancelled" if cancelled else "nobody inside")

    def _build_parts(self, scenario: Scenario) -> None:
        """The incident's and the response's parts, wired to each other through narrow hooks."""
        env, streams, census, incident = self.env, self._streams, self.census, scenario.incident
        threat, smoke = incident.threat, incident.smoke
        limits = susceptibility(canonical_groups(scenario.population), streams, smoke.fed_sigma)
        rate, capacity = (threat.harm_rate_per_s, threat.harm_capacity_per_s) if threat else (0.0, None)
        self.exposure = exposure = Exposure(env, census.status, rate, smoke.fed_threshold,
                                            streams.item("incident", "harm"), census.harm, capacity, limits)
        census.exposure = exposure
        self.response = ResponseModel(env, scenario.response, streams, host=self, milestones=self.milestones)
        staff = streams.item("response", "staff")
        staff_delays = {d.id: d.spec.staff_open_after_s.delay(staff)
                        for d in self.doors if d.spec.staff_open_after_s is not None}
        self.orders = Orders(env, scenario.response, self.zones, self.doors, census=census, exposure=exposure,
                             rerouting=self.rerouting, milestones=self.milestones, log=self.log,
                             response=self.response, staff_delays=staff_delays, set_off=self._set_off,
                             accounted=self._check_finished)
        self.reactions = reactions = Reactions(self.orders, census, self.rerouting)
        cancelled = self.cancelled_event
        self.hiding: Hiding | None = None
        """Who runs, hides or freezes (None: everybody runs, or there is no threat)."""
        if threat and not cancelled:
            self.hiding = make_hiding(self, scenario.population, exposure, streams)
            self.threat = ThreatModel(env, threat, streams.item("incident", "threat"),
                                      zone_by_id=self.zone_by_id, log=self.log, milestones=self.milestones,
                                      moved=reactions.threat_moved)
        if incident.fire and not cancelled:
            self.smoke = SmokeModel(
                env, incident.fire, incident.smoke, streams.item("incident", "fire"), zones=self.zones,
                doors=self.doors, log=self.log, milestones=self.milestones, exposure=exposure,
                started=self.fire_started, prevented=self.fire_prevented, further=incident.further_fires,
                hazard_changed=reactions.zone_hazard_changed, eased=reactions.smoke_eased)

    @property
    def cancelled_event(self) -> bool:
        """The event did not take place (an action, or the posture level, cancelled it)."""
        return self.pre_event.cancels(self.posture)

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

    def run(self) -> Result:
        """Run to the end and return the result.

        The end is when everybody is accounted for (safe, harmed, or sheltering with nobody
        left to release them) and the incident's milestones have played out (police arrival,
        containment, suppression, smoke spread), or the horizon, whichever comes first.
        """
        with gc_paused():
            if not self._finished.triggered:
                self.env.run(until=self._finished)
            while not self._horizon.processed:
                pending = [p for p in self._settling if p.is_alive]
                if not pending:
                    break
                self.env.run(until=self.env.all_of(pending) | self._horizon)
        return self.result()

    def apply(self, action: Action | dict) -> None:
        """Apply an action now (docs/model.md, actions); raises ActionError if it cannot apply.

        Before t = 0 (the weeks of warnings) only what can be done before an event applies:
        opening or locking openings, putting units on standby (`dispatch`), raising the
        posture, forwarding the warning, cancelling the event.
        """
        if isinstance(action, dict):
            action = parse_action(action)
        if not self.begun and self.now >= 0 and not isinstance(action, BEFORE_ONLY):
            self._begin()  # t = 0 has come: the event starts now, before this action, not after it
        (apply_during_event if self.begun else apply_before_event)(action, self)

    def state(self) -> SimState:
        """A snapshot of the run now."""
        return snapshot(self)

    def result(self) -> Result:
        """The outcome so far (final once `finished`)."""
        return build_result(self)

    # -- processes ----------------------------------------------------------------------

    def apply_at(self, t: float, action: Action, *, decision: int | None = None
                 ) -> Generator[simpy.Event, Any, None]:
        """Apply a scheduled decision when the clock reaches its time.

        If it cannot apply, the ActionError that ends the run says which `decision` it was.
        """
        if t > self.env.now:
            yield self.env.timeout(t - self.env.now)
        try:
            self.apply(action)
        except ActionError as exc:
            raise ActionError(str(exc), decision) from None

    def stop_at_horizon(self) -> Generator[simpy.Event, Any, None]:
        """End the run at the scenario's horizon, whoever is still inside."""
        yield self._horizon | self._finished
        if not self._finished.triggered:
            census = self.census
            self._finish("horizon_reached", f"{census.inside} inside, {census.sheltered} sheltering")

    # -- what the parts call ------------------------------------------------------------

    def log(self, kind: EventKind, *, zone: str | None = None, opening: str | None = None,
            detail: str = "") -> None:
        """Append to the event log (and stop a `run_until` that waits for this kind)."""
        event = Event(self.now, kind, zone, opening, detail)
        self.events.append(event)
        if kind in self._stop_on and self._stop is not None and not self._stop.triggered:
            self._stop.succeed(event)

    def settle(self, process: simpy.Process) -> None:
        """Register a process whose milestones a run waits for after everybody is out."""
        self._settling.append(process)

    def people_in(self, zone: ZoneState) -> list[int]:
        """The people who started the run in `zone`."""
        return self.census.people_by_zone.get(zone.index, [])

    def raise_alarm(self, detail: str) -> None:
        """The venue-wide alarm (the response's hook)."""
        self.orders.raise_alarm(detail)

    def announce(self, quality: str) -> None:
        """A public announcement (the response's hook)."""
        self.orders.announce(quality)

    def all_clear(self) -> None:
        """The all-clear (the response's hook)."""
        self.orders.all_clear()

    def contain_threat(self) -> None:
        """The police contain the threat (or, if it has gone, secure the venue): the all-clear can follow."""
        if not self.milestones.mark("contained", self.now):
            return
        where = self.threat.zone.id if self.threat is not None and self.threat.zone else None
        self.log("threat_contained", zone=where, detail="contained" if where else "venue secured")
        if self.hiding is not None:
            self.hiding.leave_cue(None, "police containment")
        if self.threat is not None:
            self.threat.contain()

    def suppress_fire(self) -> None:
        """The fire stops growing; smoke stops getting worse and spreading."""
        if self.smoke is not None and self.milestones.mark("suppressed", self.now):
            self.log("fire_suppressed")
            self.smoke.suppress()

    def _set_off(self, person: int, zone: ZoneState) -> None:
        """A person leaves their shelter and sets off from where they stand."""
        walk_soon(self, person, zone, standing_at(self.occupants, person, zone))

    def _check_finished(self) -> None:
        if self.census.all_accounted:
            harmed = sum(self.census.harmed.values())
            self._finish("all_safe", f"{self.census.safe} safe, {harmed} harmed")

    def _finish(self, kind: EventKind, detail: str) -> None:
        if not self._finished.triggered:
            self.log(kind, detail=detail)
            self._finished.succeed()
