"""The shared atomic writer: content, failures that leave the old file, permissions, durability."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ttxsim.sim import atomic
from ttxsim.sim.atomic import atomic_output, write_atomic

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and directory fsync")


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "report.csv"
    path.write_bytes(b"old contents\n")
    return path


def assert_untouched(path: Path) -> None:
    """The old file is as it was and no temporary file is left beside it."""
    assert path.read_bytes() == b"old contents\n"
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_text_is_encoded_and_line_ends_are_kept(tmp_path: Path):
    path = tmp_path / "msel.csv"
    write_atomic(path, "a,b\r\nc,ä\n", encoding="utf-8-sig")
    assert path.read_bytes() == b"\xef\xbb\xbfa,b\r\nc,\xc3\xa4\n"
    write_atomic(path, "ä")
    assert path.read_bytes() == "ä".encode()


def test_bytes_are_written_as_they_are(old_file: Path):
    write_atomic(old_file, b"\x89PNG\r\n\x00")
    assert old_file.read_bytes() == b"\x89PNG\r\n\x00"
    assert [p.name for p in old_file.parent.iterdir()] == [old_file.name]


def test_a_stream_replaces_the_file_when_the_block_ends(old_file: Path):
    with atomic_output(old_file) as out:
        out.write(b"new ")
        out.write(b"contents")
        assert old_file.read_bytes() == b"old contents\n"  # not yet
    assert old_file.read_bytes() == b"new contents"


def test_a_failed_rename_leaves_the_old_file(old_file: Path, monkeypatch):
    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(old_file, "new")
    assert_untouched(old_file)


def test_a_failed_fsync_leaves_the_old_file(old_file: Path, monkeypatch):
    def broken(fd):
        raise OSError("I/O error")

    monkeypatch.setattr(atomic.os, "fsync", broken)
    with pytest.raises(OSError, match="I/O error"):
        write_atomic(old_file, b"new")
    assert_untouched(old_file)


def test_data_of_the_wrong_type_leaves_the_old_file(old_file: Path):
    with pytest.raises(TypeError):
        write_atomic(old_file, 42)  # type: ignore[arg-type]
    assert_untouched(old_file)


def test_text_that_cannot_be_encoded_leaves_the_old_file(old_file: Path):
    with pytest.raises(UnicodeEncodeError):
        write_atomic(old_file, "€ 5", encoding="ascii")
    assert_untouched(old_file)


def test_an_error_in_the_block_leaves_the_old_file(old_file: Path):
    with pytest.raises(RuntimeError, match="figure failed"), atomic_output(old_file) as out:
        out.write(b"half a figure")
        raise RuntimeError("figure failed")
    assert_untouched(old_file)


def test_a_missing_directory_is_an_error(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "nowhere" / "x.md", "x")
    assert list(tmp_path.iterdir()) == []


@posix_only
def test_a_new_file_follows_the_umask(tmp_path: Path):
    previous = os.umask(0o027)
    try:
        write_atomic(tmp_path / "a.html", "x")
        os.umask(0o002)
        write_atomic(tmp_path / "b.html", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "a.html").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "b.html").stat().st_mode) == 0o664


@posix_only
def test_a_replaced_file_keeps_its_permissions(old_file: Path):
    old_file.chmod(0o600)
    write_atomic(old_file, "new")
    assert stat.S_IMODE(old_file.stat().st_mode) == 0o600
    old_file.chmod(0o644)
    write_atomic(old_file, "newer")
    assert stat.S_IMODE(old_file.stat().st_mode) == 0o644


def test_the_umask_is_never_read(tmp_path: Path, monkeypatch):
    """Reading the umask means setting it for a moment, which races with other threads."""

    def forbidden(mask):
        raise AssertionError("os.umask called")

    monkeypatch.setattr(atomic.os, "umask", forbidden)
    write_atomic(tmp_path / "a.md", "x")


@posix_only
def test_the_file_then_its_directory_are_synced(tmp_path: Path, monkeypatch):
    synced = []
    real_fsync = os.fsync

    def recording(fd):
        synced.append("directory" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", recording)
    write_atomic(tmp_path / "a.md", "x")
    assert synced == ["file", "directory"]


@posix_only
def test_a_directory_that_cannot_be_synced_is_no_error(tmp_path: Path, monkeypatch):
    real_fsync = os.fsync

    def no_directories(fd):
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(22, "Invalid argument")
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", no_directories)
    write_atomic(tmp_path / "a.md", "x")
    assert (tmp_path / "a.md").read_text() == "x"
