"""Monte Carlo batches: N replications per protocol, run in parallel, stored as they finish.

Replication i of every protocol uses the same seed (replicate.replication_seed), so protocols
are compared on common random numbers. Each run is a pure function of (scenario text,
protocol, replication, master seed), so the stored results are the same whatever the
executor (a local process pool or a Dask cluster) and however many workers it has; only the
order in which runs finish differs, and the store does not depend on it.

Only a bounded number of runs is ever in flight (a few per worker): the parent's memory stays
flat however large N is, and an interruption loses at most those runs.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from importlib.metadata import PackageNotFoundError, version
from itertools import islice
from pathlib import Path
from typing import Any

from .replicate import run_replication
from .store import ResultsStore

__all__ = ["IN_FLIGHT_PER_WORKER", "plan_tasks", "run_batch"]

IN_FLIGHT_PER_WORKER = 4
"""Runs submitted ahead per worker: enough to keep workers busy, few enough to bound memory."""

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
              scheduler: str | None = None, progress: bool = True) -> int:
    """Run the missing replications of a scenario's protocols into a results store.

    Args:
        scenario_path: The scenario file (validated first: bad input raises ScenarioError).
        runs: Replications per protocol (the store ends with this many per protocol).
        protocols: Protocol names of the scenario (`baseline` included by name).
        store_path: The SQLite results file; created, or resumed if it holds this experiment.
        master_seed: Seed from which every replication's seed is derived.
        workers: Processes of the local pool (default: all cores), or of a `local` Dask cluster.
        scheduler: None for the local process pool; `local` for a Dask LocalCluster; or a
            Dask scheduler address such as `tcp://host:8786`.
        progress: Show a rich progress bar (on stderr) with rate and ETA, and before it the
            store's notes (a store of another ttxsim: the metrics it lacks or keeps unshown).

    Returns:
        The number of runs added to the store.

    Raises:
        ScenarioError: The scenario file is invalid.
        KeyError: A protocol is not one of the scenario's.
        StoreMismatch: The store was made for another scenario text or master seed.
        KeyboardInterrupt: Interrupted; pending runs were cancelled and the store closed.
    """
    from ttxsim.sim import load_scenario

    scenario = load_scenario(scenario_path)
    protocols = list(dict.fromkeys(protocols))
    for name in protocols:
        scenario.with_protocol(name)  # raises KeyError naming the known protocols
    text = scenario.source_text or Path(scenario_path).read_text(encoding="utf-8")
    name = str(scenario_path)

    with ResultsStore(store_path) as store:
        store.open_experiment(scenario_text=text, scenario_name=scenario.meta.name, master_seed=master_seed,
                              protocols=protocols, version=_version())
        if progress:
            _print_notes(store.notes)
        tasks = plan_tasks(protocols, runs, store.completed())
        if not tasks:
            return 0
        total = runs * len(protocols)
        added = 0

        def store_one(record: dict[str, Any]) -> None:
            nonlocal added
            added += store.add(record)

        with _Progress(progress, total, total - len(tasks)) as advance:
            def on_done(record: dict[str, Any]) -> None:
                store_one(record)
                advance()

            args = (text, name, master_seed)
            if scheduler is None:
                _run_on_pool(tasks, args, workers or os.cpu_count() or 1, on_done)
            else:
                _run_on_dask(tasks, args, scheduler, workers, on_done)
        return added


def _version() -> str:
    try:
        return version("ttxsim")
    except PackageNotFoundError:  # running from a checkout that is not installed
        return "unknown"


def _print_notes(notes: tuple[str, ...]) -> None:
    """The store's notes on stderr, where the progress bar is drawn."""
    if notes:
        from rich.console import Console

        console = Console(stderr=True)
        for note in notes:
            console.print(f"note: {note}", markup=False, highlight=False)


def _ignore_sigint() -> None:
    """Pool worker initializer: Ctrl-C is the parent's to handle, not each worker's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_on_pool(tasks: list[Task], args: tuple[str, str, int], workers: int,
                 on_done: Callable[[dict[str, Any]], None]) -> None:
    """Run the tasks on a local process pool, at most IN_FLIGHT_PER_WORKER × workers at once.

    Workers are started with `spawn`: the parent has threads (the progress bar) and an open
    SQLite connection, neither of which survives a fork safely.
    """
    import multiprocessing

    text, name, seed = args
    pending_tasks = iter(tasks)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_ignore_sigint)
    in_flight: set[Any] = set()

    def submit(batch: Iterator[Task]) -> None:
        for protocol, replication in batch:
            in_flight.add(pool.submit(run_replication, text, name, protocol, replication, seed))

    try:
        submit(islice(pending_tasks, IN_FLIGHT_PER_WORKER * workers))
        while in_flight:
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                in_flight.discard(future)
                on_done(future.result())
                submit(islice(pending_tasks, 1))
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # the runs in flight finish; they are dropped
        raise
    pool.shutdown(wait=True)


def _run_on_dask(tasks: list[Task], args: tuple[str, str, int], scheduler: str, workers: int | None,
                 on_done: Callable[[dict[str, Any]], None]) -> None:
    """Run the tasks on a Dask cluster (an address, or `local` for a LocalCluster).

    The scenario text is scattered to every worker once, not shipped with each task.
    """
    from distributed import Client, LocalCluster, as_completed

    text, name, seed = args
    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
        slots = workers or 2
    else:
        client = Client(scheduler)
        slots = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
    pending_tasks = iter(tasks)
    futures = as_completed()
    in_flight: set[Any] = set()
    try:
        text_future = client.scatter(text, broadcast=True)

        def submit(batch: Iterator[Task]) -> None:
            for protocol, replication in batch:
                future = client.submit(run_replication, text_future, name, protocol, replication, seed)
                in_flight.add(future)
                futures.add(future)

        submit(islice(pending_tasks, IN_FLIGHT_PER_WORKER * slots))
        for future in futures:
            in_flight.discard(future)
            on_done(future.result())
            future.release()
            submit(islice(pending_tasks, 1))
    except BaseException:
        client.cancel(list(in_flight))
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class _Progress:
    """A context giving `advance()`: a rich progress bar on stderr, or nothing at all."""

    def __init__(self, enabled: bool, total: int, completed: int):
        self.enabled, self.total, self.completed = enabled, total, completed
        self.bar: Any = None

    def __enter__(self) -> Callable[[], None]:
        if not self.enabled:
            return lambda: None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(TextColumn("[bold]runs"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
                            TimeRemainingColumn(), console=Console(stderr=True))
        self.bar.start()
        task = self.bar.add_task("runs", total=self.total, completed=self.completed, rate="")

        def advance() -> None:
            self.bar.advance(task)
            speed = self.bar.tasks[0].speed
            self.bar.update(task, rate=f"{speed:.1f} runs/s" if speed else "")

        return advance

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
