"""Canaries for the SimPy internals that `sim/simpy_ext.py` relies on.

If a SimPy release changes any of them, these fail with a message that says what changed,
before a run can go quietly wrong. The pin in pyproject.toml keeps SimPy on the 4.1 series.
"""

from __future__ import annotations

import inspect

import pytest
import simpy
from simpy.core import URGENT, StopSimulation
from simpy.events import NORMAL, PENDING

from ttxsim.sim.simpy_ext import StartedNow, init_pending, run_to, trigger_in


def test_the_private_names_relied_on_still_exist():
    event = simpy.Event(simpy.Environment())
    assert event._value is PENDING, "a new Event's _value is no longer the PENDING sentinel"
    assert hasattr(event, "callbacks") and event.callbacks == []
    assert URGENT < NORMAL, "URGENT no longer sorts before NORMAL"
    assert callable(getattr(simpy.Process, "_resume", None)), "Process._resume is gone"
    assert "_active_proc" in inspect.getsource(simpy.Environment.__init__), "Environment._active_proc is gone"
    assert callable(StopSimulation.callback)
    env = simpy.Environment(initial_time=4.0)
    assert env._now == env.now == 4.0, "Environment._now no longer holds the clock"
    schedule = inspect.getsource(simpy.Environment.schedule)
    assert "heappush(self._queue, (self._now + delay, priority, next(self._eid), event))" in schedule, \
        "Environment.schedule no longer files (time, priority, id, event) on _queue: see trigger_in"


def test_an_event_triggered_in_a_delay_succeeds_then_like_a_timeout():
    env = simpy.Environment()

    class Turn(simpy.Event):
        def __init__(self):
            init_pending(self, env)

    turn, seen = Turn(), []
    assert not turn.triggered and turn.callbacks == []
    trigger_in(turn, 2.5)
    assert turn.triggered and not turn.processed
    turn.callbacks.append(lambda e: seen.append((env.now, e.ok, e.value)))
    env.run()
    assert seen == [(2.5, True, None)]


def test_a_triggered_event_keeps_its_place_among_timeouts_of_the_same_moment():
    env = simpy.Environment()
    order = []
    env.timeout(1).callbacks.append(lambda _: order.append("timeout"))
    event = simpy.Event(env)
    trigger_in(event, 1)
    event.callbacks.append(lambda _: order.append("turn"))
    env.run()
    assert order == ["timeout", "turn"], "NORMAL events of one moment no longer run in scheduling order"


def test_a_process_started_at_once_behaves_as_a_simpy_process():
    env = simpy.Environment()
    steps = []

    def walk():
        steps.append(env.now)
        yield env.timeout(2)
        steps.append(env.now)
        return "out"

    def creator():
        process = StartedNow(env, walk())
        assert env.active_process is me, "the creator is no longer the active process afterwards"
        assert steps == [0] and process.is_alive and not process.triggered
        value = yield process
        assert value == "out"

    me = env.process(creator())
    env.run()
    assert steps == [0, 2] and not me.is_alive and me.ok


def test_running_to_a_time_or_an_event_stops_at_the_first_and_leaves_no_stop_behind():
    env = simpy.Environment()
    ticks = []

    def tick():
        while True:
            ticks.append(env.now)
            yield env.timeout(1)

    env.process(tick())
    stop = env.event()
    run_to(env, 3, stop)
    assert env.now == 3 and ticks == [0, 1, 2], "the clock's stop no longer precedes that moment's events"
    env.timeout(0.5).callbacks.append(lambda _: stop.succeed("watched"))
    run_to(env, 10, stop)
    assert env.now == 3.5 and stop.value == "watched"
    env.run(until=6)  # neither stop left behind halts a later run
    assert env.now == 6 and ticks[-1] == 5


def test_an_exception_in_the_first_step_of_a_process_started_at_once_fails_it():
    env = simpy.Environment()

    def broken():
        raise ValueError("no way out")
        yield  # pragma: no cover

    def creator():
        process = StartedNow(env, broken())
        with pytest.raises(ValueError, match="no way out"):
            yield process

    env.process(creator())
    env.run()
