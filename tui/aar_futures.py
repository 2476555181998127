"""The players' decisions against the baseline over many futures: what the AAR can say with confidence.

One run of the session is one draw: the baseline alone ranges from tens to hundreds harmed
across seeds, so a single-seed difference says little about the decisions. Here the session's
decisions (`journal_decisions.session_decisions`) are played on its protocol in `futures`
replications, and the scenario's baseline protocol with no decisions in the same replications:
replication i has the same seed for both (common random numbers), so each pair differs by the
decisions and the protocol, not by luck, and the paired 95 % interval of the difference
(`analysis.stats.paired`) says how sure the estimate is. Replication 0 runs on the session's
own seed, so the first future with the decisions is the session's own result. The seeds are
those of `ttxsim batch --decisions D.yaml --seed <session seed>`, which stores the same runs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ttxsim.analysis.compare import is_time
from ttxsim.analysis.executor import JobPool
from ttxsim.analysis.records import METRICS, make_record
from ttxsim.analysis.replicate import run_replication
from ttxsim.analysis.stats import (
    Tally,
    TimeSummary,
    bootstrap_mean_ci,
    paired,
    paired_median_difference,
    summarise_time,
    tally,
)
from ttxsim.sim import Simulation
from ttxsim.sim.metrics import metric

from .journal_decisions import session_decisions

__all__ = ["FUTURES", "FUTURE_METRICS", "Futures", "MetricComparison", "run_futures"]

FUTURES = 100
"""Futures per side by default: enough for an interval a room can act on, a minute on two cores."""

FUTURE_METRICS: tuple[str, ...] = tuple(metric(name).name for name in (  # a renamed metric fails here
    "harmed_total", "harmed_threat", "harmed_smoke", "evacuated", "exposed", "rset_s", "t95_s",
    "t_alarm_s", "t_evac_order_s", "t_police_arrival_s", "t_contained_s", "t_fire_service_s"))
"""What the comparison reports: harm (all and by cause), evacuation, exposure, RSET and the milestones."""

PLAYERS, BASELINE = "players", "baseline"


@dataclass(frozen=True)
class MetricComparison:
    """One metric over the futures: each side's summary with its interval, and the paired difference.

    A count is summarised by its mean (a bootstrap interval, never below 0); a time, which some
    futures may never reach, by its Kaplan–Meier median, never by a mean over the futures that
    reached it (issue 16; `analysis/stats.py`).
    """

    metric: str
    players: tuple[float, float | None, float | None, int]
    """The players' decisions: (mean or median, low, high, n); NaN when a median is not reached."""
    baseline: tuple[float, float | None, float | None, int]
    """The baseline protocol with no decisions."""
    diff: float
    """Players − baseline: the mean of the paired differences of a count, the difference of the
    medians of a time (NaN if there is none)."""
    low: float | None
    high: float | None
    pairs: int
    """Pairs compared (a count: both sides have a value; a time: all, never reached included)."""
    tally: Tally | None
    """Futures in which the players' decisions did better, the same, or worse (None: no better way)."""
    reached: tuple[int, int] | None = None
    """A time: in how many futures it came, (players, baseline)."""

    @property
    def is_time(self) -> bool:
        """Summarised by medians, counting the futures that never reach it."""
        return self.reached is not None

    @property
    def label(self) -> str:
        """What the metric measures, as the results store says it."""
        return METRICS[self.metric]

    @property
    def sure(self) -> bool:
        """The 95 % interval of the difference excludes 0: the decisions changed this, not chance."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


@dataclass(frozen=True)
class Futures:
    """The comparison over `runs` futures."""

    runs: int
    protocol: str
    seed: int
    decisions: int
    """How many decisions were played in each future."""
    rows: tuple[MetricComparison, ...]
    session_run: Any
    """Future 0 with the decisions, on the session's seed: the session's own result (`Result`)."""
    baseline_run: Any
    """Future 0 of the baseline with no decisions, on the session's seed (`Result`)."""

    def row(self, name: str) -> MetricComparison:
        """The comparison of one metric."""
        return next(r for r in self.rows if r.metric == name)


_CACHE: dict[tuple, Futures] = {}
"""The last comparisons, by session state and count: the console writes Markdown and HTML in a row."""


def run_futures(session: Any, runs: int = FUTURES, *, workers: int = 2,
                progress: Callable[[int, int], None] | None = None) -> Futures:
    """Play the session's decisions and the baseline in `runs` paired futures, on `workers` processes."""
    if runs < 1:
        raise ValueError(f"the number of futures must be at least 1 (got {runs})")
    text = session.base_scenario.source_text
    if text is None:
        raise ValueError("the scenario was not loaded from text; its futures cannot be run")
    decisions = tuple(session_decisions(session))
    key = (session.scenario_sha256, session.protocol, session.seed,
           json.dumps([d.to_dict() for d in decisions]), runs)
    if key in _CACHE:
        return _CACHE[key]
    name, seed = str(session.scenario_path), session.seed
    # Future 0 is the session's own run (the decisions played on its seed give exactly its result,
    # tests/analysis/test_batch_decisions.py), and the baseline on that seed: both run here, in full,
    # since the report draws them too; the other futures are records from the workers.
    ours = session.final_result()
    base = Simulation(session.base_scenario, protocol="baseline", seed=seed).run()
    records: dict[tuple[str, int], dict] = {
        (PLAYERS, 0): make_record(ours, protocol=PLAYERS, replication=0, seed=seed, wall_s=0.0),
        (BASELINE, 0): make_record(base, protocol=BASELINE, replication=0, seed=seed, wall_s=0.0)}
    tasks = [(side, i) for i in range(1, runs) for side in (PLAYERS, BASELINE)]
    sides = {PLAYERS: (session.protocol, decisions), BASELINE: ("baseline", ())}
    jobs = [(run_replication, (text, name, sides[side][0], i, seed, (), sides[side][1], seed, side))
            for side, i in tasks]
    if jobs:
        with JobPool(max(1, min(workers, len(jobs)))) as pool:
            for index, record in pool.run(jobs):
                records[tasks[index]] = record
                if progress is not None:
                    progress(len(records), 2 * runs)
    rows = tuple(_compare(name, [records[(PLAYERS, i)] for i in range(runs)],
                          [records[(BASELINE, i)] for i in range(runs)]) for name in FUTURE_METRICS)
    futures = Futures(runs, session.protocol, seed, len(decisions), rows, ours, base)
    _CACHE.clear()
    _CACHE[key] = futures
    return futures


def _compare(name: str, players: list[dict], baseline: list[dict]) -> MetricComparison:
    ours, base = [r.get(name) for r in players], [r.get(name) for r in baseline]
    lower = metric(name).lower_is_better
    counted = None if lower is None else tally(base, ours, lower_is_better=lower, censored=is_time(name))
    if is_time(name):
        mine, theirs = summarise_time(ours), summarise_time(base)
        diff, low, high, n = paired_median_difference(base, ours)
        return MetricComparison(name, _median(mine), _median(theirs), math.nan if diff is None else diff,
                                low, high, n, counted, (mine.reached, theirs.reached))
    diff, low, high, n, _ = paired(base, ours, lower_is_better=lower is not False)
    return MetricComparison(name, bootstrap_mean_ci(ours), bootstrap_mean_ci(base), diff, low, high, n,
                            None if math.isnan(diff) else counted)


def _median(summary: TimeSummary) -> tuple[float, float | None, float | None, int]:
    median = math.nan if summary.median is None else summary.median
    return median, summary.low, summary.high, summary.n
