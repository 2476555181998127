"""Protocols as deep-merge overrides of the baseline scenario.

A protocol says only what it changes: `venue: {openings: [{id: exit_5, state: open}]}`
opens one exit and leaves the rest. Mappings merge key by key; lists whose items all carry
an `id` merge item by item on it (new ids are appended); any other value replaces the base,
and so does a distribution of another kind (`{dist: uniform, ...}` over a bare number or a
lognormal: a distribution is one value, the parameters of two kinds do not mix).

An override without `dist` over a distribution modifies it: its `scale` and `shift` compose
with the base's (sample = scale × base + shift, so the new scale is s₁·s₀ and the new shift
s₁·h₀ + h₁), which is what "the alarm 60 s earlier" (`{shift: -60}`) means whatever the base
already shifts. Its other keys set that parameter. Where the file leaves a distribution at its
default, the default is the base (`defaults`), so `{scale: 0.8}` on the default walking speed
slows it rather than failing for want of a `dist`.

The merge also reports which merged paths came from the override, so that an error in a
protocol points at the protocol's own line in the file, and (in `MergeNotes`) which items it
added under a new id and which whole lists it replaced: the loader reports an added item that
is incomplete as an unknown id ("unknown opening 'x'; did you mean 'y'?"), the likelier
mistake, and warns of a replaced list of records (the protocol drops the items it does not
restate).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from numbers import Real
from typing import Any

from .distributions import TRANSFORM_KEYS

__all__ = ["MergeNotes", "Path", "deep_merge"]

Path = tuple[str | int, ...]


@dataclass
class MergeNotes:
    """What a merge did beyond setting values, for the loader's messages."""

    added: dict[Path, list[str]] = field(default_factory=dict)
    """Merged path of each item appended under an id the base list lacks → the base's ids."""
    replaced: list[Path] = field(default_factory=list)
    """Merged paths of lists of records (mappings) the override replaced whole."""


def deep_merge(base: Any, override: Any, defaults: Any = None,
               notes: MergeNotes | None = None) -> tuple[Any, dict[Path, Path]]:
    """Return (merged, origins): origins maps each merged path taken from `override` to its path there.

    `defaults` is `base` with its unset defaults filled in: where `base` lacks a distribution
    that `override` modifies, the default one is modified. `notes`, if given, collects the
    items added and the lists replaced.
    """
    origins: dict[Path, Path] = {}
    merged = _merge(base, override, (), (), origins, defaults, notes if notes is not None else MergeNotes())
    return merged, origins


def _merge(base: Any, over: Any, at: Path, src: Path, origins: dict[Path, Path], defaults: Any = None,
           notes: MergeNotes | None = None) -> Any:
    notes = notes if notes is not None else MergeNotes()
    if isinstance(base, dict) and isinstance(over, dict) and not _other_distribution(base, over):
        out = dict(base)
        given = over
        if _modifies(base, over):
            over = _compose(base, over)
            origins[at] = src  # a problem with the modified distribution is the protocol's
        for key, value in over.items():
            default = defaults.get(key) if isinstance(defaults, dict) else None
            if key in base:
                out[key] = _merge(base[key], value, (*at, key), (*src, key), origins, default, notes)
            elif _is_distribution(default) and isinstance(value, dict) and "dist" not in value:
                out[key] = _merge(default, value, (*at, key), (*src, key), origins, notes=notes)
                origins[(*at, key)] = (*src, key)
            else:
                out[key] = value
                origins[(*at, key)] = (*src, key)
        if "shift" in over and "shift" not in given:  # the base's shift, rescaled by the protocol
            origins[(*at, "shift")] = (*src, "scale")
        return out
    if _keyed_list(base) and _keyed_list(over):
        merged = list(base)
        index = {item["id"]: i for i, item in enumerate(base)}
        same = isinstance(defaults, list) and len(defaults) == len(base)
        for j, item in enumerate(over):
            i = index.get(item["id"])
            if i is None:
                merged.append(item)
                origins[(*at, len(merged) - 1)] = (*src, j)
                notes.added[(*at, len(merged) - 1)] = list(index)
            else:
                default = defaults[i] if same else None
                merged[i] = _merge(base[i], item, (*at, i), (*src, j), origins, default, notes)
        return merged
    if _records(base) and isinstance(over, list):
        notes.replaced.append(at)
    origins[at] = src
    return over


def _is_distribution(value: Any) -> bool:
    return isinstance(value, dict) and "dist" in value


def _modifies(base: dict, over: dict) -> bool:
    """Whether `over` modifies the distribution `base` with numbers (not restates it with `dist`)."""
    return (_is_distribution(base) and "dist" not in over
            and all(_number(over[k]) and _number(base.get(k, 0)) for k in TRANSFORM_KEYS if k in over)
            and any(k in over for k in TRANSFORM_KEYS))


def _compose(base: dict, over: dict) -> dict:
    """`over` with its scale and shift composed onto the base's: s₁·(s₀·x + h₀) + h₁."""
    scale0, shift0 = base.get("scale", 1.0), base.get("shift", 0.0)
    scale1, shift1 = over.get("scale", 1.0), over.get("shift", 0.0)
    composed = dict(over)
    if "scale" in over:
        composed["scale"] = scale1 * scale0
    if "shift" in over or shift0:
        composed["shift"] = scale1 * shift0 + shift1
    return composed


def _number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _other_distribution(base: dict, over: dict) -> bool:
    """Whether `over` is a distribution of another kind than `base` (validated: a number is a constant)."""
    return "dist" in over and over["dist"] != base.get("dist")


def _records(value: Any) -> bool:
    """A non-empty list of mappings: a protocol that replaces it drops what it does not restate."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _keyed_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) and isinstance(v.get("id"), str)
                                           for v in value)
