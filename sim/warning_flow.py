"""The intelligence-warning flow as a SimPy process before t = 0 (docs/model.md, warning flow).

A warning starts at its origin at its issue time and travels along channels, each with a
delay and a chance of being lost. Each agency judges every warning it receives (each warning
once, on its first arrival): belief accumulates, so a second warning can move an agency that
the first did not, and it decides whether to pass each one on. An agency that acts raises the
venue's security posture to its level, for as long as its vigilance lasts. The posture at
t = 0 sets the scenario's parameters for the event.

The rule for acting is deliberately simple and transparent, for a room to argue with:

    P(act) = receptiveness × specificity × reliability × trust × cry_wolf_factor ^ false_alarms

unless the scenario fixes `act_probability`. The Protective Action Decision Model (Lindell &
Perry 2012) names these factors but gives no numbers; calibrate `receptiveness`. Warnings
combine as independent chances: after warnings with chances p1, p2, ... an agency has acted
with probability 1 − (1 − p1)(1 − p2)··· (one threshold drawn per agency, compared with the
accumulated belief), so one warning alone is judged exactly as the single rule says.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import simpy

from .events import Log
from .scenario.intel import Agency, Channel, Intel, Warning

__all__ = ["AgencyRecord", "WarningFlow", "act_probability"]


def act_probability(agency: Agency, warning: Warning, trust: float) -> float:
    """The chance an agency acts on a warning received through a channel of this trust."""
    if agency.act_probability is not None:
        return agency.act_probability
    p = (agency.receptiveness * warning.specificity * warning.reliability * trust
         * agency.cry_wolf_factor ** agency.false_alarms)
    return min(1.0, max(0.0, p))


@dataclass
class AgencyRecord:
    """What happened at one agency."""

    received_s: float | None = None
    """When it first received a warning."""
    warning: str | None = None
    """Which warning reached it first."""
    acted: bool = False
    acted_s: float | None = None
    forwarded: bool = False


class WarningFlow:
    """The warnings of one run and the agencies' judgements of them."""

    def __init__(self, env: simpy.Environment, intel: Intel, rng: np.random.Generator, log: Log):
        self.env = env
        self.log = log
        self.intel = intel
        self.rng = rng
        self.agencies = {a.id: a for a in intel.agencies}
        self.outgoing: dict[str, list[Channel]] = {a.id: [] for a in intel.agencies}
        for channel in intel.channels:
            self.outgoing[channel.sender].append(channel)
        self.records = {a.id: AgencyRecord() for a in intel.agencies}
        self._judged: dict[str, set[str]] = {a.id: set() for a in intel.agencies}
        """The warnings each agency has judged (each once)."""
        self._belief = {a.id: 0.0 for a in intel.agencies}
        """The chance, accumulated over the warnings judged, that the agency acts."""
        self._threshold: dict[str, float] = {}
        """Each agency's own draw: it acts once its accumulated belief exceeds it."""
        self.raised: list[tuple[float, int, float | None]] = []
        """(time, level, time it lapses) for every posture raise."""

    def start(self) -> None:
        """Issue every warning at its time."""
        for warning in sorted(self.intel.warnings, key=lambda w: (w.issued, w.id)):
            self.env.process(self.issue(warning))

    def issue(self, warning: Warning):
        """The origin issues the warning: it counts as received and acted on there, and goes out."""
        if warning.issued > self.env.now:
            yield self.env.timeout(warning.issued - self.env.now)
        origin = self.agencies[warning.origin]
        self._judged[origin.id].add(warning.id)
        record = self.records[origin.id]
        if record.received_s is None:
            record.received_s, record.warning = self.env.now, warning.id
            record.acted, record.acted_s, record.forwarded = True, self.env.now, True
            self.log("warning_issued", detail=f"{warning.id} by {origin.id}")
            self._raise(origin)
        self._send(origin, warning)

    def receive(self, agency: Agency, warning: Warning, trust: float, via: str):
        """An agency receives a warning, judges it, and maybe acts and passes it on.

        Each warning is judged once, on its first arrival (by whichever channel brings it
        first); a later warning adds to the belief the earlier ones built (`act_probability`
        combined as independent chances), so repeated warnings can move an agency that one
        did not. An agency that has acted passes later warnings on as it passed the first.
        """
        record = self.records[agency.id]
        judged = self._judged[agency.id]
        if warning.id in judged:
            return  # each warning is judged once
        judged.add(warning.id)
        first = record.received_s is None
        if first:
            record.received_s, record.warning = self.env.now, warning.id
        self.log("warning_received", detail=f"{agency.id} from {via}" + ("" if first else f": {warning.id}"))
        chance = act_probability(agency, warning, trust)
        belief = self._belief[agency.id] = 1.0 - (1.0 - self._belief[agency.id]) * (1.0 - chance)
        if agency.id not in self._threshold:
            self._threshold[agency.id] = self.rng.random()
        convinced = self._threshold[agency.id] < belief
        acts = convinced and not record.acted
        forwards = self.rng.random() < (agency.forward_if_acted if convinced else agency.forward_if_not)
        delay = agency.decision_delay_s.delay(self.rng)
        if delay > 0:
            yield self.env.timeout(delay)
        if acts:
            record.acted, record.acted_s = True, self.env.now
            self.log("warning_acted_on", detail=agency.id)
            self._raise(agency)
        if forwards:
            record.forwarded = True
            self._send(agency, warning)

    def deliver(self, channel: Channel, warning: Warning, delay: float):
        """The warning travels along one channel."""
        yield self.env.timeout(delay)
        yield from self.receive(self.agencies[channel.to], warning, channel.trust, channel.sender)

    def forward_now(self, to: str) -> None:
        """The facilitator passes the first warning to an agency now (a trusted channel)."""
        warning = min(self.intel.warnings, key=lambda w: (w.issued, w.id))
        self.env.process(self.receive(self.agencies[to], warning, 1.0, "exercise"))

    def posture_at(self, t: float) -> int:
        """The highest level raised and not lapsed at time t."""
        level = self.intel.initial_posture
        for start, raised, lapses in self.raised:
            if start <= t and (lapses is None or t < lapses):
                level = max(level, raised)
        return level

    def venue_record(self) -> AgencyRecord | None:
        """The first venue-security agency's record (the warning 'at the venue')."""
        for agency in self.intel.agencies:
            if agency.role == "venue_security":
                return self.records[agency.id]
        return None

    def _send(self, sender: Agency, warning: Warning) -> None:
        for channel in self.outgoing[sender.id]:
            lost = self.rng.random() < channel.loss_probability
            delay = channel.delay_s.delay(self.rng)
            if not lost:
                self.env.process(self.deliver(channel, warning, delay))

    def _raise(self, agency: Agency) -> None:
        if agency.raises_posture_to > 0:
            lapses = None if agency.posture_lasts_s is None else self.env.now + agency.posture_lasts_s
            self.raised.append((self.env.now, agency.raises_posture_to, lapses))
