"""Protocols as deep-merge overrides of the baseline scenario.

A protocol says only what it changes: `venue: {openings: [{id: exit_5, state: open}]}`
opens one exit and leaves the rest. Mappings merge key by key; lists whose items all carry
an `id` merge item by item on it (new ids are appended); any other value replaces the base,
and so does a distribution of another kind (`{dist: uniform, ...}` over a bare number or a
lognormal: a distribution is one value, the parameters of two kinds do not mix). The merge
also reports which merged paths came from the override, so that an error in a protocol
points at the protocol's own line in the file.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Path", "deep_merge"]

Path = tuple[str | int, ...]


def deep_merge(base: Any, override: Any) -> tuple[Any, dict[Path, Path]]:
    """Return (merged, origins): origins maps each merged path taken from `override` to its path there."""
    origins: dict[Path, Path] = {}
    merged = _merge(base, override, (), (), origins)
    return merged, origins


def _merge(base: Any, over: Any, at: Path, src: Path, origins: dict[Path, Path]) -> Any:
    if isinstance(base, dict) and isinstance(over, dict) and not _other_distribution(base, over):
        out = dict(base)
        for key, value in over.items():
            if key in base:
                out[key] = _merge(base[key], value, (*at, key), (*src, key), origins)
            else:
                out[key] = value
                origins[(*at, key)] = (*src, key)
        return out
    if _keyed_list(base) and _keyed_list(over):
        merged = list(base)
        index = {item["id"]: i for i, item in enumerate(base)}
        for j, item in enumerate(over):
            i = index.get(item["id"])
            if i is None:
                merged.append(item)
                origins[(*at, len(merged) - 1)] = (*src, j)
            else:
                merged[i] = _merge(base[i], item, (*at, i), (*src, j), origins)
        return merged
    origins[at] = src
    return over


def _other_distribution(base: dict, over: dict) -> bool:
    """Whether `over` is a distribution of another kind than `base` (validated: a number is a constant)."""
    return "dist" in over and over["dist"] != base.get("dist")


def _keyed_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) and isinstance(v.get("id"), str)
                                           for v in value)
