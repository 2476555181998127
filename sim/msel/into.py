"""A scenario file's `injects:` replaced in place by imported ones, the rest of the file kept as written.

`ttxsim msel import SHEET --into scenario.yaml` must not cost the scenario's author the rest
of their file: its comments, its layout, its `>-` blocks. So the file is not re-dumped.
ruamel.yaml's round-trip parser says where the `injects:` section and each of its items
start; the text outside the section is kept byte for byte, and so is, inside it, every
inject that the sheet leaves unchanged (with the comments above it), and in a changed inject
every field that did not change. Only added injects and changed fields are written anew, by
the same writer as `msel import --out` (`dump_inject_items`), indented as the file's own
items are. Comment lines above an inject stay above it; those above a removed one move to
the next inject kept.

Where the section is not a block list of items (missing, empty, `[]`, flow style), it is
written whole: after the `injects:` key, or at the end of the file.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..scenario.injects import Inject
from .yaml_out import dump_inject_items

__all__ = ["replace_injects"]


@dataclass
class _Item:
    """One inject of the file: the comment lines above it, its lines, and its parsed mapping."""

    leading: list[str]
    start: int
    stop: int
    node: Any
    """ruamel.yaml's mapping of the item, which knows the line and column of each key."""
    offset: int
    """Lines of the file above the text that ruamel.yaml parsed (its line 0)."""


def replace_injects(text: str, old: Sequence[Inject], new: Sequence[Mapping[str, Any]]) -> str:
    """The scenario `text` with its injects (`old`, as validated from it) replaced by `new`.

    Args:
        text: The scenario file as read.
        old: Its injects, in file order (the section's items, validated).
        new: The injects to write (scenario file keys, as `import_msel` returns them).
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    section = _section(text, len(old))
    new_models = [Inject.model_validate(item) for item in new]
    if section is None:  # no injects: key at all
        tail = "" if not lines or lines[-1].endswith(("\n", "\r")) else newline
        return text + tail + "injects:" + newline + _written(new, 2, newline)
    key_line, end, items = section
    content_end = _content_end(lines, key_line + 1, end)
    trailing = lines[content_end:end]
    if items is None or not new:  # written whole under the key
        head = re.sub(r"^(injects\s*:).*?(\s*#.*)?$", r"\1\2", lines[key_line].rstrip("\r\n"))
        body = _written(new, 2, newline) if new else ""
        key = head if new else head.replace("injects:", "injects: []", 1)
        return "".join([*lines[:key_line], key + newline, body, *trailing, *lines[end:]])
    indent = items[0][1]
    blocks: dict[str, _Item] = {}
    previous_end = key_line + 1
    for i, (start, _, node, offset) in enumerate(items):
        stop = _content_end(lines, start + 1, items[i + 1][0] if i + 1 < len(items) else end)
        blocks[old[i].id] = _Item(lines[previous_end:start], start, stop, node, offset)
        previous_end = stop
    orphans = _keep_comments_of_removed(blocks, {model.id for model in new_models})
    old_by_id = {inject.id: inject for inject in old}
    out = list(lines[:key_line + 1])
    for item, model in zip(new, new_models, strict=True):
        kept = blocks.get(model.id)
        if kept is None:
            out.append(_written([item], indent, newline))
            continue
        out += kept.leading
        if old_by_id[model.id] == model:
            out += lines[kept.start:kept.stop]
            continue
        spliced = _splice(lines, (kept.start, kept.stop), kept.node, kept.offset, old_by_id[model.id], model,
                          item, newline)
        out += spliced if spliced is not None else [_written([item], indent, newline)]
    return "".join([*out, *orphans, *trailing, *lines[end:]])


def _keep_comments_of_removed(blocks: dict[str, _Item], kept: set[str]) -> list[str]:
    """Move the comments above each removed inject to the next one kept; return those left over.

    A `# Phase 1` heading outlives the inject under it.
    """
    pending: list[str] = []
    for ident, item in blocks.items():
        if ident in kept:
            item.leading, pending = pending + item.leading, []
        else:
            pending += [line for line in item.leading if line.strip()]
    return pending


def _splice(lines: list[str], span: tuple[int, int], node: Any, offset: int, old: BaseModel, new: BaseModel,
            data: Mapping[str, Any], newline: str) -> list[str] | None:
    """Lines [start, stop) of a mapping with its unchanged fields as written and the others anew.

    A changed decision or alternative is spliced the same way, so that a new default is one
    new line. None if the mapping is not one key a line, or has a key the schema has not (or
    the item's first key, after its `- `, changed): then it is written anew as a whole.
    """
    start, stop = span
    keys = _keys(node, offset)
    if keys is None or keys[0][1] < start:
        return None
    attributes = {(field.alias or name): name for name, field in type(new).model_fields.items()}
    column = keys[0][2]
    out = list(lines[start:keys[0][1]])  # a nested mapping's own key line (`decision:`)
    for k, (key, line, _) in enumerate(keys):
        block_end = keys[k + 1][1] if k + 1 < len(keys) else stop
        attribute = attributes.get(key)
        if attribute is None:
            return None
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before == after:
            out += lines[line:block_end]
            continue
        if k == 0 and line == start:
            return None  # the `- ` is on this line
        inner = None
        if isinstance(before, BaseModel) and isinstance(after, BaseModel) and key in data:
            inner = _splice(lines, (line, block_end), node[key], offset, before, after, data[key], newline)
        if inner is not None:
            out += inner
        elif key in data:
            out.append(_written_field(key, data[key], column, newline))
    for key, value in data.items():
        if key not in node:
            out.append(_written_field(key, value, column, newline))
    return out


def _keys(node: Any, offset: int) -> list[tuple[str, int, int]] | None:
    """Each key of a block mapping with its line (plus `offset`) and column, each on a later line."""
    if not hasattr(node, "lc") or not hasattr(node, "keys") or node.fa.flow_style():
        return None
    keys = [(str(k), node.lc.key(k)[0] + offset, node.lc.key(k)[1]) for k in node]
    if not keys or any(a[1] >= b[1] for a, b in itertools.pairwise(keys)):
        return None
    return keys


_ItemPlace = tuple[int, int, Any, int]
"""An item's first line, the column of its `- `, its mapping as ruamel.yaml parsed it, and the
line of the file that was the parsed text's first (0-based)."""


def _section(text: str, count: int) -> tuple[int, int, list[_ItemPlace] | None] | None:
    """(line of `injects:`, line after the section, each item's place or None), 0-based.

    None if the file has no `injects:` key; items None if the section is not a block list of
    `count` items that each start on their own `- ` line. Only the section is parsed when it
    can be told from the text (a top-level key at the start of a line, up to the next one):
    round-trip parsing is slow, about 0.6 s for the whole reference scenario.
    """
    from ruamel.yaml import YAML

    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if _TOP_KEY.match(line)), None)
    after = len(lines)
    if first is None:
        offset, document = 0, YAML(typ="rt").load(text)
    else:
        after = next((i for i in range(first + 1, len(lines)) if _NEXT_TOP.match(lines[i])), len(lines))
        offset, document = first, YAML(typ="rt").load("\n".join(lines[first:after]) + "\n")
    if not hasattr(document, "lc") or "injects" not in document:
        return None
    key_line = document.lc.key("injects")[0] + offset
    later = [document.lc.key(k)[0] + offset for k in document]
    end = min([line for line in later if line > key_line], default=after)
    section = document["injects"]
    if not section or not hasattr(section, "lc") or section.fa.flow_style() or len(section) != count:
        return key_line, end, None
    items = []
    for i in range(len(section)):
        line, column = section.lc.item(i)
        line += offset
        dash = re.fullmatch(r"( *)- +", lines[line][:column]) if line < len(lines) else None
        keys = _keys(section[i], offset)
        if dash is None or keys is None or keys[0][1] != line:
            return key_line, end, None
        items.append((line, len(dash[1]), section[i], offset))
    return key_line, end, items


_TOP_KEY = re.compile(r"injects\s*:(?:\s|$)")
"""The `injects:` key of a block-style scenario file, at the start of its line."""

_NEXT_TOP = re.compile(r"[^\s#\-]")
"""A line that starts the next top-level key (not an indented line, a comment or a `- ` item)."""


def _content_end(lines: list[str], start: int, stop: int) -> int:
    """The line after the last one in [start, stop) that is neither blank nor a comment."""
    end = start
    for number in range(start, stop):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#"):
            end = number + 1
    return end


def _written(items: Sequence[Mapping[str, Any]], indent: int, newline: str) -> str:
    """Items as YAML lines, their dashes at column `indent`."""
    return _indented(dump_inject_items([dict(item) for item in items]), indent, newline)


def _written_field(key: str, value: Any, indent: int, newline: str) -> str:
    """One field of an inject as YAML lines, its key at column `indent`."""
    return _indented(dump_inject_items({key: value}), indent, newline)


def _indented(text: str, indent: int, newline: str) -> str:
    pad = " " * indent
    return "".join(pad + line + newline if line else newline for line in text.split("\n")[:-1])
