"""`ttxsim journal decisions`: a session's choices, defaults and own actions as a decisions file."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ttxsim.sim.decisions import load_decisions_file
from ttxsim.tui.cli import cli
from ttxsim.tui.session import ExerciseSession

SIDE = {"id": "side", "between": ["room", "outside"], "width_m": 1.0, "at_m": [0, 5], "state": "locked"}
INJECTS = [
    {"id": "I-1", "at": 20.5, "kind": "decision", "to": "Venue", "message": "Open the side door?",
     "decision": {"prompt": "Side door?", "default": "keep", "options": [
         {"id": "open", "label": "Open it", "actions": [{"action": "open_openings", "ids": ["side"]}]},
         {"id": "keep", "label": "Keep it locked"}]}},
    {"id": "I-2", "at": 40, "kind": "decision", "to": "Venue", "message": "Announce?",
     "decision": {"prompt": "Announce?", "default": "clear", "deadline_s": 30, "options": [
         {"id": "clear", "label": "Clear", "actions": [{"action": "announce", "quality": "clear"}]},
         {"id": "quiet", "label": "Nothing"}]}},
]


@pytest.fixture
def played(tmp_path, write_yaml, make_scenario_data):
    """I-1 chosen by the players, I-2 left to its default, and the facilitator's own action."""
    scenario = write_yaml(make_scenario_data(venue={"openings": [SIDE]}, injects=INJECTS))
    session = ExerciseSession.start(scenario, seed=5, journal_path=tmp_path / "j.jsonl")
    session.next_inject()
    session.choose("I-1", "open")
    session.run_to(100, stop_at_injects=False)  # I-2's deadline passes: its default applies
    session.apply({"action": "lock_openings", "ids": ["side"]})
    yield scenario, session
    session.close()


def test_every_applied_action_is_exported_with_where_it_came_from(played, tmp_path):
    _, session = played
    out = tmp_path / "d.yaml"
    result = CliRunner().invoke(cli, ["journal", "decisions", str(session.journal_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 decision(s)" in result.stdout
    read = load_decisions_file(out)
    assert (read.protocol, read.seed, read.scenario_sha256) == ("baseline", 5, session.scenario_sha256)
    assert [(d.t, d.action.action, d.inject, d.option, d.by, d.due_s) for d in read.decisions] == [
        (20.5, "open_openings", "I-1", "open", "players", 20.5),
        (70.0, "announce", "I-2", "clear", "default", 40.0),
        (100.0, "lock_openings", None, None, "facilitator", None)]
    assert "# T+00:01:10 I-2 → clear (default)" in out.read_text(encoding="utf-8")


def test_run_with_the_exported_decisions_gives_the_sessions_result(played, tmp_path):
    scenario, session = played
    out = tmp_path / "d.yaml"
    CliRunner().invoke(cli, ["journal", "decisions", str(session.journal_path), "--out", str(out)])
    ran = CliRunner().invoke(cli, ["run", str(scenario), "--decisions", str(out), "--seed", "5", "--json"])
    assert ran.exit_code == 0, ran.output
    data = json.loads(ran.stdout)
    own = session.final_result().to_dict()
    assert {k: data[k] for k in own} == json.loads(json.dumps(own))
    assert data["decisions"][0]["by"] == "players"


def test_an_unusable_journal_or_output_is_a_message(tmp_path, played):
    _, session = played
    broken = tmp_path / "broken.jsonl"
    broken.write_text("not json\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["journal", "decisions", str(broken), "--out", str(tmp_path / "d.yaml")])
    assert result.exit_code == 2 and "broken.jsonl" in result.output and "Traceback" not in result.output
    journal = str(session.journal_path)
    folder = CliRunner().invoke(cli, ["journal", "decisions", journal, "--out", str(tmp_path)])
    assert folder.exit_code == 2 and "is a folder" in folder.output
    assert not (tmp_path / "d.yaml").exists()


def test_an_undone_decision_is_not_exported(tmp_path, write_yaml, make_scenario_data):
    """The journal keeps a decision that was taken back; the decisions file must not play it."""
    scenario = write_yaml(make_scenario_data(venue={"openings": [SIDE]}, injects=INJECTS))
    session = ExerciseSession.start(scenario, seed=5, journal_path=tmp_path / "j.jsonl")
    session.next_inject()
    session.choose("I-1", "open")
    session.undo()
    session.choose("I-1", "keep")
    session.close()
    out = tmp_path / "d.yaml"
    result = CliRunner().invoke(cli, ["journal", "decisions", str(session.journal_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [(d.action.action, d.option) for d in load_decisions_file(out).decisions] == []
    assert '"open"' in session.journal_path.read_text(encoding="utf-8")  # the journal still has it
