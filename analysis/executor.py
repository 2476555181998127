"""Where many independent runs go: this process, a local process pool, or a Dask cluster.

Batches, sensitivity samples and the console's outcome preview all fan pure functions out to
workers, and share this one loop so each gets the same care:

- Local workers are started with `spawn`: the parent has threads (a progress bar, the
  console) and an open SQLite connection, neither of which survives a fork safely.
- Local workers ignore Ctrl-C: the interrupt is the parent's, which cancels the pending jobs
  and keeps what has finished, instead of every worker dying with a traceback of its own.
- Local workers never outlive the parent: leaving the pool on an error or an interrupt
  terminates them (their runs are dropped; only the parent writes results), and each worker
  watches its parent and exits as soon as the parent is gone, even killed with SIGKILL.
- Only a few jobs per worker are ever in flight, so the parent's memory stays flat however
  many jobs there are, and an interruption loses at most those.
- A Dask cluster is driven through its `concurrent.futures` executor
  (`Client.get_executor`), so the same loop serves it.

Which job ran where never shows in a result: each job is a pure function of its arguments,
and the callers key results by job, not by the order they finish in.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from itertools import islice
from typing import Any

__all__ = ["IN_FLIGHT_PER_WORKER", "Job", "JobPool"]

IN_FLIGHT_PER_WORKER = 4
"""Jobs submitted ahead per worker: enough to keep workers busy, few enough to bound memory."""

POLL_S = 0.5
"""How often a cancellable run asks whether it is cancelled while it waits for results."""

Job = tuple[Callable[..., Any], tuple[Any, ...]]
"""A function (importable by a worker) and its positional arguments."""


class JobPool:
    """A place to run jobs: enter it, `run` jobs through it, leave it to shut it down.

    One worker runs the jobs here, one after another: no process to start, and a debugger
    can step into them. Leaving on an exception (Ctrl-C included) cancels the jobs not yet
    started and terminates the local workers, so the ones running are dropped at once.

    Args:
        workers: Local processes (None: one per CPU), or the size of a `local` Dask cluster
            (None: 2). Ignored for a remote scheduler, which has its own workers.
        scheduler: None for local processes; `local` for a Dask LocalCluster; or a Dask
            scheduler address such as `tcp://host:8786`.
    """

    def __init__(self, workers: int | None = None, *, scheduler: str | None = None):
        self.workers, self.scheduler = workers, scheduler
        self.slots = 1
        """Jobs that can run at once (the in-flight bound is a few per slot)."""
        self._executor: Executor | None = None
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> JobPool:
        if self.scheduler is not None:
            self._start_dask()
        else:
            self.slots = self.workers or os.cpu_count() or 1
            if self.slots > 1:
                self._executor = _process_pool(self.slots)
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if self._client is None:
            if self._executor is not None and exc_type is not None:
                _terminate(self._executor)
            elif self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
            return
        try:
            self._executor.shutdown(wait=exc_type is None)  # type: ignore[union-attr]  # no wait: cancels
        finally:
            self._client.close()
            if self._cluster is not None:
                self._cluster.close()

    def _start_dask(self) -> None:
        from distributed import Client, LocalCluster  # about a second to import: only when asked for

        if self.scheduler == "local":
            self.slots = self.workers or 2
            self._cluster = LocalCluster(n_workers=self.slots, threads_per_worker=1, processes=True,
                                         dashboard_address=None)
            self._client = Client(self._cluster)
        else:
            self._client = Client(self.scheduler)
            workers = self._client.scheduler_info()["workers"].values()
            self.slots = max(1, sum(w.get("nthreads", 1) for w in workers))
        # pure=False: jobs are never deduplicated by their arguments, nor hashed to find out
        self._executor = self._client.get_executor(pure=False)

    def share(self, value: Any) -> Any:
        """`value` as an argument for many jobs: a Dask cluster receives it once, not per job."""
        if self._client is None:
            return value
        return self._client.scatter(value, broadcast=True)

    def run(self, jobs: Iterable[Job], *, ordered: bool = False,
            cancelled: Callable[[], bool] | None = None) -> Iterator[tuple[int, Any]]:
        """Run `jobs`, yielding (job index, result) as they finish, or in job order if `ordered`.

        A job's exception is raised here, with its message, and the jobs not yet started are
        cancelled. `jobs` is read lazily, a few per worker ahead of the results.

        Args:
            jobs: The jobs, read only as workers become free.
            ordered: Yield in job order (a slow first job holds back the others' results).
            cancelled: Polled while waiting; once it returns True, the run cancels the jobs
                not yet started and ends without their results.
        """
        if self._executor is None:
            yield from _run_here(jobs, cancelled)
            return
        executor = self._executor
        pending = enumerate(jobs)
        in_flight: dict[Future, int] = {}  # in submission order, for `ordered`

        def submit(count: int) -> None:
            for index, (function, args) in islice(pending, count):
                in_flight[executor.submit(function, *args)] = index

        timeout = None if cancelled is None else POLL_S
        try:
            submit(IN_FLIGHT_PER_WORKER * self.slots)
            while in_flight:
                if cancelled is not None and cancelled():
                    return
                waiting = [next(iter(in_flight))] if ordered else list(in_flight)
                done, _ = wait(waiting, timeout=timeout, return_when=FIRST_COMPLETED)
                for future in done:
                    index = in_flight.pop(future)
                    yield index, future.result()
                    submit(1)
        finally:
            for future in in_flight:
                future.cancel()


def _run_here(jobs: Iterable[Job], cancelled: Callable[[], bool] | None) -> Iterator[tuple[int, Any]]:
    for index, (function, args) in enumerate(jobs):
        if cancelled is not None and cancelled():
            return
        yield index, function(*args)


def _process_pool(workers: int) -> Executor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with _real_stderr():  # the pool starts multiprocessing's resource tracker as it is made
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker)


def _terminate(executor: Executor) -> None:
    """Stop a local pool now: cancel what is queued and end the workers mid-job.

    Waiting for the running jobs (as a plain shutdown does) could take minutes on a large
    scenario, after the user asked to stop or the results could no longer be stored.
    """
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError):  # already gone
            process.terminate()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(5)
    executor.shutdown(wait=True)


def _start_worker() -> None:
    """Worker initializer: leave Ctrl-C to the parent, and die with it.

    Ctrl-C is the parent's to handle, not each worker's. A parent killed outright (SIGKILL,
    the OOM killer) cannot stop its workers, so each watches it: the sentinel of
    `multiprocessing.parent_process()` becomes readable when the parent's end of the pipe
    closes, that is when the parent is gone.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        threading.Thread(target=_exit_with_parent, args=(parent.sentinel,), name="watch-parent",
                         daemon=True).start()


def _exit_with_parent(sentinel: int) -> None:
    from multiprocessing.connection import wait as wait_for

    wait_for([sentinel])
    os._exit(1)  # no cleanup to do: the worker holds no files, and its parent is gone


@contextlib.contextmanager
def _real_stderr() -> Iterator[None]:
    """Give multiprocessing a real standard error while it starts its processes.

    A full-screen console (Textual) replaces `sys.stderr` with a capture whose file number is
    not a file; multiprocessing hands that number to the resource tracker it starts, and the
    start fails ("bad value(s) in fds_to_keep"). The swap lasts only while the pool starts.
    """
    captured = sys.stderr
    try:
        usable = captured.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable or sys.__stderr__ is None:
        yield
        return
    sys.stderr = sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = captured
