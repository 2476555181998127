"""Stepping the model as a console does: stop on an event, go on, reseed the future."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttxsim.sim import Simulation, load_scenario, triggers_of

THEATRE = Path(__file__).parents[2] / "scenarios" / "theatre.yaml"


@pytest.fixture(scope="module")
def theatre():
    return load_scenario(THEATRE)


def test_run_until_stops_at_the_first_watched_event_and_then_goes_on(theatre):
    sim = Simulation(theatre, seed=4)
    sim.run_until(0)
    event = sim.run_until(900, stop_on={"alarm"})
    first_alarm = next(e for e in sim.events if e.kind == "alarm")
    assert event is first_alarm and sim.now == first_alarm.t < 900
    assert sim.run_until(900) is None
    assert sim.now == 900, "an early stop must not leave a stale stop that halts the next run"
    straight = Simulation(theatre, seed=4)
    straight.run_until(900)
    assert sim.state() == straight.state()
    assert sim.result().to_dict() == straight.result().to_dict()


def test_run_until_without_the_watched_event_reaches_its_time(theatre):
    sim = Simulation(theatre, seed=4)
    assert sim.run_until(60, stop_on={"fire_suppressed"}) is None
    assert sim.now == 60


def test_reseeding_changes_the_future_and_only_the_future(theatre):
    def run(reseed: int | None):
        sim = Simulation(theatre, seed=1, start_s=-3 * 86400)
        sim.run_until(-86400)
        before = list(sim.events)
        if reseed is not None:
            sim.reseed(reseed)
        return before, sim.run().to_dict()

    past_a, a = run(11)
    _, b = run(11)
    past_c, c = run(12)
    past_0, plain = run(None)
    assert a == b, "the same fresh seed gives the same future"
    assert a != c and a != plain, "another seed gives another future"
    assert past_a == past_c == past_0, "the past is not redrawn"


def test_inject_triggers_name_the_exercise_words_for_model_events():
    scenario = load_scenario(Path(__file__).parents[2] / "scenarios" / "concert_hall.yaml")
    sim = Simulation(scenario, seed=1, start_s=-20 * 86400)
    sim.run_until(120)
    received = [e for e in sim.events if e.kind == "warning_received"]
    at_venue = [e for e in received if "warning_at_venue" in triggers_of(e, scenario)]
    assert len(received) >= 2 and all("warning_received" in triggers_of(e, scenario) for e in received)
    assert at_venue and all(e.detail.startswith("venue_security ") for e in at_venue)
    detection = next(e for e in sim.events if e.kind == "detection")
    assert triggers_of(detection, scenario) == ("first_detection",)
    assert triggers_of(next(e for e in sim.events if e.kind == "zone_cued"), scenario) == ()


def test_an_action_at_exactly_t0_finds_the_event_started(theatre):
    sim = Simulation(theatre, seed=2, start_s=-86400, decisions=[(0.0, {"action": "announce"})])
    sim.run()
    assert any(e.kind == "announcement" and e.t == 0.0 for e in sim.events)
    stepped = Simulation(theatre, seed=2, start_s=-86400)
    stepped.run_until(0)
    stepped.apply({"action": "order_evacuation"})  # the console at T+00:00:00
    assert stepped.begun and any(e.kind == "evacuation_ordered" for e in stepped.events)
    stepped.run_until(1)
    assert sum(1 for e in stepped.events if e.kind == "threat_entered") <= 1, "the event starts once"
