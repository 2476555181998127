"""A results store as pandas DataFrames: `load_runs`, `load_series`, and Parquet files of them.

pandas (and pyarrow, for Parquet) are an optional extra, `pip install 'ttxsim[pandas]'`:
ttxsim itself never needs them, so they are imported inside these functions and their
absence is one clear ImportError naming the extra. The frames hold exactly the rows of
`export.run_rows` and `export.series_rows`: a metric with a missing value is a float column
with NaN there (a time never reached is NaN, never 0), a complete count stays an integer.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ttxsim.sim import atomic_output

from .export import (
    DECISION_COLUMNS,
    SERIES_COLUMNS,
    choose_protocols,
    metric_columns,
    run_columns,
    run_rows,
    series_rows,
)

__all__ = ["EXTRA_HINT", "load_runs", "load_series", "require_pandas", "write_parquet"]

EXTRA_HINT = "pip install 'ttxsim[pandas]'"
"""How to get what this module needs."""


def require_pandas(*, parquet: bool = False) -> Any:
    """The pandas module (and pyarrow if `parquet`), or an ImportError saying how to install them."""
    try:
        import pandas as pd

        if parquet:
            import pyarrow  # noqa: F401  (pandas writes Parquet through it)
    except ImportError as exc:
        what = "pandas and pyarrow" if parquet else "pandas"
        raise ImportError(f"{'Parquet' if parquet else 'DataFrames'} need {what} ({exc.name} is not "
                          f"installed): {EXTRA_HINT}") from None
    return pd


@contextlib.contextmanager
def _opened(store: Any) -> Iterator[Any]:
    """`store` itself if it is an open store, else the file it names, opened read-only."""
    if isinstance(store, str | os.PathLike):
        from .store import ResultsStore

        with ResultsStore(Path(store), read_only=True) as opened:
            yield opened
    else:
        yield store


def _runs_frame(pd: Any, store: Any, protocols: Sequence[str]) -> Any:
    columns = run_columns(store)
    frame = pd.DataFrame.from_records(list(run_rows(store, protocols)), columns=columns)
    for name in metric_columns(store):  # all absent, or an int column with gaps: float with NaN
        if frame[name].dtype == object:
            frame[name] = frame[name].astype("float64")
    frame = _as_text(frame, DECISION_COLUMNS)
    return frame.astype({"replication": "int64", "seed": "int64", "wall_s": "float64"})


_SERIES_TYPES = {"replication": "int64", "seed": "int64", "t_s": "float64", "value": "float64"}


def _series_frame(pd: Any, store: Any, protocols: Sequence[str]) -> Any:
    frame = pd.DataFrame.from_records(list(series_rows(store, protocols)), columns=list(SERIES_COLUMNS))
    return _as_text(frame, ("series", "zone", "opening", "agency")).astype(_SERIES_TYPES)


def _as_text(frame: Any, columns: Sequence[str]) -> Any:
    """`columns` as the text type pandas gives `protocol` (always filled), even where all empty.

    pandas infers a column of None as `object`, while Parquet reads it back as text: one type
    for every text column makes a frame equal to its own export read back.
    """
    text = frame["protocol"].dtype
    return frame.astype(dict.fromkeys(columns, text))


def load_runs(store: Any, protocols: Sequence[str] = ()) -> Any:
    """One row per run of a results store: protocol, replication, seed, decisions, every metric.

    Args:
        store: A results store's path, or an open `ResultsStore`.
        protocols: Only these protocols' runs; default all, in the store's order.

    Returns:
        A pandas DataFrame with the columns of `ttxsim export` (docs/results-store.md#export).

    Raises:
        ImportError: pandas is not installed (`pip install 'ttxsim[pandas]'`).
        StoreError: The store cannot be read (missing, damaged, of a newer layout).
        KeyError: A protocol the store does not hold.
    """
    return _load(_runs_frame, store, protocols)


def load_series(store: Any, protocols: Sequence[str] = ()) -> Any:
    """A results store's curves in long form: one row per run, series, place and time step.

    Columns: protocol, replication, seed, series, zone, opening, agency, t_s, value (see
    `export.series_rows`); e.g. `df[df.series == "occupancy"].pivot_table(index="t_s",
    columns="zone", values="value")` is the mean head count per zone over time.

    Args:
        store: A results store's path, or an open `ResultsStore`.
        protocols: Only these protocols' runs; default all, in the store's order.

    Returns:
        A pandas DataFrame with the columns of `ttxsim export --series`.

    Raises:
        ImportError: pandas is not installed (`pip install 'ttxsim[pandas]'`).
        StoreError: The store cannot be read (missing, damaged, of a newer layout).
        KeyError: A protocol the store does not hold.
    """
    return _load(_series_frame, store, protocols)


def _load(frame: Any, store: Any, protocols: Sequence[str]) -> Any:
    """`frame(pd, store, protocols)` of the store (a path is opened read-only), its protocols checked."""
    pd = require_pandas()
    with _opened(store) as opened:
        return frame(pd, opened, choose_protocols(opened, protocols))


def write_parquet(store: Any, out: str | os.PathLike, *, series: bool = False,
                  protocols: Sequence[str] = ()) -> int:
    """Write `load_runs` (or `load_series`) of an open store as a Parquet file, atomically.

    The long form is written one protocol at a time, as row groups of one file, so memory
    holds one protocol's curves, not the whole store's.

    Returns:
        The number of rows written.
    """
    pd = require_pandas(parquet=True)
    import pyarrow as pa
    import pyarrow.parquet as pq

    protocols = choose_protocols(store, protocols)
    with atomic_output(out) as raw:
        if not series:
            frame = _runs_frame(pd, store, protocols)
            frame.to_parquet(raw, index=False)
            return len(frame)
        schema = pa.schema([("protocol", pa.string()), ("replication", pa.int64()), ("seed", pa.int64()),
                            ("series", pa.string()), ("zone", pa.string()), ("opening", pa.string()),
                            ("agency", pa.string()), ("t_s", pa.float64()), ("value", pa.float64())])
        count = 0
        with pq.ParquetWriter(raw, schema) as writer:
            for protocol in protocols:
                frame = _series_frame(pd, store, [protocol])
                writer.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False))
                count += len(frame)
        return count
