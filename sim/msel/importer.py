"""HSEEP MSEL import: each row of a spreadsheet saved as CSV becomes an inject mapping.

An exercise's Master Scenario Events List is usually kept in a spreadsheet with the HSEEP
template's columns (Event Number, Designated Scenario Time, Event Type, Inject Mode, From,
To, Message, Expected Player Action, Objective, Notes), and ttxsim's own columns for what
the template has no place for: conditions (When, Unless), the decision (Decision, Options,
Option Actions, Default, Deadline) and the alternative (Otherwise Message, ...). Column
names are matched ignoring case, spacing and punctuation ("Control #", "inject no.",
"Expected Action(s)"); see `COLUMNS`. Only columns that match nothing are kept in the notes,
as `Column name: value`, as are Move / Group / Phase. Every unreadable cell is reported as a
located problem, `FILE:LINE:COLUMN: injects[3].at: column "Time": message`, where LINE is the
CSV line on which the record starts (the header is line 1) and COLUMN the 1-based column.
This module reads the sheet as a whole (header, ids); `row` reads each record.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..scenario.errors import Problem, ScenarioError
from .columns import ALIASES, COLUMNS, normalise
from .row import Row
from .sheet import read_records

__all__ = ["MAX_INJECTS", "ImportedSheet", "import_msel", "read_msel"]

MAX_INJECTS = 1000
"""Injects in one MSEL (the scenario format's limit)."""

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

    Raises ScenarioError listing every problem, each at `FILE:LINE:COLUMN` and naming the column.
    """
    return read_msel(csv_path, event_start=event_start).injects


@dataclass(frozen=True)
class ImportedSheet:
    """The injects of a sheet, and where each was written: to point a later problem at its cell."""

    injects: list[dict[str, Any]]
    """As `import_msel` returns them."""
    rows: list[Row]
    """The record of each inject, in the same order."""

    def problem(self, index: int, path: tuple[str | int, ...], message: str) -> Problem:
        """A problem with field `path` of inject `index`, at its cell in the sheet."""
        return self.rows[index].problem(path, message)


def read_msel(csv_path: str | os.PathLike, *, event_start: datetime | None = None) -> ImportedSheet:
    """`import_msel` with each inject's record, for problems found later (`ImportedSheet.problem`).

    Raises ScenarioError listing every problem, each at `FILE:LINE:COLUMN` and naming the column.
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
    records: list[Row] = []
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
        row = Row(name, line, index, header, cells, columns)
        inject = row.inject(extra, event_start)
        problems.extend(row.problems)
        if inject is None:
            continue
        ident = inject["id"]
        if ident in first_line:
            problems.append(row.problem(["id"], _duplicate(ident, first_line[ident], ident in made_up,
                                                         not row.get("id"))))
            continue
        first_line[ident] = line
        if not row.get("id"):
            made_up.add(ident)
        injects.append(inject)
        records.append(row)
    if not injects and not problems:
        problems.append(Problem(name, header_line, 1, "(file)",
                                "no injects: no rows under the header (is this the right sheet?)"))
    if problems:
        raise ScenarioError(problems)
    return ImportedSheet(injects, records)


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


def _duplicate(ident: str, first: int, first_made_up: bool, made_up: bool) -> str:
    """Why an id is used twice, saying which of the two rows had no event number."""
    if made_up:
        return (f"this row has no event number, and the id it would get, '{ident}', is used on line "
                f"{first}; give it an event number")
    if first_made_up:
        return f"duplicate id '{ident}' (given on line {first} to a row without an event number)"
    return f"duplicate id '{ident}' (first used on line {first})"
