"""Why anybody is still inside when a run stops: the invariant that nobody is stuck for nothing.

At the horizon everybody still inside or sheltering has a cause the exercise can read: the
ways out are shut or locked, the threat stands between them and safety, smoke has made the
way (or their own zone) untenable, they are sheltering on an order, or hiding. Anybody else is stuck for no
reason the model knows of (a gridlock, or a horizon too short for the crowd): the count
`no_reason` that the property tests hold at 0.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Protocol

from .census import INSIDE, SHELTERED
from .zones import ZoneState

if TYPE_CHECKING:
    from .doors import Door

__all__ = ["HIDING", "TRAPPED_REASONS", "trapped_by_reason"]

TRAPPED_REASONS = ("locked_in", "behind_threat", "untenable", "sheltering", "no_reason")
"""Why someone is still inside at the end, in the order the results report them."""

HIDING = "hiding"
"""People still hiding at the end, reported after `TRAPPED_REASONS` only in runs where people
may hide, so that results of scenarios without it keep their keys."""


class _Books(Protocol):
    status: list[int]
    zone_of: list[int]


def trapped_by_reason(census: _Books, zones: list[ZoneState],
                      hidden: dict[int, set[int]] | None = None) -> dict[str, int]:
    """Everybody still inside or sheltering, counted by what keeps them there.

    With `hidden` (people hiding of their own accord, by zone index: people may hide in this
    run), those count under `hiding`, and only those sheltering on an order under `sheltering`.

    A person inside is stuck for no reason if a way to safety is open to them now (each
    opening open and passable as `Door.passable` has it). Otherwise: `locked_in` if opening
    the shut and locked openings would give them a way; else `untenable` if the smoke
    clearing as well would; else `behind_threat` (the threat stands in every way left). Those
    with no way out at all, even then, are `locked_in` too.
    """
    counts = dict.fromkeys(TRAPPED_REASONS if hidden is None else (*TRAPPED_REASONS, HIDING), 0)
    reason_of_zone: dict[int, str] = {}
    for person, status in enumerate(census.status):
        if status == SHELTERED:
            place = hidden.get(census.zone_of[person]) if hidden is not None else None
            counts[HIDING if place is not None and person in place else "sheltering"] += 1
        elif status == INSIDE:
            index = census.zone_of[person]
            if index not in reason_of_zone:
                reason_of_zone[index] = _reason(zones[index])
            counts[reason_of_zone[index]] += 1
    return counts


def _reason(zone: ZoneState) -> str:
    if _reaches_safety(zone):
        return "no_reason"
    if _reaches_safety(zone, any_state=True):
        return "locked_in"
    if _reaches_safety(zone, any_state=True, through_smoke=True):
        return "untenable"
    if _reaches_safety(zone, any_state=True, through_smoke=True, past_threat=True):
        return "behind_threat"
    return "locked_in"


def _reaches_safety(start: ZoneState, *, any_state: bool = False, through_smoke: bool = False,
                    past_threat: bool = False) -> bool:
    """Whether a way to safety leads from `start`, with some of the obstacles lifted."""
    seen = {start.index}
    frontier = deque([start])
    while frontier:
        zone = frontier.popleft()
        for door in zone.doors:
            beyond = door.other(zone)
            if beyond.index in seen:
                continue
            if not _open_to(door, zone, beyond, any_state, through_smoke, past_threat):
                continue
            if beyond.is_safe:
                return True
            seen.add(beyond.index)
            frontier.append(beyond)
    return False


def _open_to(door: Door, zone: ZoneState, beyond: ZoneState, any_state: bool, through_smoke: bool,
             past_threat: bool) -> bool:
    """`Door.passable`, with the obstacles asked for lifted."""
    if door.state != "open" and not any_state:
        return False
    if beyond.blocked and not past_threat:
        return False
    if beyond.untenable and not zone.untenable and not through_smoke:
        return False
    return past_threat or not (zone.threat and beyond.is_safe)
