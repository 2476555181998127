"""One replication, as a worker runs it: scenario text in, small record out.

The worker receives the scenario's text (not a path: a remote worker may not share the
disk) and parses it once per process. The seed of replication i is derived from the
experiment's master seed and i alone, so every protocol's replication i uses the same seed
(common random numbers) on any machine and with any number of workers.
"""

from __future__ import annotations

import functools
import time

import numpy as np

from ttxsim.sim import Simulation, parse_scenario

from .records import make_record

__all__ = ["replication_seed", "run_replication"]


def replication_seed(master_seed: int, replication: int) -> int:
    """The seed of replication `replication` (the same for every protocol)."""
    return int(np.random.SeedSequence([master_seed, replication]).generate_state(1, dtype=np.uint32)[0])


@functools.lru_cache(maxsize=8)
def _scenario(text: str, name: str):
    return parse_scenario(text, name)


def run_replication(text: str, name: str, protocol: str, replication: int, master_seed: int,
                    values: tuple[tuple[str, float], ...] = ()) -> dict:
    """Run one replication and return its record (see records.make_record).

    `values` sets uncertain parameters by name (sensitivity analysis).
    """
    scenario = _scenario(text, name)
    if values:
        scenario = scenario.with_values(dict(values))
    seed = replication_seed(master_seed, replication)
    start = time.perf_counter()
    result = Simulation(scenario, protocol=protocol, seed=seed).run()
    return make_record(result, protocol=protocol, replication=replication, seed=seed,
                       wall_s=time.perf_counter() - start)
