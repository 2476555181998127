"""The exercise session: MSEL delivery over the model, decisions, journal, resume and replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ttxsim.sim.decisions import load_decisions
from ttxsim.tui.action_words import describe_actions
from ttxsim.tui.journal_decisions import write_decisions
from ttxsim.tui.session import ExerciseSession, SessionError, format_clock

REFERENCE = Path(__file__).parents[2] / "scenarios" / "concert_hall.yaml"


@pytest.fixture
def session(tmp_path):
    s = ExerciseSession.start(REFERENCE, seed=1, journal_path=tmp_path / "j.jsonl")
    yield s
    s.close()


def _journal(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_clock_reads_days_before_and_time_after():
    assert format_clock(-16 * 86400) == "T−16d 00:00:00"
    assert format_clock(-7200) == "T−02:00:00"
    assert format_clock(250.4) == "T+00:04:10"
    assert format_clock(90000) == "T+1d 01:00:00"


def test_the_session_opens_at_the_first_inject_and_delivers_in_order(session):
    assert session.clock() == "T−16d 00:00:00"
    assert str(session.wall_clock()) == "2024-03-06 19:59:00+03:00"
    assert all(s.status == "upcoming" for s in session.injects)
    delivered = [session.next_inject() for _ in range(5)]
    ids = [[s.inject.id for s in d] for d in delivered]
    assert ids == [["CH-01"], ["CH-02"], ["CH-03"], ["CH-04"], ["CH-05"]], "two due together come in turn"
    assert session.clock() == "T−13d 00:00:00"
    assert session.current.inject.id == "CH-05" and session.current.status == "current"
    assert session.inject("CH-01").status == "delivered"


def test_a_deadline_passing_applies_the_default_and_logs_it(session):
    session.run_to(-15 * 86400, stop_at_injects=False)
    assert session.inject("CH-02").awaiting_decision
    session.run_to(-14 * 86400 + 1, stop_at_injects=False)  # CH-02's deadline is a day
    ch02 = session.inject("CH-02")
    assert (ch02.choice, ch02.chosen_by, ch02.chosen_s) == ("hold", "default", -14 * 86400)
    assert any(line.kind == "decision" and "CH-02" in line.text and "default" in line.text
               for line in session.log)
    records = [r for e in _journal(session.journal_path) for r in e.get("recs", ()) if r["rec"] == "default"]
    assert records == [{"rec": "default", "inject": "CH-02", "option": "hold", "t": -14 * 86400}]


def test_choosing_an_option_applies_its_actions_to_the_model(session):
    session.run_to(-14 * 86400, stop_at_injects=False)
    assert session.inject("CH-04").awaiting_decision
    session.choose("CH-04", "standby")
    assert session.applied == [(-14 * 86400, {"action": "dispatch", "unit": "police"}, "CH-04", "standby")]
    assert session.applied[0].why == "CH-04: standby"
    assert session.sim.pre_event.standby == ["police"]
    with pytest.raises(SessionError, match="already decided"):
        session.choose("CH-04", "routine")
    with pytest.raises(SessionError, match="not been delivered"):
        session.choose("CH-16", "evacuate")


def test_an_inject_on_a_model_event_comes_when_it_happens_plus_its_delay(session):
    session.run_to(0, stop_at_injects=False)
    ch16 = session.inject("CH-16")
    assert ch16.due_s is None  # waiting for first_detection
    while ch16.delivered_s is None:
        session.next_inject()
    detection = next(e.t for e in session.sim.events if e.kind == "detection")
    assert ch16.delivered_s == pytest.approx(detection + 20.0)
    assert ch16.how == "triggered"


def test_out_of_turn_delivery_and_refusals(session):
    session.deliver_now("CH-20")
    assert session.inject("CH-20").how == "out_of_turn"
    assert session.current.inject.id == "CH-20"
    with pytest.raises(SessionError, match="already delivered"):
        session.deliver_now("CH-20")
    with pytest.raises(SessionError, match="no inject"):
        session.deliver_now("CH-99")
    with pytest.raises(SessionError, match="past"):
        session.run_to(-20 * 86400)
    with pytest.raises(SessionError, match="invalid action"):
        session.apply({"action": "order_evacuation", "zones": "everywhere"})
    with pytest.raises(SessionError, match="applies once the event has started"):
        session.apply({"action": "order_evacuation"})
    with pytest.raises(SessionError, match="does not test"):
        session.rate("OBJ-1", "Mass Search and Rescue Operations", "P")
    with pytest.raises(SessionError, match="rating must be"):
        session.rate("OBJ-1", "Intelligence and Information Sharing", "X")
    commands = [e["cmd"] for e in _journal(session.journal_path) if "cmd" in e]
    assert commands == ["deliver"], "refused commands must not reach the journal"


def test_every_command_is_on_disk_before_the_call_returns(session):
    session.next_inject()
    session.note("Duty desk asks who else was told", inject_id="CH-01")
    lines = _journal(session.journal_path)
    assert lines[0]["format"] == "ttxsim-exercise-journal" and lines[0]["seed"] == 1
    assert lines[0]["scenario_sha256"] == session.scenario_sha256
    assert [e.get("cmd") or e.get("rec") for e in lines[1:]] == ["advance", "note"]
    assert [r["rec"] for r in lines[1]["recs"]] == ["delivered"], "a command's consequences share its line"
    assert lines[-1]["text"] == "Duty desk asks who else was told" and lines[-1]["inject"] == "CH-01"


def _play(session: ExerciseSession) -> None:
    """A short exercise: warnings, a decision, into the incident, a palette action, evaluation."""
    for _ in range(4):
        session.next_inject()
    session.choose("CH-04", "heightened")
    session.run_to(0, stop_at_injects=False)
    session.step(60)
    session.apply({"action": "open_openings", "ids": ["ex_stalls_w1"]})
    session.step(45)
    session.note("Control room hesitates")
    session.rate("OBJ-3", "Public Information and Warning", "M")
    session.observe("Public Information and Warning", "improvement", "No announcement for two minutes",
                    "No script", "Write pre-scripted messages", "OBJ-3")
    session.add_corrective_action("Public Information and Warning", "No script", "Write scripts",
                                  "Planning", "Venue", "Security manager", "2024-04", "2024-06")


def _snapshot(session: ExerciseSession) -> tuple:
    delivered = [(s.inject.id, s.delivered_s, s.how, s.choice, s.chosen_by) for s in session.injects]
    return (session.clock(), session.state(), delivered, session.applied, session.ratings,
            session.observations, session.corrective_actions, [n.text for n in session.notes],
            [(line.t, line.text) for line in session.log], session.safe_series)


def test_kill_and_resume_restores_the_same_session(tmp_path):
    path = tmp_path / "crash.jsonl"
    first = ExerciseSession.start(REFERENCE, seed=7, journal_path=path)
    _play(first)
    before = _snapshot(first)
    del first  # the terminal closed: nothing was shut down cleanly
    resumed = ExerciseSession.resume(REFERENCE, path)
    assert _snapshot(resumed) == before
    assert resumed.seed == 7
    resumed.step(30)  # it goes on writing to the same journal
    resumed.close()
    kinds = [e.get("cmd") or e.get("rec") for e in _journal(path)]
    assert kinds.count("resumed") == 1 and kinds[-1] == "advance"


def test_a_torn_last_line_is_cut_off_and_the_session_resumes(tmp_path):
    path = tmp_path / "torn.jsonl"
    s = ExerciseSession.start(REFERENCE, seed=2, journal_path=path)
    s.next_inject()
    s.next_inject()
    before = _snapshot(s)
    s.close()
    with path.open("a") as f:
        f.write('{"cmd":"note","text":"half a li')
    resumed = ExerciseSession.resume(REFERENCE, path)
    assert _snapshot(resumed) == before
    resumed.close()
    assert all(json.loads(line) for line in path.read_text().splitlines())


def test_replaying_a_journal_twice_gives_identical_sessions_and_outcomes(tmp_path):
    path = tmp_path / "replay.jsonl"
    s = ExerciseSession.start(REFERENCE, seed=3, journal_path=path)
    _play(s)
    s.close()
    one, two = ExerciseSession.replay(path), ExerciseSession.replay(path)
    assert _snapshot(one) == _snapshot(two) == _snapshot(s)
    assert one.final_result().to_dict() == two.final_result().to_dict()
    assert one.clock() == s.clock(), "looking ahead on a twin must not move the session"


def test_a_journal_from_another_scenario_text_is_refused(tmp_path):
    path = tmp_path / "j.jsonl"
    ExerciseSession.start(REFERENCE, seed=1, journal_path=path).close()
    edited = tmp_path / "edited.yaml"
    edited.write_text(REFERENCE.read_text().replace("horizon_s: 3600", "horizon_s: 3700"))
    with pytest.raises(SessionError, match="another scenario text"):
        ExerciseSession.resume(edited, path)
    with pytest.raises(SessionError, match="played with seed 1, not 5"):
        ExerciseSession.resume(REFERENCE, path, seed=5)


def test_an_existing_journal_is_never_overwritten(tmp_path):
    path = tmp_path / "j.jsonl"
    path.write_text("precious\n")
    with pytest.raises(SessionError, match="already exists"):
        ExerciseSession.start(REFERENCE, journal_path=path)
    assert path.read_text() == "precious\n"


def test_a_hand_edited_journal_that_no_longer_replays_is_refused(tmp_path):
    path = tmp_path / "j.jsonl"
    s = ExerciseSession.start(REFERENCE, seed=1, journal_path=path)
    s.next_inject()
    s.next_inject()
    s.close()
    lines = path.read_text().splitlines()
    tampered = [line.replace('"inject":"CH-02"', '"inject":"CH-03"', 1) for line in lines]
    path.write_text("\n".join(tampered) + "\n")
    with pytest.raises(SessionError, match=r"j.jsonl:3: this line was changed after it was written"):
        ExerciseSession.replay(path)


def test_the_palette_offers_only_what_can_apply_now(session):
    before = {a["action"] for _, a in session.available_actions()}
    assert "forward_warning" in before and "order_evacuation" not in before
    session.run_to(5, stop_at_injects=False)
    after = {a["action"] for _, a in session.available_actions()}
    assert {"order_evacuation", "order_shelter", "announce"} <= after and "forward_warning" not in after
    for _, action in session.available_actions():
        if action["action"] in ("order_evacuation", "announce", "open_openings"):
            session.apply(action)
            break
    assert session.applied


def test_the_palette_words_each_action_as_the_confirmation_and_the_aar_do(session):
    # One wording of an action wherever the room meets it: the palette's label is the
    # sentence the decision confirmation shows (and the AAR prints), names and all.
    for t in (None, 5):
        if t is not None:
            session.run_to(t, stop_at_injects=False)
        openings = session.state().openings
        for label, action in session.available_actions():
            assert describe_actions([action], session.sim.scenario, openings) == [label + "."]
    labels = [label for label, _ in session.available_actions()]
    stalls = next(z for z in session.sim.scenario.venue.zones if z.id == "hall_stalls")
    assert f"Order {stalls.name} (hall_stalls) to evacuate" in labels


def test_what_the_palette_offers_at_t_0_can_be_exported_and_run_again(session, tmp_path):
    # At T+00:00:00 the event starts: a decisions file and an inject count an action then as
    # during the event, so the palette must not offer one that applies only before it (a
    # posture raised there could not be exported and batched again).
    session.run_to(0, stop_at_injects=False)
    assert session.now == 0
    offered = {a["action"] for _, a in session.available_actions()}
    assert "order_evacuation" in offered
    assert not offered & {"raise_posture", "forward_warning", "cancel_event"}
    session.apply(next(a for _, a in session.available_actions() if a["action"] == "order_evacuation"))
    out = write_decisions(session, tmp_path / "d.yaml")
    assert [d.action.action for d in load_decisions(out, session.sim.scenario)] == ["order_evacuation"]


def test_one_console_per_journal(tmp_path):
    path = tmp_path / "j.jsonl"
    first = ExerciseSession.start(REFERENCE, seed=1, journal_path=path)
    first.next_inject()
    with pytest.raises(SessionError, match="another console has this journal open"):
        ExerciseSession.resume(REFERENCE, path)
    first.close()
    second = ExerciseSession.resume(REFERENCE, path)
    assert second.inject("CH-01").delivered_s is not None
    second.close()
