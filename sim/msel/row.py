"""One record of an MSEL sheet read as an inject: every cell, the decision and the alternative.

A problem is located at the cell it comes from, `FILE:LINE:COLUMN`, and names that column as
the sheet's header writes it, so that a trainer finds the cell without counting columns:
`msel.csv:7:17: injects[4].decision.default: column "Default": ...`. `column_key` says which
column a field of an inject is written in; the `--into` import uses it too, to point a
problem that the whole scenario's check finds back at the sheet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from ..scenario.base import INJECT_ID_PATTERN
from ..scenario.errors import Problem, format_path
from ..scenario.injects import Inject
from ..scenario.times import format_scenario_time
from .cells import quote_cell, read_list, read_text
from .columns import ALTERNATIVE_FIELDS, EXPORT_NAMES, KIND_WORDS, normalise
from .decision_cells import CellError, read_option_actions, read_options
from .times import parse_msel_duration, parse_msel_time

__all__ = ["NONE_CELL", "Row", "column_key"]

NONE_CELL = "(none)"
"""In an `Otherwise ...` column: the alternative has this field, empty (an empty cell means it
takes the inject's own)."""

_LIST_FIELDS = ("expected_actions", "questions")
_TEXT_FIELDS = ("from", "to", "channel", "message", "objective")
_REQUIRED = {"at": "the time", "message": "the message", "to": "the recipient (To)",
             "decision.prompt": "its question (Decision) when it has options",
             "decision.options": "its options (Options), at least two",
             "decision.default": "the option applied at the deadline (Default)"}
_DECISION_PARTS = {"prompt": "decision", "default": "default", "deadline_s": "deadline"}


def column_key(path: Iterable[str | int]) -> str:
    """The column (a key of `COLUMNS`) that holds an inject's field: `("decision", "default")` → `default`."""
    parts = list(path)
    prefix = ""
    if parts[:1] == ["otherwise"]:
        prefix, parts = "otherwise_", parts[1:]
        if not parts:
            return "otherwise_message"
    head = str(parts[0]) if parts else "at"
    if head != "decision":
        return prefix + {"sender": "from", "on": "at", "delay_s": "at"}.get(head, head)
    sub = str(parts[1]) if len(parts) > 1 else "prompt"
    if sub == "options":
        return prefix + ("option_actions" if "actions" in parts[2:] else "options")
    return prefix + _DECISION_PARTS.get(sub, "decision")


class Row:
    """One record of the sheet being turned into an inject, collecting its problems."""

    def __init__(self, file: str, line: int, index: int, header: list[str], cells: list[str],
                 columns: dict[str, int]):
        self.file, self.line, self.index = file, line, index
        self.header, self.cells, self.columns = header, cells, columns
        self.problems: list[Problem] = []

    def cell(self, col: int | None) -> str:
        """The text of a cell (see `read_text`); "" past the end of a short row."""
        if col is None or col >= len(self.cells):
            return ""
        return read_text(self.cells[col])

    def get(self, field: str) -> str:
        """The text in the column of `field` (a key of `COLUMNS`); "" if the sheet has none."""
        return self.cell(self.columns.get(field))

    def label(self, col: int) -> str:
        """A column's name as the header writes it."""
        title = self.header[col].strip() if col < len(self.header) else ""
        return re.sub(r"\s+", " ", title) or f"Column {col + 1}"

    def problem(self, path: Iterable[str | int], message: str) -> Problem:
        """A problem with the inject's field at `path`, located at its cell and naming the column."""
        path = tuple(path)
        key = column_key(path)
        col = self.columns.get(key)
        name = self.label(col) if col is not None else EXPORT_NAMES.get(key, key)
        return Problem(self.file, self.line, (col or 0) + 1, format_path(("injects", self.index, *path)),
                       f'column "{name}": {message}')

    def inject(self, extra: list[int], event_start: datetime | None) -> dict[str, Any] | None:
        """The record as an inject mapping (the scenario file's keys), or None if it has problems."""
        data: dict[str, Any] = {"id": self._id()}
        try:
            data.update(parse_msel_time(self.get("at"), event_start))
        except ValueError as exc:
            self.problems.append(self.problem(["at"], str(exc)))
        notes = [self.get("notes")]
        if "move" in self.columns and (move := self.get("move")):
            notes.append(f"{self.label(self.columns['move'])}: {move}")
        if kind := self.get("kind"):
            data["kind"] = KIND_WORDS.get(normalise(kind))
            if data["kind"] is None:
                data["kind"] = "information"
                notes.append(f"{self.label(self.columns['kind'])}: {kind}")
        for field in (*_TEXT_FIELDS, "when", "unless"):
            if value := self.get(field):
                data[field] = value
        for field in _LIST_FIELDS:
            if items := self._list(field):
                data[field] = items
        for col in [*extra, *range(len(self.header), len(self.cells))]:
            if col < len(self.cells) and (value := self.cell(col)):
                notes.append(f"{self.label(col)}: {value}")
        if note_text := "\n".join(n for n in notes if n):
            data["notes"] = note_text
        if (decision := self._decision("")) is not None:
            data["decision"] = decision
        if (alternative := self._alternative()) is not None:
            data["otherwise"] = alternative
        if self.problems:
            return None
        try:
            inject = Inject.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                loc = error["loc"] or ("at",)
                self.problems.append(self.problem(loc, _message(error, loc)))
            return None
        return _as_mapping(inject)

    def _list(self, field: str) -> list[str]:
        col = self.columns.get(field)
        return read_list(self.cells[col]) if col is not None and col < len(self.cells) else []

    def _decision(self, prefix: str) -> dict[str, Any] | None:
        """The decision of the inject (`prefix` "") or its alternative's ("otherwise_"), if a cell has one."""
        keys = [prefix + k for k in ("decision", "options", "option_actions", "default", "deadline")]
        if not any(self.get(k) for k in keys):
            return None
        at = ("otherwise", "decision") if prefix else ("decision",)
        decision: dict[str, Any] = {}
        if prompt := self.get(keys[0]):
            decision["prompt"] = prompt
        try:
            options: list[dict[str, Any]] = read_options(self.get(keys[1]))
        except CellError as exc:
            self.problems.append(self.problem((*at, "options", exc.option or 0), str(exc)))
            return None
        if options:
            decision["options"] = options
        ids = [o["id"] for o in options]
        if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
            self.problems.append(self.problem((*at, "options"), f"option ids must be unique: "
                                              f"{', '.join(duplicates)} used twice"))
        try:
            actions = read_option_actions(self.get(keys[2]), ids)
        except CellError as exc:
            where = (*at, "options", *(() if exc.option is None else (exc.option,)), "actions")
            self.problems.append(self.problem(where, str(exc)))
            return None
        for option in options:
            option["actions"] = actions.get(option["id"], [])
        if default := self.get(keys[3]):
            decision["default"] = default
            if options and default not in ids:
                self.problems.append(self.problem((*at, "default"), f"{quote_cell(default)} is not one of "
                                                  f"the options: {', '.join(ids)}"))
        if deadline := self.get(keys[4]):
            try:
                decision["deadline_s"] = parse_msel_duration(deadline)
            except ValueError as exc:
                self.problems.append(self.problem((*at, "deadline_s"), str(exc)))
        return decision

    def _alternative(self) -> dict[str, Any] | None:
        """The alternative (`otherwise:`) from the `Otherwise ...` columns, if any is filled in."""
        alternative: dict[str, Any] = {}
        for field in ALTERNATIVE_FIELDS:
            key = f"otherwise_{field}"
            if field in _LIST_FIELDS:
                text = self.get(key)
                value: Any = [] if text == NONE_CELL else self._list(key)
            elif field in ("decision", "options", "option_actions", "default", "deadline"):
                continue
            else:
                text = self.get(key)
                value = "" if text == NONE_CELL else text
                if field == "kind" and text and text != NONE_CELL:
                    value = KIND_WORDS.get(normalise(text), text)
            if value or self.get(key) == NONE_CELL:
                alternative[field] = value
        if (decision := self._decision("otherwise_")) is not None:
            alternative["decision"] = decision
        return alternative or None

    def _id(self) -> str:
        """The event number as written, or `I<line>` when there is none."""
        ident = self.get("id")
        if not ident:
            return f"I{self.line}"
        if not re.fullmatch(INJECT_ID_PATTERN, ident):
            self.problems.append(self.problem(["id"], _bad_id(ident)))
        return ident


def _message(error: Mapping[str, Any], loc: tuple) -> str:
    if error["type"] == "missing":
        field = ".".join(str(p) for p in loc if p != "otherwise" and not isinstance(p, int))
        whose = "decision" if "decision" in loc else "alternative" if loc[0] == "otherwise" else "inject"
        return f"empty; every {whose} needs {_REQUIRED.get(field, field)}"
    return str(error["msg"]).removeprefix("Value error, ")


def _bad_id(ident: str) -> str:
    """The message for an event number that cannot be an inject id, with one that can."""
    message = (f"invalid id {quote_cell(ident)}: an inject id is a letter or digit, then up to 63 letters, "
               "digits, '_', '.' or '-'")
    suggestion = re.sub(r"[^A-Za-z0-9_.\-]+", "_", ident).strip("_.-")[:64]
    if suggestion:
        message += f"; write e.g. '{suggestion}'"
    return message


def _as_mapping(inject: Inject) -> dict[str, Any]:
    """The scenario file's form of an inject: aliases, defaults left out, times as `T±...`."""
    data = inject.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    if inject.at is not None:
        data["at"] = format_scenario_time(inject.at)
    return data
