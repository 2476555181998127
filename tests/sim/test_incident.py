"""The incident and the response: threat exposure, smoke dose, shelter, strategies, units.

The hand calculations follow the formulas the model cites: Purser's CO dose for light work
(FED/min = 2.764e-5 [CO]^1.036; Purser & McAllister 2016, in model-parameters.md §4) and
the exposure clock of docs/model.md, threat and fire (each exposed person harmed at rate λ per second).
"""

import math
import statistics

import pytest
import yaml

from ttxsim.sim import Simulation, parse_scenario

VENUE = {
    "zones": [
        {"id": "lobby", "kind": "foyer", "x_m": 0, "y_m": 0, "width_m": 20, "depth_m": 10, "height_m": 5},
        {"id": "hall", "kind": "hall", "x_m": 0, "y_m": 10, "width_m": 20, "depth_m": 20, "height_m": 10},
        {"id": "office", "kind": "room", "x_m": 20, "y_m": 10, "width_m": 5, "depth_m": 5, "lockable": True},
    ],
    "openings": [
        {"id": "entrance", "between": ["lobby", "outside"], "width_m": 4.0, "at_m": [10, 0]},
        {"id": "hall_doors", "between": ["lobby", "hall"], "width_m": 3.0},
        {"id": "office_door", "between": ["hall", "office"], "width_m": 0.9},
        {"id": "fire_exit", "between": ["hall", "outside"], "width_m": 1.8, "at_m": [10, 30],
         "state": "closed", "staff_open_after_s": 90},
    ],
}


def build(**sections):
    data = {
        "meta": {"name": "incident test", "horizon_s": 3600},
        "venue": yaml.safe_load(yaml.safe_dump(VENUE)),
        "population": {
            "occupants": [{"zone": "hall", "count": 400}, {"zone": "lobby", "count": 50},
                          {"zone": "office", "count": 10}],
            "premovement_s": {"dist": "lognormal", "median": 40, "sigma": 0.5},
        },
    }
    data.update(sections)
    return parse_scenario(yaml.safe_dump(data))


THREAT = {
    "threat": {
        "route": [{"zone": "lobby", "dwell_s": 60}, {"zone": "hall", "dwell_s": 240}],
        "leaves": True,
        "harm_rate_per_s": 0.004,
    }
}
RESPONSE = {
    "detection_s": 10,
    "alarm_decision_s": 30,
    "police": {"patrol_travel_s": 300, "tactical_travel_s": 600, "contain_after_arrival_s": 60},
}


CO_ONLY = {"fed_sigma": 0, "heat_at_untenable_c": None}
"""Smoke settings for the CO-only hand calculations: no heat dose, one threshold for all."""


def closed_room(count, incident, *, horizon_s=1200, size_m=10):
    """One room whose only door is locked and unsigned: nobody leaves."""
    return parse_scenario(yaml.safe_dump({
        "meta": {"name": "closed room", "horizon_s": horizon_s},
        "venue": {
            "zones": [{"id": "room", "x_m": 0, "y_m": 0, "width_m": size_m, "depth_m": size_m}],
            "openings": [{"id": "door", "between": ["room", "outside"], "width_m": 1.0,
                          "at_m": [size_m, size_m / 2], "state": "locked", "signed_exit": False}],
        },
        "population": {"occupants": [{"zone": "room", "count": count}], "premovement_s": 0},
        "incident": incident,
    }))


def accounted(sim):
    s = sim.state()
    return s.inside + s.safe + s.sheltered + s.harmed


def test_fire_in_a_closed_room_reaches_fed_1_when_the_dose_formula_says():
    # One room, its only door locked and unsigned: nobody leaves. The fire starts at t = 0
    # and the room is set to be untenable at 300 s, so CO rises as C(t) = 2700/300 · t ppm.
    # FED(t) = ∫ 2.764e-5/60 · (9 u)^1.036 du = 2.764e-5/60 · 9^1.036 · t^2.036 / 2.036.
    # CO only, everybody at the median threshold (no heat, no spread between people).
    scenario = closed_room(20, {"fire": {"zone": "room", "start_s": 0, "untenable_after_s": 300},
                                "smoke": CO_ONLY})
    a, b = 2.764e-5 / 60, 1.036
    hand = (1.0 * (b + 1) / (a * 9.0**b)) ** (1 / (b + 1))
    assert hand == pytest.approx(600.3, abs=0.1)  # the number itself, as a check on the arithmetic
    sim = Simulation(scenario, seed=1)
    result = sim.run()
    assert result.harmed == {"threat": 0, "smoke": 20}
    assert sim.census.harm_times == pytest.approx([hand] * 20, rel=1e-9)
    assert result.zones["room"].untenable_s == 300.0


def test_a_conservative_fed_threshold_incapacitates_sooner():
    def harm_time(threshold):
        scenario = closed_room(1, {"fire": {"zone": "room", "start_s": 0, "untenable_after_s": 300},
                                   "smoke": {"fed_threshold": threshold, **CO_ONLY}})
        sim = Simulation(scenario, seed=1)
        sim.run()
        return sim.census.harm_times[0]

    # FED grows as t^2.036, so FED 0.3 comes at 0.3^(1/2.036) of the FED-1 time.
    assert harm_time(0.3) == pytest.approx(harm_time(1.0) * 0.3 ** (1 / 2.036), rel=1e-9)


def test_incapacitation_times_spread_between_people():
    # Thresholds lognormal around the median FED 1 (σ = 1, Purser): in the closed room with
    # CO only, FED grows as t^2.036, so a person with threshold F falls at 600.3 F^(1/2.036) s;
    # the room does not fall in one second. The median time sits near 600.3 s (its sampling
    # error with 300 people: about ±5 %), and a tenth go by 600.3 × 0.278^(1/2.036) = 321 s
    # (z = −1.28), give or take the sample.
    scenario = closed_room(300, {"fire": {"zone": "room", "start_s": 0, "untenable_after_s": 300},
                                 "smoke": {"heat_at_untenable_c": None}}, horizon_s=3000)
    sim = Simulation(scenario, seed=1)
    sim.run()
    times = sorted(sim.census.harm_times)
    assert len(times) > 250
    assert statistics.median(times) == pytest.approx(600.3, rel=0.1)
    tenth = times[len(times) // 10]
    assert tenth == pytest.approx(600.3 * math.exp(-1.2816) ** (1 / 2.036), rel=0.15)
    assert times[-1] - times[0] > 600.0
    # Everybody dies the same second without the spread.
    flat = closed_room(30, {"fire": {"zone": "room", "start_s": 0, "untenable_after_s": 300},
                            "smoke": {"heat_at_untenable_c": None, "fed_sigma": 0}})
    same = Simulation(flat, seed=1)
    same.run()
    assert max(same.census.harm_times) - min(same.census.harm_times) < 1e-6


def test_threat_harm_matches_the_exposure_rate():
    # 100 people locked in with the threat for 200 s at λ = 0.002/s: each is harmed with
    # probability 1 − exp(−0.4) = 0.3297. Over 40 seeds the mean count must sit within
    # four standard errors of 32.97.
    threat = {"route": [{"zone": "room", "dwell_s": 200}], "leaves": True, "harm_rate_per_s": 0.002}
    scenario = closed_room(100, {"threat": threat}, horizon_s=600, size_m=20)
    counts = [Simulation(scenario, seed=s).run().harmed["threat"] for s in range(40)]
    p = 1 - math.exp(-0.4)
    se = math.sqrt(100 * p * (1 - p) / 40)
    assert abs(statistics.mean(counts) - 100 * p) < 4 * se
    result = Simulation(scenario, seed=0).run()
    assert result.exposed == 100
    assert result.times["threat_left"] == 200.0


def test_the_threat_blocks_its_zone_and_cues_its_neighbours():
    sim = Simulation(build(incident=THREAT, response={"detection_s": 10, "alarm_decision_s": None}), seed=2)
    sim.run_until(30)
    state = sim.state()
    assert state.threat_zone == "lobby"
    # No alarm yet, but the hall heard the threat next door and people there are moving;
    # nobody has left through the entrance the threat covers.
    assert any(e.kind == "zone_cued" and e.zone == "hall" and e.detail == "threat heard" for e in sim.events)
    assert sim.door_by_id["entrance"].passed == 0
    assert not sim.door_by_id["entrance"].passable(sim.zone_by_id["lobby"])


def test_conservation_with_threat_fire_and_shelter_at_every_step():
    incident = dict(THREAT, fire={"zone": "hall", "start_s": 120, "growth": "ultrafast"},
                    smoke={"co_at_untenable_ppm": 30000, "fed_threshold": 0.3})  # both causes occur
    sim = Simulation(build(incident=incident, response=RESPONSE), seed=3,
                     decisions=[(20, {"action": "order_shelter", "zones": ["office"]})])
    for t in range(0, 3600, 15):
        sim.run_until(t)
        assert accounted(sim) == 460
        state = sim.state()
        assert sum(state.zones.values()) == state.inside
    result = sim.run()
    assert result.evacuated + result.remaining + result.sheltered + result.harmed_total == 460
    assert result.harmed["threat"] > 0


def test_sheltering_in_a_lockable_room_means_no_threat_exposure_there():
    threat = {"threat": {"route": [{"zone": "hall", "dwell_s": 300}], "harm_rate_per_s": 0.01}}
    sim = Simulation(build(incident=threat, response={"alarm_decision_s": None}), seed=4,
                     decisions=[(0, {"action": "order_shelter", "zones": ["office"]})])
    result = sim.run()
    office = set(sim.people_in(sim.zone_by_id["office"]))
    assert len(office) == 10
    assert not office & sim.exposure.exposed
    assert all(sim.census.status[p] == 1 for p in office)  # still sheltering: no all-clear without police
    assert result.sheltered == 10
    assert result.harmed["threat"] > 0  # the hall itself was not safe


def test_all_clear_after_containment_releases_the_sheltering():
    threat = {"threat": {"route": [{"zone": "hall", "dwell_s": 3000}], "harm_rate_per_s": 0.001}}
    response = dict(RESPONSE, all_clear_after_containment_s=30)
    sim = Simulation(build(incident=threat, response=response), seed=4,
                     decisions=[(0, {"action": "order_shelter", "zones": ["office"]})])
    result = sim.run()
    assert result.times["contained"] == pytest.approx(10 + 600 + 60)
    assert result.times["all_clear"] == pytest.approx(10 + 600 + 60 + 30)
    assert result.sheltered == 0 and result.remaining == 0
    threat_harm_after = [t for t in sim.census.harm_times if t > result.times["contained"]]
    assert threat_harm_after == []


@pytest.mark.parametrize("seed", range(6))
def test_an_earlier_alarm_never_raises_harm(seed):
    # One threshold for all: with thresholds that differ, an earlier alarm can put a more
    # sensitive person in the smoke instead of a less sensitive one on a given seed.
    incident = dict(THREAT, fire={"zone": "hall", "start_s": 150, "growth": "ultrafast"},
                    smoke={"fed_sigma": 0})
    late = Simulation(build(incident=incident, response=dict(RESPONSE, alarm_decision_s=240)),
                      seed=seed).run()
    early = Simulation(build(incident=incident, response=dict(RESPONSE, alarm_decision_s=20)),
                       seed=seed).run()
    assert early.harmed_total <= late.harmed_total


def test_opening_the_closed_exit_never_raises_mean_rset():
    closed, opened = [], []
    venue_open = yaml.safe_load(yaml.safe_dump(VENUE))
    venue_open["openings"][3]["state"] = "open"
    for seed in range(10):
        closed.append(Simulation(build(), seed=seed).run().rset_s)
        data = {"meta": {"name": "open"}, "venue": venue_open,
                "population": {"occupants": [{"zone": "hall", "count": 400}, {"zone": "lobby", "count": 50},
                                             {"zone": "office", "count": 10}],
                               "premovement_s": {"dist": "lognormal", "median": 40, "sigma": 0.5}}}
        opened.append(Simulation(parse_scenario(yaml.safe_dump(data)), seed=seed).run().rset_s)
    assert statistics.mean(opened) <= statistics.mean(closed)


def test_a_faster_police_response_never_raises_threat_harm():
    slow = dict(RESPONSE, police={"patrol_travel_s": 600, "tactical_travel_s": 1200,
                                  "contain_after_arrival_s": 60})
    fast = dict(RESPONSE, police={"patrol_travel_s": 60, "tactical_travel_s": 120,
                                  "contain_after_arrival_s": 30})
    threat = {"threat": {"route": [{"zone": "lobby", "dwell_s": 60}, {"zone": "hall", "dwell_s": 2000}],
                         "harm_rate_per_s": 0.004}}
    for seed in range(6):
        a = Simulation(build(incident=threat, response=slow), seed=seed).run()
        b = Simulation(build(incident=threat, response=fast), seed=seed).run()
        assert b.harmed["threat"] <= a.harmed["threat"]
        assert b.times["contained"] < a.times["contained"]


def test_dispatch_brings_the_police_sooner():
    late = dict(RESPONSE, police=dict(RESPONSE["police"], dispatch_after_detection_s=300))
    base = Simulation(build(incident=THREAT, response=late), seed=1).run()
    sim = Simulation(build(incident=THREAT, response=late), seed=1,
                     decisions=[(0, {"action": "dispatch", "unit": "police"})])
    hurried = sim.run()
    assert hurried.times["police_arrival"] == pytest.approx(300.0)
    assert base.times["police_arrival"] == pytest.approx(10 + 300 + 300)


def test_a_clear_announcement_shortens_the_pre_movement_to_come():
    response = {"detection_s": 0, "alarm_decision_s": 0,
                "announcement": {"after_alarm_s": 10, "quality": "clear"},
                "premovement_factor": {"clear": 0.5, "poor": 1.0}}
    plain = Simulation(build(response={"detection_s": 0, "alarm_decision_s": 0}), seed=5).run()
    announced = Simulation(build(response=response), seed=5).run()
    assert announced.times["announcement"] == 10.0
    assert announced.t50_s < plain.t50_s


def test_staged_evacuation_orders_zones_in_turn():
    response = {"detection_s": 0, "alarm_decision_s": 5, "strategy": "staged",
                "stages": [["hall"], ["lobby"]], "stage_interval_s": 120}
    sim = Simulation(build(response=response), seed=6)
    sim.run()
    cued = {e.zone: e.t for e in sim.events if e.kind == "zone_cued"}
    assert cued["hall"] == 5.0
    assert cued["lobby"] == 125.0
    assert cued["office"] == 245.0  # not listed: the last stage


def test_shelter_strategy_locks_the_lockable_and_evacuates_the_rest():
    response = {"detection_s": 0, "alarm_decision_s": 5, "strategy": "shelter"}
    sim = Simulation(build(response=response), seed=7)
    result = sim.run()
    assert result.sheltered == 10
    assert result.evacuated == 450
    assert sim.door_by_id["office_door"].state == "locked"


def test_untenable_smoke_turns_people_away_from_the_zone():
    incident = {"fire": {"zone": "hall", "start_s": 0, "growth": "ultrafast", "untenable_after_s": 60}}
    sim = Simulation(build(incident=incident, response={"detection_s": 0, "alarm_decision_s": 0}), seed=8)
    sim.run_until(61)
    assert "hall" in sim.state().untenable_zones
    hall = sim.zone_by_id["hall"]
    assert not sim.door_by_id["hall_doors"].passable(sim.zone_by_id["lobby"])
    assert sim.door_by_id["hall_doors"].passable(hall)  # but people inside may still get out
    assert all(sim.door_by_id["hall_doors"].other(t.from_zone) is not hall
               for t in sim.door_by_id["hall_doors"].queue)


def test_suppression_stops_conditions_getting_worse():
    incident = {"fire": {"zone": "hall", "start_s": 0, "growth": "ultrafast", "untenable_after_s": 600}}
    response = {"detection_s": 0, "alarm_decision_s": None,
                "fire_service": {"travel_s": 100, "suppress_after_arrival_s": 50}}
    sim = Simulation(build(incident=incident, response=response), seed=9)
    sim.run_until(1000)
    hall = sim.zone_by_id["hall"]
    assert sim.milestones["suppressed"] == 150.0
    assert hall.smoke.concentration_ppm(1000) == pytest.approx(hall.smoke.concentration_ppm(150))
    assert not hall.untenable  # suppressed before the 600 s it would have taken


def test_decisions_replay_identically():
    incident = dict(THREAT, fire={"zone": "hall", "start_s": 120, "growth": "fast"})
    decisions = [(15, {"action": "open_openings", "ids": ["fire_exit"]}),
                 (40, {"action": "announce", "quality": "clear"})]
    runs = [
        Simulation(build(incident=incident, response=RESPONSE), seed=11, decisions=decisions).run().to_dict()
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    plain = Simulation(build(incident=incident, response=RESPONSE), seed=11).run().to_dict()
    assert plain != runs[0]


def test_a_fire_set_by_the_threat_does_not_start_once_the_threat_is_stopped():
    threat = {"route": [{"zone": "lobby", "dwell_s": 5000}], "harm_rate_per_s": 0.001}
    fire = {"zone": "hall", "start_s": 900, "growth": "fast", "set_by_threat": True}
    fast_police = dict(RESPONSE, police={"patrol_travel_s": 30, "contain_after_arrival_s": 30,
                                         "contained_by": "patrol"})
    sim = Simulation(build(incident={"threat": threat, "fire": fire}, response=fast_police), seed=1)
    result = sim.run()
    assert result.times["contained"] == pytest.approx(10 + 30 + 30)
    assert result.times["fire_start"] is None
    assert any(e.kind == "fire_prevented" for e in sim.events)
    late_police = dict(RESPONSE, police={"patrol_travel_s": 2000, "contain_after_arrival_s": 30,
                                         "contained_by": "patrol"})
    burning = Simulation(build(incident={"threat": threat, "fire": fire}, response=late_police), seed=1).run()
    assert burning.times["fire_start"] == 900.0
