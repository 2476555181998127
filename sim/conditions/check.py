"""The scenario check for conditions and live values: syntax, and every id they name.

Run by the scenario loader's cross-checks (`scenario/check.py`), so a misspelt zone in a
`when:` is a located error at load (`FILE:LINE:COL: injects[4].when: …`), not a surprise in the
room. A `decision(X)` must name an inject with a decision that comes earlier in the MSEL: a
condition can only read a decision that may have been taken by then.
"""

from __future__ import annotations

import difflib
from typing import Any

from .live import placeholder_refs
from .nodes import Ref
from .syntax import ConditionError, parse_condition

__all__ = ["check_inject_conditions"]

Path = tuple[Any, ...]


def check_inject_conditions(scenario: Any) -> list[tuple[Path, str]]:
    """Problems with the injects' `when`, `unless`, `otherwise` and live values, as (path, message)."""
    known = {"zone": [z.id for z in scenario.venue.zones],
             "opening": [o.id for o in scenario.venue.openings]}
    injects = scenario.injects
    problems: list[tuple[Path, str]] = []
    for i, inject in enumerate(injects):
        at: Path = ("injects", i)
        if inject.otherwise is not None and inject.when is None:
            problems.append(((*at, "otherwise"),
                             "an alternative is delivered when 'when' fails; give 'when'"))
        for field in ("when", "unless"):
            text = getattr(inject, field)
            if text is None:
                continue
            try:
                refs = parse_condition(text).refs()
            except ConditionError as exc:
                problems.append(((*at, field), str(exc)))
                continue
            problems += [((*at, field), message) for message in _check_refs(refs, known, injects, i)]
        texts: list[tuple[Path, str]] = [((*at, "message"), inject.message)]
        texts += [((*at, "questions", k), q) for k, q in enumerate(inject.questions)]
        if inject.otherwise is not None:
            texts.append(((*at, "otherwise", "message"), inject.otherwise.message))
            texts += [((*at, "otherwise", "questions", k), q)
                      for k, q in enumerate(inject.otherwise.questions or ())]
        for path, text in texts:
            try:
                refs = placeholder_refs(text)
            except ConditionError as exc:
                problems.append((path, str(exc)))
                continue
            problems += [(path, message) for message in _check_refs(refs, known, injects, len(injects))]
    return problems


def _check_refs(refs: list[Ref], known: dict[str, list[str]], injects, before: int) -> list[str]:
    messages = []
    for ref in refs:
        where = f"column {ref.column}: "
        if ref.kind in known and ref.ident not in known[ref.kind]:
            messages.append(where + f"unknown {ref.kind} '{ref.ident}'" + _hint(ref.ident, known[ref.kind]))
        elif ref.kind == "inject":
            message = _check_inject(ref.ident, injects, before)
            if message:
                messages.append(where + message)
        elif ref.kind == "option":
            options = _options(ref.of, injects)
            if options and ref.ident not in options:
                messages.append(where + f"{ref.of} has no option '{ref.ident}'" + _hint(ref.ident, options))
    return messages


def _check_inject(ident: str, injects, before: int) -> str | None:
    ids = [i.id for i in injects]
    if ident not in ids:
        return f"unknown inject '{ident}'" + _hint(ident, ids)
    index = ids.index(ident)
    if not _options(ident, injects):
        return f"inject {ident} asks for no decision"
    if index >= before:
        return f"inject {ident} comes at or after this one in the MSEL: its decision cannot be known yet"
    return None


def _options(ident: str | None, injects) -> list[str]:
    inject = next((i for i in injects if i.id == ident), None)
    if inject is None:
        return []
    decisions = [inject.decision, inject.otherwise.decision if inject.otherwise else None]
    return [o.id for d in decisions if d is not None for o in d.options]


def _hint(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"; did you mean '{close[0]}'?" if close else ""
