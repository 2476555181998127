"""The MSEL spreadsheet keeps everything: decisions, conditions, alternatives; edits in cells come back."""

from __future__ import annotations

from pathlib import Path

import pytest
from csv_sheets import sheet_rows, write_rows

from ttxsim.sim.msel import EXPORT_COLUMNS, export_msel, import_msel
from ttxsim.sim.scenario import ScenarioError, load_scenario
from ttxsim.sim.scenario.injects import Inject

ROOT = Path(__file__).resolve().parents[2]

AWKWARD = 'Braces {inside:room} and {harmed}, "quotes", commas, semicolons; ünïcode — 東京\nsecond line'
"""Text with everything a cell must carry through CSV, the cell reader and the decision cells."""

EVERY_FIELD = {
    "id": "X-1", "at": "T+00:04:00", "kind": "decision", "from": "Head steward", "to": "Control room",
    "channel": "radio", "message": AWKWARD,
    "expected_actions": ["Decide; quickly", "Tell {inside:room} people"], "questions": ["Who decides?"],
    "objective": "Operational coordination", "notes": "=SUM(A1) is not a formula\n  indented",
    "when": "inside:room > 10 and exit:door is locked", "unless": "decision:X-0 == hold",
    "decision": {
        "prompt": "Open the door? {inside:room} inside",
        "options": [
            {"id": "open", "label": "Open it, now: \"all\" of it",
             "actions": [{"action": "open_openings", "ids": ["door"]},
                         {"action": "announce", "quality": "poor"}]},
            {"id": "no", "label": "  No — keep it shut\nfor now  "},
            {"id": "escalate", "label": "Raise posture",
             "actions": [{"action": "raise_posture", "level": 2}, {"action": "dispatch", "unit": "police"}]},
        ],
        "default": "no",
        "deadline_s": 90.5,
    },
    "otherwise": {
        "message": "The door is already open; {inside:room} people still inside.",
        "from": "Steward 2", "to": "Control room", "channel": "phone", "kind": "information",
        "expected_actions": [], "questions": ["Is the room clear?"], "objective": "", "notes": "Alt note",
        "decision": {"prompt": "Send someone?", "default": "go", "deadline_s": 60,
                     "options": [{"id": "go", "label": "Go", "actions": [{"action": "order_evacuation"}]},
                                 {"id": "stay", "label": "Stay"}]},
    },
}
"""An inject that sets every field, a condition and an alternative with a decision of its own."""

PLAIN = {"id": "2", "on": "alarm", "delay_s": 30, "to": "Stewards", "message": "Go",
         "unless": "threat is contained"}


@pytest.mark.parametrize("name", ["concert_hall", "theatre"])
def test_shipped_scenarios_round_trip_exactly(tmp_path: Path, name: str):
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    assert any(i.decision is not None for i in scenario.injects)
    out = tmp_path / "msel.csv"
    export_msel(scenario.injects, out)
    back = [Inject.model_validate(i) for i in import_msel(out)]
    assert back == scenario.injects  # decisions, options, actions, triggers, conditions, alternatives
    assert all("not imported" not in i.notes for i in back)


def test_every_field_survives_export_then_import(tmp_path: Path):
    injects = [Inject.model_validate(EVERY_FIELD), Inject.model_validate(PLAIN)]
    out = tmp_path / "msel.csv"
    export_msel(injects, out)
    back = [Inject.model_validate(i) for i in import_msel(out)]
    assert back == injects
    assert back[0].otherwise is not None and back[0].otherwise.expected_actions == []  # set, empty
    assert back[0].otherwise.objective == "" and back[0].otherwise.sender == "Steward 2"
    assert back[1].on == "alarm" and back[1].delay_s == 30 and back[1].otherwise is None


def test_the_sheet_reads_as_a_trainer_expects(tmp_path: Path):
    out = tmp_path / "msel.csv"
    export_msel([Inject.model_validate(EVERY_FIELD), Inject.model_validate(PLAIN)], out)
    first, second = sheet_rows(out)
    assert list(first)[:len(EXPORT_COLUMNS)] == list(EXPORT_COLUMNS)
    assert "Otherwise Decision" in first and "Otherwise Inject Mode" in first  # used, so written
    assert first["Options"].splitlines() == ['open: Open it, now: "all" of it',
                                             'no: "  No — keep it shut\\nfor now  "',
                                             "escalate: Raise posture"]
    assert first["Option Actions"].splitlines() == ["open: open_openings ids=door",
                                                    "open: announce quality=poor",
                                                    "escalate: raise_posture level=2",
                                                    "escalate: dispatch unit=police"]
    assert (first["Default"], first["Deadline"]) == ("no", "00:01:30.500")
    assert first["When"] == "inside:room > 10 and exit:door is locked"
    assert first["Otherwise Expected Participant Response"] == "(none)"
    assert second["Designated Scenario Time"] == "on alarm + 00:00:30" and second["Decision"] == ""


def test_a_sheet_without_alternatives_has_no_optional_columns(tmp_path: Path):
    out = tmp_path / "msel.csv"
    export_msel([Inject.model_validate(PLAIN)], out)
    assert list(sheet_rows(out)[0]) == list(EXPORT_COLUMNS)


def test_edits_in_the_spreadsheet_come_back(tmp_path: Path):
    out = tmp_path / "msel.csv"
    export_msel([Inject.model_validate(EVERY_FIELD), Inject.model_validate(PLAIN)], out)
    rows = sheet_rows(out)
    rows[0]["Default"] = "escalate"
    rows[0]["Options"] = rows[0]["Options"].replace("Raise posture", "Raise the posture to high")
    rows[0]["Option Actions"] += "\nno: lock_openings ids = door"  # spaces around = are fine
    rows[0]["Deadline"] = "0:03"  # hours:minutes, as in a time cell
    rows[1]["When"] = "decision:X-1 == open"
    rows[1]["Otherwise Message"] = "The door stayed shut."
    rows[1]["Decision"] = "Evacuate?"
    rows[1]["Options"] = "- go: Go\n- wait: Wait"  # bullets, as people type them
    rows[1]["Default"] = "wait"
    write_rows(out, rows)
    first, second = (Inject.model_validate(i) for i in import_msel(out))
    assert first.decision is not None and first.decision.default == "escalate"
    assert first.decision.deadline_s == 180
    assert first.decision.options[2].label == "Raise the posture to high"
    assert first.decision.options[1].actions == [{"action": "lock_openings", "ids": ["door"]}]
    assert second.when == "decision:X-1 == open" and second.otherwise is not None
    assert second.otherwise.message == "The door stayed shut." and second.otherwise.to is None
    assert second.decision is not None and [o.id for o in second.decision.options] == ["go", "wait"]
    assert second.decision.deadline_s == 120  # the default, when Deadline is empty


@pytest.mark.parametrize(("column", "value", "path", "words"), [
    ("Default", "maybe", "injects[0].decision.default",
     "'maybe' is not one of the options: open, no, escalate"),
    ("Deadline", "90", "injects[0].decision.deadline_s", "a bare number ('90') is ambiguous"),
    ("Options", "open Open it", "injects[0].decision.options[0]", "is not `id: label`"),
    ("Option Actions", "opem: announce", "injects[0].decision.options.actions",
     "options: open, no, escalate"),
    ("Option Actions", "open: raise_posture level", "injects[0].decision.options[0].actions",
     "'level' is not `key=value`"),
    ("Decision", "", "injects[0].decision.prompt", "every decision needs its question (Decision)"),
    ("Otherwise Event Type", "Rumour", "injects[0].otherwise.kind", "Input should be"),
    ("Unless", "x" * 501, "injects[0].unless", "at most 500 characters"),
])
def test_a_bad_cell_is_located_at_its_column(tmp_path: Path, column: str, value: str, path: str, words: str):
    out = tmp_path / "msel.csv"
    export_msel([Inject.model_validate(EVERY_FIELD)], out)
    rows = sheet_rows(out)
    rows[0][column] = value
    write_rows(out, rows)
    with pytest.raises(ScenarioError) as info:
        import_msel(out)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.path) == (str(out), 2, path)
    assert problem.column == list(rows[0]).index(column) + 1
    assert problem.message.startswith(f'column "{column}": ') and words in problem.message


def test_other_tools_column_names_still_read(tmp_path: Path):
    sheet = tmp_path / "other.csv"
    sheet.write_text("Inject #,Time,Recipient,Inject Description,Decision Prompt,Choices,Default Option,"
                     "Condition,Alternative\r\n"
                     "7,T+0:05,Control,Smoke seen,Evacuate?,\"go: Go\nhold: Hold\",hold,smoke:foyer,"
                     "No smoke\r\n",
                     encoding="utf-8")
    (inject,) = import_msel(sheet)
    assert inject["decision"]["options"] == [{"id": "go", "label": "Go"}, {"id": "hold", "label": "Hold"}]
    assert inject["when"] == "smoke:foyer" and inject["otherwise"] == {"message": "No smoke"}
    assert "notes" not in inject  # nothing known goes to the notes
