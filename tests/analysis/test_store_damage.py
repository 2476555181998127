"""Damaged, foreign and read-only stores: one line and exit status 2 from every command, nothing touched."""

from __future__ import annotations

import random
import shutil
import sqlite3

import pytest
from click.testing import CliRunner
from store_cases import (
    DAMAGE,
    RUNS,
    make_good_store,
    read_only,
    snapshot,
)

from ttxsim.analysis import ResultsStore
from ttxsim.analysis.store import StoreDamaged, StoreUnavailable
from ttxsim.tui.cli import cli

READERS = {
    "compare": ["compare", "--store", "S.sqlite"],
    "compare-json": ["compare", "--store", "S.sqlite", "--json"],
    "plot": ["plot", "--store", "S.sqlite", "--out", "figures"],
    "report": ["report", "--store", "S.sqlite", "--out", "report.html"],
}
"""The commands that only read a store, with `S.sqlite` as the store, run in its folder."""


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """(scenario, store) of a finished tiny batch, shared: tests copy it, never change it."""
    return make_good_store(tmp_path_factory.mktemp("good"))


def damaged(good, tmp_path, how: str):
    _, store = good
    target = tmp_path / "S.sqlite"
    DAMAGE[how](store.read_bytes(), target)
    return target


def one_line_and_no_traceback(result) -> str:
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize("command", READERS)
@pytest.mark.parametrize("how", DAMAGE)
def test_a_read_command_on_a_damaged_store_says_so_in_one_line_and_touches_nothing(
        good, tmp_path, monkeypatch, how, command):
    damaged(good, tmp_path, how)
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, READERS[command])
    assert result.exit_code == 2, result.output
    line = one_line_and_no_traceback(result)
    assert line.startswith("S.sqlite") and ("damaged" in line or "not a ttxsim results store" in line)
    assert snapshot(tmp_path) == before  # not a byte changed, no -wal, -shm, figure or report


@pytest.mark.parametrize("how", DAMAGE)
def test_a_batch_refuses_a_damaged_store_and_leaves_it_as_it_was(good, tmp_path, monkeypatch, how):
    scenario, _ = good
    damaged(good, tmp_path, how)
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["batch", str(scenario), "--runs", "2", "-w", "1",
                                      "--store", "S.sqlite"])
    if how == "empty":  # a zero-byte file holds nothing to lose: a batch may start a store in it
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 2, result.output
    assert "0 runs added" not in result.output and "S.sqlite" in one_line_and_no_traceback(result)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", READERS)
def test_a_folder_or_a_missing_file_as_the_store_is_one_line(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    missing = CliRunner().invoke(cli, READERS[command])
    assert missing.exit_code == 2 and "no such results store" in one_line_and_no_traceback(missing)
    (tmp_path / "S.sqlite").mkdir()
    folder = CliRunner().invoke(cli, READERS[command])
    assert folder.exit_code == 2 and "is a folder" in one_line_and_no_traceback(folder)


def test_reading_creates_no_wal_or_shm_file(good, tmp_path):
    _, store = good
    shutil.copy(store, tmp_path / "S.sqlite")
    with ResultsStore(tmp_path / "S.sqlite", read_only=True) as opened:
        assert opened.count() == 2 * RUNS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["S.sqlite"]


def test_reading_a_killed_batchs_store_reads_its_wal_and_changes_neither_file(good, tmp_path):
    """After kill -9 the runs are in S.sqlite-wal; a reader sees them and folds nothing in."""
    _, store = good
    path = tmp_path / "S.sqlite"
    shutil.copy(store, path)
    writer = sqlite3.connect(path)  # a batch's connection, left open as a killed process leaves it
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("DELETE FROM runs WHERE replication = 0")
    writer.commit()
    main, wal = path.read_bytes(), (tmp_path / "S.sqlite-wal").read_bytes()
    with ResultsStore(path, read_only=True) as opened:
        assert opened.count() == 2 * RUNS - 2  # the change lives only in the -wal
    assert path.read_bytes() == main and (tmp_path / "S.sqlite-wal").read_bytes() == wal
    writer.close()


def test_a_damaged_series_is_reported_when_it_is_read(good, tmp_path, monkeypatch):
    """Damage inside a stored value passes the opening check; reading it must still be one line."""
    _, store = good
    path = tmp_path / "S.sqlite"
    shutil.copy(store, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE runs SET curve_safe = ? WHERE replication = 1", (b"not zlib" * 4,))
    conn.close()
    with ResultsStore(path, read_only=True) as opened, pytest.raises(StoreDamaged, match="curve_safe"):
        opened.series("curve_safe", "baseline")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, READERS["plot"])
    assert result.exit_code == 2 and "damaged" in one_line_and_no_traceback(result)


def test_the_library_says_which_path_cannot_be_used(tmp_path):
    with pytest.raises(StoreUnavailable, match="no such results store"):
        ResultsStore(tmp_path / "none.sqlite", read_only=True)
    with pytest.raises(StoreUnavailable, match="no folder"):
        ResultsStore(tmp_path / "no" / "such" / "S.sqlite")


def test_a_read_only_store_in_a_read_only_folder_is_read_and_refused_to_a_batch(good, tmp_path, monkeypatch):
    scenario, store = good
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(store, folder / "S.sqlite")
    before = snapshot(folder)
    monkeypatch.chdir(tmp_path)
    with read_only(folder / "S.sqlite", folder):
        for args in (["compare", "--store", "ro/S.sqlite", "--csv"],  # report draws plot's figures too
                     ["report", "--store", "ro/S.sqlite", "--out", "report.html"]):
            result = CliRunner().invoke(cli, args)
            assert result.exit_code == 0, result.output
        assert snapshot(folder) == before
        result = CliRunner().invoke(cli, ["batch", str(scenario), "--runs", "9", "-w", "1", "--store",
                                          "ro/S.sqlite"])
        assert result.exit_code == 2 and "read-only" in one_line_and_no_traceback(result)
        assert snapshot(folder) == before
    assert (tmp_path / "report.html").exists()


@pytest.mark.parametrize(("column", "value"), [
    ("scenario_text", b"meta: \xff\xfe not UTF-8"), ("protocols", "not JSON"),
])
def test_an_unreadable_experiment_value_is_damage_not_a_traceback(good, tmp_path, monkeypatch, column, value):
    _, store = good
    shutil.copy(store, tmp_path / "S.sqlite")
    with sqlite3.connect(tmp_path / "S.sqlite") as conn:
        literal = f"CAST(X'{value.hex()}' AS TEXT)" if isinstance(value, bytes) else f"'{value}'"
        conn.execute(f"UPDATE experiment SET {column} = {literal}")
    conn.close()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, READERS["compare"])
    assert result.exit_code == 2 and "damaged" in one_line_and_no_traceback(result)


def test_a_metric_that_is_not_a_number_is_damage_not_a_traceback(good, tmp_path, monkeypatch):
    _, store = good
    shutil.copy(store, tmp_path / "S.sqlite")
    with sqlite3.connect(tmp_path / "S.sqlite") as conn:
        conn.execute("UPDATE runs SET harmed_total = 'x' WHERE replication = 3")
    conn.close()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, READERS["compare-json"])
    assert result.exit_code == 2 and "not a number" in one_line_and_no_traceback(result)


def test_random_byte_damage_never_ends_in_a_traceback(good, tmp_path, monkeypatch):
    """A small seeded fuzz: whatever bytes change, compare answers or refuses in one line."""
    _, store = good
    data = store.read_bytes()
    rng = random.Random(43)
    monkeypatch.chdir(tmp_path)
    for _ in range(25):
        damaged_bytes = bytearray(data)
        for _ in range(rng.choice((1, 8, 64))):
            damaged_bytes[rng.randrange(len(data))] = rng.randrange(256)
        (tmp_path / "S.sqlite").write_bytes(bytes(damaged_bytes))
        result = CliRunner().invoke(cli, READERS["compare-json"])
        assert result.exit_code in (0, 2), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
