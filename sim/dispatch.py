"""How each action changes a run: one handler per action type, chosen by `functools.singledispatch`.

Two tables: before the event (t < 0, the weeks of warnings) only what can be done ahead of
an event applies; once it has started, what can be done during it. An action with no
handler in a table raises `ActionError` saying when it applies. A new action is a new
pydantic model in `actions.py` and a handler here; `Simulation.apply` does not change.

`check_action` says, from the same tables and the scenario alone, why an action at a time
could not apply: decisions files are checked with it when they are loaded, so a run does not
stop half-way on an unknown zone or a posture level the scenario lacks.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from functools import singledispatch
from typing import TYPE_CHECKING, Any

from .actions import (
    Action,
    ActionError,
    Announce,
    CancelEvent,
    Dispatch,
    ForwardWarning,
    LockOpenings,
    OpenOpenings,
    OrderEvacuation,
    OrderShelter,
    RaisePosture,
)
from .posture import PreEvent
from .scenario import OUTSIDE
from .scenario.base import StrictModel
from .scenario.errors import quote

if TYPE_CHECKING:
    from .scenario import Scenario
    from .scenario.merge import Path
    from .simulation import Simulation

__all__ = ["BEFORE_ONLY", "apply_before_event", "apply_during_event", "check_action", "check_arguments",
           "only_before", "only_during"]


def lookup(ids: list[str], table: dict[str, Any], what: str) -> list[Any]:
    """The items of `table` with these ids (ActionError naming the unknown ones)."""
    unknown = [i for i in ids if i not in table or i == OUTSIDE]
    if unknown:
        raise ActionError(f"unknown {what} {', '.join(map(repr, unknown))}")
    return [table[i] for i in ids]


# -- during the event (t ≥ 0) -------------------------------------------------------------

@singledispatch
def apply_during_event(action: Action, sim: Simulation) -> None:
    """Apply an action while the event runs (the default: it cannot be, now)."""
    raise ActionError(_too_late(action))


def _too_late(action: Action) -> str:
    return f"{action.action} applies before the event (t < 0) only"


def _too_early(action: Action) -> str:
    return f"{action.action} applies once the event has started (t ≥ 0)"


@apply_during_event.register(OrderEvacuation)
def _order_evacuation(action: OrderEvacuation, sim: Simulation) -> None:
    zones = lookup(action.zones, sim.zone_by_id, "zone") if action.zones else None
    sim.applied.append((sim.now, action))
    sim.orders.order_evacuation(zones, "evacuation order")


@apply_during_event.register(OrderShelter)
def _order_shelter(action: OrderShelter, sim: Simulation) -> None:
    zones = lookup(action.zones, sim.zone_by_id, "zone") if action.zones else None
    if zones is not None:
        unlockable = [z.id for z in zones if z.spec is None or not z.spec.lockable]
        if unlockable:
            raise ActionError(f"not lockable: {', '.join(map(repr, unlockable))}")
    sim.applied.append((sim.now, action))
    sim.orders.order_shelter(zones)


@apply_during_event.register(OpenOpenings)
def _open_openings(action: OpenOpenings, sim: Simulation) -> None:
    doors = lookup(action.ids, sim.door_by_id, "opening")
    sim.applied.append((sim.now, action))
    for door in doors:
        sim.orders.open_door(door, "opened by order")


@apply_during_event.register(LockOpenings)
def _lock_openings(action: LockOpenings, sim: Simulation) -> None:
    doors = lookup(action.ids, sim.door_by_id, "opening")
    sim.applied.append((sim.now, action))
    for door in doors:
        sim.orders.lock_door(door, "locked by order")


@apply_during_event.register(Announce)
def _announce(action: Announce, sim: Simulation) -> None:
    sim.applied.append((sim.now, action))
    sim.orders.announce(action.quality)


@apply_during_event.register(Dispatch)
def _dispatch(action: Dispatch, sim: Simulation) -> None:
    sim.applied.append((sim.now, action))
    sim.log("action_applied", detail=f"dispatch {action.unit}")
    sim.response.order_dispatch(action.unit)


# -- before the event (t < 0) -------------------------------------------------------------

@singledispatch
def apply_before_event(action: Action, sim: Simulation) -> None:
    """Apply an action in the weeks before the event (the default: it cannot be, yet)."""
    raise ActionError(_too_early(action))


@apply_before_event.register(OpenOpenings)
@apply_before_event.register(LockOpenings)
def _set_openings(action: OpenOpenings | LockOpenings, sim: Simulation) -> None:
    doors = lookup(action.ids, sim.door_by_id, "opening")
    state = "open" if isinstance(action, OpenOpenings) else "locked"
    for door in doors:
        sim.pre_event.doors[door.id] = state
        door.set_before_event(state)
    _applied_before_event(action, sim)


@apply_before_event.register(Dispatch)
def _standby(action: Dispatch, sim: Simulation) -> None:
    sim.pre_event.standby.append(action.unit)
    _applied_before_event(action, sim)


@apply_before_event.register(RaisePosture)
def _raise_posture(action: RaisePosture, sim: Simulation) -> None:
    known = sim.pre_event.known_levels()
    if action.level not in known:
        raise ActionError(f"no posture level {action.level}; this scenario has {known}")
    sim.pre_event.raise_to(action.level)
    _applied_before_event(action, sim)


@apply_before_event.register(CancelEvent)
def _cancel_event(action: CancelEvent, sim: Simulation) -> None:
    sim.pre_event.cancelled = True
    _applied_before_event(action, sim)


@apply_before_event.register(ForwardWarning)
def _forward_warning(action: ForwardWarning, sim: Simulation) -> None:
    if sim.warnings is None or action.to not in sim.warnings.agencies:
        raise ActionError(f"unknown agency {action.to!r}")
    sim.warnings.forward_now(action.to)
    _applied_before_event(action, sim)


def _applied_before_event(action: Action, sim: Simulation) -> None:
    sim.applied.append((sim.now, action))
    sim.log("action_applied", detail=action.action)




# -- checking an action against a scenario, before any run --------------------------------

def only_before() -> list[type[StrictModel]]:
    """Action types with a handler before the event only (their table says so, not a list)."""
    return _only(apply_before_event.registry, apply_during_event.registry)


def only_during() -> list[type[StrictModel]]:
    """Action types with a handler once the event has started only."""
    return _only(apply_during_event.registry, apply_before_event.registry)


def _only(table: Mapping[Any, Any], other: Mapping[Any, Any]) -> list[type[StrictModel]]:
    return [t for t in table if t is not object and t not in other]


BEFORE_ONLY = tuple(only_before())
"""Actions that apply before the event only: one of them at t = 0 does not start the event."""


def check_action(action: Action, t: float, scenario: Scenario) -> list[tuple[Path, str]]:
    """Why `action` at time `t` could not apply to `scenario`: (field path in the action, message).

    Empty if it can. The time is judged by the handler tables above (t < 0: before the event);
    the arguments by the scenario the handlers would meet: its zones (lockable ones for a
    shelter order), openings, posture levels and agencies.
    """
    before = t < 0
    table = apply_before_event if before else apply_during_event
    if type(action) not in table.registry:
        return [(("t",), _too_early(action) if before else _too_late(action))]
    return check_arguments(action, scenario)


@singledispatch
def check_arguments(action: Action, scenario: Scenario) -> list[tuple[Path, str]]:
    """Why the arguments of `action` do not fit `scenario`, whenever it comes (inject options)."""
    return []  # announce, dispatch, cancel_event: nothing in the scenario to name


@check_arguments.register(OrderEvacuation)
@check_arguments.register(OrderShelter)
def _zones(action: OrderEvacuation | OrderShelter, scenario: Scenario) -> list[tuple[Path, str]]:
    zones = {z.id: z for z in scenario.venue.zones if z.id != OUTSIDE}
    problems = _unknown_ids("zones", action.zones or [], list(zones), "zone", "the venue")
    if isinstance(action, OrderShelter):
        problems += [(("zones", j), f"zone {quote(name)} is not lockable: nobody can shelter there")
                     for j, name in enumerate(action.zones or [])
                     if name in zones and not zones[name].lockable]
    return problems


@check_arguments.register(OpenOpenings)
@check_arguments.register(LockOpenings)
def _openings(action: OpenOpenings | LockOpenings, scenario: Scenario) -> list[tuple[Path, str]]:
    return _unknown_ids("ids", action.ids, [o.id for o in scenario.venue.openings], "opening", "the venue")


@check_arguments.register(RaisePosture)
def _posture(action: RaisePosture, scenario: Scenario) -> list[tuple[Path, str]]:
    known = PreEvent(scenario, None).known_levels()
    if action.level in known:
        return []
    return [(("level",), f"no posture level {action.level}; this scenario has {known}")]


@check_arguments.register(ForwardWarning)
def _agency(action: ForwardWarning, scenario: Scenario) -> list[tuple[Path, str]]:
    if scenario.intel is None:
        return [(("to",), "this scenario has no warning chain (intel) to forward a warning along")]
    agencies = [a.id for a in scenario.intel.agencies]
    return _unknown_ids("to", [action.to], agencies, "agency", "the warning chain", single=True)


def _unknown_ids(field: str, names: list[str], known: list[str], what: str, owner: str,
                 single: bool = False) -> list[tuple[Path, str]]:
    """A problem for each name not in `known`, with the closest known one or a few of them."""
    problems: list[tuple[Path, str]] = []
    for j, name in enumerate(names):
        if name in known:
            continue
        close = difflib.get_close_matches(name, known, n=1)
        if close:
            message = f"unknown {what} {quote(name)}; did you mean '{close[0]}'?"
        else:
            listed = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
            message = f"unknown {what} {quote(name)}; {owner} has: {listed}"
        problems.append(((field,) if single else (field, j), message))
    return problems
