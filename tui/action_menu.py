"""The actions a facilitator can apply now (docs/model.md, actions), labelled for the command palette.

Before the event only what can be done before it is offered (posture, forwarding the
warning, cancelling, doors, putting units on standby); from t = 0 the orders, shelter,
announcements, doors and dispatches. Doors are offered as the opposite of their state now.
"""

from __future__ import annotations

__all__ = ["available_actions"]


def available_actions(sim) -> list[tuple[str, dict]]:
    """(label, action) for every action that can apply to `sim` now."""
    scenario, actions = sim.scenario, []

    doors = [(o.id, o.name or o.id) for o in scenario.venue.openings]
    if not sim.begun:
        for level in sorted({p.level for p in scenario.posture_levels}):
            if level > sim.posture:
                actions.append((f"Raise the security posture to level {level}",
                                {"action": "raise_posture", "level": level}))
        if scenario.intel is not None:
            for agency in scenario.intel.agencies:
                actions.append((f"Forward the warning to {agency.id}",
                                {"action": "forward_warning", "to": agency.id}))
        actions.append(("Cancel the event", {"action": "cancel_event"}))
    else:
        actions.append(("Order the whole venue to evacuate", {"action": "order_evacuation"}))
        for zone in scenario.venue.zones:
            actions.append((f"Order evacuation of zone {zone.id}",
                            {"action": "order_evacuation", "zones": [zone.id]}))
        lockable = [z.id for z in scenario.venue.zones if z.lockable]
        if lockable:
            actions.append(("Order shelter in every lockable room", {"action": "order_shelter"}))
            for zone_id in lockable:
                actions.append((f"Order shelter in {zone_id}",
                                {"action": "order_shelter", "zones": [zone_id]}))
        actions.append(("Announce: clear voice message", {"action": "announce", "quality": "clear"}))
        actions.append(("Announce: poor message", {"action": "announce", "quality": "poor"}))
    state = sim.state().openings
    for door_id, label in doors:
        if state.get(door_id) != "open":
            actions.append((f"Open {label} ({door_id})", {"action": "open_openings", "ids": [door_id]}))
        else:
            actions.append((f"Lock {label} ({door_id})", {"action": "lock_openings", "ids": [door_id]}))
    actions.append(("Dispatch the police now", {"action": "dispatch", "unit": "police"}))
    actions.append(("Dispatch the fire service now", {"action": "dispatch", "unit": "fire_service"}))
    return actions
