"""The MSEL as a table: every inject with its status, when it is due, and who tells whom.

Status marks: `·` upcoming, `✓` delivered, `▶` the current inject, `?` a decision still
open, `–` skipped and `↺` replaced by its alternative, because of its condition (the reason
takes the place of From → To). Selecting a row (Enter or a click) posts `MselList.Selected`
so the console can show that inject's card; the cursor row is also what "deliver now" delivers.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from ttxsim.tui.session import format_clock

__all__ = ["MselList", "when_text"]

_WHEN_WIDTH = 18
"""Trigger names are long (`on first_detection +20s`); the time column is cut to this."""


def when_text(state) -> str:
    """When an inject is (or was) due: `T−15d`, `T+00:04:00`, or `on police_arrived +1m`."""
    t = next((x for x in (state.delivered_s, state.skipped_s, state.due_s) if x is not None), None)
    if t is not None:
        if t < 0 and t % 86400 == 0:
            return f"T−{int(-t // 86400)}d"
        return format_clock(t)
    inject = state.inject
    delay = inject.delay_s
    after = "" if not delay else (f" +{delay:g}s" if delay < 60 else f" +{delay / 60:.3g}m")
    return f"on {inject.on}{after}"


def _mark(state) -> Text:
    if state.status == "skipped":
        return Text("–", "bold #f0b429")
    if state.outcome == "replaced" and state.status != "current":
        return Text("↺", "#f0b429")
    if state.awaiting_decision:
        return Text("?", "bold #f0b429")
    if state.status == "current":
        return Text("▶", "bold #6cb6ff")
    if state.status == "delivered":
        return Text("✓", "#56d364")
    return Text("·", "dim")


def _route(state) -> str:
    """From → To; for an inject its condition skipped or replaced, that and why instead."""
    inject = state.inject
    if state.outcome in ("skipped", "replaced"):
        return f"{state.outcome}: {state.reason}"
    return f"{inject.sender} → {inject.to}"


class MselList(DataTable):
    """The Master Scenario Events List, one row per inject, the current one highlighted."""

    class Selected(Message):
        """The user picked an inject to read (Enter or click on its row)."""

        def __init__(self, inject_id: str) -> None:
            super().__init__()
            self.inject_id = inject_id

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=False)
        self._msel_rows: list[tuple[str, tuple[Text, Text, Text, str]]] = []
        self._route_width = 0

    def show(self, injects, current_id: str | None, *, follow: bool = False) -> None:
        """Show the MSEL rows; with `follow`, move the cursor to the current inject."""
        rows = []
        for state in injects:
            inject = state.inject
            current = state.status == "current"
            style = "bold" if current else ("dim" if state.status in ("delivered", "skipped") else "")
            when = when_text(state)
            when = when if len(when) <= _WHEN_WIDTH else when[: _WHEN_WIDTH - 1] + "…"
            rows.append(
                (
                    inject.id,
                    (
                        _mark(state),
                        Text(inject.id, "bold #6cb6ff" if current else style),
                        Text(when, style),
                        _route(state),
                    ),
                )
            )
        self._msel_rows = rows
        self._fill()
        if follow and current_id is not None:
            self.move_cursor(row=self.get_row_index(current_id), scroll=True)

    def _fill(self) -> None:
        """(Re)build the table, cutting the From → To column to the width left for it (no sideways scroll)."""
        fixed = (
            1
            + max((len(r[1][1]) for r in self._msel_rows), default=5)
            + max((len(r[1][2]) for r in self._msel_rows), default=5)
            + 4 * 2
        )
        width = max(self.scrollable_content_region.width - fixed, 8)
        cursor = self.cursor_row
        if width != self._route_width or self.row_count != len(self._msel_rows):
            self._route_width = width
            self.clear(columns=True)
            self.add_column(" ", key="mark", width=1)
            self.add_column("ID", key="id")
            self.add_column("When", key="when")
            self.add_column("From → To", key="route", width=width)
            for key, cells in self._msel_rows:
                self.add_row(*cells[:3], self._cut(cells[3], width), key=key)
            if self.row_count:
                self.move_cursor(row=min(cursor, self.row_count - 1), scroll=False)
            return
        for key, cells in self._msel_rows:
            for column, cell in zip(
                ("mark", "id", "when", "route"), (*cells[:3], self._cut(cells[3], width)), strict=True
            ):
                self.update_cell(key, column, cell)

    @staticmethod
    def _cut(text: str, width: int) -> Text:
        return Text(text if len(text) <= width else text[: width - 1] + "…", "dim")

    def on_resize(self) -> None:
        """Fit the layout to the new size."""
        if self._msel_rows:
            self._fill()

    @property
    def selected_id(self) -> str | None:
        """The inject under the cursor (what "deliver now" delivers)."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Turn the table's selection into this widget's own message."""
        event.stop()
        self.post_message(self.Selected(event.row_key.value))
