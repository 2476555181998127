"""Where the people are: inside, safe, sheltered, harmed, and how fast people reach safety.

Inside + safe + sheltered + harmed = occupants at every step (docs/model.md, results), so the four
counts are shown together, with safe and harmed also as shares of everyone. The sparkline
is people safe against scenario time from t = 0; the session records it after each step at
uneven times, so it is resampled onto an even time grid before drawing.
"""

from __future__ import annotations

from bisect import bisect_right

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Sparkline

__all__ = ["Counters", "resample"]

_KINDS = ("inside", "safe", "sheltered", "harmed")


def resample(series: list[tuple[float, int]], now: float, points: int = 120) -> list[float]:
    """The step function `series` (time, value) sampled at `points` even times from 0 to `now`."""
    if not series or now <= 0:
        return []
    times = [t for t, _ in series]
    out = []
    for i in range(points):
        t = now * (i + 1) / points
        k = bisect_right(times, t) - 1
        out.append(float(series[k][1]) if k >= 0 else 0.0)
    return out


class Counters(Widget):
    """The four head counts, and a sparkline of people safe over time."""

    DEFAULT_CSS = """
    Counters { height: auto; }
    Counters .counter { width: 1fr; height: auto; }
    Counters Sparkline { height: 2; }
    """

    def compose(self) -> ComposeResult:
        """Lay out the parts (styles in ttxsim.tcss)."""
        with Horizontal(id="counts"):
            for kind in _KINDS:
                with Vertical(classes=f"counter -{kind}"):
                    yield Label(kind, classes="counter-name")
                    yield Label("–", id=f"count-{kind}", classes="counter-value")
        with Horizontal(id="spark-row"):
            yield Label("safe", id="spark-label")
            yield Sparkline([], id="safe-spark")
            yield Label("", id="spark-axis")

    def show(self, state, safe_series: list[tuple[float, int]]) -> None:
        """Show a model state's counts and the safe-over-time series."""
        total = state.inside + state.safe + state.sheltered + state.harmed
        for kind in _KINDS:
            value = getattr(state, kind)
            text = f"{value:,}"
            if kind in ("safe", "harmed") and total:
                text += f" ({100 * value / total:.0f}%)"
            self.query_one(f"#count-{kind}", Label).update(text)
        self.query_one("#safe-spark", Sparkline).data = resample(safe_series, state.t)
        minutes = max(state.t, 0) / 60
        self.query_one("#spark-axis", Label).update(f"0–{minutes:.0f} min" if state.t > 0 else "from T+0")
