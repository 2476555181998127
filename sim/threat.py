"""The hostile threat's movement (docs/model.md, threat and fire): an abstract hazard moving between zones.

It enters at its first zone at t = 0, stays each stop's dwell time, goes on along its
scripted route (whose stops need not adjoin: a script may skip what it does not care about),
then (optionally) wanders to neighbouring zones through open openings, chosen uniformly,
and finally leaves or stays, until containment stops it. What its presence does to a zone
(blocked openings, exposure, cues) is the simulation's business: this module only moves it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import simpy

from .events import Log
from .milestones import Milestones
from .scenario.incident import Threat
from .zones import ZoneState

__all__ = ["ThreatModel"]


class ThreatModel:
    """The threat of one run: its drawn dwell times and its moving process.

    Args:
        moved: told each time the threat leaves a zone and enters another (None: gone).
    """

    def __init__(self, env: simpy.Environment, spec: Threat, rng: np.random.Generator, *,
                 zone_by_id: dict[str, ZoneState], log: Log, milestones: Milestones,
                 moved: Callable[[ZoneState | None, ZoneState | None], None]):
        self.env = env
        self.zone_by_id = zone_by_id
        self.log = log
        self.milestones = milestones
        self._moved = moved
        self.spec = spec
        self.rng = rng
        self.dwell = [stop.dwell_s.delay(rng) for stop in spec.route]
        self.zone: ZoneState | None = None
        """Where it is now, or None."""
        self.contained = self.env.event()

    def move_threat(self) -> Generator[simpy.Event, Any, None]:
        """Go from stop to stop (then wander), until contained or gone."""
        for stop, dwell in zip(self.spec.route, self.dwell, strict=True):
            self._go(self.zone_by_id[stop.zone])
            yield self.env.timeout(dwell) | self.contained
            if self.contained.triggered:
                return
        wander = self.spec.wander
        for _ in range(wander.moves if wander is not None else 0):
            assert wander is not None
            here = self.zone
            assert here is not None  # it only wanders from where it is
            options = sorted({door.other(here).id for door in here.doors
                              if door.state == "open" and not door.other(here).is_safe})
            if not options:
                break
            nxt = self.zone_by_id[options[int(self.rng.integers(len(options)))]]
            self._go(nxt)
            yield self.env.timeout(wander.dwell_s.delay(self.rng)) | self.contained
            if self.contained.triggered:
                return
        if self.spec.leaves:
            self._go(None)
            self.log("threat_left", detail="left the venue")
            self.milestones.mark("threat_left", self.env.now)

    def contain(self) -> None:
        """Containment: the threat stops where it is and its zone is free again."""
        if self.contained.triggered:
            return
        self.contained.succeed()
        if self.zone is not None:
            self._go(None)

    def _go(self, zone: ZoneState | None) -> None:
        previous, self.zone = self.zone, zone
        self._moved(previous, zone)
