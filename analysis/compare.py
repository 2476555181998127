"""Compare protocols over a batch: each metric's mean with its interval, and paired differences.

A protocol is compared with the baseline replication by replication (the same replication
number means the same seed: common random numbers), so the difference and its interval
measure the protocol's effect rather than the luck of the draw. The same rows feed the
terminal table, CSV and JSON, and the after-action report.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from typing import Any

from ttxsim.sim.metrics import METRICS as DEFINED_METRICS
from ttxsim.sim.metrics import metric as defined_metric

from .records import METRICS
from .stats import mean_ci, paired

__all__ = ["DEFAULT_TABLE_METRICS", "FIELDS", "compare", "format_value", "lower_is_better", "render_table",
           "resolve_baseline", "table_cells", "to_csv", "to_json"]

DEFAULT_TABLE_METRICS = tuple(defined_metric(name).name for name in (  # a renamed metric fails here
    "harmed_total", "harmed_threat", "harmed_smoke", "exposed", "rset_s", "t95_s", "t_alarm_s",
    "t_police_arrival_s", "posture"))
"""The metrics a planner reads first; the terminal table and the report show these by default."""

FIELDS = ("protocol", "metric", "mean", "low", "high", "n", "diff", "diff_low", "diff_high", "share_better")
"""The keys of a comparison row, in CSV column order."""

_NEUTRAL = frozenset(m.name for m in DEFINED_METRICS if m.lower_is_better is None)
"""Metrics whose rows have no `share_better`: no direction is the better one (sim/metrics.py)."""


def resolve_baseline(store: Any, baseline: str | None) -> tuple[list[str], str]:
    """The store's protocols and the baseline: `baseline` if given, else `baseline` or the first.

    Raises:
        KeyError: If `baseline` is not one of the store's protocols.
    """
    protocols = list(store.experiment()["protocols"])
    if baseline is None:
        baseline = "baseline" if "baseline" in protocols else protocols[0]
    elif baseline not in protocols:
        raise KeyError(f"unknown baseline protocol {baseline!r}; the store has: {', '.join(protocols)}")
    return protocols, baseline


def lower_is_better(metric: str) -> bool:
    """Whether a smaller value of `metric` is the better outcome (`Metric.lower_is_better`).

    Raises:
        KeyError: If `metric` is not a defined metric (a misspelt name is not "more is better").
    """
    return defined_metric(metric).lower_is_better is True


def compare(store: Any, baseline: str | None = None, metrics: Sequence[str] | None = None) -> list[dict]:
    """Summarise every protocol's metrics and their paired differences with the baseline.

    Args:
        store: A results store (`ResultsStore`, or any object with `experiment()` and `runs()`).
        baseline: The protocol to compare against; default `baseline`, else the first protocol.
        metrics: Metric names (`ttxsim.sim.metrics.METRICS`); default all of them.

    Returns:
        One dict per (protocol, metric), protocols in the store's order, with the keys of
        `FIELDS`. `diff`, `diff_low`, `diff_high` and `share_better` describe `protocol −
        baseline` over the replications both ran; they are None on the baseline's rows.

    Raises:
        KeyError: If `baseline` or a metric name is unknown.
    """
    protocols, baseline = resolve_baseline(store, baseline)
    metrics = list(METRICS) if metrics is None else list(metrics)
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise KeyError(f"unknown metric(s): {', '.join(unknown)}")
    runs = {p: {r["replication"]: r for r in store.runs(p)} for p in protocols}
    base = runs[baseline]
    rows = []
    for protocol in protocols:
        mine = runs[protocol]
        common = sorted(set(mine) & set(base))
        for metric in metrics:
            mean, low, high, n = mean_ci(r.get(metric) for r in mine.values())
            row = {"protocol": protocol, "metric": metric, "mean": _num(mean), "low": low, "high": high,
                   "n": n, "diff": None, "diff_low": None, "diff_high": None, "share_better": None}
            if protocol != baseline:
                diff, d_low, d_high, _, share = paired(
                    [base[i].get(metric) for i in common], [mine[i].get(metric) for i in common],
                    lower_is_better=lower_is_better(metric))
                row.update(diff=_num(diff), diff_low=d_low, diff_high=d_high,
                           share_better=None if metric in _NEUTRAL else share)
            rows.append(row)
    return rows


def _num(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def to_csv(rows: Sequence[dict]) -> str:
    """The rows as CSV text (header `FIELDS`; empty cells where a value is None)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row[k] is None else row[k]) for k in FIELDS})
    return out.getvalue()


def to_json(rows: Sequence[dict], baseline: str | None = None) -> str:
    """The rows as a JSON document: `{"baseline": ..., "level": 0.95, "rows": [...]}`."""
    return json.dumps({"baseline": baseline, "level": 0.95, "rows": [dict(r) for r in rows]}, indent=2)


def format_value(metric: str, value: float | None, *, signed: bool = False) -> str:
    """A value to one decimal, thousands separated (the unit is in the metric's description)."""
    if value is None:
        return "—"
    return f"{value:+,.1f}" if signed else f"{value:,.1f}"


def _interval(metric: str, low: float | None, high: float | None, *, signed: bool = False) -> str:
    if low is None or high is None:
        return ""
    return f"[{format_value(metric, low, signed=signed)}, {format_value(metric, high, signed=signed)}]"


def table_cells(rows: Sequence[dict], metrics: Sequence[str] | None = DEFAULT_TABLE_METRICS
                ) -> tuple[list[str], list[list[str]]]:
    """The comparison as text cells: a header and one list of cells per row, grouped by metric.

    Args:
        rows: The rows of `compare`.
        metrics: The metrics to show, in this order; None for every metric in the rows.

    Returns:
        `(header, body)`; the metric cell is filled on the first row of each group only.
    """
    present = list(dict.fromkeys(r["metric"] for r in rows))
    order = present if metrics is None else [m for m in metrics if m in present]
    baseline = next((p for p in dict.fromkeys(r["protocol"] for r in rows)
                     if all(r["diff"] is None for r in rows if r["protocol"] == p)), None)
    header = ["metric", "protocol", "mean [95 % CI]", "n", "Δ vs baseline [95 % CI]", "better in"]
    body = []
    for metric in order:
        for i, row in enumerate(r for r in rows if r["metric"] == metric):
            mean = f"{format_value(metric, row['mean'])} {_interval(metric, row['low'], row['high'])}"
            diff = "(baseline)" if row["protocol"] == baseline else ""
            if row["diff"] is not None:
                diff = (f"{format_value(metric, row['diff'], signed=True)} "
                        f"{_interval(metric, row['diff_low'], row['diff_high'], signed=True)}")
            share = "" if row["share_better"] is None else f"{row['share_better']:.0%} of runs"
            body.append([METRICS[metric] if i == 0 else "", row["protocol"], mean.strip(), str(row["n"]),
                         diff.strip(), share])
    return header, body


def render_table(rows: Sequence[dict], metrics: Sequence[str] | None = DEFAULT_TABLE_METRICS,
                 title: str | None = None) -> Any:
    """A rich Table of the comparison, one section per metric.

    Args:
        rows: The rows of `compare`.
        metrics: The metrics to show; default a readable subset (`DEFAULT_TABLE_METRICS`),
            None for all.
        title: A title above the table.

    Returns:
        A `rich.table.Table`, ready for `Console.print`.
    """
    from rich.table import Table

    header, body = table_cells(rows, metrics)
    table = Table(title=title, title_justify="left")
    for name in header:
        table.add_column(name, justify="left" if name in ("metric", "protocol") else "right",
                         overflow="fold", no_wrap=name == "protocol", ratio=2 if name == "metric" else None)
    for cells in body:
        if cells[0] and table.row_count:
            table.add_section()
        table.add_row(*cells)
    return table
