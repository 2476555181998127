"""Leaving the console: the journal is already safe, so the only question is whether play is over.

"End and quit" records the end of the exercise in the journal (the report then has its end
time); "Quit" leaves it open so `--resume` carries on later.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

__all__ = ["QuitScreen"]


class QuitScreen(ModalScreen[str | None]):
    """Dismiss with "end" (end the exercise, then quit), "quit", or None (stay)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "stay", "Stay"),
        Binding("y,q", "quit", "Quit"),
        Binding("e", "end", "End"),
    ]

    def __init__(self, journal: str | None):
        super().__init__(classes="dialog-screen")
        self.journal = journal

    def compose(self) -> ComposeResult:
        """Lay out the parts (styles in ttxsim.tcss)."""
        with Vertical(classes="dialog", id="quit-dialog") as box:
            box.border_title = "Quit the console?"
            where = (
                f"Everything is in the journal {self.journal}."
                if self.journal
                else "This session has no journal."
            )
            yield Label(Text(where))  # a path is shown as it is, brackets and all
            if self.journal:
                yield Label(Text(f"Resume later with --resume {self.journal}."), classes="dim")
            with Horizontal(classes="buttons"):
                yield Button("Quit (y)", variant="warning", id="quit-quit")
                yield Button("End exercise, write the AAR, quit (e)", variant="error", id="quit-end")
                yield Button("Stay (n)", variant="primary", id="quit-stay")

    def on_mount(self) -> None:
        """Fill in what needs the mounted widgets."""
        self.query_one("#quit-stay", Button).focus()

    @on(Button.Pressed, "#quit-quit")
    def action_quit(self) -> None:
        """Quit, leaving the exercise open."""
        self.dismiss("quit")

    @on(Button.Pressed, "#quit-end")
    def action_end(self) -> None:
        """End the exercise in the journal, write its after-action report, then quit."""
        self.dismiss("end")

    @on(Button.Pressed, "#quit-stay")
    def action_stay(self) -> None:
        """Back to the console."""
        self.dismiss(None)
