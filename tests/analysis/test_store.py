"""The results store: round trip, no duplicates, refusal of another experiment or layout."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ttxsim.analysis import METRICS, SCHEMA_VERSION, SERIES, ResultsStore, StoreMismatch
from ttxsim.analysis.store import scenario_hash

TEXT = "meta: {name: Hall}\n"


def record(protocol: str, replication: int, harmed: int = 3) -> dict:
    rec = {"protocol": protocol, "replication": replication, "seed": 1000 + replication, "wall_s": 0.25}
    rec.update({name: None for name in METRICS})
    rec.update(occupants=200, evacuated=197 - harmed, harmed_total=harmed, rset_s=123.5 + replication)
    rec.update({name: {"name": name, "i": replication} for name in SERIES})
    rec["curve_safe"] = [0, 50, 150, 197 - harmed]
    rec["curve_dt_s"] = 5.0
    return rec


def open_store(path: Path, **changes) -> ResultsStore:
    store = ResultsStore(path)
    args = {"scenario_text": TEXT, "scenario_name": "Hall", "master_seed": 0,
            "protocols": ["baseline", "drills"], "version": "0.1.0"} | changes
    store.open_experiment(**args)
    return store


def test_round_trip_in_protocol_then_replication_order(tmp_path):
    with open_store(tmp_path / "r.sqlite") as store:
        for rec in (record("drills", 1), record("baseline", 1), record("drills", 0), record("baseline", 0)):
            assert store.add(rec)
        assert store.count() == 4 and store.count("drills") == 2
        assert store.completed() == {("baseline", 0), ("baseline", 1), ("drills", 0), ("drills", 1)}
        rows = store.runs()
        assert [(r["protocol"], r["replication"]) for r in rows] == [
            ("baseline", 0), ("baseline", 1), ("drills", 0), ("drills", 1)]
        assert set(rows[0]) == {"protocol", "replication", "seed", "wall_s", *METRICS}
        assert rows[1]["rset_s"] == 124.5 and rows[1]["harmed_total"] == 3 and rows[1]["t_alarm_s"] is None
        assert isinstance(rows[1]["harmed_total"], int)
        assert [r["replication"] for r in store.runs("drills")] == [0, 1]
        assert store.series("curve_safe", "drills") == [[0, 50, 150, 194]] * 2
        assert store.series("openings", "baseline") == [{"name": "openings", "i": i} for i in (0, 1)]
        assert store.series("curve_dt_s", "baseline") == [5.0, 5.0]
        experiment = store.experiment()
    assert experiment["scenario_hash"] == scenario_hash(TEXT) and experiment["scenario_text"] == TEXT
    assert experiment["protocols"] == ["baseline", "drills"] and experiment["master_seed"] == 0
    assert experiment["scenario_name"] == "Hall" and experiment["version"] == "0.1.0"
    assert experiment["created"]


def test_a_run_is_never_stored_twice(tmp_path):
    path = tmp_path / "d.sqlite"
    with open_store(path) as store:
        assert store.add(record("baseline", 0, harmed=3))
    with open_store(path) as store:  # reopened, as a resumed batch would
        assert not store.add(record("baseline", 0, harmed=99))
        assert store.count() == 1 and store.runs()[0]["harmed_total"] == 3


def test_new_protocols_are_appended_to_the_experiment(tmp_path):
    path = tmp_path / "p.sqlite"
    open_store(path).close()
    with open_store(path, protocols=["lockdown", "baseline"]) as store:
        assert store.experiment()["protocols"] == ["baseline", "drills", "lockdown"]


def test_another_scenario_text_or_seed_is_refused(tmp_path):
    path = tmp_path / "m.sqlite"
    open_store(path).close()
    with pytest.raises(StoreMismatch, match=r"m.sqlite was made for scenario 'Hall' \(hash [0-9a-f]{12}…\)"):
        open_store(path, scenario_text=TEXT + "# edited\n", scenario_name="Hall 2")
    with pytest.raises(StoreMismatch, match="master seed 0; this batch uses 5"):
        open_store(path, master_seed=5)


def test_schema_version_is_recorded_and_a_newer_one_refused(tmp_path):
    path = tmp_path / "v.sqlite"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
            str(SCHEMA_VERSION),)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    conn.close()
    with pytest.raises(StoreMismatch, match="newer ttxsim"):
        ResultsStore(path)


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreMismatch, match="not a ttxsim results store"):
        ResultsStore(path)


def test_experiment_of_an_empty_store_is_a_lookup_error(tmp_path):
    with ResultsStore(tmp_path / "e.sqlite") as store, pytest.raises(LookupError):
        store.experiment()
    with ResultsStore(tmp_path / "e.sqlite") as store:
        assert store.count() == 0 and store.runs() == [] and store.completed() == set()
