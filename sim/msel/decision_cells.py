"""A decision in MSEL cells: its options as `id: label` lines, their actions as readable lines.

A trainer edits decisions in the spreadsheet, so each part has a cell a person can read:

- Options: one option a line, `evacuate: Evacuate the hall now`.
- Option Actions: one action a line, the option's id first, then the action and its
  arguments as `key=value`: `open_all: open_openings ids=ex_1,ex_2`, `escalate: raise_posture
  level=2`, `hold: cancel_event`. An option with several actions has several lines; one with
  none has none. A list is written with commas (`ids=ex_1,ex_2`; one item, `ids=ex_1`, is a
  list where the action takes one); a number as a number.

Whatever a bare word cannot carry (spaces, quotes, commas in a value, an empty list, a
label with a line break or surrounding spaces) is written as JSON (`"..."`, `[...]`,
`{...}`), which reads back exactly; so is an action that is not a mapping of simple words.
Reading is lenient where it costs nothing: bullets before a line and spaces around it.
"""

from __future__ import annotations

import functools
import json
import re
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["CellError", "read_option_actions", "read_options", "write_option_actions", "write_options"]

_BULLET = re.compile(r"^\s*[-•*·▪‣◦]\s+")
_OPTION_LINE = re.compile(r"(?P<id>[^\s:]+)\s*:\s*(?P<rest>.*)", re.S)
_KEY = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*")
_BARE = re.compile(r"[^\s,\"\[\]{}=]+")
_BREAKS = "\r\n\x85\u2028\u2029"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_WORDS = {"true": True, "false": False, "null": None}


class CellError(ValueError):
    """A line of a decision cell that cannot be read: `line` is its 1-based line in the cell."""

    def __init__(self, message: str, line: int, option: int | None = None):
        super().__init__(message)
        self.line = line
        self.option = option
        """The option (by position) the line belongs to, when known: where the problem is reported."""


def write_options(options: Sequence[Mapping[str, Any]]) -> str:
    """`id: label` lines; a label that a line cannot carry as it is is written as JSON."""
    return "\n".join(f"{o['id']}: {_label_text(str(o['label']))}" for o in options)


def read_options(cell: str) -> list[dict[str, str]]:
    """The options of an Options cell, `[{"id": ..., "label": ...}]`, in order.

    Raises:
        CellError: For a line that is not `id: label`.
    """
    options: list[dict[str, str]] = []
    for number, line in _lines(cell):
        match = _OPTION_LINE.fullmatch(line)
        if match is None or not match["rest"].strip():
            raise CellError(f"line {number} of the cell, {_quote(line)}, is not `id: label` (one option a "
                            "line, e.g. `evacuate: Evacuate the hall`)", number, len(options))
        options.append({"id": match["id"], "label": _read_label(match["rest"].strip())})
    return options


def write_option_actions(options: Sequence[Mapping[str, Any]]) -> str:
    """`option: action key=value ...` lines, one per action, options in order."""
    return "\n".join(f"{o['id']}: {_action_text(action)}" for o in options for action in o.get("actions", ()))


def read_option_actions(cell: str, option_ids: Sequence[str]) -> dict[str, list[Any]]:
    """Option id → its actions, from an Option Actions cell; options without lines have none.

    Raises:
        CellError: For a line that names no option of `option_ids`, or whose action cannot be read.
    """
    actions: dict[str, list[Any]] = {}
    for number, line in _lines(cell):
        match = _OPTION_LINE.fullmatch(line)
        if match is None or match["id"] not in option_ids:
            known = ", ".join(option_ids) or "none: fill in Options first"
            raise CellError(f"line {number} of the cell, {_quote(line)}, does not start with an option id "
                            f"and `:` (options: {known})", number)
        option = list(option_ids).index(match["id"])
        try:
            action = _read_action(match["rest"].strip())
        except ValueError as exc:
            raise CellError(f"line {number} of the cell: {exc}", number, option) from None
        actions.setdefault(match["id"], []).append(action)
    return actions


def _lines(cell: str) -> list[tuple[int, str]]:
    """Non-blank lines of a cell, numbered from 1, without bullets or surrounding spaces."""
    return [(n, _BULLET.sub("", line).strip()) for n, line in enumerate(cell.split("\n"), 1) if line.strip()]


def _quote(line: str) -> str:
    return repr(line) if len(line) <= 60 else repr(line[:50]) + "..."


def _label_text(label: str) -> str:
    plain = label == label.strip() and label and not label.startswith('"') and not any(
        c in label for c in _BREAKS)
    bulleted = _BULLET.match(label) is not None
    return label if plain and not bulleted else _json(label)


def _read_label(text: str) -> str:
    if text.startswith('"'):
        try:
            value = json.loads(text)
        except ValueError:
            return text
        if isinstance(value, str):
            return value
    return text


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- actions --------------------------------------------------------------------------------

def _action_text(action: Any) -> str:
    """`open_openings ids=ex_1,ex_2`; JSON for an action that words cannot carry."""
    if not (isinstance(action, Mapping) and isinstance(name := action.get("action"), str)
            and _BARE.fullmatch(name) and not name.startswith(("{", '"'))
            and all(isinstance(k, str) and _KEY.fullmatch(k + "=") for k in action)):
        return _json(action)
    words = [name]
    for key, value in action.items():
        if key != "action":
            if (text := _value_text(name, key, value)) is None:
                return _json(action)
            words.append(f"{key}={text}")
    return " ".join(words)


def _value_text(action: str, key: str, value: Any) -> str | None:
    """The value as a bare word or list, else as JSON; None if neither reads back as it is."""
    kind = _field_kind(action, key)
    if isinstance(value, list) and value and all(isinstance(v, str) and _BARE.fullmatch(v) for v in value) \
            and (len(value) > 1 or kind == "list") and _read_value(action, key, ",".join(value)) == value:
        return ",".join(value)
    text = _scalar_text(value)
    if not isinstance(value, list | dict) and _BARE.fullmatch(text) and not text.startswith("'") \
            and _same(_read_value(action, key, text), value):
        return text
    text = _json(value)
    return text if text.startswith(('"', "[", "{")) else None


def _same(a: Any, b: Any) -> bool:
    """Equal and of one type (`1` is not `True`, nor `1.0`)."""
    return type(a) is type(b) and a == b


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return str(value) if isinstance(value, str) else repr(value)


def _read_action(text: str) -> dict[str, Any] | Any:
    """An action from `name key=value ...`, or from JSON."""
    if text.startswith(("{", "[", '"')):
        try:
            return json.loads(text)
        except ValueError as exc:
            raise ValueError(f"invalid JSON action ({exc})") from None
    name, _, rest = text.partition(" ")
    if not name:
        raise ValueError("no action; write e.g. `open_openings ids=ex_1,ex_2`")
    action: dict[str, Any] = {"action": name}
    decoder = json.JSONDecoder()
    pos, rest = 0, rest.strip()
    while pos < len(rest):
        match = _KEY.match(rest, pos)
        if match is None:
            word = rest[pos:].split()[0]
            raise ValueError(f"{_quote(word)} is not `key=value` (e.g. `ids=ex_1,ex_2`, `level=2`)")
        key, pos = match["key"], match.end()
        if pos < len(rest) and rest[pos] in '"[{':
            try:
                action[key], pos = decoder.raw_decode(rest, pos)
            except ValueError as exc:
                raise ValueError(f"invalid JSON value of {key} ({exc})") from None
        else:
            end = len(rest) if (space := re.search(r"\s", rest[pos:])) is None else pos + space.start()
            if end == pos:
                raise ValueError(f"{key}= has no value")
            action[key] = _read_value(name, key, rest[pos:end])
            pos = end
        if pos < len(rest) and not rest[pos].isspace():
            raise ValueError(f"{key}: a space must follow the value")
        while pos < len(rest) and rest[pos].isspace():
            pos += 1
    return action


def _read_value(action: str, key: str, text: str) -> Any:
    """A bare value: a list at commas, typed as the action's field is (a word, number or list)."""
    kind = _field_kind(action, key)
    if text == "null":
        return None
    parts = [p.strip() for p in text.split(",")] if "," in text or kind == "list" else [text]
    if kind == "list":
        return [p for p in parts if p]
    values = [p if kind == "text" else _typed(p) for p in parts if p]
    return values if len(parts) > 1 else values[0] if values else ""


def _typed(word: str) -> Any:
    if word in _WORDS:
        return _WORDS[word]
    if _NUMBER.fullmatch(word):
        number = float(word)
        return int(word) if re.fullmatch(r"-?\d+", word) else number
    return word


def _field_kind(action: str, key: str) -> str | None:
    """"list", "text" or "number" for a field of a known action (sim/actions.py); None otherwise."""
    return _field_kinds().get(action, {}).get(key)


@functools.cache
def _field_kinds() -> dict[str, dict[str, str]]:
    """Action → field → kind, from the actions' own schema (which arguments are lists)."""
    from .. import actions

    kinds: dict[str, dict[str, str]] = {}
    for model in typing.get_args(typing.get_args(actions.Action)[0]):
        name = typing.get_args(model.model_fields["action"].annotation)[0]
        kinds[name] = {key: _kind(field.annotation) for key, field in model.model_fields.items()
                       if key != "action"}
    return kinds


def _kind(annotation: Any) -> str:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) is list:
        return "list"
    return "number" if annotation in (int, float) else "text"
