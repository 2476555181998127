"""One replication, as a worker runs it: scenario text in, small record out.

The worker receives the scenario's text (not a path: a remote worker may not share the
disk) and parses it once per process. The seed of replication i is derived from the
experiment's master seed and i alone, so every protocol's replication i uses the same seed
(common random numbers) on any machine and with any number of workers. One exception, for
a batch of a session's decisions: replication 0 runs on the session's own seed (`first_seed`),
so its run with the decisions is the session's result; it is the same for every protocol.
"""

from __future__ import annotations

import functools
import time

import numpy as np

from ttxsim.sim import Simulation, parse_scenario
from ttxsim.sim.decision_play import condition_guard, run_with_decisions
from ttxsim.sim.decisions import Decision

from .records import make_record

__all__ = ["replication_seed", "run_replication"]


def replication_seed(master_seed: int, replication: int, first_seed: int | None = None) -> int:
    """The seed of replication `replication` (the same for every protocol).

    `first_seed`, if given, is replication 0's (a session's seed); the others derive from the
    master seed and their number, as without it.
    """
    if first_seed is not None and replication == 0:
        return first_seed
    return int(np.random.SeedSequence([master_seed, replication]).generate_state(1, dtype=np.uint32)[0])


@functools.lru_cache(maxsize=8)
def _scenario(text: str, name: str):
    return parse_scenario(text, name)


def run_replication(text: str, name: str, protocol: str, replication: int, master_seed: int,
                    values: tuple[tuple[str, float], ...] = (), decisions: tuple[Decision, ...] = (),
                    first_seed: int | None = None, label: str | None = None) -> dict:
    """Run one replication and return its record (see records.make_record).

    `values` sets uncertain parameters by name (sensitivity analysis). `decisions` are played
    on the run as a session applies them (`ttxsim.sim.decision_play`): an inject's items only
    if the inject is delivered in this run, and one that cannot apply in it is left out, as the
    console does; the record is stored under `label` (the decision set's name).
    """
    scenario = _scenario(text, name)
    if values:
        scenario = scenario.with_values(dict(values))
    seed = replication_seed(master_seed, replication, first_seed)
    start = time.perf_counter()
    if decisions:
        guard = condition_guard(scenario.with_protocol(protocol))
        result, _ = run_with_decisions(scenario, decisions, protocol=protocol, seed=seed, guard=guard,
                                       skip_failed=True)
    else:
        result = Simulation(scenario, protocol=protocol, seed=seed).run()
    return make_record(result, protocol=label or protocol, replication=replication, seed=seed,
                       wall_s=time.perf_counter() - start)
