"""Stores of another layout: read by what they hold, brought up to date by appending, never misread."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ttxsim.analysis import METRICS, SCHEMA_VERSION, SERIES, ResultsStore, StoreMismatch
from ttxsim.analysis.compare import compare
from ttxsim.analysis.records import encode_series

LAYOUT_1_METRICS = (
    "occupants", "evacuated", "remaining", "sheltered", "harmed_total", "harmed_threat", "harmed_smoke",
    "exposed", "rset_s", "t50_s", "t95_s", "posture", "warning_reached_venue", "t_warning_at_venue_s",
    "t_detection_s", "t_alarm_s", "t_evac_order_s", "t_police_arrival_s", "t_contained_s", "t_fire_start_s",
    "t_fire_service_s", "t_suppressed_s",
)
"""The metric columns of a store written by ttxsim before the store recorded its metric list."""


def record(protocol: str, replication: int) -> dict:
    """A run's record as `make_record` makes it, with a few values set."""
    rec = {"protocol": protocol, "replication": replication, "seed": 1000 + replication, "wall_s": 0.25,
           **dict.fromkeys(METRICS), "curve_dt_s": 5.0, **{name: {"i": replication} for name in SERIES}}
    rec.update(occupants=200, evacuated=194, harmed_total=3, rset_s=123.5 + replication)
    rec["curve_safe"] = [0, 50, 150, 194]
    return rec


def open_store(path: Path) -> ResultsStore:
    """The store, with the experiment a batch of `baseline` records (or continues)."""
    store = ResultsStore(path)
    store.open_experiment(scenario_text="meta: {name: Hall}\n", scenario_name="Hall", master_seed=0,
                          protocols=["baseline"], version="0.1.0")
    return store


def layout_1_store(path: Path, metrics: tuple[str, ...], rows: list[dict]) -> Path:
    """A store as the layout-1 code wrote it (its own SQL), with the given metric columns."""
    columns = ", ".join([f'"{m}"' for m in metrics] + ['"curve_dt_s"'] + [f'"{s}" BLOB' for s in SERIES])
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        conn.execute("CREATE TABLE experiment (id INTEGER PRIMARY KEY CHECK (id = 1), scenario_name TEXT, "
                     "scenario_text TEXT, scenario_hash TEXT, master_seed INTEGER, protocols TEXT, "
                     "version TEXT, created TEXT)")
        conn.execute(f"CREATE TABLE runs (protocol TEXT NOT NULL, replication INTEGER NOT NULL, "
                     f"seed INTEGER, wall_s REAL, {columns}, UNIQUE (protocol, replication))")
        for row in rows:
            names = ["protocol", "replication", "seed", "wall_s", *metrics, "curve_dt_s", *SERIES]
            values = [row.get(n) for n in names[:-len(SERIES)]] + [encode_series(row.get(s)) for s in SERIES]
            conn.execute(f"INSERT INTO runs ({', '.join(f'[{n}]' for n in names)}) "
                         f"VALUES ({', '.join('?' * len(names))})", values)
    conn.close()
    return path


def meta(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        out = dict(conn.execute("SELECT key, value FROM meta"))
    conn.close()
    return out


def columns(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        out = [row[1] for row in conn.execute("PRAGMA table_info(runs)")]
    conn.close()
    return out


@pytest.fixture
def older(tmp_path: Path) -> Path:
    """A layout-1 store written before `t_warning_at_venue_s` existed: two runs of `baseline`."""
    metrics = tuple(m for m in LAYOUT_1_METRICS if m != "t_warning_at_venue_s")
    path = layout_1_store(tmp_path / "older.sqlite", metrics, [record("baseline", 0), record("baseline", 1)])
    with open_store(path):  # the experiment, as the older batch recorded it
        pass
    return path


@pytest.fixture
def newer(tmp_path: Path) -> Path:
    """A store written by a later ttxsim: today's metrics and one this one does not know (`t_lockdown_s`)."""
    rows = [record("baseline", i) | {"t_lockdown_s": 30.0 + i} for i in range(2)]
    path = layout_1_store(tmp_path / "newer.sqlite", (*METRICS, "t_lockdown_s"), rows)
    with open_store(path):
        pass
    return path


def test_a_new_store_records_its_metric_list_in_column_order(tmp_path):
    path = tmp_path / "new.sqlite"
    with ResultsStore(path) as store:
        assert store.metrics == tuple(METRICS) and store.notes == ()
    recorded = meta(path)
    assert recorded["schema_version"] == str(SCHEMA_VERSION) == "2"
    assert json.loads(recorded["metrics"]) == list(METRICS)
    assert [c for c in columns(path) if c in METRICS] == list(METRICS)


def test_a_store_missing_a_metric_reads_it_as_absent_with_one_note(older):
    before = meta(older)
    with ResultsStore(older) as store:
        assert len(store.notes) == 1
        assert "t_warning_at_venue_s" in store.notes[0] and "absent (None)" in store.notes[0]
        rows = store.runs()
        assert set(rows[0]) == {"protocol", "replication", "seed", "wall_s", *METRICS}
        assert [r["t_warning_at_venue_s"] for r in rows] == [None, None]
        assert [r["rset_s"] for r in rows] == [123.5, 124.5] and rows[0]["harmed_total"] == 3
        assert store.series("curve_safe", "baseline") == [[0, 50, 150, 194]] * 2
        by_metric = {r["metric"]: r for r in compare(store)}
        assert by_metric["t_warning_at_venue_s"]["n"] == 0 and by_metric["rset_s"]["n"] == 2
    assert meta(older) == before  # reading changes nothing


def test_appending_to_an_older_store_adds_the_missing_column_and_records_the_list(older):
    with open_store(older) as store:
        assert store.completed() == {("baseline", 0), ("baseline", 1)}  # what a resumed batch skips
        assert store.add(record("baseline", 2) | {"t_warning_at_venue_s": -600.0})
        assert store.add(record("baseline", 3) | {"t_warning_at_venue_s": -300.0})
        assert store.metrics[-1] == "t_warning_at_venue_s"
        assert [r["t_warning_at_venue_s"] for r in store.runs()] == [None, None, -600.0, -300.0]
    recorded = meta(older)
    assert recorded["schema_version"] == str(SCHEMA_VERSION)
    assert json.loads(recorded["metrics"]) == [c for c in columns(older) if c in METRICS]
    assert set(json.loads(recorded["metrics"])) == set(METRICS)
    with ResultsStore(older) as store:
        assert store.notes == ()  # up to date now: nothing left to say
        assert store.count() == 4


def test_a_store_with_an_unknown_metric_keeps_it_readable_but_not_shown(newer):
    with ResultsStore(newer) as store:
        assert len(store.notes) == 1 and "t_lockdown_s" in store.notes[0] and "not shown" in store.notes[0]
        assert "t_lockdown_s" not in store.runs()[0]
        assert [r["t_lockdown_s"] for r in store.runs(metrics=["t_lockdown_s"])] == [30.0, 31.0]
        assert {r["metric"] for r in compare(store)} == set(METRICS)
    with open_store(newer) as store:
        assert store.add(record("baseline", 2))
        assert [r["t_lockdown_s"] for r in store.runs(metrics=["t_lockdown_s"])] == [30.0, 31.0, None]
    assert "t_lockdown_s" in json.loads(meta(newer)["metrics"])
    with ResultsStore(newer) as store:
        assert store.notes and "t_lockdown_s" in store.notes[0]  # still unknown to this version


def test_a_renamed_key_in_a_record_raises_and_writes_nothing(older):
    renamed = record("baseline", 2)
    renamed["t_venue_alarm_s"] = renamed.pop("t_alarm_s")
    before = meta(older)
    with ResultsStore(older) as store:
        with pytest.raises(KeyError, match="t_venue_alarm_s"):
            store.add(renamed)
        assert store.count() == 2
    assert meta(older) == before and "t_warning_at_venue_s" not in columns(older)


def test_reading_a_metric_that_is_nowhere_raises(tmp_path):
    with open_store(tmp_path / "r.sqlite") as store, pytest.raises(KeyError, match="t_nowhere_s"):
        store.runs(metrics=["t_nowhere_s"])


def test_a_metric_list_that_does_not_match_the_columns_is_refused(tmp_path):
    path = tmp_path / "edited.sqlite"
    ResultsStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'metrics'", (json.dumps(["occupants"]),))
    conn.close()
    with pytest.raises(StoreMismatch, match=r"recorded metric list .* does not match its columns"):
        ResultsStore(path)


def test_a_newer_layout_is_refused_before_anything_is_written(tmp_path):
    path = tmp_path / "future.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION + 1),))
    conn.close()
    with pytest.raises(StoreMismatch, match=rf"newer ttxsim \(store layout {SCHEMA_VERSION + 1};"):
        ResultsStore(path)
    assert columns(path) == []  # no runs table was made in it


def test_a_runs_table_without_the_fixed_columns_is_not_a_store(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE runs (protocol TEXT, replication INTEGER, harmed_total)")
    conn.close()
    with pytest.raises(StoreMismatch, match=r"not a ttxsim results store .*lacks seed"):
        ResultsStore(path)


def test_a_failed_first_append_leaves_an_older_store_as_it_was(older):
    before, unbindable = meta(older), record("baseline", 2) | {"occupants": object()}
    with ResultsStore(older) as store:
        with pytest.raises(sqlite3.Error):
            store.add(unbindable)
        assert store.count() == 2 and store.notes  # still the older layout, as on disk
    assert meta(older) == before and "t_warning_at_venue_s" not in columns(older)  # the ALTER rolled back
