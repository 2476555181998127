"""Playing decisions on a run: each action at its exact time, a guarded inject's only if it is delivered.

A session applies the players' decisions by stopping the model and calling `Simulation.apply`
at the moment they were taken; a run of the same decisions must do the same to give the same
result, to the last digit. So the decisions are played by stepping the run (`run_until`, then
`apply`), not scheduled as processes, and every stop lands on its time exactly: SimPy computes
a stop at `now + (t - now)`, which can miss `t` by a rounding step when `now` is far from `t`
(weeks before the event), so the clock is walked there in steps that are exact (through 0,
then doubling, or halving before 0; Sterbenz's lemma makes each subtraction exact).

A decision that came from an inject with a condition (`when:`/`unless:`) is applied only if
that inject is delivered in this run: each such item carries the inject's id and its delivery
time `due_s`, and a guard (a callable: the model now and the choices so far in, yes or no out)
is asked once per inject, at that time, against the running model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from .conditions import facts_of, judge
from .simulation import ActionError, Simulation

if TYPE_CHECKING:
    from .decisions import Decision
    from .results import Result
    from .scenario import Scenario

__all__ = ["Guard", "Played", "condition_guard", "land", "play_decisions", "run_with_decisions"]

Guard = Callable[[Simulation, str, Mapping[str, str]], bool]
"""Whether inject `inject_id` is delivered now in `sim`, given the options chosen so far (by inject id)."""

MAX_HOPS = 2100
"""More exact steps than a float's exponent range needs: a walk that takes more has a bug."""


class Played:
    """What playing the decisions did to a run (besides the run itself)."""

    def __init__(self) -> None:
        self.applied: list[Decision] = []
        """The decisions applied, in order."""
        self.withheld: list[Decision] = []
        """Decisions not applied: their inject was not delivered in this run (its guard said no)."""
        self.failed: list[tuple[Decision, str]] = []
        """Decisions that could not apply in this run, with why (only when failures are skipped)."""
        self.choices: dict[str, str] = {}
        """The option of each inject whose decision was applied, by inject id."""


def land(sim: Simulation, t: float) -> None:
    """Run `sim` to exactly `t` (capped at its horizon), in steps whose arithmetic is exact."""
    t = min(t, sim.horizon_s)
    for _ in range(MAX_HOPS):
        now = sim.now
        if now >= t:
            return
        if now < 0 < t:
            stop = 0.0  # now + (0 - now) is 0 exactly, and then 0 + t is t
        elif now < 0:
            stop = t if t <= now / 2 else now / 2  # within a factor 2 of now: t - now is exact
        else:
            stop = t if now == 0 or t <= 2 * now else 2 * now
        sim.run_until(stop)
        if sim.now < stop:  # the horizon came first
            return
    raise RuntimeError(f"could not bring the clock from {sim.now} to {t} exactly")


def play_decisions(sim: Simulation, decisions: Iterable[Decision], *, guard: Guard | None = None,
                   skip_failed: bool = False) -> tuple[Result, Played]:
    """Apply `decisions` (sorted by time) to `sim` at their times, run it to the end, return its result.

    Args:
        sim: A fresh run (its clock not yet past the first decision).
        decisions: The decisions, in time order (as `load_decisions` returns them).
        guard: Asked once per inject for the items that carry a `due_s`, at that time; an inject
            it refuses has none of its items applied. None: every item applies.
        skip_failed: Note a decision that cannot apply in this run and go on (as the console does
            when an option's action fails), instead of raising.

    Raises:
        ActionError: A decision cannot apply (and `skip_failed` is False); its `decision` is the
            index in `decisions`.
    """
    items = list(decisions)
    played = Played()
    steps: list[tuple[float, int, int]] = []  # (time, 0 = ask the guard / 1 = apply, item index)
    asked: set[str] = set()
    for index, item in enumerate(items):
        if guard is not None and item.inject and item.due_s is not None and item.inject not in asked:
            asked.add(item.inject)
            steps.append((item.due_s, 0, index))
        steps.append((item.t, 1, index))
    steps.sort(key=lambda step: (step[0], step[1], step[2]))
    delivered: dict[str, bool] = {}
    for t, kind, index in steps:
        item = items[index]
        land(sim, t)
        if kind == 0 and guard is not None and item.inject:
            delivered[item.inject] = bool(guard(sim, item.inject, dict(played.choices)))
            continue
        if item.inject is not None and not delivered.get(item.inject, True):
            played.withheld.append(item)
            continue
        try:
            sim.apply(item.action)
        except ActionError as exc:
            if not skip_failed:
                raise ActionError(str(exc), index) from None
            played.failed.append((item, str(exc)))
            continue
        played.applied.append(item)
        if item.inject is not None and item.option is not None:
            played.choices[item.inject] = item.option
    return sim.run(), played


def run_with_decisions(scenario: Scenario, decisions: Iterable[Decision], *, protocol: str | None = None,
                       seed: int = 0, guard: Guard | None = None, skip_failed: bool = False
                       ) -> tuple[Result, Played]:
    """A fresh run of `scenario` under `protocol` and `seed` with `decisions` played on it.

    The clock starts early enough for the first decision (as a session's starts at its first
    inject; when a run starts does not change its draws).
    """
    items = sorted(decisions, key=lambda d: d.t)
    first = min((d.t for d in items), default=0.0)
    sim = Simulation(scenario, protocol=protocol, seed=seed, start_s=first if first < 0 else None)
    return play_decisions(sim, items, guard=guard, skip_failed=skip_failed)


def condition_guard(scenario: Scenario) -> Guard | None:
    """The guard for a scenario's conditional injects, or None if it has none.

    The inject is judged as the console judges it when it comes due (`conditions.judge`):
    its decision was put to the players in this run only if it was not skipped and what went
    out (the inject, or its `otherwise` alternative) carries a decision.
    """
    conditional = {i.id: i for i in scenario.injects if i.when or i.unless}
    if not conditional:
        return None

    def guard(sim: Simulation, inject_id: str, choices: Mapping[str, str]) -> bool:
        inject = conditional.get(inject_id)
        if inject is None:
            return True
        verdict = judge(inject, facts_of(sim, dict(choices)))
        return verdict.outcome != "skipped" and verdict.inject.decision is not None

    return guard
