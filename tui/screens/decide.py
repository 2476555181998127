"""Deciding with care: a decision, or its undoing, is applied only once the facilitator confirms it.

A decision key used to apply its option at once; one slip of a finger then changed the model
for the rest of the exercise. The confirmation names the option and says, action by action,
what it will do to the model (`action_words`), so the room hears what it is committing to;
`y` or enter applies it, `n` or escape applies nothing. Taking a decision back (`u`) asks the
same way, saying which decision goes and that the session is rebuilt without it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ..action_words import describe_actions

__all__ = ["ConfirmDecisionScreen", "ConfirmScreen", "ConfirmUndoScreen"]


class ConfirmScreen(ModalScreen[bool]):
    """Ask before doing something to the session; dismiss with True (go ahead) or False."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Confirm"),
        Binding("n,escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, heading: Text, lines: list[str], *, confirm: str, dialog_id: str,
                 cancel_means: str):
        super().__init__(classes="dialog-screen")
        self.title_text, self.heading, self.lines = title, heading, lines
        self.confirm_label, self.dialog_id, self.cancel_means = confirm, dialog_id, cancel_means

    def compose(self) -> ComposeResult:
        """Lay out the parts (styles in ttxsim.tcss)."""
        with Vertical(classes="dialog confirm-dialog", id=self.dialog_id) as box:
            box.border_title = Text(self.title_text)
            yield Static(self.heading)
            body = Text()
            for line in self.lines:
                body.append(" • ", "bold").append(f"{line}\n")
            with VerticalScroll(classes="confirm-body"):
                yield Static(body)
            yield Label(f"y or enter: confirm · n or esc: cancel, {self.cancel_means}", classes="dim")
            with Horizontal(classes="buttons"):
                yield Button(self.confirm_label, variant="warning", id="confirm-yes")
                yield Button("Cancel (n)", variant="primary", id="confirm-no")

    def on_mount(self) -> None:
        """Enter confirms: the key that opened this was already a deliberate choice."""
        self.query_one("#confirm-yes", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def action_confirm(self) -> None:
        """Go ahead."""
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_cancel(self) -> None:
        """Apply nothing."""
        self.dismiss(False)


class ConfirmDecisionScreen(ConfirmScreen):
    """The players' choice of one option, with what its actions will do to the model."""

    def __init__(self, state, option_id: str, scenario, openings: dict[str, str] | None = None):
        option = state.option(option_id)
        decision = state.inject.decision
        heading = Text()
        heading.append(f"{decision.prompt}\n\n", "dim")
        heading.append("The players choose: ", "dim").append(option.label, "bold")
        heading.append("\n\nApplied to the model now:", "dim")
        super().__init__(f"Confirm the decision on {state.inject.id}", heading,
                         describe_actions(option.actions, scenario, openings),
                         confirm="Confirm (y)", dialog_id="decision-confirm",
                         cancel_means="nothing is applied")


class ConfirmUndoScreen(ConfirmScreen):
    """Taking back the players' last decision: which one, and what undoing it means."""

    def __init__(self, state, option_label: str, chosen_clock: str):
        heading = Text()
        heading.append("Take back the players' last decision?\n\n", "bold")
        heading.append(f"{state.inject.id}: ", "bold").append(option_label)
        heading.append(f" (chosen {chosen_clock})", "dim")
        lines = [
            "The session is rebuilt from the journal without this decision: its actions are no longer "
            "applied, and the model goes on as if it had never been taken, to the same clock.",
            "The decision is open again if its deadline has not passed; otherwise its default applies, "
            "as it would have.",
            "Nothing is erased: the journal keeps the decision and records the undo after it.",
        ]
        super().__init__(f"Undo the decision on {state.inject.id}", heading, lines,
                         confirm="Undo it (y)", dialog_id="undo-confirm", cancel_means="the decision stands")
