"""Uncertain parameters: what batch and sensitivity runs vary (docs/scenario-format.md).

Each names one number in the scenario by a dotted path (list items by their `id`:
`venue.openings[ex_1].width_m`, or by index: `population.occupants[0].count`) and the range
it may take. A value is applied as an override, so a varied scenario is validated exactly
like a protocol. Distributions are set by their parameters: `response.police.patrol_travel_s.value`
for a constant, `population.premovement_s.median` for a lognormal.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, model_validator

from .base import Identifier, StrictModel
from .errors import quote

__all__ = ["UncertainParameter", "override_for", "parse_path"]

_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[[^\]]+\])*)")
_INDEX = re.compile(r"\[([^\]]+)\]")


class UncertainParameter(StrictModel):
    """One number the analysis varies, and its range."""

    name: Identifier
    """Short name for tables and charts."""
    path: str = Field(min_length=1)
    """Where it is: `response.police.patrol_travel_s.value`, `venue.openings[ex_1].width_m`."""
    low: float
    """Smallest value."""
    high: float
    """Largest value."""
    integer: bool = False
    """Round the value to a whole number (counts)."""
    description: str = ""
    """What it means and where its range comes from."""

    @model_validator(mode="after")
    def _range_and_path(self):
        if self.low >= self.high:
            raise ValueError("low must be below high")
        parse_path(self.path)
        return self


def parse_path(path: str) -> list[str | int | tuple[str, str]]:
    """`a.b[x].c[0]` → ["a", "b", ("id", "x"), "c", 0]; raises ValueError if malformed."""
    parts: list[str | int | tuple[str, str]] = []
    for piece in path.split("."):
        match = _PART.fullmatch(piece)
        if not match:
            raise ValueError(f"invalid path {quote(path)} at {quote(piece)}")
        parts.append(match[1])
        for index in _INDEX.findall(match[2]):
            parts.append(int(index) if index.isdigit() else ("id", index))
    return parts


def override_for(data: dict[str, Any], path: str, value: float) -> dict[str, Any]:
    """A deep-merge override that sets the number at `path` in scenario data to `value`.

    `data` is the scenario as a dict (to look up list items by index); items found by id
    merge by id, so the override carries only the id and the changed branch.
    """
    parts = parse_path(path)
    node: Any = data
    trail: list[Any] = []
    for part in parts:
        if isinstance(part, tuple):
            items = node if isinstance(node, list) else []
            ids = [item.get("id") if isinstance(item, dict) else None for item in items]
            match = ids.index(part[1]) if part[1] in ids else None
            if match is None:
                raise KeyError(f"{path}: no item with id {quote(part[1])}")
            trail.append(("id", part[1], match))
            node = items[match]
        elif isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                raise KeyError(f"{path}: no item [{part}]")
            trail.append(("index", part, node))
            node = node[part]
        else:
            trail.append(("key", part, node))
            node = node.get(part) if isinstance(node, dict) else None
    override: Any = value
    for kind, key, extra in reversed(trail):
        if kind == "key":
            if isinstance(extra, dict) and "dist" in extra and key != "dist":
                # the whole distribution, this parameter changed: the merge then sets it (a
                # `shift` or `scale` without `dist` would modify the base's instead), and a
                # distribution the file leaves at its default keeps its other parameters
                override = {**extra, key: override}
            else:
                override = {key: override}
        elif kind == "id":
            override = [{"id": key, **override}] if isinstance(override, dict) else override
        else:  # by index: the whole list must be given, with this item replaced
            items = [dict(item) if isinstance(item, dict) else item for item in extra]
            items[key] = _merge_copy(items[key], override)
            override = items
    return override


def _merge_copy(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge_copy(base.get(k), v)
        return out
    return over
