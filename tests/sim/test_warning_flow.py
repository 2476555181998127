"""The intelligence-warning flow, the posture it sets, and what the posture changes."""

import math

import pytest
import yaml

from ttxsim.sim import ActionError, Simulation, parse_scenario
from ttxsim.sim.warning_flow import act_probability

DAY = 86400.0

VENUE = {
    "zones": [{"id": "hall", "kind": "hall", "x_m": 0, "y_m": 0, "width_m": 30, "depth_m": 20}],
    "openings": [
        {"id": "main", "between": ["hall", "outside"], "width_m": 3.0, "at_m": [15, 0]},
        {"id": "side", "between": ["hall", "outside"], "width_m": 1.5, "at_m": [30, 10], "state": "locked",
         "signed_exit": False},
    ],
}

AGENCIES = [
    {"id": "partner", "role": "foreign_partner"},
    {"id": "service", "role": "national_service", "act_probability": 0.6},
    {"id": "police", "role": "police", "act_probability": 0.7, "raises_posture_to": 1},
    {"id": "venue", "role": "venue_security", "act_probability": 0.5, "raises_posture_to": 2},
]
CHANNELS = [
    {"id": "c1", "from": "partner", "to": "service", "delay_s": DAY},
    {"id": "c2", "from": "service", "to": "police", "delay_s": DAY},
    {"id": "c3", "from": "police", "to": "venue", "delay_s": DAY},
]
POSTURES = [
    {"level": 1, "name": "heightened", "overrides": {"response": {"police": {"patrol_travel_s": 120}}}},
    {"level": 2, "name": "high", "overrides": {
        "response": {"police": {"patrol_travel_s": 60}},
        "venue": {"openings": [{"id": "side", "state": "open"}]}}},
    {"level": 3, "name": "cancel", "cancels_event": True},
]


def build(agencies=AGENCIES, channels=CHANNELS, warning=None, **extra):
    data = {
        "meta": {"name": "warning flow", "horizon_s": 1800},
        "venue": VENUE,
        "population": {"occupants": [{"zone": "hall", "count": 200}], "premovement_s": 30},
        "response": {"detection_s": 5, "alarm_decision_s": 20,
                     "police": {"patrol_travel_s": 600, "contain_after_arrival_s": 60}},
        "intel": {"agencies": agencies, "channels": channels,
                  "warnings": [warning or {"id": "w1", "origin": "partner", "issued": "T-14d",
                                           "specificity": 0.4, "reliability": 0.8}]},
        "posture_levels": POSTURES,
    }
    data.update(extra)
    return parse_scenario(yaml.safe_dump(data))


def certain(agencies):
    return [dict(a, act_probability=1.0) for a in agencies]


def test_certain_instant_channels_reach_every_agency_at_the_issue_time():
    channels = [dict(c, delay_s=0) for c in CHANNELS]
    sim = Simulation(build(certain(AGENCIES), channels), seed=1)
    result = sim.run()
    assert {a: r["received_s"] for a, r in result.agencies.items()} == {
        "partner": -14 * DAY, "service": -14 * DAY, "police": -14 * DAY, "venue": -14 * DAY}
    assert result.warning_reached_venue
    assert result.t_warning_at_venue_s == -14 * DAY
    assert result.posture == 2


def test_a_channel_that_always_loses_stops_everything_downstream():
    channels = [dict(CHANNELS[0]), dict(CHANNELS[1], loss_probability=1.0), dict(CHANNELS[2])]
    result = Simulation(build(certain(AGENCIES), channels), seed=1).run()
    received = {a: r["received_s"] for a, r in result.agencies.items()}
    assert received["service"] == -13 * DAY
    assert received["police"] is None and received["venue"] is None
    assert not result.warning_reached_venue
    assert result.posture == 0


def test_delays_add_up_along_the_chain():
    result = Simulation(build(certain(AGENCIES)), seed=1).run()
    assert result.agencies["venue"]["received_s"] == pytest.approx(-11 * DAY)


def test_share_of_runs_with_raised_posture_matches_the_chain_probability():
    # The venue acts only if the service and the police acted (they forward only then):
    # P = 0.6 × 0.7 × 0.5 = 0.21. Over 600 seeds the observed share must lie within four
    # binomial standard errors.
    scenario = build()
    runs = 600
    raised = 0
    for seed in range(runs):
        sim = Simulation(scenario, seed=seed)
        sim.run_until(1)  # just past t = 0, when the posture is settled
        raised += sim.posture == 2
    p = 0.6 * 0.7 * 0.5
    se = math.sqrt(p * (1 - p) / runs)
    assert abs(raised / runs - p) < 4 * se


def test_the_act_rule_combines_its_factors():
    from ttxsim.sim.scenario.intel import Agency, Warning

    agency = Agency(id="a", receptiveness=0.9, false_alarms=2, cry_wolf_factor=0.5)
    warning = Warning(id="w", origin="x", issued=-DAY, specificity=0.5, reliability=0.8)
    assert act_probability(agency, warning, trust=0.5) == pytest.approx(0.9 * 0.5 * 0.8 * 0.5 * 0.25)
    assert act_probability(agency.model_copy(update={"act_probability": 1.0}), warning, 0.1) == 1.0


def test_a_raised_posture_gives_the_configured_shorter_police_arrival():
    for seed in range(5):
        normal = Simulation(build(), seed=seed, decisions=[]).run()
        sim = Simulation(build(), seed=seed, decisions=[(-DAY, {"action": "raise_posture", "level": 2})])
        high = sim.run()
        assert high.posture == 2
        assert high.times["police_arrival"] == pytest.approx(5 + 60)
        if normal.posture == 0:
            assert normal.times["police_arrival"] == pytest.approx(5 + 600)
        assert sim.door_by_id["side"].state == "open"  # briefed staff unlocked it


def test_vigilance_lapses_after_its_time():
    agencies = [dict(a, act_probability=1.0) for a in AGENCIES]
    agencies[3]["posture_lasts_s"] = 2 * DAY  # the venue relaxes two days after acting
    result = Simulation(build(agencies), seed=1).run()
    assert result.agencies["venue"]["acted"]
    assert result.posture == 1  # the police's level still holds, the venue's lapsed


def test_the_highest_level_cancels_the_event():
    sim = Simulation(build(), seed=1, decisions=[(-DAY, {"action": "raise_posture", "level": 3})])
    result = sim.run()
    assert result.cancelled
    assert result.occupants == 0 and result.harmed_total == 0


def test_cancel_event_and_forward_warning_act_before_the_event_only():
    channels = [*CHANNELS[:2], dict(CHANNELS[2], loss_probability=1.0)]  # the venue is never told
    decisions = [(-2 * DAY, {"action": "forward_warning", "to": "venue"})]
    sim = Simulation(build(channels=channels), seed=2, decisions=decisions)
    sim.run_until(-DAY)
    assert sim.warnings.records["venue"].received_s == -2 * DAY
    sim.run_until(10)
    with pytest.raises(ActionError, match="before the event"):
        sim.apply({"action": "cancel_event"})


def test_in_event_actions_wait_for_the_event():
    sim = Simulation(build(), seed=2)
    assert sim.now == -14 * DAY
    with pytest.raises(ActionError, match="once the event has started"):
        sim.apply({"action": "order_evacuation"})
    sim.apply({"action": "open_openings", "ids": ["side"]})
    result = sim.run()
    assert result.openings["side"].passed > 0


def run_flows(intel_data, runs):
    """The warning flow alone, before the event, once per seed 0..runs-1."""
    import numpy as np
    import simpy

    from ttxsim.sim.scenario.intel import Intel
    from ttxsim.sim.warning_flow import WarningFlow

    intel = Intel.model_validate(intel_data)
    for seed in range(runs):
        env = simpy.Environment(initial_time=-30 * DAY)
        flow = WarningFlow(env, intel, np.random.default_rng(seed), lambda *a, **k: None)
        flow.start()
        env.run(until=0)
        yield flow


def flow_runs(warnings, runs=800, act=0.5):
    """How often the venue acts, and acts only on a later warning, when the partner sends it `warnings`."""
    intel = {
        "agencies": [{"id": "partner", "role": "foreign_partner"},
                     {"id": "venue", "role": "venue_security", "act_probability": act,
                      "raises_posture_to": 1}],
        "channels": [{"id": "c", "from": "partner", "to": "venue", "delay_s": 3600}],
        "warnings": warnings,
    }
    first = min(w["issued"] for w in warnings) + 3600
    acted = second = 0
    for flow in run_flows(intel, runs):
        record = flow.records["venue"]
        acted += record.acted
        second += record.acted and record.acted_s > first + 1
    return acted / runs, second / runs


W1 = {"id": "w1", "origin": "partner", "issued": -20 * DAY, "specificity": 0.4, "reliability": 0.8}
W2 = {"id": "w2", "origin": "partner", "issued": -10 * DAY, "specificity": 0.4, "reliability": 0.8}


def test_one_warning_is_judged_as_the_rule_says_and_a_second_adds_to_the_belief():
    # Each warning alone: chance 0.5. Two: 1 − 0.5 × 0.5 = 0.75, a quarter of runs acting
    # only on the second (the first did not convince them). Within four standard errors.
    runs = 800
    one, _ = flow_runs([W1], runs)
    two, on_second = flow_runs([W1, W2], runs)
    for share, p in ((one, 0.5), (two, 0.75), (on_second, 0.25)):
        assert abs(share - p) < 4 * math.sqrt(p * (1 - p) / runs)


def test_the_same_warning_arriving_twice_is_judged_once():
    # Two channels bring w1 to the venue: it is still one warning, chance 0.5.
    intel = {
        "agencies": [{"id": "partner"}, {"id": "venue", "role": "venue_security", "act_probability": 0.5}],
        "channels": [{"id": "a", "from": "partner", "to": "venue", "delay_s": 60},
                     {"id": "b", "from": "partner", "to": "venue", "delay_s": 120}],
        "warnings": [W1],
    }
    runs = 800
    acted = sum(flow.records["venue"].acted for flow in run_flows(intel, runs))
    assert abs(acted / runs - 0.5) < 4 * math.sqrt(0.25 / runs)
