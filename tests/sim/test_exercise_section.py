"""The scenario's `exercise` section: HSEEP objectives and core capabilities, checked like the rest."""

from __future__ import annotations

import pytest
import yaml

from ttxsim.sim import RATINGS, load_scenario
from ttxsim.sim.scenario import ScenarioError


@pytest.fixture
def with_exercise(write_yaml, make_scenario_data):
    """Write the small scenario with this `exercise` section."""
    return lambda exercise: write_yaml(yaml.safe_dump({**make_scenario_data(), "exercise": exercise},
                                                      sort_keys=False))


def test_objectives_and_their_capabilities_load(with_exercise):
    path = with_exercise({"name": "Drill", "objectives": [
        {"id": "O1", "text": "Alarm fast", "capabilities": ["Public Information and Warning"]},
        {"id": "O2", "text": "Coordinate", "capabilities": ["Operational Coordination",
                                                            "Public Information and Warning"]}]})
    exercise = load_scenario(path).exercise
    assert [o.id for o in exercise.objectives] == ["O1", "O2"]
    assert exercise.capabilities() == ["Public Information and Warning", "Operational Coordination"]
    assert exercise.type == "Tabletop exercise"
    assert list(RATINGS) == ["P", "S", "M", "U"]


@pytest.mark.parametrize(("objectives", "field", "message"), [
    ([{"id": "O1", "text": "x", "capabilities": []}], "exercise.objectives[0].capabilities", "at least 1"),
    ([{"id": "O1", "text": "x", "capabilities": ["A"]}, {"id": "O1", "text": "y", "capabilities": ["B"]}],
     "exercise", "objective ids must be unique: o1"),
    ([{"id": "O1", "text": "x", "capabilities": ["A"], "rating": "P"}], "exercise.objectives[0].rating",
     "unknown"),
])
def test_a_bad_exercise_section_gets_a_located_error(with_exercise, objectives, field, message):
    path = with_exercise({"objectives": objectives})
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    [problem] = caught.value.problems
    assert problem.path == field and message in problem.message.lower() and problem.line > 1
