"""The actions a facilitator can apply now (docs/model.md, actions), for the command palette.

Before the event only what can be done before it is offered (posture, forwarding the
warning, cancelling, doors, putting units on standby); from t = 0 the orders, shelter,
announcements, doors and dispatches. Doors are offered as the opposite of their state now.
Each is labelled in the words the decision confirmation and the AAR use (`action_words`), so
the room reads one wording of an action wherever it meets it.
"""

from __future__ import annotations

from .action_words import describe_action

__all__ = ["available_actions"]


def available_actions(sim) -> list[tuple[str, dict]]:
    """(label, action) for every action that can apply to `sim` now."""
    scenario, actions = sim.scenario, []
    if sim.now < 0:  # before the event; at t = 0 it starts, as decisions files and injects count it
        for level in sorted({p.level for p in scenario.posture_levels}):
            if level > sim.posture:
                actions.append({"action": "raise_posture", "level": level})
        if scenario.intel is not None:
            actions += [{"action": "forward_warning", "to": agency.id} for agency in scenario.intel.agencies]
        actions.append({"action": "cancel_event"})
    else:
        actions.append({"action": "order_evacuation"})
        actions += [{"action": "order_evacuation", "zones": [zone.id]} for zone in scenario.venue.zones]
        lockable = [z.id for z in scenario.venue.zones if z.lockable]
        if lockable:
            actions.append({"action": "order_shelter"})
            actions += [{"action": "order_shelter", "zones": [zone_id]} for zone_id in lockable]
        actions.append({"action": "announce", "quality": "clear"})
        actions.append({"action": "announce", "quality": "poor"})
    openings = sim.state().openings
    for opening in scenario.venue.openings:
        kind = "open_openings" if openings.get(opening.id) != "open" else "lock_openings"
        actions.append({"action": kind, "ids": [opening.id]})
    actions.append({"action": "dispatch", "unit": "police"})
    actions.append({"action": "dispatch", "unit": "fire_service"})
    return [(describe_action(action, scenario, openings).rstrip("."), action) for action in actions]
