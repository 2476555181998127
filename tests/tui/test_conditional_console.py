"""The console with conditional injects (Pilot): the card shows what the model says at delivery."""

from __future__ import annotations

from pathlib import Path

from conditional_scenario import conditional_yaml
from pilot_helpers import console_test, press, settle

from ttxsim.tui.app import make_app
from ttxsim.tui.session import ExerciseSession
from ttxsim.tui.widgets.inject_card import InjectCard
from ttxsim.tui.widgets.msel_list import MselList


def _card_text(app) -> str:
    card = app.screen.query_one(InjectCard)
    return " ".join(str(card.query_one(f"#{part}").content) for part in ("card-head", "card-body"))


def _console(tmp_path: Path):
    path = tmp_path / "scenario.yaml"
    path.write_text(conditional_yaml(), encoding="utf-8")
    session = ExerciseSession.start(path, seed=3, journal_path=tmp_path / "j.jsonl")
    return session, make_app(session, real_clock=None, preview_runs=2, preview_workers=1)


@console_test
async def test_the_card_shows_live_numbers_equal_to_the_model_at_delivery(tmp_path):
    session, app = _console(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        session.choose("D1", "leave")
        await press(pilot, "n")
        assert session.current.inject.id == "I2"
        assert "Locked exits: Side exit." in _card_text(app)
        await press(pilot, "n")  # I3 is skipped on the way: D1 was not "open"
        assert session.current.inject.id == "I4" and session.inject("I3").status == "skipped"
        state = session.state()
        text = " ".join(_card_text(app).split())
        inside = state.inside + state.sheltered
        assert f"{inside} inside, {inside} in the room, {state.safe} out at T+00:00:40" in text
        assert f"Inside: {inside}" in text and "The model at delivery" in text
        msel = app.screen.query_one(MselList)
        row = msel.get_row("I3")
        assert str(row[0]) == "–" and str(row[3]).startswith("skipped: when")
    session.close()


@console_test
async def test_the_card_shows_the_alternative_when_the_condition_fails(tmp_path):
    session, app = _console(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        session.choose("D1", "open")
        await press(pilot, "n")
        text = " ".join(_card_text(app).split())
        assert "Every exit is open: Front door, Side exit." in text and "(its alternative)" in text
        assert "Steward" in text and "Locked exits" not in text
    session.close()
