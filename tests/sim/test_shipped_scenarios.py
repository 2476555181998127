"""The scenarios shipped in scenarios/ and the benchmark venue generator stay valid."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from ttxsim.sim import load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("**/*.yaml"))
CONCERT_HALL = ROOT / "scenarios" / "concert_hall.yaml"


def _load_generator():
    path = ROOT / "benchmarks" / "make_large_venue.py"
    spec = importlib.util.spec_from_file_location("make_large_venue", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scenarios_are_shipped():
    assert CONCERT_HALL in SCENARIOS


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: str(p.relative_to(ROOT)))
def test_scenario_loads_and_every_protocol_resolves(path):
    scenario = load_scenario(path)
    assert scenario.protocol_names[0] == "baseline"
    for name in scenario.protocol_names:
        variant = scenario.with_protocol(name)
        assert variant.protocol == name
        assert sum(g.count for g in variant.population.occupants) > 0


def test_concert_hall_capacity_and_exit_states():
    scenario = load_scenario(CONCERT_HALL)
    kinds = {z.id: z.kind for z in scenario.venue.zones}
    in_hall = sum(g.count for g in scenario.population.occupants if kinds[g.zone] == "hall")
    assert 5_800 <= in_hall <= 6_600
    states = [o.state for o in scenario.venue.openings]
    assert "closed" in states
    assert "locked" in states
    assert scenario.meta.start_time is not None
    assert scenario.meta.sources


def test_concert_hall_exits_unlocked_opens_every_exit():
    scenario = load_scenario(CONCERT_HALL).with_protocol("exits_unlocked")
    assert {o.state for o in scenario.venue.openings} == {"open"}
    assert all(o.staff_open_after_s is None for o in scenario.venue.openings)


@pytest.mark.parametrize("occupants", [6_000, 60_000])
def test_generated_large_venue_loads(occupants):
    data = _load_generator().make_venue(occupants)
    scenario = parse_scenario(yaml.safe_dump(data), name=f"stadium-{occupants}")
    assert sum(g.count for g in scenario.population.occupants) == occupants


def test_generated_venues_scale_by_sections_at_constant_density():
    make_venue = _load_generator().make_venue
    small, large = (parse_scenario(yaml.safe_dump(make_venue(n))) for n in (6_000, 60_000))

    def densities(scenario):
        area = {z.id: z.area_m2 for z in scenario.venue.zones}
        return {round(g.count / area[g.zone], 6) for g in scenario.population.occupants}

    assert densities(small) == densities(large)
    assert len(large.population.occupants) == 10 * len(small.population.occupants)


def test_generator_main_writes_a_valid_file(tmp_path):
    out = tmp_path / "stadium.yaml"
    assert _load_generator().main([str(out), "--occupants", "1500"]) == 0
    scenario = load_scenario(out)
    assert sum(g.count for g in scenario.population.occupants) == 1_500


def test_every_protocol_of_the_shipped_scenarios_says_what_it_means():
    for path in (ROOT / "scenarios").glob("*.yaml"):  # the exercises, not the verification cases
        scenario = load_scenario(path)
        for name in scenario.protocol_names:
            assert scenario.protocol_description(name), f"{path.name}: {name} has no description"
