"""How the commands over stores and output files (batch, compare, plot, report, sensitivity) fail.

Every problem ends as one line on stderr naming the file and what is wrong, and an exit
status: 2 when the input is at fault (a damaged or mismatched store, a path that is a folder
or cannot be written: the user can fix it and run again), 1 when the machine is (a full disk,
an I/O error: nothing stored is lost, and the same command can be run again once it is
fixed). Never a traceback: a script or the fuzz suite sees a message and a status.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import click

from ttxsim.sim.commands import exit_invalid

from .store_files import StoreError, StoreFailed

__all__ = ["EXIT_ENVIRONMENT", "exit_environment", "output_file", "output_folder", "store_problems",
           "writing"]

EXIT_ENVIRONMENT = 1
"""Exit status when the machine failed the command (disk full, I/O error), not its input."""

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
"""A full disk, or a full quota: the same to the user."""

_UNWRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT, errno.ENOTDIR, errno.EISDIR,
               errno.EEXIST, errno.ENAMETOOLONG, errno.ELOOP}
"""Errors that say the path given is not one that can be written: the user's to change."""


def exit_environment(message: str) -> NoReturn:
    """Print `message` on stderr and exit with status 1 (the machine's fault, not the input's)."""
    click.echo(message, err=True)
    raise SystemExit(EXIT_ENVIRONMENT) from None


@contextlib.contextmanager
def store_problems() -> Iterator[None]:
    """Report a results store's problem raised inside as one line, and exit (2, or 1 for the machine)."""
    try:
        yield
    except StoreFailed as exc:
        exit_environment(str(exc))
    except StoreError as exc:
        exit_invalid(str(exc))


@contextlib.contextmanager
def writing(path: str | os.PathLike) -> Iterator[None]:
    """Report a failure to write the output `path` as one line, and exit.

    The writers replace files atomically (`ttxsim.sim.write_atomic`), so whatever stops them,
    the previous file, if any, is still whole; the message says so for a full disk.
    """
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.errno in _FULL:
            exit_environment(f"disk full: {path}: not written ({reason}); any previous version is kept")
        if exc.errno in _UNWRITABLE:
            exit_invalid(f"{path}: cannot write here: {reason}")
        exit_environment(f"{path}: cannot write: {reason}")


def output_folder(path: str | os.PathLike) -> Path:
    """The folder `path`, created if needed, or one line and an exit if it cannot be written.

    Checked before any work is done, so a typo in `--out` costs nothing.
    """
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        exit_invalid(f"{folder}: is a file, not a folder; name a folder for the output")
    with writing(folder):
        folder.mkdir(parents=True, exist_ok=True)
    if not os.access(folder, os.W_OK | os.X_OK):
        exit_invalid(f"{folder}: cannot write here: the folder is read-only")
    return folder


def output_file(path: str | os.PathLike) -> Path:
    """The file `path`, its folder created if needed, or one line and an exit if it cannot be.

    Checked before any work is done; the file itself is written later, atomically.
    """
    target = Path(path)
    if target.is_dir():
        exit_invalid(f"{target}: is a folder; name the output file")
    output_folder(target.parent if str(target.parent) else ".")
    return target
