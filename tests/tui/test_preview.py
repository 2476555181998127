"""Outcome preview: each option's futures, from the present the room sees, without moving it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ttxsim.sim import parse_scenario
from ttxsim.sim.actions import parse_action
from ttxsim.sim.decision_play import run_with_decisions
from ttxsim.sim.decisions import Decision
from ttxsim.tui.preview import future_seed, preview_options, run_future
from ttxsim.tui.session import ExerciseSession, SessionError

REFERENCE = Path(__file__).parents[2] / "scenarios" / "concert_hall.yaml"


@pytest.fixture(scope="module")
def at_exit_decision(tmp_path_factory):
    """The reference exercise at T+00:02:00, when CH-17 asks which closed exits to open."""
    s = ExerciseSession.start(REFERENCE, seed=1, journal_path=tmp_path_factory.mktemp("p") / "j.jsonl")
    s.run_to(119, stop_at_injects=False)
    s.next_inject()
    assert s.inject("CH-17").awaiting_decision
    yield s
    s.close()


def test_preview_compares_every_option_without_moving_the_session(at_exit_decision):
    s = at_exit_decision
    clock, commands = s.clock(), list(s.commands)
    calls = []
    outcomes = preview_options(s, "CH-17", runs=2, workers=1, progress=lambda d, t: calls.append((d, t)))
    assert [o.option_id for o in outcomes] == ["open_all", "open_stalls", "none"]
    assert all(o.runs == 2 for o in outcomes)
    assert calls[-1] == (9, 9)  # 2 futures and one exact run per option
    assert s.clock() == clock and s.commands == commands and s.inject("CH-17").awaiting_decision
    by_id = {o.option_id: o for o in outcomes}
    # In this present, opening every closed exit harms fewer people than opening none (the
    # people held at the closed exits get out instead of waiting in the threat's reach).
    assert by_id["open_all"].exact_harmed < by_id["none"].exact_harmed
    # The exact future is this session with the option chosen, run on.
    twin = s.copy()
    twin.choose("CH-17", "none")
    result = twin.sim.run()
    assert by_id["none"].exact_harmed == sum(result.harmed.values())
    assert by_id["none"].exact_rset == result.rset_s


def test_futures_use_common_seeds_and_need_an_open_decision(at_exit_decision):
    assert future_seed(1, 0) == future_seed(1, 0) != future_seed(1, 1) != future_seed(2, 1)
    s = at_exit_decision
    args = (REFERENCE.read_text(), str(REFERENCE), "baseline", 1, ((0.0, {"action": "announce"}),))
    assert run_future(*args, 5) == run_future(*args, 5) != run_future(*args, 6)
    assert s.base_scenario.source_text == args[0]
    with pytest.raises(SessionError, match="no open decision"):
        preview_options(at_exit_decision, "CH-01", runs=1, workers=1)


def test_a_future_plays_decisions_as_the_aar_does_and_leaves_out_one_that_cannot_apply():
    # The preview's future i is the run the AAR's futures and `batch --decisions` make of the
    # same decisions on the same seed; an action that cannot apply in it (here an unknown
    # opening) is left out, as the console leaves out a failing option's action, instead of
    # ending the preview with its error.
    text = REFERENCE.read_text()
    scenario = parse_scenario(text, str(REFERENCE))
    announce = (0.0, {"action": "announce"})
    broken = (30.0, {"action": "open_openings", "ids": ["no_such_opening"]})
    outcome = run_future(text, str(REFERENCE), "baseline", 1, (announce, broken), 3)
    result, played = run_with_decisions(scenario, [Decision(0.0, parse_action(announce[1]))],
                                        protocol="baseline", seed=future_seed(1, 3))
    assert outcome == (float(sum(result.harmed.values())), result.rset_s, float(result.exposed))
    assert len(played.applied) == 1


PREVIEW_UNDER_A_CONSOLE = """
import sys
from ttxsim.tui.session import ExerciseSession
from ttxsim.tui.preview import preview_options

class Capture:  # what Textual puts in sys.stderr while the console runs
    def write(self, text): pass
    def flush(self): pass
    def fileno(self): return -1

session = ExerciseSession.start(sys.argv[1], seed=1, journal_path=sys.argv[2])
session.next_inject(); session.next_inject()          # CH-02, a decision before the event
sys.stderr = Capture()
outcomes = preview_options(session, "CH-02", runs=1, workers=2)
sys.stdout.write(" ".join(f"{o.option_id}:{o.runs}" for o in outcomes))
"""


def test_the_process_pool_starts_under_a_console_that_captures_stderr(tmp_path):
    """Regression: multiprocessing passed Textual's fileno -1 on and the preview failed to start."""
    command = [sys.executable, "-c", PREVIEW_UNDER_A_CONSOLE, str(REFERENCE), str(tmp_path / "j.jsonl")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "forward:1 hold:1"
