"""Random streams: one independent numpy Generator per subsystem (DESIGN.md section 2).

A run's seed spawns the streams with `SeedSequence(seed).spawn`, always in the same order,
so two protocols run with the same seed share their draws wherever they share structure
(common random numbers), and adding a subsystem's draws never shifts another's.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SUBSYSTEMS", "Streams"]

SUBSYSTEMS = ("intel", "response", "incident", "population", "route")
"""The subsystems that draw random numbers, in spawn order (never reorder: it changes results)."""

POPULATION_ATTRIBUTES = ("position", "free_speed", "premovement", "familiarity")
"""The population stream is split again per attribute, for the same reason."""


class Streams:
    """The named random generators of one run."""

    def __init__(self, seed: int):
        children = np.random.SeedSequence(seed).spawn(len(SUBSYSTEMS))
        self._generators = _named(SUBSYSTEMS, children)
        people = children[SUBSYSTEMS.index("population")].spawn(len(POPULATION_ATTRIBUTES))
        self._population = _named(POPULATION_ATTRIBUTES, people)

    def __getitem__(self, subsystem: str) -> np.random.Generator:
        return self._generators[subsystem]

    def population(self, attribute: str) -> np.random.Generator:
        """The stream for one attribute of the occupants (position, free_speed, ...)."""
        return self._population[attribute]


def _named(names, seeds) -> dict[str, np.random.Generator]:
    return {name: np.random.default_rng(seed) for name, seed in zip(names, seeds, strict=True)}
