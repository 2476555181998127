"""Outputs that cannot be written (plot, report, sensitivity): one line, checked before the work.

A path that cannot hold the output is the user's to fix (exit 2); a full disk is the
machine's (exit 1), and the previous file, if any, is kept whole.
"""

from __future__ import annotations

import errno
import shutil

import pytest
from click.testing import CliRunner
from store_cases import make_good_store, read_only, snapshot

from ttxsim.sim import atomic
from ttxsim.tui.cli import cli

ROOM = """\
meta: {name: Sensitivity room, horizon_s: 600}
venue:
  zones: [{id: room, kind: room, x_m: 0, y_m: 0, width_m: 8, depth_m: 8, height_m: 3}]
  openings: [{id: door, between: [room, outside], width_m: 1.0, at_m: [8, 4]}]
population:
  occupants: [{zone: room, count: 30}]
  premovement_s: {dist: lognormal, median: 10, sigma: 0.3}
uncertain:
  - {name: door_width, path: "venue.openings[door].width_m", low: 0.6, high: 2.0}
"""


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return make_good_store(tmp_path_factory.mktemp("good"))


@pytest.fixture
def here(good, tmp_path, monkeypatch):
    """tmp_path as the working folder, with the good store as S.sqlite and a file named `file`."""
    shutil.copy(good[1], tmp_path / "S.sqlite")
    (tmp_path / "file").write_text("a file, not a folder")
    (tmp_path / "room.yaml").write_text(ROOM)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def one_line(result) -> str:
    assert "Traceback" not in result.output, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


def disk_full(*_args):
    raise OSError(errno.ENOSPC, "No space left on device")


SENSITIVITY = ["sensitivity", "room.yaml", "--method", "morris", "--runs", "2", "--workers", "1"]

UNWRITABLE = {
    "plot-into-a-file": (["plot", "--store", "S.sqlite", "--out", "file"], "is a file"),
    "plot-under-a-file": (["plot", "--store", "S.sqlite", "--out", "file/figures"], "file/figures"),
    "report-as-a-folder": (["report", "--store", "S.sqlite", "--out", "sub.html"], "is a folder"),
    "report-under-a-file": (["report", "--store", "S.sqlite", "--out", "file/r.html"], "file"),
    "sensitivity-into-a-file": ([*SENSITIVITY, "--out", "file"], "is a file"),
    "sensitivity-under-a-file": ([*SENSITIVITY, "--out", "file/sens"], "file/sens"),
}


@pytest.mark.parametrize("case", UNWRITABLE)
def test_an_output_path_that_cannot_be_written_is_one_line_and_exit_2(here, case):
    args, says = UNWRITABLE[case]
    (here / "sub.html").mkdir()
    before = snapshot(here)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert says in one_line(result)
    assert snapshot(here) == before


@pytest.mark.parametrize("command", ["plot", "report", "sensitivity"])
def test_a_read_only_output_folder_is_one_line_and_exit_2(here, command):
    (here / "ro").mkdir()
    args = {"plot": ["plot", "--store", "S.sqlite", "--out", "ro"],
            "report": ["report", "--store", "S.sqlite", "--out", "ro/report.html"],
            "sensitivity": [*SENSITIVITY, "--out", "ro"]}[command]
    with read_only(here / "ro"):
        result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "ro" in one_line(result) and "read-only" in result.output
    assert list((here / "ro").iterdir()) == []


@pytest.mark.parametrize(("command", "previous"), [
    ("report", "report.html"), ("report-md", "report.md"), ("plot", "figures/evacuation_curves.png"),
    ("sensitivity", "sens/sensitivity_morris.png"),
])
def test_a_full_disk_is_one_line_exit_1_and_the_previous_output_is_kept(here, monkeypatch, command, previous):
    args = {"report": ["report", "--store", "S.sqlite", "--out", "report.html"],
            "report-md": ["report", "--store", "S.sqlite", "--out", "report.md"],
            "plot": ["plot", "--store", "S.sqlite", "--out", "figures"],
            "sensitivity": [*SENSITIVITY, "--out", "sens"]}[command]
    old = here / previous
    old.parent.mkdir(exist_ok=True)
    old.write_bytes(b"the previous version")
    monkeypatch.setattr(atomic.os, "fsync", disk_full)  # every atomic write fails as on a full disk
    result = CliRunner().invoke(cli, args)
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert [line for line in result.output.splitlines() if line.startswith("disk full: ")], result.output
    assert old.read_bytes() == b"the previous version"
    assert not [p for p in here.rglob("*.tmp")]  # no half-written temporary file left behind
