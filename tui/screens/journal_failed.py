"""The journal could not be written (a full disk): say so, and ask where the journal goes on.

Nothing is lost when a write fails: the session is whole in memory, and the old file is cut
back to its last whole command, so it still resumes. The console stops the clock and takes no
command until the facilitator names another file; every line of the journal is then written
there from memory (`ExerciseSession.move_journal`) and the exercise goes on. Quitting instead
leaves the old journal, resumable up to the command before the failure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

__all__ = ["JournalFailedScreen"]


class JournalFailedScreen(ModalScreen[str | None]):
    """Ask for another journal file; dismiss with its path once the journal is moved, or None to quit.

    Args:
        failure: what went wrong, as the session says it.
        suggestion: a path to offer (on another disk, if the journal's own disk is full).
        move: moves the journal to a path, or raises an exception whose text is shown.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "noop", show=False)]

    def __init__(self, failure: str, suggestion: str, move: Callable[[str], None]):
        super().__init__(classes="dialog-screen")
        self.failure, self.suggestion, self.move = failure, suggestion, move

    def compose(self) -> ComposeResult:
        """Lay out the parts (styles in ttxsim.tcss)."""
        with Vertical(classes="dialog", id="journal-failed-dialog") as box:
            box.border_title = "The journal could not be written"
            yield Label(Text(self.failure))
            yield Label(Text("The clock is stopped and no command is taken. Nothing is lost: the whole "
                             "session is in memory. Give another file (on a disk with room) and the "
                             "journal is written there in full and goes on."), classes="dim")
            yield Input(self.suggestion, id="journal-path")
            yield Label("", id="journal-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Quit (the old journal resumes up to the failure)", variant="warning",
                             id="journal-quit")
                yield Button("Go on in this file", variant="primary", id="journal-move")

    @on(Input.Submitted, "#journal-path")
    @on(Button.Pressed, "#journal-move")
    def action_move(self) -> None:
        """Move the journal to the path given, or say why not and stay."""
        path = self.query_one("#journal-path", Input).value.strip()
        error = self.query_one("#journal-error", Label)
        if not path:
            error.update("Give a file name.")
            return
        try:
            self.move(path)
        except Exception as exc:  # any failure is shown; the dialogue stays until one works
            error.update(Text(str(exc)))
            return
        self.dismiss(path)

    @on(Button.Pressed, "#journal-quit")
    def action_quit(self) -> None:
        """Leave without moving the journal."""
        self.dismiss(None)

    def action_noop(self) -> None:
        """Escape does nothing: the facilitator must choose."""
