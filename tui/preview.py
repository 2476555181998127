"""Outcome preview: what each option of an open decision is worth, over many possible futures.

Two views per option. *This present*: the session replayed exactly to now (same seed, same
commands), the option applied, run to the end: the one future the room's own draws lead to.
*Futures*: `runs` replications with fresh seeds, each with every action the session has
applied so far at its time and the option at now, run to the end. The futures matter
because the model draws much of what is still to come when the incident starts (each
person's reaction time, when units arrive), so reseeding only what is drawn after now would
leave almost nothing uncertain and make a single draw of the future look certain.
Replication i uses the same fresh seed for every option (common random numbers), so the
options are compared on the same futures and their differences are sharper than their spreads.
"""

from __future__ import annotations

import atexit
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ttxsim.analysis.executor import JobPool
from ttxsim.analysis.stats import mean_ci, paired, summarise_time
from ttxsim.sim import parse_scenario
from ttxsim.sim.actions import parse_action
from ttxsim.sim.decision_play import run_with_decisions
from ttxsim.sim.decisions import Decision

from .replay import replay_commands
from .session import ExerciseSession, SessionError

__all__ = ["MIN_FUTURES", "OptionOutcome", "PreviewEstimate", "future_seed", "preview_options", "run_exact",
           "run_future", "told_apart", "warm_pool"]


@dataclass(frozen=True)
class OptionOutcome:
    """One option's outcomes over the previewed futures: harm's mean, RSET's median, with 95 % intervals."""

    option_id: str
    label: str
    runs: int
    harmed_mean: float
    harmed_lo: float | None
    harmed_hi: float | None
    rset_median: float
    """Kaplan–Meier median of RSET over the futures (NaN: more than half never got everyone out)."""
    rset_lo: float | None
    rset_hi: float | None
    exposed_mean: float
    exact_harmed: float | None = None
    """In this present (the session's own draws): people harmed."""
    exact_rset: float | None = None
    """In this present: the time the last person got out."""


_warm: dict[int, JobPool] = {}


def warm_pool(workers: int) -> JobPool | None:
    """A pool of `workers` processes that stays up between previews (None for one: in-process).

    Starting worker processes and importing the model in them takes a second or two; kept
    warm, the facilitator pays that once per console, not at every `p`, and the first
    estimate of a later preview comes after one future per option. Shut down at exit.
    """
    if workers <= 1:
        return None
    pool = _warm.get(workers)
    if pool is None:
        pool = _warm[workers] = JobPool(workers).__enter__()
        atexit.register(pool.__exit__, None, None, None)
    return pool


def future_seed(seed: int, replication: int) -> int:
    """The fresh seed of future `replication`: from the session's seed and i alone."""
    words = np.random.SeedSequence([seed, 0x70726576, replication]).generate_state(1, dtype=np.uint32)
    return int(words[0])


@lru_cache(maxsize=4)
def _scenario(text: str, name: str):
    return parse_scenario(text, name)


def run_exact(text: str, name: str, protocol: str, seed: int, commands: tuple, inject_id: str,
              option_id: str) -> tuple[float, float | None, float]:
    """This present's future under one option: (people harmed, RSET, people exposed)."""
    session = ExerciseSession(_scenario(text, name), scenario_path=name, protocol=protocol, seed=seed)
    replay_commands(session, list(commands), None, None)
    session.choose(inject_id, option_id)
    return _outcome(session.sim.run())


def run_future(text: str, name: str, protocol: str, seed: int, decisions: tuple, replication: int
               ) -> tuple[float, float | None, float]:
    """One fresh future with the given (time, action) decisions. Runs in a worker process.

    The decisions are played as the session plays them and as the AAR's futures and
    `batch --decisions` do (`run_with_decisions`: the run stepped to each one's exact time);
    one that cannot apply in this future is left out, as the console leaves out an option's
    action that fails, rather than ending the preview with its error.
    """
    played = [Decision(float(t), parse_action(a) if isinstance(a, dict) else a) for t, a in decisions]
    result, _ = run_with_decisions(_scenario(text, name), played, protocol=protocol,
                                   seed=future_seed(seed, replication), skip_failed=True)
    return _outcome(result)


def _outcome(result) -> tuple[float, float | None, float]:
    return float(sum(result.harmed.values())), result.rset_s, float(result.exposed)


MIN_FUTURES = 10
"""Futures per option before the preview may stop early: with fewer, an interval's own width
is too uncertain to stop on."""

STOP_LEVEL = 0.99
"""Confidence of the intervals the early stop reads. The screen shows 95 % intervals, but a
rule that looks after every future and stops at the first look where they separate would
call chance differences real far more often than one time in twenty; a stricter level for
the stop keeps that in check (a Bonferroni-like margin for the repeated looks and pairs)."""

SAME_WITHIN = 0.02
"""Two options whose difference in harm is surely (at STOP_LEVEL) within this share of their
mean harm, or within one person, are told apart as "about the same": more futures would not
separate them in a way that matters to the room."""


@dataclass(frozen=True)
class PreviewEstimate:
    """The preview so far, as the screen shows it while futures stream in."""

    outcomes: list[OptionOutcome]
    futures: int
    """Futures per option summed so far: the first `futures` replications of every option."""
    planned: int
    """Futures per option the preview will run unless it stops early."""
    done: bool = False
    """No more estimates will come."""
    stopped_early: str | None = None
    """Why the preview stopped before `planned` futures, in words; None if it did not."""


def told_apart(harmed: dict[str, list[float]]) -> str | None:
    """Whether every pair of options is told apart by harm, and how; None if some pair is not yet.

    A pair is told apart when the paired interval (STOP_LEVEL) of its difference in people
    harmed excludes zero, or lies within ±SAME_WITHIN of their mean harm (about the same).
    """
    if min((len(v) for v in harmed.values()), default=0) < MIN_FUTURES:
        return None
    ids = list(harmed)
    differ = same = 0
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            _, low, high, n, _ = paired(harmed[a], harmed[b], level=STOP_LEVEL)
            if low is None or high is None:
                return None
            scale = max(1.0, SAME_WITHIN * (sum(harmed[a]) + sum(harmed[b])) / (2 * n))
            if -scale <= low and high <= scale:
                same += 1
            elif low > 0 or high < 0:
                differ += 1
            else:
                return None
    futures = len(harmed[ids[0]])
    parts = [f"{differ} pair{'s' * (differ != 1)} differ{'s' * (differ == 1)}" if differ else "",
             f"{same} pair{'s' * (same != 1)} about the same" if same else ""]
    return (f"stopped after {futures} futures: every pair of options is told apart by harm "
            f"({', '.join(p for p in parts if p)}; paired {STOP_LEVEL:.0%} intervals)")


def preview_options(session: ExerciseSession, inject_id: str, *, runs: int = 100, workers: int = 2,
                    progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None,
                    estimate: Callable[[PreviewEstimate], None] | None = None,
                    stop_early: bool = True, pool: JobPool | None = None) -> list[OptionOutcome]:
    """Run up to `runs` futures of every option of the open decision on `inject_id`.

    Futures run in replication order, every option's future i before any option's i + 1, so
    a first estimate for every option comes after one future each and the intervals narrow
    as the rest stream in. Estimates sum only the first k futures of every option (k as far
    as all options have them), so what is shown, and where it stops, does not depend on
    which worker finished first.

    Args:
        session: the live session (it is not changed).
        inject_id: a delivered inject whose decision is still open.
        runs: futures per option at most.
        workers: processes to use (1: in this process); ignored with `pool`.
        progress: called with (done, total) after each job.
        cancelled: polled between futures; when it returns True the preview stops and
            returns what it has.
        estimate: called with the estimate so far each time it grows, and once at the end.
        stop_early: stop as soon as every pair of options is told apart (`told_apart`).
        pool: a running pool to use (warm workers, `warm_pool`); else one is started.
    """
    state = session.inject(inject_id)
    if not state.awaiting_decision:
        raise SessionError(f"{inject_id} has no open decision to preview")
    text = session.base_scenario.source_text
    if text is None:
        raise SessionError("the scenario was not loaded from a file; its futures cannot be replayed")
    options = state.inject.decision.options
    name, now = str(session.scenario_path), session.now
    history = tuple((a.t, a.action) for a in session.applied)
    tasks: list[tuple[str, int | str]] = [(option.id, i) for i in range(runs) for option in options]
    jobs = {(option.id, i): (run_future, (text, name, session.protocol, session.seed,
                                          history + tuple((now, a) for a in option.actions), i))
            for option, i in ((o, i) for i in range(runs) for o in options)}
    exact_args = (text, name, session.protocol, session.seed, tuple(session.commands), inject_id)
    for option in reversed(options):  # after the first future of each: a first estimate comes soonest
        jobs[(option.id, "exact")] = (run_exact, (*exact_args, option.id))
        tasks.insert(min(len(options), len(tasks)), (option.id, "exact"))
    outcomes: dict[tuple, tuple[float, float | None, float]] = {}
    complete, stopped = 0, None

    def summary(k: int) -> list[OptionOutcome]:
        return [_summarise(option, [outcomes[(option.id, i)] for i in range(k)],
                           outcomes.get((option.id, "exact"))) for option in options]

    def run(active: JobPool) -> None:
        nonlocal complete, stopped
        for index, value in active.run((jobs[task] for task in tasks), cancelled=cancelled):
            outcomes[tasks[index]] = value
            if progress is not None:
                progress(len(outcomes), len(tasks))
            k = complete
            while k < runs and all((o.id, k) in outcomes for o in options):
                k += 1
            if k == complete and tasks[index][1] != "exact":
                continue
            complete = k
            if stop_early and k < runs:
                stopped = told_apart({o.id: [outcomes[(o.id, i)][0] for i in range(k)] for o in options})
            if estimate is not None and k > 0 and stopped is None:
                estimate(PreviewEstimate(summary(k), k, runs))
            if stopped is not None:
                return  # closing the run cancels the futures not yet started

    if pool is not None:
        run(pool)
    else:
        with JobPool(max(workers, 1)) as own:
            run(own)
    result = summary(complete)
    if estimate is not None:
        estimate(PreviewEstimate(result, complete, runs, done=True, stopped_early=stopped))
    return result


def _count_interval(values: list[float]) -> tuple[float, float | None, float | None, int]:
    """A count's mean with its t interval, cut at 0 (a count is never negative).

    Not the bootstrap interval that `compare` gives counts: with the two or three futures of a
    first estimate, resampling so few values gives an interval far too narrow (two futures
    give almost none), where t's stays honestly wide.
    """
    mean, low, high, n = mean_ci(values)
    return mean, None if low is None else max(0.0, low), high, n


def _summarise(option, values: list[tuple[float, float | None, float]], exact) -> OptionOutcome:
    """Harm as a mean with an interval never below 0, RSET as a median.

    A future may never reach RSET (somebody still inside at the horizon): a Kaplan–Meier
    median counts it, where a mean over the others would not (issue 16).
    """
    harmed = _count_interval([v[0] for v in values])
    rset = summarise_time([v[1] for v in values])
    exposed = _count_interval([v[2] for v in values])
    return OptionOutcome(option.id, option.label, len(values), harmed[0], harmed[1], harmed[2],
                         math.nan if rset.median is None else rset.median, rset.low, rset.high, exposed[0],
                         exact[0] if exact else None, exact[1] if exact else None)
