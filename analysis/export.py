"""A batch's results as flat tables to take away: one row per run, and its curves in long form.

The results store keeps a run's metrics as columns and its curves as compressed JSON
(docs/results-store.md); an analyst wants a CSV for a spreadsheet or a DataFrame. The rows
here are the store's values as they are, never summarised: a time that never came stays
empty (NaN in pandas), never 0, and a float is the same float (CSV writes its shortest exact
form), so anything computed from an export matches what `ttxsim compare` computes.

- `run_rows`: one row per run, `RUN_KEYS`, the decisions the run played if any, every metric
  of `ttxsim.sim.metrics` (plus any only the store knows) under its own name, and `wall_s`.
- `series_rows`: the curves in long form (`SERIES_COLUMNS`): one row per run, series, place
  and time step, the "tidy" shape pandas and plotting libraries group and pivot.

CSV is written with the csv module, so it needs no pandas; Parquet needs the `pandas` extra
(`frames.py`). Every file is replaced atomically: an interrupted export leaves the old file.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ttxsim.sim import atomic_output

from .records import METRICS

__all__ = ["DECISION_COLUMNS", "FORMATS", "RUN_KEYS", "SERIES_COLUMNS", "SERIES_NAMES", "choose_protocols",
           "export", "export_format", "metric_columns", "run_columns", "run_rows", "series_rows", "write_csv"]

RUN_KEYS = ("protocol", "replication", "seed")
"""What identifies a run: replication i of every protocol ran on the same seed."""

DECISION_COLUMNS = ("base_protocol", "decisions")
"""The protocol a run played and the decisions file it played on it (empty for a protocol's own
runs); a `batch --decisions` run is stored under a protocol name `<protocol>+<stem>-<hash>`."""

SERIES_COLUMNS = ("protocol", "replication", "seed", "series", "zone", "opening", "agency", "t_s", "value")
"""The columns of the long form; `zone`, `opening` and `agency` are filled where the series has them."""

SERIES_NAMES = ("curve_safe", "curve_harmed", "occupancy", "opening_passed", "opening_peak_queue",
                "agency_received_s", "agency_acted", "agency_acted_s", "agency_forwarded")
"""The series of the long form, in the order they come for each run."""

FORMATS = {".csv": "csv", ".parquet": "parquet"}
"""Output types by file suffix."""

_AGENCY_FIELDS = ("received_s", "acted", "acted_s", "forwarded")
"""The numbers of an agency's record (which warning reached it first is text: in the store only)."""


def export_format(path: str | os.PathLike) -> str:
    """`csv` or `parquet`, from the file's suffix.

    Raises:
        ValueError: Any other suffix (the message names the ones known).
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"unknown output type {suffix or '(no suffix)'!r}; name a "
                         f"{' or '.join(FORMATS)} file")
    return FORMATS[suffix]


def choose_protocols(store: Any, wanted: Sequence[str] = ()) -> list[str]:
    """The protocols to export: `wanted` (in that order, once each), or all the store's.

    Raises:
        KeyError: A protocol the store does not hold (the message suggests the closest name).
    """
    known = list(store.experiment()["protocols"])
    for name in wanted:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise KeyError(f"unknown protocol {name!r}; {hint}the store has: {', '.join(known)}")
    return list(dict.fromkeys(wanted)) if wanted else known


def metric_columns(store: Any) -> list[str]:
    """Every metric of this ttxsim, then any only the store holds (written by a newer one)."""
    return [*METRICS, *(m for m in store.metrics if m not in METRICS)]


def run_columns(store: Any) -> list[str]:
    """The columns of `run_rows`, in order."""
    return [*RUN_KEYS, *DECISION_COLUMNS, *metric_columns(store), "wall_s"]


def run_rows(store: Any, protocols: Sequence[str] = ()) -> Iterator[dict[str, Any]]:
    """One dict per stored run, keyed by `run_columns`; None where a value is absent.

    Runs come by protocol (the store's order, or that of `protocols`), then replication.
    """
    metrics = metric_columns(store)
    sets = store.decision_sets()
    for protocol in choose_protocols(store, protocols):
        chosen = sets.get(protocol)
        played = {"base_protocol": chosen.get("protocol"), "decisions": chosen.get("source")} if chosen \
            else {"base_protocol": protocol, "decisions": None}
        for run in store.runs(protocol, metrics=metrics):
            yield {**{k: run[k] for k in RUN_KEYS}, **played, **{m: run[m] for m in metrics},
                   "wall_s": run["wall_s"]}


def series_rows(store: Any, protocols: Sequence[str] = ()) -> Iterator[tuple[Any, ...]]:
    """The stored curves in long form: one tuple per `SERIES_COLUMNS` row.

    `curve_safe` and `curve_harmed` (people) and `occupancy` (people in `zone`) have one row
    per time step, `t_s` = step × the run's `curve_dt_s`; `opening_passed` and
    `opening_peak_queue` (people, whole run) one per opening; the `agency_*` rows (times in s,
    flags 0 or 1) one per agency of the warning chain, `value` None where a time never came.
    """
    for protocol in choose_protocols(store, protocols):
        for run in store.run_series(protocol):
            yield from _long_form(run)


def _long_form(run: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    head = (run["protocol"], run["replication"], run["seed"])
    dt = run["curve_dt_s"]
    for name in ("curve_safe", "curve_harmed"):
        for step, value in enumerate(run[name] or ()):
            yield (*head, name, None, None, None, step * dt, value)
    for zone, counts in (run["occupancy"] or {}).items():
        for step, value in enumerate(counts):
            yield (*head, "occupancy", zone, None, None, step * dt, value)
    for key in ("passed", "peak_queue"):
        for opening, record in (run["openings"] or {}).items():
            yield (*head, f"opening_{key}", None, opening, None, None, record.get(key))
    for key in _AGENCY_FIELDS:
        for agency, record in (run["agencies"] or {}).items():
            value = record.get(key)
            yield (*head, f"agency_{key}", None, None, agency, None,
                   int(value) if isinstance(value, bool) else value)


def write_csv(path: str | os.PathLike, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write `rows` (sequences in `columns` order) as CSV, atomically; returns the row count.

    None is an empty cell; a float is written in its shortest form that reads back exactly.
    """
    count = 0
    with atomic_output(path) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row)
            count += 1
        text.flush()
        text.detach()  # atomic_output closes the file once it is synced
    return count


def export(store: Any, out: str | os.PathLike, *, series: bool = False, protocols: Sequence[str] = ()) -> int:
    """Write the store's runs (or, with `series`, its curves in long form) to `out`; returns the rows.

    The format follows the suffix (`export_format`): CSV, or Parquet with the `pandas` extra.

    Raises:
        ValueError: An unknown suffix.
        KeyError: An unknown protocol.
        ImportError: Parquet without pandas and pyarrow (the message names the extra).
        OSError: `out` cannot be written (any previous file is kept).
    """
    kind = export_format(out)
    protocols = choose_protocols(store, protocols)
    if kind == "parquet":
        from .frames import write_parquet

        return write_parquet(store, out, series=series, protocols=protocols)
    if series:
        return write_csv(out, SERIES_COLUMNS, series_rows(store, protocols))
    columns = run_columns(store)
    return write_csv(out, columns, ([row[c] for c in columns] for row in run_rows(store, protocols)))
