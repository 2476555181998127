"""Figures of places in the venue over a batch: the busiest openings, and zone density over time.

A venue has dozens of openings and zones; a planner looks for the few that carry the crowd, so
the openings figure shows each protocol's busiest N by name, and the occupancy figure puts
every protocol on one page of small multiples with one colour scale, in people per m² (the
unit crowd-safety guidance uses: Fruin's levels of service, the Green Guide's 2 p/m² for
circulation), so that a dark band means the same crowding in every panel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

__all__ = ["TOP_OPENINGS", "occupancy_heatmap", "occupancy_heatmaps", "openings", "representative",
           "zone_areas"]

TOP_OPENINGS = 10
"""Openings per protocol in the openings figure: the busiest, by people passed."""

_STAIR_COLOR = "#b35900"


def _grid(count: int, cols: int = 3) -> tuple[int, int]:
    cols = min(cols, max(count, 1))
    return -(-max(count, 1) // cols), cols


def _no_data(fig: Figure, text: str) -> Figure:
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#777777")
    ax.set_xticks([])
    ax.set_yticks([])
    return fig


def openings(store: Any, protocols: Sequence[str], top: int = TOP_OPENINGS) -> Figure:
    """Each protocol's busiest openings by name: people passed (bar), peak queue (beside it).

    One panel per protocol, on a shared scale, so a door that takes the crowd in one protocol
    and not in another is plain to see; the openings that carried few people are left out.
    """
    series = {p: [s for s in store.series("openings", p) if s] for p in protocols}
    shown = [p for p in protocols if series[p]]
    rows, cols = _grid(len(shown))
    height = 0.5 + rows * (0.28 * top + 0.9)
    fig = Figure(figsize=(4.2 * cols + 1, height), layout="constrained")
    if not shown:
        return _no_data(fig, "no openings in the store")
    total = len({k for runs in series.values() for s in runs for k in s})
    axes = fig.subplots(rows, cols, sharex=True, squeeze=False).ravel()
    peak = 1.0
    for ax, p in zip(axes, shown, strict=False):
        runs = series[p]
        names = sorted({k for s in runs for k in s})
        passed = {n: float(np.mean([s.get(n, {}).get("passed", 0) for s in runs])) for n in names}
        queue = {n: float(np.mean([s.get(n, {}).get("peak_queue", 0) for s in runs])) for n in names}
        busiest = sorted(names, key=lambda n: (-passed[n], n))[:top]
        ys = np.arange(len(busiest))
        ax.barh(ys, [passed[n] for n in busiest], color="#1f77b4", height=0.7)
        for y, n in zip(ys, busiest, strict=True):
            ax.annotate(f" queue {queue[n]:,.0f}", (passed[n], y), va="center", fontsize="x-small",
                        color="#444444")
        ax.set_yticks(ys, busiest, fontsize="small")
        ax.set_ylim(top - 0.5, -0.5)
        ax.set_title(p, fontsize="medium")
        ax.grid(axis="x", alpha=0.3)
        peak = max(peak, *passed.values())
    for ax in axes[len(shown):]:
        ax.set_visible(False)
    axes[0].set_xlim(0, peak * 1.35)  # room for the queue's number after the longest bar
    fig.supxlabel("people passed (mean over runs); beside each bar: peak queue (people, mean over runs)",
                  fontsize="medium")
    fig.suptitle(f"Busiest openings per protocol: the top {min(top, total)} of {total} by people passed")
    return fig


def representative(store: Any, protocol: str) -> int | None:
    """The index (in `store.runs(protocol)`) of the run whose RSET is the median; None if no run.

    A run in which somebody never reached safety has no RSET and ranks last (censored, as the
    Kaplan–Meier median counts it), so the middle run is the middle of all runs, not of the
    runs that emptied the venue.
    """
    runs = store.runs(protocol, metrics=["rset_s"])
    ranked = sorted((math.inf if r.get("rset_s") is None else r["rset_s"], i) for i, r in enumerate(runs))
    return ranked[(len(ranked) + 1) // 2 - 1][1] if ranked else None


def zone_areas(store: Any) -> dict[str, tuple[float, bool]]:
    """Each zone's walkable area (m²) and whether it is a stair, from the stored scenario.

    Empty when the store's scenario no longer parses (an old store): densities cannot be drawn.
    """
    try:
        from ttxsim.sim import parse_scenario

        exp = store.experiment()
        scenario = parse_scenario(exp["scenario_text"], exp.get("scenario_name") or "scenario")
    except Exception:  # an old store whose scenario no longer validates: no areas to divide by
        return {}
    return {z.id: (float(z.area_m2), z.kind == "stair") for z in scenario.venue.zones if z.area_m2 > 0}


def sampling_step(store: Any, protocol: str) -> float:
    """The series' sampling step (s): stored per run, 5 s if the store does not say."""
    try:
        steps = [s for s in store.series("curve_dt_s", protocol) if s]
    except KeyError:
        steps = []
    return float(steps[0]) if steps else 5.0


def _density(store: Any, protocol: str, areas: dict[str, tuple[float, bool]]
             ) -> tuple[dict[str, list[float]], int] | None:
    """The representative run's density per zone (p/m²) and its index; None if it has no series."""
    index = representative(store, protocol)
    series = store.series("occupancy", protocol)
    zones = series[index] if index is not None and index < len(series) else None
    if not zones:
        return None
    return {z: [v / areas[z][0] for v in values] for z, values in zones.items() if z in areas}, index


def _zone_label(zone: str, areas: dict[str, tuple[float, bool]]) -> str:
    return f"{zone} (stair)" if areas[zone][1] else zone


def occupancy_heatmaps(store: Any, protocols: Sequence[str]) -> Figure:
    """Density in every zone over time, one panel per protocol, one colour scale and time axis.

    Each panel is that protocol's median-RSET run (`representative`); stairs are named in brown
    and marked "(stair)", as their density is per m² of flights, not of floor.
    """
    areas = zone_areas(store)
    data = {p: d for p in protocols if (d := _density(store, p, areas)) is not None and d[0]}
    rows, cols = _grid(len(data), 3)
    fig = Figure(figsize=(4.6 * cols + 2.2, 0.8 + rows * (0.2 * max(len(areas), 4) + 1.0)),
                 layout="constrained")
    if not data:
        return _no_data(fig, "no occupancy series (or zone areas) in the store")
    names = list(dict.fromkeys(z for zones, _ in data.values() for z in zones))
    width = max(len(v) for zones, _ in data.values() for v in zones.values())
    dt = sampling_step(store, next(iter(data)))
    vmax = max(max(v, default=0.0) for zones, _ in data.values() for v in zones.values()) or 1.0
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False).ravel()
    image = None
    for ax, (p, (zones, index)) in zip(axes, data.items(), strict=False):
        grid = np.array([_padded(zones.get(z, []), width) for z in names])
        image = ax.imshow(grid, aspect="auto", cmap="magma_r", interpolation="nearest", vmin=0, vmax=vmax,
                          extent=(0, width * dt / 60, len(names) - 0.5, -0.5))
        run = store.runs(p, metrics=["rset_s"])[index]
        rset = ("no RSET: not everyone got out" if run["rset_s"] is None
                else f"RSET {run['rset_s'] / 60:.1f} min")
        ax.set_title(f"{p}\nreplication {run['replication']} ({rset})", fontsize="small")
    for ax in axes[len(data):]:
        ax.set_visible(False)
    axes[0].set_yticks(range(len(names)), [_zone_label(z, areas) for z in names])
    for ax in axes[::cols]:
        ax.tick_params(axis="y", labelsize="small")
        for tick, z in zip(ax.get_yticklabels(), names, strict=True):
            if areas[z][1]:
                tick.set_color(_STAIR_COLOR)
    fig.supxlabel("time since t = 0 (min)", fontsize="medium")
    fig.colorbar(image, ax=axes.tolist(), label="density (people per m²)", shrink=0.8)
    fig.suptitle("Zone density over time, per protocol (its median-RSET run; one colour scale)")
    return fig


def _padded(values: list[float], width: int) -> list[float]:
    return list(values) + [values[-1] if values else 0.0] * (width - len(values))


def occupancy_heatmap(store: Any, protocol: str) -> Figure:
    """One protocol's panel of `occupancy_heatmaps` alone (for a report about one protocol)."""
    return occupancy_heatmaps(store, [protocol])
