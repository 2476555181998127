"""Scenario files: the shipped scenarios mutated, validated, and run when they validate.

Case *n* takes one shipped scenario and applies one mutation (a quarter of cases: two or
three), either on the text (truncation, duplicated keys, YAML tags, raw control bytes, deep
nesting, aliases, other encodings) or on the parsed tree (deleted keys, swapped types,
extreme numbers, markup in strings, huge values, unknown ids, protocols and posture levels
that change a field's type, uncertain parameters on odd paths). `validate` must exit 0 or 2
with located messages; a file that validates must then `run` under every protocol.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path as FilePath
from typing import Any

from ttxsim.sim import load_scenario

from . import mutate as m
from .cases import Case
from .check import TRACEBACK, Failure, Outcome, invoke

ROOT = FilePath(__file__).resolve().parents[2]
BASES = [
    ("scenarios/theatre.yaml", 3),
    ("scenarios/concert_hall.yaml", 2),
    ("scenarios/verification/door_flow.yaml", 1),
    ("scenarios/verification/rimea_01_corridor.yaml", 1),
    ("scenarios/verification/rimea_09_four_exits.yaml", 1),
    ("scenarios/verification/rimea_12_bottleneck.yaml", 1),
    ("scenarios/verification/sfpe_single_room.yaml", 1),
]
"""The shipped scenarios and how often each is drawn (the small ones run fastest)."""

REFERENCE_KEYS = {
    "zone",
    "zones",
    "between",
    "entrance",
    "ids",
    "stages",
    "to",
    "from",
    "on",
    "id",
    "opening",
    "agency",
    "channel",
    "warning",
    "path",
    "default",
    "objective",
    "target",
}
"""Keys whose values name something else in the file."""

YAML_TAGS = (
    "!!bool maybe",
    "!!timestamp notadate",
    "!!int 0xZZ",
    "!!float abc",
    "!!binary '$$$'",
    "!!python/object:os.system {}",
    "!!python/object/apply:os.system ['true']",
    "!!python/name:os.system",
    "!!python/tuple [1, 2]",
    "!!set {a, b}",
    "!!omap [{a: 1}, {b: 2}]",
    "!!pairs [[a, 1]]",
    "!!null notnull",
    "!!str",
    "!!map [1, 2]",
    "!!seq {a: 1}",
    "!custom value",
    "!<tag:x,2000:y> 1",
    "*undefined_anchor",
    "&a [1, *a]",
    "@reserved",
    "`backtick",
    "%percent",
    "|\n bad",
    ">-",
    "{a: 1, a: 2}",
    "[1, 2",
    "{<<: [1, 2]}",
    "2024-13-45T99:99:99",
    "0o777",
    "1_000",
    "1e400",
    "-.inf",
    ".NaN",
    "0x7fffffffffffffffffff",
    "~",
    "yes",
    "off",
    "=1+1",
)
"""Values that only a YAML tag, anchor or odd spelling can give."""

RAW = (
    "\x00",
    "\x07",
    "\x1b[2J",
    "\x85",
    "\u2028",
    "\ufeff",
    "\t",
    "\r",
    "\x7f",
    "\ud800",
    "\udcff",
    "\x0c",
    '"',
    "'",
    "{",
    "[",
    "&",
    "*",
    "!",
    "|",
    ">",
    "%",
    "@",
    "#",
    ": ",
)
"""Single characters (raw, not escaped) inserted at a random offset."""


@cache
def base_text(name: str) -> str:
    """A shipped scenario's text."""
    return (ROOT / name).read_text(encoding="utf-8")


def make_case(number: int) -> Case:
    """Scenario case `number`: a mutated shipped scenario."""
    rng = random.Random(f"scenario:{number}")
    base = rng.choices([b for b, _ in BASES], [w for _, w in BASES])[0]
    state = _State(base_text(base))
    steps = 1 if rng.random() < 0.75 else rng.randint(2, 3)
    names, notes = [], []
    for _ in range(steps):
        ops = TEXT_OPS if state.text_broken or rng.random() < 0.35 else TREE_OPS
        op = rng.choice(ops)
        note = op(rng, state)
        if note is None:  # the operator found nothing to work on: truncation always can
            op = _truncate
            note = op(rng, state)
        names.append(op.__name__.strip("_"))
        notes.append(note)
    content = state.encode()
    description = f"{base}: " + "; ".join(notes)
    return Case("scenario", number, "+".join(names), description, {f"scenario-{number:04d}.yaml": content})


def check(case: Case, directory: FilePath) -> Outcome:
    """`validate` the case's file; if it is valid, `run` it under every protocol (seed 0)."""
    outcome = Outcome()
    path = str(directory / next(iter(case.files)))
    ran = invoke(outcome, ["validate", path])
    if ran is None or ran.status != 0 or outcome.failures:
        return outcome
    try:
        protocols = load_scenario(path).protocol_names
    except Exception as exc:  # validate said ok: the library must agree
        outcome.failures.append(
            Failure(
                TRACEBACK,
                f"ttxsim validate {path} (then load_scenario)",
                f"{type(exc).__name__}: {exc}"[:200],
            )
        )
        return outcome
    for protocol in protocols:
        invoke(outcome, ["run", path, "--seed", "0", *(["-p", protocol] if protocol != "baseline" else [])])
    return outcome


class _State:
    """The scenario being mutated: its text, and how it will be encoded."""

    def __init__(self, text: str):
        self.text = text
        self.encoding = "utf-8"
        self.text_broken = False
        """The text no longer parses as YAML (tree mutations cannot apply)."""

    def tree(self) -> Any:
        try:
            data = m.load_yaml(self.text)
        except Exception:
            self.text_broken = True
            return None
        return data if isinstance(data, dict) else None

    def encode(self) -> bytes:
        if self.encoding == "utf-8":
            return self.text.encode("utf-8", "surrogatepass")
        if self.encoding == "utf-16":
            return self.text.encode("utf-16", "surrogatepass")
        return self.text.encode(self.encoding, "replace")


# -- text operators ------------------------------------------------------------------------------

_KEY_LINE = re.compile(r"^(\s*(?:- )?[\w.-]+:)[ ]+([^\s#|>{\[&*!].*?)\s*$", re.MULTILINE)


def _truncate(rng: random.Random, state: _State) -> str:
    state.text, note = m.truncate(rng, state.text)
    state.text_broken = True
    return note


def _duplicate_line(rng: random.Random, state: _State) -> str | None:
    lines = state.text.split("\n")
    keyed = [i for i, line in enumerate(lines) if re.match(r"\s*(- )?[\w.-]+:", line)]
    if not keyed:
        return None
    i = rng.choice(keyed)
    lines.insert(i + 1, lines[i].replace("- ", "  ", 1) if rng.random() < 0.7 else lines[i])
    state.text = "\n".join(lines)
    state.text_broken = True
    return f"line {i + 1} duplicated (a duplicate key)"


def _delete_line(rng: random.Random, state: _State) -> str | None:
    lines = state.text.split("\n")
    i = rng.randrange(len(lines))
    del lines[i]
    state.text = "\n".join(lines)
    state.text_broken = True
    return f"line {i + 1} deleted"


def _yaml_tag(rng: random.Random, state: _State) -> str | None:
    matches = list(_KEY_LINE.finditer(state.text))
    if not matches:
        return None
    match = rng.choice(matches)
    tag = rng.choice(YAML_TAGS)
    state.text = state.text[: match.start(2)] + tag + state.text[match.end(2) :]
    state.text_broken = True
    line = state.text.count("\n", 0, match.start()) + 1
    return f"value on line {line} replaced by {tag!r}"


def _raw_character(rng: random.Random, state: _State) -> str:
    piece = rng.choice(RAW)
    state.text, at = m.insert_raw(rng, state.text, piece)
    state.text_broken = True
    return f"{piece!r} inserted at offset {at}"


def _indent(rng: random.Random, state: _State) -> str:
    lines = state.text.split("\n")
    i = rng.randrange(len(lines))
    shift = rng.choice(["", " ", "   ", "\t", "        "])
    lines[i] = shift + lines[i].lstrip() if rng.random() < 0.5 else shift + lines[i]
    state.text = "\n".join(lines)
    state.text_broken = True
    return f"line {i + 1} re-indented with {shift!r}"


def _deep_nesting(rng: random.Random, state: _State) -> str:
    depth = rng.choice([50, 1000, 20_000, 200_000])
    style = rng.choice(["flow list", "flow map", "block"])
    if style == "flow list":
        value = "[" * depth + "]" * depth
    elif style == "flow map":
        value = "{a: " * depth + "1" + "}" * depth
    else:
        depth = min(depth, 3000)
        value = "".join("\n" + "  " * (i + 1) + "a:" for i in range(depth)) + " 1"
    key = rng.choice(["sources", "nested"])
    state.text = re.sub(r"^meta:\n", f"meta:\n  {key}: {value}\n", state.text, count=1, flags=re.MULTILINE)
    state.text_broken = True
    return f"meta.{key}: {style} nested {depth} deep"


def _aliases(rng: random.Random, state: _State) -> str:
    kind = rng.choice(["laughs", "undefined", "merge", "recursive"])
    if kind == "laughs":
        levels = ["  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        levels += [f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 9)]
        block = "\n".join(levels)
        state.text = re.sub(
            r"^meta:\n",
            "meta:\n  laughs:\n" + block.replace("  l", "    l") + "\n",
            state.text,
            count=1,
            flags=re.MULTILINE,
        )
    elif kind == "undefined":
        state.text = re.sub(r"^meta:\n", "meta:\n  horizon_s: *nowhere\n", state.text, count=1, flags=re.M)
    elif kind == "merge":
        state.text = re.sub(r"^meta:\n", "meta:\n  <<: [1, 2]\n", state.text, count=1, flags=re.M)
    else:
        state.text = re.sub(r"^meta:\n", "meta: &self\n  me: *self\n", state.text, count=1, flags=re.M)
    state.text_broken = True
    return f"YAML aliases: {kind}"


def _document_markers(rng: random.Random, state: _State) -> str:
    lines = state.text.split("\n")
    i = rng.randrange(len(lines))
    marker = rng.choice(["---", "...", "--- !!map", "%YAML 1.1\n---", "%TAG ! tag:x,2000:\n---"])
    lines.insert(i, marker)
    state.text = "\n".join(lines)
    state.text_broken = True
    return f"{marker!r} inserted before line {i + 1}"


def _encoding(rng: random.Random, state: _State) -> str:
    choice = rng.choice(["utf-16", "cp1252", "latin-1", "bom", "crlf", "cr", "bom twice"])
    if choice in ("utf-16", "cp1252", "latin-1"):
        state.encoding = choice
    elif choice == "bom":
        state.text = "\ufeff" + state.text
    elif choice == "bom twice":
        state.text = "\ufeff\ufeff" + state.text
    elif choice == "crlf":
        state.text = state.text.replace("\n", "\r\n")
    else:
        state.text = state.text.replace("\n", "\r")
    state.text_broken = True
    return f"encoded as {choice}"


TEXT_OPS: list[Callable[[random.Random, _State], str | None]] = [
    _truncate,
    _truncate,
    _duplicate_line,
    _delete_line,
    _yaml_tag,
    _yaml_tag,
    _raw_character,
    _indent,
    _deep_nesting,
    _aliases,
    _document_markers,
    _encoding,
]


# -- tree operators ------------------------------------------------------------------------------


def _tree_op(function: Callable[[random.Random, dict], str | None]):
    """A tree operator: parse the text, mutate the tree, write the text back."""

    def op(rng: random.Random, state: _State) -> str | None:
        data = state.tree()
        if data is None:
            return None
        note = function(rng, data)
        if note is not None:
            state.text = m.dump_yaml(data)
        return note

    op.__name__ = function.__name__
    return op


def _leaves(data: dict, test: Callable[[Any], bool], *, skip: tuple[str, ...] = ()) -> list[m.Path]:
    return [p for p, v in m.walk(data) if test(v) and not (p and p[0] in skip)]


@_tree_op
def _delete_key(rng: random.Random, data: dict) -> str | None:
    path = m.pick(rng, [p for p, _ in m.walk(data) if isinstance(p[-1], str)])
    if path is None:
        return None
    m.delete_at(data, path)
    return f"{m.describe(path)} deleted"


@_tree_op
def _swap_type(rng: random.Random, data: dict) -> str | None:
    path = m.pick(rng, [p for p, _ in m.walk(data)])
    if path is None:
        return None
    old = m.get(data, path)
    new = m.other_type(rng, old)
    m.set_at(data, path, new)
    return f"{m.describe(path)}: {m.show(old)} → {m.show(new)}"


@_tree_op
def _extreme_number(rng: random.Random, data: dict) -> str | None:
    path = m.pick(rng, _leaves(data, m.is_number))
    if path is None:
        return None
    value = rng.choice(m.EXTREME_NUMBERS)
    m.set_at(data, path, value)
    return f"{m.describe(path)} = {m.show(value)}"


@_tree_op
def _markup(rng: random.Random, data: dict) -> str | None:
    path = m.pick(rng, _leaves(data, lambda v: isinstance(v, str)))
    if path is None:
        return None
    piece = rng.choice(m.MARKUP)
    old = m.get(data, path)
    new = rng.choice([piece, old + piece, piece + old, old[: len(old) // 2] + piece + old[len(old) // 2 :]])
    m.set_at(data, path, new)
    return f"{m.describe(path)} = {m.show(new)}"


@_tree_op
def _huge_value(rng: random.Random, data: dict) -> str | None:
    path = m.pick(rng, [p for p, v in m.walk(data) if not isinstance(v, dict | list)])
    if path is None:
        return None
    size = rng.choice([100_000, 1_000_000, 3_000_000])
    m.set_at(data, path, "ab" * (size // 2))
    return f"{m.describe(path)} = a {size:,}-character string"


@_tree_op
def _huge_list(rng: random.Random, data: dict) -> str | None:
    path = m.pick(rng, [p for p, v in m.walk(data) if isinstance(v, list) and v])
    if path is None:
        return None
    items = m.get(data, path)
    times = rng.choice([2, 50, 3000])
    m.set_at(data, path, (items * times)[:60_000])
    return f"{m.describe(path)}: its {len(items)} items repeated {times} times"


@_tree_op
def _unknown_reference(rng: random.Random, data: dict) -> str | None:
    def is_reference(p: m.Path) -> bool:
        named = [part for part in p if isinstance(part, str)]
        return bool(named) and named[-1] in REFERENCE_KEYS

    path = m.pick(rng, [p for p, v in m.walk(data) if isinstance(v, str) and is_reference(p)])
    if path is None:
        return None
    old = m.get(data, path)
    ids = sorted({v for p, v in m.walk(data) if p[-1] == "id" and isinstance(v, str)})
    new = rng.choice(
        [
            "no_such_id",
            old + "x",
            old[:-1],
            "outside",
            "",
            old.upper(),
            rng.choice(ids) if ids else "x",
            "a" * 65,
            "[b]x",
        ]
    )
    m.set_at(data, path, new)
    return f"{m.describe(path)}: {old!r} → {new!r}"


def _override_for(data: dict, path: m.Path, value: Any) -> dict:
    """An override that sets `path` to `value`, keyed by id through lists (as protocols merge)."""
    out: Any = value
    for end in range(len(path), 0, -1):
        part = path[end - 1]
        if isinstance(part, int):
            item = m.get(data, path[:end])
            if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(out, dict):
                out = [{"id": item["id"], **out}]
            else:
                out = [out]
        else:
            out = {part: out}
    return out


def _changed_value(rng: random.Random, old: Any) -> Any:
    if m.is_number(old):
        return rng.choice(
            [
                {"dist": "normal", "mean": old, "sd": abs(old) / 10 + 1},
                {"dist": "uniform", "low": 1, "high": 0},
                {"dist": "constant", "value": float("nan")},
                [old],
                str(old),
                None,
                True,
                {"dist": "nope"},
                {"dist": "lognormal", "median": -1, "sigma": 0.5},
                {"dist": "triangular", "low": 5, "mode": 1, "high": 2},
            ]
        )
    return m.other_type(rng, old)


_BASELINE_SECTIONS = ("meta", "venue", "population", "response", "incident", "intel", "exercise")


@_tree_op
def _protocol_type_change(rng: random.Random, data: dict) -> str | None:
    path = m.pick(rng, [p for p, v in m.walk(data) if p[0] in _BASELINE_SECTIONS and not isinstance(v, dict)])
    if path is None:
        return None
    old = m.get(data, path)
    new = _changed_value(rng, old)
    protocols = data.get("protocols") if isinstance(data.get("protocols"), dict) else {}
    data["protocols"] = protocols
    name = rng.choice([*(k for k in protocols if k != "baseline"), "fuzz_protocol"])
    if not isinstance(protocols.get(name), dict):
        protocols[name] = {}
    protocols[name].update(_override_for(data, path, new))
    return f"protocol {name} sets {m.describe(path)}: {m.show(old)} → {m.show(new)}"


@_tree_op
def _posture_type_change(rng: random.Random, data: dict) -> str | None:
    path = m.pick(rng, [p for p, v in m.walk(data) if p[0] in _BASELINE_SECTIONS and not isinstance(v, dict)])
    if path is None:
        return None
    old = m.get(data, path)
    new = _changed_value(rng, old)
    levels = data.get("posture_levels")
    if not isinstance(levels, list) or not levels:
        levels = data["posture_levels"] = [{"level": 0, "name": "normal"}, {"level": 1, "name": "fuzzed"}]
    level = rng.choice([x for x in levels if isinstance(x, dict)] or [{}])
    if not isinstance(level.get("overrides"), dict):
        level["overrides"] = {}
    level["overrides"].update(_override_for(data, path, new))
    return f"posture level {level.get('level')} sets {m.describe(path)}: {m.show(old)} → {m.show(new)}"


@_tree_op
def _degenerate_distribution(rng: random.Random, data: dict) -> str | None:
    path = m.pick(rng, _leaves(data, m.is_number, skip=("uncertain",)))
    if path is None:
        return None
    value = rng.choice(
        [
            {"dist": "uniform", "low": 5, "high": 1},
            {"dist": "normal", "mean": 0, "sd": 0},
            {"dist": "normal", "mean": 1e308, "sd": 1e308},
            {"dist": "lognormal", "median": 0, "sigma": 1},
            {"dist": "lognormal", "median": 1e300, "sigma": 50},
            {"dist": "triangular", "low": 0, "mode": 9, "high": 1},
            {"dist": "exponential", "mean": 0},
            {"dist": "exponential", "mean": float("inf")},
            {"dist": "constant", "value": float("nan")},
            {"dist": "uniform", "low": -1e308, "high": 1e308},
            {"dist": "normal", "mean": 1, "sd": 1, "min": 5, "max": 2},
            {"dist": "constant"},
            {"dist": "constant", "value": 1, "extra": 2},
            {"dist": ["uniform"]},
            {"dist": None},
        ]
    )
    m.set_at(data, path, value)
    return f"{m.describe(path)} = {value}"


@_tree_op
def _empty_container(rng: random.Random, data: dict) -> str | None:
    path = m.pick(rng, [p for p, v in m.walk(data) if isinstance(v, dict | list)])
    if path is None:
        return None
    old = m.get(data, path)
    new = rng.choice([[], {}, None])
    m.set_at(data, path, new)
    return f"{m.describe(path)}: {type(old).__name__} emptied to {new!r}"


@_tree_op
def _duplicate_id(rng: random.Random, data: dict) -> str | None:
    path = m.pick(
        rng,
        [
            p
            for p, v in m.walk(data)
            if isinstance(v, dict) and isinstance(v.get("id"), str) and isinstance(p[-1], int)
        ],
    )
    if path is None:
        return None
    items = m.get(data, path[:-1])
    items.insert(path[-1] + 1, dict(items[path[-1]]))
    return f"{m.describe(path)} duplicated (a duplicate id)"


@_tree_op
def _uncertain_path(rng: random.Random, data: dict) -> str | None:
    candidates = [p for p, _ in m.walk(data) if p[0] in _BASELINE_SECTIONS]
    path = m.pick(rng, candidates)
    if path is None:
        return None
    text = ""
    for end, part in enumerate(path, start=1):
        if isinstance(part, int):
            item = m.get(data, path[:end])
            ident = item.get("id") if isinstance(item, dict) else None
            text += f"[{ident}]" if isinstance(ident, str) and rng.random() < 0.7 else f"[{part}]"
        else:
            text += f".{part}" if text else part
    text = rng.choice([text, text, text + ".nope", text.replace("[", "[x"), text + "[", "." + text])
    low, high = rng.choice(
        [(0.1, 0.2), (5, 1), (float("nan"), 1), (-1e308, 1e308), (0, 0), (1, float("inf"))]
    )
    entry = {"name": f"fuzz_{len(text)}", "path": text, "low": low, "high": high}
    uncertain = data.get("uncertain")
    if isinstance(uncertain, list):
        uncertain.append(entry)
    else:
        data["uncertain"] = [entry]
    return f"uncertain parameter on {text!r} from {low} to {high}"


TREE_OPS: list[Callable[[random.Random, _State], str | None]] = [
    _delete_key,
    _delete_key,
    _swap_type,
    _swap_type,
    _swap_type,
    _extreme_number,
    _extreme_number,
    _markup,
    _markup,
    _huge_value,
    _huge_list,
    _unknown_reference,
    _unknown_reference,
    _protocol_type_change,
    _protocol_type_change,
    _posture_type_change,
    _posture_type_change,
    _degenerate_distribution,
    _empty_container,
    _duplicate_id,
    _uncertain_path,
]
