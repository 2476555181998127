"""The console when the journal fails, and with scenario text that looks like Textual markup."""

from __future__ import annotations

import errno
from pathlib import Path

import yaml
from pilot_helpers import console_test, press, settle
from textual.command import CommandList
from textual.content import Content
from textual.widgets import Input, Label

from ttxsim.tui import journal
from ttxsim.tui.app import make_app
from ttxsim.tui.screens.journal_failed import JournalFailedScreen
from ttxsim.tui.session import ExerciseSession

REFERENCE = Path(__file__).resolve().parents[2] / "scenarios" / "concert_hall.yaml"
OPTIONS = {"real_clock": None, "preview_runs": 2, "preview_workers": 1}
MARKUP = " [/b] [@click=app.quit]"
"""Appended to every free text of the scenario: a closing tag with no opening, and a live link."""


@console_test
async def test_a_full_disk_stops_the_clock_and_a_dialogue_moves_the_journal(tmp_path, monkeypatch):
    path, elsewhere = tmp_path / "j.jsonl", tmp_path / "elsewhere.jsonl"
    session = ExerciseSession.start(REFERENCE, seed=1, journal_path=path)
    app = make_app(session, **OPTIONS)
    real_write = journal._write_all

    def disk_full(fd: int, data: bytes) -> None:
        journal.os.write(fd, data[:5])
        raise OSError(errno.ENOSPC, "No space left on device")

    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        on_disk = path.read_bytes()
        monkeypatch.setattr(journal, "_write_all", disk_full)
        app.running = True
        await press(pilot, "n")
        assert isinstance(app.screen, JournalFailedScreen) and not app.running
        assert "No space left on device" in str(app.screen.query_one("Label").content)
        assert path.read_bytes() == on_disk, "the old journal is cut back to its last whole command"
        delivered = [s.inject.id for s in session.injects if s.delivered_s is not None]
        assert not app.submit("step", session.step, 10.0), "no command is taken meanwhile"
        await press(pilot, "escape", "s")  # escape does not dismiss it; keys do not reach the console
        assert isinstance(app.screen, JournalFailedScreen)
        monkeypatch.setattr(journal, "_write_all", real_write)
        app.screen.query_one("#journal-path", Input).value = str(elsewhere)
        await press(pilot, "enter")
        assert not isinstance(app.screen, JournalFailedScreen) and session.journal_path == elsewhere
        await press(pilot, "n")
        after = [s.inject.id for s in session.injects if s.delivered_s is not None]
    session.close()
    assert len(after) == len(delivered) + 1
    replayed = ExerciseSession.replay(elsewhere)
    assert [s.inject.id for s in replayed.injects if s.delivered_s is not None] == after


def _markup_scenario(tmp_path: Path) -> Path:
    """The reference scenario with MARKUP after every free text (names, messages, labels, ...)."""
    text_keys = {"name", "description", "text", "message", "prompt", "label", "from", "to", "channel",
                 "notes", "sponsor", "point_of_contact", "scope", "threat_or_hazard"}
    list_keys = {"expected_actions", "questions", "participants", "sources"}
    ids_only = {"uncertain", "channels", "role", "actions"}  # identifiers and closed choices

    def mark(node) -> None:
        if isinstance(node, list):
            for item in node:
                mark(item)
        elif isinstance(node, dict):
            for key in list(node):
                value = node[key]
                if key is True:  # YAML 1.1 reads the key `on` as true
                    node["on"] = node.pop(True)
                elif key in ids_only:
                    continue
                elif isinstance(value, str) and key in text_keys:
                    node[key] = value + MARKUP
                elif isinstance(value, list) and key in list_keys:
                    node[key] = [v + MARKUP if isinstance(v, str) else v for v in value]
                else:
                    mark(value)

    data = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    mark(data)
    path = tmp_path / "markup.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _shown(app) -> str:
    return app.export_screenshot().replace("&#160;", " ")


@console_test
async def test_scenario_and_journal_text_is_shown_literally_everywhere(tmp_path):
    scenario = _markup_scenario(tmp_path)
    session = ExerciseSession.start(scenario, seed=1, journal_path=tmp_path / "[b]j[@click=app.quit].jsonl")
    app = make_app(session, **OPTIONS)
    async with app.run_test(size=(180, 50)) as pilot:
        await settle(pilot)
        assert f"Lantern{MARKUP}" not in _shown(app)  # (the reference venue's name follows)
        assert "Krasnogorsk)" + MARKUP in _shown(app), "the header"
        await press(pilot, "n", "n")  # CH-02 asks for a decision: card, options, MSEL, log, toast
        shown = _shown(app)
        assert shown.count(MARKUP.strip()) >= 4, "card, options, MSEL and log show the text as written"
        await press(pilot, "1", "y")  # the option's label comes back in a toast
        await press(pilot, "o")
        await pilot.press(*"note [/b]", "ctrl+s")
        await settle(pilot)
        assert "note [/b]" in _shown(app), "the event log"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Read CH")
        await pilot.pause(0.5)
        listed = app.screen.query_one(CommandList)
        prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert any(f"{MARKUP}" in p for p in prompts), "palette entries and their help"
        await pilot.press("escape")
        await press(pilot, "e")
        title = app.screen.query_one("#evaluation-dialog").border_title
        assert Content.from_markup(title).plain.endswith(MARKUP), "the evaluation screen's title"
        await press(pilot, "escape", "q")
        said = [str(label.render()) for label in app.screen.query(Label)]  # (the path is cut at the edge)
        assert any(f"{session.journal_path}." in line for line in said), "the quit dialogue names the journal"
        await press(pilot, "n")
        assert app.is_running and app.return_code is None
    session.close()
