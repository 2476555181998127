"""The emergency response as SimPy processes (docs/model.md, response chain).

Detection, then the venue's alarm decision; police dispatch, patrol and tactical arrival,
containment; the fire service's dispatch, arrival and suppression. Every delay is drawn once,
at the start of the run, from its own stream, so protocols that change one part of the
response leave the others' draws untouched (common random numbers). Actions can hurry a
dispatch (`dispatch`), and the model only ever moves the dispatch earlier.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Protocol, overload

import numpy as np
import simpy

from .events import EventKind
from .milestones import Milestones
from .scenario.distributions import Distribution
from .scenario.response import Response
from .streams import Streams

__all__ = ["ResponseHost", "ResponseModel"]


class ResponseHost(Protocol):
    """What the response asks of the simulation: the venue's orders and the incident's parts."""

    fire_started: simpy.Event
    fire_prevented: simpy.Event

    def log(self, kind: EventKind, *, zone: str | None = None, opening: str | None = None,
            detail: str = "") -> None:
        """Append to the event log."""

    def settle(self, process: simpy.Process) -> None:
        """Register a process whose milestones the run waits for."""

    def raise_alarm(self, detail: str) -> None:
        """Sound the venue alarm."""

    def announce(self, quality: str) -> None:
        """Make a public announcement."""

    def contain_threat(self) -> None:
        """The police contain the threat."""

    def all_clear(self) -> None:
        """Give the all-clear."""

    def suppress_fire(self) -> None:
        """The fire stops growing."""


@overload
def _draw(distribution: Distribution, rng: np.random.Generator) -> float: ...
@overload
def _draw(distribution: Distribution | None, rng: np.random.Generator) -> float | None: ...
def _draw(distribution: Distribution | None, rng: np.random.Generator) -> float | None:
    """One delay from its distribution (None where the scenario sets none); negative: 0 s."""
    return None if distribution is None else distribution.delay(rng)


class ResponseModel:
    """The response of one run: its drawn delays and its processes."""

    def __init__(self, env: simpy.Environment, spec: Response, streams: Streams, *, host: ResponseHost,
                 milestones: Milestones):
        self.host = host
        self.env = env
        self.milestones = milestones
        self.spec = spec
        item = lambda name: streams.item("response", name)  # noqa: E731 - a local shorthand
        self.detection_s = _draw(spec.detection_s, item("detection"))
        self.alarm_decision_s = _draw(spec.alarm_decision_s, item("alarm"))
        self.announcement_s = _draw(spec.announcement.after_alarm_s if spec.announcement else None,
                                    item("announcement"))
        police, fire = spec.police, spec.fire_service
        rng = item("police")
        self.police_delays = None if police is None else (
            _draw(police.dispatch_after_detection_s, rng),
            _draw(police.patrol_travel_s, rng),
            _draw(police.tactical_travel_s, rng),
            _draw(police.contain_after_arrival_s, rng),
        )
        rng = item("fire_service")
        self.fire_delays = None if fire is None else (
            _draw(fire.dispatch_after_detection_s, rng),
            _draw(fire.travel_s, rng),
            _draw(fire.suppress_after_arrival_s, rng),
        )
        self.all_clear_s = _draw(spec.all_clear_after_containment_s, item("all_clear"))
        self.detected = self.env.event()
        self.police_order = self.env.event()
        self.fire_order = self.env.event()

    def start(self, *, fire: bool) -> None:
        """Start the response's processes (the fire service's only if there is a fire)."""
        self.host.settle(self.env.process(self.detect_and_alarm()))
        if self.police_delays is not None:
            self.host.settle(self.env.process(self.dispatch_police()))
        if self.fire_delays is not None and fire:
            self.host.settle(self.env.process(self.dispatch_fire_service()))

    def order_dispatch(self, unit: str) -> None:
        """Send a unit now (the `dispatch` action)."""
        order = self.police_order if unit == "police" else self.fire_order
        if not order.triggered:
            order.succeed()

    # -- processes ----------------------------------------------------------------------

    def detect_and_alarm(self) -> Generator[simpy.Event, Any, None]:
        """The first report reaches the control room; after its decision delay, the alarm sounds."""
        yield self.env.timeout(self.detection_s)
        self.milestones.mark("detection", self.env.now)
        self.host.log("detection", detail="first report")
        self.detected.succeed()
        if self.alarm_decision_s is not None:
            yield self.env.timeout(self.alarm_decision_s)
            self.host.raise_alarm("venue alarm")

    def announce_after_alarm(self) -> Generator[simpy.Event, Any, None]:
        """The announcement the scenario plans, some time after the alarm."""
        if self.spec.announcement is None or self.announcement_s is None:
            return
        yield self.env.timeout(self.announcement_s)
        self.host.announce(self.spec.announcement.quality)

    def dispatch_police(self) -> Generator[simpy.Event, Any, None]:
        """Police are sent after detection (or at once when ordered), then arrive and contain."""
        assert self.police_delays is not None and self.spec.police is not None  # started only then
        dispatch, patrol, tactical, contain = self.police_delays
        yield self.detected | self.police_order
        if not self.police_order.triggered:
            yield self.env.timeout(dispatch) | self.police_order
        self.host.log("police_dispatched")
        containing = "tactical" if self.spec.police.contained_by == "tactical" and tactical is not None \
            else "patrol"
        patrol_contains = contain if containing == "patrol" else None
        self.host.settle(self.env.process(self.arrive("patrol", patrol, patrol_contains)))
        if tactical is not None:
            self.host.settle(self.env.process(
                self.arrive("tactical", tactical, contain if containing == "tactical" else None)))

    def arrive(self, unit: str, travel: float,
               contain_after: float | None) -> Generator[simpy.Event, Any, None]:
        """One police unit travels, arrives, and (if it is the containing unit) contains the threat."""
        yield self.env.timeout(travel)
        self.host.log("police_arrived", detail=unit)
        self.milestones.mark("police_arrival", self.env.now)
        if contain_after is not None:
            yield self.env.timeout(contain_after)
            self.host.contain_threat()
            yield self.env.timeout(self.all_clear_s)
            self.host.all_clear()

    def dispatch_fire_service(self) -> Generator[simpy.Event, Any, None]:
        """The fire service is sent once a fire is reported, arrives, and stops its growth."""
        assert self.fire_delays is not None  # started only then
        dispatch, travel, suppress = self.fire_delays
        yield self.host.fire_started | self.host.fire_prevented | self.fire_order
        if self.host.fire_prevented.triggered and not self.fire_order.triggered:
            return
        if not self.fire_order.triggered:
            yield self.detected | self.fire_order
        if not self.fire_order.triggered:
            yield self.env.timeout(dispatch) | self.fire_order
        self.host.log("fire_service_dispatched")
        yield self.env.timeout(travel)
        self.milestones.mark("fire_service", self.env.now)
        self.host.log("fire_service_arrived")
        if not self.host.fire_started.triggered:
            yield self.host.fire_started | self.host.fire_prevented  # on standby: wait for the fire
            if not self.host.fire_started.triggered:
                return
        yield self.env.timeout(suppress)
        self.host.suppress_fire()
