"""HSEEP MSEL spreadsheets: import a CSV export as injects, export injects as a CSV.

An exercise's Master Scenario Events List is usually kept in a spreadsheet with the HSEEP
template's columns (Event Number, Designated Scenario Time, Event Type, Inject Mode, From,
To, Message, Expected Player Action, Objective, Notes). `import_msel` reads such a sheet
saved as CSV (comma, semicolon or tab separated; UTF-8 with or without Excel's byte-order
mark, UTF-16 "Unicode text", or Windows-1252) and returns inject mappings that validate as
`ttxsim.sim.scenario.injects.Inject`; `export_msel` writes injects back in those columns.

Column names are matched ignoring case, spacing and punctuation ("Control #", "inject no.",
"Expected Action(s)"); see `COLUMNS`. Columns that match nothing are kept in the notes as
`Column name: value`, as are Move / Group / Phase. Every unreadable cell is reported as a
located problem, `FILE:LINE:COLUMN: injects[3].at: message`, where LINE is the CSV line on
which the record starts (the header is line 1) and COLUMN the 1-based column.

Times (see `parse_msel_time`) become seconds relative to the event start (t = 0):
`T+00:04:00`, `T-14d`, `+ 00:09:00`, elapsed `00:04:00` or `0:04` (hours:minutes),
`45m`, `Day 0 19:55`, `D-1 10:00`, `2024-03-22 19:55`, `22/03/2024 19:55`,
`3/22/2024 7:55 PM`, and `on first_detection` or `on first_detection + 00:02:00`.
Days and dates need the event start (its date and time of day).
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .scenario.errors import Problem, ScenarioError, format_path
from .scenario.injects import TRIGGERS, Inject
from .scenario.limits import MAX_FILE_BYTES
from .scenario.times import format_scenario_time, parse_scenario_time

__all__ = [
    "COLUMNS",
    "EXPORT_COLUMNS",
    "MSEL_TIME_FORMS",
    "dump_injects_yaml",
    "export_msel",
    "import_msel",
    "parse_msel_time",
    "write_atomically",
]

MAX_INJECTS = 1000
"""Injects in one MSEL (the scenario format's limit)."""

MSEL_TIME_FORMS = ("T+00:04:00, T-14d, +00:04:00, 00:04:00 or 0:04 (elapsed h:mm), 45m, Day 0 19:55, "
                   "D-1 10:00, 2024-03-22 19:55, 22/03/2024 19:55, 3/22/2024 7:55 PM, "
                   "on first_detection + 00:02:00")
"""The accepted forms of an MSEL time, for messages."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("Event Number", "Event No", "Event #", "Event ID", "Inject Number", "Inject #", "Inject ID",
           "Control Number", "Control #", "MSEL Number", "MSEL #", "ID"),
    "at": ("Designated Scenario Time", "Scenario Time", "Time", "Delivery Time", "Inject Time",
           "Event Time"),
    "kind": ("Event Type", "Inject Type", "Type"),
    "channel": ("Inject Mode", "Mode", "Method", "Delivery Method", "Inject Method", "Channel"),
    "from": ("From", "Sender", "Simulated Sender", "Originator"),
    "to": ("To", "Recipient", "Recipients", "Recipient(s)", "Player", "Players", "Intended Player"),
    "message": ("Message", "Inject Description", "Inject", "Event Description", "Description",
                "Inject Text", "Message Text"),
    "expected_actions": ("Expected Participant Response", "Expected Player Action",
                         "Expected Player Actions", "Expected Action(s)", "Expected Actions",
                         "Expected Action", "Expected Response", "Expected Player Response"),
    "objective": ("Exercise Objective", "Objective", "Objectives", "Core Capability",
                  "Objective/Core Capability", "Core Capabilities"),
    "notes": ("Notes", "Controller Notes", "Remarks", "Note"),
    "move": ("Move", "Group", "Phase", "Module"),
    "questions": ("Discussion Questions", "Discussion Question", "Questions", "Key Issues",
                  "Key Questions"),
}
"""Inject field → the column names that hold it, most specific first. When two columns of a
sheet match the same field, the earlier name here wins and the other goes to the notes.
`move` is not an inject field: its value is kept in the notes as `Move: ...`."""

EXPORT_COLUMNS = ("Event Number", "Designated Scenario Time", "Event Type", "Inject Mode", "From", "To",
                  "Message", "Expected Participant Response", "Exercise Objective",
                  "Discussion Questions", "Notes")
"""The columns `export_msel` writes, in order."""

_KIND_WORDS = {
    "contextual": "contextual", "context": "contextual",
    "expected action": "expected_action", "expected player action": "expected_action",
    "expected participant response": "expected_action", "action": "expected_action",
    "decision": "decision", "decision point": "decision",
    "information": "information", "informational": "information", "info": "information",
    "contingency": "contingency", "contingency inject": "contingency",
}
_KIND_LABELS = {"contextual": "Contextual", "expected_action": "Expected Action", "decision": "Decision",
                "information": "Information", "contingency": "Contingency"}
_LIST_FIELDS = ("expected_actions", "questions")
_REQUIRED = {"at": "the time", "message": "the message", "to": "the recipient (To)"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _normalise(name: str) -> str:
    """`"Control #"` → `"control number"`, `" Expected Action(s) "` → `"expected action s"`."""
    words = re.sub(r"[^a-z0-9]+", " ", name.lower().replace("#", " number ")).split()
    return " ".join("number" if w in ("no", "nr", "num", "nbr") else w for w in words)


_ALIASES: dict[str, tuple[str, int]] = {}
for _field, _names in COLUMNS.items():
    for _rank, _name in enumerate(_names):
        _ALIASES.setdefault(_normalise(_name), (_field, _rank))


# --- times -------------------------------------------------------------------------------

_CLOCK = r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}(?:\.\d+)?))?(?:\s*(?P<ampm>[ap])\.?m\.?)?"
_TZ = r"(?:\s*(?P<tz>Z|[+-]\d{2}:?\d{2}))?"
_ON = re.compile(r"on(?::\s*|\s+)(?P<event>[a-z_][a-z0-9_]*)(?:\s*(?P<sign>[+-])\s*(?P<delay>\S.*))?", re.I)
_T_ZERO = re.compile(r"T\s*[+-]?\s*0+(?::0+)*", re.I)
_T_FORM = re.compile(r"T\s*(?P<sign>[+-])\s*(?P<rest>\S.*)", re.I)
_SIGNED = re.compile(r"(?P<sign>[+-])\s*(?P<rest>\d.*)")
_ELAPSED_CLOCK = re.compile(r"(?P<h>\d+):(?P<m>\d{2})(?::(?P<s>\d{2}(?:\.\d+)?))?")
_ELAPSED_UNITS = re.compile(r"(?:\d+(?:\.\d+)?\s*[dhms]\s*)+", re.I)
_DAY = re.compile(r"(?:day|d)\s*(?P<n>[+-]?\s*\d{1,3})\s*(?:,\s*|\s+)" + _CLOCK, re.I)
_DATE_YMD = r"(?P<y>\d{4})[-/.](?P<a>\d{1,2})[-/.](?P<b>\d{1,2})"
_DATE_XXY = r"(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4}|\d{2})"
_SEP = r"(?:\s*T\s*|\s*,\s*|\s+)"
_DATETIME_YMD = re.compile(_DATE_YMD + _SEP + _CLOCK + _TZ, re.I)
_DATETIME_XXY = re.compile(_DATE_XXY + _SEP + _CLOCK + _TZ, re.I)
_DATE_ONLY = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})")


def parse_msel_time(text: str, event_start: datetime | None = None) -> dict[str, Any]:
    """An MSEL time cell as inject fields: `{"at": seconds}` or `{"on": event, "delay_s": s}`.

    Accepted (spaces around signs allowed, `−` read as `-`):

    - `T+00:04:00`, `T+04:00`, `T-14d`, `T+45m`, `T+1h30m`: as `parse_scenario_time`;
      `T0` / `T+0` is 0;
    - `+00:09:00`, `+ 00:09:00`, `-00:05:00`, `+45m`: the same without the `T`;
    - `00:04:00`, `0:04`, `45m`, `1h30m`: elapsed since the start. Unsigned `H:MM` is hours
      and minutes, as spreadsheets show durations (with a `T` or a sign, `04:00` is mm:ss);
    - `Day 0 19:55`, `Day -14 09:00`, `D-1 10:00`, `Day 1 7:55 PM`: a time of day on a day
      counted from the event's date;
    - `2024-03-22 19:55[:ss]` (ISO, also with `T` and a UTC offset), `22/03/2024 19:55`,
      `3/22/2024 7:55 PM` (also with `.` or `-`): day-first when the first field is over 12,
      month-first when the second is; otherwise the order is ambiguous and an error;
    - `on first_detection`, `on first_detection + 00:02:00`: when a model event happens
      (see `TRIGGERS`), optionally that long after.

    Days and dates need `event_start`; a date without a UTC offset is taken in the event's
    time zone. Raises ValueError with a message for the user.
    """
    raw = text
    text = re.sub(r"\s+", " ", text.replace("\u2212", "-").replace("\u2013", "-")).strip()
    if not text:
        raise ValueError("empty; every inject needs a time (or `on EVENT`)")
    if match := _ON.fullmatch(text):
        event = match["event"].lower()
        if event not in TRIGGERS:
            raise ValueError(f"unknown event '{match['event']}'; expected one of: {', '.join(TRIGGERS)}")
        result: dict[str, Any] = {"on": event}
        if match["delay"] is not None:
            if match["sign"] == "-":
                raise ValueError("an `on` inject cannot come before its event; write `on EVENT + 00:02:00`")
            delay = _elapsed(match["delay"])
            if delay is None:
                raise ValueError(f"invalid delay {match['delay']!r}; write e.g. `on {event} + 00:02:00`")
            result["delay_s"] = delay
        return result
    if re.match(r"on\b", text, re.I):
        raise ValueError(f"invalid event trigger {raw.strip()!r}; write e.g. `on first_detection + 00:02:00`")
    if _T_ZERO.fullmatch(text):
        return {"at": 0.0}
    if (match := _T_FORM.fullmatch(text)) or (match := _SIGNED.fullmatch(text)):
        return {"at": parse_scenario_time(f"T{match['sign']}{match['rest'].replace(' ', '').lower()}")}
    if (seconds := _elapsed(text)) is not None:
        return {"at": seconds}
    if match := _DAY.fullmatch(text):
        start = _need_start(event_start, raw)
        day = start.date() + timedelta(days=int(match["n"].replace(" ", "")))
        return {"at": _seconds_between(datetime.combine(day, _time_of_day(match)), start)}
    for pattern, year_first in ((_DATETIME_YMD, True), (_DATETIME_XXY, False)):
        if match := pattern.fullmatch(text):
            start = _need_start(event_start, raw)
            moment = datetime.combine(_date(match, year_first), _time_of_day(match), _tzinfo(match["tz"]))
            return {"at": _seconds_between(moment, start)}
    if _DATE_ONLY.fullmatch(text):
        raise ValueError(f"{raw.strip()!r} has no time of day; write e.g. `2024-03-22 19:55`")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        raise ValueError(f"a bare number ({text}) is ambiguous; write T+00:04:00, 240s or 4m")
    if re.fullmatch(_CLOCK, text, re.I):
        raise ValueError(f"{raw.strip()!r} is a time of day without a day; write `Day 0 {text}` or a date")
    raise ValueError(f"invalid time {raw.strip()!r}; expected {MSEL_TIME_FORMS}")


def _elapsed(text: str) -> float | None:
    """`00:04:00` / `0:04` (h:mm) / `45m` / `1h30m` / `T+...` → seconds; None if not one of those."""
    text = text.strip()
    if match := _T_FORM.fullmatch(text):
        return parse_scenario_time(f"T{match['sign']}{match['rest'].replace(' ', '').lower()}")
    if match := _ELAPSED_CLOCK.fullmatch(text):
        minutes, seconds = int(match["m"]), float(match["s"] or 0)
        if minutes >= 60 or seconds >= 60:
            raise ValueError(f"invalid time {text!r}: minutes and seconds must be under 60")
        return int(match["h"]) * 3600 + minutes * 60 + seconds
    if _ELAPSED_UNITS.fullmatch(text):
        return parse_scenario_time("T+" + text.replace(" ", "").lower())
    return None


def _need_start(event_start: datetime | None, text: str) -> datetime:
    if event_start is None:
        raise ValueError(f"{text.strip()!r} needs the event start's date and time of day "
                         "(--start, or --scenario with meta.start_time)")
    return event_start


def _time_of_day(match: re.Match) -> time:
    hour, minute = int(match["h"]), int(match["m"])
    second = float(match["s"] or 0)
    if ampm := match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"invalid hour {hour} with AM/PM")
        hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
    if hour > 23 or minute > 59 or second >= 60:
        raise ValueError(f"invalid time of day {match['h']}:{match['m']}")
    whole = int(second)
    return time(hour, minute, whole, round((second - whole) * 1e6))


def _date(match: re.Match, year_first: bool) -> date:
    a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
    if len(match["y"]) == 2:
        year += 2000
    if year_first:
        month, day = a, b
    elif a > 12:
        day, month = a, b
    elif b > 12:
        month, day = a, b
    elif a == b:
        day = month = a
    else:
        raise ValueError(f"ambiguous date, use ISO YYYY-MM-DD ({match[0].split()[0]!r} could be "
                         "day/month or month/day)")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"invalid date: {exc}") from None


def _tzinfo(text: str | None) -> timezone | None:
    if not text:
        return None
    if text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _seconds_between(moment: datetime, start: datetime) -> float:
    """Seconds from `start` to `moment`; a naive one of the two is taken in the other's zone."""
    if (moment.tzinfo is None) != (start.tzinfo is None):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=start.tzinfo)
        else:
            start = start.replace(tzinfo=moment.tzinfo)
    if moment.tzinfo is not None:
        moment, start = moment.astimezone(UTC), start.astimezone(UTC)
    return (moment - start).total_seconds()


# --- import ------------------------------------------------------------------------------

def import_msel(csv_path: str | os.PathLike, *, event_start: datetime | None = None) -> list[dict[str, Any]]:
    """Read an HSEEP MSEL saved as CSV; return one inject mapping per row, in sheet order.

    The mappings use the scenario file's keys (`from`, not `sender`), leave out fields at
    their defaults and write times as `T+hh:mm:ss` / `T-14d`; each validates as `Inject`.
    Ids come from the event-number column, made valid (`1.2` → `I1.2`, `Inject 4` →
    `Inject_4`), or are `I<line>` when missing. `event_start` (the date and time of t = 0)
    is needed only for times written as days or dates.

    Raises ScenarioError listing every problem, each at `FILE:LINE:COLUMN`.
    """
    name = str(csv_path)
    text = _read_text(csv_path, name)
    rows = _records(text, name)
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
        if inject["id"] in first_line:
            first = first_line[inject["id"]]
            problems.append(row.problem("id", f"duplicate id '{inject['id']}' (first used on line {first})"))
            continue
        first_line[inject["id"]] = line
        injects.append(inject)
    if problems:
        raise ScenarioError(problems)
    return injects


def _read_text(path: str | os.PathLike, name: str) -> str:
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError([Problem(name, 1, 1, "(file)",
                                         f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")])
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ScenarioError([Problem(name, 1, 1, "(file)", exc.strerror or str(exc))]) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ScenarioError([Problem(name, 1, 1, "(file)", "not valid UTF-16 text")]) from None
    if b"\0" in data:
        raise ScenarioError([Problem(name, 1, 1, "(file)", "not a text file (it contains NUL bytes)")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # Excel's "CSV (Comma delimited)" on Windows
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError([Problem(name, line, 1, "(file)", "not UTF-8 (or Windows-1252) text")]) from None


def _sniff(text: str) -> str:
    """The delimiter among comma, semicolon and tab that gives the most regular table."""
    best, best_score = ",", None
    for delimiter in ",;\t":
        try:
            sample = itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 50)
            rows = [r for r in sample if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if not rows:
            continue
        width, count = Counter(len(r) for r in rows).most_common(1)[0]
        score = (width > 1, count / len(rows), width)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


def _records(text: str, name: str) -> list[tuple[int, list[str]]]:
    """Every record with the line it starts on; every cell line break becomes LF."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff(text))
    records = []
    line = 1
    try:
        for cells in reader:
            records.append((line, [c.replace("\r\n", "\n").replace("\r", "\n") for c in cells]))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ScenarioError([Problem(name, line, 1, "(csv)", str(exc))]) from None
    return records


def _find_header(rows: list[tuple[int, list[str]]]) -> int | None:
    """The first row naming two known columns (title rows above it are skipped), else the first."""
    filled = [i for i, (_, cells) in enumerate(rows) if any(c.strip() for c in cells)]
    for i in filled[:10]:
        if len({_ALIASES[n][0] for c in rows[i][1] if (n := _normalise(c)) in _ALIASES}) >= 2:
            return i
    return filled[0] if filled else None


def _map_columns(header: list[str]) -> tuple[dict[str, int], list[int]]:
    """Field → 0-based column (the best-ranked match), and the other columns (for the notes)."""
    best: dict[str, tuple[int, int]] = {}
    for col, cell in enumerate(header):
        if (key := _normalise(cell)) in _ALIASES:
            field, rank = _ALIASES[key]
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
        if col is None or col >= len(self.cells):
            return ""
        value = self.cells[col].strip()
        if value[:1] == "'" and value[1:2] in _FORMULA_START:
            value = value[1:]  # the quote export_msel puts before a would-be spreadsheet formula
        return value

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
            data["kind"] = _KIND_WORDS.get(_normalise(kind))
            if data["kind"] is None:
                data["kind"] = "information"
                notes.append(f"{self.label(self.columns['kind'])}: {kind}")
        for field in ("from", "to", "channel", "message", "objective"):
            if value := self.get(field):
                data[field] = value
        for field in _LIST_FIELDS:
            if items := _split_list(self.get(field)):
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
                field, *sub = error["loc"] or ("at",)
                self.problems.append(self.problem(str(field), _message(error, str(field)), sub))
            return None
        return _as_mapping(inject)

    def _id(self) -> str:
        raw = self.get("id")
        if not raw:
            return f"I{self.line}"
        ident = re.sub(r"[^A-Za-z0-9_.\-]+", "_", raw).strip("_")
        if not ident:
            return f"I{self.line}"
        return ident if ident[0].isalpha() and ident[0].isascii() else "I" + ident


def _split_list(text: str) -> list[str]:
    """Cell lines or `;`-separated parts, without bullets and blanks."""
    items = []
    for part in re.split(r"[\n;]", text):
        part = re.sub(r"^\s*(?:[-•*·▪‣◦]|\d{1,2}[.)])\s+", "", part).strip()
        if part:
            items.append(part)
    return items


def _message(error: Mapping[str, Any], field: str) -> str:
    if error["type"] == "missing":
        return f"empty; every inject needs {_REQUIRED.get(field, field)}"
    if field == "id" and error["type"] == "string_pattern_mismatch":
        return f"invalid id {error['input']!r}: at most 64 letters, digits, '_', '.' or '-'"
    return str(error["msg"]).removeprefix("Value error, ")


def _as_mapping(inject: Inject) -> dict[str, Any]:
    """The scenario file's form of an inject: aliases, defaults left out, times as `T±...`."""
    data = inject.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    if inject.at is not None:
        data["at"] = format_scenario_time(inject.at)
    return data


# --- export ------------------------------------------------------------------------------

def export_msel(injects: Iterable[Inject | Mapping[str, Any]], path: str | os.PathLike, *,
                event_start: datetime | None = None) -> None:
    """Write injects as an HSEEP MSEL CSV (UTF-8 with BOM and CRLF, as Excel expects).

    Columns are `EXPORT_COLUMNS`. Times are written as `T+00:04:00` / `T-14d`, or as a date
    and time `2024-03-22 19:55:00` (the event's local time) when `event_start` is given;
    `on:` injects as `on first_detection` or `on first_detection + 00:02:00`. Lists are
    written one item a line. Cells that a spreadsheet would run as a formula (starting with
    `=`, `+`, `-` or `@`) get a leading `'`, which `import_msel` removes.

    A decision has no HSEEP column: a readable summary of it (prompt, options, default,
    deadline) is appended to the Notes. Importing that summary back is not supported: the
    re-imported inject keeps the summary as notes text and has no decision. Everything else
    survives `export_msel` → `import_msel` unchanged. The file is written atomically.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(EXPORT_COLUMNS)
    for item in injects:
        inject = item if isinstance(item, Inject) else Inject.model_validate(item)
        notes = inject.notes
        if inject.decision is not None:
            notes = "\n\n".join(n for n in (notes, _decision_summary(inject)) if n)
        cells = [inject.id, _export_time(inject, event_start), _KIND_LABELS[inject.kind], inject.channel,
                 inject.sender, inject.to, inject.message, "\n".join(inject.expected_actions),
                 inject.objective, "\n".join(inject.questions), notes]
        writer.writerow([_defuse(c) for c in cells])
    write_atomically(path, buffer.getvalue(), encoding="utf-8-sig")


def _export_time(inject: Inject, event_start: datetime | None) -> str:
    if inject.on is not None:
        if not inject.delay_s:
            return f"on {inject.on}"
        return f"on {inject.on} + {format_scenario_time(inject.delay_s)[2:]}"
    assert inject.at is not None
    if event_start is None:
        return format_scenario_time(inject.at)
    if event_start.tzinfo is None:
        moment = event_start + timedelta(seconds=inject.at)
    else:
        moment = (event_start.astimezone(UTC) + timedelta(seconds=inject.at)).astimezone(event_start.tzinfo)
    spec = "seconds" if moment.microsecond == 0 else "milliseconds"
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec=spec)


def _decision_summary(inject: Inject) -> str:
    decision = inject.decision
    assert decision is not None
    options = "; ".join(f"{o.id} = {o.label}" for o in decision.options)
    return (f"Decision (not imported from this sheet): {decision.prompt} Options: {options}. "
            f"Default: {decision.default} after {format_scenario_time(decision.deadline_s)[2:]}.")


def _defuse(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


# --- files -------------------------------------------------------------------------------

def write_atomically(path: str | os.PathLike, text: str, *, encoding: str = "utf-8") -> None:
    """Write `text` to a temporary file beside `path`, then rename it over `path`.

    A failure part-way leaves an existing `path` as it was. Line ends are written as given.
    """
    target = Path(path)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
        try:
            mode = target.stat().st_mode & 0o777  # keep an existing file's permissions
        except OSError:
            mode = 0o666 & ~_umask()
        with contextlib.suppress(OSError):
            os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def dump_injects_yaml(injects: list[dict[str, Any]], comment: str | None = None) -> str:
    """`injects:` as readable YAML: keys in field order, multi-line text as `|` blocks."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    body = yaml.dump({"injects": injects}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    header = "".join(f"# {line}\n" for line in comment.splitlines()) if comment else ""
    return header + body

