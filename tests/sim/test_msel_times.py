"""MSEL time cells: every accepted form, the messages for the rest, the event start's time zone."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from ttxsim.sim.msel import parse_msel_time

START = datetime(2024, 3, 22, 19, 59)
"""t = 0 of the test exercise: doors open, first song."""


@pytest.mark.parametrize(("text", "expected"), [
    ("T+00:04:00", {"at": 240.0}), ("T + 4m", {"at": 240.0}), ("T-14d", {"at": -1209600.0}),
    ("-00:05:00", {"at": -300.0}), ("\u221200:05:00", {"at": -300.0}), ("1h30m", {"at": 5400.0}),
    ("T0", {"at": 0.0}), ("D-1 10:00", {"at": -86400.0 - 35940.0}), ("Day 0, 7:55 pm", {"at": -240.0}),
    ("2024-03-22T19:55", {"at": -240.0}), ("2024-03-22 16:55:00Z", {"at": -240.0}),
    ("22.03.2024 20:00", {"at": 60.0}), ("3/3/2024 19:59", {"at": -19 * 86400.0}),
    ("on alarm", {"on": "alarm"}), ("On: Alarm + 2m", {"on": "alarm", "delay_s": 120.0}),
])
def test_time_forms(text: str, expected: dict):
    start = START if "Z" not in text else datetime.fromisoformat("2024-03-22T19:59:00+03:00")
    assert parse_msel_time(text, start) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty"),
    ("3/4/2024 10:00", "ambiguous date, use ISO YYYY-MM-DD"),
    ("12", "bare number"),
    ("7:55 PM", "without a day"),
    ("2024-03-22", "no time of day"),
    ("0:75", "under 60"),
    ("on lunch", "unknown event"),
    ("on alarm - 1m", "cannot come before"),
    ("soon", "invalid time"),
])
def test_bad_times(text: str, message: str):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_msel_time(text, START)


def test_days_and_dates_need_the_start():
    with pytest.raises(ValueError, match="needs the event start"):
        parse_msel_time("Day 0 19:55")
    with pytest.raises(ValueError, match="needs the event start"):
        parse_msel_time("2024-03-22 19:55")
    assert parse_msel_time("T+00:04:00") == {"at": 240.0}


def test_start_time_zone_is_respected():
    start = datetime.fromisoformat("2024-03-22T19:59:00+03:00")
    assert parse_msel_time("Day 0 19:55", start) == {"at": -240.0}
    assert parse_msel_time("2024-03-22 19:55+03:00", start) == {"at": -240.0}
    assert parse_msel_time("2024-03-22 17:55+01:00", start) == {"at": -240.0}
