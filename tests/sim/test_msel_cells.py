"""MSEL cells: export → import gives back every text, formula-looking or not (issue 12)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ttxsim.sim.msel import dump_injects_yaml, export_msel, import_msel
from ttxsim.sim.msel.cells import read_list, read_text, write_list, write_text
from ttxsim.sim.scenario.injects import TRIGGERS, Inject
from ttxsim.sim.scenario.limits import MAX_HORIZON_S, MAX_LEAD_S

# Any text a scenario can hold and a UTF-8 file can carry: no NUL (the import refuses files
# with NUL bytes as binary) and no lone surrogates (hypothesis leaves those out by default).
# The leading characters that the import would trim, or a spreadsheet run, come up often.
TRICKY = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", "'", " ", "\u00a0", '"', ",", ";",
                          "\r\n", "- ", "1. ", "•", "=1+1", "é", "\u2028", "\x85", "\ufeff"])
CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
TEXT = st.lists(st.one_of(TRICKY, st.text(CHARACTERS, max_size=8)), max_size=6).map("".join)
ITEM = TEXT.filter(lambda s: "\n" not in s)  # items are lines: one cannot hold a line break


def round_trip(tmp_path: Path, inject: dict[str, Any]) -> dict[str, Any]:
    path = tmp_path / "msel.csv"
    export_msel([inject], path)
    (back,) = import_msel(path)
    return back


def as_scenario_keys(inject: dict[str, Any]) -> dict[str, Any]:
    """The mapping as import_msel writes it: validated, aliases, defaults left out, times as T±."""
    data = Inject.model_validate(inject).model_dump(mode="json", by_alias=True, exclude_defaults=True)
    if "at" in data:
        from ttxsim.sim.scenario.times import format_scenario_time

        data["at"] = format_scenario_time(data["at"])
    return data


# --- the cell codec ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["\r=1+1", " =1+1", "'=1+1", "''=x", "=SUM(A1)", "+1", "-2", "@x",
                                  "\tx", "'quoted'", " padded ", "a\r\nb", "a\rb", "", "'", "' "])
def test_cells_read_back_as_written(text: str):
    assert read_text(write_text(text)) == text


def test_formula_looking_cells_are_defused():
    for text in ("=1+1", "+1", "-2", "@SUM(A1)", "\t=1", "\r=1"):
        assert write_text(text) == "'" + text


def test_the_import_takes_off_only_what_the_export_put_on():
    assert read_text("'hello") == "'hello"  # never written so by the export: kept
    assert read_text("'=1+1") == "=1+1"
    assert read_text("  plain  ") == "plain"  # hand-written cells are still trimmed
    assert read_text("a\r\nb") == "a\nb"
    assert read_list("- one\n- two; three") == ["one", "two", "three"]
    assert read_list("'- one\n2; 3") == ["- one", "2; 3"]


@given(TEXT)
def test_any_text_survives_the_cell_codec(text: str):
    assert read_text(write_text(text)) == text


@given(st.lists(ITEM, max_size=4))
def test_any_list_survives_the_cell_codec(items: list[str]):
    assert read_list(write_list(items)) == items


# --- through the CSV file ---------------------------------------------------------------------

@pytest.mark.parametrize("message", ["\r=HYPERLINK(\"http://x\")", " =1+1", "'=1+1", "=1+1", "'plain"])
def test_issue_12_cells_come_back_unchanged_through_a_file(tmp_path: Path, message: str):
    inject = {"id": "1", "at": "T+00:01:00", "to": "Control", "message": message, "notes": message}
    assert round_trip(tmp_path, inject) == inject


INJECTS = st.fixed_dictionaries({
    "id": st.sampled_from(["1", "10a", "CH-01", "2.1"]),
    "kind": st.sampled_from(["contextual", "expected_action", "decision", "information", "contingency"]),
    "from": TEXT.filter(bool),
    "to": TEXT.filter(bool),
    "channel": TEXT.filter(bool),
    "message": TEXT.filter(bool),
    "expected_actions": st.lists(ITEM, max_size=3),
    "questions": st.lists(ITEM, max_size=3),
    "objective": TEXT,
    "notes": TEXT,
}).flatmap(lambda d: st.one_of(
    st.integers(-int(MAX_LEAD_S), int(MAX_HORIZON_S)).map(lambda t: {**d, "at": float(t)}),
    st.tuples(st.sampled_from(TRIGGERS), st.integers(0, 86400)).map(
        lambda e: {**d, "on": e[0], "delay_s": float(e[1])}),
))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
          deadline=None)  # files on a machine shared with other test runs: timings vary
@given(INJECTS)
def test_any_inject_survives_export_then_import(tmp_path: Path, inject: dict[str, Any]):
    assert round_trip(tmp_path, inject) == as_scenario_keys(inject)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(INJECTS)
def test_any_imported_inject_survives_the_yaml_it_is_written_as(inject: dict[str, Any]):
    injects = [as_scenario_keys(inject)]
    assert yaml.safe_load(dump_injects_yaml(injects, comment="a\nb"))["injects"] == injects


@pytest.mark.parametrize("text", ["\x85", "a\nb\x85", "a\n\x85", "a\u2028b", "a\u2029"])
def test_the_yaml_keeps_unicode_line_breaks(text: str):
    injects = [{"id": "1", "at": "T+00:01:00", "to": "A", "message": "x", "notes": text}]
    assert yaml.safe_load(dump_injects_yaml(injects))["injects"] == injects
