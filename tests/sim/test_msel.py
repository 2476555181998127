"""HSEEP MSEL import and export: column names, time forms in a sheet, located errors, round trips, CLI."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ttxsim.sim.msel import EXPORT_COLUMNS, MSEL_TIME_FORMS, dump_injects_yaml, export_msel, import_msel
from ttxsim.sim.scenario import ScenarioError, load_scenario
from ttxsim.sim.scenario.injects import Inject
from ttxsim.tui.cli import cli

START = datetime(2024, 3, 22, 19, 59)
"""t = 0 of the test exercise: doors open, first song."""

HEADER = ("Control #,Scenario Time,Inject Type,Inject Mode,From,To,Event Description,"
          "Expected Player Action,Move,Evaluator,Core Capability,Key Issues,Notes")

# One record per entry, in the sheet's text; entry 3 spans two lines (a quoted line break).
ROWS = [
    '1.1,T-14d,Contextual,Briefing,National Security Service,Venue security manager,'
    'National threat level raised to SUBSTANTIAL.,Review posture; Brief head stewards,'
    'Move 1,J. Smith,Intelligence and Information Sharing,What changes at the doors?,',
    '1.2,Day -14 09:00,Informational,E-mail,Promoter,Venue security manager,'
    'Sold out: 2 000 tickets.,,Move 1,,,,Pre-event planning',
    '2.1,Day 0 19:55,Expected Action,Phone,Caller (simulated),Venue control room,'
    '"Caller says a man with a large bag, near Door 3, is acting strangely.\r\n'
    'He went into the foyer, towards the bar.","- Dispatch a steward\n- Inform police",'
    'Move 2,A. Jones,Operational Communications,"Who calls the police?\nWho decides?",'
    'Caller hangs up after 40 s',
    '2.2,T+0:04,Decision,Radio,Head steward,Venue control room,Man seen with a weapon.,'
    'Decide on evacuation,Move 2,,,,',
    '2.3,20:04,Information,Radio,Steward 7,Venue control room,Crowd pushing at Door 1.,,Move 2,,,,',
    '2.4,+ 00:09:00,Contingency,Phone,Police control,Venue control room,Armed police 6 min out.,,,,,,',
    '2.5,2024-03-22 20:10,Information,Phone,Police control,Venue control room,Police on scene.,,,,,,',
    '2.6,22/03/2024 20:15,Information,Radio,Steward 2,Venue control room,Door 2 jammed open.,,,,,,',
    '2.7,3/22/2024 8:20 PM,Information,Media,Local radio,Press officer,Radio reports shots fired.,'
    ',,,,,',
    '3.1,on first_detection + 00:02:00,Media Enquiry,Phone,BBC Radio,Press officer,'
    'Journalist asks for a statement.,Prepare a holding statement,,,,,',
    ',T+45m,,,,Venue duty manager,"=Total: 12 injured, 1 critical",,,,,,',
]


def csv_bytes(header: str = HEADER, rows: list[str] = ROWS) -> bytes:
    """The sheet as Excel saves it: UTF-8 with a byte-order mark and CRLF line ends."""
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8-sig")


def line_of(index: int, rows: list[str] = ROWS) -> int:
    """The CSV line on which record `index` starts (the header is line 1)."""
    return 2 + index + sum(row.count("\n") for row in rows[:index])


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "msel.csv"
    path.write_bytes(csv_bytes())
    return path


def write_sheet(tmp_path: Path, rows: list[str], header: str = HEADER, name: str = "bad.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(csv_bytes(header, rows))
    return path


def only_problem(path: Path, **kwargs):
    with pytest.raises(ScenarioError) as info:
        import_msel(path, **kwargs)
    problems = info.value.problems
    assert len(problems) == 1, "\n".join(map(str, problems))
    assert problems[0].file == str(path)
    return problems[0]


# --- import ------------------------------------------------------------------------------

def test_realistic_sheet_imports(sheet: Path):
    injects = import_msel(sheet, event_start=START)
    by_id = {i["id"]: i for i in injects}
    assert list(by_id) == ["1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7",
                           "3.1", f"I{line_of(10)}"]  # event numbers as written; none → I<line>
    for inject in injects:
        Inject.model_validate(inject)

    first = by_id["1.1"]
    assert first == {
        "id": "1.1", "at": "T-14d", "kind": "contextual", "from": "National Security Service",
        "to": "Venue security manager", "channel": "Briefing",
        "message": "National threat level raised to SUBSTANTIAL.",
        "expected_actions": ["Review posture", "Brief head stewards"],
        "questions": ["What changes at the doors?"],
        "objective": "Intelligence and Information Sharing",
        "notes": "Move: Move 1\nEvaluator: J. Smith",
    }
    caller = by_id["2.1"]
    assert caller["message"] == ("Caller says a man with a large bag, near Door 3, is acting strangely.\n"
                                 "He went into the foyer, towards the bar.")
    assert caller["expected_actions"] == ["Dispatch a steward", "Inform police"]
    assert caller["questions"] == ["Who calls the police?", "Who decides?"]
    assert caller["notes"] == "Caller hangs up after 40 s\nMove: Move 2\nEvaluator: A. Jones"
    assert caller["channel"] == "Phone" and caller["kind"] == "expected_action"
    assert "kind" not in by_id["1.2"] and by_id["1.2"]["notes"].startswith("Pre-event planning")
    assert by_id["2.2"]["kind"] == "decision"
    assert by_id["2.4"]["kind"] == "contingency"
    media = by_id["3.1"]
    assert media["on"] == "first_detection" and media["delay_s"] == 120.0 and "at" not in media
    assert "kind" not in media and "Inject Type: Media Enquiry" in media["notes"]
    unnamed = by_id[f"I{line_of(10)}"]
    assert unnamed["message"] == "=Total: 12 injured, 1 critical"
    assert "from" not in unnamed  # fields at their defaults (sender, kind, channel) are left out


def test_every_time_form(sheet: Path):
    at = {i["id"]: i.get("at") for i in import_msel(sheet, event_start=START)}
    assert at["1.1"] == "T-14d"
    assert at["1.2"] == "T-346:59:00"  # 8 March 09:00 is 14 days 10 h 59 min before 22 March 19:59
    assert at["2.1"] == "T-00:04:00"  # Day 0 19:55 with t = 0 at 19:59
    assert at["2.2"] == "T+00:04:00"  # T+H:MM, as HSEEP writes it
    assert at["2.3"] == "T+00:05:00"  # an unsigned clock is a time of day on the event's date
    assert at["2.4"] == "T+00:09:00"
    assert at["2.5"] == "T+00:11:00"
    assert at["2.6"] == "T+00:16:00"  # day first: 22 > 12
    assert at["2.7"] == "T+00:21:00"  # month first: 22 > 12, PM
    assert at[f"I{line_of(10)}"] == "T+00:45:00"


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_delimiters_are_sniffed(tmp_path: Path, delimiter: str):
    text = (f"Event No.{delimiter}Time{delimiter}To{delimiter}Message\n"
            f"5{delimiter}T+1m{delimiter}Control{delimiter}\"Fire, in the kitchen; smoke\"\n")
    path = tmp_path / "msel.csv"
    path.write_text(text, encoding="utf-8")
    assert import_msel(path) == [{"id": "5", "at": "T+00:01:00", "to": "Control",
                                  "message": "Fire, in the kitchen; smoke"}]


def test_excel_unicode_text_and_windows_1252(tmp_path: Path):
    text = "Inject #\tDelivery Time\tRecipient(s)\tInject\r\nA-1\tT+2m\tCafé staff\tGâteau on fire\r\n"
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(text.encode("utf-16"))
    cp1252 = tmp_path / "cp1252.csv"
    cp1252.write_bytes(text.encode("cp1252"))
    expected = [{"id": "A-1", "at": "T+00:02:00", "to": "Café staff", "message": "Gâteau on fire"}]
    assert import_msel(utf16) == expected
    assert import_msel(cp1252) == expected


def test_title_rows_above_the_header_are_skipped(tmp_path: Path):
    path = write_sheet(tmp_path, ["", "Event Number,Time,To,Message", "1,T+1m,Control,Go"],
                       header="Operation Encore — MSEL v3,,,")
    assert import_msel(path) == [{"id": "1", "at": "T+00:01:00", "to": "Control", "message": "Go"}]


def test_ids_are_kept_as_written(tmp_path: Path):
    path = write_sheet(tmp_path, ["10a,T+1m,A,x", "1.2,T+2m,A,y", "INJ-4,T+3m,A,z", "12,T+4m,A,w",
                                  ",T+5m,A,v"], header="Event Number,Time,To,Message")
    injects = import_msel(path)
    assert [i["id"] for i in injects] == ["10a", "1.2", "INJ-4", "12", "I6"]
    assert yaml.safe_load(dump_injects_yaml(injects))["injects"] == injects  # `12` stays text


def test_an_id_that_cannot_be_one_is_located_with_a_suggestion(tmp_path: Path):
    path = write_sheet(tmp_path, ["#12,T+1m,A,x", "Inject 4,T+2m,A,y", "ok,soon,A,z"],
                       header="Event Number,Time,To,Message")
    with pytest.raises(ScenarioError) as info:
        import_msel(path)
    assert [str(p).split(": ", 2)[1:] for p in info.value.problems] == [
        ["injects[0].id", "column \"Event Number\": invalid id '#12': an inject id is a letter or digit, "
                          "then up to 63 letters, digits, '_', '.' or '-'; write e.g. '12'"],
        ["injects[1].id", "column \"Event Number\": invalid id 'Inject 4': an inject id is a letter or "
                          "digit, then up to 63 letters, digits, '_', '.' or '-'; write e.g. 'Inject_4'"],
        ["injects[2].at", f"column \"Time\": invalid time 'soon'; expected {MSEL_TIME_FORMS}"],
    ]


def test_a_row_without_a_number_cannot_take_a_written_id(tmp_path: Path):
    path = write_sheet(tmp_path, ["I3,T+1m,A,x", ",T+2m,A,y"], header="Event Number,Time,To,Message")
    problem = only_problem(path)
    assert (problem.line, problem.path) == (3, "injects[1].id")
    assert problem.message == ('column "Event Number": this row has no event number, and the id it would '
                               "get, 'I3', is used on line 2; give it an event number")


def test_an_id_starting_with_a_digit_goes_through_journal_resume_and_report(tmp_path: Path, write_yaml,
                                                                            make_scenario_data):
    from ttxsim.tui.aar import write_aar
    from ttxsim.tui.session import ExerciseSession

    sheet = write_sheet(tmp_path, ["10a,T+0:01,Control,Smoke seen", "2,T+0:02,Control,Alarm"],
                        header="Event Number,Time,To,Message")
    injects = import_msel(sheet)
    injects[0]["decision"] = {"prompt": "Evacuate?", "default": "hold",
                              "options": [{"id": "hold", "label": "Hold"}, {"id": "go", "label": "Go"}]}
    scenario = write_yaml(make_scenario_data(injects=injects))
    journal = tmp_path / "session.jsonl"
    played = ExerciseSession.start(scenario, seed=1, journal_path=journal)
    assert [s.inject.id for s in played.next_inject()] == ["10a"]
    played.choose("10a", "go")
    played.note("Quick call", "10a")
    played.close()
    again = ExerciseSession.resume(scenario, journal)
    assert again.inject("10a").choice == "go"
    assert [s.inject.id for s in again.next_inject()] == ["2"]
    report = write_aar(again, tmp_path / "aar.md", futures=0).read_text(encoding="utf-8")
    again.close()
    assert "10a" in report and "[10a] Quick call" in report


# --- located errors ------------------------------------------------------------------------

def test_bad_time_is_located(tmp_path: Path):
    rows = list(ROWS)
    rows[4] = rows[4].replace("20:04", "half past")
    path = write_sheet(tmp_path, rows)
    problem = only_problem(path, event_start=START)
    # record 4 starts on line 9: the header, four records, one of them on four lines
    assert (problem.line, problem.column, problem.path) == (line_of(4), 2, "injects[4].at")
    assert problem.line == 9
    assert str(problem).startswith(f"{path}:9:2: injects[4].at: column \"Scenario Time\": "
                                   "invalid time 'half past'")


def test_duplicate_id_is_located(tmp_path: Path):
    rows = list(ROWS)
    rows[5] = rows[5].replace("2.4,", "2.2,", 1)
    problem = only_problem(write_sheet(tmp_path, rows), event_start=START)
    assert (problem.line, problem.column, problem.path) == (line_of(5), 1, "injects[5].id")
    assert "duplicate id '2.2'" in problem.message and f"line {line_of(3)}" in problem.message


def test_missing_message_is_located(tmp_path: Path):
    rows = list(ROWS)
    rows[6] = rows[6].replace("Police on scene.", "")
    problem = only_problem(write_sheet(tmp_path, rows), event_start=START)
    assert (problem.line, problem.column, problem.path) == (line_of(6), 7, "injects[6].message")
    assert "needs the message" in problem.message


def test_day_without_a_start_is_located(sheet: Path):
    with pytest.raises(ScenarioError) as info:
        import_msel(sheet)
    located = [(p.line, p.column, p.path) for p in info.value.problems]
    assert located == [(line_of(i), 2, f"injects[{i}].at") for i in (1, 2, 4, 6, 7, 8)]


def test_every_problem_is_reported(tmp_path: Path):
    rows = ["1,T+1m,Control,", "1,whenever,Control,Hello", "3,3/4/2024 10:00,,Hi"]
    path = write_sheet(tmp_path, rows, header="Event Number,Time,To,Message")
    with pytest.raises(ScenarioError) as info:
        import_msel(path, event_start=START)
    assert [str(p).split(": ")[0:2] for p in info.value.problems] == [
        [f"{path}:2:4", "injects[0].message"],
        [f"{path}:3:2", "injects[1].at"],
        [f"{path}:4:2", "injects[2].at"],
    ]


def test_missing_columns_are_reported(tmp_path: Path):
    path = write_sheet(tmp_path, ["1,Control"], header="Event Number,To")
    with pytest.raises(ScenarioError) as info:
        import_msel(path)
    assert [(p.line, p.path) for p in info.value.problems] == [(1, "(header)"), (1, "(header)")]
    assert "no column for the time" in str(info.value) and "no column for the message" in str(info.value)


def test_missing_file_is_located(tmp_path: Path):
    problem = only_problem(tmp_path / "nowhere.csv")
    assert (problem.line, problem.column, problem.path) == (1, 1, "(file)")


# --- export and round trips -----------------------------------------------------------------

def test_export_writes_hseep_columns_for_excel(sheet: Path, tmp_path: Path):
    out = tmp_path / "out.csv"
    export_msel(import_msel(sheet, event_start=START), out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").split("\r\n")[0] == ",".join(EXPORT_COLUMNS)
    text = data.decode("utf-8-sig")
    assert "on first_detection + 00:02:00" in text
    assert "'=Total: 12 injured, 1 critical" in text  # not run as a spreadsheet formula


@pytest.mark.parametrize("start", [None, START])
def test_import_export_import_round_trips(sheet: Path, tmp_path: Path, start: datetime | None):
    first = import_msel(sheet, event_start=START)
    out = tmp_path / "again.csv"
    export_msel(first, out, event_start=start)
    if start is not None:
        assert "2024-03-08 09:00:00" in out.read_text(encoding="utf-8-sig")
    assert import_msel(out, event_start=start) == first


def test_export_keeps_the_decision_with_its_options_and_actions(tmp_path: Path, make_scenario):
    decision = {
        "prompt": "Evacuate now?",
        "options": [{"id": "evacuate", "label": "Evacuate the hall",
                     "actions": [{"action": "order_evacuation"}, {"action": "announce", "quality": "clear"}]},
                    {"id": "hold", "label": "Hold and search"}],
        "default": "hold",
        "deadline_s": 90,
    }
    injects = [
        {"id": "I1", "at": "T-14d", "kind": "contextual", "from": "Police", "to": "Manager",
         "message": "Threat level raised.", "expected_actions": ["Brief staff"]},
        {"id": "I2", "at": "T+00:04:00", "kind": "decision", "to": "Control", "channel": "radio",
         "message": "A weapon is seen.", "expected_actions": ["Decide", "Call police"],
         "questions": ["Who decides?"], "objective": "Operational coordination",
         "notes": "Key moment.", "decision": decision},
    ]
    scenario = make_scenario(injects=injects)
    out = tmp_path / "msel.csv"
    export_msel(scenario.injects, out)
    text = out.read_text(encoding="utf-8-sig")
    assert "evacuate: Evacuate the hall\nhold: Hold and search" in text.replace("\r\n", "\n")
    assert "evacuate: order_evacuation\nevacuate: announce quality=clear" in text.replace("\r\n", "\n")
    back = import_msel(out)
    assert back[0] == injects[0]
    assert back[1]["notes"] == "Key moment."  # nothing goes to the notes any more
    assert [Inject.model_validate(i) for i in back] == scenario.injects


# --- command line -----------------------------------------------------------------------------

def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_import_writes_injects_yaml(sheet: Path, tmp_path: Path):
    out = tmp_path / "injects.yaml"
    result = run("msel", "import", str(sheet), "--out", str(out), "--start", "2024-03-22T19:59")
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert list(document) == ["injects"]
    assert document["injects"] == import_msel(sheet, event_start=START)
    assert "message: |" in out.read_text(encoding="utf-8")  # multi-line text stays readable
    assert "11 injects" in result.output


def test_cli_import_takes_the_start_from_the_scenario(tmp_path: Path, write_yaml, make_scenario_data):
    scenario = write_yaml(make_scenario_data(meta={"start_time": "2024-03-22T19:59:00+03:00"}))
    path = write_sheet(tmp_path, ["1,Day 0 19:55,Control,Go"], header="Event Number,Time,To,Message")
    out = tmp_path / "injects.yaml"
    result = run("msel", "import", str(path), "--out", str(out), "--scenario", str(scenario))
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(out.read_text())["injects"][0]["at"] == "T-00:04:00"


def test_cli_import_failure_writes_nothing(tmp_path: Path):
    rows = list(ROWS)
    rows[4] = rows[4].replace("20:04", "half past")
    path = write_sheet(tmp_path, rows)
    out = tmp_path / "injects.yaml"
    result = CliRunner().invoke(cli, ["msel", "import", str(path), "--out", str(out),
                                      "--start", "2024-03-22T19:59"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{path}:9:2: injects[4].at: column \"Scenario Time\": "
                                          "invalid time 'half past'; "
                                          f"expected {result.stderr.split('expected ', 1)[1].strip()}"]
    assert not out.exists()

    out.write_text("injects: []  # curated by hand\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["msel", "import", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 6  # the bad time and five days/dates without a start
    assert out.read_text(encoding="utf-8") == "injects: []  # curated by hand\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "injects.yaml"]


def test_cli_import_rejects_a_bad_start(sheet: Path, tmp_path: Path):
    result = CliRunner().invoke(cli, ["msel", "import", str(sheet), "--out", str(tmp_path / "x.yaml"),
                                      "--start", "tonight"])
    assert result.exit_code == 2 and "ISO date" in result.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_cli_export_and_reimport(tmp_path: Path, write_yaml, make_scenario_data):
    injects = [{"id": "I1", "at": "T+00:04:00", "to": "Control", "message": "Smoke, kitchen"},
               {"id": "I2", "on": "alarm", "delay_s": 30, "to": "Stewards", "message": "Go"}]
    scenario = write_yaml(make_scenario_data(injects=injects))
    out = tmp_path / "msel.csv"
    result = run("msel", "export", str(scenario), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert import_msel(out) == [injects[0], {**injects[1], "delay_s": 30.0}]
    assert [i.id for i in load_scenario(scenario).injects] == ["I1", "I2"]


def test_cli_export_of_a_bad_scenario_is_located(tmp_path: Path, write_yaml, make_scenario_data):
    scenario = write_yaml(make_scenario_data(injects=[{"id": "I1", "at": "soon", "to": "A", "message": "x"}]))
    out = tmp_path / "msel.csv"
    result = CliRunner().invoke(cli, ["msel", "export", str(scenario), "--out", str(out)])
    assert result.exit_code == 2
    assert re.match(rf"{re.escape(str(scenario))}:\d+:\d+: injects\[0\]\.at: ", result.stderr)
    assert not out.exists()


def test_a_receiving_player_column_is_the_recipient(tmp_path):
    # Some MSEL templates name the recipient column "Receiving Player" (semicolon-separated
    # export from a spreadsheet, with a byte-order mark and CRLF line ends).
    sheet = tmp_path / "other.csv"
    sheet.write_bytes("\ufeffEvent #;Scenario Time;Receiving Player;Event Description\r\n"
                      "2a;T+0:02;Venue control room;First call\r\n".encode())
    (inject,) = import_msel(sheet)
    assert (inject["id"], inject["at"], inject["to"]) == ("2a", "T+00:02:00", "Venue control room")
