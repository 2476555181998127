"""Every use of SimPy's private internals, in one place, each with its reason.

The hot path creates an event for every passage and a process for every person, so three
things are done as SimPy does them internally rather than through its public calls, which
cost an extra event or an extra object each time. They rely on SimPy 4.1's internals:
`Event._ok`, `Event._value` and the `PENDING` sentinel; `Process._resume` and
`Environment._active_proc`; `Environment._queue`, `_eid` and `_now` (how `schedule` files an
event; `_now` is also read for the clock on the hot path, where the `now` property costs a
call); the `URGENT`/`NORMAL` priorities and `StopSimulation.callback`.
`pyproject.toml` pins `simpy` to the 4.1 series, and `tests/sim/test_simpy_ext.py` fails
loudly if a SimPy release changes any of them.
"""

from __future__ import annotations

from collections.abc import Generator
from heapq import heappush
from typing import Any

import simpy
from simpy.core import URGENT, StopSimulation
from simpy.events import NORMAL, PENDING

__all__ = ["StartedNow", "init_pending", "run_to", "trigger_in"]


def init_pending(event: simpy.Event, env: simpy.Environment) -> None:
    """Initialise an Event subclass as `simpy.Event.__init__` does, without the call.

    Why: a `Turn` is made for every passage; calling the base initialiser costs a frame.
    """
    event.env = env
    event.callbacks = []
    event._value = PENDING


def trigger_in(event: simpy.Event, delay: float) -> None:
    """Schedule a pending event to succeed (value None) `delay` seconds from now.

    Why: `Event.succeed()` schedules at the current time only, and a `Timeout` is a second
    object; a person's turn at an opening is one event that stands for both the walk and the
    wait, so it is scheduled as `simpy.Timeout` schedules itself.
    """
    event._ok = True
    event._value = None
    env = event.env
    heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), event))  # Environment.schedule, inlined


class _Go:
    """Stands in for a processed event whose value is None: what starts a generator."""

    _ok = True
    _value = None


class StartedNow(simpy.Process):
    """A process whose first step runs at once, inside the process that creates it.

    Why: `env.process` schedules an Initialize event and runs the generator's first step
    when the event comes up; for a person released by their zone that is the same instant,
    so running the step at once saves one event per occupant (a sixth of a run's events).
    The step runs exactly as SimPy would run it (`Process._resume`), and SimPy's record of
    the active process is set back to the creator afterwards. Results are the same as with
    `env.process`.
    """

    def __init__(self, env: simpy.Environment, generator: Generator[Any, Any, Any]):
        self.env = env
        self.callbacks = []
        self._value = PENDING  # alive, as simpy.Event.__init__ would leave it
        self._generator = generator
        self._target = None  # type: ignore[assignment]  # as simpy.Process.__init__ leaves it
        creator = env.active_process
        self._resume(_Go)  # type: ignore[arg-type]  # duck-typed as a processed event
        env._active_proc = creator


def run_to(env: simpy.Environment, t: float, stop: simpy.Event) -> None:
    """Run until the clock reaches `t` or `stop` succeeds, whichever comes first.

    Why: `Environment.run` takes one `until`; a console that waits for an event kind needs
    two. The clock's stop is scheduled as `run(until=t)` schedules it (URGENT, so the run
    halts before that moment's ordinary events, exactly like `run(until=t)`); whichever stop
    loses must not halt a later run, so its `StopSimulation` callback is removed.
    """
    at_t = simpy.Event(env)
    at_t._ok, at_t._value = True, None
    env.schedule(at_t, URGENT, t - env.now)
    stop.callbacks.append(StopSimulation.callback)
    try:
        env.run(until=at_t)
    finally:
        for event in (at_t, stop):
            if event.callbacks and StopSimulation.callback in event.callbacks:
                event.callbacks.remove(StopSimulation.callback)
