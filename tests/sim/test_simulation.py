"""The Simulation's stepping API, actions, event log, routing and back-pressure."""

import json

import pytest

from ttxsim.sim import ActionError, Simulation, parse_scenario

TWO_EXITS = """
meta: {name: two exits}
venue:
  zones:
    - {id: hall, kind: hall, x_m: 0, y_m: 0, width_m: 20, depth_m: 10}
    - {id: lobby, kind: foyer, x_m: 20, y_m: 0, width_m: 10, depth_m: 10}
  openings:
    - {id: hall_door, between: [hall, lobby], width_m: 2.0}
    - {id: main, between: [lobby, outside], width_m: 3.0, at_m: [30, 5]}
    - {id: fire_exit, between: [hall, outside], width_m: 1.5, at_m: [0, 5], state: %(fire_state)s %(extra)s}
population:
  occupants: [{zone: hall, count: 300, entrance: main}]
  premovement_s: {dist: lognormal, median: 20, sigma: 0.5}
  familiarity_share: %(familiar)s
response:
  alarm_decision_s: %(alarm)s
"""


def scenario(fire_state="open", extra="", familiar=0.0, alarm=10):
    values = dict(fire_state=fire_state, extra=extra, familiar=familiar, alarm=alarm)
    return parse_scenario(TWO_EXITS % values)


def test_stepping_conserves_people_at_every_step():
    sim = Simulation(scenario(), seed=3)
    for t in range(0, 400, 7):
        sim.run_until(t)
        state = sim.state()
        assert state.t == pytest.approx(min(t, sim.now))
        assert state.inside + state.safe == 300
        assert sum(state.zones.values()) == state.inside
    assert sim.finished
    assert sim.result().remaining == 0


def test_nobody_moves_before_the_alarm():
    sim = Simulation(scenario(alarm=60), seed=1)
    sim.run_until(59.9)
    assert sim.state().safe == 0
    assert sim.state().zones["hall"] == 300
    assert sim.result().times["alarm"] is None
    sim.run()
    assert sim.result().times["alarm"] == 60.0
    assert [e.kind for e in sim.events][:4] == ["detection", "alarm", "evacuation_ordered", "zone_cued"]


def test_without_an_alarm_an_evacuation_order_is_the_cue():
    sim = Simulation(scenario(alarm="null"), seed=1)
    sim.run_until(100)
    assert sim.state().safe == 0
    sim.apply({"action": "order_evacuation", "zones": ["hall"]})
    result = sim.run()
    assert result.remaining == 0
    assert result.rset_s > 100
    assert sim.applied[0][0] == 100


def test_result_json_has_the_contracted_fields():
    result = Simulation(scenario(), seed=2).run()
    data = json.loads(json.dumps(result.to_dict()))
    for key in ("scenario", "protocol", "seed", "occupants", "evacuated", "remaining", "rset_s",
                "t50_s", "t95_s", "openings", "zones", "events_count"):
        assert key in data
    assert data["openings"]["main"]["passed"] + data["openings"]["fire_exit"]["passed"] == 300
    assert data["zones"]["hall"]["peak_occupancy"] == 300
    assert data["t50_s"] <= data["t95_s"] <= data["rset_s"]
    assert data["curve"]["safe"][-1] == 300


def test_same_seed_same_result_and_other_seed_differs():
    a = Simulation(scenario(), seed=7).run().to_dict()
    b = Simulation(scenario(), seed=7).run().to_dict()
    c = Simulation(scenario(), seed=8).run().to_dict()
    assert json.dumps(a) == json.dumps(b)
    assert a["rset_s"] != c["rset_s"]


def test_locking_an_exit_sends_its_queue_elsewhere():
    sim = Simulation(scenario(), seed=4)
    sim.run_until(40)
    assert sim.state().queues["fire_exit"] > 0
    sim.apply({"action": "lock_openings", "ids": ["fire_exit"]})
    assert sim.state().queues["fire_exit"] == 0
    passed_before = sim.door_by_id["fire_exit"].passed
    result = sim.run()
    assert result.remaining == 0
    assert result.openings["fire_exit"].passed == passed_before
    assert any(e.kind == "opening_locked" and e.opening == "fire_exit" for e in sim.events)


def test_a_signed_locked_exit_is_tried_then_avoided():
    sim = Simulation(scenario(fire_state="locked"), seed=4)
    result = sim.run()
    assert result.openings["fire_exit"].passed == 0
    found = [e for e in sim.events if e.kind == "opening_found_shut"]
    assert [e.opening for e in found] == ["fire_exit"]
    assert result.remaining == 0


def test_an_unsigned_locked_exit_is_never_tried():
    sim = Simulation(scenario(fire_state="locked", extra=", signed_exit: false"), seed=4)
    sim.run()
    assert not any(e.kind == "opening_found_shut" for e in sim.events)


def test_staff_open_a_closed_exit_after_the_alarm():
    extra = ", staff_open_after_s: 45"
    sim = Simulation(scenario(fire_state="closed", extra=extra, alarm=10), seed=4)
    result = sim.run()
    opened = [e for e in sim.events if e.kind == "opening_opened"]
    assert [(e.opening, e.t) for e in opened] == [("fire_exit", 55.0)]
    assert result.openings["fire_exit"].first_pass_s >= 55.0
    assert result.openings["fire_exit"].passed > 0


def test_opening_a_locked_exit_shortens_the_evacuation():
    locked = Simulation(scenario(fire_state="locked", extra=", signed_exit: false"), seed=5).run()
    sim = Simulation(scenario(fire_state="locked", extra=", signed_exit: false"), seed=5,
                     decisions=[(30.0, {"action": "open_openings", "ids": ["fire_exit"]})])
    opened = sim.run()
    assert opened.rset_s < locked.rset_s
    assert opened.openings["fire_exit"].first_pass_s >= 30.0


def test_familiar_people_head_for_their_entrance():
    everyone = Simulation(scenario(familiar=1.0), seed=6).run()
    nobody = Simulation(scenario(familiar=0.0), seed=6).run()
    assert everyone.openings["main"].passed == 300
    assert nobody.openings["fire_exit"].passed > 0


def test_unknown_names_in_actions_are_refused_before_anything_changes():
    sim = Simulation(scenario(), seed=1)
    with pytest.raises(ActionError, match="nope"):
        sim.apply({"action": "open_openings", "ids": ["fire_exit", "nope"]})
    with pytest.raises(ActionError, match="attic"):
        sim.apply({"action": "order_evacuation", "zones": ["attic"]})
    assert sim.applied == []


def test_a_scheduled_decision_that_fails_says_which_it_was():
    decisions = [(1.0, {"action": "announce"}), (2.0, {"action": "order_evacuation", "zones": ["attic"]})]
    sim = Simulation(scenario(), seed=1, decisions=decisions)
    with pytest.raises(ActionError) as info:
        sim.run()
    assert (str(info.value), info.value.decision) == ("unknown zone 'attic'", 1)


def test_back_pressure_holds_people_out_of_a_full_zone():
    text = """
meta: {name: back-pressure}
venue:
  zones:
    - {id: hall, x_m: 0, y_m: 0, width_m: 20, depth_m: 20}
    - {id: vestibule, x_m: 20, y_m: 8, width_m: 2, depth_m: 4, max_density_p_m2: 2.0}
  openings:
    - {id: inner, between: [hall, vestibule], width_m: 4.0}
    - {id: outer, between: [vestibule, outside], width_m: 0.5, at_m: [22, 10]}
population:
  occupants: [{zone: hall, count: 200}]
  premovement_s: 0
"""
    sim = Simulation(parse_scenario(text), seed=1)
    peak = 0
    while not sim.finished:
        sim.run_until(sim.now + 1)
        peak = max(peak, sim.state().zones["vestibule"])
    assert peak == 16  # 2 /m² × 8 m²
    assert sim.result().zones["vestibule"].peak_occupancy == 16
    assert sim.result().remaining == 0


def test_horizon_stops_a_run_with_people_trapped():
    text = """
meta: {name: trapped, horizon_s: 120}
venue:
  zones:
    - {id: room, x_m: 0, y_m: 0, width_m: 10, depth_m: 10}
  openings:
    - {id: door, between: [room, outside], width_m: 1.0, at_m: [10, 5], state: locked}
population:
  occupants: [{zone: room, count: 20}]
  premovement_s: 0
"""
    sim = Simulation(parse_scenario(text), seed=1)
    result = sim.run()
    assert result.end_s == 120.0
    assert result.remaining == 20
    assert result.rset_s is None and result.t50_s is None
    assert sim.events[-1].kind == "horizon_reached"
