"""Decisions files: valid lists of timed actions, mutated, then `ttxsim run --decisions F`.

The bases are valid decisions for three shipped scenarios, one item of every action each
scenario takes. A case mutates one base on the tree (deleted keys, swapped types, extreme or
odd times, unknown actions and ids, markup, huge values, a root that is no list) or on its
text, written as YAML or JSON (truncation, tags, raw characters, encodings). The run must
exit 0, or 2 with located messages.
"""

from __future__ import annotations

import json
import random
from typing import Any

from . import mutate as m
from .cases import Case
from .check import Outcome, invoke
from .scenarios import ROOT

BASES: dict[str, list[dict[str, Any]]] = {
    "scenarios/theatre.yaml": [
        {"t": "T-2d", "action": "raise_posture", "level": 1},
        {"t": "T-1d", "action": "forward_warning", "to": "venue"},
        {"t": 30, "action": "order_evacuation"},
        {"t": 60, "action": "open_openings", "ids": ["ex_stalls_e", "bar_street"]},
        {"t": "T+00:02:00", "action": "announce", "quality": "clear"},
        {"t": 90, "action": "dispatch", "unit": "fire_service"},
        {"t": 120, "action": "order_shelter", "zones": ["dressing_rooms"]},
        {"t": 200, "action": "lock_openings", "ids": ["pass_door"]},
        {"t": 240, "action": "order_evacuation", "zones": ["stalls", "circle"]},
    ],
    "scenarios/concert_hall.yaml": [
        {"t": "T-3d", "action": "raise_posture", "level": 2},
        {"t": -7200, "action": "forward_warning", "to": "venue_security"},
        {"t": 45, "action": "announce", "quality": "poor"},
        {"t": 90, "action": "open_openings", "ids": ["ex_stalls_w2"]},
        {"t": "T+00:03:00", "action": "dispatch", "unit": "police"},
        {"t": 200, "action": "order_evacuation", "zones": ["hall_stalls"]},
    ],
    "scenarios/verification/door_flow.yaml": [
        {"t": 0, "action": "order_evacuation"},
        {"t": 10, "action": "lock_openings", "ids": ["door"]},
        {"t": 20, "action": "open_openings", "ids": ["door"]},
        {"t": "T+30s", "action": "announce"},
    ],
}
"""Valid decisions for each scenario (checked by `test_fuzz.py`)."""

TIMES: tuple[Any, ...] = (
    "T+",
    "T-",
    "T+-5",
    "T++1",
    "T-99999d",
    "T+1e400",
    "T+00:60:00",
    "T+25:00:00",
    "T+1d 25:61",
    "T+00:00:00.0000000000000001",
    "Day 0",
    "T+5x",
    " 90 ",
    "90s",
    "1,5",
    "1e309",
    "-1e309",
    "nan",
    ".nan",
    "inf",
    "T+inf",
    "T+nanh",
    "T+9999999999999999999999h",
    "T−3d",
    "T+1:2:3:4",
    "t+01:00",
    "T+ 1:00",
    "T+\u0661\u0662:00",
    "T+\x00",
    "",
    "T" * 1000,
    "9" * 5000,
    3601,
    -1,
    -31_536_001,
    1e308,
    -1e308,
    float("nan"),
    float("inf"),
    True,
    None,
    [],
    {},
    m.HUGE_INT,
    2**70,
)
"""Times a decisions file might hold, right and wrong."""

ACTION_NAMES = (
    "order_evacuation",
    "order_shelter",
    "open_openings",
    "lock_openings",
    "announce",
    "dispatch",
    "raise_posture",
    "forward_warning",
    "cancel_event",
)


def make_case(number: int) -> Case:
    """Decisions case `number`: a mutated valid decisions list."""
    rng = random.Random(f"decisions:{number}")
    scenario = rng.choice(list(BASES))
    data: Any = json.loads(json.dumps(BASES[scenario]))
    as_json = rng.random() < 0.3
    names, notes = [], []
    for _ in range(1 if rng.random() < 0.75 else rng.randint(2, 3)):
        op = rng.choice(TREE_OPS)
        note = op(rng, data)
        if isinstance(note, tuple):  # the root itself was replaced
            data, note = note
        names.append(op.__name__.strip("_"))
        notes.append(note)
    text = json.dumps(data, indent=1, allow_nan=True) if as_json else m.dump_yaml(data)
    text = text.replace(f'"{m.HUGE_INT}"', "9" * 5000)
    encoding = "utf-8"
    if rng.random() < 0.3:
        op_name, text, note, encoding = _text_op(rng, text)
        names.append(op_name)
        notes.append(note)
    suffix = ".json" if as_json else ".yaml"
    files = {
        f"decisions-{number:04d}{suffix}": text.encode(encoding, "surrogatepass")
        if encoding.startswith("utf")
        else text.encode(encoding, "replace")
    }
    return Case(
        "decisions",
        number,
        "+".join(names),
        f"{scenario} ({suffix[1:]}): " + "; ".join(notes),
        files,
        (scenario,),
    )


def check(case: Case, directory) -> Outcome:
    """`ttxsim run SCENARIO --decisions F --seed 0 --json` exits 0, or 2 with located messages."""
    outcome = Outcome()
    path = str(directory / next(iter(case.files)))
    invoke(outcome, ["run", str(ROOT / case.options[0]), "--decisions", path, "--seed", "0", "--json"])
    return outcome


# -- tree operators ------------------------------------------------------------------------------


def _items(data: Any) -> list[dict]:
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def _paths(data: Any) -> list[m.Path]:
    return [p for p, _ in m.walk(data)] if isinstance(data, dict | list) else []


def _delete_key(rng: random.Random, data: Any) -> str:
    path = m.pick(rng, [p for p in _paths(data) if isinstance(p[-1], str)])
    if path is None:
        return "nothing to delete"
    m.delete_at(data, path)
    return f"{m.describe(path)} deleted"


def _swap_type(rng: random.Random, data: Any) -> str:
    path = m.pick(rng, _paths(data))
    if path is None:
        return "nothing to swap"
    old = m.get(data, path)
    new = m.other_type(rng, old)
    m.set_at(data, path, new)
    return f"{m.describe(path)}: {m.show(old)} → {m.show(new)}"


def _odd_time(rng: random.Random, data: Any) -> str:
    item = m.pick(rng, _items(data))
    if item is None:
        return "no item"
    item["t"] = rng.choice(TIMES)
    return f"t = {m.show(item['t'])}"


def _extreme_number(rng: random.Random, data: Any) -> str:
    item = m.pick(rng, _items(data))
    if item is None:
        return "no item"
    key = rng.choice(["t", "level", "t"])
    item[key] = rng.choice(m.EXTREME_NUMBERS)
    return f"{key} = {m.show(item[key])}"


def _unknown_action(rng: random.Random, data: Any) -> str:
    item = m.pick(rng, _items(data))
    if item is None:
        return "no item"
    old = item.get("action", "")
    item["action"] = rng.choice(
        [
            "open_opening",
            "evacuate",
            "",
            "ORDER_EVACUATION",
            "order_evacuation ",
            rng.choice(ACTION_NAMES),
            str(old) + "\x00",
            "[b]announce",
            7,
            None,
        ]
    )
    return f"action {m.show(old)} → {m.show(item['action'])}"


def _unknown_ids(rng: random.Random, data: Any) -> str:
    item = m.pick(rng, _items(data))
    if item is None:
        return "no item"
    key = rng.choice(["ids", "zones", "to", "unit", "quality"])
    value = rng.choice(
        [
            ["no_such_door"],
            ["outside"],
            [""],
            ["x" * 100],
            [],
            ["door", "door"],
            "no_such",
            ["[@click=app.quit]"],
            [None],
            "fire",
            "loud",
            [1, 2],
        ]
    )
    item[key] = value
    return f"{key} = {m.show(value)}"


def _extra_field(rng: random.Random, data: Any) -> str:
    item = m.pick(rng, _items(data))
    if item is None:
        return "no item"
    key = rng.choice(["idz", "zone", "level", "extra", "T", "", "t ", "\x1b[31m"])
    item[key] = rng.choice([1, "x", None, [1]])
    return f"extra field {key!r}"


def _markup(rng: random.Random, data: Any) -> str:
    path = m.pick(rng, [p for p in _paths(data) if isinstance(m.get(data, p), str)])
    if path is None:
        return "no string"
    value = m.get(data, path) + rng.choice(m.MARKUP)
    m.set_at(data, path, value)
    return f"{m.describe(path)} = {m.show(value)}"


def _huge(rng: random.Random, data: Any) -> str:
    item = m.pick(rng, _items(data))
    if item is None:
        return "no item"
    key = rng.choice(["ids", "zones", "action", "t", "to"])
    size = rng.choice([10_000, 1_000_000])
    item[key] = ["ab" * (size // 2)] if key in ("ids", "zones") else "ab" * (size // 2)
    return f"{key}: a {size:,}-character string"


def _many_items(rng: random.Random, data: Any) -> str:
    if not isinstance(data, list) or not data:
        return "no list"
    times = rng.choice([10, 100, 1000])
    data[:] = (data * times)[:50_000]
    return f"the items repeated {times} times"


def _root(rng: random.Random, data: Any) -> tuple[Any, str]:
    new = rng.choice([{}, {"decisions": data}, "text", 1, None, [], [[]], [None], [data], True])
    return new, f"root replaced by {m.show(new)}"


TREE_OPS = [
    _delete_key,
    _swap_type,
    _odd_time,
    _odd_time,
    _odd_time,
    _extreme_number,
    _unknown_action,
    _unknown_ids,
    _unknown_ids,
    _extra_field,
    _markup,
    _huge,
    _many_items,
    _root,
]


def _text_op(rng: random.Random, text: str) -> tuple[str, str, str, str]:
    choice = rng.choice(["truncate", "tag", "raw", "encoding", "nesting", "empty"])
    if choice == "truncate":
        text, note = m.truncate(rng, text)
        return "truncate", text, note, "utf-8"
    if choice == "tag":
        tag = rng.choice(
            [
                "!!python/object/apply:os.system ['true']",
                "!!timestamp notadate",
                "!!bool maybe",
                "*nowhere",
                "!!binary '$$'",
                "!!set {a, b}",
            ]
        )
        return "yaml_tag", text.replace("action:", f"action: {tag}\n  x:", 1), f"tag {tag!r}", "utf-8"
    if choice == "raw":
        piece = rng.choice(["\x00", "\ud800", "\x1b", "\t", "\r", "{", "[", "\ufeff"])
        text, at = m.insert_raw(rng, text, piece)
        return "raw_character", text, f"{piece!r} at offset {at}", "utf-8"
    if choice == "encoding":
        encoding = rng.choice(["utf-16", "cp1252", "utf-32"])
        return "encoding", text + "\n# é ✓\n", f"encoded as {encoding}", encoding
    if choice == "nesting":
        depth = rng.choice([1000, 100_000])
        return "deep_nesting", "[" * depth + "]" * depth, f"nested {depth} deep", "utf-8"
    return (
        "empty",
        rng.choice(["", "---\n", "# nothing\n", "\ufeff", "null\n", "[]\n"]),
        "empty file",
        "utf-8",
    )
