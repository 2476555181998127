"""The console's top bar: the scenario, its clock, the time of day it stands for, and run state.

The scenario clock (`T−14d 00:00:00` … `T+00:12:30`) is what the room talks in; the time of
day (`Fri 22 Mar 20:11:30`) is what the players' phones and logs would say. The run state
says whether the clock is moving by itself and how fast, and whether the model is busy.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

__all__ = ["ClockHeader"]


class ClockHeader(Horizontal):
    """One line: title, phase, scenario clock, scenario time of day, run state, real time."""

    DEFAULT_CSS = """
    ClockHeader { height: 1; dock: top; }
    ClockHeader Label { width: auto; padding: 0 1; }
    ClockHeader #header-title { width: 1fr; text-overflow: ellipsis; text-wrap: nowrap; }
    """

    def __init__(self, title: str, *, id: str | None = None):
        super().__init__(id=id)
        self._title = title

    def compose(self) -> ComposeResult:
        """Lay out the parts (styles in ttxsim.tcss)."""
        yield Label(Text(f"ttxsim · {self._title}"), id="header-title")  # the name is literal
        yield Label("", id="header-phase")
        yield Label("", id="header-clock")
        yield Label("", id="header-wall")
        yield Label("", id="header-mode")
        yield Label("", id="header-real")

    def show(
        self,
        *,
        clock: str,
        now_s: float,
        wall: datetime | None,
        finished: bool,
        running: bool,
        speed: int,
        busy: bool,
        real: datetime | None,
    ) -> None:
        """Show the clock and the run state (called after every model step and tick)."""
        if not self.children:  # asked before it is composed (a command queued at start-up)
            return
        phase = "finished" if finished else ("incident" if now_s >= 0 else "pre-event")
        self.query_one("#header-phase", Label).update(phase)
        for name in ("pre-event", "incident", "finished"):
            self.set_class(phase == name, f"-{name}")
        self.query_one("#header-clock", Label).update(clock)
        self.query_one("#header-wall", Label).update(wall.strftime("%a %d %b %H:%M:%S") if wall else "")
        self.query_one("#header-wall", Label).display = wall is not None
        mode = self.query_one("#header-mode", Label)
        if busy:
            mode.update("⟳ model…")
        elif running:
            mode.update(f"▶ ×{speed}")
        else:
            mode.update(f"⏸ ×{speed}")
        self.set_class(running, "-running")
        self.set_class(busy, "-busy")
        real_label = self.query_one("#header-real", Label)
        real_label.display = real is not None
        if real is not None:
            real_label.update(f"now {real:%H:%M}")
