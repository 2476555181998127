"""How each action changes a run: one handler per action type, chosen by `functools.singledispatch`.

Two tables: before the event (t < 0, the weeks of warnings) only what can be done ahead of
an event applies; once it has started, what can be done during it. An action with no
handler in a table raises `ActionError` saying when it applies. A new action is a new
pydantic model in `actions.py` and a handler here; `Simulation.apply` does not change.
"""

from __future__ import annotations

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
from .scenario import OUTSIDE

if TYPE_CHECKING:
    from .simulation import Simulation

__all__ = ["apply_before_event", "apply_during_event"]


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
    raise ActionError(f"{action.action} applies before the event (t < 0) only")


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
    raise ActionError(f"{action.action} applies once the event has started (t ≥ 0)")


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


BEFORE_ONLY = (RaisePosture, CancelEvent, ForwardWarning)
"""Actions that apply before the event only: one of them at t = 0 does not start the event."""
