"""Re-routing: people who find a way shut, wait for a way out, or leave a long queue for a better one.

Route choice itself is the scenario's strategy (`exit_choice.ROUTE_CHOICES`); this part
tells it when the venue changed and moves the people that a change concerns (docs/model.md:
re-routing).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import simpy

from .doors import Door, Turn
from .events import Log
from .zones import ZoneState

if TYPE_CHECKING:
    from .exit_choice import RouteChoice

__all__ = ["SWITCH_MARGIN_S", "Rerouting"]

SWITCH_MARGIN_S = 30.0
"""How much sooner another opening must promise to get someone out before they leave a queue."""

STAY_PUT = 5
"""The first people of a queue never leave it: they are nearly through."""


class Rerouting:
    """Keeps route choice up to date with the venue, and the crowd with route choice."""

    def __init__(self, env: simpy.Environment, route: RouteChoice, log: Log):
        self.env = env
        self.route = route
        self._log = log
        self._routes_changed: simpy.Event | None = None

    def routes_changed(self) -> simpy.Event:
        """An event that succeeds the next time a way opens (trapped people wait on it)."""
        if self._routes_changed is None:
            self._routes_changed = self.env.event()
        return self._routes_changed

    def wake_trapped(self) -> None:
        """Wake the people waiting for a way out: something changed."""
        if self._routes_changed is not None:
            changed, self._routes_changed = self._routes_changed, None
            changed.succeed()

    def found_shut(self, door: Door) -> None:
        """Somebody reached an opening and found it shut; word spreads."""
        if not door.found_shut:
            door.mark_found_shut()
            self._log("opening_found_shut", opening=door.id, detail=door.state)
            self.route.invalidate()

    def reconsider_queues(self, zones: Iterable[ZoneState]) -> None:
        """A way opened or cleared: people at the back of queues in these zones may switch.

        From the back of each queue, people move to the best other opening while it still
        promises to get them out SWITCH_MARGIN_S sooner, counting those who moved before them
        into its queue; the first STAY_PUT of a queue never move.
        """
        now = self.env.now
        route = self.route
        speed = route.speed
        for zone in zones:
            if zone.is_safe:
                continue
            for door in zone.doors:
                if len(door.queue) <= STAY_PUT:
                    continue
                other, cost = route.alternative(zone, door, speed, now)
                if other is None:
                    continue
                leaving: list[Turn] = []
                for place in range(len(door.queue) - 1, STAY_PUT - 1, -1):
                    turn = door.queue[place]
                    if turn.scheduled or turn.from_zone is not zone:
                        continue
                    moving = cost + len(leaving) * other.headway + SWITCH_MARGIN_S
                    if moving >= route.stay_cost(zone, door, place, now):
                        break
                    leaving.append(turn)
                for turn in leaving:
                    door.withdraw(turn)
