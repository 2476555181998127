"""Taking back the players' last decision: the session rebuilt from its journal without it, exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ttxsim.tui.session import ExerciseSession, SessionError

REFERENCE = Path(__file__).parents[2] / "scenarios" / "concert_hall.yaml"


def _start(tmp_path: Path, name: str) -> ExerciseSession:
    return ExerciseSession.start(REFERENCE, seed=1, journal_path=tmp_path / f"{name}.jsonl")


def _to_ch17(session: ExerciseSession) -> None:
    """Into the incident, to CH-17 (locked exits) at T+00:02:00."""
    session.run_to(119, stop_at_injects=False)
    session.next_inject()
    assert session.current.inject.id == "CH-17"


def _facts(session: ExerciseSession) -> tuple:
    """Everything an undo must restore: model state, MSEL, applied actions, evaluation, notes."""
    msel = [(s.inject.id, s.due_s, s.delivered_s, s.how, s.choice, s.chosen_s, s.chosen_by, s.deadline_abs_s,
             s.current) for s in session.injects]
    log = [(line.t, line.kind, line.text) for line in session.log if line.kind != "undo"]  # says it, below
    return (session.clock(), session.state(), msel, session.applied, session.ratings,
            [(n.t, n.text) for n in session.notes], log, session.safe_series)


def test_undo_leaves_exactly_the_session_played_without_that_decision(tmp_path):
    played, fresh = _start(tmp_path, "played"), _start(tmp_path, "fresh")
    _to_ch17(played)
    _to_ch17(fresh)
    played.choose("CH-17", "open_all")
    assert played.state().openings["ex_stalls_w2"] == "open"
    for session in (played, fresh):
        session.step(30)
        session.note("Stewards report a crowd at the west exits")
        session.rate("OBJ-3", "Public Information and Warning", "M")
    state = played.undo()
    assert state.inject.id == "CH-17" and state.awaiting_decision, "open again: its deadline has not passed"
    assert played.state().openings["ex_stalls_w2"] == "locked"
    assert _facts(played) == _facts(fresh)
    said = [line.text for line in played.log if line.kind == "undo"]
    assert said == ["CH-17: the players' decision “Open all five emergency exits” taken back; the session "
                    "is rebuilt without it"]
    assert played.final_result().to_dict() == fresh.final_result().to_dict()


def test_a_deadline_passed_since_the_decision_applies_its_default_after_the_undo(tmp_path):
    played, fresh = _start(tmp_path, "played"), _start(tmp_path, "fresh")
    _to_ch17(played)
    _to_ch17(fresh)
    played.choose("CH-17", "open_all")
    for session in (played, fresh):
        session.run_to(400, stop_at_injects=False)  # past CH-17's two-minute deadline
    played.undo()
    ch17 = played.inject("CH-17")
    assert (ch17.choice, ch17.chosen_by) == (ch17.inject.decision.default, "default")
    assert _facts(played) == _facts(fresh)


def test_the_journal_keeps_the_decision_and_appends_the_undo(tmp_path):
    session = _start(tmp_path, "j")
    _to_ch17(session)
    session.choose("CH-17", "open_all")
    before = session.journal_path.read_bytes()
    session.undo()
    after = session.journal_path.read_bytes()
    assert after.startswith(before), "nothing written before the undo is rewritten"
    undo = json.loads(after[len(before):])
    assert (undo["cmd"], undo["inject"], undo["option"]) == ("undo", "CH-17", "open_all")
    assert undo["recs"] == [{"rec": "undone", "inject": "CH-17", "option": "open_all", "t": 120.0}]
    assert "CH-17" in session.walls.delivered and "CH-17" not in session.walls.decided, "no time to decide"


def test_resuming_or_replaying_a_journal_with_an_undo_rebuilds_the_same_session(tmp_path):
    session = _start(tmp_path, "j")
    _to_ch17(session)
    session.choose("CH-17", "open_all")
    session.step(20)
    session.undo()
    session.choose("CH-17", "open_stalls")  # the players decide anew
    session.step(20)
    facts, path = _facts(session), session.journal_path
    session.close()
    replayed = ExerciseSession.replay(path)
    assert _facts(replayed) == facts
    resumed = ExerciseSession.resume(REFERENCE, path)
    assert _facts(resumed) == facts
    assert resumed.inject("CH-17").choice == "open_stalls"
    resumed.undo()  # the undo goes on from the resumed journal
    assert resumed.inject("CH-17").awaiting_decision
    resumed.close()


def test_repeated_undos_go_further_back_and_then_there_is_nothing_to_undo(tmp_path):
    played, fresh = _start(tmp_path, "played"), _start(tmp_path, "fresh")
    for session in (played, fresh):
        session.run_to(-15 * 86400, stop_at_injects=False)  # CH-02 open
    played.choose("CH-02", "forward")
    for session in (played, fresh):
        session.run_to(-14 * 86400, stop_at_injects=False)  # CH-04 open
    played.choose("CH-04", "heightened")
    assert played.undo().inject.id == "CH-04"
    assert played.undo().inject.id == "CH-02"
    assert _facts(played) == _facts(fresh)
    with pytest.raises(SessionError, match="Nothing to undo"):
        played.undo()


def test_a_default_is_not_undone_and_the_refusal_says_why(tmp_path):
    session = _start(tmp_path, "j")
    with pytest.raises(SessionError, match="Nothing to undo: the players have taken no decision"):
        session.undo()
    session.run_to(-14 * 86400 + 1, stop_at_injects=False)  # CH-02's deadline passes: default
    lines = session.journal_path.read_text().count("\n")
    with pytest.raises(SessionError, match=r"Defaults applied at a deadline \(CH-02\) are not"):
        session.undo()
    assert session.journal_path.read_text().count("\n") == lines, "a refused undo is not journaled"


def test_an_undo_that_a_later_command_depends_on_is_refused_and_changes_nothing(tmp_path, monkeypatch):
    session = _start(tmp_path, "j")
    _to_ch17(session)
    session.choose("CH-17", "open_all")
    session.note("depends on the open exits")
    facts, journal = _facts(session), session.journal_path.read_bytes()
    perform = ExerciseSession._perform

    def refuse_the_note(self, entry):  # stands for a command that no longer applies without the decision
        if entry["cmd"] == "note":
            raise SessionError("no longer applies")
        return perform(self, entry)

    monkeypatch.setattr(ExerciseSession, "_perform", refuse_the_note)
    refusal = r"cannot take back CH-17: without it, the note given at T\+00:02:00"
    with pytest.raises(SessionError, match=refusal):
        session.undo()
    assert _facts(session) == facts and session.journal_path.read_bytes() == journal
