"""The exercise journal: an append-only JSON-lines file that nothing can lose (docs/results-store.md).

The first line is the header: which scenario text (in full, with its sha256), protocol and
seed the session plays. Every later line is one thing the facilitator did (a command: step,
choose, apply, deliver, note, rate, ...) together with what followed from it (`recs`: an
inject delivered, a default applied), so a command and its consequences reach the disk as one
unit. Each line ends with its chain value (`journal_read`), so an edited line is named.

Each line is written, flushed and fsynced before the console goes on, so a crash or a closed
terminal loses at most the command being written, and a torn last line is cut off on resume.
A write that fails (a full disk) is undone: the file is cut back to its last whole line, so it
still resumes, while every line, written or not, stays in memory (`lines`) to be copied whole
to another file (`move_to`) once the facilitator chooses one. The header goes in through a
temporary file linked into place, so a journal that could not be started leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

from .journal_read import FORMAT, VERSION, JournalContents, JournalError, chain_of, read_journal

__all__ = ["FORMAT", "VERSION", "Journal", "JournalContents", "JournalError", "JournalWriteError",
           "read_journal"]


class JournalWriteError(JournalError):
    """A line could not be written; the journal keeps it in memory and takes no more until moved."""

    def __init__(self, path: Path, error: OSError):
        self.path, self.error = path, error
        super().__init__(f"{path}: cannot write the journal: {error.strerror or error}")


class Journal:
    """An open journal that appends one durable line per entry.

    Args:
        path: the file.
        file: the file, open for appending (unbuffered) and locked.
        lines: every line of the session so far, as written (the in-memory record).
        chain: the chain value after the last of them.
    """

    def __init__(self, path: Path, file: io.FileIO, lines: list[bytes], chain: str):
        self.path = path
        self._file = file
        self.lines = lines
        """Every line of the session, header first, whether or not the file holds it yet."""
        self.chain = chain
        self.durable = sum(len(line) for line in lines)
        """Bytes of `lines` the file holds for sure (fsynced)."""
        self.failure: JournalWriteError | None = None
        """Why the last write failed; no line is taken until the journal is moved (`move_to`)."""

    @classmethod
    def create(cls, path: str | os.PathLike, header: dict[str, Any]) -> Journal:
        """Start a new journal; refuse to touch an existing file (it may be a session to resume)."""
        line, chain = encode({"format": FORMAT, "version": VERSION, **header}, "")
        return cls._write_new(Path(path), [line], chain)

    @classmethod
    def _write_new(cls, path: Path, lines: list[bytes], chain: str) -> Journal:
        """A new file holding `lines`, all or nothing: written aside, fsynced, then linked in place."""
        if path.exists():
            raise JournalError(f"{path}: already exists; resume it with --resume, or choose another "
                               "journal file")
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                _write_all(fd, b"".join(lines))
                os.fsync(fd)
            finally:
                os.close(fd)
            os.link(temporary, path)  # fails if the path appeared meanwhile: never overwrites
        except FileExistsError:
            raise JournalError(f"{path}: already exists; resume it with --resume, or choose another "
                               "journal file") from None
        except OSError as exc:
            raise JournalError(f"{path}: cannot create: {exc.strerror or exc}") from None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        file = _open_append(path)
        _sync_directory(path)
        return cls(path, file, lines, chain)

    @classmethod
    def reopen(cls, path: str | os.PathLike, contents: JournalContents) -> Journal:
        """Continue a journal read by `read_journal`, cutting off a torn last line first."""
        path = Path(path)
        file = _open_append(path)  # locked before anything is cut off: another console may be writing it
        fd = file.fileno()
        try:
            if os.fstat(fd).st_size != contents.size:
                raise JournalError(f"{path}: the journal changed while it was being read; open it again")
            changed = contents.valid_bytes != contents.size
            if changed:
                os.ftruncate(fd, contents.valid_bytes)
            if _last_byte(path, contents.valid_bytes) != b"\n":  # a whole last line, unterminated
                _write_all(fd, b"\n")
                changed = True
            if changed:
                os.fsync(fd)
        except OSError as exc:
            file.close()
            raise JournalError(f"{path}: cannot append: {exc.strerror or exc}") from None
        except JournalError:
            file.close()
            raise
        return cls(path, file, list(contents.lines), contents.chain)

    def append(self, entry: dict[str, Any]) -> None:
        """Write one entry as a line and make it durable before returning.

        Raises:
            JournalWriteError: the line could not be written. The file is cut back to its last
                whole line; the line is kept in `lines`, and `move_to` writes it elsewhere.
        """
        if self.failure is not None:
            raise self.failure
        line, chain = encode(entry, self.chain)
        self.lines.append(line)
        self.chain = chain
        try:
            _write_all(self._file.fileno(), line)  # ValueError once closed
            os.fsync(self._file.fileno())
        except (OSError, ValueError) as exc:
            error = exc if isinstance(exc, OSError) else OSError(9, "the journal file is closed")
            self.failure = JournalWriteError(self.path, error)
            with contextlib.suppress(OSError, ValueError):
                os.ftruncate(self._file.fileno(), self.durable)
            raise self.failure from None
        self.durable += len(line)

    def move_to(self, path: str | os.PathLike) -> Journal:
        """Copy every line, written or not, to a new file and go on there; this one is closed.

        The copy comes from memory, never from the file, which a failed write may have damaged.
        The old file stays as it was: a journal that resumes to the last command it holds.
        """
        journal = self._write_new(Path(path), list(self.lines), self.chain)
        self.close()
        return journal

    def close(self) -> None:
        """Close the file (every line taken without a failure is already on disk)."""
        self._file.close()


def encode(entry: dict[str, Any], previous: str) -> tuple[bytes, str]:
    """One journal line for `entry` (ending in its chain value and a newline), and that chain value."""
    body = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    chain = chain_of(previous, body)
    return body[:-1] + f',"chain":"{chain}"}}\n'.encode(), chain


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _open_append(path: Path) -> io.FileIO:
    """The journal open for appending, unbuffered (a closed or killed console's file closes itself)."""
    try:
        file = io.FileIO(path, "a")
    except OSError as exc:
        raise JournalError(f"{path}: cannot append: {exc.strerror or exc}") from None
    _lock(path, file)
    return file


def _lock(path: Path, file: io.FileIO) -> None:
    """Hold the journal for this console alone, so two consoles never interleave their lines.

    An advisory lock (flock) held as long as the file is open; the operating system releases it
    when the process ends, however it ends. Where flock does not exist (Windows), no lock.
    """
    if sys.platform == "win32":  # pragma: no cover
        return
    import fcntl

    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        file.close()
        raise JournalError(f"{path}: another console has this journal open; close it first (one "
                           "console per journal)") from None


def _last_byte(path: Path, size: int) -> bytes:
    if not size:
        return b"\n"
    with path.open("rb") as raw:
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
