"""Exercise journals: a short real session's journal, mutated, then reported and resumed.

The base is recorded with the session API on the theatre scenario (injects delivered, a
decision, a facilitator's action, a note, a rating, an observation, a corrective action,
steps past t = 0, the end), its wall-clock times fixed so every run records the same bytes.
A case mutates its lines (fields edited, deleted, nulled or of the wrong type; lines
reordered, doubled or replaced; the header's version, seed, protocol or scenario text
changed, with or without a matching sha256) or its bytes (truncation, NUL, invalid UTF-8,
deep nesting, huge lines). `ttxsim report --journal` must exit 0, or 2 naming the journal,
and never touch it; resuming (`open_session`, what `ttxsim exercise --resume` calls before
the console opens) must do the same, except that a resumed journal may only grow.
"""

from __future__ import annotations

import hashlib
import json
import random
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import click

from ttxsim.tui.cli_exercise import open_session
from ttxsim.tui.session import ExerciseSession

from . import mutate as m
from .cases import Case
from .check import FILE_CHANGED, Failure, Outcome, invoke
from .scenarios import ROOT, base_text

SCENARIO = "scenarios/theatre.yaml"
WALL = "2025-11-14T19:40:00+01:00"
"""The wall-clock time written into every line of the base journal."""


@cache
def base_lines() -> tuple[str, ...]:
    """The base journal's lines (JSON text, without line ends)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "base.jsonl"
        session = ExerciseSession.start(ROOT / SCENARIO, seed=1, journal_path=path)
        try:
            for _ in range(4):
                session.next_inject()
            session.choose("INJ-04", "standby")
            session.note("Partner call logged [b]late[/b]", "INJ-04")
            session.apply({"action": "open_openings", "ids": ["ex_stalls_e"]})
            session.run_to(0, stop_at_injects=False)
            session.step(90)
            session.rate("T-2", "Shelter management", "S")
            session.observe("Shelter management", "strength", "Dressing rooms locked in fast")
            session.add_corrective_action(capability="Shelter management", issue="Keys", action="Key safe")
            session.step(120)
            session.end()
        finally:
            session.close()
        lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        entry = json.loads(line)
        for key in ("wall", "started"):
            if key in entry:
                entry[key] = WALL
        if "scenario_path" in entry:  # as typed in the room, not where this checkout lives
            entry["scenario_path"] = SCENARIO
        out.append(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    return tuple(out)


def make_case(number: int) -> Case:
    """Journal case `number`: a mutated recorded journal."""
    rng = random.Random(f"journal:{number}")
    entries: list[Any] = [json.loads(line) for line in base_lines()]
    names, notes = [], []
    for _ in range(1 if rng.random() < 0.7 else rng.randint(2, 3)):
        op = rng.choice(ENTRY_OPS)
        notes.append(op(rng, entries))
        names.append(op.__name__.strip("_"))
    lines = [_dump(entry) for entry in entries]
    content = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    if rng.random() < 0.35:
        op = rng.choice(BYTE_OPS)
        content, note = op(rng, content)
        names.append(op.__name__.strip("_"))
        notes.append(note)
    files = {f"journal-{number:04d}.jsonl": content, "theatre.yaml": base_text(SCENARIO).encode("utf-8")}
    return Case("journal", number, "+".join(names), "; ".join(notes), files)


def _dump(entry: Any) -> str:
    if isinstance(entry, _Raw):
        return entry.text
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), allow_nan=True)
    return text.replace(f'"{m.HUGE_INT}"', "9" * 5000)


class _Raw:
    """A line written as it is, not as JSON."""

    def __init__(self, text: str):
        self.text = text


@click.command()
@click.argument("scenario")
@click.argument("journal")
def resume(scenario: str, journal: str) -> None:
    """Rebuild the session recorded in JOURNAL, as `ttxsim exercise --resume` does, without the console."""
    session = open_session(scenario, resume_path=journal)
    session.close()
    click.echo(f"resumed at {session.clock()}")


def check(case: Case, directory: Path) -> Outcome:
    """`report --journal` and resuming exit 0 or 2 (naming the journal) and leave the journal be."""
    outcome = Outcome()
    journal = directory / next(name for name in case.files if name.endswith(".jsonl"))
    scenario = directory / "theatre.yaml"
    before = journal.read_bytes()
    out = directory / "aar.html"
    ran = invoke(outcome, ["report", "--journal", str(journal), "--out", str(out), "--futures", "0"],
                 names=[str(journal)])  # the journal's handling is the point, not the futures
    shown = outcome.commands[-1]
    if journal.read_bytes() != before:
        outcome.failures.append(Failure(FILE_CHANGED, shown, "the journal was modified"))
        journal.write_bytes(before)
    if ran is not None and ran.status != 0 and out.exists():
        outcome.failures.append(
            Failure(FILE_CHANGED, shown, f"exit {ran.status}, yet the report was written")
        )
    ran = invoke(
        outcome,
        [str(scenario), str(journal)],
        names=[str(journal)],
        command=resume,
        name="ttxsim exercise --resume (open_session)",
    )
    shown = outcome.commands[-1]
    after = journal.read_bytes()
    if ran is not None and ran.status != 0 and after != before:
        outcome.failures.append(
            Failure(FILE_CHANGED, shown, f"exit {ran.status}, yet the journal was modified")
        )
    if ran is not None and ran.status == 0 and not after.startswith(before[: before.rfind(b"\n") + 1]):
        outcome.failures.append(Failure(FILE_CHANGED, shown, "resuming rewrote the journal's complete lines"))
    return outcome


# -- entry operators -----------------------------------------------------------------------------


def _line(rng: random.Random, entries: list[Any], *, header: bool | None = None) -> int:
    if header:
        return 0
    if header is False and len(entries) > 1:
        return rng.randrange(1, len(entries))
    return rng.randrange(len(entries)) if entries else 0


def _edit_field(rng: random.Random, entries: list[Any]) -> str:
    i = _line(rng, entries, header=rng.random() < 0.3)
    entry = entries[i] if entries else None
    if not isinstance(entry, dict) or not entry:
        return "nothing to edit"
    key = rng.choice(list(entry))
    old = entry[key]
    entry[key] = rng.choice(
        [
            m.other_type(rng, old),
            rng.choice(m.EXTREME_NUMBERS),
            None,
            rng.choice(m.MARKUP),
            "ab" * rng.choice([40, 500_000]),
        ]
    )
    return f"line {i + 1}: {key}: {m.show(old)} → {m.show(entry[key])}"


def _delete_field(rng: random.Random, entries: list[Any]) -> str:
    i = _line(rng, entries)
    entry = entries[i] if entries else None
    if not isinstance(entry, dict) or not entry:
        return "nothing to delete"
    key = rng.choice(list(entry))
    del entry[key]
    return f"line {i + 1}: {key} deleted"


def _header(rng: random.Random, entries: list[Any]) -> str:
    header = entries[0]
    choice = rng.choice(
        ["version", "format", "seed", "protocol", "broken text", "other text", "sha", "huge text", "path"]
    )
    if choice == "version":
        header["version"] = rng.choice([2, 0, -1, "1", None, True, 1.0, 1e308, m.HUGE_INT])
        return f"header version = {m.show(header['version'])}"
    if choice == "format":
        header["format"] = rng.choice(["", "ttxsim-exercise-journal ", None, 1, "[b]x"])
        return f"header format = {m.show(header['format'])}"
    if choice == "seed":
        header["seed"] = rng.choice([-1, 2**64, 1.5, "0", True, None, 10**30, m.HUGE_INT])
        return f"header seed = {m.show(header['seed'])}"
    if choice == "protocol":
        header["protocol"] = rng.choice(
            ["nope", "", "staged", "[@click=app.quit]", "shelter", "baseline\x00"]
        )
        return f"header protocol = {m.show(header['protocol'])}"
    if choice in ("broken text", "other text", "huge text"):
        text = header["scenario_text"]
        if choice == "broken text":
            text = rng.choice(
                [
                    text[: rng.randrange(len(text))],
                    text.replace("horizon_s: 3600", "horizon_s: -1"),
                    "",
                    "- a list\n",
                    text.replace("stalls", "stals", 1),
                    "!!python/name:os.system",
                ]
            )
        elif choice == "other text":
            text = text.replace("count: 900", "count: 901")
        else:
            text = text + "# " + "ab" * 1_000_000 + "\n"
        header["scenario_text"] = text
        if rng.random() < 0.8:
            header["scenario_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
            return f"header scenario text: {choice} (sha256 matching)"
        return f"header scenario text: {choice} (old sha256)"
    if choice == "sha":
        header["scenario_sha256"] = rng.choice(["", "0" * 64, 1, None, "ab" * 40])
        return f"header sha256 = {m.show(header['scenario_sha256'])}"
    header["scenario_path"] = rng.choice([None, 1, "", "/nonexistent/x.yaml", "[b]x", "ab" * 100_000])
    return f"header scenario_path = {m.show(header['scenario_path'])}"


def _command(rng: random.Random, entries: list[Any]) -> str:
    commands = [i for i, e in enumerate(entries) if isinstance(e, dict) and "cmd" in e]
    if not commands:
        return "no command"
    i = rng.choice(commands)
    entry = entries[i]
    choice = rng.choice(["cmd", "to", "inject", "option", "action", "reached", "text", "rating"])
    if choice == "cmd":
        entry["cmd"] = rng.choice(
            ["jump", "", None, 1, "ADVANCE", "advance", "choose", "apply", "end", "rate"]
        )
    elif choice == "to":
        entry["to"] = rng.choice(
            [float("nan"), float("inf"), -float("inf"), 1e308, -1e308, "60", None, -1, 10**30]
        )
        entry.setdefault("cmd", "advance")
    elif choice == "inject":
        entry["inject"] = rng.choice(["INJ-99", None, "", 1, ["INJ-01"], "INJ-04", "INJ-14"])
    elif choice == "option":
        entry["option"] = rng.choice(["nope", None, 1, "routine", ""])
    elif choice == "action":
        entry["cmd"] = "apply"
        entry["action"] = rng.choice(
            [
                {"action": "open_openings", "ids": ["no_door"]},
                {"action": "x"},
                None,
                "x",
                [],
                {"action": "raise_posture", "level": 99},
                {"action": "cancel_event"},
                {"action": "order_shelter", "zones": ["stalls"]},
                {},
            ]
        )
    elif choice == "reached":
        entry["reached"] = rng.choice([0, None, "x", float("nan"), 1e308])
    elif choice == "text":
        entry["cmd"] = "note"
        entry["text"] = rng.choice([None, 1, "", "ab" * 500_000, "[@click=app.quit]", {"a": 1}])
    else:
        entry["cmd"] = "rate"
        entry.update(
            rng.choice(
                [
                    {},
                    {"objective": "T-9", "capability": "x", "rating": "Z"},
                    {"objective": None, "capability": None, "rating": None},
                ]
            )
        )
    return f"line {i + 1}: {choice} changed: {m.show(entry)}"


def _lines(rng: random.Random, entries: list[Any]) -> str:
    choice = rng.choice(["delete", "duplicate", "swap", "replace", "header twice", "only header", "reverse"])
    i = _line(rng, entries, header=False)
    if choice == "delete":
        del entries[i]
        return f"line {i + 1} deleted"
    if choice == "duplicate":
        entries.insert(i, entries[i])
        return f"line {i + 1} doubled"
    if choice == "swap" and len(entries) > 2:
        j = _line(rng, entries, header=False)
        entries[i], entries[j] = entries[j], entries[i]
        return f"lines {i + 1} and {j + 1} swapped"
    if choice == "replace":
        entries[i] = _Raw(
            rng.choice(
                [
                    "null",
                    "[]",
                    "1",
                    '"text"',
                    "{}",
                    "NaN",
                    '{"cmd": NaN}',
                    "",
                    " ",
                    '{"cmd":"advance","to":1e999}',
                    '{"a":1,"a":2}',
                    "\x00",
                    '{"cmd"',
                    '{"cmd":"advance","to":' + "9" * 5000 + "}",
                ]
            )
        )
        return f"line {i + 1} replaced by {m.show(entries[i].text)}"
    if choice == "header twice":
        entries.insert(1, entries[0])
        return "the header doubled"
    if choice == "only header":
        del entries[1:]
        return "only the header"
    entries[1:] = entries[:0:-1]
    return "entries reversed"


ENTRY_OPS = [
    _edit_field,
    _edit_field,
    _delete_field,
    _header,
    _header,
    _command,
    _command,
    _command,
    _lines,
    _lines,
]


# -- byte operators -----------------------------------------------------------------------------


def _truncate(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(data) + 1)
    return data[:at], f"truncated at byte {at} of {len(data)}"


def _raw(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    piece = rng.choice(
        [b"\0", b"\xff\xfe", b"\xc3\x28", b"\xef\xbb\xbf", b"\r", b"\n", b"\n\n", b"{", b"\x1b[2J"]
    )
    at = rng.randrange(len(data) + 1)
    return data[:at] + piece + data[at:], f"{piece!r} inserted at byte {at}"


def _deep(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    depth = rng.choice([1000, 100_000, 1_000_000])
    line = b'{"cmd":"note","text":' + b"[" * depth + b"]" * depth + b"}"
    return data + line + b"\n", f"a line nested {depth:,} deep"


def _encoding(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    choice = rng.choice(["utf-16", "crlf", "bom"])
    if choice == "utf-16":
        return data.decode("utf-8", "surrogatepass").encode("utf-16", "surrogatepass"), "saved as UTF-16"
    if choice == "crlf":
        return data.replace(b"\n", b"\r\n"), "CRLF line ends"
    return b"\xef\xbb\xbf" + data, "a byte-order mark"


def _empty(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    new = rng.choice([b"", b"\n", b" ", b"\n\n{}\n", data.split(b"\n", 1)[0]])
    return new, f"file is {m.show(new)}"


BYTE_OPS = [_truncate, _truncate, _raw, _deep, _encoding, _empty]
