"""Rebuilding a session from its journal: the one path `--resume` and `report --journal` share.

The journal's lines are checked by `journal_read` (types, chain); here its commands are executed
again on the same scenario text and seed, and what they bring about (each inject delivered,
each default applied) must come out as recorded. Any refusal names the journal's line, and
nothing that goes wrong while replaying a damaged journal escapes as a traceback: a command
the model rejects is a refusal like any other.
"""

from __future__ import annotations

import os
from typing import Any

from .clock import parse_wall
from .journal_read import JournalContents, JournalError, read_journal

__all__ = ["SessionError", "open_header", "read_checked", "replay_commands"]

CHECKED_RECORDS = ("delivered", "default", "skipped", "undone")
"""Records that replay must reproduce exactly (others, such as `resumed`, are informative)."""


class SessionError(Exception):
    """A command the session refuses, or a journal it cannot replay; the message is for the user."""


def read_checked(journal_path: str | os.PathLike) -> JournalContents:
    """The journal's contents, checked line by line; SessionError naming the line otherwise."""
    try:
        return read_journal(journal_path)
    except JournalError as exc:
        raise SessionError(str(exc)) from None


def open_header(cls, scenario, scenario_path, contents: JournalContents, journal_path):
    """A session of class `cls` on `scenario`, as the journal's header says, with its commands replayed."""
    header = contents.header
    try:
        session = cls(scenario, scenario_path=scenario_path, protocol=header["protocol"], seed=header["seed"])
    except SessionError as exc:
        raise SessionError(f"{journal_path}:1: {exc}") from None
    except Exception as exc:  # a damaged header is refused, never a traceback
        raise SessionError(f"{journal_path}:1: the header does not open a session ({exc})") from None
    replay_commands(session, contents.entries, contents.numbers, journal_path)
    session.started_wall = parse_wall(header.get("started")) or session.started_wall
    session.notices = list(contents.notes)
    return session


def replay_commands(session, entries: list[dict[str, Any]], numbers: list[int] | None, journal_path) -> None:
    """Execute the journal's commands on `session`; with a journal path, check their consequences.

    The recorded consequences are, in order, the `recs` on each command's line (format 2) and the
    record lines of format 1, which came before their command's line; the session must bring
    about the same sequence, and the first difference names its line.
    """
    numbers = numbers or list(range(2, len(entries) + 2))
    expected: list[tuple[int, dict[str, Any]]] = []
    produced: list[tuple[int, dict[str, Any]]] = []
    for number, entry in zip(numbers, entries, strict=True):
        if entry.get("rec") in CHECKED_RECORDS:
            expected.append((number, _key(entry)))
        if "cmd" not in entry:
            continue
        expected += [(number, _key(r)) for r in entry.get("recs", ()) if r.get("rec") in CHECKED_RECORDS]
        first = len(session.records)
        command = {key: value for key, value in entry.items() if key != "recs"}
        try:
            session._execute(command)
        except Exception as exc:  # a damaged journal: refused, never a traceback
            raise SessionError(f"{journal_path}:{number}: cannot replay this step ({exc}); was the journal "
                               "made by another ttxsim version, or edited?") from None
        session.commands.append(entry)
        produced += [(number, _key(r)) for r in session.records[first:]]
    if journal_path is None:
        return
    for index in range(max(len(expected), len(produced))):
        want = expected[index] if index < len(expected) else None
        got = produced[index] if index < len(produced) else None
        if want is None or got is None or not _same(want[1], got[1]):
            number = min(x[0] for x in (want, got) if x is not None)
            raise SessionError(f"{journal_path}:{number}: replaying the journal does not give the same "
                               "deliveries, defaults and undos as recorded here; it was made by another "
                               "version of ttxsim or edited by hand")


_KEYS = ("rec", "inject", "option", "how", "t")
_KEYS_SINCE_CONDITIONS = ("as", "text")
"""Kept by journals written since conditional injects: which text went out (checked when recorded)."""


def _key(record: dict[str, Any]) -> dict[str, Any]:
    return {k: record.get(k) for k in _KEYS} | {k: record[k] for k in _KEYS_SINCE_CONDITIONS if k in record}


def _same(want: dict[str, Any], got: dict[str, Any]) -> bool:
    """The consequence as recorded; what an older journal did not record is not compared."""
    return all(got.get(k) == v for k, v in want.items()) and all(got[k] == want.get(k) for k in _KEYS)
