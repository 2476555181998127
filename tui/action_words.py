"""Model actions in the room's words, for the decision confirmation (docs/model.md, actions).

A decision option's actions are written in the scenario as `{action: open_openings, ids: [...]}`;
before the facilitator applies one, the console says what it will do to the model in plain
words: which exits open by their names, which zones are ordered out, which unit is sent. Where
the model's state makes an action partly moot (an exit already open), that is said too, so a
confirmation never promises a change the model will not see.
"""

from __future__ import annotations

from typing import Any

__all__ = ["describe_action", "describe_actions"]

_UNITS = {"police": "the police", "fire_service": "the fire service"}


def describe_actions(actions: list[dict[str, Any]], scenario: Any, openings: dict[str, str] | None = None
                     ) -> list[str]:
    """One sentence per action; an option without actions changes nothing in the model, and says so."""
    if not actions:
        return ["Nothing changes in the model: this option is recorded as the players' decision only."]
    return [describe_action(action, scenario, openings) for action in actions]


def describe_action(action: dict[str, Any], scenario: Any, openings: dict[str, str] | None = None) -> str:
    """What `action` does, naming the scenario's zones, openings, agencies and posture levels.

    Args:
        action: an action mapping as the scenario writes it.
        scenario: the scenario, for names.
        openings: each opening's state now (`SimState.openings`), to mark doors already so.
    """
    kind = action.get("action")
    if kind == "order_evacuation":
        zones = action.get("zones")
        if not zones:
            return "Order the whole venue to evacuate (this also sounds the alarm)."
        return f"Order {_zones(zones, scenario)} to evacuate."
    if kind == "order_shelter":
        zones = action.get("zones")
        where = f"in {_zones(zones, scenario)}" if zones else "in every lockable room"
        return f"Order the people {where} to lock themselves in until the all-clear."
    if kind in ("open_openings", "lock_openings"):
        verb, state = ("Open", "open") if kind == "open_openings" else ("Lock", "locked")
        names = [_opening(i, scenario, openings, state) for i in action.get("ids", [])]
        return f"{verb} {_join(names)}."
    if kind == "announce":
        quality = "a clear voice message" if action.get("quality", "clear") == "clear" else "a poor message"
        return f"Announce over the public address: {quality} (a cue for everybody inside)."
    if kind == "dispatch":
        unit = _UNITS.get(action.get("unit", ""), str(action.get("unit")))
        return f"Dispatch {unit} now (unless already on the way sooner)."
    if kind == "raise_posture":
        level = action.get("level")
        named = next((p for p in getattr(scenario, "posture_levels", []) if p.level == level), None)
        detail = " ".join(named.description.split()).rstrip(".") if named else ""
        what = f" ({named.name}{': ' + detail if detail else ''})" if named else ""
        return f"Raise the security posture to level {level}{what}."
    if kind == "forward_warning":
        return f"Forward the warning to {_agency(action.get('to', ''), scenario)} now."
    if kind == "cancel_event":
        return "Cancel the event: nobody will be at the venue at t = 0."
    return f"{kind}: {', '.join(f'{k} {v}' for k, v in action.items() if k != 'action')}"


def _zones(ids: list[str], scenario: Any) -> str:
    names = {z.id: z.name for z in scenario.venue.zones}
    return _join([f"{names[i]} ({i})" if names.get(i) else i for i in ids])


def _opening(opening_id: str, scenario: Any, openings: dict[str, str] | None, target: str) -> str:
    named = next((o for o in scenario.venue.openings if o.id == opening_id), None)
    text = f"{named.name} ({opening_id})" if named is not None and named.name else opening_id
    if openings is not None and openings.get(opening_id) == target:
        text += f" (already {target})"
    return text


def _agency(agency_id: str, scenario: Any) -> str:
    intel = getattr(scenario, "intel", None)
    named = next((a for a in intel.agencies if a.id == agency_id), None) if intel is not None else None
    return f"{named.name} ({agency_id})" if named is not None and named.name else agency_id


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
