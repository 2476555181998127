"""Jump to a scenario time: the facilitator types when, the model runs there (never backwards).

Accepts what exercises write: `T+00:05:00`, `T+5m`, `T-2d`, `T−02:00:00` (with the minus
sign the clock shows), or plain seconds. By default the run stops at the first inject on the
way, so nothing is skipped unread; unticking that runs straight through.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label

from ttxsim.sim import parse_scenario_time
from ttxsim.tui.session import format_clock

__all__ = ["JumpScreen", "parse_jump"]


def parse_jump(text: str) -> float:
    """Seconds from what the user typed; ValueError with a readable message otherwise."""
    return parse_scenario_time(text.strip().replace("−", "-").replace(" ", ""))


class JumpScreen(ModalScreen[tuple[float, bool] | None]):
    """Ask for a time; dismiss with (seconds, stop at injects) or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, now: float, horizon_s: float):
        super().__init__(classes="dialog-screen")
        self.now = now
        self.horizon_s = horizon_s

    def compose(self) -> ComposeResult:
        """Lay out the parts (styles in ttxsim.tcss)."""
        with Vertical(classes="dialog", id="jump-dialog") as box:
            box.border_title = "Jump to a time"
            yield Label(f"Now {format_clock(self.now)}; the model stops at {format_clock(self.horizon_s)}.")
            yield Input(placeholder="T+00:05:00, T+5m, T-2d or seconds", id="jump-input")
            yield Label("", id="jump-error", classes="error")
            yield Checkbox("Stop at the first inject on the way", value=True, id="jump-stop")
            with Horizontal(classes="buttons"):
                yield Button("Jump", variant="primary", id="jump-go")
                yield Button("Cancel", id="jump-cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#jump-go")
    def submit(self) -> None:
        """Check the time and leave with it, or say what is wrong and stay."""
        error = self.query_one("#jump-error", Label)
        try:
            t = parse_jump(self.query_one("#jump-input", Input).value)
        except ValueError as exc:
            error.update(Text(str(exc)))  # what was typed comes back literally
            return
        if t <= self.now:
            error.update(
                f"{format_clock(t)} is not after now ({format_clock(self.now)}): the past cannot be re-run"
            )
            return
        self.dismiss((min(t, self.horizon_s), self.query_one("#jump-stop", Checkbox).value))

    @on(Button.Pressed, "#jump-cancel")
    def action_cancel(self) -> None:
        """Leave without jumping."""
        self.dismiss(None)
