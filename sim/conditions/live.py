"""Live values in inject text: `{inside:hall_stalls}` filled from the model at delivery.

A trainer writes the MSEL once; the numbers the players hear are the model's at the moment the
inject is delivered, so the message never contradicts what the console shows. `{{` and `}}`
are literal braces. Every placeholder is checked when the scenario loads (`placeholder_refs`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from .facts import Facts
from .nodes import Ref
from .syntax import CAUSES, MILESTONE_NAMES, NUMBERS, ConditionError

__all__ = ["PLACEHOLDERS", "fill_text", "placeholder_refs"]

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def _names(f: Facts, ids) -> str:
    return ", ".join(f.name(i) for i in ids) or "none"


PLACEHOLDERS: dict[str, tuple[str | None, Callable[[Facts, str | None], object]]] = {
    # the counts a condition compares, read the same way (the exits are named here, not counted)
    **{name: NUMBERS[name] for name in ("inside", "leaving", "sheltering", "harmed", "evacuated", "posture")},
    "locked_exits": (None, lambda f, _: _names(f, f.exits_in("locked"))),
    "closed_exits": (None, lambda f, _: _names(f, f.exits_in("closed"))),
    "shut_exits": (None, lambda f, _: _names(f, f.exits_in("closed", "locked"))),
    "open_exits": (None, lambda f, _: _names(f, f.exits_in("open"))),
    "opening": ("opening", lambda f, o: f.state.openings.get(o or "", "unknown")),
    "threat": (None, lambda f, _: f.state.threat_status),
    "threat_zone": (None, lambda f, _: f.name(f.state.threat_zone) if f.state.threat_zone else "none"),
    "smoky_zones": (None, lambda f, _: _names(f, f.state.smoky_zones)),
    "untenable_zones": (None, lambda f, _: _names(f, f.state.untenable_zones)),
    "clock": (None, lambda f, _: f.clock(f.state.t)),
    "decision": ("inject", lambda f, i: f.option_labels.get((i or "", f.choices.get(i or "", "")),
                                                              "not decided")),
    **{f"t_{m}": (None, (lambda name: lambda f, _: f.clock(f.state.milestones.get(name)))(m))
       for m in MILESTONE_NAMES},
}
"""Placeholder name → (what its `:argument` names, if it takes one, and how to read it)."""


def _parse(text: str) -> list[tuple[str, str | None, int]]:
    """Each placeholder in `text` as (name, argument, column); ConditionError on a malformed one."""
    found = []
    for match in _PLACEHOLDER.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        column = match.start() + 1
        if token in ("{", "}"):
            raise ConditionError(f"a lone '{token}': write '{token * 2}' for a brace in the text", column)
        name, _, arg = match.group(1).strip().partition(":")
        name, arg = name.strip(), arg.strip() or None
        if name not in PLACEHOLDERS:
            close = difflib.get_close_matches(name, list(PLACEHOLDERS), n=1)
            hint = f"; did you mean '{{{close[0]}}}'?" if close else ""
            raise ConditionError(f"unknown live value '{{{name}}}'{hint}", column)
        kind = PLACEHOLDERS[name][0]
        if arg is not None and kind is None:
            raise ConditionError(f"'{{{name}}}' takes no ':' argument", column)
        if kind in ("inject", "opening") and arg is None:
            raise ConditionError(f"'{{{name}:…}}' names an {kind}: write '{{{name}:ID}}'", column)
        if kind == "cause" and arg is not None and arg not in CAUSES:
            raise ConditionError(f"a cause of harm is one of {', '.join(CAUSES)}", column)
        found.append((name, arg, column))
    return found


def placeholder_refs(text: str) -> list[Ref]:
    """The ids the placeholders in `text` name (zones, injects); ConditionError if one is malformed."""
    return [Ref(PLACEHOLDERS[name][0] or "", arg, column)
            for name, arg, column in _parse(text) if arg is not None and PLACEHOLDERS[name][0] != "cause"]


def fill_text(text: str, facts: Facts) -> str:
    """`text` with every placeholder replaced by its value on `facts`, and `{{`, `}}` made single.

    Counts are written with thousands separators (`6,200`), as the card writes them.
    """
    _parse(text)  # a malformed text is refused before any of it is filled

    def value(match: re.Match) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name, _, arg = match.group(1).strip().partition(":")
        value = PLACEHOLDERS[name.strip()][1](facts, arg.strip() or None)
        return f"{value:,}" if isinstance(value, int) else str(value)

    return _PLACEHOLDER.sub(value, text)
