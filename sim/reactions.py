"""How the crowd and the venue react to a hazard that appears, moves or eases (docs/model.md).

The threat and the smoke only say where they are; this part turns that into what people do:
the zone with the threat rushes out and its neighbours hear it, queues into danger turn away,
people sheltering leave a room the smoke reaches, and route choice learns the venue changed.
"""

from __future__ import annotations

from typing import Protocol

from .census import Census
from .orders import Orders
from .rerouting import Rerouting
from .zones import ZoneState

__all__ = ["Reactions"]


class _Hiding(Protocol):
    def hazard_changed(self, zone: ZoneState) -> None: ...


class Reactions:
    """The crowd's reactions to hazards during one run."""

    def __init__(self, orders: Orders, census: Census, rerouting: Rerouting):
        self.orders = orders
        self.census = census
        self.rerouting = rerouting
        self.exposure = orders.exposure
        self.log = orders.log
        self.hiding: _Hiding | None = None
        """People who may hide (wired in after): smoke in a hiding place cues them out."""

    def threat_moved(self, previous: ZoneState | None, zone: ZoneState | None) -> None:
        """The threat left `previous` and is now in `zone` (None: gone or contained)."""
        exposure, route = self.exposure, self.rerouting.route
        if previous is not None:
            exposure.zone_changed(previous, before_change=True)
            previous.threat = False
            previous.hazard_changed()
            exposure.zone_changed(previous, before_change=False)
            route.invalidate()
            self.rerouting.reconsider_queues([previous, *(d.other(previous) for d in previous.doors)])
        if zone is not None:
            self.census.hazards = True
            self.log("threat_entered", zone=zone.id)
            exposure.zone_changed(zone, before_change=True)
            zone.threat = True
            zone.hazard_changed()
            exposure.zone_changed(zone, before_change=False)
            self.orders.rush(zone, "threat here")
            for door in zone.doors:
                self.orders.cue(door.other(zone), "threat heard")
                door.turn_away(into=zone, out_of=zone if door.other(zone).is_safe else None)
        else:
            exposure.threat_over()  # contained, or gone: it never comes back
        route.invalidate()
        self.rerouting.wake_trapped()

    def zone_hazard_changed(self, zone: ZoneState) -> None:
        """Smoke reached a zone or made it untenable: people there move, and others reroute."""
        self.census.hazards = True
        if zone.smoky:
            if zone.untenable:
                self.orders.rush(zone, "smoke")
            else:
                self.orders.cue(zone, "smoke seen")
        if zone.sheltered:
            self.orders.release_sheltered(zone, "smoke")  # nobody stays locked in with the smoke
        if self.hiding is not None:
            self.hiding.hazard_changed(zone)
        if zone.untenable:
            for door in zone.doors:
                door.turn_away(into=zone)
        self.rerouting.route.invalidate()
        self.rerouting.wake_trapped()

    def smoke_eased(self) -> None:
        """Suppression froze the smoke: untenable zones no longer bar the way."""
        self.rerouting.route.invalidate()
        self.rerouting.wake_trapped()
