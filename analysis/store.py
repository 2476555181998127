"""The results store of a batch: one SQLite file per experiment (docs/results-store.md).

One file holds one experiment: the scenario's text and hash, the master seed, the protocols
and the ttxsim version, then one row per finished run. Each run is written in its own
transaction the moment it comes back, and the pair (protocol, replication) is UNIQUE, so a
batch that is killed loses only the runs in flight and a rerun never stores a run twice.
WAL journaling lets a reader (a progress poll, `ttxsim compare`) open the file while a batch
is writing to it.

Metric columns are declared without a type, so SQLite keeps each value exactly as the worker
produced it (an int stays an int, a float is the same float, a missing time is NULL). Series
are stored as compressed BLOBs (records.encode_series) in the same row. Which metric columns
a store has is its own record (`store_layout.py`): a store written by an older or newer
ttxsim is read by what it holds, with notes, rather than refused or misread.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from .records import METRICS, SERIES, decode_series, encode_series
from .store_files import (
    READ_ERRORS,
    StoreDamaged,
    StoreError,
    StoreFailed,
    StoreUnavailable,
    caller_error,
    connect_for_writing,
    connect_read_only,
    translate,
)
from .store_layout import (
    FIXED,
    KEYS,
    SCALARS,
    SCHEMA_VERSION,
    StoreMismatch,
    create,
    read_layout,
    upgrade,
)
from .store_layout import quote as _quote

__all__ = ["SCHEMA_VERSION", "ResultsStore", "StoreDamaged", "StoreError", "StoreFailed", "StoreMismatch",
           "StoreUnavailable", "scenario_hash"]

_P = ParamSpec("_P")
_T = TypeVar("_T")


def _guarded(method: Callable[_P, _T]) -> Callable[_P, _T]:
    """Raise SQLite's errors as the StoreError they stand for, naming the store's file.

    A page that is damaged where the quick check on opening does not look (a stored series,
    a value) shows only when it is read; the command must still say so in one line.
    """

    @functools.wraps(method)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return method(*args, **kwargs)
        except READ_ERRORS as exc:
            if caller_error(exc):
                raise  # a value SQLite cannot take (a bug of the caller's), not the store's state
            raise translate(exc, args[0].path) from None  # type: ignore[attr-defined]

    return guarded


def scenario_hash(text: str) -> str:
    """The sha256 (hex) of a scenario's text: what identifies the experiment's input."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResultsStore:
    """A batch's SQLite results file; use as a context manager so it is always closed.

    Args:
        path: The file; created (with its tables) if it does not exist, unless `read_only`.
        read_only: Open it for reading only (compare, plot, report): nothing is created or
            written, not even a `-wal` file, so a read-only store reads too.

    Raises:
        StoreMismatch: The file is not a ttxsim store, was written by a newer layout, or its
            recorded metric list does not match its columns.
        StoreDamaged: The file is not SQLite, or is truncated or corrupted (left as it was).
        StoreUnavailable: The path is a folder, missing (`read_only`), or not writable.
    """

    notes: tuple[str, ...] = ()
    """What a reader should be told about the store as it was found (written by an older or
    newer ttxsim: metrics absent, or kept but not shown); empty for a current store."""

    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self._conn = connect_read_only(self.path) if read_only else connect_for_writing(self.path)
        try:
            self._setup()
        except READ_ERRORS as exc:
            self._conn.close()
            raise translate(exc, self.path) from None
        except StoreError:
            self._conn.close()
            raise

    def _setup(self) -> None:
        conn = self._conn
        layout = read_layout(conn, self.path)  # a newer layout is refused before anything is written
        if layout is None and self.read_only:
            raise StoreMismatch(f"{self.path} is not a ttxsim results store (it has no runs table)")
        if layout is None:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                if read_layout(conn, self.path) is None:  # nobody else created it meanwhile
                    create(conn)
            layout = read_layout(conn, self.path)
        self._layout = layout
        self.notes = layout.notes(str(self.path))

    @property
    def metrics(self) -> tuple[str, ...]:
        """The store's metric columns, in column order (as its `meta` table records them)."""
        return self._layout.metrics

    def close(self) -> None:
        """Fold the runs into the main file, if writing, and close it (idempotent).

        The checkpoint empties the `-wal` into `S.sqlite`, so the store is one file again
        as soon as a batch ends or is interrupted; should it fail (a full disk), the runs
        stay safe in the `-wal`, which the next opening folds in.
        """
        if not self.read_only:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA busy_timeout = 2000")  # a reader mid-query: wait a little
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.close()

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @_guarded
    def open_experiment(self, *, scenario_text: str, scenario_name: str, master_seed: int,
                        protocols: list[str] | tuple[str, ...], version: str) -> None:
        """Record the experiment, or check that this batch continues the stored one.

        Protocols not yet in the experiment are appended to its list (a later batch may add
        protocols to the same runs; common random numbers still hold since the seed of
        replication i depends on the master seed and i only).

        Raises:
            StoreMismatch: The store holds another scenario text or another master seed.
        """
        digest = scenario_hash(scenario_text)
        with self._conn:
            row = self._conn.execute(
                "SELECT scenario_name, scenario_hash, master_seed, protocols FROM experiment WHERE id = 1"
            ).fetchone()
            if row is None:
                self._conn.execute(
                    "INSERT INTO experiment VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                    (scenario_name, scenario_text, digest, master_seed, json.dumps(list(protocols)),
                     version, datetime.now(UTC).isoformat(timespec="seconds")),
                )
                return
            name, stored_hash, stored_seed, stored_protocols = row
            if stored_hash != digest:
                raise StoreMismatch(
                    f"{self.path} was made for scenario {name!r} (hash {stored_hash[:12]}…); this is "
                    f"{scenario_name!r} (hash {digest[:12]}…). Use another --store, or delete the file "
                    "to start over."
                )
            if stored_seed != master_seed:
                raise StoreMismatch(
                    f"{self.path} was made with master seed {stored_seed}; this batch uses {master_seed}. "
                    "Use the same --seed to resume, or another --store."
                )
            known = json.loads(stored_protocols)
            added = [p for p in protocols if p not in known]
            if added:
                self._conn.execute("UPDATE experiment SET protocols = ? WHERE id = 1",
                                   (json.dumps(known + added),))

    @_guarded
    def record_decisions(self, sets: dict[str, dict[str, Any]], first_seed: int | None) -> None:
        """Record the batch's decision sets (by their run name) and the seed of replication 0.

        A session's decisions run replication 0 on the session's seed; a store whose
        replication 0 already ran on another seed cannot take them (its pairs would not match).

        Raises:
            StoreMismatch: Replication 0 of this store ran, or is recorded to run, on another seed.
        """
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            stored = self._meta_json("first_seed")
            ran = self._conn.execute("SELECT seed FROM runs WHERE replication = 0 LIMIT 1").fetchone()
            before = stored if stored is not None else (ran[0] if ran else None)
            if first_seed is not None and before is not None and before != first_seed:
                raise StoreMismatch(
                    f"{self.path}: replication 0 of its runs used seed {before}; these decisions come from a "
                    f"session with seed {first_seed}, whose run must be replication 0. Use another --store.")
            first_seed = stored if first_seed is None else first_seed
            known = self._meta_json("decision_sets") or {}
            known.update(sets)
            rows = [("decision_sets", json.dumps(known))]
            rows += [("first_seed", json.dumps(first_seed))] if first_seed is not None else []
            self._conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", rows)

    @_guarded
    def decision_sets(self) -> dict[str, dict[str, Any]]:
        """The decision sets run into this store, by run name (see `analysis/decision_sets.py`)."""
        found = self._meta_json("decision_sets")
        return found if isinstance(found, dict) else {}

    @_guarded
    def first_seed(self) -> int | None:
        """The seed replication 0 runs on when it is a session's, else None (derived as any other)."""
        found = self._meta_json("first_seed")
        return found if isinstance(found, int) else None

    def _meta_json(self, key: str) -> Any:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        try:
            return None if row is None else json.loads(row[0])
        except ValueError:
            raise StoreDamaged(f"{self.path}: the results store is damaged (its {key} cannot be read); "
                               "nothing was changed: restore it from a copy") from None

    @_guarded
    def experiment(self) -> dict[str, Any]:
        """The stored experiment (see open_experiment); raises LookupError if there is none."""
        row = self._conn.execute(
            "SELECT scenario_name, scenario_text, scenario_hash, master_seed, protocols, version, created "
            "FROM experiment WHERE id = 1"
        ).fetchone()
        if row is None:
            raise LookupError(f"{self.path} holds no experiment yet")
        keys = ("scenario_name", "scenario_text", "scenario_hash", "master_seed", "protocols", "version",
                "created")
        out = dict(zip(keys, row, strict=True))
        try:
            out["protocols"] = json.loads(out["protocols"])
        except (TypeError, ValueError):
            out["protocols"] = None
        if not isinstance(out["protocols"], list) or not all(isinstance(p, str) for p in out["protocols"]):
            raise StoreDamaged(f"{self.path}: the results store is damaged (its list of protocols cannot "
                               "be read); nothing was changed: restore it from a copy")
        return out

    @_guarded
    def completed(self) -> set[tuple[str, int]]:
        """The (protocol, replication) pairs already stored: what a resumed batch skips."""
        return set(self._conn.execute("SELECT protocol, replication FROM runs"))

    @_guarded
    def add(self, record: dict[str, Any]) -> bool:
        """Store one run's record (records.make_record) in its own transaction.

        The first run added to a store of an older ttxsim (or layout) brings it up to date in
        the same transaction: the metric columns it lacks are added and the new list recorded.

        Returns:
            True if the run was new; False if (protocol, replication) was already stored.

        Raises:
            KeyError: A key of the record is neither a metric nor a column of the store (a
                renamed metric, say): the value would be lost, so nothing is written.
        """
        stray = [k for k in record if k not in FIXED and k not in METRICS and k not in self._layout.metrics]
        if stray:
            raise KeyError(f"record key(s) {', '.join(stray)} are no metric of this ttxsim and no column of "
                           f"{self.path}; nothing was written (metrics: {', '.join(METRICS)})")
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            layout = self._layout if self._layout.current else upgrade(self._conn, self.path)
            names = [*KEYS, *layout.metrics, *SCALARS]
            values = [record.get(n) for n in names] + [encode_series(record.get(s)) for s in SERIES]
            names += SERIES
            sql = (f"INSERT OR IGNORE INTO runs ({', '.join(map(_quote, names))}) "
                   f"VALUES ({', '.join('?' * len(names))})")
            added = self._conn.execute(sql, values).rowcount == 1
        self._layout = layout  # only once the transaction holds
        return added

    def _order(self) -> dict[str, int]:
        try:
            protocols = self.experiment()["protocols"]
        except LookupError:
            protocols = []
        return {p: i for i, p in enumerate(protocols)}

    @_guarded
    def runs(self, protocol: str | None = None, *, metrics: Sequence[str] | None = None
             ) -> list[dict[str, Any]]:
        """Every stored run (or one protocol's) as a dict of keys and metrics.

        Rows come in the experiment's protocol order, then by replication, so the rows of two
        protocols line up pairwise (same replication, same seed).

        Args:
            protocol: One protocol's runs only; default all.
            metrics: The metrics to read; default every metric of this ttxsim, None where
                the store lacks it. A metric only the store knows is read by naming it here.

        Raises:
            KeyError: A metric is neither one of this ttxsim's nor a column of the store.
        """
        wanted = list(METRICS) if metrics is None else list(metrics)
        unknown = [m for m in wanted if m not in METRICS and m not in self._layout.metrics]
        if unknown:
            raise KeyError(f"unknown metric(s): {', '.join(unknown)}; {self.path} holds "
                           f"{', '.join(self._layout.metrics)}")
        names = [*KEYS, *wanted]
        held = {*KEYS, *self._layout.metrics}
        columns = [_quote(n) if n in held else f"NULL AS {_quote(n)}" for n in names]
        sql = f"SELECT {', '.join(columns)} FROM runs"
        args: tuple[Any, ...] = ()
        if protocol is not None:
            sql, args = sql + " WHERE protocol = ?", (protocol,)
        rows = [dict(zip(names, row, strict=True)) for row in self._conn.execute(sql, args)]
        for row in rows:  # a damaged record can pass the opening check with a value of the wrong type
            if not (isinstance(row["protocol"], str) and isinstance(row["replication"], int)
                    and all(isinstance(row[m], int | float | None) for m in wanted)):
                raise StoreDamaged(f"{self.path}: the results store is damaged (run {row['protocol']!r} "
                                   f"{row['replication']!r} holds a value that is not a number); nothing "
                                   "was changed: restore it from a copy")
        order = self._order()
        rows.sort(key=lambda r: (order.get(r["protocol"], len(order)), r["protocol"], r["replication"]))
        return rows

    @_guarded
    def series(self, name: str, protocol: str) -> list[Any]:
        """Series `name` (one of records.SERIES, or curve_dt_s) of every run of a protocol.

        Returns the decoded values in replication order.
        """
        if name not in SERIES and name not in SCALARS:
            raise KeyError(f"unknown series {name!r}; known: {', '.join(SERIES + SCALARS)}")
        rows = self._conn.execute(
            f"SELECT {_quote(name)} FROM runs WHERE protocol = ? ORDER BY replication", (protocol,)
        )
        if name in SCALARS:
            return [value for (value,) in rows]
        try:
            return [decode_series(blob) for (blob,) in rows]
        except (zlib.error, ValueError, TypeError) as exc:
            raise StoreDamaged(f"{self.path}: the results store is damaged (series {name!r} of "
                               f"{protocol!r} cannot be read: {exc}); nothing was changed: restore it "
                               "from a copy") from None

    @_guarded
    def count(self, protocol: str | None = None) -> int:
        """The number of stored runs (of one protocol, or all)."""
        if protocol is None:
            return self._conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
        return self._conn.execute("SELECT COUNT(*) FROM runs WHERE protocol = ?", (protocol,)).fetchone()[0]

    @_guarded
    def run_series(self, protocol: str, names: Sequence[str] = SERIES) -> list[dict[str, Any]]:
        """Every run of a protocol with its keys, series step and decoded series, by replication.

        What an export in long form reads: unlike `series`, each run keeps its replication and
        seed, so a store with a gap (a batch killed mid-way) still lines up with `runs`.

        Returns:
            One dict per run: `protocol`, `replication`, `seed`, `curve_dt_s` and each of `names`.

        Raises:
            KeyError: A name is not one of records.SERIES.
            StoreDamaged: A series cannot be decoded.
        """
        unknown = [n for n in names if n not in SERIES]
        if unknown:
            raise KeyError(f"unknown series {', '.join(map(repr, unknown))}; known: {', '.join(SERIES)}")
        columns = [*KEYS[:3], *SCALARS, *names]
        rows = self._conn.execute(
            f"SELECT {', '.join(map(_quote, columns))} FROM runs WHERE protocol = ? ORDER BY replication",
            (protocol,))
        out = []
        for row in rows:
            run = dict(zip(columns, row, strict=True))
            try:
                run.update((n, decode_series(run[n])) for n in names)
            except (zlib.error, ValueError, TypeError) as exc:
                raise StoreDamaged(f"{self.path}: the results store is damaged (a series of {protocol!r} "
                                   f"replication {run['replication']!r} cannot be read: {exc}); nothing "
                                   "was changed: restore it from a copy") from None
            out.append(run)
        return out
