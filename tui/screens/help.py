"""Help: every key of the console (the footer cannot show them all at 80 columns) and the map legend."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

__all__ = ["HelpScreen"]

_MAP = (
    ("▲ THREAT", "the zone the threat is in (red walls)"),
    ("░", "smoke in the zone"),
    ("▒", "the zone is untenable"),
    ("○ ● ✖", "opening open, closed (staff can open it), locked"),
    ("fill", "people per m²: dark = empty … yellow = jammed (3.8/m²)"),
)


class HelpScreen(ModalScreen[None]):
    """The console's keys, from its bindings, and what the venue map's marks mean."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,f1,q", "close", "Close")]

    def __init__(self, keys: list[tuple[str, str]]):
        super().__init__(classes="dialog-screen")
        self.keys = keys

    def compose(self) -> ComposeResult:
        """Lay out the parts (styles in ttxsim.tcss)."""
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold #6cb6ff", no_wrap=True)
        table.add_column()
        for key, description in self.keys:
            table.add_row(key, description)
        legend = Table.grid(padding=(0, 2))
        legend.add_column(style="bold", no_wrap=True)
        legend.add_column()
        for mark, meaning in _MAP:
            legend.add_row(mark, meaning)
        with Vertical(classes="dialog", id="help-dialog") as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc close"
            with VerticalScroll():
                yield Static(table)
                yield Static(Text("\nVenue map", "bold underline"))
                yield Static(legend)
                yield Static(
                    Text(
                        "\nctrl+p opens the command palette: every model action, delivering any "
                        "inject now, notes, evaluation and the report.",
                        "dim",
                    )
                )

    def action_close(self) -> None:
        """Back to the console."""
        self.dismiss(None)
