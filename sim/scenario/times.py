"""Scenario times: seconds relative to the event, written as exercises write them.

`T+00:04:00` and `T+04:00` are 240 s after t = 0, `T-14d` is fourteen days before it;
`T+45m`, `T+2h`, `T+30s` and combinations such as `T+1h30m` are accepted, as are plain
numbers of seconds. Used by decision files, warnings and injects alike.
"""

from __future__ import annotations

import itertools
import math
import re
from typing import Annotated

from pydantic import BeforeValidator

from .errors import quote

__all__ = ["TIME_FORMS", "ScenarioTime", "format_scenario_time", "parse_scenario_time"]

TIME_FORMS = "seconds, or T+hh:mm:ss, T+mm:ss, T-hh:mm:ss, T+45m, T+2h, T-14d"
"""The accepted forms of a time, for messages."""

_CLOCK = re.compile(r"T(?P<sign>[+-])(?P<clock>\d+(?::\d+){1,2}(?:\.\d+)?)")
_UNITS = re.compile(r"T(?P<sign>[+-])(?P<parts>(?:\d+(?:\.\d+)?[dhms])+)")
_UNIT_PART = re.compile(r"(\d+(?:\.\d+)?)([dhms])")
_UNIT_S = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}


def parse_scenario_time(value: str | float) -> float:
    """Seconds from a scenario time: a number of seconds or a `T±...` string.

    `T+00:04:00` and `T+04:00` are 240 s, `T-01:00:00` is -3600 s; `T+45m`, `T+2h`,
    `T-14d`, `T+30s` and combinations such as `T+1h30m` (largest unit first) are also
    accepted. In `hh:mm:ss` and `mm:ss` the minutes and seconds after the first field
    must be under 60; the last field may have a fraction. Raises ValueError otherwise.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a time ({TIME_FORMS}), found a boolean")
    if isinstance(value, int | float):
        seconds = float(value)
        if not math.isfinite(seconds):
            raise ValueError(f"expected a finite time, found {quote(value)}")
        return seconds
    if not isinstance(value, str):
        raise ValueError(f"expected a time ({TIME_FORMS}), found {type(value).__name__}")
    text = value.strip()
    if match := _CLOCK.fullmatch(text):
        fields = match["clock"].split(":")
        if any(float(f) >= 60 for f in fields[1:]):
            raise ValueError(f"invalid time {quote(value)}: minutes and seconds must be under 60")
        seconds = 0.0
        for f in fields:
            seconds = seconds * 60 + float(f)
    elif match := _UNITS.fullmatch(text):
        parts = _UNIT_PART.findall(match["parts"])
        units = [unit for _, unit in parts]
        order = "dhms"
        if any(order.index(a) >= order.index(b) for a, b in itertools.pairwise(units)):
            raise ValueError(f"invalid time {quote(value)}: give each unit once, largest first (T+1h30m)")
        seconds = sum(float(number) * _UNIT_S[unit] for number, unit in parts)
    else:
        raise ValueError(f"invalid time {quote(value)}; expected {TIME_FORMS}")
    if not math.isfinite(seconds):
        raise ValueError(f"invalid time {quote(value)}: too large")
    return -seconds if match["sign"] == "-" else seconds




def _to_seconds(value):
    try:
        return parse_scenario_time(value)
    except ValueError as exc:
        raise ValueError(str(exc)) from None


ScenarioTime = Annotated[float, BeforeValidator(_to_seconds)]
"""A time field: seconds, or a `T±...` string, validated to seconds."""


def format_scenario_time(seconds: float) -> str:
    """`-1209600` → `T-14d`; `240` → `T+00:04:00`: whole days as days, else hh:mm:ss."""
    sign = "-" if seconds < 0 else "+"
    magnitude = abs(seconds)
    if magnitude >= 86400 and magnitude % 86400 == 0:
        return f"T{sign}{int(magnitude // 86400)}d"
    whole = int(magnitude)
    clock = f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    fraction = magnitude - whole
    if fraction > 1e-9:
        clock += f"{fraction:.3f}"[1:]
    return f"T{sign}{clock}"
