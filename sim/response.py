"""The emergency response as SimPy processes (DESIGN.md 3.5).

Detection, then the venue's alarm decision; police dispatch, patrol and tactical arrival,
containment; the fire service's dispatch, arrival and suppression. Every delay is drawn once,
at the start of the run, from its own stream, so protocols that change one part of the
response leave the others' draws untouched (common random numbers). Actions can hurry a
dispatch (`dispatch`), and the model only ever moves the dispatch earlier.
"""

from __future__ import annotations

import simpy

from .scenario.response import Response
from .streams import Streams

__all__ = ["ResponseModel"]


def _draw(distribution, rng) -> float | None:
    return None if distribution is None else float(distribution.sample(rng, 1)[0])


class ResponseModel:
    """The response of one run: its drawn delays and its processes."""

    def __init__(self, sim, spec: Response, streams: Streams):
        self.sim = sim
        self.env: simpy.Environment = sim.env
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

    def start(self) -> None:
        """Start the response's processes."""
        self.sim.settle(self.env.process(self.detect_and_alarm()))
        if self.police_delays is not None:
            self.sim.settle(self.env.process(self.dispatch_police()))
        if self.fire_delays is not None and self.sim.smoke is not None:
            self.sim.settle(self.env.process(self.dispatch_fire_service()))

    def order_dispatch(self, unit: str) -> None:
        """Send a unit now (the `dispatch` action)."""
        order = self.police_order if unit == "police" else self.fire_order
        if not order.triggered:
            order.succeed()

    # -- processes ----------------------------------------------------------------------

    def detect_and_alarm(self):
        """The first report reaches the control room; after its decision delay, the alarm sounds."""
        yield self.env.timeout(self.detection_s)
        self.sim.t_detection = self.env.now
        self.sim.log("detection", detail="first report")
        self.detected.succeed()
        if self.alarm_decision_s is not None:
            yield self.env.timeout(self.alarm_decision_s)
            self.sim.raise_alarm("venue alarm")

    def announce_after_alarm(self):
        """The announcement the scenario plans, some time after the alarm."""
        if self.spec.announcement is None:
            return
        yield self.env.timeout(self.announcement_s)
        self.sim.announce(self.spec.announcement.quality)

    def dispatch_police(self):
        """Police are sent after detection (or at once when ordered), then arrive and contain."""
        dispatch, patrol, tactical, contain = self.police_delays
        yield self.detected | self.police_order
        if not self.police_order.triggered:
            yield self.env.timeout(dispatch) | self.police_order
        self.sim.log("police_dispatched")
        containing = "tactical" if self.spec.police.contained_by == "tactical" and tactical is not None \
            else "patrol"
        patrol_contains = contain if containing == "patrol" else None
        self.sim.settle(self.env.process(self.arrive("patrol", patrol, patrol_contains)))
        if tactical is not None:
            self.sim.settle(self.env.process(
                self.arrive("tactical", tactical, contain if containing == "tactical" else None)))

    def arrive(self, unit: str, travel: float, contain_after: float | None):
        """One police unit travels, arrives, and (if it is the containing unit) contains the threat."""
        yield self.env.timeout(travel)
        self.sim.police_arrived(unit)
        if contain_after is not None:
            yield self.env.timeout(contain_after)
            self.sim.contain_threat()
            yield self.env.timeout(self.all_clear_s)
            self.sim.all_clear()

    def dispatch_fire_service(self):
        """The fire service is sent once a fire is reported, arrives, and stops its growth."""
        dispatch, travel, suppress = self.fire_delays
        yield self.sim.fire_started | self.sim.fire_prevented | self.fire_order
        if self.sim.fire_prevented.triggered and not self.fire_order.triggered:
            return
        if not self.fire_order.triggered:
            yield self.detected | self.fire_order
        if not self.fire_order.triggered:
            yield self.env.timeout(dispatch) | self.fire_order
        self.sim.log("fire_service_dispatched")
        yield self.env.timeout(travel)
        self.sim.fire_service_arrived()
        if not self.sim.fire_started.triggered:
            yield self.sim.fire_started | self.sim.fire_prevented  # on standby: wait for the fire
            if not self.sim.fire_started.triggered:
                return
        yield self.env.timeout(suppress)
        self.sim.suppress_fire()
