"""Decision files: a run's (time, action) list, validated like scenarios (docs/model.md, actions).

A decisions file is YAML or JSON: a list of flat items, each a time `t` and an action,

    - {t: 120, action: open_openings, ids: [ex_1]}
    - {t: "T+00:04:00", action: announce, quality: clear}

`t` is seconds from the start of the run, or a scenario time such as `T+04:00`,
`T+1:02:03`, `T+45m` or `T+2h` (`parse_scenario_time`). Every problem is reported, one
per line, as `FILE:LINE:COL: [3].ids[0]: message`; given the scenario, the zones and
openings the actions name must exist, every time must lie before the horizon, and actions
that belong before the event (raise_posture, ...) or during it (order_evacuation, ...) must
come then.
"""

from __future__ import annotations

import difflib
import os
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from pydantic import TypeAdapter, ValidationError

from .actions import ACTION_NAMES, Action
from .dispatch import check_action, only_before, only_during
from .scenario.base import StrictModel
from .scenario.errors import Problem, ScenarioError, format_path, quote
from .scenario.loader import SourceDocument, data_path, error_message, read_document
from .scenario.merge import Path
from .scenario.times import parse_scenario_time

if TYPE_CHECKING:
    from .scenario import Scenario

__all__ = ["Decision", "DecisionsFile", "check_decisions", "load_decisions", "load_decisions_file",
           "parse_decisions", "parse_scenario_time"]

EXPECTED_ROOT = "a list of decisions ({t, action, ...}), or a mapping with decisions:"

Provenance = Literal["players", "default", "facilitator"]
"""Who took a decision in a session: the players, the deadline (its default), or the facilitator."""

PROVENANCE_FIELDS = ("inject", "option", "by", "delivered")
"""Item fields that say where a decision came from, beside its time and action."""

_BY = ("players", "default", "facilitator")

EARLIEST_S = 365 * 86400.0
"""Decisions may come up to a year before the event (the weeks of warnings are at t < 0)."""

def _names(types: list[type[StrictModel]]) -> tuple[str, ...]:
    """The `action` tags of these types, in ACTION_NAMES order."""
    tags = {typing.get_args(t.model_fields["action"].annotation)[0] for t in types}
    return tuple(name for name in ACTION_NAMES if name in tags)


BEFORE_EVENT = _names(only_before())
"""Actions that only make sense before the event starts (dispatch.py's tables say which)."""

DURING_EVENT = _names(only_during())
"""Actions that only make sense once the event has started."""

_ACTION = TypeAdapter(Action)


@dataclass(frozen=True)
class Decision:
    """One action applied at a simulation time (seconds from the start of the run)."""

    t: float
    action: Action
    inject: str | None = None
    """The inject whose decision this was (a session's export), or None for a decision of its own."""
    option: str | None = None
    """The inject's option that called for this action."""
    by: Provenance | None = None
    """Who decided: the players, the deadline's default, or the facilitator's own action."""
    due_s: float | None = None
    """When the inject was delivered in the session: a guard on its condition is asked then."""
    source: Problem | None = field(default=None, compare=False, repr=False)
    """Where the decision is in its file (with an empty message), when it was read from one."""

    def problem(self, message: str) -> Problem:
        """`message` located at this decision in its file (line 1 of `<decisions>` if built in code)."""
        if self.source is None:
            return Problem("<decisions>", 1, 1, "(decision)", message)
        return replace(self.source, message=message)

    def to_dict(self) -> dict[str, Any]:
        """The flat form of a decisions file: `{"t": 120.0, "action": "open_openings", "ids": [...]}`.

        Provenance (`inject`, `option`, `by`, `delivered`) follows the action, where known.
        """
        out = {"t": self.t, **self.action.model_dump(mode="json", exclude_none=True)}
        known = {"inject": self.inject, "option": self.option, "by": self.by, "delivered": self.due_s}
        return out | {key: value for key, value in known.items() if value is not None}


def load_decisions(path: str | os.PathLike, scenario: Scenario | None = None) -> list[Decision]:
    """Read and validate a decisions file, sorted by time (stable).

    With `scenario` (the variant that will run, protocol applied), the zones and openings
    named must exist in its venue, every time must be before the horizon, and actions that
    belong before (or after) t = 0 must come then. Raises ScenarioError listing every
    problem, each located in the file.
    """
    return load_decisions_file(path, scenario).decisions


@dataclass(frozen=True)
class DecisionsFile:
    """A decisions file: its decisions and, in the mapping form, the session they came from."""

    decisions: list[Decision]
    """Sorted by time (stable)."""
    scenario: str | None = None
    """The scenario's name, as the session's journal gives it."""
    scenario_sha256: str | None = None
    """The SHA-256 of the scenario's text the decisions were taken on."""
    protocol: str | None = None
    """The protocol the session played."""
    seed: int | None = None
    """The session's seed: the run with this seed gives the session's own result."""


def load_decisions_file(path: str | os.PathLike, scenario: Scenario | None = None) -> DecisionsFile:
    """Read a decisions file in either form: a list of decisions, or a mapping with `decisions:`.

    The mapping form (what `ttxsim journal decisions` writes) adds where they came from:
    `scenario`, `scenario_sha256`, `protocol` and `seed`, all optional. Raises ScenarioError
    listing every problem, located in the file.
    """
    doc = read_document(path, root=object, expected=EXPECTED_ROOT,
                        empty=f"the file is empty; expected {EXPECTED_ROOT}")
    if not isinstance(doc.data, dict):
        return DecisionsFile(parse_decisions(doc.data, doc, scenario=scenario))
    data = doc.data
    if "decisions" not in data:  # one decision written without its list, most likely
        raise ScenarioError([doc.problem((), f"expected {EXPECTED_ROOT}, found a mapping without decisions")])
    problems = [doc.problem((key,), f"unknown field; a decisions file takes: {', '.join(_FILE_FIELDS)}",
                            at_key=True) for key in data if key not in _FILE_FIELDS]
    meta: dict[str, Any] = {}
    for key in ("scenario", "scenario_sha256", "protocol"):
        if key in data and not isinstance(data[key], str):
            problems.append(doc.problem((key,), f"expected text, found {_kind(data[key])}"))
        elif key in data:
            meta[key] = data[key]
    if "seed" in data:
        if isinstance(data["seed"], int) and not isinstance(data["seed"], bool) and data["seed"] >= 0:
            meta["seed"] = data["seed"]
        else:
            problems.append(doc.problem(("seed",), f"expected an integer ≥ 0, found {quote(data['seed'])}"))
    decisions: list[Decision] = []
    try:
        decisions = parse_decisions(data["decisions"], doc, scenario=scenario, prefix=("decisions",))
    except ScenarioError as exc:
        problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)
    return DecisionsFile(decisions, **meta)


_FILE_FIELDS = ("scenario", "scenario_sha256", "protocol", "seed", "decisions")


def parse_decisions(data: Any, doc: SourceDocument, *, scenario: Scenario | None = None,
                    prefix: Path = ()) -> list[Decision]:
    """Validate decisions already read into `doc`, at `prefix` in it (the root for a file).

    Raises ScenarioError with every problem; returns the decisions sorted by time (stable).
    """
    problems: list[Problem] = []
    if not isinstance(data, list):
        raise ScenarioError([doc.problem(prefix, f"expected {EXPECTED_ROOT}, found {_kind(data)}")])
    decisions: list[Decision] = []
    for i, item in enumerate(data):
        decision = _parse_item(item, doc, (*prefix, i), problems)
        if decision is not None:
            decisions.append(decision)
            if scenario is not None:  # checked where it stands in the file
                problems.extend(check_decisions([decision], scenario, doc, prefix=prefix, first=i))
    if problems:
        raise ScenarioError(problems)
    return sorted(decisions, key=lambda d: d.t)


def check_decisions(decisions: Iterable[Decision], scenario: Scenario, doc: SourceDocument | None = None,
                    *, prefix: Path = (), first: int = 0) -> list[Problem]:
    """Problems of decisions against a scenario: times out of place, unknown or unfit arguments.

    Each action is judged by `dispatch.check_action`, from the tables that will apply it:
    zones, openings, lockable zones, posture levels and agencies must exist in `scenario`.

    The problems are located in `doc` at `prefix[first]`, `prefix[first + 1]`, ..., so pass
    the decisions in the file's order (before sorting); without `doc` they are located at
    line 1 of `<decisions>`.
    """
    horizon = scenario.meta.horizon_s
    problems: list[Problem] = []

    def problem(path: Path, message: str) -> None:
        if doc is None:
            problems.append(Problem("<decisions>", 1, 1, format_path(path), message))
        else:
            problems.append(doc.problem(path, message))

    for i, decision in enumerate(decisions, start=first):
        at = (*prefix, i)
        if decision.t > horizon:
            problem((*at, "t"), f"{_seconds(decision.t)} is after the horizon, {_seconds(horizon)}")
            continue
        for path, message in check_action(decision.action, decision.t, scenario):
            problem((*at, *path), message)
    return problems


# -- one item -------------------------------------------------------------------------------

def _parse_item(item: Any, doc: SourceDocument, at: Path, problems: list[Problem]) -> Decision | None:
    if not isinstance(item, dict):
        problems.append(doc.problem(at, f"expected a mapping with t and action, found {_kind(item)}"))
        return None
    found = len(problems)
    t: float | None = None
    if "t" not in item:
        problems.append(doc.problem((*at, "t"), "required field is missing"))
    else:
        try:
            t = parse_scenario_time(item["t"])
        except ValueError as exc:
            problems.append(doc.problem((*at, "t"), str(exc)))
        if t is not None and t < -EARLIEST_S:
            message = f"must be within a year before the event (got {_seconds(t)})"
            problems.append(doc.problem((*at, "t"), message))
            t = None
    name = item.get("action")
    if "action" not in item:
        problems.append(doc.problem((*at, "action"), "required field is missing; expected one of: "
                                    + ", ".join(ACTION_NAMES)))
        return None
    if not isinstance(name, str) or name not in ACTION_NAMES:
        close = difflib.get_close_matches(str(name), ACTION_NAMES, n=1) if isinstance(name, str) else []
        hint = f"did you mean '{close[0]}'?" if close else "expected one of: " + ", ".join(ACTION_NAMES)
        problems.append(doc.problem((*at, "action"), f"unknown action {quote(name)}; {hint}"))
        return None
    origin = _provenance(item, doc, at, problems)
    body = {k: v for k, v in item.items() if k != "t" and k not in PROVENANCE_FIELDS}
    try:
        action = _ACTION.validate_python(body)
    except ValidationError as exc:
        fields = ["t", *_MODEL_FIELDS[name], *PROVENANCE_FIELDS]
        located = [(error, *data_path(error, body)) for error in exc.errors()]
        hints = {path: _hint(path, fields) for error, path, _ in located
                 if error["type"] == "extra_forbidden"}
        misspelt = {(*path[:-1], hint) for path, hint in hints.items() if hint}
        for error, path, at_key in located:
            kind = error["type"]
            if kind == "missing" and path in misspelt:
                continue  # one mistake: "did you mean 'ids'?" says it
            if kind == "extra_forbidden":
                field_hint = hints[path]
                message = (f"unknown field; did you mean '{field_hint}'?" if field_hint
                           else f"unknown field; '{name}' takes: {', '.join(fields)}")
            else:
                message = error_message(error, path)
            problems.append(doc.problem((*at, *path), message, at_key=at_key))
        return None
    if len(problems) > found or t is None:
        return None
    return Decision(t, action, source=doc.problem(at, ""), **origin)


def _provenance(item: dict, doc: SourceDocument, at: Path, problems: list[Problem]) -> dict[str, Any]:
    """The item's `inject`, `option`, `by` and `delivered`, checked (each may be absent)."""
    out: dict[str, Any] = {}
    for key in ("inject", "option"):
        if key in item:
            if isinstance(item[key], str) and item[key].strip():
                out[key] = item[key]
            else:
                problems.append(doc.problem((*at, key), f"expected an id, found {_kind(item[key])}"))
    if "by" in item:
        if item["by"] in _BY:
            out["by"] = item["by"]
        else:
            problems.append(doc.problem((*at, "by"), f"expected one of: {', '.join(_BY)}, found "
                                        f"{quote(item['by'])}"))
    if "delivered" in item:
        try:
            out["due_s"] = parse_scenario_time(item["delivered"])
        except ValueError as exc:
            problems.append(doc.problem((*at, "delivered"), str(exc)))
    if "due_s" in out and "inject" not in out:
        problems.append(doc.problem((*at, "delivered"), "says when an inject was delivered: give its inject"))
    return out


def _model_fields() -> dict[str, list[str]]:
    """The fields of each action model (besides `action`), by action name."""
    union = typing.get_args(Action)[0]
    out = {}
    for model in typing.get_args(union):
        tag = typing.get_args(model.model_fields["action"].annotation)[0]
        out[tag] = [f for f in model.model_fields if f != "action"]
    return out


_MODEL_FIELDS = _model_fields()


def _hint(path: Path, fields: list[str]) -> str | None:
    if len(path) != 1:
        return None
    close = difflib.get_close_matches(str(path[0]), fields, n=1)
    return close[0] if close else None


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _kind(value: Any) -> str:
    return {list: "a list", dict: "a mapping", str: "text", type(None): "nothing",
            bool: "a boolean"}.get(type(value), type(value).__name__)
