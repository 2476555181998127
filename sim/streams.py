"""Random streams: one independent numpy Generator per subsystem (DESIGN.md section 2).

A run's seed spawns the streams with `SeedSequence(seed).spawn`, always in the same order,
so two protocols run with the same seed share their draws wherever they share structure
(common random numbers), and adding a subsystem's draws never shifts another's. Subsystems
whose draws are optional (a protocol may add an announcement or remove a fire) are split
again by item, so one item's presence never shifts another's draws.
"""

from __future__ import annotations

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
        for name, generator in self._generators.items():
            generator.bit_generator.state = fresh._generators[name].bit_generator.state
        for subsystem, items in self._items.items():
            for item, generator in items.items():
                generator.bit_generator.state = fresh._items[subsystem][item].bit_generator.state

    def population(self, attribute: str) -> np.random.Generator:
        """The stream for one attribute of the occupants (position, free_speed, ...)."""
        return self._items["population"][attribute]


def _named(names, seeds) -> dict[str, np.random.Generator]:
    return {name: np.random.default_rng(seed) for name, seed in zip(names, seeds, strict=True)}
