"""Time to decide (wall clock, delivery to decision) and the evaluators' met / partly / not met marks."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pilot_helpers import console_test, press, settle
from textual.widgets import Select

from ttxsim.tui import session as session_module
from ttxsim.tui.aar import write_aar
from ttxsim.tui.screens.evaluation import EvaluationScreen
from ttxsim.tui.session import ExerciseSession, SessionError

REFERENCE = Path(__file__).parents[2] / "scenarios" / "concert_hall.yaml"
START = datetime(2025, 5, 14, 10, 0, 0).astimezone()


class _RoomClock:
    """The room's wall clock, moved by hand: `now` is what the next command is stamped with."""

    now = START

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """CH-02 delivered, discussed for 4 min 05 s, decided; CH-04 left to its default; three marks.

    Returns the session, its replay from the journal, and the replay's AAR in Markdown.
    """
    folder, clock = tmp_path_factory.mktemp("time"), _RoomClock()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(session_module, "wall_now", lambda: clock.now.isoformat(timespec="seconds"))
        session = ExerciseSession.start(REFERENCE, seed=1, journal_path=folder / "j.jsonl")
        session.next_inject()  # CH-01
        clock.advance(60)
        session.next_inject()  # CH-02 reaches the room now
        clock.advance(245)
        session.choose("CH-02", "forward")
        clock.advance(30)
        session.run_to(-14 * 86400 + 1, stop_at_injects=False)  # CH-04 delivered
        clock.advance(600)
        session.run_to(-13 * 86400 + 1, stop_at_injects=False)  # its default applies
        session.mark("CH-01", 1, "met")
        session.mark("CH-01", 2, "partly")
        session.mark("CH-02", 1, "not_met")
        session.close()
    replayed = ExerciseSession.replay(session.journal_path)
    aar = write_aar(replayed, folder / "aar.md", futures=0, workers=1)  # one draw: not about futures
    return session, replayed, aar.read_text(encoding="utf-8")


def test_time_to_decide_is_measured_by_the_wall_clock_and_survives_replay(played):
    session, replayed, md = played
    ch02 = session.inject("CH-02")
    assert ch02.chosen_s == ch02.delivered_s, "the scenario clock stood still while they discussed"
    assert session.walls.seconds_to_decide("CH-02") == 245.0
    assert session.walls.seconds_to_decide("CH-04") is not None
    assert replayed.walls.delivered == session.walls.delivered
    assert replayed.walls.decided == session.walls.decided
    assert ("| **CH-02** | Players chose “Pass it to the regional police” 4 min 05 s after delivery "
            "(wall clock) | T−15d 00:00:00 | 4 min 05 s |") in md
    assert "| Time to decide (wall clock) | 4 min 05 s |" in md
    assert ", 0 s after delivery" not in md
    assert ("| **CH-04** | No decision by the deadline; default applied: “No change” | T−13d 00:00:00 "
            "| none: the deadline passed, 10 min 00 s after delivery |") in md


def test_marks_are_journaled_replayed_and_shown_beside_each_expected_action(played):
    session, replayed, md = played
    marks = [json.loads(line) for line in session.journal_path.read_text().splitlines() if '"mark"' in line]
    assert [(m["inject"], m["expected"], m["mark"]) for m in marks] == [
        ("CH-01", 1, "met"), ("CH-01", 2, "partly"), ("CH-02", 1, "not_met")]
    assert replayed.evaluation.marks == {("CH-01", 1): "met", ("CH-01", 2): "partly", ("CH-02", 1): "not_met"}
    first, second = replayed.inject("CH-01").inject.expected_actions
    assert f"| {first} | Nothing recorded. | Met |" in md
    assert f"| {second} |  | Partly met |" in md
    assert "| Not met |" in md and "| not marked |" in md
    assert "as the evaluators marked them: met 1, partly met 1, not met 1, not marked" in md


def test_a_mark_that_does_not_fit_the_msel_is_refused(tmp_path):
    session = ExerciseSession.start(REFERENCE, seed=1, journal_path=tmp_path / "j.jsonl")
    with pytest.raises(SessionError, match="no inject 'CH-99'"):
        session.mark("CH-99", 1, "met")
    with pytest.raises(SessionError, match="CH-01 has 2 expected actions, not a number 3"):
        session.mark("CH-01", 3, "met")
    with pytest.raises(SessionError, match="a mark is one of met, partly, not_met"):
        session.mark("CH-01", 1, "done")
    session.close()
    assert '"mark"' not in session.journal_path.read_text()


@console_test
async def test_the_evaluation_screen_marks_each_expected_action_of_the_delivered_injects(make_console):
    app = make_console()
    session = app.session
    async with app.run_test(size=(160, 48)) as pilot:
        await press(pilot, "n", "e")  # CH-01 delivered
        assert isinstance(app.screen, EvaluationScreen)
        marks = list(app.screen.query(".mark").results(Select))
        assert len(marks) == len(session.inject("CH-01").inject.expected_actions)
        marks[1].value = "partly"
        await settle(pilot)
        assert session.evaluation.marks == {("CH-01", 2): "partly"}
        assert '"cmd":"mark"' in session.journal_path.read_text()
