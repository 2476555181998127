"""People who arrive during the run (sim/arrivals.py; issue 14): latecomers, a train arriving."""

import pytest

from ttxsim.sim import Simulation, parse_scenario
from ttxsim.sim.scenario import ScenarioError


def venue(arrives: str, horizon: int = 3600, threat: str = "") -> str:
    return f"""
meta: {{name: latecomers, horizon_s: {horizon}}}
venue:
  zones:
    - {{id: hall, kind: hall, x_m: 0, y_m: 0, width_m: 20, depth_m: 20}}
    - {{id: platform, kind: hall, x_m: 20, y_m: 0, width_m: 40, depth_m: 10}}
  openings:
    - {{id: exit, between: [hall, outside], width_m: 2.0, at_m: [0, 10]}}
    - {{id: link, between: [hall, platform], width_m: 4.0, at_m: [20, 5]}}
population:
  occupants:
    - {{id: audience, zone: hall, count: 100}}
    - {{id: train, zone: platform, count: 200, arrives_s: {arrives},
       premovement_s: {{dist: uniform, low: 10, high: 20}}}}
  premovement_s: {{dist: uniform, low: 5, high: 30}}
response: {{detection_s: 0, alarm_decision_s: 10}}
{threat}"""


def test_a_train_arriving_later_is_nowhere_before_and_everyone_gets_out():
    sim = Simulation(parse_scenario(venue("120")), seed=1)
    sim.run_until(119.0)
    platform = sim.zone_by_id["platform"]
    assert platform.count == 0 and sim.census.expected == 200
    census = sim.census
    counted = census.inside + census.safe + census.sheltered + sum(census.harmed.values())
    assert counted + census.expected == 300
    result = sim.run()
    assert result.evacuated == 300 and result.not_arrived == 0
    # Nobody from the train can be out before 120 s + their 10 s pre-movement + the walk.
    times = sorted(sim.census.safe_times)
    assert sum(t >= 130.0 for t in times) >= 200


def test_arrival_times_are_drawn_per_person_and_people_start_after_their_own_premovement():
    sim = Simulation(parse_scenario(venue("{dist: uniform, low: 60, high: 180}")), seed=2)
    arrivals = [t for t in sim.occupants.arrival if t is not None]
    assert len(arrivals) == 200 and min(arrivals) >= 60 and max(arrivals) <= 180
    assert len(set(arrivals)) == 200
    result = sim.run()
    assert result.evacuated == 300


THREAT = """incident:
  threat:
    route: [{zone: platform, dwell_s: 200}]
    leaves: true
    harm_rate_per_s: 0.05
"""


def test_people_arriving_into_the_threat_are_exposed_only_from_their_arrival():
    # The threat is on the platform until 200 s. Arriving at 100 s, the train is exposed for
    # up to 100 s; arriving at 250 s, after it has gone, nobody is harmed.
    early = Simulation(parse_scenario(venue("100", threat=THREAT)), seed=1).run()
    late = Simulation(parse_scenario(venue("250", threat=THREAT)), seed=1).run()
    assert early.harmed["threat"] > 0
    assert late.harmed["threat"] == 0 and late.evacuated == 300


def test_people_who_have_not_arrived_by_the_end_are_counted_apart():
    result = Simulation(parse_scenario(venue("5000", horizon=600)), seed=1).run()
    assert result.not_arrived == 200
    assert result.evacuated + result.remaining + result.sheltered + result.harmed_total \
        + result.not_arrived == result.occupants
    assert result.trapped["no_reason"] == 0


def test_a_scenario_without_latecomers_reports_nothing_new():
    text = venue("120").replace(", arrives_s: 120", "")
    result = Simulation(parse_scenario(text), seed=1).run()
    assert result.not_arrived is None and "not_arrived" not in result.to_dict()


def test_an_unnamed_group_cannot_arrive_late():
    text = venue("120").replace("{id: train, zone: platform", "{zone: platform")
    with pytest.raises(ScenarioError, match="arrives_s needs an id"):
        parse_scenario(text)
