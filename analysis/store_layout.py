"""The results store's layout: which metric columns a store has, and bringing an older one up to date.

The `runs` table has fixed columns (the run's keys, the series and their step) and one
column per metric. The fixed ones change only with `SCHEMA_VERSION`; the metric columns
follow `ttxsim.sim.metrics.METRICS`, so the store records them itself: the `meta` table holds
the metric names, in column order, as a JSON list under `metrics`. A store is then read by
what it says it holds, not by what today's code expects:

- a metric today's code knows and the store lacks (a store written before it existed) reads
  as absent (None), with a note;
- a metric the store holds and today's code does not know (written by a newer ttxsim, or
  since renamed) is kept in the file, readable by name but not shown, with a note;
- appending runs adds the missing columns and records the new list, in the transaction of
  the first run appended.

A store of layout 1 (before the list was recorded) has no `metrics` entry; its metric columns
are all of its `runs` columns but the fixed ones.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .records import METRICS, SERIES
from .store_files import StoreMismatch

__all__ = ["FIXED", "KEYS", "SCALARS", "SCHEMA_VERSION", "Layout", "StoreMismatch", "check_version", "create",
           "quote", "read_layout", "upgrade"]

SCHEMA_VERSION = 2
"""Layout of the tables: 1 had no metric list in `meta`; 2 records it.

Adding, renaming or dropping a metric does not change it (the recorded list says which
metrics a store holds); only a change that an older ttxsim could misread does, and a store of
a newer layout is refused.
"""

KEYS = ("protocol", "replication", "seed", "wall_s")
"""The columns that identify a run (and its wall time)."""

SCALARS = ("curve_dt_s",)
"""A scalar that goes with the series, kept out of the metric rows."""

FIXED = KEYS + SCALARS + SERIES
"""Every column a store of any layout has, besides its metrics."""


def quote(name: str) -> str:
    """`name` as an SQL identifier (metric names are ours, but a store's may be anybody's)."""
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Layout:
    """What a store holds, as read when it was opened."""

    version: int
    """Its `schema_version`."""
    metrics: tuple[str, ...]
    """Its metric columns, in column order."""
    recorded: bool
    """Whether `meta` holds the metric list (False for layout 1)."""

    @property
    def missing(self) -> tuple[str, ...]:
        """Metrics today's code knows and the store lacks: they read as None."""
        return tuple(m for m in METRICS if m not in self.metrics)

    @property
    def unknown(self) -> tuple[str, ...]:
        """Metrics the store holds and today's code does not know: kept, not shown."""
        return tuple(m for m in self.metrics if m not in METRICS)

    @property
    def current(self) -> bool:
        """Whether appending a run needs no change to the layout first."""
        return self.recorded and self.version == SCHEMA_VERSION and not self.missing

    def notes(self, store: str) -> tuple[str, ...]:
        """What a reader of `store` (its name) should know: none if it holds exactly our metrics."""
        notes = []
        if self.missing:
            notes.append(f"{store} was written before the metric(s) {', '.join(self.missing)} existed: they "
                         "read as absent (None) in its runs so far; runs added now record them")
        if self.unknown:
            notes.append(f"{store} holds metric(s) this ttxsim does not know ({', '.join(self.unknown)}): "
                         "kept in the file but not shown; runs added now leave them empty")
        return tuple(notes)


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({quote(table)})")]


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    if not _columns(conn, "meta"):
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def check_version(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a store of a newer layout before anything is read from or written to it.

    Raises:
        StoreMismatch: Its `schema_version` is newer than this ttxsim's.
    """
    found = _meta(conn, "schema_version")
    if found is not None and not found.isdigit():
        raise StoreMismatch(f"{path}: unreadable store layout {found!r}; it cannot be read safely")
    if found is not None and int(found) > SCHEMA_VERSION:
        raise StoreMismatch(f"{path} was written by a newer ttxsim (store layout {found}; this version "
                            f"reads up to {SCHEMA_VERSION}); upgrade ttxsim to read it")


def read_layout(conn: sqlite3.Connection, path: Path) -> Layout | None:
    """The layout of the store on `conn`, or None if it has no `runs` table yet.

    Raises:
        StoreMismatch: It is of a newer layout, lacks a fixed column, or its recorded metric
            list does not match its columns (edited by hand: no reading of it is safe).
    """
    check_version(conn, path)
    columns = _columns(conn, "runs")
    if not columns:
        return None
    lacking = [c for c in FIXED if c not in columns]
    if lacking:
        raise StoreMismatch(f"{path} is not a ttxsim results store (its runs table lacks "
                            f"{', '.join(lacking)})")
    metrics = tuple(c for c in columns if c not in FIXED)
    version = int(_meta(conn, "schema_version") or 1)
    text = _meta(conn, "metrics")
    if text is not None:
        try:
            recorded = json.loads(text)
        except ValueError:
            recorded = None
        if not isinstance(recorded, list) or tuple(recorded) != metrics:
            raise StoreMismatch(f"{path}: its recorded metric list ({text}) does not match its columns "
                                f"({', '.join(metrics)}); it cannot be read safely")
    return Layout(version, metrics, recorded=text is not None)


def _record(conn: sqlite3.Connection, metrics: tuple[str, ...]) -> None:
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                     [("schema_version", str(SCHEMA_VERSION)), ("metrics", json.dumps(list(metrics)))])


def create(conn: sqlite3.Connection) -> None:
    """Create the tables of an empty store for today's metrics, inside the caller's transaction."""
    columns = ", ".join([quote(m) for m in METRICS] + [quote(s) for s in SCALARS]
                        + [f"{quote(s)} BLOB" for s in SERIES])
    conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS experiment (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "scenario_name TEXT, scenario_text TEXT, scenario_hash TEXT, master_seed INTEGER, "
        "protocols TEXT, version TEXT, created TEXT)"
    )
    conn.execute(
        "CREATE TABLE runs (protocol TEXT NOT NULL, replication INTEGER NOT NULL, "
        f"seed INTEGER, wall_s REAL, {columns}, UNIQUE (protocol, replication))"
    )
    _record(conn, tuple(METRICS))


def upgrade(conn: sqlite3.Connection, path: Path) -> Layout:
    """Add today's missing metric columns and record the list, inside the caller's transaction.

    The layout is read again here, under the write lock, in case another writer has
    brought the store up to date since it was opened.
    """
    layout = read_layout(conn, path)
    if layout is None:
        raise LookupError(f"{path} has no runs table to bring up to date")
    for name in layout.missing:
        conn.execute(f"ALTER TABLE runs ADD COLUMN {quote(name)}")  # untyped, as in create()
    metrics = layout.metrics + layout.missing
    _record(conn, metrics)
    return Layout(SCHEMA_VERSION, metrics, recorded=True)
