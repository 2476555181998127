"""The exercise journal: an append-only JSON-lines file that nothing can lose (DESIGN.md section 6).

The first line is the header: which scenario text (in full, with its sha256), protocol and
seed the session plays. Every later line is one thing the facilitator did (a command: step,
choose, apply, deliver, note, rate, ...) or one thing that followed from it (a record: an
inject delivered, a default applied). Each line is flushed and fsynced before the console
goes on, so a crash or a closed terminal loses at most the line being written; a torn last
line is recognised and cut off on resume, never a complete one.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

__all__ = ["FORMAT", "VERSION", "Journal", "JournalContents", "JournalError", "read_journal"]

FORMAT = "ttxsim-exercise-journal"
"""The header's `format` value: what marks a file as an exercise journal."""

VERSION = 1
"""The journal format's version; a journal from a newer version is refused, not guessed at."""


class JournalError(Exception):
    """A journal that cannot be used: the message says which file, which line and why."""


@dataclass
class JournalContents:
    """What a journal file holds."""

    header: dict[str, Any]
    entries: list[dict[str, Any]] = field(default_factory=list)
    torn_tail: bool = False
    """The last line was cut off mid-write (a crash); it is ignored."""
    valid_bytes: int = 0
    """Length of the file up to the end of the last complete line."""
    size: int = 0
    """Length of the file as read."""


def read_journal(path: str | os.PathLike) -> JournalContents:
    """Read and check a journal; raise JournalError naming the file and line of any problem."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise JournalError(f"{path}: no such journal") from None
    except OSError as exc:
        raise JournalError(f"{path}: cannot read: {exc.strerror or exc}") from None
    lines = data.split(b"\n")
    complete, tail = lines[:-1], lines[-1]
    contents: JournalContents | None = None
    offset = 0
    for number, raw in enumerate(complete, start=1):
        offset += len(raw) + 1
        entry = _decode(path, number, raw)
        if contents is None:
            contents = JournalContents(header=_check_header(path, entry))
        else:
            contents.entries.append(entry)
        contents.valid_bytes = offset
    if contents is not None:
        contents.size = len(data)
    if contents is None:
        if tail.strip():
            raise JournalError(f"{path}:1: the header line is incomplete; this journal holds nothing "
                               "to resume")
        raise JournalError(f"{path}: empty file, not an exercise journal")
    if tail.strip():
        try:
            last = json.loads(tail)
        except ValueError:
            last = None
        if isinstance(last, dict):  # complete but unterminated: keep it, end it on resume
            contents.entries.append(last)
            contents.valid_bytes = len(data)
        else:
            contents.torn_tail = True
    return contents


def _decode(path: Path, number: int, raw: bytes) -> dict[str, Any]:
    try:
        entry = json.loads(raw)
    except ValueError as exc:
        raise JournalError(f"{path}:{number}: not a JSON line ({exc}); the journal is damaged") from None
    if not isinstance(entry, dict):
        raise JournalError(f"{path}:{number}: expected a JSON object, found {type(entry).__name__}")
    return entry


def _check_header(path: Path, header: dict[str, Any]) -> dict[str, Any]:
    if header.get("format") != FORMAT:
        raise JournalError(f"{path}:1: not a ttxsim exercise journal (no '{FORMAT}' header)")
    version = header.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise JournalError(f"{path}:1: journal version {version!r}; this ttxsim reads version "
                           f"{VERSION} or older")
    for key, kind in (("scenario_text", str), ("scenario_sha256", str), ("protocol", str), ("seed", int)):
        if not isinstance(header.get(key), kind):
            raise JournalError(f"{path}:1: header.{key}: missing or not a {kind.__name__}")
    return header


class Journal:
    """An open journal that appends one durable line per entry."""

    def __init__(self, path: Path, handle: TextIO):
        self.path = path
        self._handle = handle

    @classmethod
    def create(cls, path: str | os.PathLike, header: dict[str, Any]) -> Journal:
        """Start a new journal; refuse to touch an existing file (it may be a session to resume)."""
        path = Path(path)
        try:
            handle = path.open("x", encoding="utf-8", newline="\n")
        except FileExistsError:
            raise JournalError(f"{path}: already exists; resume it with --resume, or choose another "
                               "--journal file") from None
        except OSError as exc:
            raise JournalError(f"{path}: cannot create: {exc.strerror or exc}") from None
        _lock(path, handle)
        journal = cls(path, handle)
        journal.append({"format": FORMAT, "version": VERSION, **header})
        _sync_directory(path)
        return journal

    @classmethod
    def reopen(cls, path: str | os.PathLike, contents: JournalContents) -> Journal:
        """Continue a journal read by `read_journal`, cutting off a torn last line first."""
        path = Path(path)
        try:
            handle = path.open("a", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise JournalError(f"{path}: cannot append: {exc.strerror or exc}") from None
        _lock(path, handle)  # before anything is cut off: another console may be writing it
        try:
            if path.stat().st_size != contents.size:
                handle.close()
                raise JournalError(f"{path}: the journal changed while it was being read; open it again")
            if contents.valid_bytes != contents.size:
                with path.open("r+b") as raw:
                    raw.truncate(contents.valid_bytes)
                    if contents.valid_bytes and _last_byte(raw, contents.valid_bytes) != b"\n":
                        raw.seek(0, os.SEEK_END)
                        raw.write(b"\n")
                    raw.flush()
                    os.fsync(raw.fileno())
        except OSError as exc:
            handle.close()
            raise JournalError(f"{path}: cannot append: {exc.strerror or exc}") from None
        return cls(path, handle)

    def append(self, entry: dict[str, Any]) -> None:
        """Write one entry as a line and make it durable before returning."""
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        self._handle.write(line + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        """Close the file (every entry is already on disk)."""
        self._handle.close()


def _lock(path: Path, handle: TextIO) -> None:
    """Hold the journal for this console alone, so two consoles never interleave their lines.

    An advisory lock (flock) held as long as the file is open; the operating system releases it
    when the process ends, however it ends. Where flock does not exist (Windows), no lock.
    """
    if sys.platform == "win32":  # pragma: no cover
        return
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise JournalError(f"{path}: another console has this journal open; close it first (one "
                           "console per journal)") from None


def _last_byte(raw, size: int) -> bytes:
    raw.seek(size - 1)
    return raw.read(1)


def _sync_directory(path: Path) -> None:
    """Make the new file's directory entry durable too (POSIX; a no-op where unsupported)."""
    try:
        fd = os.open(path.parent or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
