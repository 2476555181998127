"""Compare protocols over a batch: each metric summarised honestly, and paired differences.

A protocol is compared with the baseline replication by replication (the same replication
number means the same seed: common random numbers), so the difference and its interval
measure the protocol's effect rather than the luck of the draw. Counts are summarised by their
mean with a bootstrap interval (never below 0); times, which some runs never reach, by their
Kaplan–Meier median with "not reached in k of n", never by a mean of the runs that reached
them (`stats.py` says why and cites the methods). The same rows feed the terminal table, CSV
and JSON, and the after-action report.
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
from .stats import bootstrap_mean_ci, paired, paired_median_difference, summarise_time, tally

__all__ = ["DEFAULT_TABLE_METRICS", "FIELDS", "TABLE_WIDTH", "compare", "format_value", "is_time",
           "lower_is_better", "metric_label", "render_table", "resolve_baseline", "table_cells", "to_csv",
           "to_json"]

DEFAULT_TABLE_METRICS = tuple(defined_metric(name).name for name in (  # a renamed metric fails here
    "harmed_total", "harmed_threat", "harmed_smoke", "exposed", "rset_s", "t95_s", "t_alarm_s",
    "t_police_arrival_s", "posture"))
"""The metrics a planner reads first; the terminal table and the report show these by default."""

FIELDS = ("protocol", "metric", "kind", "mean", "low", "high", "median", "median_low", "median_high", "n",
          "reached", "share_reached", "diff", "diff_low", "diff_high", "diff_share_reached",
          "share_better", "share_tied", "share_worse")
"""The keys of a comparison row, in CSV column order (docs/results-store.md#paired-comparisons)."""

TABLE_WIDTH = 100
"""The widest the terminal table gets (columns): it must read in a 100-column terminal."""

_NEUTRAL = frozenset(m.name for m in DEFINED_METRICS if m.lower_is_better is None)
"""Metrics whose rows have no better/tied/worse: no direction is the better one (sim/metrics.py)."""


def is_time(metric: str) -> bool:
    """Whether `metric` is a time (unit s), which a run may never reach: summarised as censored."""
    return metric.endswith("_s")


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
        `FIELDS`. A count (`kind` "count") has `mean`, `low`, `high` (bootstrap) and `diff`, the
        paired mean difference (Student t). A time (`kind` "time") has no mean: `median`,
        `median_low`, `median_high` (Kaplan–Meier, bootstrap), `reached` of `n` runs, and
        `diff`, the difference of medians (paired bootstrap), with `diff_share_reached`. The
        `diff*` and `share_*` fields describe `protocol − baseline` over the replications both
        ran; they are None on the baseline's rows.

    Raises:
        KeyError: If `baseline` or a metric name is unknown.
    """
    protocols, baseline = resolve_baseline(store, baseline)
    metrics = list(METRICS) if metrics is None else list(metrics)
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise KeyError(f"unknown metric(s): {', '.join(unknown)}")
    runs = {p: {r["replication"]: r for r in store.runs(p)} for p in protocols}
    held = getattr(store, "metrics", None)  # an older store lacks some: no value, not "never reached"
    absent = {m for m in metrics if isinstance(held, tuple) and m not in held}
    base = runs[baseline]
    rows = []
    for protocol in protocols:
        mine = runs[protocol]
        common = sorted(set(mine) & set(base)) if protocol != baseline else []
        for metric in metrics:
            if metric in absent:
                rows.append({**dict.fromkeys(FIELDS), "protocol": protocol, "metric": metric, "n": 0,
                             "kind": "time" if is_time(metric) else "count", "reached": 0})
                continue
            row = _summary(protocol, metric, [r.get(metric) for r in mine.values()])
            if protocol != baseline:
                row.update(_difference(metric, [base[i].get(metric) for i in common],
                                       [mine[i].get(metric) for i in common]))
            rows.append(row)
    return rows


def _summary(protocol: str, metric: str, values: list[float | None]) -> dict[str, Any]:
    """A row's own part: a count's mean or a time's median, and how many runs had a value."""
    row: dict[str, Any] = dict.fromkeys(FIELDS)
    row.update(protocol=protocol, metric=metric)
    if is_time(metric):
        summary = summarise_time(values)
        row.update(kind="time", median=summary.median, median_low=summary.low, median_high=summary.high,
                   n=summary.n, reached=summary.reached, share_reached=summary.share_reached)
    else:
        mean, low, high, n = bootstrap_mean_ci(values)
        row.update(kind="count", mean=_num(mean), low=low, high=high, n=n, reached=n)
    return row


def _difference(metric: str, base: list[float | None], mine: list[float | None]) -> dict[str, Any]:
    """A row's comparison with the baseline over the common replications."""
    better = lower_is_better(metric)
    if is_time(metric):
        diff, low, high, _ = paired_median_difference(base, mine)
        reached = [sum(v is not None for v in side) / len(side) if side else None for side in (base, mine)]
        out = {"diff": diff, "diff_low": low, "diff_high": high,
               "diff_share_reached": None if None in reached else reached[1] - reached[0]}
    else:
        mean, low, high, _, _ = paired(base, mine, lower_is_better=better)
        out = {"diff": _num(mean), "diff_low": low, "diff_high": high}
    shares = None if metric in _NEUTRAL else tally(base, mine, lower_is_better=better,
                                                   censored=is_time(metric)).shares()
    if shares is not None:
        out.update(share_better=shares[0], share_tied=shares[1], share_worse=shares[2])
    return out


def _num(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def to_csv(rows: Sequence[dict]) -> str:
    """The rows as CSV text (header `FIELDS`; empty cells where a value is None)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row[k]) for k in FIELDS})
    return out.getvalue()


def to_json(rows: Sequence[dict], baseline: str | None = None) -> str:
    """The rows as a JSON document: `{"baseline": ..., "level": 0.95, "rows": [...]}`."""
    return json.dumps({"baseline": baseline, "level": 0.95, "rows": [dict(r) for r in rows]}, indent=2)


def format_value(metric: str, value: float | None, *, signed: bool = False) -> str:
    """A value as the table shows it: times in minutes, counts to one decimal below 100.

    Thousands are separated; the unit is in the metric's label (`metric_label`).
    """
    if value is None:
        return "—"
    if is_time(metric):
        value /= 60
    digits = 1 if abs(value) < 100 else 0
    return f"{value:+,.{digits}f}" if signed else f"{value:,.{digits}f}"


def metric_label(metric: str) -> str:
    """How the table names a metric: its description, times in minutes and marked as medians."""
    text = METRICS[metric]
    if is_time(metric):
        text = text.replace("(s,", "(min,").replace("(s)", "(min)")
        return f"{text}, median"
    return f"{text}, mean"


def _interval(metric: str, low: float | None, high: float | None, *, signed: bool = False) -> str:
    if low is None and high is None:
        return ""
    upper = "∞)" if high is None else f"{format_value(metric, high, signed=signed)}]"
    lower = "(−∞" if low is None else f"[{format_value(metric, low, signed=signed)}"
    return f"{lower}, {upper}"


def _value_cell(row: dict, sep: str) -> str:
    """The protocol's own value: a count's mean, or a time's median and the runs that missed it."""
    metric = row["metric"]
    if row["kind"] != "time":
        return f"{format_value(metric, row['mean'])} {_interval(metric, row['low'], row['high'])}".strip()
    missed = row["n"] - row["reached"]
    if row["median"] is None:
        if row["n"] == 0:
            return "—"
        return f"not reached in {missed} of {row['n']}{sep}(reached in {row['share_reached']:.0%})"
    text = f"{format_value(metric, row['median'])} {_interval(metric, row['median_low'], row['median_high'])}"
    return text.strip() + (f"{sep}not reached in {missed} of {row['n']}" if missed else "")


def _diff_cell(row: dict, sep: str) -> str:
    metric = row["metric"]
    parts = []
    if row["diff"] == 0 and row["diff_low"] == 0 and row["diff_high"] == 0:
        parts.append("±0")  # the same in every paired run
    elif row["diff"] is not None:
        parts.append(f"{format_value(metric, row['diff'], signed=True)} "
                     f"{_interval(metric, row['diff_low'], row['diff_high'], signed=True)}".strip())
    if row.get("diff_share_reached"):
        parts.append(f"reached {100 * row['diff_share_reached']:+.0f} pts")
    return sep.join(parts) or "—"


def _shares_cell(row: dict) -> str:
    """Better, tied and worse as "85/5/10" (per cent of paired runs, in that order)."""
    if row.get("share_better") is None:
        return ""
    return "/".join(f"{100 * row[k]:.0f}" for k in ("share_better", "share_tied", "share_worse"))


def table_cells(rows: Sequence[dict], metrics: Sequence[str] | None = DEFAULT_TABLE_METRICS, *,
                sep: str = "; ") -> tuple[list[str], list[list[str]]]:
    """The comparison as text cells: a header and one list of cells per row, grouped by metric.

    The header names no protocol: the baseline's own row says "(baseline)" and the title or the
    report says which it is.

    Args:
        rows: The rows of `compare`.
        metrics: The metrics to show, in this order; None for every metric in the rows.
        sep: What separates the two lines a cell may have ("not reached in k of n" below a
            median): "; " on one line, a newline in the terminal.

    Returns:
        `(header, body)`; the metric cell is filled on the first row of each group only.
    """
    present = list(dict.fromkeys(r["metric"] for r in rows))
    order = present if metrics is None else [m for m in metrics if m in present]
    baseline = next((p for p in dict.fromkeys(r["protocol"] for r in rows)
                     if all(r.get("diff") is None and r.get("share_better") is None
                            for r in rows if r["protocol"] == p)), None)
    header = ["metric", "protocol", "value [95 % CI]", "Δ [95 % CI]", "better/tied/worse %"]
    body = []
    for metric in order:
        for i, row in enumerate(r for r in rows if r["metric"] == metric):
            diff = "(baseline)" if row["protocol"] == baseline else _diff_cell(row, sep)
            body.append([metric_label(metric) if i == 0 else "", row["protocol"], _value_cell(row, sep), diff,
                         _shares_cell(row)])
    return header, body


def render_table(rows: Sequence[dict], metrics: Sequence[str] | None = DEFAULT_TABLE_METRICS,
                 title: str | None = None) -> Any:
    """A rich Table of the comparison, one section per metric, at most `TABLE_WIDTH` columns wide.

    Each metric heads its section on a row of its own, the protocols indented beneath, so no
    column is spent on it. Numbers never wrap; long names wrap instead.

    Args:
        rows: The rows of `compare`.
        metrics: The metrics to show; default a readable subset (`DEFAULT_TABLE_METRICS`),
            None for all.
        title: A title above the table.

    Returns:
        A `rich.table.Table`, ready for `Console.print`.
    """
    from rich.markup import escape
    from rich.table import Table

    header, body = table_cells(rows, metrics, sep="\n")
    table = Table(title=title, title_justify="left", padding=(0, 1))
    table.add_column("metric / protocol", overflow="fold", max_width=27)
    for name in header[2:]:
        table.add_column(name.replace("/", "/\n") if name.startswith("better") else name, justify="right",
                         no_wrap=True)
    for metric, protocol, *cells in body:
        if metric:  # the metric's own row spans nothing, so it heads its section instead of a column
            if table.row_count:
                table.add_section()
            table.add_row(f"[bold]{escape(metric)}[/bold]", *[""] * len(cells))
        table.add_row(f"  {escape(protocol)}", *cells)
    return table
