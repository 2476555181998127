"""The running log: model events and what the exercise did, one line each, newest at the bottom.

Model events read `T+00:02:41  alarm: venue alarm`; the exercise's own lines carry a label,
`T+00:02:00  inject  CH-17 delivered: ...`, and stand out in bold. Hazards are coloured, so
the room can scan for what matters.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import RichLog

from ttxsim.tui.session import format_clock

__all__ = ["EventLog"]

_KIND_STYLES = {
    "inject": "bold #6cb6ff",
    "decision": "bold #d2a8ff",
    "note": "italic #e3b341",
    "undo": "bold #d2a8ff",
    "action_failed": "bold #ff7b72",
    "threat_entered": "bold #ff7b72",
    "threat_left": "#ff7b72",
    "fire_started": "bold #ffa657",
    "smoke_arrived": "#ffa657",
    "zone_untenable": "bold #ffa657",
    "alarm": "bold #f2cc60",
    "evacuation_ordered": "#56d364",
    "all_safe": "bold #56d364",
    "opening_opened": "#56d364",
    "opening_locked": "#ff7b72",
    "opening_found_shut": "#ff7b72",
}


class EventLog(RichLog):
    """A RichLog fed with the session's `LogLine`s; remembers how many it has shown."""

    DEFAULT_CSS = """
    EventLog { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        # min_width: RichLog renders at least 78 columns wide by default, which a side panel is
        # not; lines rendered wider than the panel are cut off instead of wrapped.
        super().__init__(id=id, classes=classes, wrap=True, markup=False, highlight=False, max_lines=5000,
                         min_width=20)
        self.shown = 0
        """How many of the session's log lines are already on screen."""

    def add(self, lines: Iterable) -> None:
        """Write log lines (`LogLine`: t, kind, text, zone, source)."""
        for line in lines:
            row = Text(no_wrap=False)
            row.append(format_clock(line.t), "dim")
            row.append("  ")
            style = _KIND_STYLES.get(line.kind, "#8b949e")
            if line.source == "model":  # the model's text starts with what happened: no label twice
                row.append(line.text, style)
            else:
                row.append(line.kind.replace("_", " "), style)
                row.append("  ")
                row.append(line.text, "bold")
            self.write(row)
            self.shown += 1
