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
    for i, (start, _, node) in enumerate(items):
        stop = _content_end(lines, start + 1, items[i + 1][0] if i + 1 < len(items) else end)
        blocks[old[i].id] = _Item(lines[previous_end:start], start, stop, node)
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
        spliced = _splice(lines, kept.start, kept.stop, kept.node, old_by_id[model.id], model, item, newline)
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


def _splice(lines: list[str], start: int, stop: int, node: Any, old: BaseModel, new: BaseModel,
            data: Mapping[str, Any], newline: str) -> list[str] | None:
    """Lines [start, stop) of a mapping with its unchanged fields as written and the others anew.

    A changed decision or alternative is spliced the same way, so that a new default is one
    new line. None if the mapping is not one key a line, or has a key the schema has not (or
    the item's first key, after its `- `, changed): then it is written anew as a whole.
    """
    keys = _keys(node)
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
            inner = _splice(lines, line, block_end, node[key], before, after, data[key], newline)
        if inner is not None:
            out += inner
        elif key in data:
            out.append(_written_field(key, data[key], column, newline))
    for key, value in data.items():
        if key not in node:
            out.append(_written_field(key, value, column, newline))
    return out


def _keys(node: Any) -> list[tuple[str, int, int]] | None:
    """Each key of a block mapping with its line and column, if each is on a line after the last."""
    if not hasattr(node, "lc") or not hasattr(node, "keys") or node.fa.flow_style():
        return None
    keys = [(str(k), *node.lc.key(k)) for k in node]
    if not keys or any(a[1] >= b[1] for a, b in itertools.pairwise(keys)):
        return None
    return keys


_ItemPlace = tuple[int, int, Any]
"""An item's first line, the column of its `- `, and its mapping as ruamel.yaml parsed it (0-based)."""


def _section(text: str, count: int) -> tuple[int, int, list[_ItemPlace] | None] | None:
    """(line of `injects:`, line after the section, each item's place or None), 0-based.

    None if the file has no `injects:` key; items None if the section is not a block list of
    `count` items that each start on their own `- ` line.
    """
    from ruamel.yaml import YAML

    document = YAML(typ="rt").load(text)
    if not hasattr(document, "lc") or "injects" not in document:
        return None
    key_line = document.lc.key("injects")[0]
    later = [document.lc.key(k)[0] for k in document if document.lc.key(k)[0] > key_line]
    end = min(later) if later else len(text.splitlines())
    section = document["injects"]
    if not section or not hasattr(section, "lc") or section.fa.flow_style() or len(section) != count:
        return key_line, end, None
    lines = text.splitlines()
    items = []
    for i in range(len(section)):
        line, column = section.lc.item(i)
        dash = re.fullmatch(r"( *)- +", lines[line][:column]) if line < len(lines) else None
        keys = _keys(section[i])
        if dash is None or keys is None or keys[0][1] != line:
            return key_line, end, None
        items.append((line, len(dash[1]), section[i]))
    return key_line, end, items


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
