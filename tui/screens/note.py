"""A free-text note by the facilitator, journaled with the scenario time and attached to an inject.

Notes are the raw material of the after-action report: what the players said, what was
argued, what surprised. By default the note is attached to the inject on the card.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, TextArea

__all__ = ["NoteScreen"]


class NoteScreen(ModalScreen[tuple[str, str | None] | None]):
    """Ask for a note; dismiss with (text, inject id or None), or None if cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, clock: str, inject_id: str | None):
        super().__init__(classes="dialog-screen")
        self.clock = clock
        self.inject_id = inject_id

    def compose(self) -> ComposeResult:
        """Lay out the parts (styles in ttxsim.tcss)."""
        with Vertical(classes="dialog", id="note-dialog") as box:
            box.border_title = f"Note at {self.clock}"
            yield TextArea(id="note-text", soft_wrap=True)
            yield Label("", id="note-error", classes="error")
            if self.inject_id is not None:
                yield Checkbox(f"Attach to {self.inject_id}", value=True, id="note-attach")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="note-save")
                yield Button("Cancel", id="note-cancel")

    @on(Button.Pressed, "#note-save")
    def action_save(self) -> None:
        """Leave with the note, unless it is empty."""
        text = self.query_one("#note-text", TextArea).text.strip()
        if not text:
            self.query_one("#note-error", Label).update("Write something first (esc cancels).")
            return
        attach = self.inject_id is not None and self.query_one("#note-attach", Checkbox).value
        self.dismiss((text, self.inject_id if attach else None))

    @on(Button.Pressed, "#note-cancel")
    def action_cancel(self) -> None:
        """Leave without a note."""
        self.dismiss(None)
