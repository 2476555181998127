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

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ttxsim.analysis.executor import JobPool
from ttxsim.analysis.stats import mean_ci
from ttxsim.sim import Simulation, parse_scenario

from .replay import replay_commands
from .session import ExerciseSession, SessionError

__all__ = ["OptionOutcome", "future_seed", "preview_options", "run_exact", "run_future"]


@dataclass(frozen=True)
class OptionOutcome:
    """One option's outcomes over the previewed futures (means with 95 % intervals)."""

    option_id: str
    label: str
    runs: int
    harmed_mean: float
    harmed_lo: float | None
    harmed_hi: float | None
    rset_mean: float
    rset_lo: float | None
    rset_hi: float | None
    exposed_mean: float
    exact_harmed: float | None = None
    """In this present (the session's own draws): people harmed."""
    exact_rset: float | None = None
    """In this present: the time the last person got out."""


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
    """One fresh future with the given (time, action) decisions. Runs in a worker process."""
    simulation = Simulation(_scenario(text, name), protocol=protocol, seed=future_seed(seed, replication),
                            decisions=list(decisions))
    return _outcome(simulation.run())


def _outcome(result) -> tuple[float, float | None, float]:
    return float(sum(result.harmed.values())), result.rset_s, float(result.exposed)


def preview_options(session: ExerciseSession, inject_id: str, *, runs: int = 100, workers: int = 2,
                    progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> list[OptionOutcome]:
    """Run `runs` futures of every option of the open decision on `inject_id`.

    Args:
        session: the live session (it is not changed).
        inject_id: a delivered inject whose decision is still open.
        runs: futures per option.
        workers: processes to use (1: in this process).
        progress: called with (done, total) after each future.
        cancelled: polled between futures; when it returns True the preview stops and
            returns what it has.
    """
    state = session.inject(inject_id)
    if not state.awaiting_decision:
        raise SessionError(f"{inject_id} has no open decision to preview")
    text = session.base_scenario.source_text
    if text is None:
        raise SessionError("the scenario was not loaded from a file; its futures cannot be replayed")
    options = state.inject.decision.options
    name, now = str(session.scenario_path), session.now
    history = tuple((t, action) for t, action, _ in session.applied)
    tasks = [(option.id, i) for i in range(runs) for option in options]
    jobs = {(option.id, i): (run_future, (text, name, session.protocol, session.seed,
                                          history + tuple((now, a) for a in option.actions), i))
            for option, i in ((o, i) for i in range(runs) for o in options)}
    exact_args = (text, name, session.protocol, session.seed, tuple(session.commands), inject_id)
    for option in options:
        jobs[(option.id, "exact")] = (run_exact, (*exact_args, option.id))
        tasks.insert(0, (option.id, "exact"))
    outcomes: dict[tuple, tuple[float, float | None, float]] = {}
    with JobPool(max(workers, 1)) as pool:
        for index, value in pool.run((jobs[task] for task in tasks), cancelled=cancelled):
            outcomes[tasks[index]] = value
            if progress is not None:
                progress(len(outcomes), len(tasks))
    # summed in replication order, so the figures do not depend on which worker finished first
    return [_summarise(option, [outcomes[(option.id, i)] for i in range(runs) if (option.id, i) in outcomes],
                       outcomes.get((option.id, "exact")))
            for option in options]


def _summarise(option, values: list[tuple[float, float | None, float]], exact) -> OptionOutcome:
    harmed = mean_ci([v[0] for v in values])
    rset = mean_ci([v[1] for v in values])
    exposed = mean_ci([v[2] for v in values])
    return OptionOutcome(option.id, option.label, len(values), harmed[0], harmed[1], harmed[2],
                         rset[0], rset[1], rset[2], exposed[0],
                         exact[0] if exact else None, exact[1] if exact else None)
