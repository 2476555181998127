"""Reading an exercise journal back: the one reader and checker behind `--resume` and `report --journal`.

Both commands must agree on which journals they accept, so both go through `read_journal`,
which refuses anything it cannot vouch for with the file and the line number: a line that is
not JSON, a header or command whose fields have the wrong types, a line whose chain value says
it was changed after it was written. A journal is never modified by reading it.

Edit detection: from format version 2 on, every line ends with `"chain"`, the SHA-256 of the
previous line's chain value followed by the line's own text without that field, so changing any
byte of a line breaks the chain at that line. Version 1 journals (before the chain) are read as
before, with a note that an edit is found only if it no longer replays.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["FORMAT", "VERSION", "JournalContents", "JournalError", "chain_of", "read_journal"]

FORMAT = "ttxsim-exercise-journal"
"""The header's `format` value: what marks a file as an exercise journal."""

VERSION = 2
"""The journal format's version; a journal from a newer version is refused, not guessed at.

1: one line per command and one per consequence (record), no chain. 2: a command and its
consequences on one line (`recs`), every line chained."""

UNCHAINED_NOTE = ("this journal was written by a ttxsim from before edit detection (format 1): a "
                  "line changed by hand is found only if the session no longer replays")
"""Said when a version 1 journal is read: still readable, since real exercise records predate it."""

_CHAINED = re.compile(rb'^(\{.*),"chain":"([0-9a-f]{64})"\}$', re.DOTALL)


class JournalError(Exception):
    """A journal that cannot be used: the message says which file, which line and why."""


@dataclass
class JournalContents:
    """What a journal file holds, checked."""

    header: dict[str, Any]
    entries: list[dict[str, Any]] = field(default_factory=list)
    """Every line after the header, in order (without their chain values)."""
    numbers: list[int] = field(default_factory=list)
    """The line number of each entry, for messages."""
    lines: list[bytes] = field(default_factory=list)
    """Every complete line as written (header included, each ending in a newline)."""
    chain: str = ""
    """The chain value after the last complete line: what the next line continues from."""
    notes: list[str] = field(default_factory=list)
    """Things the reader should know that do not stop the journal being used."""
    torn_tail: bool = False
    """The last line was cut off mid-write (a crash); it is ignored."""
    valid_bytes: int = 0
    """Length of the file up to the end of the last complete line."""
    size: int = 0
    """Length of the file as read."""

    @property
    def version(self) -> int:
        """The format version the journal was started with."""
        return self.header["version"]


def chain_of(previous: str, body: bytes) -> str:
    """The chain value of a line whose text without its chain is `body`."""
    return hashlib.sha256(previous.encode("ascii") + body).hexdigest()


def read_journal(path: str | os.PathLike) -> JournalContents:
    """Read and check a journal; raise JournalError naming the file and line of any problem."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise JournalError(f"{path}: no such journal") from None
    except OSError as exc:
        raise JournalError(f"{path}: cannot read: {exc.strerror or exc}") from None
    raw_lines = data.split(b"\n")
    complete, tail = raw_lines[:-1], raw_lines[-1]
    if tail.strip() and _is_whole(tail):  # complete but unterminated: keep it, end it on resume
        complete, tail = [*complete, tail], b""
    if not complete:
        if tail.strip():
            raise JournalError(f"{path}:1: the header line is incomplete; this journal holds nothing "
                               "to resume")
        raise JournalError(f"{path}: empty file, not an exercise journal")
    reader = _Reader(path)
    for number, raw in enumerate(complete, start=1):
        reader.take(number, raw)
    contents = reader.contents
    assert contents is not None
    contents.size = len(data)
    contents.valid_bytes = min(len(data), sum(len(line) for line in contents.lines))
    contents.torn_tail = bool(tail.strip())
    return contents


def _is_whole(raw: bytes) -> bool:
    try:
        return isinstance(json.loads(raw), dict)
    except (ValueError, RecursionError):
        return False


class _Reader:
    """Checks the lines one at a time, carrying the chain along."""

    def __init__(self, path: Path):
        self.path = path
        self.contents: JournalContents | None = None
        self.chain = ""
        self.chained = False

    def fail(self, number: int, message: str) -> JournalError:
        return JournalError(f"{self.path}:{number}: {message}")

    def take(self, number: int, raw: bytes) -> None:
        entry = self._decode(number, raw)
        self._check_chain(number, raw, entry)
        if self.contents is None:
            self.contents = JournalContents(header=_check_header(self, entry))
            if entry["version"] < 2:
                self.contents.notes.append(UNCHAINED_NOTE)
        else:
            _check_entry(self, number, entry)
            self.contents.entries.append(entry)
            self.contents.numbers.append(number)
        self.contents.lines.append(raw + b"\n")
        self.contents.chain = self.chain

    def _decode(self, number: int, raw: bytes) -> dict[str, Any]:
        try:
            entry = json.loads(raw)
        except (ValueError, RecursionError) as exc:  # RecursionError: absurdly nested brackets
            raise self.fail(number, f"not a JSON line ({exc}); the journal is damaged") from None
        if not isinstance(entry, dict):
            raise self.fail(number, f"expected a JSON object, found {type(entry).__name__}")
        return entry

    def _check_chain(self, number: int, raw: bytes, entry: dict[str, Any]) -> None:
        version = entry.get("version") if self.contents is None else self.contents.version
        must = (isinstance(version, int) and version >= 2) or self.chained
        match = _CHAINED.match(raw)
        if match is None:
            if "chain" in entry or must:
                raise self.fail(number, "this line has lost its chain value: it was edited by hand or "
                                "damaged (the first edited line)")
            self.chain = chain_of(self.chain, raw)  # format 1: chained over, checked from the first chain
            return
        body = match.group(1) + b"}"
        expected = chain_of(self.chain, body)
        if match.group(2).decode() != expected:
            raise self.fail(number, "this line was changed after it was written (its chain value does "
                            "not match): the journal was edited by hand or damaged, and this is the "
                            "first edited line")
        entry.pop("chain")
        self.chain, self.chained = expected, True


def _check_header(reader: _Reader, header: dict[str, Any]) -> dict[str, Any]:
    if header.get("format") != FORMAT:
        raise reader.fail(1, f"not a ttxsim exercise journal (no '{FORMAT}' header)")
    version = header.get("version")
    if type(version) is not int or not 1 <= version <= VERSION:
        raise reader.fail(1, f"journal version {version!r}; this ttxsim reads versions 1 to {VERSION}")
    for key, kind in (("scenario_text", str), ("scenario_sha256", str), ("protocol", str), ("seed", int)):
        if type(header.get(key)) is not kind:
            raise reader.fail(1, f"header.{key}: missing or not a {kind.__name__}")
    if header["seed"] < 0:
        raise reader.fail(1, f"header.seed: {header['seed']} is negative; a seed is 0 or more")
    for key in ("scenario_path", "started", "ttxsim"):
        if header.get(key) is not None and not isinstance(header[key], str):
            raise reader.fail(1, f"header.{key}: not a string")
    digest = hashlib.sha256(header["scenario_text"].encode()).hexdigest()
    if digest != header["scenario_sha256"]:
        raise reader.fail(1, "the scenario text does not match its sha256: it was edited; the journal "
                          "is damaged")
    return header


_STR, _OPT_STR, _NUM, _BOOL, _DICT, _LIST = "a string", "a string or null", "a number", "true or false", \
    "an object", "a list"

_COMMANDS: dict[str, dict[str, str]] = {
    "advance": {"to": _NUM},
    "choose": {"inject": _STR, "option": _STR},
    "apply": {"action": _DICT},
    "deliver": {"inject": _STR},
    "undo": {"inject": _STR, "option": _STR},
    "note": {"text": _STR},
    "rate": {"objective": _STR, "capability": _STR, "rating": _STR},
    "mark": {"inject": _STR, "expected": _NUM, "mark": _STR},
    "observe": {"capability": _STR, "kind": _STR, "observation": _STR},
    "corrective": {"capability": _STR, "issue": _STR, "action": _STR},
    "end": {},
}
"""Each command's required fields and their types."""

_OPTIONAL = {"t": _NUM, "reached": _NUM, "stop_at_injects": _BOOL, "wall": _OPT_STR, "inject": _OPT_STR,
             "option": _OPT_STR, "how": _OPT_STR, "analysis": _OPT_STR, "recommendation": _OPT_STR,
             "objective": _OPT_STR, "element": _OPT_STR, "organisation": _OPT_STR, "poc": _OPT_STR,
             "start": _OPT_STR, "completion": _OPT_STR, "recs": _LIST}
"""Fields that may be absent; when present, they have these types."""


def _check_entry(reader: _Reader, number: int, entry: dict[str, Any]) -> None:
    kind = entry.get("cmd")
    if kind is None:
        if not isinstance(entry.get("rec"), str):
            raise reader.fail(number, "neither a command (`cmd`) nor a record (`rec`)")
        _check_fields(reader, number, entry, {})
        return
    if kind not in _COMMANDS:
        raise reader.fail(number, f"unknown command {kind!r}")
    _check_fields(reader, number, entry, _COMMANDS[kind])
    for record in entry.get("recs", ()):
        if not isinstance(record, dict) or not isinstance(record.get("rec"), str):
            raise reader.fail(number, "recs: each consequence is an object with a `rec`")
        _check_fields(reader, number, record, {})


def _check_fields(reader: _Reader, number: int, entry: dict[str, Any], required: dict[str, str]) -> None:
    what = entry.get("cmd") or entry.get("rec")
    for name in required:
        if name not in entry:
            raise reader.fail(number, f"{what}: `{name}` is missing")
    for name, value in entry.items():
        kind = required.get(name) or _OPTIONAL.get(name)
        if kind is not None and not _is(value, kind):
            raise reader.fail(number, f"{what}: `{name}` is {json.dumps(value)[:40]}, not {kind}")


def _is(value: Any, kind: str) -> bool:
    if kind == _NUM:
        return type(value) in (int, float) and math.isfinite(value)
    return {_STR: type(value) is str, _OPT_STR: value is None or type(value) is str,
            _BOOL: type(value) is bool, _DICT: type(value) is dict, _LIST: type(value) is list}[kind]
