"""HSEEP MSEL import: each row of a spreadsheet saved as CSV becomes an inject mapping.

An exercise's Master Scenario Events List is usually kept in a spreadsheet with the HSEEP
template's columns (Event Number, Designated Scenario Time, Event Type, Inject Mode, From,
To, Message, Expected Player Action, Objective, Notes). Column names are matched ignoring
case, spacing and punctuation ("Control #", "inject no.", "Expected Action(s)"); see
`COLUMNS`. Columns that match nothing are kept in the notes as `Column name: value`, as are
Move / Group / Phase. Every unreadable cell is reported as a located problem,
`FILE:LINE:COLUMN: injects[3].at: message`, where LINE is the CSV line on which the record
starts (the header is line 1) and COLUMN the 1-based column.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from ..scenario.base import INJECT_ID_PATTERN
from ..scenario.errors import Problem, ScenarioError, format_path
from ..scenario.injects import Inject
from ..scenario.times import format_scenario_time
from .cells import quote_cell, read_list, read_text
from .columns import ALIASES, COLUMNS, KIND_WORDS, normalise
from .sheet import read_records
from .times import parse_msel_time

__all__ = ["MAX_INJECTS", "import_msel"]

MAX_INJECTS = 1000
"""Injects in one MSEL (the scenario format's limit)."""

_LIST_FIELDS = ("expected_actions", "questions")
_REQUIRED = {"at": "the time", "message": "the message", "to": "the recipient (To)"}


def import_msel(csv_path: str | os.PathLike, *, event_start: datetime | None = None) -> list[dict[str, Any]]:
    """Read an HSEEP MSEL saved as CSV; return one inject mapping per row, in sheet order.

    The mappings use the scenario file's keys (`from`, not `sender`), leave out fields at
    their defaults and write times as `T+hh:mm:ss` / `T-14d`; each validates as `Inject`.
    Ids are the event-number column as written (`10a`, `1.2`, `INJ-4`): an id is what
    controllers call the inject by, so it is never rewritten, and one that cannot be an id
    (`Inject 4`) is a located problem suggesting one that can. A row without an event number
    gets `I<line>`. `event_start` (the date and time of t = 0) is needed only for times
    written as times of day, days or dates.

    Raises ScenarioError listing every problem, each at `FILE:LINE:COLUMN`.
    """
    name = str(csv_path)
    rows = read_records(csv_path, name)
    header_index = _find_header(rows)
    if header_index is None:
        raise ScenarioError([Problem(name, 1, 1, "(file)", "no rows; expected a header row and injects")])
    header_line, header = rows[header_index]
    columns, extra = _map_columns(header)
    problems = [Problem(name, header_line, 1, "(header)",
                        f"no column for {label}; expected one of: {', '.join(COLUMNS[field])}")
                for field, label in _REQUIRED.items() if field not in columns]
    if problems:
        raise ScenarioError(problems)

    injects: list[dict[str, Any]] = []
    first_line: dict[str, int] = {}
    made_up: set[str] = set()
    index = -1
    for line, cells in rows[header_index + 1:]:
        if not any(c.strip() for c in cells):
            continue
        index += 1
        if index >= MAX_INJECTS:
            problems.append(Problem(name, line, 1, f"injects[{index}]",
                                    f"more than {MAX_INJECTS} injects; split the exercise"))
            break
        row = _Row(name, line, index, header, cells, columns)
        inject = row.inject(extra, event_start)
        problems.extend(row.problems)
        if inject is None:
            continue
        ident = inject["id"]
        if ident in first_line:
            problems.append(row.problem("id", _duplicate(ident, first_line[ident], ident in made_up,
                                                         not row.get("id"))))
            continue
        first_line[ident] = line
        if not row.get("id"):
            made_up.add(ident)
        injects.append(inject)
    if not injects and not problems:
        problems.append(Problem(name, header_line, 1, "(file)",
                                "no injects: no rows under the header (is this the right sheet?)"))
    if problems:
        raise ScenarioError(problems)
    return injects


def _find_header(rows: list[tuple[int, list[str]]]) -> int | None:
    """The first row naming two known columns (title rows above it are skipped), else the first."""
    filled = [i for i, (_, cells) in enumerate(rows) if any(c.strip() for c in cells)]
    for i in filled[:10]:
        if len({ALIASES[n][0] for c in rows[i][1] if (n := normalise(c)) in ALIASES}) >= 2:
            return i
    return filled[0] if filled else None


def _map_columns(header: list[str]) -> tuple[dict[str, int], list[int]]:
    """Field → 0-based column (the best-ranked match), and the other columns (for the notes)."""
    best: dict[str, tuple[int, int]] = {}
    for col, cell in enumerate(header):
        if (key := normalise(cell)) in ALIASES:
            field, rank = ALIASES[key]
            if field not in best or rank < best[field][0]:
                best[field] = (rank, col)
    columns = {field: col for field, (_, col) in best.items()}
    used = set(columns.values())
    return columns, [col for col in range(len(header)) if col not in used]


class _Row:
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
        return self.cell(self.columns.get(field))

    def label(self, col: int) -> str:
        title = self.header[col].strip() if col < len(self.header) else ""
        return re.sub(r"\s+", " ", title) or f"Column {col + 1}"

    def problem(self, field: str, message: str, sub: Iterable[str | int] = ()) -> Problem:
        column = self.columns.get({"delay_s": "at", "on": "at", "sender": "from"}.get(field, field), 0) + 1
        return Problem(self.file, self.line, column, format_path(("injects", self.index, field, *sub)),
                       message)

    def inject(self, extra: list[int], event_start: datetime | None) -> dict[str, Any] | None:
        data: dict[str, Any] = {"id": self._id()}
        try:
            data.update(parse_msel_time(self.get("at"), event_start))
        except ValueError as exc:
            self.problems.append(self.problem("at", str(exc)))
        notes = [self.get("notes")]
        if "move" in self.columns and (move := self.get("move")):
            notes.append(f"{self.label(self.columns['move'])}: {move}")
        if kind := self.get("kind"):
            data["kind"] = KIND_WORDS.get(normalise(kind))
            if data["kind"] is None:
                data["kind"] = "information"
                notes.append(f"{self.label(self.columns['kind'])}: {kind}")
        for field in ("from", "to", "channel", "message", "objective"):
            if value := self.get(field):
                data[field] = value
        for field in _LIST_FIELDS:
            col = self.columns.get(field)
            if col is not None and col < len(self.cells) and (items := read_list(self.cells[col])):
                data[field] = items
        for col in [*extra, *range(len(self.header), len(self.cells))]:
            if col < len(self.cells) and (value := self.cell(col)):
                notes.append(f"{self.label(col)}: {value}")
        if note_text := "\n".join(n for n in notes if n):
            data["notes"] = note_text
        if self.problems:
            return None
        try:
            inject = Inject.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                first, *sub = error["loc"] or ("at",)
                self.problems.append(self.problem(str(first), _message(error, str(first)), sub))
            return None
        return _as_mapping(inject)

    def _id(self) -> str:
        """The event number as written, or `I<line>` when there is none."""
        ident = self.get("id")
        if not ident:
            return f"I{self.line}"
        if not re.fullmatch(INJECT_ID_PATTERN, ident):
            self.problems.append(self.problem("id", _bad_id(ident)))
        return ident


def _duplicate(ident: str, first: int, first_made_up: bool, made_up: bool) -> str:
    """Why an id is used twice, saying which of the two rows had no event number."""
    if made_up:
        return (f"this row has no event number, and the id it would get, '{ident}', is used on line "
                f"{first}; give it an event number")
    if first_made_up:
        return f"duplicate id '{ident}' (given on line {first} to a row without an event number)"
    return f"duplicate id '{ident}' (first used on line {first})"


def _message(error: Mapping[str, Any], field: str) -> str:
    if error["type"] == "missing":
        return f"empty; every inject needs {_REQUIRED.get(field, field)}"
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
