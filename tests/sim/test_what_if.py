"""What-if knobs on distributions (issue 13): `scale` and `shift`, and how a protocol's bare
`{shift: -60}` modifies the base distribution instead of replacing it.
"""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from ttxsim.sim import Simulation, load_scenario
from ttxsim.sim.scenario import ScenarioError
from ttxsim.sim.scenario.distributions import Distribution
from ttxsim.sim.scenario.merge import deep_merge

DIST = TypeAdapter(Distribution)


VALID = """\
meta:
  name: Small room
venue:
  zones:
    - {id: room, x_m: 0, y_m: 0, width_m: 10, depth_m: 10}
  openings:
    - {id: door, between: [room, outside], width_m: 1.0, at_m: [10, 5]}
population:
  occupants:
    - {zone: room, count: 50}
  premovement_s: {dist: lognormal, median: 30, sigma: 0.5}
"""


def where(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of `needle` in `text`."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def dist(value):
    return DIST.validate_python(value)


# -- schema and sampling -----------------------------------------------------------------------


@pytest.mark.parametrize("spec", [
    {"dist": "uniform", "low": 10, "high": 20},
    {"dist": "normal", "mean": 5, "sd": 2, "min": 1},
    {"dist": "lognormal", "median": 30, "sigma": 0.5, "max": 90},
    {"dist": "triangular", "low": 1, "mode": 2, "high": 5},
    {"dist": "exponential", "mean": 4},
    {"dist": "constant", "value": 7},
])
def test_a_sample_is_scale_times_the_base_plus_shift(spec):
    base = dist(spec).sample(np.random.default_rng(3), 50)
    modified = dist(spec | {"scale": 1.5, "shift": -4}).sample(np.random.default_rng(3), 50)
    assert np.allclose(modified, 1.5 * base - 4)


def test_defaults_draw_bit_for_bit_as_before():
    # The very numbers of the code before scale and shift existed (no arithmetic at the defaults).
    spec = dist({"dist": "normal", "mean": 1.34, "sd": 0.26, "min": 0.56, "max": 2.12})
    expected = np.clip(np.random.default_rng(9).normal(1.34, 0.26, 100), 0.56, 2.12)
    assert spec.sample(np.random.default_rng(9), 100).tolist() == expected.tolist()


def test_clip_bounds_belong_to_the_base_and_the_shift_moves_them():
    # A lognormal's minimum delay is its shift, added after min/max bound the lognormal part.
    spec = dist({"dist": "lognormal", "median": 10, "sigma": 0, "min": 20, "shift": 5})
    assert spec.sample(np.random.default_rng(1), 3).tolist() == [25.0] * 3


def test_a_delay_shifted_below_zero_is_drawn_as_zero():
    spec = dist({"dist": "constant", "value": 30, "shift": -60})
    assert spec.sample(np.random.default_rng(1), 1)[0] == -30
    assert spec.delay(np.random.default_rng(1)) == 0.0
    assert dist({"dist": "constant", "value": 30, "shift": -10}).delay(np.random.default_rng(1)) == 20.0


@pytest.mark.parametrize("scale", [0, -1])
def test_scale_must_be_positive(scale):
    with pytest.raises(ValidationError, match="greater than 0"):
        dist({"dist": "constant", "value": 1, "scale": scale})


# -- the merge ---------------------------------------------------------------------------------


def merged(base, over):
    return deep_merge({"d": base}, {"d": over})[0]["d"]


def test_a_bare_shift_modifies_the_base_distribution():
    base = {"dist": "triangular", "low": 15, "mode": 60, "high": 195}
    assert merged(base, {"shift": -60}) == base | {"shift": -60}


def test_a_bare_shift_adds_to_the_base_shift_and_scale_multiplies_both():
    base = {"dist": "lognormal", "median": 30, "sigma": 0.5, "shift": 5, "scale": 2}
    assert merged(base, {"shift": -60}) == base | {"shift": -55}
    # s1 (s0 x + h0) + h1: scale 3 × 2, shift 3 × 5 − 1
    assert merged(base, {"scale": 3, "shift": -1}) == base | {"scale": 6, "shift": 14}
    assert merged(base, {"scale": 3}) == base | {"scale": 6, "shift": 15}


def test_other_keys_of_a_bare_override_set_their_parameter():
    base = {"dist": "lognormal", "median": 30, "sigma": 0.5, "shift": 5}
    assert merged(base, {"median": 40, "shift": 1}) == base | {"median": 40, "shift": 6}


def test_an_override_that_names_dist_states_the_distribution():
    base = {"dist": "lognormal", "median": 30, "sigma": 0.5, "shift": 5}
    assert merged(base, {"dist": "lognormal", "shift": 1}) == base | {"shift": 1}
    assert merged(base, {"dist": "constant", "value": 3}) == {"dist": "constant", "value": 3}


def test_a_bare_override_modifies_a_default_distribution(make_scenario):
    # The file leaves the walking speed at Weidmann's default: "everyone 20 % slower".
    scenario = make_scenario(protocols={"slow": {"population": {"free_speed_m_s": {"scale": 0.8}}}})
    speed = scenario.with_protocol("slow").population.free_speed_m_s
    assert (speed.dist, speed.mean, speed.sd, speed.scale) == ("normal", 1.34, 0.26, 0.8)


def test_an_uncertain_shift_sets_the_value_rather_than_adding_to_it(make_scenario):
    scenario = make_scenario(population={"premovement_s": {"dist": "lognormal", "median": 30, "sigma": 0.5,
                                                           "shift": 5}},
                             uncertain=[{"name": "floor", "path": "population.premovement_s.shift",
                                         "low": 0, "high": 20}])
    assert scenario.with_values({"floor": 12}).population.premovement_s.shift == 12


def test_a_protocol_shift_out_of_range_points_at_the_protocol(write_yaml):
    text = VALID + "protocols:\n  fast:\n    population:\n      free_speed_m_s: {shift: 9}\n"
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_yaml(text))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == where(text, "{shift: 9}")
    assert "between 0 and 10 m/s" in problem.message and "fast" in problem.message


# -- hand-checked effects ----------------------------------------------------------------------

THEATRE = "scenarios/theatre.yaml"


def test_the_alarm_60_s_earlier_moves_the_alarm_by_60_s():
    # Theatre: alarm decision triangular(15, 60, 195) after detection; shifted by −60 s the
    # same draw (common random numbers) ends 60 s sooner, or at detection if that is sooner.
    base = load_scenario(THEATRE)
    early = base.with_overrides({"response": {"alarm_decision_s": {"shift": -60}}})
    assert early.response.alarm_decision_s.dist == "triangular"
    for seed in (1, 2, 3):
        before = Simulation(base, seed=seed).run().times
        after = Simulation(early, seed=seed).run().times
        decision = before["alarm"] - before["detection"]
        assert after["detection"] == before["detection"]
        assert after["alarm"] == pytest.approx(before["detection"] + max(0.0, decision - 60))


def test_a_shift_below_zero_for_the_whole_range_alarms_at_detection():
    base = load_scenario(THEATRE)
    at_once = base.with_overrides({"response": {"alarm_decision_s": {"shift": -1000}}})
    times = Simulation(at_once, seed=1).run().times
    assert times["alarm"] == times["detection"]
