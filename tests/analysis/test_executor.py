"""The job pool that batch, sensitivity and preview share: order, errors, bounds, cancelling, Dask."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ttxsim.analysis.executor import IN_FLIGHT_PER_WORKER, JobPool
from ttxsim.analysis.replicate import run_replication


def _after(delay_s: float, value: int) -> int:
    time.sleep(delay_s)
    return value


def _sigint_ignored() -> bool:
    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def _tagged(tag: str, value: int) -> str:
    return f"{tag}{value}"


def test_one_worker_runs_the_jobs_here_in_order():
    with JobPool(1) as pool:
        assert list(pool.run((abs, (-i,)) for i in range(5))) == [(i, i) for i in range(5)]
        assert pool.share("text") == "text"


def test_ordered_results_come_in_job_order_even_when_the_first_job_is_slowest():
    jobs = [(_after, (0.4, 0)), (_after, (0.0, 1)), (_after, (0.0, 2))]
    with JobPool(2) as pool:
        assert list(pool.run(jobs, ordered=True)) == [(0, 0), (1, 1), (2, 2)]


def test_unordered_results_come_as_they_finish_each_with_its_job_index():
    jobs = [(_after, (0.8, 0)), (_after, (0.0, 1)), (_after, (0.0, 2))]
    with JobPool(2) as pool:
        results = list(pool.run(jobs))
    assert sorted(results) == [(0, 0), (1, 1), (2, 2)]
    assert results[-1] == (0, 0)  # the slow first job did not hold the others back


@pytest.mark.parametrize("workers", [1, 2])
def test_an_exception_in_a_job_surfaces_with_its_message(workers):
    jobs = [(abs, (-1,)), (int, ("not a number",)), (abs, (-3,))]
    with pytest.raises(ValueError, match="invalid literal for int"), JobPool(workers) as pool:
        list(pool.run(jobs, ordered=True))


def test_only_a_few_jobs_per_worker_are_read_ahead():
    read = []

    def jobs():
        for i in range(100):
            read.append(i)
            yield abs, (-i,)

    with JobPool(2) as pool:
        results = pool.run(jobs())
        next(results)
        assert len(read) <= IN_FLIGHT_PER_WORKER * 2 + 1
        results.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_cancelled_run_ends_without_the_remaining_results(workers):
    got = []
    jobs = ((_after, (0.05, i)) for i in range(40))
    with JobPool(workers) as pool:
        for index, value in pool.run(jobs, cancelled=lambda: len(got) >= 2):
            got.append((index, value))
    assert 2 <= len(got) < 40


def test_workers_leave_ctrl_c_to_the_parent():
    with JobPool(2) as pool:
        assert [value for _, value in pool.run([(_sigint_ignored, ())] * 2)] == [True, True]


def test_the_figures_do_not_depend_on_the_number_of_workers(make_scenario_data, write_yaml):
    path = write_yaml(make_scenario_data())
    text = Path(path).read_text(encoding="utf-8")
    jobs = [(run_replication, (text, str(path), "baseline", i, 7)) for i in range(4)]

    def records(workers):
        with JobPool(workers) as pool:
            done = dict(pool.run(jobs))
        return [{k: v for k, v in done[i].items() if k != "wall_s"} for i in range(len(jobs))]

    assert records(1) == records(2)


def test_a_dask_cluster_runs_the_same_loop_and_receives_shared_values_once():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
         JobPool(scheduler=cluster.scheduler_address) as pool:
        assert pool.slots == 2
        tag = pool.share("r")
        assert list(pool.run(((_tagged, (tag, i)) for i in range(6)), ordered=True)) == [
            (i, f"r{i}") for i in range(6)]
        with pytest.raises(ValueError, match="invalid literal for int"):
            list(pool.run([(int, ("x",))]))


UNDER_A_CONSOLE = """
import sys
from ttxsim.analysis.executor import JobPool

class Capture:  # what Textual puts in sys.stderr while the console runs
    def write(self, text): pass
    def flush(self): pass
    def fileno(self): return -1

sys.stderr = Capture()
with JobPool(2) as pool:
    sys.stdout.write(str(sorted(pool.run([(abs, (-1,)), (abs, (-2,))]))))
"""


def test_the_pool_starts_when_stderr_is_a_console_capture():
    """Regression: multiprocessing passed Textual's fileno -1 to its resource tracker and failed."""
    done = subprocess.run([sys.executable, "-c", UNDER_A_CONSOLE], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "[(0, 1), (1, 2)]"
