"""`ttxsim msel import SHEET --into SCENARIO`: injects replaced in place, the rest of the file kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from csv_sheets import sheet_rows, write_rows

from ttxsim.sim.msel import export_msel, import_msel, replace_injects
from ttxsim.sim.scenario import load_scenario
from ttxsim.sim.scenario.injects import Inject
from ttxsim.tui.cli import cli

ROOT = Path(__file__).resolve().parents[2]

SMALL = """\
# A small room: the scenario's own comment, kept.
meta:
  name: Small room   # trailing comment, kept
  sources: [test fixture]
venue:
  zones: [{id: room, kind: room, x_m: 0, y_m: 0, width_m: 10, depth_m: 10}]
  openings:
    - {id: door, between: [room, outside], width_m: 1.0, at_m: [10, 5]}
population:
  occupants: [{zone: room, count: 50}]
  premovement_s: {dist: lognormal, median: 30, sigma: 0.5}
injects:
  # Phase 1: before the event
  - id: I1
    at: T-1d
    to: Manager
    message: >-
      A long message folded
      over two lines.
  # Phase 2: the incident
  - id: I2
    at: T+00:02:00
    channel: radio   # written although it is not the default
    to: Control
    message: Smoke in the room.
    decision:
      prompt: Open the door?
      options:
        - {id: open, label: Open it, actions: [{action: open_openings, ids: [door]}]}
        - {id: shut, label: Keep it shut}
      default: shut
# After the injects: kept too.
"""


def run(*args: str):
    return CliRunner().invoke(cli, ["msel", "import", *args])


def exported(tmp_path: Path, text: str = SMALL) -> tuple[Path, Path]:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(text, encoding="utf-8")
    sheet = tmp_path / "msel.csv"
    export_msel(load_scenario(scenario).injects, sheet)
    return scenario, sheet


def test_an_unchanged_sheet_changes_nothing(tmp_path: Path):
    scenario, sheet = exported(tmp_path)
    result = run(str(sheet), "--into", str(scenario))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == ["  2 unchanged", "no changes: nothing written"]
    assert scenario.read_text(encoding="utf-8") == SMALL


def test_edits_replace_only_what_changed(tmp_path: Path):
    scenario, sheet = exported(tmp_path)
    rows = sheet_rows(sheet)
    rows[1]["Default"] = "open"
    rows[1]["When"] = "inside(room) > 0"
    rows[1]["Otherwise Message"] = "The room is empty: {inside:room} inside."
    added = dict(rows[0], **{"Event Number": "I3", "Message": 'New: "quoted", {{braces}}; ünïcode'})
    write_rows(sheet, [rows[1], added])  # I1 removed, I2 changed, I3 added
    result = run(str(sheet), "--into", str(scenario))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{scenario}: 2 injects from {sheet}", "  + I3 added", "  - I1 removed",
        "  ~ I2 changed: decision (default), when, otherwise", "  0 unchanged", f"{scenario}: written"]
    text = scenario.read_text(encoding="utf-8")
    head = SMALL.partition("injects:\n")[0]
    assert text.startswith(head + "injects:\n")  # everything above the section, byte for byte
    assert text.endswith("# After the injects: kept too.\n")
    assert "  # Phase 2: the incident\n  - id: I2\n    at: T+00:02:00\n    channel: radio   # written" in text
    assert "folded" not in text and "Phase 1" in text  # I1's lines went, the comment above it stayed
    assert "    when: inside(room) > 0\n" in text
    # a new default is one new line: the decision's other lines stay as written (flow style included)
    assert ("      options:\n"
            "        - {id: open, label: Open it, actions: [{action: open_openings, ids: [door]}]}\n"
            "        - {id: shut, label: Keep it shut}\n      default: open\n") in text
    assert [i.id for i in load_scenario(scenario).injects] == ["I2", "I3"]
    assert load_scenario(scenario).injects == [Inject.model_validate(i) for i in import_msel(sheet)]


def test_a_problem_found_by_the_whole_check_points_at_the_cell(tmp_path: Path):
    scenario, sheet = exported(tmp_path)
    rows = sheet_rows(sheet)
    rows[1]["Option Actions"] = "open: open_openings ids=window"
    write_rows(sheet, rows)
    result = run(str(sheet), "--into", str(scenario))
    assert result.exit_code == 2
    column = list(rows[1]).index("Option Actions") + 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{sheet}:3:{column}: injects[1].decision.options[0].actions[0].ids[0]: "
                           'column "Option Actions": unknown opening \'window\'')
    assert scenario.read_text(encoding="utf-8") == SMALL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["msel.csv", "scenario.yaml"]


def test_dry_run_prints_the_summary_and_writes_nothing(tmp_path: Path):
    scenario, sheet = exported(tmp_path)
    rows = sheet_rows(sheet)
    rows[0]["Message"] = "Changed."
    write_rows(sheet, rows)
    result = run(str(sheet), "--into", str(scenario), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "  ~ I1 changed: message" in result.stdout and "dry run: nothing written" in result.stdout
    assert scenario.read_text(encoding="utf-8") == SMALL


def test_a_scenario_without_injects_gets_them_at_the_end_with_its_line_ends(tmp_path: Path):
    _, sheet = exported(tmp_path)
    bare = SMALL.split("injects:\n")[0].replace("\n", "\r\n")
    scenario = tmp_path / "bare.yaml"
    scenario.write_bytes(("\ufeff" + bare).encode("utf-8"))
    result = run(str(sheet), "--into", str(scenario))
    assert result.exit_code == 0, result.output
    data = scenario.read_bytes().decode("utf-8")
    assert data.startswith("\ufeff" + bare + "injects:\r\n  - id: I1\r\n")
    assert "\n" not in data.replace("\r\n", "")
    assert [i.id for i in load_scenario(scenario).injects] == ["I1", "I2"]


def test_the_reference_scenario_keeps_its_text_where_the_sheet_changes_nothing(tmp_path: Path):
    scenario = tmp_path / "concert_hall.yaml"
    shutil.copy(ROOT / "scenarios" / "concert_hall.yaml", scenario)
    original = scenario.read_text(encoding="utf-8")
    sheet = tmp_path / "msel.csv"
    export_msel(load_scenario(scenario).injects, sheet)
    rows = sheet_rows(sheet)
    rows[-1]["Notes"] = "Edited in the spreadsheet."
    write_rows(sheet, rows)
    result = run(str(sheet), "--into", str(scenario))
    assert result.exit_code == 0, result.output
    assert f"  ~ {rows[-1]['Event Number']} changed: notes" in result.stdout
    before, after = original.splitlines(), scenario.read_text(encoding="utf-8").splitlines()
    changed = [line for line in after if line not in before]
    assert changed == ["    notes: Edited in the spreadsheet."]
    assert len(after) - len(before) in (0, 1)  # the old notes line replaced (or the field added)


def test_out_and_into_go_one_at_a_time(tmp_path: Path):
    scenario, sheet = exported(tmp_path)
    result = run(str(sheet), "--into", str(scenario), "--out", str(tmp_path / "x.yaml"))
    assert result.exit_code == 2 and "give one of --out" in result.output
    assert run(str(sheet), "--dry-run", "--out", "-").exit_code == 2
    result = run(str(sheet), "--into", str(scenario), "--scenario", str(scenario))
    assert result.exit_code == 2 and "--scenario goes with --out" in result.output
    assert scenario.read_text(encoding="utf-8") == SMALL


def test_an_invalid_scenario_is_reported_and_left_alone(tmp_path: Path):
    scenario, sheet = exported(tmp_path)
    broken = SMALL.replace("count: 50", "count: -5")
    scenario.write_text(broken, encoding="utf-8")
    result = run(str(sheet), "--into", str(scenario))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{scenario}:10:") and "population.occupants[0].count" in result.stderr
    assert scenario.read_text(encoding="utf-8") == broken


def test_out_dash_prints_the_yaml(tmp_path: Path):
    _, sheet = exported(tmp_path)
    result = run(str(sheet), "--out", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Injects imported from") and "- id: I2" in result.stdout


OLD = [Inject.model_validate({"id": "a", "at": "T+1m", "to": "X", "message": "m"}),
       Inject.model_validate({"id": "b", "at": "T+2m", "to": "X", "message": "n"})]
NEW = [{"id": "a", "at": "T+00:01:00", "to": "X", "message": "m"},
       {"id": "c", "at": "T+00:03:00", "to": "Y", "message": "new"}]


@pytest.mark.parametrize(("text", "kept"), [
    ("---\nmeta: 1\ninjects:\n- id: a   # at column 0\n  at: T+1m\n  to: X\n  message: m\n- id: b\n"
     "  at: T+2m\n  to: X\n  message: n\n# tail\nafter: 2\n", "- id: a   # at column 0\n  at: T+1m\n"),
    ("meta: 1\ninjects:\n  -\n    id: a\n    at: T+1m\n    to: X\n    message: m\n  - id: b\n    at: T+2m\n"
     "    to: X\n    message: n\nafter: 2\n", "  - id: a\n    at: T+00:01:00\n"),
    ("meta: 1\ninjects: [{id: a, at: T+1m, to: X, message: m},\n  {id: b, at: T+2m, to: X, message: n}]\n"
     "after: 2\n", "  - id: a\n    at: T+00:01:00\n"),
], ids=["column-0", "dash-alone", "flow"])
def test_any_layout_of_the_section_is_replaced(text: str, kept: str):
    out = replace_injects(text, OLD, NEW)
    assert out.startswith(text.split("injects:")[0] + "injects:") and out.endswith("after: 2\n")
    assert kept in out
    data = yaml.safe_load(out)
    assert [Inject.model_validate(i) for i in data["injects"]] == [Inject.model_validate(i) for i in NEW]


def test_no_injects_left_is_an_empty_list_keeping_the_comment():
    text = "meta: 1\ninjects:  # the MSEL\n  - id: a\n    at: T+1m\n    to: X\n    message: m\n# end\n"
    assert replace_injects(text, OLD[:1], []) == "meta: 1\ninjects: []  # the MSEL\n# end\n"
