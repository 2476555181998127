"""Whole-file writes that leave either the old file or the new one, never half of each.

Every file ttxsim replaces as a whole (an MSEL sheet, imported injects, a report, an AAR, a
figure) goes through here, so a full disk, a crash or a power cut while a controller saves
cannot cost them the previous version, and every writer has the same guarantees:

- the data goes to a temporary file `.<name>.<random>.tmp` in the target's own directory
  (the same file system, so the rename below is atomic);
- the temporary file is flushed and fsynced before it is renamed over the target with
  `os.replace`, so after a crash the name holds the complete new data or the old file;
- then the directory is fsynced, so the rename itself survives a power cut (best effort:
  where a directory cannot be opened or synced, as on Windows, this step is skipped);
- on any error (the rename, the fsync, a full disk, a `str` where bytes were expected) the
  temporary file is removed, the old file is untouched, and the error propagates;
- the new file gets the permissions a plain `open(path, "w")` would give it: an existing
  file keeps its mode, a new one gets 0o666 less the umask.

The temporary file is created with mode 0o666 and the kernel applies the umask, as for any
new file; the process umask is never read, because reading it means setting it, which is
not thread-safe (the console writes from worker threads).

Append-only files (the exercise journal) and SQLite stores keep their own durability and do
not use this module.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_output", "write_atomic"]

_ATTEMPTS = 100
"""Temporary names tried before giving up (a clash of 32 random bits is already unlikely)."""


def write_atomic(path: str | os.PathLike, data: str | bytes, *, encoding: str = "utf-8") -> None:
    """Replace `path` with `data` atomically and durably (see the module docstring).

    Args:
        path: The file to write; its directory must exist.
        data: Bytes, written as they are, or text, encoded with `encoding`. Line ends are
            written as given (no translation), so a CSV's CRLF stays CRLF on every system.
        encoding: The text encoding, e.g. `utf-8-sig` for a CSV that Excel should read as UTF-8.

    Raises:
        OSError: If the file cannot be written; the old file, if any, is unchanged.
        TypeError: If `data` is neither `str` nor bytes-like; nothing is changed.
        UnicodeEncodeError: If the text cannot be encoded; nothing is changed.
    """
    payload = data.encode(encoding) if isinstance(data, str) else data
    with atomic_output(path) as out:
        out.write(payload)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """A binary file to stream into; it replaces `path` only if the block ends without error.

    For writers that want a file object, such as matplotlib's `savefig(out, format="png")`.
    The guarantees are those of the module docstring; the file is closed on leaving the block.

    Raises:
        OSError: If the file cannot be written; the old file, if any, is unchanged.
    """
    target = Path(path)
    fd, temp = _create_temporary(target)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            _keep_mode(out.fileno(), target)
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_directory(target.parent)


def _create_temporary(target: Path) -> tuple[int, Path]:
    """A new, empty file beside `target`, opened for writing, with the umask applied by the kernel."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(_ATTEMPTS):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"{target}: no free temporary name after {_ATTEMPTS} attempts")


def _keep_mode(fd: int, target: Path) -> None:
    """Give the temporary file an existing target's permissions, as rewriting it in place would."""
    try:
        mode = target.stat().st_mode & 0o777  # not set-user-ID and the like
    except OSError:
        return  # a new file: 0o666 less the umask, from its creation
    with contextlib.suppress(OSError, AttributeError):  # no fchmod on Windows; some mounts refuse
        os.fchmod(fd, mode)


def _sync_directory(directory: Path) -> None:
    """Make the rename durable: fsync the directory that holds the new entry (POSIX)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # e.g. Windows, where a directory cannot be opened; the rename still happened
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the file itself is already synced
    finally:
        os.close(fd)
