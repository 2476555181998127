"""Kill and resume: a console closed mid-exercise comes back with the same clock, MSEL and counts."""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import console_test, jump_to, press, settle
from textual.widgets import Label

from ttxsim.tui.app import make_app
from ttxsim.tui.session import ExerciseSession

REFERENCE = Path(__file__).resolve().parents[2] / "scenarios" / "concert_hall.yaml"
OPTIONS = {"real_clock": None, "preview_runs": 2, "preview_workers": 1}


def _screen_facts(app) -> tuple:
    s = app.session
    state = s.state()
    return (str(app.screen.query_one("#header-clock", Label).content), s.clock(),
            [(i.inject.id, i.status, i.choice) for i in s.injects],
            (state.inside, state.safe, state.sheltered, state.harmed), state.openings, len(s.log))


@console_test
async def test_a_killed_console_resumes_to_the_same_clock_injects_and_counts(tmp_path):
    path = tmp_path / "session.jsonl"
    first = ExerciseSession.start(REFERENCE, seed=1, journal_path=path)
    app = make_app(first, **OPTIONS)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await press(pilot, "n", "n", "1", "y")     # CH-01, CH-02 and its first option, confirmed
        await jump_to(pilot, 125.0)                 # into the incident, past CH-17's delivery
        await press(pilot, "s")                     # and a 10-second step
        before = _screen_facts(app)
    # The terminal was closed: no `end` command; the operating system closes the journal file
    # of a killed process, which is all `close` does here.
    first.close()
    resumed = ExerciseSession.resume(REFERENCE, path)
    again = make_app(resumed, **OPTIONS)
    async with again.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        after = _screen_facts(again)
    resumed.close()
    assert after == before
    assert before[2][1] == ("CH-02", "delivered", "forward")
    assert before[3][1] > 0, "the resumed session is inside the incident, with people already out"
