"""Stores for the hardening tests: a good one from a tiny batch, and the ways one gets damaged."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from ttxsim.analysis import run_batch

SCENARIO = {
    "meta": {"name": "Damage room", "sources": ["test fixture"]},
    "venue": {
        "zones": [{"id": "room", "kind": "room", "x_m": 0, "y_m": 0, "width_m": 10, "depth_m": 10}],
        "openings": [{"id": "door", "between": ["room", "outside"], "width_m": 1.0, "at_m": [10, 5]}],
    },
    "population": {"occupants": [{"zone": "room", "count": 40}],
                   "premovement_s": {"dist": "lognormal", "median": 20, "sigma": 0.5}},
    "protocols": {"wide": {"venue": {"openings": [{"id": "door", "width_m": 2.0}]}}},
}
RUNS, PROTOCOLS = 8, ["baseline", "wide"]


def write_scenario(folder: Path) -> Path:
    """The tiny scenario as a file in `folder`."""
    path = folder / "room.yaml"
    path.write_text(yaml.safe_dump(SCENARIO, sort_keys=False), encoding="utf-8")
    return path


def make_good_store(folder: Path) -> tuple[Path, Path]:
    """(scenario file, store) after a finished batch of RUNS × PROTOCOLS, one worker."""
    scenario = write_scenario(folder)
    store = folder / "good.sqlite"
    run_batch(scenario, runs=RUNS, protocols=PROTOCOLS, store_path=store, workers=1, progress=False)
    return scenario, store


def _root_page(path: Path, table: str) -> tuple[int, int]:
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        (size,) = conn.execute("PRAGMA page_size").fetchone()
    finally:
        conn.close()
    return root, size


def truncated(good: bytes, path: Path) -> None:
    """Half the file, as a copy cut short by a full disk or a dropped connection."""
    path.write_bytes(good[: len(good) // 2 + 100])


def truncated_to_the_header(good: bytes, path: Path) -> None:
    """The first 50 bytes: less than the SQLite header."""
    path.write_bytes(good[:50])


def page_corrupted(good: bytes, path: Path) -> None:
    """The root page of the `runs` table overwritten with noise (a bad sector, a stray write)."""
    path.write_bytes(good)
    root, size = _root_page(path, "runs")
    noise = random.Random(12).randbytes(size)
    data = bytearray(good)
    data[(root - 1) * size: root * size] = noise
    path.write_bytes(bytes(data))


def not_sqlite(_good: bytes, path: Path) -> None:
    """Some other file given as the store."""
    path.write_text("protocol,replication\nbaseline,0\n" * 200, encoding="utf-8")


def empty(_good: bytes, path: Path) -> None:
    """A zero-byte file (created by `touch`, or by a copy that failed at once)."""
    path.write_bytes(b"")


DAMAGE: dict[str, Callable[[bytes, Path], None]] = {
    "truncated": truncated, "truncated-header": truncated_to_the_header, "page-corrupted": page_corrupted,
    "not-sqlite": not_sqlite, "empty": empty,
}
"""Each way of damage, by name, writing the damaged file from the good store's bytes."""


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in `folder` with its bytes: to show that a command touched nothing."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def proc_children(pid: int) -> list[int]:
    """The pids whose parent is `pid`, read from /proc (Linux)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry.name))
    return children


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, waiting for its new parent to reap it, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@contextlib.contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make files and folders read-only even for root (`chattr +i`), else by their mode; skip if neither.

    Root ignores file modes, and the tests run as root in CI: the immutable flag is what
    stops root from writing, as a read-only mount would.
    """
    if shutil.which("chattr"):
        done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, check=False)
        if done.returncode == 0:
            try:
                yield
            finally:
                subprocess.run(["chattr", "-i", *map(str, paths)], capture_output=True, check=False)
            return
        subprocess.run(["chattr", "-i", *map(str, paths)], capture_output=True, check=False)
    if os.geteuid() == 0:
        pytest.skip("root ignores file modes, and `chattr +i` is not available here")
    modes = {path: path.stat().st_mode for path in paths}
    for path in paths:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
