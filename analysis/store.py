"""The results store of a batch: one SQLite file per experiment (DESIGN.md section 6).

One file holds one experiment: the scenario's text and hash, the master seed, the protocols
and the ttxsim version, then one row per finished run. Each run is written in its own
transaction the moment it comes back, and the pair (protocol, replication) is UNIQUE, so a
batch that is killed loses only the runs in flight and a rerun never stores a run twice.
WAL journaling lets a reader (a progress poll, `ttxsim compare`) open the file while a batch
is writing to it.

Metric columns are declared without a type, so SQLite keeps each value exactly as the worker
produced it (an int stays an int, a float is the same float, a missing time is NULL). Series
are stored as compressed BLOBs (records.encode_series) in the same row.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .records import METRICS, SERIES, decode_series, encode_series

__all__ = ["SCHEMA_VERSION", "ResultsStore", "StoreMismatch", "scenario_hash"]

SCHEMA_VERSION = 1
"""Layout of the tables; a store written by a newer layout is refused, never misread."""

_KEYS = ("protocol", "replication", "seed", "wall_s")
_EXTRA = ("curve_dt_s",)  # a scalar that goes with the series, kept out of the metric rows


class StoreMismatch(Exception):
    """The store cannot take this batch: another scenario or seed, or an unknown layout."""


def scenario_hash(text: str) -> str:
    """The sha256 (hex) of a scenario's text: what identifies the experiment's input."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class ResultsStore:
    """A batch's SQLite results file; use as a context manager so it is always closed.

    Args:
        path: The file; created (with its tables) if it does not exist.

    Raises:
        StoreMismatch: The file is not a ttxsim store, or was written by a newer layout.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._conn = sqlite3.connect(self.path, timeout=30.0)
        try:
            self._setup()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StoreMismatch(f"{self.path} is not a ttxsim results store ({exc})") from None
        except StoreMismatch:
            self._conn.close()
            raise

    def _setup(self) -> None:
        conn = self._conn
        conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable against a killed process (what resuming needs), not power loss.
        conn.execute("PRAGMA synchronous=NORMAL")
        with conn:
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        (found,) = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if int(found) > SCHEMA_VERSION:
            raise StoreMismatch(f"{self.path} was written by a newer ttxsim (store layout {found}; "
                                f"this version reads up to {SCHEMA_VERSION}); upgrade ttxsim to read it")
        columns = ", ".join(
            [_quote(m) for m in METRICS] + [_quote(e) for e in _EXTRA] + [f"{_quote(s)} BLOB" for s in SERIES]
        )
        with conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS experiment (id INTEGER PRIMARY KEY CHECK (id = 1), "
                "scenario_name TEXT, scenario_text TEXT, scenario_hash TEXT, master_seed INTEGER, "
                "protocols TEXT, version TEXT, created TEXT)"
            )
            conn.execute(
                "CREATE TABLE IF NOT EXISTS runs (protocol TEXT NOT NULL, replication INTEGER NOT NULL, "
                f"seed INTEGER, wall_s REAL, {columns}, UNIQUE (protocol, replication))"
            )

    def close(self) -> None:
        """Close the file (idempotent)."""
        self._conn.close()

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
        out["protocols"] = json.loads(out["protocols"])
        return out

    def completed(self) -> set[tuple[str, int]]:
        """The (protocol, replication) pairs already stored: what a resumed batch skips."""
        return set(self._conn.execute("SELECT protocol, replication FROM runs"))

    def add(self, record: dict[str, Any]) -> bool:
        """Store one run's record (records.make_record) in its own transaction.

        Returns:
            True if the run was new; False if (protocol, replication) was already stored.
        """
        names = list(_KEYS) + list(METRICS) + list(_EXTRA)
        values = [record.get(n) for n in names]
        values += [encode_series(record.get(s)) for s in SERIES]
        names += list(SERIES)
        sql = (f"INSERT OR IGNORE INTO runs ({', '.join(map(_quote, names))}) "
               f"VALUES ({', '.join('?' * len(names))})")
        with self._conn:
            return self._conn.execute(sql, values).rowcount == 1

    def _order(self) -> dict[str, int]:
        try:
            protocols = self.experiment()["protocols"]
        except LookupError:
            protocols = []
        return {p: i for i, p in enumerate(protocols)}

    def runs(self, protocol: str | None = None) -> list[dict[str, Any]]:
        """Every stored run (or one protocol's) as a dict of keys and metrics.

        Rows come in the experiment's protocol order, then by replication, so the rows of two
        protocols line up pairwise (same replication, same seed).
        """
        names = list(_KEYS) + list(METRICS)
        sql = f"SELECT {', '.join(map(_quote, names))} FROM runs"
        args: tuple[Any, ...] = ()
        if protocol is not None:
            sql, args = sql + " WHERE protocol = ?", (protocol,)
        rows = [dict(zip(names, row, strict=True)) for row in self._conn.execute(sql, args)]
        order = self._order()
        rows.sort(key=lambda r: (order.get(r["protocol"], len(order)), r["protocol"], r["replication"]))
        return rows

    def series(self, name: str, protocol: str) -> list[Any]:
        """Series `name` (one of records.SERIES, or curve_dt_s) of every run of a protocol.

        Returns the decoded values in replication order.
        """
        if name not in SERIES and name not in _EXTRA:
            raise KeyError(f"unknown series {name!r}; known: {', '.join(SERIES + _EXTRA)}")
        rows = self._conn.execute(
            f"SELECT {_quote(name)} FROM runs WHERE protocol = ? ORDER BY replication", (protocol,)
        )
        if name in _EXTRA:
            return [value for (value,) in rows]
        return [decode_series(blob) for (blob,) in rows]

    def count(self, protocol: str | None = None) -> int:
        """The number of stored runs (of one protocol, or all)."""
        if protocol is None:
            return self._conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
        return self._conn.execute("SELECT COUNT(*) FROM runs WHERE protocol = ?", (protocol,)).fetchone()[0]
