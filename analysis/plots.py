"""The figures of a batch, as matplotlib Figures (no screen needed).

Each function draws one figure from a results store and returns it; `write_all` saves them
all as PNG. Figures are built with `matplotlib.figure.Figure` rather than pyplot, so no
global state or GUI backend is involved and a long batch of plots does not leak memory.
Spreads are shown as the 5–95 % range of the replications, intervals as 95 % Student-t.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ttxsim.sim.metrics import metric as defined_metric
from ttxsim.sim.metrics import milestone

from .compare import lower_is_better, resolve_baseline
from .records import METRICS
from .stats import paired

__all__ = ["distributions", "evacuation_curves", "milestones", "occupancy_heatmap", "openings",
           "paired_differences", "warning_chain", "write_all"]

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


def _dt(store: Any, protocol: str) -> float:
    """The series' sampling step (s): stored per run, 5 s if the store does not say."""
    try:
        steps = [s for s in store.series("curve_dt_s", protocol) if s]
    except KeyError:
        steps = []
    return float(steps[0]) if steps else 5.0


def _no_data(ax: Any, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#777777")
    ax.set_xticks([])
    ax.set_yticks([])


def _pad(curves: list[list[int]]) -> np.ndarray:
    """Curves of unequal length as one array, each extended with its last value."""
    width = max(len(c) for c in curves)
    return np.array([list(c) + [c[-1] if c else 0] * (width - len(c)) for c in curves], dtype=float)


def evacuation_curves(store: Any, baseline: str | None = None) -> Figure:
    """People safe over time per protocol: the median run with a 5–95 % band."""
    protocols, baseline, colors = _setup(store, baseline)
    fig = Figure(figsize=(9, 5.5), layout="constrained")
    ax = fig.add_subplot()
    for p in protocols:
        curves = [c for c in store.series("curve_safe", p) if c]
        if not curves:
            continue
        dt = _dt(store, p)
        data = _pad(curves)
        minutes = np.arange(data.shape[1]) * dt / 60
        low, mid, high = np.percentile(data, [5, 50, 95], axis=0)
        ax.fill_between(minutes, low, high, color=colors[p], alpha=0.18, linewidth=0)
        ax.plot(minutes, mid, color=colors[p], linewidth=2, label=_label(p, baseline),
                linestyle="--" if p == baseline else "-")
    rsets = [r["rset_s"] / 60 for p in protocols for r in store.runs(p) if r.get("rset_s") is not None]
    if rsets:  # the curves are flat after the last person is safe: show up to the slowest run
        ax.set_xlim(0, max(rsets) * 1.08)
    ax.set_title("Evacuation: people safe over time (median, band: 5–95 % of runs)")
    ax.set_xlabel("time since t = 0 (min)")
    ax.set_ylabel("people safe")
    ax.grid(alpha=0.3)
    if ax.lines:
        ax.legend(loc="lower right")
    else:
        _no_data(ax, "no evacuation curves in the store")
    return fig


def distributions(store: Any, baseline: str | None = None) -> Figure:
    """Box plots of RSET and of harm per protocol; the baseline's median is a dashed line."""
    protocols, baseline, colors = _setup(store, baseline)
    fig = Figure(figsize=(max(8, 1.3 * len(protocols) + 4), 5.5), layout="constrained")
    panels = (("rset_s", "RSET: last person safe (min)", 1 / 60), ("harmed_total", "people harmed", 1))
    for i, (metric, ylabel, scale) in enumerate(panels):
        ax = fig.add_subplot(1, 2, i + 1)
        data = [[r[metric] * scale for r in store.runs(p) if r.get(metric) is not None] for p in protocols]
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
            ax.axhline(float(np.median(base)), color="#555555", linestyle="--", linewidth=1,
                       label=f"baseline median ({baseline})")
            ax.legend(loc="best", fontsize="small")
        ax.set_xticks(range(1, len(protocols) + 1), protocols, rotation=30, ha="right")
        ax.set_ylabel(ylabel)
        ax.set_title(METRICS[metric].capitalize())
        ax.grid(axis="y", alpha=0.3)
    fig.suptitle("Distribution over replications per protocol (box: quartiles, whiskers: 1.5 IQR)")
    return fig


def paired_differences(store: Any, baseline: str | None = None,
                       metrics: Sequence[str] = DIFF_METRICS) -> Figure:
    """Each protocol minus the baseline, paired by replication: mean with its 95 % interval."""
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
            diff, low, high, n, _ = paired([base[k].get(metric) for k in common],
                                               [runs[p][k].get(metric) for k in common],
                                               lower_is_better=lower_is_better(metric))
            if n == 0:
                continue
            err = None if low is None else [[(diff - low) * scale], [(high - diff) * scale]]
            ax.errorbar(diff * scale, y, xerr=err, fmt="o", color=colors[p], capsize=4)
            drawn += 1
        if not drawn:
            _no_data(ax, "no paired values")
        ax.axvline(0, color="#555555", linewidth=1)
        ax.set_yticks(range(len(others)), others)
        ax.set_ylim(-0.6, len(others) - 0.4)
        ax.invert_yaxis()
        ax.set_title(METRICS[metric].removesuffix(" (s)"), fontsize="medium")  # the axis says min
        ax.set_xlabel(f"difference vs {baseline}{unit}" + (" — left is better" if lower_is_better(metric)
                                                          else ""))
        ax.grid(axis="x", alpha=0.3)
    name = "the baseline" if baseline == "baseline" else f"the baseline ({baseline})"
    fig.suptitle(f"Paired difference from {name}, run by run: mean and 95 % interval")
    return fig


def milestones(store: Any, baseline: str | None = None) -> Figure:
    """Response milestones per protocol: median time, bar from the 5th to the 95th percentile."""
    protocols, baseline, _ = _setup(store, baseline)
    fig = Figure(figsize=(10, 1.5 + 0.9 * len(protocols)), layout="constrained")
    ax = fig.add_subplot()
    markers = "v^osDP"
    cmap = ["#9467bd", "#1f77b4", "#ff7f0e", "#d62728", "#2ca02c", "#8c564b"]
    stats = {}
    for y, p in enumerate(protocols):
        runs = store.runs(p)
        for j, (key, _) in enumerate(MILESTONES):
            values = [r[key] / 60 for r in runs if r.get(key) is not None]
            if values:
                stats[y, j] = (*np.percentile(values, [5, 50, 95]), len(values), len(runs))
    shown = [s[1] for (_, j), s in stats.items() if j > 0] + [0.0]
    left = min(shown) - 1
    for (y, j), (low, mid, high, n, total) in stats.items():
        offset = (j - len(MILESTONES) / 2) * 0.09
        label = MILESTONES[j][1] if y == min(k[0] for k in stats if k[1] == j) else None
        if mid < left:  # a warning days ahead: an arrow at the edge, labelled with the lead time
            ax.plot(left, y + offset, marker="<", color=cmap[j], markersize=9, linestyle="", label=label)
            ax.annotate(f"{-mid / 1440:.1f} d before", (left, y + offset), xytext=(8, -3),
                        textcoords="offset points", fontsize="small", color=cmap[j])
            continue
        ax.plot([max(low, left), high], [y + offset] * 2, color=cmap[j], linewidth=2, alpha=0.5)
        ax.plot(mid, y + offset, marker=markers[j], color=cmap[j], markersize=8, linestyle="", label=label)
        if n < total:
            ax.annotate(f"{n}/{total}", (high, y + offset), xytext=(4, -3), textcoords="offset points",
                        fontsize="x-small", color=cmap[j])
    ax.set_yticks(range(len(protocols)), [_label(p, baseline) for p in protocols])
    ax.invert_yaxis()
    ax.axvline(0, color="#999999", linewidth=1, linestyle=":")
    ax.set_xlabel("time since t = 0 (min); n/N: runs in which the milestone came")
    ax.set_title("Response milestones per protocol (marker: median, line: 5–95 % of runs)")
    ax.grid(axis="x", alpha=0.3)
    if stats:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
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


def openings(store: Any, baseline: str | None = None) -> Figure:
    """Per opening: people passed and the peak queue, mean over runs per protocol."""
    protocols, baseline, colors = _setup(store, baseline)
    series = {p: [s for s in store.series("openings", p) if s] for p in protocols}
    names = sorted({k for runs in series.values() for s in runs for k in s})
    fig = Figure(figsize=(12, 1.5 + 0.12 * len(names) * max(len(protocols), 2)), layout="constrained")
    panels = (("passed", "people passed (flow)"), ("peak_queue", "peak queue (people)"))
    for i, (field, title) in enumerate(panels):
        ax = fig.add_subplot(1, 2, i + 1)
        if not names:
            _no_data(ax, "no openings in the store")
            continue
        values = {p: [float(np.mean([s.get(n, {}).get(field, 0) for s in runs])) if runs else 0.0
                      for n in names] for p, runs in series.items()}
        _bars(ax, names, values, colors, baseline)
        ax.set_xlabel(f"{title}, mean over runs")
        ax.set_title(title.capitalize())
        if i == 1:
            ax.legend(loc="lower right", fontsize="small")
    fig.suptitle("Openings: flow and peak queue per protocol")
    return fig


def representative(store: Any, protocol: str) -> int | None:
    """The index (in `store.runs(protocol)`) of the run whose RSET is the median; None if no RSET."""
    runs = store.runs(protocol)
    ranked = sorted((r["rset_s"], i) for i, r in enumerate(runs) if r.get("rset_s") is not None)
    return ranked[(len(ranked) - 1) // 2][1] if ranked else None


def occupancy_heatmap(store: Any, protocol: str) -> Figure:
    """Occupancy of every zone over time in one representative run (median RSET) of `protocol`."""
    runs = store.runs(protocol)
    index = representative(store, protocol)
    fig = Figure(figsize=(11, 5.5), layout="constrained")
    ax = fig.add_subplot()
    series = store.series("occupancy", protocol)
    zones = series[index] if index is not None and index < len(series) else None
    if not zones:
        _no_data(ax, f"no occupancy series for {protocol}")
        return fig
    names = list(zones)
    data = _pad([zones[z] for z in names])
    dt = _dt(store, protocol)
    image = ax.imshow(data, aspect="auto", cmap="viridis", interpolation="nearest",
                      extent=(0, data.shape[1] * dt / 60, len(names) - 0.5, -0.5))
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("time since t = 0 (min)")
    run = runs[index]
    ax.set_title(f"Zone occupancy over time — {protocol}, replication {run['replication']} "
                 f"(median RSET {run['rset_s'] / 60:.1f} min)")
    fig.colorbar(image, ax=ax, label="people in the zone")
    return fig


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
            ax.legend(loc="lower right", fontsize="small")
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
           ("openings", "Flow and peak queue per opening", openings(store, baseline)),
           ("warning_chain", "Warning chain", warning_chain(store, baseline))]
    for p in protocols:
        out.append((f"occupancy_{p}", f"Zone occupancy, {p} (median-RSET run)", occupancy_heatmap(store, p)))
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
