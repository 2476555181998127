"""The concert hall's warning chain, posture levels and MSEL (scenarios/concert_hall.yaml)."""

from __future__ import annotations

from pathlib import Path
from statistics import mean

import pytest

from ttxsim.sim import Simulation, parse_action
from ttxsim.sim.msel import export_msel, import_msel
from ttxsim.sim.scenario import load_scenario
from ttxsim.sim.scenario.injects import Inject

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "concert_hall.yaml"
SEEDS = range(1, 13)


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(SCENARIO)


@pytest.fixture(scope="module")
def runs(scenario):
    """Baseline and warning_heeded over the same 12 seeds (shared by several tests)."""
    return {p: {s: Simulation(scenario, protocol=p, seed=s).run() for s in SEEDS}
            for p in ("baseline", "warning_heeded")}


def test_warning_heeded_reaches_the_venue_and_raises_the_posture(runs):
    result = runs["warning_heeded"][1]
    assert result.warning_reached_venue
    assert result.posture >= 1


def test_baseline_posture_is_normal_at_the_event(runs):
    assert [runs["baseline"][s].posture for s in range(1, 6)] == [0] * 5


def test_warning_heeded_lowers_mean_harm(runs):
    baseline = mean(runs["baseline"][s].harmed_total for s in SEEDS)
    heeded = mean(runs["warning_heeded"][s].harmed_total for s in SEEDS)
    assert heeded < baseline


def test_warning_shared_with_venue_reaches_it(scenario):
    for seed in range(1, 6):
        result = Simulation(scenario, protocol="warning_shared_with_venue", seed=seed).run()
        assert result.warning_reached_venue, seed


def test_msel_round_trip_keeps_the_decisions(scenario, tmp_path):
    path = tmp_path / "concert_hall_msel.csv"
    export_msel(scenario.injects, path)
    back = [Inject.model_validate(i) for i in import_msel(path)]
    assert [i.id for i in back] == [i.id for i in scenario.injects]
    assert [(i.at, i.on, i.delay_s) for i in back] == [(i.at, i.on, i.delay_s) for i in scenario.injects]
    assert [i.message for i in back] == [i.message for i in scenario.injects]
    assert [i.decision for i in back] == [i.decision for i in scenario.injects]
    assert sum(i.decision is not None for i in back) >= 5


def test_every_decision_option_parses(scenario):
    decisions = [i.decision for i in scenario.injects if i.decision is not None]
    assert len(decisions) >= 5
    for decision in decisions:
        for option in decision.options:
            for action in option.actions:
                parse_action(action)
