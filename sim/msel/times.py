"""MSEL times: a spreadsheet's time cell as seconds from the event start, or an event trigger.

Controllers write an inject's time in many ways: relative to the start (`T+00:04:00`,
`+ 00:09:00`), as an elapsed duration (`00:04:00`, `0:04` for hours:minutes, `45m`), as a
day and time of day (`Day 0 19:55`, `D-1 10:00`), as a date (`2024-03-22 19:55`,
`22/03/2024 19:55`, `3/22/2024 7:55 PM`), or as a model event (`on first_detection + 00:02:00`).
`parse_msel_time` turns each into the inject fields the scenario format uses; days and dates
need the event start (its date and time of day).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from ..scenario.injects import TRIGGERS
from ..scenario.times import parse_scenario_time

__all__ = ["MSEL_TIME_FORMS", "parse_msel_time"]

MSEL_TIME_FORMS = ("T+00:04:00, T-14d, +00:04:00, 00:04:00 or 0:04 (elapsed h:mm), 45m, Day 0 19:55, "
                   "D-1 10:00, 2024-03-22 19:55, 22/03/2024 19:55, 3/22/2024 7:55 PM, "
                   "on first_detection + 00:02:00")
"""The accepted forms of an MSEL time, for messages."""

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
