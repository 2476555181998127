"""Run, hide or freeze (sim/hiding.py; docs/model.md, run, hide or freeze), on small venues.

A room of people next to a lobby the threat passes through; a closet to hide in. Each test
sets the shares so that the behaviour under test is the only one left to chance.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from test_properties import SETTINGS, venues  # tests/sim is on the path: the venues generated there

from ttxsim.sim import Simulation, load_scenario, parse_scenario
from ttxsim.sim.hiding import Hiding
from ttxsim.sim.scenario import ScenarioError, read_document

WING = Path(__file__).resolve().parents[2] / "scenarios" / "hiding_wing.yaml"


def venue(*, people=100, capacity=400, shares=None, police=False, delay=50.0, dwell=100.0,
          threat_route=None, rate=0.05, factor=0.5, horizon=1500, freeze_s=1e6):
    """A room (with a closet's worth of hiding room in it) beside a lobby with the exit."""
    shares = shares or {"hide": 1.0, "freeze": 0.0}
    data = {
        "meta": {"name": "hiding test", "horizon_s": horizon},
        "venue": {
            "zones": [
                {"id": "room", "x_m": 0, "y_m": 10, "width_m": 20, "depth_m": 20, "hide_capacity": capacity},
                {"id": "lobby", "x_m": 0, "y_m": 0, "width_m": 20, "depth_m": 10},
                {"id": "far", "x_m": 20, "y_m": 0, "width_m": 10, "depth_m": 10},
            ],
            "openings": [
                {"id": "room_lobby", "between": ["room", "lobby"], "width_m": 2, "at_m": [10, 10]},
                {"id": "lobby_far", "between": ["lobby", "far"], "width_m": 2, "at_m": [20, 5]},
                {"id": "exit", "between": ["lobby", "outside"], "width_m": 2, "at_m": [10, 0]},
                {"id": "far_exit", "between": ["far", "outside"], "width_m": 2, "at_m": [25, 0]},
            ],
        },
        "population": {
            "occupants": [{"id": "crowd", "zone": "room", "count": people}],
            "premovement_s": 0,
            "threat_response": {
                "threat_here": shares, "threat_next_door": shares, "alarm_only": shares,
                "freeze_s": freeze_s, "leave_delay_s": delay, "hidden_harm_factor": factor,
            },
        },
        "incident": {"threat": {
            "route": threat_route or [{"zone": "lobby", "dwell_s": dwell}],
            "leaves": True, "harm_rate_per_s": rate,
        }},
        "response": {"detection_s": 0, "alarm_decision_s": None},
    }
    if police:
        data["response"]["police"] = {"patrol_travel_s": 300, "contained_by": "patrol",
                                      "contain_after_arrival_s": 100}
        data["response"]["all_clear_after_containment_s"] = 100
    return data


def run(data, seed=1):
    sim = Simulation(parse_scenario(yaml.safe_dump(data)), seed=seed)
    return sim, sim.run()


def test_without_a_threat_response_nobody_hides():
    data = venue()
    del data["population"]["threat_response"]
    sim, result = run(data)
    assert sim.hiding is None and result.hiding is None
    assert "hiding" not in result.to_dict() and "hiding" not in result.trapped


@pytest.mark.parametrize("shares", [{"hide": 0.3, "freeze": 0.2}, {"hide": 0.6, "freeze": 0.0},
                                    {"hide": 0.0, "freeze": 0.5}])
def test_first_decisions_follow_the_configured_shares(shares):
    n = 3000
    data = venue(people=n, capacity=4000, shares=shares)
    data["venue"]["zones"][0] |= {"width_m": 40, "depth_m": 40}
    sim = Simulation(parse_scenario(yaml.safe_dump(data)), seed=7)
    sim.run_until(20)  # everybody has decided once; nobody's freeze has ended
    choices = sim.hiding.choices
    assert sum(choices.values()) == n
    run_share = 1 - shares["hide"] - shares["freeze"]
    for kind, p in (("hide", shares["hide"]), ("freeze", shares["freeze"]), ("run", run_share)):
        se = math.sqrt(p * (1 - p) / n)
        assert abs(choices[kind] / n - p) <= 4 * se + 1e-12, (kind, choices)


def test_freezing_fades_with_each_decision():
    data = venue(shares={"hide": 0.2, "freeze": 0.4})
    sim = Simulation(parse_scenario(yaml.safe_dump(data)), seed=1)
    sim.run_until(1)
    hiding = sim.hiding
    shares = sim.scenario.population.threat_response.threat_next_door
    assert hiding.shares(shares, 0) == pytest.approx((0.2, 0.4))
    hide, freeze = hiding.shares(shares, 1)  # freeze_fades 0.5: the rest as hide : run = 1 : 2
    assert freeze == pytest.approx(0.2) and hide == pytest.approx(0.8 / 3)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_hidden_people_are_unharmed_by_a_threat_next_door(seed):
    _, result = run(venue(rate=1.0, police=True), seed)
    assert result.hiding.hid == 100 and result.hiding.hidden_peak == 100
    assert result.harmed_total == 0 and result.exposed == 0
    assert result.evacuated == 100  # they came out once the police contained it


@pytest.mark.parametrize("seed", [1, 2])
def test_hidden_people_leave_on_the_first_cue_after_their_delay(seed):
    sim, result = run(venue(police=True, delay=50.0), seed)
    contained = result.times["contained"]
    assert contained is not None
    cued = [e for e in sim.events if e.kind == "hiding_cued_out"]
    assert cued and cued[0].t == contained and "police containment" in cued[0].detail
    first_out = min(sim.census.safe_times)
    assert contained + 50.0 <= first_out <= contained + 50.0 + 60.0  # the delay, then the walk out
    assert result.hiding.hidden_end == 0 and result.rset_s is not None


def test_a_hiding_place_holds_no_more_than_its_capacity():
    _, result = run(venue(people=50, capacity=5, police=True))
    assert result.hiding.hid == 5 and result.hiding.hidden_peak == 5
    assert result.hiding.choices["hide"] == 50  # the rest found no room and ran
    assert result.evacuated == 50


def test_people_still_hiding_at_the_horizon_are_trapped_for_a_reason():
    _, result = run(venue(people=30, horizon=600))  # no police: no cue to leave ever comes
    assert result.hiding.hidden_end == 30
    assert result.trapped["hiding"] == 30 and result.trapped["no_reason"] == 0
    assert result.sheltered == 30 and result.rset_s is None


def test_people_walk_to_the_nearest_hiding_place_around_the_threat():
    data = venue(people=20, capacity=0)
    data["venue"]["zones"][2]["hide_capacity"] = 30  # the far room, beyond the lobby
    data["incident"]["threat"]["route"] = [{"zone": "room", "dwell_s": 5}]
    sim, result = run(data)
    # With the threat in their room they go through the lobby into the far room and hide.
    assert result.hiding.hid > 0
    far = sim.zone_by_id["far"]
    assert result.hiding.hidden_end == len(sim.census.hidden.get(far.index, ()))


@pytest.mark.parametrize("factor", [0.0, 0.5])
def test_harm_in_the_hiding_place_is_the_reduced_poisson_rate(factor):
    # Verification: everybody hides in place at t = 0 (the threat next door), then the threat
    # spends 100 s in their hiding place. Each is harmed with probability 1 - exp(-λ f T).
    n, rate, dwell = 2000, 0.01, 100.0
    data = venue(people=n, capacity=n, rate=rate, factor=factor,
                 threat_route=[{"zone": "lobby", "dwell_s": 10}, {"zone": "room", "dwell_s": dwell}])
    data["venue"]["zones"][0] |= {"width_m": 40, "depth_m": 40}
    _, result = run(data, seed=11)
    p = 1 - math.exp(-rate * factor * dwell)
    se = math.sqrt(p * (1 - p) / n)
    assert abs(result.hiding.harmed_hidden / n - p) <= 4 * se + 1e-12
    assert result.harmed_total == result.hiding.harmed_hidden
    assert result.harmed_by_zone == ({"room": result.harmed_total} if result.harmed_total else {})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_hiding_wing_keeps_its_books(seed):
    scenario = load_scenario(WING)
    result = Simulation(scenario, seed=seed).run()
    hiding = result.hiding
    assert hiding is not None and hiding.hid > 0
    assert hiding.hidden_peak <= sum(z.hide_capacity for z in scenario.venue.zones)
    assert result.trapped["no_reason"] == 0
    assert sum(result.harmed_by_zone.values()) == result.harmed_total
    assert result.evacuated + result.remaining + result.sheltered + result.harmed_total == result.occupants


def test_smoke_in_a_hiding_place_sends_its_people_out():
    scenario = load_scenario(WING)
    sim = Simulation(scenario, seed=2)
    sim.run()
    smoke_cues = [e for e in sim.events if e.kind == "hiding_cued_out" and "smoke" in e.detail]
    assert smoke_cues  # the fire in the hall smokes out the service room or the back stair


@pytest.mark.parametrize("seed", [1, 4])
def test_the_hiding_wing_in_another_order_gives_identical_results(seed):
    data = read_document(WING).data
    reordered = copy.deepcopy(data)
    reordered["venue"]["zones"].reverse()
    reordered["venue"]["openings"].reverse()
    reordered["population"]["occupants"].reverse()

    def result(d):
        return json.dumps(Simulation(parse_scenario(yaml.safe_dump(d, sort_keys=False)), seed=seed)
                          .run().to_dict(), sort_keys=True)

    assert result(reordered) == result(data)


def test_a_hiding_place_is_checked_with_located_errors():
    data = venue()
    data["venue"]["zones"][1]["hide_capacity"] = 10_000  # 200 m² of lobby hold at most 760
    data["venue"]["zones"].append({"id": "street", "kind": "outside", "x_m": 0, "y_m": -10,
                                   "width_m": 20, "depth_m": 5, "hide_capacity": 5})
    with pytest.raises(ScenarioError) as info:
        parse_scenario(yaml.safe_dump(data))
    problems = {p.path: p.message for p in info.value.problems}
    assert "at most 760" in problems["venue.zones[1].hide_capacity"]
    assert "outside zone" in problems["venue.zones[3].hide_capacity"]


def test_shares_that_sum_above_one_are_refused():
    data = venue(shares={"hide": 0.7, "freeze": 0.4})
    with pytest.raises(ScenarioError) as info:
        parse_scenario(yaml.safe_dump(data))
    assert any("hide + freeze" in p.message for p in info.value.problems)


def test_uncertain_paths_reach_the_response_values():
    scenario = load_scenario(WING)
    varied = scenario.with_values({"hide_next_door": 0.55, "hidden_harm": 0.2, "leave_delay_high": 600})
    spec = varied.population.threat_response
    assert spec.threat_next_door.hide == 0.55 and spec.threat_next_door.freeze == 0.1
    assert spec.hidden_harm_factor == 0.2 and spec.leave_delay_s.high == 600


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shares_of_nobody_hiding_or_freezing_run_as_if_unset(seed):
    # The hiding wing's `everybody_runs` against the same file without a threat response:
    # the same events and the same result, but for the blocks that say people could hide.
    data = read_document(WING).data
    unset = copy.deepcopy(data)
    del unset["population"]["threat_response"], unset["uncertain"]
    for protocol in unset["protocols"].values():
        protocol.get("population", {}).pop("threat_response", None)
    runs = []
    for d, protocol in ((data, "everybody_runs"), (unset, "everybody_runs")):
        sim = Simulation(parse_scenario(yaml.safe_dump(d, sort_keys=False)), protocol=protocol, seed=seed)
        result = sim.run().to_dict()
        result.pop("hiding", None), result.pop("harmed_by_zone", None)
        result["trapped"].pop("hiding", None)
        runs.append((result, [e.to_dict() for e in sim.events]))
    assert runs[0] == runs[1]


@st.composite
def hiding_venues(draw):
    """A generated venue (test_properties) with a threat passing through, hiding places and a response."""
    data = draw(venues())
    zones = data["venue"]["zones"]
    for zone in zones:
        zone["hide_capacity"] = draw(st.integers(0, 20))
    route = draw(st.lists(st.sampled_from([z["id"] for z in zones]), min_size=1, max_size=3))
    shares = st.fixed_dictionaries({"hide": st.sampled_from([0.0, 0.3, 0.7]),
                                    "freeze": st.sampled_from([0.0, 0.2])})
    data["population"]["threat_response"] = {
        "threat_here": draw(shares), "threat_next_door": draw(shares), "alarm_only": draw(shares),
        "hidden_harm_factor": draw(st.sampled_from([0.0, 0.5, 1.0])),
    }
    data["incident"] = {"threat": {"route": [{"zone": z, "dwell_s": 30} for z in route], "leaves": True,
                                   "harm_rate_per_s": 0.01}}
    data["response"] = {"police": {"patrol_travel_s": 200, "contained_by": "patrol",
                                   "contain_after_arrival_s": 50}}
    return data


@SETTINGS
@given(hiding_venues(), st.integers(0, 2**32 - 1), st.lists(st.floats(0, 900), min_size=1, max_size=6))
def test_people_who_may_hide_are_conserved_and_never_stuck_for_no_reason(data, seed, times):
    sim = Simulation(parse_scenario(yaml.safe_dump(data)), seed=seed)
    census = sim.census
    for t in sorted(times):
        sim.run_until(t)
        state = sim.state()
        assert state.inside + state.safe + state.sheltered + state.harmed == census.total
        hidden = sum(len(h) for h in census.hidden.values())
        assert hidden <= state.sheltered
        for zone in sim.zones:
            assert len(census.hidden.get(zone.index, ())) <= (zone.spec.hide_capacity if zone.spec else 0)
    result = sim.run()
    assert result.trapped["no_reason"] == 0, result.trapped
    assert result.hiding.hidden_end == result.trapped["hiding"] == 0  # the police cue everybody out
    assert sum(result.harmed_by_zone.values()) == result.harmed_total


def test_staff_sent_to_a_hiding_place_bring_out_only_those_there_then():
    data = venue(people=40, delay=20.0)
    sim = Simulation(parse_scenario(yaml.safe_dump(data)), seed=3)
    sim.run_until(200)  # everybody hid in the room at t = 0; the threat has left the lobby
    assert sim.hiding.hidden_now == 40
    sim.apply({"action": "order_evacuation", "zones": ["room"]})
    sim.run_until(230)
    assert sim.hiding.hidden_now == 0 and sim.census.inside + sim.census.safe == 40
    cued = [e for e in sim.events if e.kind == "hiding_cued_out"]
    assert [(e.t, e.zone, e.detail) for e in cued] == [(200.0, "room", "staff: 40 hiding")]
    assert not sim.hiding._leave[sim.zone_by_id["room"].index].triggered  # a later hider stays


@SETTINGS
@given(hiding_venues(), st.integers(0, 2**32 - 1))
def test_searches_kept_between_changes_of_the_venue_give_the_results_of_searching_afresh(data, seed):
    # The hiding search keeps "no place can be reached from here" and the way from an opening
    # to a place until route choice is told the venue changed (a threat moving, a door
    # opening or shutting, smoke): a run that searches afresh every time must end the same.
    scenario = parse_scenario(yaml.safe_dump(data))
    kept = Simulation(scenario, seed=seed)
    kept_result = kept.run().to_dict()
    with mock.patch.object(Hiding, "_kept", lambda self, revision: {}):  # nothing is ever kept
        afresh = Simulation(scenario, seed=seed)
        afresh_result = afresh.run().to_dict()
    assert kept_result == afresh_result
    assert [e.to_dict() for e in kept.events] == [e.to_dict() for e in afresh.events]


def test_a_kept_search_is_forgotten_when_the_venue_changes():
    data = venue(people=20, capacity=0)
    data["venue"]["zones"][2]["hide_capacity"] = 30  # the far room, beyond the lobby
    data["incident"]["threat"]["route"] = [{"zone": "room", "dwell_s": 5}]  # the lobby stays open
    sim = Simulation(parse_scenario(yaml.safe_dump(data)), seed=1)
    sim.run_until(1.0)
    hiding, room, far = sim.hiding, sim.zone_by_id["room"], sim.zone_by_id["far"]
    door = sim.door_by_id["room_lobby"]
    way = hiding.nearest_place(room, door.position, only=far, at=door)
    assert way is not None and way[0] is far
    sim.orders.lock_door(sim.door_by_id["lobby_far"], "test")  # the only way to the far room
    assert hiding.nearest_place(room, door.position, only=far, at=door) is None
    assert hiding.nearest_place(room, (5.0, 15.0)) is None  # and no place with room can be reached
    sim.orders.open_door(sim.door_by_id["lobby_far"], "test")
    assert hiding.nearest_place(room, door.position, only=far, at=door) == way


@SETTINGS
@given(hiding_venues(), st.integers(0, 2**32 - 1), st.lists(st.floats(0, 900), min_size=1, max_size=8))
def test_every_opening_counts_its_line_by_the_side_people_came_from(data, seed, times):
    # Re-routing reads `lined_from` to skip queues with nobody of the zone it weighs; the count
    # must follow every way a line changes (arrivals, passages, exchanges, people harmed or
    # hiding, openings shut, ways turned away by the threat).
    sim = Simulation(parse_scenario(yaml.safe_dump(data)), seed=seed)
    for t in [*sorted(times), math.inf]:
        if t < math.inf:
            sim.run_until(t)
        else:
            sim.run()
        for door in sim.doors:
            counted = [sum(turn.from_zone is side for turn in door.line) for side in door.sides]
            assert door.lined_from == counted
