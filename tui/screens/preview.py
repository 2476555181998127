"""Outcome preview: each option of the open decision, played forward over many futures, side by side.

The session's preview (`tui/preview.py`) runs `runs` replications of every option's future
in worker processes; this screen starts it in a thread worker, shows its progress, and puts
the options' harm and RSET (time the last person reached safety) next to each other, with
95 % intervals and, where the preview gives it, the one future the room's own draws lead to.
The model itself is not moved. Keys 1–9 choose an option from here (the console applies it).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, ProgressBar

from ttxsim.sim.summary import clock_text  # m:ss, or h:mm:ss from an hour: the table fits the dialog

__all__ = ["PreviewScreen"]

_BAR_WIDTH = 10


def _range(mean: float | None, lo: float | None, hi: float | None, *, minutes: bool = False) -> str:
    if mean is None or mean != mean:  # None or NaN: nobody got out in these futures
        return "–"

    def fmt(v: float) -> str:
        return clock_text(v) if minutes else f"{v:,.0f}"

    if lo is None or hi is None:
        return fmt(mean)
    return f"{fmt(mean)}  [{fmt(lo)}–{fmt(hi)}]"


class PreviewScreen(ModalScreen[str | None]):
    """Preview the options of one inject's decision; dismiss with a chosen option id or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        *(Binding(str(n), f"choose({n})", f"Choose {n}", show=False) for n in range(1, 10)),
    ]

    def __init__(self, session, inject_id: str, *, runs: int = 100, workers: int = 2):
        super().__init__(classes="dialog-screen")
        self.session = session
        self.inject_id = inject_id
        self.runs = runs
        self.processes = workers
        self.options = session.inject(inject_id).inject.decision.options
        self._stop_preview = False

    def compose(self) -> ComposeResult:
        """Lay out the parts (styles in ttxsim.tcss)."""
        decision = self.session.inject(self.inject_id).inject.decision
        with Vertical(classes="dialog", id="preview-dialog") as box:
            box.border_title = f"Outcome preview · {self.inject_id}"
            box.border_subtitle = "1–9 choose · esc close"
            yield Label(Text(decision.prompt, "bold"))
            yield Label(
                f"{self.runs} futures per option from {self.session.clock()}; the model is not moved.",
                classes="dim",
            )
            yield ProgressBar(id="preview-progress", show_eta=True)
            yield DataTable(id="preview-table", cursor_type="row", zebra_stripes=True)
            yield Label("", id="preview-note", classes="dim")

    def on_mount(self) -> None:
        """Fill in what needs the mounted widgets."""
        table = self.query_one("#preview-table", DataTable)
        table.add_columns("#", "Option", "Harmed: mean [95% CI]", "", "RSET: median [95% CI]", "This present")
        for number, option in enumerate(self.options, start=1):
            table.add_row(str(number), Text(option.label), "…", "", "…", "…", key=option.id)
        self.run_preview()

    @work(thread=True, exclusive=True, group="preview")
    def run_preview(self) -> None:
        """Run the futures off the UI thread; progress and results come back through call_from_thread."""
        try:
            from ttxsim.tui.preview import preview_options
        except ImportError as exc:  # the preview module is optional at build time
            self.app.call_from_thread(self._failed, f"The preview is not available: {exc}")
            return
        from ttxsim.tui.preview import warm_pool

        try:
            preview_options(
                self.session,
                self.inject_id,
                runs=self.runs,
                workers=self.processes,
                progress=self._progress,
                cancelled=lambda: self._stop_preview,
                estimate=self._estimate,
                pool=warm_pool(self.processes),
            )
        except Exception as exc:  # shown to the user: the console must survive a failed preview
            self.app.call_from_thread(self._failed, str(exc))

    def _estimate(self, estimate) -> None:
        """An estimate came in (off the UI thread): show it unless the screen is going."""
        if not self._stop_preview:
            self.app.call_from_thread(self._show, estimate.outcomes, estimate)

    def _progress(self, done: int, total: int) -> None:
        if not self._stop_preview:
            self.app.call_from_thread(
                self.query_one("#preview-progress", ProgressBar).update, total=total, progress=done
            )

    def _failed(self, message: str) -> None:
        self.query_one("#preview-note", Label).update(Text(message, "bold red"))

    def _show(self, outcomes, estimate=None) -> None:
        table = self.query_one("#preview-table", DataTable)
        worst = max((o.harmed_hi or o.harmed_mean or 0.0) for o in outcomes) or 1.0
        best = min(o.harmed_mean for o in outcomes)
        for outcome in outcomes:
            bar = "█" * max(1, round(_BAR_WIDTH * outcome.harmed_mean / worst)) if outcome.harmed_mean else ""
            style = "bold #56d364" if outcome.harmed_mean == best else "#f0b429"
            exact = getattr(outcome, "exact_harmed", None)
            exact_rset = getattr(outcome, "exact_rset", None)
            present = (
                "–"
                if exact is None
                else f"{exact:,.0f} harmed"
                + (f" · {clock_text(exact_rset)}" if exact_rset is not None else "")
            )
            cells = (_range(outcome.harmed_mean, outcome.harmed_lo, outcome.harmed_hi), Text(bar, style),
                     _range(outcome.rset_median, outcome.rset_lo, outcome.rset_hi, minutes=True), present)
            for column, cell in zip(table.ordered_columns[2:], cells, strict=True):
                # widen the column to what it now shows: an interval is longer than the "…" it replaces
                table.update_cell(outcome.option_id, column.key, cell, update_width=True)
        runs = min(o.runs for o in outcomes) if outcomes else 0
        note = (f"{runs} futures per option, the same futures for each (common random numbers). "
                "RSET: when the last person reached safety. This present: harmed · RSET in the one "
                "future the room's own draws lead to.")
        if estimate is not None and not estimate.done:
            note = f"So far {note} Intervals narrow as futures come in."
        elif estimate is not None and estimate.stopped_early:
            note = f"{note}\nPreview {estimate.stopped_early}."
        if estimate is not None and estimate.done:  # finished, or stopped early: the bar is full
            bar_widget = self.query_one("#preview-progress", ProgressBar)
            bar_widget.update(total=max(bar_widget.progress, 1), progress=max(bar_widget.progress, 1))
        self.query_one("#preview-note", Label).update(note)

    @on(DataTable.RowSelected, "#preview-table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        self.action_choose(event.cursor_row + 1)

    def action_choose(self, number: int) -> None:
        """Choose option `number` and go back to the console, which applies it."""
        if 1 <= number <= len(self.options):
            self._stop_preview = True
            self.dismiss(self.options[number - 1].id)

    def action_close(self) -> None:
        """Back to the console without choosing (a running preview is stopped)."""
        self._stop_preview = True
        self.dismiss(None)
