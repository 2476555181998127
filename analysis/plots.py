"""The figures of a batch, as matplotlib Figures (no screen needed).

Each function draws one figure from a results store and returns it; `write_all` saves them
all as PNG. Figures are built with `matplotlib.figure.Figure` rather than pyplot, so no
global state or GUI backend is involved and a long batch of plots does not leak memory.
Spreads are shown as the 5–95 % range of the replications. A time some runs never reach is
censored as `compare` treats it (`stats.py`): its median counts the runs that missed it, and
the figure says "not reached in k/n" rather than leaving it out. Legends sit outside the axes,
so they never cover data; units in titles are those of the axes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ttxsim.sim.metrics import metric as defined_metric
from ttxsim.sim.metrics import milestone

from .compare import is_time, lower_is_better, resolve_baseline
from .plots_venue import occupancy_heatmap, occupancy_heatmaps, representative, sampling_step
from .plots_venue import openings as _openings
from .records import METRICS
from .stats import censored_medians, censored_times, paired, paired_median_difference

__all__ = ["distributions", "evacuation_curves", "milestones", "occupancy_heatmap", "occupancy_heatmaps",
           "openings", "paired_differences", "representative", "warning_chain", "write_all"]

_SHORT_LABELS = {"police_arrival": "police on site", "contained": "contained / secured"}
"""Where the timeline's legend words a milestone otherwise than `Milestone.label`: shorter beside
the plot, and `contained` also stands for a venue secured."""

MILESTONES: tuple[tuple[str, str], ...] = (
    (defined_metric("t_warning_at_venue_s").name, "warning at venue"),  # a metric, not in `Result.times`
    *((defined_metric(m.key).name, _SHORT_LABELS.get(m.name, m.label))  # a column the store keeps
      for m in map(milestone, ("detection", "alarm", "evac_order", "police_arrival", "contained"))),
)
"""Response milestones on the timeline, in the order of a typical incident: store column and label."""

DIFF_METRICS = tuple(defined_metric(name).name for name in ("harmed_total", "exposed", "rset_s",
                                                            "t_police_arrival_s"))
"""Metrics of the paired-difference chart (one panel each)."""

_DPI = 120


def _colors(protocols: Sequence[str], baseline: str) -> dict[str, Any]:
    palette = iter(["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                    "#17becf", "#bcbd22"] * 4)
    return {p: "#555555" if p == baseline else next(palette) for p in protocols}


def _setup(store: Any, baseline: str | None) -> tuple[list[str], str, dict[str, Any]]:
    protocols, baseline = resolve_baseline(store, baseline)
    return protocols, baseline, _colors(protocols, baseline)


def _label(protocol: str, baseline: str) -> str:
    return f"{protocol} (baseline)" if protocol == baseline and protocol != "baseline" else protocol


def _no_data(ax: Any, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#777777")
    ax.set_xticks([])
    ax.set_yticks([])


def _pad(curves: list[list[int]]) -> np.ndarray:
    """Curves of unequal length as one array, each extended with its last value."""
    width = max(len(c) for c in curves)
    return np.array([list(c) + [c[-1] if c else 0] * (width - len(c)) for c in curves], dtype=float)


def evacuation_curves(store: Any, baseline: str | None = None) -> Figure:
    """People safe over time per protocol: the median run with a 5–95 % band, under the venue's cap.

    The dotted line is the people at the venue at t = 0 (the most of any run): the gap between a
    plateau and it is the people harmed, trapped or still sheltering.
    """
    protocols, baseline, colors = _setup(store, baseline)
    fig = Figure(figsize=(10, 5.5), layout="constrained")
    ax = fig.add_subplot()
    for p in protocols:
        curves = [c for c in store.series("curve_safe", p) if c]
        if not curves:
            continue
        dt = sampling_step(store, p)
        data = _pad(curves)
        minutes = np.arange(data.shape[1]) * dt / 60
        low, mid, high = np.percentile(data, [5, 50, 95], axis=0)
        ax.fill_between(minutes, low, high, color=colors[p], alpha=0.18, linewidth=0)
        ax.plot(minutes, mid, color=colors[p], linewidth=2, label=_label(p, baseline),
                linestyle="--" if p == baseline else "-")
    runs = store.runs()
    rsets = [r["rset_s"] / 60 for r in runs if r.get("rset_s") is not None]
    if rsets:  # the curves are flat after the last person is safe: show up to the slowest run
        ax.set_xlim(0, max(rsets) * 1.08)
    cap = max((r["occupants"] for r in runs if r.get("occupants") is not None), default=None)
    if cap and ax.lines:
        ax.axhline(cap, color="black", linestyle=":", linewidth=1.2,
                   label=f"people at the venue ({cap:,.0f})")
        ax.set_ylim(0, cap * 1.05)
    ax.set_title("Evacuation: people safe over time (line: median run, band: 5–95 % of runs)")
    ax.set_xlabel("time since t = 0 (min)")
    ax.set_ylabel("people safe")
    ax.grid(alpha=0.3)
    if ax.lines:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    else:
        _no_data(ax, "no evacuation curves in the store")
    return fig


def distributions(store: Any, baseline: str | None = None) -> Figure:
    """Box plots of RSET and of harm per protocol; the baseline's median is a dashed line.

    RSET's boxes are of the runs that emptied the venue; the runs that did not are counted
    under the protocol's name ("k/n no RSET") instead of vanishing.
    """
    protocols, baseline, colors = _setup(store, baseline)
    fig = Figure(figsize=(max(8, 1.3 * len(protocols) + 4), 5.8), layout="constrained")
    panels = (("rset_s", "RSET: last person safe (min)", 1 / 60), ("harmed_total", "people harmed", 1))
    for i, (metric, ylabel, scale) in enumerate(panels):
        ax = fig.add_subplot(1, 2, i + 1)
        runs = [store.runs(p) for p in protocols]
        data = [[r[metric] * scale for r in rs if r.get(metric) is not None] for rs in runs]
        if not any(data):
            _no_data(ax, f"no {metric} values")
            continue
        boxes = ax.boxplot([d or [np.nan] for d in data], patch_artist=True, widths=0.6,
                           medianprops={"color": "black"})
        for patch, p in zip(boxes["boxes"], protocols, strict=True):
            patch.set_facecolor(colors[p])
            patch.set_alpha(0.55)
        base = data[protocols.index(baseline)]
        if base:
            ax.axhline(float(np.median(base)), color="#555555", linestyle="--", linewidth=1)
        ticks = [p if len(d) == len(rs) else f"{p}\n{len(rs) - len(d)}/{len(rs)} no RSET"
                 for p, d, rs in zip(protocols, data, runs, strict=True)]
        ax.set_xticks(range(1, len(protocols) + 1), ticks, rotation=30, ha="right")
        ax.set_ylabel(ylabel)
        ax.set_title(ylabel[0].upper() + ylabel[1:])
        ax.grid(axis="y", alpha=0.3)
    fig.suptitle("Distribution over replications per protocol (box: quartiles, whiskers: 1.5 IQR, "
                 f"dashed: the median of {baseline})")
    return fig


def paired_differences(store: Any, baseline: str | None = None,
                       metrics: Sequence[str] = DIFF_METRICS) -> Figure:
    """Each protocol minus the baseline, paired by replication, with its 95 % interval.

    Counts show the mean difference (Student t); times the difference of Kaplan–Meier medians
    (paired bootstrap), as `compare` does; a median never reached is written in, not dropped.
    """
    protocols, baseline, colors = _setup(store, baseline)
    others = [p for p in protocols if p != baseline]
    base = {r["replication"]: r for r in store.runs(baseline)}
    runs = {p: {r["replication"]: r for r in store.runs(p)} for p in others}
    cols = 2 if len(metrics) > 1 else 1
    rows = -(-len(metrics) // cols)
    fig = Figure(figsize=(11, 1.2 + rows * (0.45 * max(len(others), 2) + 1.6)), layout="constrained")
    for i, metric in enumerate(metrics):
        ax = fig.add_subplot(rows, cols, i + 1)
        scale, unit = (1 / 60, " (min)") if metric.endswith("_s") else (1, "")
        drawn = 0
        for y, p in enumerate(others):
            common = sorted(set(base) & set(runs[p]))
            a, b = [base[k].get(metric) for k in common], [runs[p][k].get(metric) for k in common]
            if is_time(metric):
                diff, low, high, n = paired_median_difference(a, b)
                if diff is None:
                    ax.annotate("median not reached", (0, y), xytext=(4, 0), textcoords="offset points",
                                va="center", fontsize="small", color=colors[p])
                    continue
            else:
                diff, low, high, n, _ = paired(a, b, lower_is_better=lower_is_better(metric))
            if n == 0 or diff is None:
                continue
            low, high = (diff if low is None else low), (diff if high is None else high)
            err = [[(diff - low) * scale], [(high - diff) * scale]]
            ax.errorbar(diff * scale, y, xerr=err, fmt="o", color=colors[p], capsize=4)
            drawn += 1
        if not drawn:
            _no_data(ax, "no paired values")
        ax.axvline(0, color="#555555", linewidth=1)
        lo, hi = ax.get_xlim()  # keep "no difference" off the frame, where it would not show
        ax.set_xlim(min(lo, -0.05 * (hi - lo)), max(hi, 0.05 * (hi - lo)))
        ax.set_yticks(range(len(others)), others)
        ax.set_ylim(-0.6, len(others) - 0.4)
        ax.invert_yaxis()
        what = "median" if is_time(metric) else "mean"
        ax.set_title(f"{METRICS[metric].removesuffix(' (s)')}{unit}: {what}", fontsize="medium")
        ax.set_xlabel(f"difference vs {baseline}{unit}" + (" — left is better" if lower_is_better(metric)
                                                          else ""))
        ax.grid(axis="x", alpha=0.3)
    name = "the baseline" if baseline == "baseline" else f"the baseline ({baseline})"
    fig.suptitle(f"Paired difference from {name}, run by run, with its 95 % interval")
    return fig


def _censored_percentiles(values: list[float | None]) -> tuple[float, float, float]:
    """5th, 50th, 95th percentiles with never-reached as +inf (the median as `summarise_time`'s)."""
    data = censored_times(values)
    low, high = np.quantile(data, [0.05, 0.95], method="inverted_cdf")
    return float(low), float(censored_medians(data)), float(high)


def milestones(store: Any, baseline: str | None = None) -> Figure:
    """Response milestones per protocol: median time, bar from the 5th to the 95th percentile.

    A milestone some runs never reach is censored: its median and percentiles count those runs
    as later than any, so a bar may run off the right edge (an arrow), and a median that is not
    reached is a hollow marker at the right edge, labelled "not reached in k/n".
    """
    protocols, baseline, _ = _setup(store, baseline)
    fig = Figure(figsize=(11, 1.5 + 0.9 * len(protocols)), layout="constrained")
    ax = fig.add_subplot()
    markers = "v^osDP"
    cmap = ["#9467bd", "#1f77b4", "#ff7f0e", "#d62728", "#2ca02c", "#8c564b"]
    stats = {}
    for y, p in enumerate(protocols):
        runs = store.runs(p)
        for j, (key, _) in enumerate(MILESTONES):
            values = [None if r.get(key) is None else r[key] / 60 for r in runs]
            reached = sum(v is not None for v in values)
            if key != MILESTONES[0][0] or reached:  # no warning at all: nothing to show, not a miss
                stats[y, j] = (*_censored_percentiles(values), reached, len(runs)) if runs else None
    stats = {k: v for k, v in stats.items() if v is not None}
    finite = [x for (_, j), s in stats.items() if j > 0 for x in s[:3] if math.isfinite(x)] + [0.0]
    medians = [s[1] for (_, j), s in stats.items() if j > 0 and math.isfinite(s[1])]
    left = min([m - 1 for m in medians] + [-1.0])  # a minute before the earliest median, or before t = 0
    edge = max(finite) + 0.04 * (max(finite) - left)
    for (y, j), (low, mid, high, n, total) in stats.items():
        offset = (j - len(MILESTONES) / 2) * 0.09
        yy = y + offset
        if mid < left:  # a warning days ahead: an arrow at the edge, labelled with the lead time
            ax.plot(left, yy, marker="<", color=cmap[j], markersize=9, linestyle="")
            ax.annotate(f"{-mid / 1440:.1f} d before", (left, yy), xytext=(8, -3),
                        textcoords="offset points", fontsize="small", color=cmap[j])
            continue
        if not math.isfinite(mid):  # more than half the runs never got there
            if math.isfinite(low) and low >= left:
                ax.plot([max(low, left), edge], [yy] * 2, color=cmap[j], linewidth=2, alpha=0.5)
            ax.plot(edge, yy, marker=markers[j], color=cmap[j], markersize=8, linestyle="",
                    markerfacecolor="white")
            ax.annotate(f"not reached in {total - n}/{total}", (edge, yy), xytext=(7, -3),
                        textcoords="offset points", fontsize="x-small", color=cmap[j])
            continue
        ax.plot([max(low, left), min(high, edge)], [yy] * 2, color=cmap[j], linewidth=2, alpha=0.5)
        ax.plot(mid, yy, marker=markers[j], color=cmap[j], markersize=8, linestyle="")
        if n < total:
            if not math.isfinite(high):
                ax.plot(edge, yy, marker=">", color=cmap[j], markersize=5, linestyle="", alpha=0.6)
            ax.annotate(f"not reached in {total - n}/{total}", (min(high, edge), yy), xytext=(7, -3),
                        textcoords="offset points", fontsize="x-small", color=cmap[j])
    ax.set_yticks(range(len(protocols)), [_label(p, baseline) for p in protocols])
    ax.invert_yaxis()
    ax.set_xlim(left - 0.3, edge + 0.3 * (edge - left))  # room for "not reached in k/n" at the edge
    ax.axvline(0, color="#999999", linewidth=1, linestyle=":")
    ax.axvline(edge, color="#cccccc", linewidth=1)
    ax.set_xlabel("time since t = 0 (min); right of the grey line: not reached (hollow: median not reached)")
    ax.set_title("Response milestones per protocol (marker: median, line: 5–95 % of runs)")
    ax.grid(axis="x", alpha=0.3)
    if stats:  # filled markers in the key, whichever row drew a milestone first
        from matplotlib.lines import Line2D

        keys = sorted({j for _, j in stats})
        handles = [Line2D([], [], marker=markers[j], color=cmap[j], linestyle="", markersize=8) for j in keys]
        ax.legend(handles, [MILESTONES[j][1] for j in keys], loc="upper left", bbox_to_anchor=(1.01, 1),
                  fontsize="small")
    else:
        _no_data(ax, "no milestones in the store")
    return fig


def _bars(ax: Any, names: list[str], values: dict[str, list[float]], colors: dict[str, Any],
          baseline: str) -> None:
    """Grouped horizontal bars: one group per name, one bar per protocol."""
    height = 0.8 / max(len(values), 1)
    for k, (p, vals) in enumerate(values.items()):
        ys = np.arange(len(names)) + (k - (len(values) - 1) / 2) * height
        ax.barh(ys, vals, height=height, color=colors[p], label=_label(p, baseline))
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.grid(axis="x", alpha=0.3)


def openings(store: Any, baseline: str | None = None, top: int = 10) -> Figure:
    """Each protocol's `top` busiest openings by name: people passed and peak queue (`plots_venue`)."""
    protocols, _ = resolve_baseline(store, baseline)
    return _openings(store, protocols, top)


def warning_chain(store: Any, baseline: str | None = None) -> Figure:
    """Per agency: share of runs in which it received the warning, and in which it acted on it."""
    protocols, baseline, colors = _setup(store, baseline)
    series = {p: [s for s in store.series("agencies", p) if s is not None] for p in protocols}
    names = list(dict.fromkeys(k for runs in series.values() for s in runs for k in s))
    fig = Figure(figsize=(12, 1.5 + 0.15 * len(names) * max(len(protocols), 2)), layout="constrained")
    for i, (title, test) in enumerate((("received the warning", lambda a: a.get("received_s") is not None),
                                       ("acted on it", lambda a: bool(a.get("acted"))))):
        ax = fig.add_subplot(1, 2, i + 1)
        if not names:
            _no_data(ax, "no warning chain in this scenario")
            continue
        values = {p: [100 * float(np.mean([test(s.get(n, {})) for s in runs])) if runs else 0.0
                      for n in names] for p, runs in series.items()}
        _bars(ax, names, values, colors, baseline)
        ax.set_xlim(0, 105)
        ax.set_xlabel("share of runs (%)")
        ax.set_title(f"Agency {title}")
        if i == 1:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    fig.suptitle("Warning chain: how often each agency received and acted on the warning")
    return fig


def figures(store: Any, baseline: str | None = None) -> list[tuple[str, str, Figure]]:
    """Every figure as `(file stem, caption, Figure)`, in reading order."""
    protocols, baseline = resolve_baseline(store, baseline)
    out = [("evacuation_curves", "People safe over time", evacuation_curves(store, baseline)),
           ("distributions", "RSET and harm per protocol", distributions(store, baseline)),
           ("paired_differences", "Paired differences from the baseline",
            paired_differences(store, baseline)),
           ("milestones", "Response milestones", milestones(store, baseline)),
           ("openings", "The busiest openings: flow and peak queue", openings(store, baseline)),
           ("warning_chain", "Warning chain", warning_chain(store, baseline)),
           ("occupancy", "Zone density over time (median-RSET run of each protocol)",
            occupancy_heatmaps(store, protocols))]
    return out


def write_all(store: Any, out_dir: str | Path, baseline: str | None = None) -> list[Path]:
    """Draw every figure and save it as `out_dir/<name>.png`; returns the paths written.

    Each file is replaced atomically (`ttxsim.sim.atomic_output`): an interrupted run leaves
    the previous figure, not a truncated PNG.
    """
    from ttxsim.sim import atomic_output

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, _, fig in figures(store, baseline):
        path = out / f"{stem}.png"
        with atomic_output(path) as png:
            fig.savefig(png, format="png", dpi=_DPI)
        paths.append(path)
    return paths
