"""Section 5 of the AAR/IP: what the players' decisions were worth in the model's terms.

The session's run (every decision and action it applied, continued to the end on a twin) is
set beside the scenario's baseline protocol on the same seed with nobody deciding anything:
the same draws wherever the two share structure (common random numbers), so the difference
is mostly the players' doing. A table of outcomes and milestones, and both evacuation curves.
"""

from __future__ import annotations

from typing import Any

from ttxsim.analysis.document import Document, strong
from ttxsim.sim import Result, Simulation
from ttxsim.sim.metrics import metric, milestone

from .clock import format_clock, format_duration

__all__ = ["DASH", "OUTCOME_TIMES", "write_outcomes"]

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


def write_outcomes(doc: Document, session: Any) -> None:
    """Section 5: the session's run to its end beside the baseline protocol on the same seed."""
    ours = session.final_result()
    base = Simulation(session.base_scenario, protocol="baseline", seed=session.seed).run()
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
    doc.heading("5. Outcomes against the baseline")
    doc.paragraph(["The model run with every decision and action of this session, continued to its end "
                   f"from {session.clock()} with nothing further decided, beside the scenario's ",
                   strong("baseline"), f" protocol on the same seed ({session.seed}) with no decisions at "
                   "all. Same seed means the same draws where the two runs share structure (common random "
                   "numbers), so the difference is mostly the players' doing. Times are from t = 0; "
                   f"{DASH} means it never came."])
    header = ["Metric", f"This session ({session.protocol}, players' decisions)",
              "Baseline protocol, no decisions", "Difference (session − baseline)"]
    doc.table(header, [[label, _value(x, unit), _value(y, unit), _difference(x, y, unit)]
                       for label, x, y, unit in rows], numeric=(1, 2, 3))
    decisions = sorted({s.chosen_s for s in session.injects if s.chosen_s is not None and s.chosen_s >= 0})
    doc.figure("evacuation_curves", "People safe over time: this session against the baseline protocol",
               _curves_figure(ours, base, session.protocol, decisions))


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
