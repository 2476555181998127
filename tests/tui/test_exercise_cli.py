"""`ttxsim exercise` and `ttxsim report --journal`: refusals are messages with exit 2, journals are safe."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ttxsim.tui import cli, cli_exercise
from ttxsim.tui.session import ExerciseSession

REFERENCE = Path(__file__).parents[2] / "scenarios" / "concert_hall.yaml"


@pytest.fixture(autouse=True)
def _a_terminal(monkeypatch):
    """These tests check what is refused before the screen opens, as if run in a terminal."""
    monkeypatch.setattr(cli_exercise, "has_terminal", lambda: True)


def test_without_a_terminal_exercise_refuses_at_once_and_makes_no_journal(tmp_path):
    journal = tmp_path / "j.jsonl"
    started = time.monotonic()
    without_web_driver = {k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"}
    command = [sys.executable, "-m", "ttxsim.tui.cli", "exercise", str(REFERENCE), "--journal", str(journal)]
    with open(tmp_path / "out.txt", "w") as out:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.PIPE,
                              text=True, timeout=60, env=without_web_driver)
    assert done.returncode == 2 and "needs a terminal" in done.stderr and "--serve" in done.stderr
    assert time.monotonic() - started < 30 and not journal.exists()


def _invoke(*args: str):
    return CliRunner().invoke(cli.cli, list(args))


def test_an_unknown_protocol_is_refused_before_any_journal_is_made(tmp_path):
    journal = tmp_path / "j.jsonl"
    result = _invoke("exercise", str(REFERENCE), "-p", "nope", "--journal", str(journal))
    assert result.exit_code == 2 and "unknown protocol 'nope'" in result.output
    assert "Traceback" not in result.output and not journal.exists()


def test_journal_and_resume_together_are_a_usage_error(tmp_path):
    result = _invoke("exercise", str(REFERENCE), "--journal", "a.jsonl", "--resume", "b.jsonl")
    assert result.exit_code == 2 and "not both" in result.output


def test_a_bad_scenario_gets_located_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(REFERENCE.read_text().replace("horizon_s: 3600", "horizon_s: -5"))
    result = _invoke("exercise", str(bad), "--journal", str(tmp_path / "j.jsonl"))
    assert result.exit_code == 2
    assert f"{bad}:" in result.output and "meta.horizon_s" in result.output


def test_resuming_with_another_scenario_or_seed_is_refused_and_the_journal_kept(tmp_path):
    journal = tmp_path / "j.jsonl"
    session = ExerciseSession.start(REFERENCE, seed=4, journal_path=journal)
    session.next_inject()
    session.close()
    kept = journal.read_bytes()
    theatre = REFERENCE.with_name("theatre.yaml")
    result = _invoke("exercise", str(theatre), "--resume", str(journal))
    assert result.exit_code == 2 and "another scenario text" in result.output
    result = _invoke("exercise", str(REFERENCE), "--resume", str(journal), "--seed", "5")
    assert result.exit_code == 2 and "played with seed 4, not 5" in result.output
    result = _invoke("exercise", str(REFERENCE), "--journal", str(journal))
    assert result.exit_code == 2 and "already exists" in result.output
    assert journal.read_bytes() == kept


def test_a_damaged_journal_names_its_line(tmp_path):
    journal = tmp_path / "j.jsonl"
    session = ExerciseSession.start(REFERENCE, seed=4, journal_path=journal)
    session.next_inject()
    session.close()
    lines = journal.read_text().splitlines()
    lines[1] = "{not json"
    journal.write_text("\n".join(lines) + "\n")
    result = _invoke("exercise", str(REFERENCE), "--resume", str(journal))
    assert result.exit_code == 2 and f"{journal}:2: not a JSON line" in result.output
    other = tmp_path / "other.jsonl"
    other.write_text('{"hello": 1}\n')
    result = _invoke("exercise", str(REFERENCE), "--resume", str(other))
    assert result.exit_code == 2 and "not a ttxsim exercise journal" in result.output


def test_report_from_a_journal_writes_the_aar_and_refuses_a_damaged_one(tmp_path):
    journal = tmp_path / "j.jsonl"
    session = ExerciseSession.start(REFERENCE, seed=4, journal_path=journal)
    session.next_inject()
    session.note("Who else was told?")
    session.close()
    out = tmp_path / "aar.md"
    result = _invoke("report", "--journal", str(journal), "--out", str(out), "--futures", "0")  # one draw
    assert result.exit_code == 0 and result.output.strip() == str(out)
    text = out.read_text(encoding="utf-8")
    assert "After-Action Report" in text and "Who else was told?" in text and "CH-01" in text
    journal.write_text("{}\n")
    result = _invoke("report", "--journal", str(journal), "--out", str(tmp_path / "again.md"))
    assert result.exit_code == 2 and "not a ttxsim exercise journal" in result.output
    assert not (tmp_path / "again.md").exists()
    result = _invoke("report", "--out", str(out))
    assert result.exit_code == 2 and "one of them" in result.output
