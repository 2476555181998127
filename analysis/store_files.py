"""How a results store's files are opened, and what goes wrong with them, in one sentence each.

A store is `S.sqlite` and, while a batch writes or after one was killed, `S.sqlite-wal` and
`S.sqlite-shm` beside it: the runs not yet folded into the main file live in the `-wal`.

- Readers (compare, plot, report) open a store so that nothing is ever written: with
  SQLite's `mode=ro` when a `-wal` is there (its runs must be read, and a batch may be
  writing), else `immutable=1`, which creates no `-wal` or `-shm` either, so a store on a
  read-only disk or in a read-only folder reads as well as any other. (`mode=ro` alone
  would create both files beside a store that has none, and leave them.)
- Every opening runs `PRAGMA quick_check` first, so a truncated or page-corrupted file is
  refused with a message before anything is read from it or appended to it: a damaged
  store must never be taken for an empty one, and a resumed batch must not write into it.
- SQLite's errors become one of the exceptions below, each naming the file and saying what
  is wrong, so that every command can report them in one line: damage and an unusable path
  are the user's to fix (bad input), a full disk or an I/O error is the machine's.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

__all__ = [
    "READ_ERRORS",
    "StoreDamaged",
    "StoreError",
    "StoreFailed",
    "StoreMismatch",
    "StoreUnavailable",
    "caller_error",
    "check_whole",
    "connect_for_writing",
    "connect_read_only",
    "translate",
]


class StoreError(Exception):
    """A results store that cannot be used as asked; the message names the file and why."""


class StoreMismatch(StoreError):
    """The store cannot take this batch: another scenario or seed, an unknown layout, not a store."""


class StoreDamaged(StoreMismatch):
    """The file is not an SQLite database, or is truncated or corrupted: nothing was changed."""


class StoreUnavailable(StoreError):
    """The store cannot be opened or written there: a folder, a missing folder, no permission."""


class StoreFailed(StoreError):
    """The machine failed the store (a full disk, an I/O error); what was stored is kept."""


_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_FORMAT, sqlite3.SQLITE_ERROR}
"""Codes that say the file is not what it should be; SQLITE_ERROR is one since ttxsim's own
queries are fixed: "no such column" means the schema was damaged or is not a store's."""
_UNAVAILABLE = {sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH}


READ_ERRORS = (sqlite3.Error, UnicodeDecodeError)
"""What reading a damaged file can raise: SQLite's errors, and text (a value, or SQLite's own
message quoting the damaged schema) that is not UTF-8."""


def caller_error(exc: BaseException) -> bool:
    """Whether `exc` is a mistake of the calling code (a value SQLite cannot bind), not the file's."""
    return (isinstance(exc, sqlite3.ProgrammingError | sqlite3.InterfaceError)
            and getattr(exc, "sqlite_errorcode", None) is None)


def translate(exc: BaseException, path: str | Path) -> StoreError:
    """The store problem that an SQLite error (one of READ_ERRORS) stands for, naming `path`."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    said = " ".join(str(exc).split())  # SQLite may quote a damaged schema, newlines and all
    if primary == sqlite3.SQLITE_NOTADB:
        return StoreDamaged(f"{path} is not a ttxsim results store ({said}: not SQLite, or its first "
                            "page is damaged); nothing was changed")
    if primary is None or primary in _DAMAGED:  # no code: text or a value SQLite holds is unreadable
        reason = "text in it is not UTF-8" if isinstance(exc, UnicodeDecodeError) else said
        return StoreDamaged(f"{path}: the results store is damaged ({reason}); nothing was changed: "
                            "restore it from a copy, or use another --store")
    if primary == sqlite3.SQLITE_FULL:
        return StoreFailed(f"disk full: {path}: the runs stored so far are kept; free some space "
                           "and run the same command again")
    if primary in _UNAVAILABLE:
        return StoreUnavailable(f"{path}: cannot use the results store here ({said})")
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreFailed(f"{path}: the results store stayed locked by another process ({said}); "
                           "try again when it is done")
    return StoreFailed(f"{path}: the results store could not be read or written ({said})")


def _uri(path: Path, option: str) -> str:
    return f"file:{quote(str(path.absolute()))}?{option}"


def _usable(path: Path, *, must_exist: bool) -> None:
    """Refuse a path SQLite would fail on with a vaguer message."""
    if path.is_dir():
        raise StoreUnavailable(f"{path}: is a folder, not a results store; name a file")
    if not path.exists():
        if must_exist:
            raise StoreUnavailable(f"{path}: no such results store (run `ttxsim batch FILE --store "
                                   f"{path}` first)")
        parent = path.absolute().parent
        if not parent.is_dir():
            raise StoreUnavailable(f"{path}: cannot create the results store: no folder {parent}")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise StoreUnavailable(f"{path}: cannot create the results store: the folder {parent} "
                                   "is not writable")
    elif not must_exist and not os.access(path, os.R_OK | os.W_OK):
        raise StoreUnavailable(f"{path}: cannot write the results store: it is read-only here")
    elif must_exist and not os.access(path, os.R_OK):
        raise StoreUnavailable(f"{path}: cannot read the results store: permission denied")


def check_whole(conn: sqlite3.Connection, path: str | Path) -> None:
    """Raise StoreDamaged unless SQLite's quick check finds the file whole.

    `quick_check` reads every page and checks the b-trees' structure (not the indexes'
    contents): linear in the file's size, a fraction of a second for a large batch.
    """
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
    except READ_ERRORS as exc:
        raise translate(exc, path) from None
    if problems != ["ok"]:
        found = "; ".join(line.strip() for text in problems for line in text.splitlines()
                          if line.strip() and not line.startswith("***"))  # one line, whatever SQLite says
        raise StoreDamaged(f"{path}: the results store is damaged ({found}); nothing was changed: "
                           "restore it from a copy, or use another --store")


def connect_read_only(path: str | Path) -> sqlite3.Connection:
    """A connection that can only read `path`, creating no file beside it; checked whole.

    Raises:
        StoreUnavailable: No such file, a folder, or no permission to read it.
        StoreDamaged: Not an SQLite file, truncated or corrupted.
    """
    path = Path(path)
    _usable(path, must_exist=True)
    wal = path.with_name(path.name + "-wal")
    # With a -wal, a batch is writing or was killed: its runs are in there, and mode=ro reads
    # them (its -shm exists too). Without one, every run is in the main file and immutable=1
    # reads it creating nothing, even where the folder is read-only.
    option = "mode=ro" if wal.exists() else "immutable=1"
    try:
        conn = sqlite3.connect(_uri(path, option), uri=True, timeout=30.0)
    except READ_ERRORS as exc:
        raise translate(exc, path) from None
    try:
        check_whole(conn, path)
    except StoreError:
        conn.close()
        raise
    return conn


def connect_for_writing(path: str | Path) -> sqlite3.Connection:
    """A connection for a batch to append to `path` (created if new), refusing a damaged file.

    The check runs on a read-only connection first: a writing connection would fold a
    killed batch's `-wal` into the main file when it closes, and that must not happen to a
    damaged file.

    Raises:
        StoreUnavailable: A folder, a missing folder, or a read-only file or folder.
        StoreDamaged: Not an SQLite file, truncated or corrupted (and left as it was).
    """
    path = Path(path)
    _usable(path, must_exist=False)
    if path.exists():
        connect_read_only(path).close()
    try:
        conn = sqlite3.connect(path, timeout=30.0)
        conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable against a killed process (what resuming needs), not power loss.
        conn.execute("PRAGMA synchronous=NORMAL")
    except READ_ERRORS as exc:
        raise translate(exc, path) from None
    return conn
