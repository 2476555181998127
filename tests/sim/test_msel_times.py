"""MSEL time cells: every accepted form, the messages for the rest, the event start's time zone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ttxsim.sim.msel import parse_msel_time
from ttxsim.sim.scenario.times import format_scenario_time

START = datetime(2024, 3, 22, 19, 59)
"""t = 0 of the test exercise: doors open, first song."""


@pytest.mark.parametrize(("text", "expected"), [
    ("T+00:04:00", {"at": 240.0}), ("T + 4m", {"at": 240.0}), ("T-14d", {"at": -1209600.0}),
    ("-00:05:00", {"at": -300.0}), ("\u221200:05:00", {"at": -300.0}), ("1h30m", {"at": 5400.0}),
    ("T0", {"at": 0.0}), ("D-1 10:00", {"at": -86400.0 - 35940.0}), ("Day 0, 7:55 pm", {"at": -240.0}),
    ("7:55 PM", {"at": -240.0}), ("T+0:04:30", {"at": 270.0}), ("+ 0:15", {"at": 900.0}),
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
    ("2024-03-22", "no time of day"),
    ("T+0:75", "under 60"),
    ("0:75", "invalid time of day"),
    ("T-7d10:00", "invalid time 'T-7d10:00'"),
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
        parse_msel_time("7:55 PM")
    with pytest.raises(ValueError, match="needs the event start"):
        parse_msel_time("2024-03-22 19:55")
    assert parse_msel_time("T+00:04:00") == {"at": 240.0}


def test_start_time_zone_is_respected():
    start = datetime.fromisoformat("2024-03-22T19:59:00+03:00")
    assert parse_msel_time("Day 0 19:55", start) == {"at": -240.0}
    assert parse_msel_time("2024-03-22 19:55+03:00", start) == {"at": -240.0}
    assert parse_msel_time("2024-03-22 17:55+01:00", start) == {"at": -240.0}


# --- issue 12: HSEEP offsets, days and times of day, quoting, ranges ---------------------------

@pytest.mark.parametrize(("text", "seconds"), [
    ("T+0:15", 900.0), ("T+0:18", 1080.0), ("T+0:25", 1500.0),  # HSEEP: T+H:MM is hours and minutes
    ("T+1:30", 5400.0), ("T+26:00", 93600.0), ("T-2:00", -7200.0), ("- 2:00", -7200.0),
    ("T+0:04:30", 270.0), ("T+00:04:00", 240.0),  # three fields are H:MM:SS
])
def test_t_plus_two_fields_are_hours_and_minutes(text: str, seconds: float):
    assert parse_msel_time(text) == {"at": seconds}
    assert parse_msel_time(text, START) == {"at": seconds}


def test_the_export_form_reads_back_as_written():
    for seconds in (0.0, 59.0, 240.0, 900.5, 93600.0, -1209600.0, -7200.0):
        assert parse_msel_time(format_scenario_time(seconds)) == {"at": seconds}


@pytest.mark.parametrize("text", ["T-7d 10:00", "T-7d, 10:00", "T - 7d 10:00", "T-7 d  10:00"])
def test_days_before_at_a_time_of_day(text: str):
    # 15 March 10:00 is 7 days 9 h 59 min before 22 March 19:59
    assert parse_msel_time(text, START) == {"at": -(7 * 86400 + 9 * 3600 + 59 * 60)}


def test_days_after_at_a_time_of_day():
    assert parse_msel_time("T+1d 08:00", START) == {"at": 12 * 3600 + 60.0}  # 23 March 08:00


def test_a_day_and_time_without_a_start_says_so_quoting_the_cell():
    with pytest.raises(ValueError) as info:
        parse_msel_time("T-7d 10:00")
    assert str(info.value).startswith("'T-7d 10:00' names a day or a time of day, so it needs the "
                                      "event start")


@pytest.mark.parametrize(("text", "seconds"), [
    ("20:12", 780.0), ("20:12:30", 810.0), ("8:12 PM", 780.0), ("8:12 p.m.", 780.0),
    ("19:59", 0.0), ("19:00", -3540.0), ("00:30", -(19 * 3600 + 29 * 60.0)),
])
def test_a_bare_clock_is_a_time_of_day_on_the_start_date(text: str, seconds: float):
    assert parse_msel_time(text, START) == {"at": seconds}


def test_a_bare_clock_is_in_the_start_time_zone():
    start = datetime.fromisoformat("2024-03-22T19:59:00+03:00")
    assert parse_msel_time("20:12", start) == {"at": 780.0}


def test_a_bare_clock_without_a_start_is_not_taken_as_elapsed():
    with pytest.raises(ValueError) as info:
        parse_msel_time("20:12")
    message = str(info.value)
    assert message.startswith("'20:12' is a time of day and needs the event start")
    assert message.endswith("for an offset from t = 0 write 'T+20:12' (hours:minutes)")


@pytest.mark.parametrize("text", ["T - 7d10:00", "T+1:2:3:4", "  Day  x 10:00 ", "T+30m1h", "T+0:75",
                                  "on  lunch", "on alarm  -  1m", "2024-03-22 25:00"])
def test_messages_quote_the_cell_as_written(text: str):
    with pytest.raises(ValueError) as info:
        parse_msel_time(text, START)
    assert repr(text.strip()) in str(info.value) or "invalid time of day" in str(info.value)


def test_a_huge_cell_is_quoted_cut_on_one_line():
    with pytest.raises(ValueError) as info:
        parse_msel_time("T+" + "9" * 100_000 + "x", START)
    message = str(info.value)
    assert "\n" not in message and len(message) < 600 and "(100,003 characters)" in message


@pytest.mark.parametrize("text", [
    "9999-12-31 23:59 -12:00", "0001-01-01 00:00 +12:00", "T+" + "9" * 400 + "h", "+" + "9" * 400 + ":00",
    "T-999999d 10:00", "Day 999999 10:00", "T-367d", "2023-03-22 19:55",
])
def test_times_out_of_range_are_errors_not_crashes(text: str):
    with pytest.raises(ValueError, match=r"more than 366 days from t = 0|out of range"):
        parse_msel_time(text, START)


def test_a_start_at_the_end_of_the_calendar_gives_errors_not_crashes():
    start = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(-timedelta(hours=12)))
    for text in ("Day 1 10:00", "2024-03-22 19:55Z", "20:12", "T+1d 08:00"):
        with pytest.raises(ValueError, match=r"out of range|more than 366 days"):
            parse_msel_time(text, start)


START_CHOICES = st.sampled_from([None, START, datetime(1, 1, 1, 0, 0), datetime(9999, 12, 31, 23, 59),
                                 datetime.fromisoformat("2024-03-22T19:59:00-12:00")])


@given(st.text(max_size=40), START_CHOICES)
def test_any_text_gives_a_time_or_a_value_error(text: str, start: datetime | None):
    try:
        result = parse_msel_time(text, start)
    except ValueError as exc:
        assert "\n" not in str(exc)
    else:
        assert set(result) <= {"at", "on", "delay_s"}


ALPHABET = "0123456789 :+-−TtDdayhmsPAMZ,./x"


@given(st.text(alphabet=ALPHABET, max_size=30), START_CHOICES)
def test_time_like_text_gives_a_time_or_a_value_error(text: str, start: datetime | None):
    try:
        parse_msel_time(text, start)
    except ValueError as exc:
        assert "\n" not in str(exc)


# --- the table in docs/cli.md ---------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def time_form_examples() -> list[tuple[str, str]]:
    """(cell, result) from the table of time forms under `ttxsim msel import` in docs/cli.md."""
    section = DOCS.read_text(encoding="utf-8").split("## `ttxsim msel import`", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\|(.*)\|\s*$", section, re.MULTILINE)
    examples = []
    for row in rows:
        cells = [c.strip() for c in row.split("|")]
        if len(cells) == 3 and "→" in cells[2]:
            for example in cells[2].split(";"):
                written, result = (re.findall(r"`([^`]*)`", part) for part in example.split("→"))
                examples += [(w, result[0]) for w in written]
    return examples


def test_the_docs_table_has_an_example_for_each_form():
    assert len(time_form_examples()) >= 15


@pytest.mark.parametrize(("text", "result"), time_form_examples())
def test_the_docs_table_is_right(text: str, result: str):
    parsed = parse_msel_time(text, START)
    if "at" in parsed:
        assert format_scenario_time(parsed["at"]) == result
    else:
        fields = dict(part.split(": ") for part in result.split(", "))
        assert parsed == {k: float(v) if k == "delay_s" else v for k, v in fields.items()}
