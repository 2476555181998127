"""Conditional injects in a session: delivered, replaced by their alternative, or skipped; live values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conditional_scenario import conditional_yaml

from ttxsim.sim.conditions import facts_of, fill_text
from ttxsim.tui.replay import read_checked, replay_commands
from ttxsim.tui.session import ExerciseSession, SessionError


@pytest.fixture
def start(tmp_path: Path):
    opened: list[ExerciseSession] = []

    def make(**overrides) -> ExerciseSession:
        path = tmp_path / "scenario.yaml"
        path.write_text(conditional_yaml(**overrides), encoding="utf-8")
        session = ExerciseSession.start(path, seed=3, journal_path=tmp_path / f"j{len(opened)}.jsonl")
        opened.append(session)
        return session

    yield make
    for session in opened:
        session.close()


def _recs(path: Path) -> list[dict]:
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    return [r for e in lines for r in e.get("recs", ())]


def _play(session: ExerciseSession, choice: str) -> None:
    session.next_inject()
    session.choose("D1", choice)
    session.run_to(60, stop_at_injects=False)


def test_a_condition_that_holds_delivers_the_inject_as_written(start):
    session = start()
    _play(session, "leave")
    i2, i3 = session.inject("I2"), session.inject("I3")
    assert (i2.outcome, i2.status, i2.inject.sender) == ("delivered", "delivered", "Exercise control")
    assert i2.text == "Locked exits: Side exit."
    assert "held" in i2.reason and "Side exit is locked" in i2.reason
    assert (i3.outcome, i3.status, i3.delivered_s) == ("skipped", "skipped", None)
    assert "failed" in i3.reason and "D1: leave" in i3.reason
    assert any(line.kind == "inject" and line.text.startswith("I3 skipped") for line in session.log)


def test_a_failing_condition_delivers_the_alternative_keeping_id_and_time(start):
    session = start()
    _play(session, "open")
    i2, i3 = session.inject("I2"), session.inject("I3")
    assert (i2.outcome, i2.delivered_s, i2.inject.id) == ("replaced", 10.0, "I2")
    assert i2.inject.sender == "Steward" and i2.inject.to == "Manager", "fields left out are the inject's own"
    assert i2.text == "Every exit is open: Front door, Side exit."
    assert i2.planned.message == "Locked exits: {locked_exits}."
    assert i3.outcome == "delivered" and i3.text == "The side exit you opened is busy."


def test_the_journal_records_the_text_delivered_and_the_skips(start):
    session = start()
    _play(session, "leave")
    recs = {r["inject"]: r for r in _recs(session.journal_path) if r["rec"] in ("delivered", "skipped")}
    assert recs["I2"]["text"] == "Locked exits: Side exit." and recs["I2"]["as"] == "inject"
    assert recs["I3"]["rec"] == "skipped" and "decision(D1) is open" in recs["I3"]["why"]


def test_live_values_match_the_model_at_delivery(start):
    session = start()
    session.next_inject()
    session.choose("D1", "leave")
    while session.current.inject.id != "I4":
        session.next_inject()
    state = session.state()
    assert session.now == 40.0
    i4 = session.inject("I4")
    room = state.zones["room"] + state.sheltering.get("room", 0)
    assert 0 < state.inside < 50, "some people are still inside, some out"
    assert i4.text == (f"{state.inside + state.sheltered} inside, {room} in the room, {state.safe} out at "
                       "T+00:00:40; {braces}.")
    assert i4.questions == ["Who is still in none?"]
    assert i4.facts[0].startswith(f"Inside: {state.inside + state.sheltered}")
    assert "Side exit" in i4.facts[1] and "locked" in i4.facts[1]
    assert i4.text == fill_text(i4.planned.message, facts_of(session.sim, {"D1": "leave"}))


def test_replay_reproduces_conditional_deliveries_and_refuses_a_changed_text(start, tmp_path):
    session = start()
    _play(session, "open")
    session.close()
    again = ExerciseSession.replay(session.journal_path)
    assert [(s.outcome, s.text) for s in again.injects] == [(s.outcome, s.text) for s in session.injects]
    contents = read_checked(session.journal_path)
    entries = json.loads(json.dumps(contents.entries))
    for entry in entries:
        for rec in entry.get("recs", ()):
            if rec.get("inject") == "I2":
                rec["text"] = "Every exit is shut."
    fresh = ExerciseSession(session.base_scenario, scenario_path=session.scenario_path, seed=3)
    with pytest.raises(SessionError, match="does not give the same deliveries"):
        replay_commands(fresh, entries, contents.numbers, session.journal_path)


def test_out_of_turn_a_skipped_inject_can_still_be_delivered(start):
    session = start()
    _play(session, "leave")
    session.deliver_now("I3")
    i3 = session.inject("I3")
    assert i3.status == "current" and i3.text == "The side exit you opened is busy."
    assert "failed" in i3.reason


def test_unless_skips_the_inject_and_its_alternative_alike(start):
    session = start(injects=[{"id": "I2", "unless": "decision(D1) is open"}])
    _play(session, "open")
    i2 = session.inject("I2")
    assert (i2.status, i2.outcome) == ("skipped", "skipped")
    assert i2.reason.startswith("unless 'decision(D1) is open' held")
