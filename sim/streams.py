"""Random streams: one independent numpy Generator per subsystem (docs/model.md, determinism).

A run's seed spawns the streams with `SeedSequence(seed).spawn`, always in the same order,
so two protocols run with the same seed share their draws wherever they share structure
(common random numbers), and adding a subsystem's draws never shifts another's. Subsystems
whose draws are optional (a protocol may add an announcement or remove a fire) are split
again by item, so one item's presence never shifts another's draws. Occupant groups draw
from streams keyed by the group's identity (`group`: its id, else its place), so a group's
draws do not depend on which other groups the file lists, nor in what order; the population's
own item streams are no longer drawn from for people, and stay only so the spawn order holds.
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["ITEMS", "SUBSYSTEMS", "Streams"]

SUBSYSTEMS = ("intel", "response", "incident", "population", "route")
"""The subsystems that draw random numbers, in spawn order (never reorder: it changes results)."""

ITEMS = {
    "population": ("position", "free_speed", "premovement", "familiarity"),
    "response": ("detection", "alarm", "announcement", "police", "fire_service", "all_clear", "staff"),
    "incident": ("threat", "fire", "harm"),
}
"""Per-item sub-streams of some subsystems (append only: reordering changes results)."""


class Streams:
    """The named random generators of one run."""

    def __init__(self, seed: int):
        self._seed = seed
        children = np.random.SeedSequence(seed).spawn(len(SUBSYSTEMS))
        self._generators = _named(SUBSYSTEMS, children)
        self._items = {
            subsystem: _named(items, children[SUBSYSTEMS.index(subsystem)].spawn(len(items)))
            for subsystem, items in ITEMS.items()
        }

    def __getitem__(self, subsystem: str) -> np.random.Generator:
        return self._generators[subsystem]

    def item(self, subsystem: str, item: str) -> np.random.Generator:
        """The stream of one item of a subsystem, e.g. ("response", "police")."""
        return self._items[subsystem][item]

    def reseed(self, seed: int) -> None:
        """Continue every stream from `seed`'s streams instead (the generators are kept, in place)."""
        fresh = Streams(seed)
        self._seed = seed
        for name, generator in self._generators.items():
            generator.bit_generator.state = fresh._generators[name].bit_generator.state
        for subsystem, items in self._items.items():
            for item, generator in items.items():
                generator.bit_generator.state = fresh._items[subsystem][item].bit_generator.state

    def population(self, attribute: str) -> np.random.Generator:
        """The stream for one attribute of the occupants (position, free_speed, ...)."""
        return self._items["population"][attribute]

    def group(self, attribute: str, name: str) -> np.random.Generator:
        """A fresh stream for one attribute of one occupant group, by the group's key.

        Derived from the seed and the two names alone (a hash, not a spawn order), it is apart
        from every spawned stream: its spawn key is longer than theirs and starts with a tag
        no spawn index reaches.
        """
        digest = hashlib.sha256(f"{attribute}\0{name}".encode()).digest()
        words = tuple(int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4))
        sequence = np.random.SeedSequence(self._seed, spawn_key=(_GROUP_TAG, *words))
        return np.random.default_rng(sequence)


_GROUP_TAG = 2**32 - 1
"""First spawn-key word of the group streams: the spawned streams' keys are (0,) to (4, 6)."""


def _named(names, seeds) -> dict[str, np.random.Generator]:
    return {name: np.random.default_rng(seed) for name, seed in zip(names, seeds, strict=True)}
