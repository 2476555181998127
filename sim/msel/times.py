"""MSEL times: a spreadsheet's time cell as seconds from the event start, or an event trigger.

Controllers write an inject's time in many ways, and the HSEEP habit decides what each means.
A `T` or a sign makes an offset from t = 0, and two clock fields are hours and minutes, as
HSEEP MSELs write them (`T+0:15` is a quarter of an hour, `T+0:04:30` has seconds); units
say themselves what they are (`T+45m`, `T-14d`, `1h30m`). A clock without a `T` or a sign
is a time of day (`20:12`), as is one after a day (`T-7d 10:00`, `Day 0 19:55`, `D-1 10:00`)
or a date (`2024-03-22 19:55`); these need the event start, its date and time of day. A model
event is written `on first_detection + 0:02`. `parse_msel_time` turns each into the inject
fields the scenario format uses; `docs/cli.md` has the table of forms, with examples.

Unlike a scenario file, where `T+04:00` is minutes and seconds (`ttxsim.sim.scenario.times`),
a two-field clock in an MSEL is always hours and minutes: the sheets come from HSEEP practice,
and the import and export write three fields (`T+00:04:00`), which read the same in both.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

from ..scenario.injects import TRIGGERS
from ..scenario.times import format_scenario_time
from .cells import quote_cell

__all__ = [
    "MAX_OFFSET_DAYS", "MSEL_TIME_FORMS", "format_msel_duration", "parse_msel_duration", "parse_msel_time",
]

MSEL_TIME_FORMS = ("T+0:15 (hours:minutes), T+0:04:30, T-14d, T+45m, +0:15, 45m, T0, T-7d 10:00, "
                   "Day 0 19:55, D-1 10:00, 20:12 (time of day), 2024-03-22 19:55, 22/03/2024 19:55, "
                   "3/22/2024 7:55 PM, on first_detection + 0:02")
"""The accepted forms of an MSEL time, for messages."""

MAX_OFFSET_DAYS = 366
"""An inject more than this many days from t = 0 is refused: in an exercise's MSEL that is
almost always a mistyped year, and it keeps every time within what dates can represent."""

_CLOCK = r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}(?:\.\d+)?))?(?:\s*(?P<ampm>[ap])\.?m\.?)?"
_TZ = r"(?:\s*(?P<tz>Z|[+-]\d{2}:?\d{2}))?"
_DAY_SEP = r"\s*(?:,\s*|\s+)"
_ON = re.compile(r"on(?::\s*|\s+)(?P<event>[a-z_][a-z0-9_]*)(?:\s*(?P<sign>[+-])\s*(?P<delay>\S.*))?", re.I)
_T_ZERO = re.compile(r"T\s*[+-]?\s*0+(?::0+)*", re.I)
_T_DAY = re.compile(r"T\s*(?P<sign>[+-])\s*(?P<n>\d{1,6})\s*d" + _DAY_SEP + _CLOCK, re.I)
_T_FORM = re.compile(r"T\s*(?P<sign>[+-])\s*(?P<rest>\S.*)", re.I)
_SIGNED = re.compile(r"(?P<sign>[+-])\s*(?P<rest>\d.*)")
_DURATION_CLOCK = re.compile(r"(?P<h>\d+):(?P<m>\d{2})(?::(?P<s>\d{2}(?:\.\d+)?))?")
_UNITS = re.compile(r"(?:\d+(?:\.\d+)?\s*[dhms]\s*)+", re.I)
_UNIT_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([dhms])", re.I)
_UNIT_S = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
_DAY = re.compile(r"(?:day|d)\s*(?P<sign>[+-]?)\s*(?P<n>\d{1,6})" + _DAY_SEP + _CLOCK, re.I)
_DATE_YMD = r"(?P<y>\d{4})[-/.](?P<a>\d{1,2})[-/.](?P<b>\d{1,2})"
_DATE_XXY = r"(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4}|\d{2})"
_SEP = r"(?:\s*T\s*|\s*,\s*|\s+)"
_DATETIME_YMD = re.compile(_DATE_YMD + _SEP + _CLOCK + _TZ, re.I)
_DATETIME_XXY = re.compile(_DATE_XXY + _SEP + _CLOCK + _TZ, re.I)
_DATE_ONLY = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})")
_TIME_OF_DAY = re.compile(_CLOCK, re.I)
_NEEDS_START = "needs the event start's date and time of day (--start, or --scenario with meta.start_time)"


def parse_msel_time(text: str, event_start: datetime | None = None) -> dict[str, Any]:
    """An MSEL time cell as inject fields: `{"at": seconds}` or `{"on": event, "delay_s": s}`.

    Accepted (spaces around signs allowed, `−` and `–` read as `-`):

    - `T+0:15` (hours:minutes), `T+0:04:30` (hours:minutes:seconds), `T+45m`, `T+1h30m`,
      `T-14d`: an offset from t = 0; `T0` / `T+0` is 0. `+0:15`, `- 2:00`, `+45m`: the same
      without the `T`. `45m`, `1h30m`: after t = 0 (units need no sign).
    - `T-7d 10:00`, `Day 0 19:55`, `Day -14 09:00`, `D-1 10:00`, `Day 1, 7:55 PM`: a time of
      day on a day counted from the event's date.
    - `20:12`, `20:12:30`, `8:12 PM`: a time of day on the event's date (earlier than the
      start is before t = 0; a later day needs `Day 1 00:30` or a date).
    - `2024-03-22 19:55[:ss]` (ISO, also with `T` and a UTC offset), `22/03/2024 19:55`,
      `3/22/2024 7:55 PM` (also with `.` or `-`): day-first when the first field is over 12,
      month-first when the second is; otherwise the order is ambiguous and an error.
    - `on first_detection`, `on first_detection + 0:02`: when a model event happens (see
      `TRIGGERS`), optionally that long after.

    Times of day, days and dates need `event_start`; one without a UTC offset is taken in the event's
    time zone. A time more than `MAX_OFFSET_DAYS` from t = 0 is refused.

    Raises:
        ValueError: With a message for the user that quotes the cell as written.
    """
    raw = text.strip()
    text = re.sub(r"\s+", " ", raw.replace("\u2212", "-").replace("\u2013", "-"))
    if not text:
        raise ValueError("empty; every inject needs a time (or `on EVENT`)")
    quoted = quote_cell(raw)
    if match := _ON.fullmatch(text):
        return _trigger(match, quoted)
    if re.match(r"on\b", text, re.I):
        raise ValueError(f"invalid event trigger {quoted}; write e.g. `on first_detection + 0:02`")
    try:
        seconds = _seconds(text, quoted, event_start)
    except OverflowError:
        raise ValueError(f"{quoted} is out of range: dates must fall in the years 1 to 9999") from None
    if not math.isfinite(seconds) or abs(seconds) > MAX_OFFSET_DAYS * 86400:
        raise ValueError(_too_far(quoted))
    return {"at": seconds}


def parse_msel_duration(text: str) -> float:
    """A duration cell (a decision's deadline) in seconds: `0:02` (hours:minutes), `0:02:30`, `2m`, `90s`.

    Read as a time cell's offset is, so `0:02` is two minutes here too; a bare number is
    refused as ambiguous (seconds or minutes?), as in a time cell.

    Raises:
        ValueError: With a message for the user that quotes the cell as written.
    """
    raw = text.strip()
    quoted = quote_cell(raw)
    seconds = _duration(re.sub(r"\s+", " ", raw), quoted) if raw else None
    if seconds is None:
        if re.fullmatch(r"\d+(?:\.\d+)?", raw):
            raise ValueError(f"a bare number ({quoted}) is ambiguous; write 0:02 (hours:minutes), 120s or 2m")
        raise ValueError(f"invalid duration {quoted}; expected 0:02 (hours:minutes), 0:02:30, 2m, 90s or 1d")
    return seconds


def format_msel_duration(seconds: float) -> str:
    """`120` → `00:02:00`, `86400` → `1d`, `90.25` → `00:01:30.250`: what `parse_msel_duration` reads back.

    A duration that three decimals cannot carry is written in seconds as Python spells them.
    """
    text = format_scenario_time(seconds)[2:]
    if parse_msel_duration(text) == seconds:
        return text
    return f"{Decimal(repr(seconds)):f}s"


def _too_far(quoted: str) -> str:
    return f"{quoted} is more than {MAX_OFFSET_DAYS} days from t = 0; check the year or the number of days"


def _trigger(match: re.Match, quoted: str) -> dict[str, Any]:
    event = match["event"].lower()
    if event not in TRIGGERS:
        raise ValueError(f"unknown event '{match['event']}' in {quoted}; "
                         f"expected one of: {', '.join(TRIGGERS)}")
    result: dict[str, Any] = {"on": event}
    if match["delay"] is not None:
        if match["sign"] == "-":
            raise ValueError(f"an `on` inject cannot come before its event ({quoted}); "
                             f"write `on {event} + 0:02`")
        delay = _duration(match["delay"], quoted)
        if delay is None:
            raise ValueError(f"invalid delay in {quoted}; write e.g. `on {event} + 0:02` (hours:minutes)")
        result["delay_s"] = delay
    return result


def _seconds(text: str, quoted: str, event_start: datetime | None) -> float:
    """Seconds from t = 0 of a time cell that is not an event trigger."""
    if _T_ZERO.fullmatch(text):
        return 0.0
    if match := _T_DAY.fullmatch(text):
        days = int(match["n"]) * (-1 if match["sign"] == "-" else 1)
        return _on_day(days, match, quoted, event_start)
    if (match := _T_FORM.fullmatch(text)) or (match := _SIGNED.fullmatch(text)):
        magnitude = _duration(match["rest"], quoted)
        if magnitude is None:
            raise ValueError(f"invalid time {quoted}; expected {MSEL_TIME_FORMS}")
        return -magnitude if match["sign"] == "-" else magnitude
    if _UNITS.fullmatch(text):
        return _units(text, quoted)
    if match := _DAY.fullmatch(text):
        return _on_day(int(match["n"]) * (-1 if match["sign"] == "-" else 1), match, quoted, event_start)
    for pattern, year_first in ((_DATETIME_YMD, True), (_DATETIME_XXY, False)):
        if match := pattern.fullmatch(text):
            start = _need_start(event_start, quoted)
            moment = datetime.combine(_date(match, year_first), _time_of_day(match), _tzinfo(match["tz"]))
            return _seconds_between(moment, start)
    if match := _TIME_OF_DAY.fullmatch(text):
        if event_start is None and not match["ampm"]:
            raise ValueError(f"{quoted} is a time of day and {_NEEDS_START}; for an offset from t = 0 "
                             f"write 'T+{match[0]}' (hours:minutes)")
        return _on_day(0, match, quoted, event_start)
    if _DATE_ONLY.fullmatch(text):
        raise ValueError(f"{quoted} has no time of day; write e.g. `2024-03-22 19:55`")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        raise ValueError(f"a bare number ({quoted}) is ambiguous; write T+0:04 (hours:minutes), 240s or 4m")
    raise ValueError(f"invalid time {quoted}; expected {MSEL_TIME_FORMS}")


def _duration(text: str, quoted: str) -> float | None:
    """`0:15` (h:mm), `0:04:30` (h:mm:ss), `45m`, `1h30m` → seconds; None if none of those."""
    text = text.strip()
    if match := _DURATION_CLOCK.fullmatch(text):
        minutes, seconds = int(match["m"]), float(match["s"] or 0)
        if minutes >= 60 or seconds >= 60:
            raise ValueError(f"invalid time {quoted}: minutes and seconds must be under 60")
        return float(match["h"]) * 3600 + minutes * 60 + seconds
    if _UNITS.fullmatch(text):
        return _units(text, quoted)
    return None


def _units(text: str, quoted: str) -> float:
    parts = [(float(number), unit.lower()) for number, unit in _UNIT_PART.findall(text)]
    order = [("dhms".index(unit)) for _, unit in parts]
    if order != sorted(set(order)):
        raise ValueError(f"invalid time {quoted}: give each unit once, largest first (1h30m)")
    return sum(number * _UNIT_S[unit] for number, unit in parts)


def _on_day(days: int, match: re.Match, quoted: str, event_start: datetime | None) -> float:
    """Seconds from t = 0 to the time of day in `match` on the event's date plus `days`."""
    start = _need_start(event_start, quoted)
    if abs(days) > MAX_OFFSET_DAYS:
        raise ValueError(_too_far(quoted))
    day = start.date() + timedelta(days=days)
    return _seconds_between(datetime.combine(day, _time_of_day(match)), start)


def _need_start(event_start: datetime | None, quoted: str) -> datetime:
    if event_start is None:
        raise ValueError(f"{quoted} names a day or a time of day, so it {_NEEDS_START}")
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
    return time(hour, minute, whole, min(round((second - whole) * 1e6), 999_999))


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
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(f"invalid UTC offset {text!r}")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


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
