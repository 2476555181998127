"""RiMEA test 11, choice of escape route (scenarios/verification/rimea_11_route_choice.yaml).

RiMEA Guideline for Microscopic Evacuation Analysis 3.0.0 (2016), test 11: with one exit
much nearer than the other, most people head for the nearer, a jam forms there, and only
some switch to the farther. Route inertia (`population.route_inertia`, docs/model.md: exit
choice) is what gives this; with perfect information the crowd splits evenly from the start.
"""

from pathlib import Path

import pytest

from ttxsim.sim import Simulation, load_scenario

SCENARIO = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "verification"
                         / "rimea_11_route_choice.yaml")


def heading_at_start(sim: Simulation) -> dict[str, int]:
    """How many are queued at or on their way to each exit just after everyone chose."""
    sim.run_until(0.5)
    return {d.id: len(d.line) + d.heading for d in sim.doors}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_most_head_for_the_nearer_exit_a_jam_forms_and_only_some_switch(seed):
    sim = Simulation(SCENARIO, seed=seed)
    start = heading_at_start(sim)
    result = sim.run()
    near, far = result.openings["exit_near"], result.openings["exit_far"]
    assert near.passed + far.passed == 1000
    assert start["exit_near"] >= 550  # most head for the nearer exit
    assert near.peak_queue >= 300  # a jam there
    switched = start["exit_near"] - near.passed
    assert 0 < switched <= 0.2 * start["exit_near"]  # some, not most, switch
    assert near.passed > far.passed


@pytest.mark.parametrize("seed", [1, 2])
def test_with_perfect_information_the_crowd_splits_evenly_from_the_start(seed):
    sim = Simulation(SCENARIO, protocol="perfect_information", seed=seed)
    start = heading_at_start(sim)
    result = sim.run()
    assert abs(start["exit_near"] - 500) <= 5
    assert abs(result.openings["exit_near"].passed - 500) <= 20


def test_nearest_exit_choice_sends_everybody_to_the_nearer_exit():
    result = Simulation(SCENARIO, protocol="nearest", seed=1).run()
    assert result.openings["exit_near"].passed == 1000
