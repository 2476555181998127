"""Exit choice: which way each person heads for, chosen by the scenario's `population.exit_choice`.

A route-choice strategy is a small class with the interface that people (`move_occupant`)
and re-routing (`Rerouting`) use; a new one is a new class in `ROUTE_CHOICES`, not another
branch in the simulation. Two are offered:

- `quickest` (`routing.QuickestRoute`, the default): least expected time to safety, walking
  plus queueing plus a hazard penalty, with people leaving long queues for better ones;
- `nearest` (`NearestExit`): the shortest walk to safety whatever the queues, as RiMEA
  test 9 and many hand calculations assign people (each to their nearest exit), and as
  people who do not see or weigh the queues behave.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar, Protocol

from .doors import Door
from .routing import QuickestRoute
from .zones import ZoneState

__all__ = ["ROUTE_CHOICES", "NearestExit", "RouteChoice", "make_route_choice"]


class RouteChoice(Protocol):
    """What people and re-routing ask of route choice."""

    name: ClassVar[str]
    counts_queues: ClassVar[bool]
    """Whether queues count in the choice (and people in them look around for better ways)."""
    speed: float
    """The reference walking speed costs are counted at, m/s (the population's mean)."""
    margin_s: float
    """Seconds another way must save before people leave their own (`clearly_better`)."""
    revision: int
    """How many times `invalidate` has been called: what others work out from the venue's
    state alone (which openings are open, which zones blocked or untenable) they may keep
    while it stays the same (the hiding search does)."""

    def choose(self, zone: ZoneState, position: tuple[float, float], speed: float, now: float,
               target: Door | None = None, came_by: Door | None = None,
               keep_share: float = 1.0) -> tuple[Door | None, float]:
        """The opening to head for out of `zone` from `position`, and the walking distance to it."""
        ...

    def alternative(self, zone: ZoneState, door: Door, speed: float,
                    now: float) -> tuple[Door | None, float]:
        """For someone queued at `door`: another opening to switch to and its cost, or (None, inf)."""
        ...

    def stay_cost(self, zone: ZoneState, door: Door, place_in_queue: int, now: float) -> float:
        """The cost of staying at `place_in_queue` in `door`'s queue, in `alternative`'s units.

        It is the cost at the front plus one headway of `door` per place (re-routing relies on it).
        """
        ...

    def invalidate(self) -> None:
        """An opening opened or shut, or a zone's hazard changed: choose afresh from now on."""
        ...


class NearestExit(QuickestRoute):
    """The shortest walk to safety, ignoring queues (`exit_choice: nearest`).

    The distances run over the same graph as the quickest route's (from where a person
    stands to each opening of their zone, then opening to opening onwards to the outside, by
    Dijkstra), and the same hazard rules apply: nobody heads into the threat or out past it,
    nor into an untenable zone unless already caught in one. The smoke and untenable
    penalties are kept as distance-equivalents at the reference speed (60 s of walking, about
    80 m at 1.34 m/s; 600 s), so a smoky way is taken only when it is much the shortest, as
    with the default. Costs are walking times at that one speed, which orders ways exactly
    as their distances do. The table changes only when an opening opens or shuts or a hazard
    moves (`invalidate`), never with the queues; nobody leaves a queue for another opening
    (`alternative` offers none). A person chooses again only on finding their way shut or
    blocked, and at each zone they enter, where the shortest way on continues the one they
    were on. Ties go to the opening with the smallest id, as with the default.
    """

    name: ClassVar[str] = "nearest"
    refresh_s: ClassVar[float] = math.inf
    """Queues do not count, so the table is worked out again only after `invalidate`."""
    counts_queues: ClassVar[bool] = False

    def alternative(self, zone: ZoneState, door: Door, speed: float,
                    now: float) -> tuple[Door | None, float]:
        """No queue switching: people stay in the queue of the exit nearest to them."""
        return None, math.inf

    def _crowd_table(self) -> list[float]:
        """Walking time (at the reference speed) onwards to safety, with the hazard penalties."""
        return self._onwards(None, waits=False)


ROUTE_CHOICES: dict[str, type[QuickestRoute]] = {s.name: s for s in (QuickestRoute, NearestExit)}
"""Each route-choice strategy by the name `population.exit_choice` gives it."""


def make_route_choice(name: str, zones: Sequence[ZoneState], doors: Sequence[Door],
                      reference_speed_m_s: float, margin_s: float = 0.0) -> RouteChoice:
    """The route-choice strategy called `name`, over a venue's zones and openings."""
    return ROUTE_CHOICES[name](zones, doors, reference_speed_m_s, margin_s)
