"""The fictional underground station: smoke from a platform fire rises through the stairs.

Asserts what the scenario is for (docs/model.md, fire, smoke and tenability, and its
verification table): smoke reaches the street-level concourse within minutes of ignition,
two floors up, and people are harmed by smoke outside the fire's zone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ttxsim.sim import Simulation, load_scenario
from ttxsim.sim.census import HARMED

STATION = Path(__file__).resolve().parents[2] / "scenarios" / "underground_station.yaml"


@pytest.fixture(scope="module")
def runs():
    scenario = load_scenario(STATION)
    out = []
    for seed in (1, 2, 3):
        sim = Simulation(scenario, seed=seed)
        sim.run_until(scenario.meta.horizon_s)
        out.append(sim)
    return out


def test_smoke_reaches_the_street_level_within_minutes(runs):
    for sim in runs:
        schedule = sim.smoke.schedule
        ignition = schedule["platform"].arrival_s
        assert schedule["concourse"].arrival_s - ignition < 6 * 60
        assert schedule["concourse"].untenable_s - ignition < 15 * 60
        # Upwards, floor by floor: the platform stairs share the platform's air and spill into
        # the mezzanine at their heads as soon as smoke collects under them.
        assert schedule["mezzanine"].arrival_s == pytest.approx(ignition, abs=1.0)
        assert schedule["mezzanine"].untenable_s < schedule["concourse"].untenable_s


def test_people_are_harmed_by_smoke_outside_the_fire_zone(runs):
    for sim in runs:
        census = sim.census
        where = [sim.zones[census.zone_of[p]].id for p, s in enumerate(census.status) if s == HARMED]
        outside_fire = [z for z in where if z != "platform"]
        assert outside_fire, where
        result = sim.result()
        assert result.harmed["smoke"] > 0
        assert result.exposed_smoke > len(where)  # in smoke, most of them got out
        assert result.injured_smoke > 0  # and some of those with FED ≥ 0.3
