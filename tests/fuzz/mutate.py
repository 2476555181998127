"""Mutations shared by every kind of input: on a parsed tree (mappings, lists, scalars) and on text.

Every function takes the case's `random.Random`, so a case number always draws the same
mutation. Tree paths are tuples of keys and indexes, as the scenario loader's are.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from typing import Any

import yaml

Path = tuple[str | int, ...]

HUGE_INT = "__FUZZ_HUGE_INT__"
"""Placeholder for an integer too long for Python's int-to-text limit; `dump_yaml` spells it out."""

EXTREME_NUMBERS: tuple[Any, ...] = (
    0,
    -1,
    -0.0,
    1e308,
    -1e308,
    1.7976931348623157e308,
    5e-324,
    math.nan,
    math.inf,
    -math.inf,
    2**63,
    -(2**63),
    2**64 + 1,
    10**30,
    -(10**30),
    1e-9,
    0.5,
    HUGE_INT,
)
"""Numbers at the edges: zero, negative, denormal, infinite, not-a-number, past 64 bits, 5,000 digits."""

MARKUP: tuple[str, ...] = (
    "[/b]",
    "[b]bold",
    "[@click=app.quit]quit[/]",
    "[link=file:///etc/passwd]x[/link]",
    "[red",
    "]",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\x00",
    "\x07",
    "\x08\x08\x08",
    "\r",
    "\n\n",
    "\t",
    "\u202eevil",
    "\u200b",
    "\ufeff",
    "\x85",
    "\u2028",
    "{0}",
    "%s%n",
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "'; DROP TABLE runs; --",
    "../../../etc/passwd",
    "ünïcödé ✓ 🔥",
    "\ud800",
    "",
    " ",
    "None",
    "null",
    "nan",
    "-1",
    "T+",
    "${HOME}",
)
"""Control characters, Rich/Textual markup, terminal escapes, formulas and other text that bites."""


def type_samples(rng: random.Random) -> list[Any]:
    """One value of each kind a YAML or JSON file can hold."""
    return [
        rng.choice([0, 1, -1, 3.5, 1e308]),
        rng.choice([{}, {"a": 1}, {"dist": "uniform", "low": 1, "high": 2}, {"dist": "nope"}, {"id": "x"}]),
        rng.choice([[], [1, "x"], [[]], [{}], ["outside"], [None]]),
        rng.choice(["", "text", "1.5", "T+00:01:00", "yes", "outside"]),
        rng.choice([True, False]),
        None,
    ]


def kind_of(value: Any) -> str:
    """The YAML kind of a value, for choosing another one."""
    if isinstance(value, bool) or value is None:
        return "flag"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def other_type(rng: random.Random, value: Any) -> Any:
    """A value of another kind than `value`."""
    choices = [v for v in type_samples(rng) if kind_of(v) != kind_of(value) or (v is None) != (value is None)]
    return rng.choice(choices)


def walk(data: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every (path, value) under `data`, parents before children (the root itself excluded)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*path, key), value
            yield from walk(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield (*path, i), value
            yield from walk(value, (*path, i))


def get(data: Any, path: Path) -> Any:
    """The value at `path`."""
    for part in path:
        data = data[part]
    return data


def set_at(data: Any, path: Path, value: Any) -> None:
    """Replace the value at `path`."""
    get(data, path[:-1])[path[-1]] = value


def delete_at(data: Any, path: Path) -> None:
    """Remove the key or item at `path`."""
    del get(data, path[:-1])[path[-1]]


def is_number(value: Any) -> bool:
    """A number, not a boolean."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def pick(rng: random.Random, items: list[Any]) -> Any:
    """One of `items`, or None if there are none."""
    return rng.choice(items) if items else None


def describe(path: Path) -> str:
    """`venue.openings[3].width_m`, as the loader prints paths."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(root)"


def show(value: Any, limit: int = 40) -> str:
    """A value for a case's description, cut short."""
    if isinstance(value, str) and len(value) > limit:
        return f"<{len(value):,}-char string>"
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


# -- YAML with keys kept as text ---------------------------------------------------------------


class TextKeyLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """The safe loader, with mapping keys kept as written (`on:` stays "on"), as ttxsim reads them."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    return {
        str(key.value) if isinstance(key, yaml.ScalarNode) else repr(key.value): loader.construct_object(
            value, deep=True
        )
        for key, value in node.value
    }


TextKeyLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)

_Dumper = yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper


def load_yaml(text: str) -> Any:
    """Parse YAML text as ttxsim does (safe, keys as text)."""
    return yaml.load(text, Loader=TextKeyLoader)


def dump_yaml(data: Any) -> str:
    """YAML text of `data`, with HUGE_INT spelt out as 5,000 digits.

    The C emitter cannot write a lone surrogate; the Python one escapes it (`"\\uD800"`).
    """
    try:
        text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    except UnicodeEncodeError:
        text = yaml.dump(data, Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True, width=100)
    return text.replace(HUGE_INT, "9" * 5000)


# -- text ------------------------------------------------------------------------------------


def truncate(rng: random.Random, text: str) -> tuple[str, str]:
    """Cut the text at a random offset."""
    at = rng.randrange(len(text)) if text else 0
    return text[:at], f"truncated at {at} of {len(text)}"


def insert_raw(rng: random.Random, text: str, piece: str) -> tuple[str, int]:
    """Insert `piece` at a random offset; return the text and the offset."""
    at = rng.randrange(len(text) + 1)
    return text[:at] + piece + text[at:], at
