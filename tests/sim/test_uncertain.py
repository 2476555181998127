"""Uncertain parameters: paths into the scenario, applied as validated overrides."""

import pytest
import yaml

from ttxsim.sim import ScenarioError, parse_scenario
from ttxsim.sim.scenario.uncertain import override_for, parse_path

BASE = {
    "meta": {"name": "uncertain"},
    "venue": {
        "zones": [{"id": "room", "x_m": 0, "y_m": 0, "width_m": 10, "depth_m": 10}],
        "openings": [{"id": "door", "between": ["room", "outside"], "width_m": 1.0, "at_m": [10, 5]},
                     {"id": "back", "between": ["room", "outside"], "width_m": 1.2, "at_m": [0, 5]}],
    },
    "population": {"occupants": [{"zone": "room", "count": 50}],
                   "premovement_s": {"dist": "lognormal", "median": 30, "sigma": 0.5}},
}


def build(uncertain):
    return parse_scenario(yaml.safe_dump(dict(BASE, uncertain=uncertain)))


def test_paths_parse_keys_ids_and_indices():
    assert parse_path("venue.openings[back].width_m") == ["venue", "openings", ("id", "back"), "width_m"]
    assert parse_path("population.occupants[0].count") == ["population", "occupants", 0, "count"]
    with pytest.raises(ValueError):
        parse_path("venue..x")


def test_values_reach_the_scenario_by_id_index_and_distribution_parameter():
    scenario = build([
        {"name": "back_width", "path": "venue.openings[back].width_m", "low": 0.8, "high": 2.0},
        {"name": "crowd", "path": "population.occupants[0].count", "low": 10, "high": 90, "integer": True},
        {"name": "premove", "path": "population.premovement_s.median", "low": 10, "high": 120},
    ])
    varied = scenario.with_values({"back_width": 1.7, "crowd": 42.4, "premove": 99.0})
    assert [o.width_m for o in varied.venue.openings] == [1.0, 1.7]
    assert varied.population.occupants[0].count == 42
    assert varied.population.premovement_s.median == 99.0
    assert scenario.venue.openings[1].width_m == 1.2  # the original is unchanged


def test_a_path_to_nothing_is_a_located_error():
    with pytest.raises(ScenarioError) as caught:
        build([{"name": "bad", "path": "venue.openings[nope].width_m", "low": 1, "high": 2}])
    assert "uncertain[0].path" in str(caught.value)
    assert "no item with id 'nope'" in str(caught.value)


def test_a_range_the_schema_refuses_is_a_located_error():
    with pytest.raises(ScenarioError) as caught:
        build([{"name": "w", "path": "venue.openings[door].width_m", "low": -1, "high": 2}])
    assert "low = -1 does not apply" in str(caught.value)


def test_override_for_keeps_other_items_when_indexing():
    data = {"a": [{"x": 1, "y": 2}, {"x": 3}]}
    assert override_for(data, "a[1].x", 9) == {"a": [{"x": 1, "y": 2}, {"x": 9}]}


def test_route_inertia_can_be_varied_even_where_the_file_leaves_it_at_its_default():
    # docs/model.md (exit choice) asks for `faster_by` to be varied: it is unverified.
    scenario = build([{"name": "inertia", "path": "population.route_inertia.faster_by.high",
                       "low": 0.3, "high": 0.9}])
    varied = scenario.with_values({"inertia": 0.8})
    assert varied.population.route_inertia.faster_by.high == 0.8
    assert varied.population.route_inertia.faster_by.low == 0.1  # the rest of the default stays
