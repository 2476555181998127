"""Section 5 of the AAR/IP: what the players' decisions were worth in the model's terms.

First over many futures (`aar_futures.py`): the players' decisions against the scenario's
baseline protocol with nobody deciding anything, paired on the same seeds, each difference
with its 95 % interval and said in words, with how sure it is. Then this session's own run
(every decision and action it applied, continued to the end on a twin) beside the baseline
on the session's seed: one draw among those futures, with both evacuation curves. A single
draw can mislead (the baseline alone ranges from tens to hundreds harmed across seeds), so it
is labelled as one.
"""

from __future__ import annotations

import math
from typing import Any

from ttxsim.analysis.document import Document, strong
from ttxsim.sim import Result, Simulation
from ttxsim.sim.metrics import metric, milestone

from .aar_futures import Futures, MetricComparison
from .clock import format_clock, format_duration

__all__ = ["DASH", "OUTCOME_TIMES", "describe_difference", "write_outcomes"]

_ROW_LABELS = {"detection": "First detection", "police_arrival": "Police on site"}
"""Where the outcome table words a milestone otherwise than `Milestone.label` (capitalised)."""

OUTCOME_TIMES: tuple[tuple[str, str], ...] = (
    (metric("t_warning_at_venue_s").name, "Warning reached the venue"),  # a metric, not in `Result.times`
    *((m.key, _ROW_LABELS.get(m.name, m.label.capitalize()))
      for m in map(milestone, ("detection", "alarm", "evac_order", "police_arrival", "contained",
                               "fire_service"))),
)
"""Milestone rows of the outcome table: `Result.to_dict()` key and label."""

DASH = "—"
"""What a table shows for a time that never came."""


def write_outcomes(doc: Document, session: Any, futures: Futures | None = None) -> None:
    """Section 5: over many futures (if run), then the session's own run beside the baseline."""
    doc.heading("5. Outcomes against the baseline")
    if futures is not None:
        _over_futures(doc, session, futures)
    _this_run(doc, session, futures)


# -- over many futures -----------------------------------------------------------------------

def _over_futures(doc: Document, session: Any, futures: Futures) -> None:
    protocol = session.protocol
    doc.heading(f"Over {futures.runs} futures", 3)
    also = f" and the {protocol} protocol" if protocol != "baseline" else ""
    doc.paragraph([f"The {futures.decisions} decisions and actions of this session, played at their times "
                   f"on the {protocol} protocol, against the scenario's ", strong("baseline"),
                   f" protocol with nobody deciding anything, in {futures.runs} futures each. Future i has "
                   "the same seed for both (common random numbers), so each pair differs by the decisions"
                   f"{also}, not by the luck of the draw. Counts are means (bootstrap 95 % intervals, "
                   "never outside what the futures gave); times are medians counting the futures that "
                   "never reached them (Kaplan–Meier), never means over those that did. A difference is "
                   "paired: the mean of the pairs' differences for a count, the difference of medians "
                   "for a time, each with its paired 95 % interval. "
                   f"Future 0 runs on the session's seed ({futures.seed}), "
                   "so it is this session's own run; the others are what else could have happened. A "
                   "decision from an inject that is not delivered in a future is not applied there, and one "
                   "that cannot apply there is left out, as the console would."])
    header = ["Metric", "Players' decisions [95 % CI]", "Baseline, no decisions [95 % CI]",
              "Difference (players − baseline) [95 % CI]", "Futures better / same / worse"]
    doc.table(header, [[_label(row), _mean(row, row.players), _mean(row, row.baseline), _diff(row),
                        _share(row)] for row in futures.rows], numeric=(1, 2, 3, 4))
    doc.paragraph("What the decisions changed, and how sure it is:")
    doc.bullets([describe_difference(row, futures.runs) for row in futures.rows
                 if row.pairs and not math.isnan(row.diff)])


def describe_difference(row: MetricComparison, runs: int) -> str:
    """One sentence: what changed, by how much, and whether the interval says it was not chance."""
    name = _label(row)
    unit = " s" if row.metric.endswith("_s") else ""
    if row.diff == 0 and row.low is None:
        return f"{name}: the same in every future ({_number(row.players[0])}{unit})."
    direction = "more" if row.diff > 0 else "fewer"
    if row.metric.endswith("_s"):
        direction = "later" if row.diff > 0 else "earlier"
    size = format_duration(abs(row.diff)) if unit else _number(abs(row.diff))
    interval = ""
    if row.low is not None and row.high is not None:
        interval = f" (95 % interval {_signed(row, row.low)} to {_signed(row, row.high)})"
    if row.sure:
        verdict = "the interval excludes 0: the decisions made this difference, not chance"
    elif row.low is None:
        verdict = f"too few pairs ({row.pairs}) to say how sure"
    else:
        verdict = f"the interval includes 0: over {runs} futures this could be chance"
    pairs = f" (in the {row.pairs} futures where both have one)" if row.pairs < runs else ""
    return f"{name}: {size} {direction} with the players' decisions{interval}{pairs}; {verdict}."


def _mean(row: MetricComparison, side: tuple[float, float | None, float | None, int]) -> str:
    """A count's mean, or a time's median with the futures that never reached it."""
    value, low, high, n = side
    missed = ""
    if row.reached is not None:
        reached = row.reached[0] if side is row.players else row.reached[1]
        missed = f", not reached in {n - reached} of {n}" if reached < n else ""
        if math.isnan(value):
            return f"not reached in {n - reached} of {n}" if n else DASH
        prefix = "median "
    else:
        prefix = ""
    if n == 0 or math.isnan(value):
        return DASH
    if low is None or high is None:
        return f"{prefix}{_plain(row, value)}{missed}"
    return f"{prefix}{_plain(row, value)} [{_plain(row, low)}, {_plain(row, high)}]{missed}"


def _diff(row: MetricComparison) -> str:
    if not row.pairs or math.isnan(row.diff):
        return DASH
    text = _signed(row, row.diff)
    if row.low is not None and row.high is not None:
        text += f" [{_signed(row, row.low)}, {_signed(row, row.high)}]"
    return text


def _share(row: MetricComparison) -> str:
    shares = None if row.tally is None else row.tally.shares()
    return DASH if shares is None else " / ".join(f"{share:.0%}" for share in shares)


def _plain(row: MetricComparison, value: float) -> str:
    return format_clock(value) if row.metric.endswith("_s") else _number(value)


def _signed(row: MetricComparison, value: float) -> str:
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + (format_duration(abs(value)) if row.metric.endswith("_s") else _number(abs(value)))


def _label(row: MetricComparison) -> str:
    """The metric's description, capitalised, without its unit when the cells say it."""
    text = row.label.split(" (")[0] if row.metric.endswith("_s") else row.label
    return text[:1].upper() + text[1:]


def _number(value: float) -> str:
    return f"{value:,.1f}".removesuffix(".0").replace("-", "−")


# -- this session's run: one draw ------------------------------------------------------------

def _this_run(doc: Document, session: Any, futures: Futures | None) -> None:
    if futures is not None:  # its future 0
        ours, base, one_of = futures.session_run, futures.baseline_run, futures.runs
    else:
        ours = session.final_result()
        base = Simulation(session.base_scenario, protocol="baseline", seed=session.seed).run()
        one_of = None
    a, b = ours.to_dict(), base.to_dict()
    causes = list(dict.fromkeys([*ours.harmed, *base.harmed]))
    rows = [("Occupants", a["occupants"], b["occupants"], "n"),
            ("Safe (evacuated)", a["evacuated"], b["evacuated"], "n"),
            ("Harmed, all causes", ours.harmed_total, base.harmed_total, "n"),
            *((f"Harmed by {c}", ours.harmed.get(c, 0), base.harmed.get(c, 0), "n") for c in causes),
            ("Exposed to the threat", a["exposed"], b["exposed"], "n"),
            ("Sheltering at the end", a["sheltered"], b["sheltered"], "n"),
            ("Still inside at the end", a["remaining"], b["remaining"], "n"),
            ("Security posture at t = 0", a["posture"], b["posture"], "n"),
            ("RSET (last person safe)", a["rset_s"], b["rset_s"], "t"),
            ("50 % of occupants safe", a["t50_s"], b["t50_s"], "t"),
            ("95 % of occupants safe", a["t95_s"], b["t95_s"], "t"),
            *((label, a.get(key), b.get(key), "t") for key, label in OUTCOME_TIMES)]
    doc.heading("This session's run: one draw", 3)
    among = (f"It is one draw among the {one_of} futures above (future 0), and one draw can mislead: read "
             "the difference below with the intervals above. " if one_of else
             "It is one draw among many possible futures, and one draw can mislead: the same decisions on "
             "other seeds may do better or worse. ")
    doc.paragraph(["The model run with every decision and action of this session, continued to its end "
                   f"from {session.clock()} with nothing further decided, beside the scenario's ",
                   strong("baseline"), f" protocol on the same seed ({session.seed}) with no decisions at "
                   "all. Same seed means the same draws where the two runs share structure (common random "
                   f"numbers). {among}Times are from t = 0; {DASH} means it never came."])
    header = ["Metric", f"This session ({session.protocol}, players' decisions)",
              "Baseline protocol, no decisions", "Difference (session − baseline)"]
    doc.table(header, [[label, _value(x, unit), _value(y, unit), _difference(x, y, unit)]
                       for label, x, y, unit in rows], numeric=(1, 2, 3))
    decisions = sorted({s.chosen_s for s in session.injects if s.chosen_s is not None and s.chosen_s >= 0})
    doc.figure("evacuation_curves", "People safe over time: this session (one draw) against the baseline "
               "protocol", _curves_figure(ours, base, session.protocol, decisions))


def _value(x: Any, unit: str) -> str:
    if x is None:
        return DASH
    return format_clock(x) if unit == "t" else str(int(x))


def _difference(x: Any, y: Any, unit: str) -> str:
    if x is None or y is None:
        return DASH
    d = x - y
    if unit == "n":
        return f"{int(d):+d}".replace("-", "−") if d else "0"
    return ("+" if d > 0 else "−" if d < 0 else "") + format_duration(abs(d))


def _curves_figure(ours: Result, base: Result, protocol: str, decisions: list[float]) -> Any:
    from matplotlib.figure import Figure  # matplotlib only when a report is written

    fig = Figure(figsize=(9, 5.5), layout="constrained")
    ax = fig.add_subplot()
    ends = []
    runs = ((ours, f"this session ({protocol}, players' decisions)", "#1f77b4", "-"),
            (base, "baseline protocol, no decisions", "#555555", "--"))  # grey dashed, as in analysis/plots
    for result, label, color, style in runs:
        minutes = [k * result.curve_dt_s / 60 for k in range(len(result.curve_safe))]
        ax.plot(minutes, result.curve_safe, color=color, linestyle=style, linewidth=2, label=f"safe: {label}")
        if any(result.curve_harmed):
            ax.plot(minutes, result.curve_harmed, color=color, linestyle=style, linewidth=1, alpha=0.6,
                    label=f"harmed: {label}")
        ends.append(result.rset_s if result.rset_s is not None else result.end_s)
    for t in decisions:
        ax.axvline(t / 60, color="#ff7f0e", linestyle=":", linewidth=1)
    if decisions:
        ax.plot([], [], color="#ff7f0e", linestyle=":", label="players' decisions")
    ax.set_xlim(0, max(ends) * 1.08 / 60 or 1)
    ax.set_title("People safe over time: this session against the baseline (same seed)")
    ax.set_xlabel("time since t = 0 (min)")
    ax.set_ylabel("people")
    ax.grid(alpha=0.3)
    ax.legend(loc="center right", fontsize="small")
    return fig
