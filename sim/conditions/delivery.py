"""Deciding what an inject becomes when it comes due: itself, its alternative, or nothing.

The session (and a batch run that replays a session's decisions) asks `judge` at the moment
of delivery; the verdict says which text goes out and why, in words the MSEL list can show.
`summary` is what the facilitator sees of the model beside the card at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .facts import Facts
from .live import fill_text
from .syntax import parse_condition

__all__ = ["SUMMARY_ZONES", "Verdict", "as_delivered", "fill_inject", "judge", "summary"]

SUMMARY_ZONES = 6
"""Zones named in the summary's head count, fullest first (the card must stay readable)."""


@dataclass(frozen=True)
class Verdict:
    """What becomes of an inject at its time."""

    outcome: str
    """`delivered` (as written), `replaced` (its `otherwise`) or `skipped`."""
    reason: str
    """Why, in words (empty for an inject without a condition)."""
    inject: Any
    """The inject as delivered: the original, or the original with the alternative's fields."""


def judge(inject: Any, facts: Facts) -> Verdict:
    """The verdict on `inject` now.

    `unless` holding skips it outright (the situation it belongs to did not come about);
    otherwise `when` failing delivers its alternative, or skips it if it has none.
    """
    if inject.unless is not None:
        condition = parse_condition(inject.unless)
        if condition.holds(facts):
            return Verdict("skipped", f"unless {inject.unless!r} {condition.explain(facts)}", inject)
    if inject.when is None:
        return Verdict("delivered", "", inject)
    condition = parse_condition(inject.when)
    reason = f"when {inject.when!r} {condition.explain(facts)}"
    if condition.holds(facts):
        return Verdict("delivered", reason, inject)
    if inject.otherwise is not None:
        return Verdict("replaced", reason, as_delivered(inject, inject.otherwise))
    return Verdict("skipped", reason, inject)


def as_delivered(inject: Any, alternative: Any) -> Any:
    """The inject with the alternative's fields (those it gives) in place of its own; same id and time.

    The inject's decision is dropped unless the alternative has its own: it belongs to the
    situation the condition describes.
    """
    update = {name: value for name, value in alternative if name != "decision" and value is not None}
    update["decision"] = alternative.decision
    update |= {"when": None, "unless": None, "otherwise": None}
    return inject.model_copy(update=update)


def summary(facts: Facts) -> list[str]:
    """The model at a glance for the facilitator: who is where, the exits, the threat, smoke, harm."""
    state = facts.state
    exits = [f"{s} {', '.join(facts.name(e) for e in facts.exits_in(s))}"
             for s in ("locked", "closed") if facts.exits_in(s)]
    exits_line = (f"Exits: {len(facts.exits_in('open'))} of {len(facts.exits)} open"
                  + (f"; {'; '.join(exits)}" if exits else ""))
    if state.t < 0:
        cancelled = "; the event is cancelled" if state.cancelled else ""
        return [f"Before the event: nobody is modelled inside yet; posture level {state.posture}{cancelled}",
                exits_line]
    zones = [(z, facts.inside(z)) for z in state.zones if facts.inside(z)]
    zones.sort(key=lambda x: -x[1])
    people = ", ".join(f"{facts.name(z)} {n:,}" for z, n in zones[:SUMMARY_ZONES])
    if len(zones) > SUMMARY_ZONES:
        rest = zones[SUMMARY_ZONES:]
        people += f" and {sum(n for _, n in rest):,} in {len(rest)} more zones"
    hiding = f" ({facts.sheltering():,} sheltering or hiding)" if facts.sheltering() else ""
    lines = [f"Inside: {facts.inside():,}{hiding}" + (f" — {people}" if people else "")]
    lines.append(exits_line)
    threat = {"none": "none", "coming": "not yet in the venue", "gone": "has left the venue",
              "contained": f"contained at {facts.clock(state.milestones.get('contained'))}"}
    where = f"in {facts.name(state.threat_zone)}" if state.threat_zone else "in the venue"
    lines.append(f"Threat: {threat.get(state.threat_status, where)}")
    smoke = ", ".join(facts.name(z) for z in state.smoky_zones) or "none"
    untenable = ", ".join(facts.name(z) for z in state.untenable_zones) or "none"
    lines.append(f"Smoke: {smoke} · untenable: {untenable}")
    causes = f" (threat {facts.harmed('threat'):,}, smoke {facts.harmed('smoke'):,})" if state.harmed else ""
    lines.append(f"Out safe: {state.safe:,} · harmed: {state.harmed:,}{causes}")
    return lines


def fill_inject(inject: Any, facts: Facts) -> tuple[str, list[str]]:
    """The inject's message and questions with their live values filled in from `facts`."""
    return fill_text(inject.message, facts), [fill_text(q, facts) for q in inject.questions]
