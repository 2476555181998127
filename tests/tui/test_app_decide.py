"""Deciding with care in the console: a decision key asks to confirm, `u` takes the last one back."""

from __future__ import annotations

import json

from pilot_helpers import console_test, jump_to, press

from ttxsim.tui.screens.console import ConsoleScreen
from ttxsim.tui.screens.decide import ConfirmDecisionScreen, ConfirmUndoScreen


def _dialog_text(app) -> str:
    return " ".join(str(w.render()) for w in app.screen.query("Static"))


def _toasts(app) -> str:
    return " ".join(f"{n.title} {n.message}" for n in app._notifications)


def _log(app) -> str:
    return " ".join(" ".join(strip.text for strip in app.console_screen.query_one("#log").lines).split())


def _commands(app) -> list[str]:
    return [json.loads(line).get("cmd", "") for line in app.session.journal_path.read_text().splitlines()[1:]]


@console_test
async def test_a_decision_key_asks_first_and_cancel_applies_nothing(make_console):
    app = make_console()
    session = app.session
    async with app.run_test(size=(160, 48)) as pilot:
        await jump_to(pilot, 119)
        await press(pilot, "n", "1")
        assert isinstance(app.screen, ConfirmDecisionScreen)
        shown = _dialog_text(app)
        assert session.inject("CH-17").option("open_all").label in shown
        assert "Stalls emergency exit west 2 (ex_stalls_w2)" in shown, "each exit the action opens, by name"
        assert "Balcony emergency exit east (ex_balcony_e)" in shown
        applied = len(session.applied)
        await press(pilot, "n")
        assert isinstance(app.screen, ConsoleScreen)
        assert session.inject("CH-17").awaiting_decision and len(session.applied) == applied
        assert session.state().openings["ex_stalls_w2"] == "locked"
        assert "choose" not in _commands(app), "a cancelled decision never reaches the journal"
        await press(pilot, "1", "enter")  # enter confirms too
        assert session.inject("CH-17").choice == "open_all"
        assert session.state().openings["ex_stalls_w2"] == "open"
        assert _commands(app).count("choose") == 1


@console_test
async def test_a_decided_inject_says_so_and_u_asks_then_takes_the_decision_back(make_console):
    app = make_console()
    session = app.session
    async with app.run_test(size=(160, 48)) as pilot:
        await jump_to(pilot, 119)
        await press(pilot, "n", "1", "y")
        await press(pilot, "2")  # another option after the decision: not silently ignored
        assert isinstance(app.screen, ConsoleScreen), "no confirmation for a decided inject"
        assert "CH-17 is already decided" in _toasts(app) and "u takes back" in _toasts(app)
        assert "players chose" in _log(app)
        await press(pilot, "u")
        assert isinstance(app.screen, ConfirmUndoScreen)
        assert "CH-17" in _dialog_text(app)
        await press(pilot, "n")
        assert session.inject("CH-17").choice == "open_all", "cancelled: the decision stands"
        await press(pilot, "u", "y")
        assert isinstance(app.screen, ConsoleScreen)
        assert session.inject("CH-17").awaiting_decision
        assert session.state().openings["ex_stalls_w2"] == "locked"
        assert "Decision undone" in _toasts(app)
        log = _log(app)
        assert "taken back" in log and "players chose" not in log, "the log is shown as rebuilt"
        assert _commands(app)[-1] == "undo"
        app.clear_notifications()
        await press(pilot, "u")  # the players' only decision is gone
        assert isinstance(app.screen, ConsoleScreen) and "Nothing to undo" in _toasts(app)
