"""The console driven as a facilitator would: keys, dialogues, the palette (Textual Pilot)."""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import console_test, jump_to, press, settle
from textual.widgets import Checkbox, Input, Label, Select, TextArea

from ttxsim.tui.screens.console import ConsoleScreen
from ttxsim.tui.screens.evaluation import EvaluationScreen
from ttxsim.tui.screens.preview import PreviewScreen
from ttxsim.tui.widgets.inject_card import InjectCard


def _card_text(app) -> str:
    card = app.screen.query_one(InjectCard)
    return " ".join(str(card.query_one(f"#{part}").content) for part in ("card-head", "card-body"))


def _clock(app) -> str:
    return str(app.screen.query_one("#header-clock", Label).content)


@console_test
async def test_n_advances_through_the_first_five_injects_and_the_card_and_clock_follow(make_console):
    app = make_console()
    session = app.session
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert "No inject delivered yet" in _card_text(app)
        expected = [
            ("CH-01", "T−16d 00:00:00"),
            ("CH-02", "T−15d 00:00:00"),
            ("CH-03", "T−15d 00:00:00"),
            ("CH-04", "T−14d 00:00:00"),
            ("CH-05", "T−13d 00:00:00"),
        ]
        for inject_id, clock in expected:
            await press(pilot, "n")
            current = session.current.inject
            assert current.id == inject_id
            card = app.screen.query_one(InjectCard)
            assert card.inject_id == inject_id and card.border_title == f"Inject {inject_id}"
            assert current.sender in _card_text(app)
            assert " ".join(current.message.split()[:6]) in " ".join(_card_text(app).split())
            assert _clock(app) == clock == session.clock()
        assert [s.inject.id for s in session.injects if s.delivered_s is not None] == [i for i, _ in expected]


@console_test
async def test_keys_pressed_while_the_model_is_busy_are_queued_in_order(make_console):
    app = make_console()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("n", "n", "n", "n", "n")
        await settle(pilot)
        assert app.session.current.inject.id == "CH-05"


@console_test
async def test_a_decision_key_applies_the_options_actions_to_the_model(make_console):
    app = make_console()
    session = app.session
    async with app.run_test(size=(160, 48)) as pilot:
        await jump_to(pilot, 119)
        await press(pilot, "n")
        assert session.current.inject.id == "CH-17"
        assert session.state().openings["ex_stalls_w2"] == "locked"
        applied = len(session.sim.applied)
        await press(pilot, "1", "y")  # open all five emergency exits, confirmed
        assert session.inject("CH-17").choice == "open_all"
        assert session.inject("CH-17").chosen_by == "players"
        assert len(session.sim.applied) == applied + 1
        openings = session.state().openings
        assert openings["ex_stalls_w2"] == openings["ex_balcony_e"] == "open"
        assert "Decided" in str(app.screen.query_one("#decision-status").content)


@console_test
async def test_stepping_keys_move_the_clock_by_10_s_and_a_minute(make_console):
    app = make_console()
    session = app.session
    async with app.run_test(size=(160, 48)) as pilot:
        await jump_to(pilot, 240)  # CH-18 at T+00:04:00; nothing is due in the next minute and ten seconds
        await press(pilot, "s")
        assert session.now == 250
        await press(pilot, "m")
        assert session.now == 310
        assert _clock(app) == "T+00:05:10"


@console_test
async def test_jumping_to_the_end_runs_the_reference_scenario_out(make_console):
    app = make_console()
    session = app.session
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("j")
        await pilot.pause()
        await pilot.press(*"T+01:00:00")
        app.screen.query_one(Checkbox).value = False  # run straight through the MSEL
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        assert session.finished and session.at_horizon
        state = session.state()
        assert state.inside == 0 and state.safe > 6000
        assert all(s.delivered_s is not None for s in session.injects)
        assert session.inject("CH-17").chosen_by == "default"  # deadlines passed on the way
        assert str(app.screen.query_one("#header-phase", Label).content) == "finished"
        assert _clock(app) == "T+01:00:00"


@console_test
async def test_a_bad_jump_time_is_explained_and_the_dialogue_stays(make_console):
    app = make_console()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("j")
        await pilot.pause()
        await pilot.press(*"T-20d", "enter")
        await pilot.pause()
        assert "not after now" in str(app.screen.query_one("#jump-error", Label).content)
        app.screen.query_one(Input).value = "soon"
        await pilot.press("enter")
        await pilot.pause()
        assert "invalid time" in str(app.screen.query_one("#jump-error", Label).content)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConsoleScreen)


@console_test
async def test_deliver_now_delivers_the_msel_row_under_the_cursor_out_of_turn(make_console):
    app = make_console()
    session = app.session
    async with app.run_test(size=(160, 48)) as pilot:
        msel = app.screen.query_one("#msel")
        msel.focus()
        msel.move_cursor(row=23)  # CH-24, the last inject
        await press(pilot, "d")
        state = session.inject("CH-24")
        assert state.how == "out_of_turn" and state.delivered_s == session.now
        assert app.screen.query_one(InjectCard).inject_id == "CH-24"


@console_test
async def test_enter_on_an_msel_row_reads_ahead_and_escape_comes_back(make_console):
    app = make_console()
    async with app.run_test(size=(160, 48)) as pilot:
        await press(pilot, "n")
        msel = app.screen.query_one("#msel")
        msel.focus()
        msel.move_cursor(row=9)
        await press(pilot, "enter")
        card = app.screen.query_one(InjectCard)
        assert card.inject_id == "CH-10" and "reading ahead" in card.border_subtitle
        await press(pilot, "escape")
        assert card.inject_id == "CH-01"


@console_test
async def test_a_note_is_journaled_against_the_inject_on_the_card(make_console):
    app = make_console()
    async with app.run_test(size=(160, 48)) as pilot:
        await press(pilot, "n", "o")
        app.screen.query_one(TextArea).text = "The duty desk asked who else had the warning."
        await press(pilot, "ctrl+s")
        note = app.session.notes[-1]
        assert note.inject_id == "CH-01" and note.text.startswith("The duty desk")
        assert '"cmd":"note"' in app.session.journal_path.read_text(encoding="utf-8")


@console_test
async def test_the_palette_offers_model_actions_and_out_of_turn_deliveries(make_console):
    app = make_console()
    session = app.session
    async with app.run_test(size=(160, 48)) as pilot:
        await jump_to(pilot, 240)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"ex_stalls_w2")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert session.state().openings["ex_stalls_w2"] == "open"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Deliver CH-23")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert session.inject("CH-23").how == "out_of_turn"


@console_test
async def test_evaluation_ratings_and_observations_go_to_the_session(make_console):
    app = make_console()
    session = app.session
    async with app.run_test(size=(160, 48)) as pilot:
        await press(pilot, "e")
        assert isinstance(app.screen, EvaluationScreen)
        app.screen.query_one("#rate-0-0", Select).value = "S"
        await settle(pilot)
        assert session.ratings[("OBJ-1", "Intelligence and Information Sharing")] == "S"
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-capability", Select).value = "Operational Coordination"
        form.query_one("#f-observation", Input).value = "Nobody owned the decision to lower the posture."
        form.query_one("#f-recommendation", Input).value = "Name the decision owner in the plan."
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, EvaluationScreen)
        observation = session.observations[-1]
        assert observation.kind == "improvement" and observation.capability == "Operational Coordination"
        assert "Nobody owned" in str(app.screen.query_one("#evaluation-records").content)


@console_test
async def test_the_preview_shows_each_option_and_a_choice_there_is_applied(make_console, monkeypatch):
    from ttxsim.tui import preview

    def fake(session, inject_id, *, runs, workers, progress=None, cancelled=None, estimate=None, **_):
        options = session.inject(inject_id).inject.decision.options
        for done in range(1, len(options) + 1):
            progress(done, len(options))
        outcomes = [
            preview.OptionOutcome(o.id, o.label, runs, 10.0 * i, 5.0, 15.0, 600.0, 550.0, 650.0, 100.0)
            for i, o in enumerate(options)
        ]
        estimate(preview.PreviewEstimate(outcomes, runs, runs, done=True))
        return outcomes

    monkeypatch.setattr(preview, "preview_options", fake)
    app = make_console()
    session = app.session
    async with app.run_test(size=(160, 48)) as pilot:
        await jump_to(pilot, 119)
        await press(pilot, "n", "p")
        assert isinstance(app.screen, PreviewScreen)
        await settle(pilot)
        table = app.screen.query_one("#preview-table")
        assert table.row_count == 3
        assert "10  [5–15]" in str(table.get_row_at(1)[2])
        await press(pilot, "2", "y")  # chosen in the preview, then confirmed
        assert isinstance(app.screen, ConsoleScreen)
        assert session.inject("CH-17").choice == "open_stalls"


@console_test
async def test_r_writes_the_aar_in_markdown_and_html_beside_the_journal(make_console):
    app = make_console()
    async with app.run_test(size=(160, 48)) as pilot:
        await press(pilot, "n", "r")
        journal: Path = app.session.journal_path
        for suffix in (".md", ".html"):
            report = journal.with_name(f"{journal.stem}-aar{suffix}")
            assert report.is_file() and report.stat().st_size > 0


@console_test
async def test_small_terminals_get_tabs_and_a_delivery_brings_the_card_back(make_console):
    app = make_console()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        body = app.screen.query_one("#body")
        assert body.has_class("-narrow")
        assert app.screen.query_one("#card").display and not app.screen.query_one("#msel").display
        await press(pilot, "v")
        assert app.screen.query_one("#msel").display and not app.screen.query_one("#card").display
        await press(pilot, "n")
        assert app.screen.query_one("#card").display
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert not body.has_class("-narrow") and app.screen.query_one("#venue").display


@console_test
async def test_quit_asks_first(make_console):
    app = make_console()
    async with app.run_test(size=(160, 48)) as pilot:
        await press(pilot, "q")
        assert app.screen.query_one("#quit-dialog")
        await press(pilot, "n")
        assert isinstance(app.screen, ConsoleScreen)
        await press(pilot, "q", "e")
    assert app.session.ended_wall is not None
    written = app.return_value
    assert [p.suffix for p in written] == [".md", ".html"] and all(p.exists() for p in written)
    assert "After-Action Report" in written[0].read_text(encoding="utf-8")
