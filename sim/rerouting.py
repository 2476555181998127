"""Re-routing: people who find a way shut, wait for a way out, or leave a long queue for a better one.

Route choice itself is the scenario's strategy (`exit_choice.ROUTE_CHOICES`); this part
tells it when the venue changed and moves the people that a change concerns (docs/model.md:
re-routing).
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Sequence
from typing import TYPE_CHECKING

import simpy

from .doors import Door, Turn
from .events import Log
from .zones import ZoneState

if TYPE_CHECKING:
    from .exit_choice import RouteChoice

__all__ = ["LOOK_AROUND_S", "Rerouting"]

LOOK_AROUND_S = 10.0
"""How often people in a queue look around for a better way, s. Without it a queue was
weighed only when a way opened or the threat moved, and 1,700 people stood at two narrow
exits while four wide doors beside them stood empty (issue 13). A modelling choice: people
watch the queue they are in and the crowd near them continuously, and a few seconds more or
less changes little against the route inertia that decides whether they go."""

STAY_PUT = 5
"""The first people of a queue never leave it: they are nearly through."""


class Rerouting:
    """Keeps route choice up to date with the venue, and the crowd with route choice."""

    def __init__(self, env: simpy.Environment, route: RouteChoice, log: Log,
                 keep_share: Sequence[float] | None = None, target: Sequence[int | None] | None = None):
        self.env = env
        self.route = route
        self._log = log
        self._keep_share = keep_share
        """Each person's route inertia (`Occupants.keep_share`); None: nobody has any."""
        self._target = target
        """The opening each person heads for whatever the queues (`Occupants.target`): in its
        queue they stay (leaving it, they would only choose it again and rejoin at the back)."""
        self._most_willing = max(keep_share, default=1.0) if keep_share is not None else 1.0
        """The largest keep share: past the place where even its holder would stay, all stay."""
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

    def look_around(self, zones: Sequence[ZoneState]) -> Generator[simpy.Event, None, None]:
        """Every LOOK_AROUND_S, people at the back of long queues weigh the other ways again."""
        doors = sorted({d for z in zones for d in z.doors}, key=lambda d: d.index)
        while True:
            yield self.env.timeout(LOOK_AROUND_S)
            # `line` and those on their way, without admitting the latest arrivals: a cheap
            # first look (reconsider_queues then reads each queue as it is)
            queued = {z for d in doors if len(d.line) + d.heading > STAY_PUT for z in d.sides}
            if queued:
                self.reconsider_queues(sorted(queued, key=lambda z: z.index))

    def found_shut(self, door: Door) -> None:
        """Somebody reached an opening and found it shut; word spreads."""
        if not door.found_shut:
            door.mark_found_shut()
            self._log("opening_found_shut", opening=door.id, detail=door.state)
            self.route.invalidate()

    def reconsider_queues(self, zones: Iterable[ZoneState]) -> None:
        """A way opened or cleared: people at the back of queues in these zones may switch.

        From the back of each queue, each person moves to the best other opening if it is
        clearly better for them (`QuickestRoute.clearly_better`, with their own route inertia),
        counting those who moved before them into its queue; the first STAY_PUT of a queue
        never move, nor anyone nearer the front than where even the most willing would stay.
        """
        now = self.env.now
        route = self.route
        speed = route.speed
        margin, most_willing = route.margin_s, self._most_willing
        keep_shares, targets = self._keep_share, self._target
        for zone in zones:
            if zone.is_safe:
                continue
            for door in zone.doors:
                queue = door.queue
                if len(queue) <= STAY_PUT:
                    continue
                other, cost = route.alternative(zone, door, speed, now)
                if other is None:
                    continue
                front, headway = route.stay_cost(zone, door, 0, now), door.headway
                if not door.lined_up_from(zone):
                    continue  # everybody queued here is on the far side
                leaving: list[Turn] = []
                moving = cost
                # From the back by iteration (indexing the middle of a deque walks it), with
                # `clearly_better` split in two: the most willing's test ends the scan, and
                # each person's own share decides for them.
                places = range(len(queue) - 1, STAY_PUT - 1, -1)
                for place, turn in zip(places, reversed(queue), strict=False):
                    if turn.scheduled or turn.from_zone is not zone:
                        continue
                    stay = front + place * headway  # stay_cost: one headway more per place
                    if moving + margin >= stay or moving > most_willing * stay:
                        break  # even the most willing would stay, here and further forward
                    person = turn.person
                    if targets is not None and targets[person] == door.index:
                        continue
                    if keep_shares is None or moving <= keep_shares[person] * stay:
                        leaving.append(turn)
                        moving += other.headway  # they join its queue ahead of the next mover
                for turn in leaving:
                    door.withdraw(turn)
