"""Batches: the same stored results whatever the executor, resumable after a SIGKILL, the CLI."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ttxsim.analysis import METRICS, ResultsStore, run_batch
from ttxsim.analysis.batch import plan_tasks
from ttxsim.tui.cli import cli

SCENARIO = {
    "meta": {"name": "batch test", "horizon_s": 1800},
    "venue": {
        "zones": [
            {"id": "lobby", "kind": "foyer", "x_m": 0, "y_m": 0, "width_m": 20, "depth_m": 10},
            {"id": "hall", "kind": "hall", "x_m": 0, "y_m": 10, "width_m": 20, "depth_m": 20},
        ],
        "openings": [
            {"id": "entrance", "between": ["lobby", "outside"], "width_m": 2.0, "at_m": [10, 0]},
            {"id": "hall_doors", "between": ["lobby", "hall"], "width_m": 3.0},
            {"id": "fire_exit", "between": ["hall", "outside"], "width_m": 1.8, "at_m": [10, 30],
             "state": "closed", "staff_open_after_s": 90},
        ],
    },
    "population": {
        "occupants": [{"zone": "hall", "count": 180}, {"zone": "lobby", "count": 20}],
        "premovement_s": {"dist": "lognormal", "median": 40, "sigma": 0.5},
    },
    "incident": {"threat": {"route": [{"zone": "lobby", "dwell_s": 60}, {"zone": "hall", "dwell_s": 240}],
                            "leaves": True, "harm_rate_per_s": 0.004}},
    "response": {"detection_s": 10, "alarm_decision_s": 30,
                 "police": {"patrol_travel_s": 300, "tactical_travel_s": 600, "contain_after_arrival_s": 60}},
    "protocols": {"exit_open": {"venue": {"openings": [{"id": "fire_exit", "state": "open"}]}}},
}
PROTOCOLS = ["baseline", "exit_open"]
RUNS = 6


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(SCENARIO, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def crowded_file(tmp_path: Path) -> Path:
    """The same venue with 1,600 people: runs slow enough (~40 ms) to kill a batch midway."""
    data = yaml.safe_load(yaml.safe_dump(SCENARIO))
    data["population"]["occupants"] = [{"zone": "hall", "count": 1500}, {"zone": "lobby", "count": 100}]
    path = tmp_path / "crowded.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def stored(path: Path) -> list[dict]:
    with ResultsStore(path) as store:
        return [{k: v for k, v in row.items() if k != "wall_s"} for row in store.runs()]


def test_plan_tasks_is_replication_major_and_skips_done_runs():
    assert plan_tasks(["a", "b"], 2, {("a", 0)}) == [("b", 0), ("a", 1), ("b", 1)]


def test_results_are_identical_with_1_or_2_workers_and_a_dask_local_cluster(scenario_file, tmp_path):
    one, two, dask = tmp_path / "one.sqlite", tmp_path / "two.sqlite", tmp_path / "dask.sqlite"
    common = {"runs": RUNS, "protocols": PROTOCOLS, "master_seed": 7, "progress": False}
    assert run_batch(scenario_file, store_path=one, workers=1, **common) == RUNS * 2
    assert run_batch(scenario_file, store_path=two, workers=2, **common) == RUNS * 2
    assert run_batch(scenario_file, store_path=dask, workers=2, scheduler="local", **common) == RUNS * 2
    rows = stored(one)
    assert len(rows) == RUNS * 2 and set(METRICS) <= set(rows[0])
    assert rows == stored(two) == stored(dask)
    # common random numbers: replication i has the same seed under every protocol
    seeds = {(r["protocol"], r["replication"]): r["seed"] for r in rows}
    assert all(seeds["baseline", i] == seeds["exit_open", i] for i in range(RUNS))
    assert any(r["harmed_total"] for r in rows)  # the threat is felt: the metrics are not trivial
    # a rerun adds nothing
    assert run_batch(scenario_file, store_path=one, workers=1, **common) == 0


def test_a_batch_killed_midway_resumes_to_exactly_n_runs_per_protocol(crowded_file, tmp_path):
    runs, killed, clean = 60, tmp_path / "killed.sqlite", tmp_path / "clean.sqlite"
    code = ("import sys; from ttxsim.analysis import run_batch; "
            f"run_batch(sys.argv[1], runs={runs}, protocols={PROTOCOLS!r}, store_path=sys.argv[2], "
            "master_seed=3, workers=2, progress=False)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(crowded_file), str(killed)],
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        count = 0
        while count < 8:
            assert proc.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline, "the batch stored nothing in 60 s"
            time.sleep(0.05)
            if killed.exists():
                with ResultsStore(killed) as store:
                    count = store.count()
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the parent and its pool workers, as a crash would
        proc.wait()
    with ResultsStore(killed) as store:
        assert 8 <= store.count() < runs * 2
    common = {"runs": runs, "protocols": PROTOCOLS, "master_seed": 3, "progress": False, "workers": 2}
    run_batch(crowded_file, store_path=killed, **common)
    run_batch(crowded_file, store_path=clean, **common)
    with ResultsStore(killed) as store:
        assert [store.count(p) for p in PROTOCOLS] == [runs, runs]
        pairs = [(r["protocol"], r["replication"]) for r in store.runs()]
    assert len(pairs) == len(set(pairs))
    assert stored(killed) == stored(clean)


def test_a_batch_resumes_into_a_store_written_before_a_metric_existed(scenario_file, tmp_path):
    """The missing column is added when runs are appended; the earlier runs read it as None."""
    older, clean = tmp_path / "older.sqlite", tmp_path / "clean.sqlite"
    common = {"protocols": PROTOCOLS, "master_seed": 5, "progress": False, "workers": 1}
    run_batch(scenario_file, store_path=older, runs=2, **common)
    with sqlite3.connect(older) as conn:  # as a ttxsim from before the metric and the metric list wrote it
        conn.execute("ALTER TABLE runs DROP COLUMN t_alarm_s")
        conn.execute("DELETE FROM meta WHERE key = 'metrics'")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.close()
    with ResultsStore(older) as store:
        assert "t_alarm_s" in store.notes[0] and all(r["t_alarm_s"] is None for r in store.runs())
    assert run_batch(scenario_file, store_path=older, runs=3, **common) == 2
    run_batch(scenario_file, store_path=clean, runs=3, **common)
    with ResultsStore(older) as store:
        assert store.notes == () and store.count() == 6
    assert all(r["t_alarm_s"] is not None for r in stored(clean))
    absent = [r | {"t_alarm_s": None} if r["replication"] < 2 else r for r in stored(clean)]
    assert stored(older) == absent


def test_cli_batch_stores_runs_and_refuses_a_store_of_another_scenario(scenario_file, tmp_path):
    runner = CliRunner()
    store = tmp_path / "cli.sqlite"
    result = runner.invoke(cli, ["batch", str(scenario_file), "--runs", "2", "--all-protocols",
                                 "--workers", "1", "--store", str(store)])
    assert result.exit_code == 0, result.output
    with ResultsStore(store) as results:
        assert results.count() == 4 and results.experiment()["protocols"] == PROTOCOLS

    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump({**SCENARIO, "meta": {"name": "another"}}), encoding="utf-8")
    result = runner.invoke(cli, ["batch", str(other), "--runs", "2", "--store", str(store)])
    assert result.exit_code == 2
    assert "was made for scenario 'batch test'" in result.output
    assert "Traceback" not in result.output


def test_cli_batch_rejects_an_unknown_protocol(scenario_file, tmp_path):
    result = CliRunner().invoke(cli, ["batch", str(scenario_file), "--runs", "1", "-p", "nope",
                                      "--store", str(tmp_path / "x.sqlite")])
    assert result.exit_code == 2 and "unknown protocol 'nope'" in result.output
