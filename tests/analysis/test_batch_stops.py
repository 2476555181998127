"""How a batch stops: SIGTERM, its parent killed, a full disk, a store path it cannot use.

Whatever stops it, the runs stored so far are kept in `S.sqlite` itself (checkpointed, so a
copy of that one file holds them), no worker outlives it, and the command says what happened
in one line.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from store_cases import SCENARIO, alive, make_good_store, proc_children, write_scenario

from ttxsim.analysis import ResultsStore, store
from ttxsim.analysis.store import StoreError
from ttxsim.tui.cli import cli

linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")


@pytest.fixture
def slow_scenario(tmp_path: Path) -> Path:
    """The tiny room with 1,500 people: runs slow enough (tens of ms) to stop a batch midway."""
    data = yaml.safe_load(yaml.safe_dump(SCENARIO))
    data["venue"]["zones"][0].update(width_m=40, depth_m=40)
    data["venue"]["openings"][0]["at_m"] = [40, 20]  # still in the (moved) outside wall
    data["population"]["occupants"] = [{"zone": "room", "count": 1500}]
    path = tmp_path / "slow.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def stored_count(path: Path) -> int:
    try:
        with ResultsStore(path, read_only=True) as opened:
            return opened.count()
    except (StoreError, LookupError):
        return 0  # not created yet, or caught between its first writes


def start_batch(scenario: Path, store_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "ttxsim.tui.cli", "batch", str(scenario), "--runs", "400",
                             "--all-protocols", "--workers", "2", "--store", str(store_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for_runs(proc: subprocess.Popen[str], store_path: Path, runs: int) -> None:
    deadline = time.monotonic() + 60
    while stored_count(store_path) < runs:
        assert proc.poll() is None, "the batch ended before it could be stopped"
        assert time.monotonic() < deadline, "the batch stored nothing in 60 s"
        time.sleep(0.05)


def wait_gone(pids: list[int], seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


@linux_only
def test_sigterm_stops_the_workers_and_leaves_every_run_in_the_main_file(slow_scenario, tmp_path):
    path = tmp_path / "S.sqlite"
    proc = start_batch(slow_scenario, path)
    try:
        wait_for_runs(proc, path, 4)
        workers = proc_children(proc.pid)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 143, err[-2000:]
    last = err.strip().splitlines()[-1]
    assert last.startswith("terminated: ") and "run the same command to resume" in last
    assert "Traceback" not in err
    stored = int(last.split()[1])
    assert not wait_gone(workers)
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(path, copy / "S.sqlite")  # the main file alone: no -wal is needed any more
    assert stored >= 4 and stored_count(copy / "S.sqlite") == stored


@linux_only
def test_workers_exit_when_the_batchs_parent_is_killed(slow_scenario, tmp_path):
    path = tmp_path / "S.sqlite"
    proc = start_batch(slow_scenario, path)
    try:
        wait_for_runs(proc, path, 2)
        children = proc_children(proc.pid)  # two workers, and multiprocessing's resource tracker
        assert len(children) >= 2
        proc.kill()  # the parent only, as the OOM killer would: nobody tells the workers
        proc.wait()
        assert not wait_gone(children), "pool workers outlived their parent"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # whatever is left, so a failure leaves no process behind
        proc.communicate()
    assert stored_count(path) >= 2  # the runs so far read back (from the -wal a killed batch leaves)


def test_a_finished_batch_is_one_file_even_while_a_reader_holds_it_open(tmp_path):
    """The checkpoint at the end: with a reader connected, SQLite itself would leave runs in the -wal."""
    scenario, path = make_good_store(tmp_path)
    reader = sqlite3.connect(path)
    reader.execute("PRAGMA journal_mode").fetchone()  # now it holds the -wal open
    try:
        result = CliRunner().invoke(cli, ["batch", str(scenario), "--runs", "12", "--all-protocols",
                                          "-w", "1", "--store", str(path)])
        assert result.exit_code == 0, result.output
        copy = tmp_path / "copy"
        copy.mkdir()
        shutil.copy(path, copy / "S.sqlite")
        assert stored_count(copy / "S.sqlite") == 24
    finally:
        reader.close()


def test_a_full_disk_during_a_batch_keeps_the_runs_stored_and_says_so(tmp_path, monkeypatch):
    scenario, path = make_good_store(tmp_path)
    before = stored_count(path)
    opening = store.connect_for_writing

    def on_a_full_disk(where):  # SQLite's SQLITE_FULL, as ENOSPC from a write gives it
        conn = opening(where)
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        conn.execute(f"PRAGMA max_page_count = {pages + 1}")
        return conn

    monkeypatch.setattr(store, "connect_for_writing", on_a_full_disk)
    result = CliRunner().invoke(cli, ["batch", str(scenario), "--runs", "60", "--all-protocols", "-w", "1",
                                      "--store", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert [line for line in result.output.splitlines() if line.startswith("disk full: ")]
    monkeypatch.undo()
    after = stored_count(path)
    assert before <= after < 120
    with ResultsStore(path, read_only=True) as opened:  # the runs stored before are all there, whole
        assert {r["replication"] for r in opened.runs("baseline")} >= set(range(before // 2))


@pytest.mark.parametrize(("where", "says"), [
    ("folder", "is a folder"), ("missing/S.sqlite", "no folder"), ("file/S.sqlite", "no folder"),
])
def test_a_store_path_that_cannot_be_a_store_is_one_line(tmp_path, monkeypatch, where, says):
    scenario = write_scenario(tmp_path)
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("a file, not a folder")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["batch", str(scenario), "--runs", "1", "-w", "1", "--store", where])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(where) and says in lines[0]
