"""Monte Carlo batches: N replications per protocol, run in parallel, stored as they finish.

Replication i of every protocol uses the same seed (replicate.replication_seed), so protocols
are compared on common random numbers. Each run is a pure function of (scenario text,
protocol, replication, master seed, and any decisions with the seed of replication 0 they
bring: `decision_sets.py`), so the stored results are the same whatever the
executor (a local process pool or a Dask cluster) and however many workers it has; only the
order in which runs finish differs, and the store does not depend on it.

Only a bounded number of runs is ever in flight (a few per worker): the parent's memory stays
flat however large N is, and an interruption loses at most those runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from ttxsim.sim.version import installed_version

from .decision_sets import DecisionSet, first_seed_of
from .executor import IN_FLIGHT_PER_WORKER, Job, JobPool
from .progress import progress_bar
from .replicate import run_replication
from .store import ResultsStore

__all__ = ["IN_FLIGHT_PER_WORKER", "plan_tasks", "run_batch"]

Task = tuple[str, int]
"""(protocol, replication)."""


def plan_tasks(protocols: Iterable[str], runs: int, done: set[Task]) -> list[Task]:
    """The (protocol, replication) pairs still to run, replication-major.

    Replication-major order means an interrupted batch holds about as many runs of each
    protocol, so its partial results can already be compared pairwise.
    """
    protocols = list(protocols)
    return [(p, i) for i in range(runs) for p in protocols if (p, i) not in done]


def run_batch(scenario_path: str | os.PathLike, *, runs: int, protocols: Iterable[str],
              store_path: str | os.PathLike, master_seed: int = 0, workers: int | None = None,
              scheduler: str | None = None, progress: bool = True,
              decisions: Sequence[DecisionSet] = ()) -> int:
    """Run the missing replications of a scenario's protocols into a results store.

    Args:
        scenario_path: The scenario file (validated first: bad input raises ScenarioError).
        runs: Replications per protocol (the store ends with this many per protocol).
        protocols: Protocol names of the scenario (`baseline` included by name).
        store_path: The SQLite results file; created, or resumed if it holds this experiment.
        master_seed: Seed from which every replication's seed is derived.
        workers: Processes of the local pool (default: all cores; 1: run here), or of a `local`
            Dask cluster.
        scheduler: None for the local process pool; `local` for a Dask LocalCluster; or a
            Dask scheduler address such as `tcp://host:8786`.
        progress: Show a rich progress bar (on stderr) with rate and ETA, and before it the
            store's notes (a store of another ttxsim: the metrics it lacks or keeps unshown).
        decisions: Decision sets (`decision_sets.load_decision_set`) run beside the protocols,
            each stored under its label; a set from a session makes replication 0 run on the
            session's seed, for every protocol.

    Returns:
        The number of runs added to the store.

    Raises:
        ScenarioError: The scenario file is invalid.
        KeyError: A protocol is not one of the scenario's.
        StoreMismatch: The store was made for another scenario text or master seed, or its
            replication 0 ran on another seed than the decisions' session.
        ValueError: Two decision sets come from sessions with different seeds.
        KeyboardInterrupt: Interrupted; pending runs were cancelled and the store closed.
    """
    from ttxsim.sim import load_scenario

    scenario = load_scenario(scenario_path)
    protocols = list(dict.fromkeys(protocols))
    for name in protocols:
        scenario.with_protocol(name)  # raises KeyError naming the known protocols
    text = scenario.source_text or Path(scenario_path).read_text(encoding="utf-8")
    name = str(scenario_path)
    sets = {s.label: s for s in decisions}
    first_seed = first_seed_of(list(sets.values()))
    labels = [*protocols, *(label for label in sets if label not in protocols)]

    with ResultsStore(store_path) as store:
        store.open_experiment(scenario_text=text, scenario_name=scenario.meta.name, master_seed=master_seed,
                              protocols=labels, version=installed_version())
        store.record_decisions({label: s.to_meta() for label, s in sets.items()}, first_seed)
        first_seed = store.first_seed()  # a store that reproduces a session keeps its seeds
        if progress:
            _print_notes(store.notes)
        tasks = plan_tasks(labels, runs, store.completed())
        if not tasks:
            return 0
        total = runs * len(labels)
        added = 0
        with (progress_bar(total, completed=total - len(tasks), enabled=progress) as advance,
              JobPool(workers, scheduler=scheduler) as pool):
            shared_text = pool.share(text)  # a Dask cluster receives the scenario once, not per run

            def job(label: str, replication: int) -> Job:
                chosen = sets.get(label)
                if chosen is None:
                    return run_replication, (shared_text, name, label, replication, master_seed, (), (),
                                             first_seed)
                return run_replication, (shared_text, name, chosen.protocol, replication, master_seed, (),
                                         chosen.decisions, first_seed, label)

            jobs = (job(label, replication) for label, replication in tasks)
            for _, record in pool.run(jobs):
                added += store.add(record)
                advance()
        return added


def _print_notes(notes: tuple[str, ...]) -> None:
    """The store's notes on stderr, where the progress bar is drawn."""
    if notes:
        from rich.console import Console

        console = Console(stderr=True)
        for note in notes:
            console.print(f"note: {note}", markup=False, highlight=False)
