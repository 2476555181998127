"""How each action changes a run (sim/dispatch.py), through a real Simulation on the small scenario.

docs/model.md, actions: once the event has started, orders, openings, announcements and dispatches
apply; in the weeks before it, openings, standby, posture, warnings and cancellation. An
action that does not fit the moment or the scenario raises ActionError and changes nothing.
The small scenario (tests/conftest.py) is one room, one door to outside and 50 people; here
with no automatic alarm, so nobody moves unless an action says so.
"""

from __future__ import annotations

import re

import pytest

from ttxsim.sim.actions import ActionError
from ttxsim.sim.simulation import Simulation

QUIET = {"response": {"alarm_decision_s": None}}
"""No alarm unless an action raises one."""


@pytest.fixture
def make_sim(make_scenario):
    """A Simulation of the small scenario with `overrides`, started at `start_s` (default 0)."""

    def make(start_s=None, **overrides):
        return Simulation(make_scenario(**{**QUIET, **overrides}), seed=0, start_s=start_s)

    return make


def logged(sim, kind):
    return [(e.t, e.zone or e.opening, e.detail) for e in sim.events if e.kind == kind]


# --- during the event ---------------------------------------------------------------------------


def test_order_evacuation_of_the_whole_venue_sounds_the_alarm(make_sim):
    sim = make_sim()
    sim.run_until(10.0)
    sim.apply({"action": "order_evacuation"})
    assert [(t, a.action) for t, a in sim.applied] == [(10.0, "order_evacuation")]
    assert logged(sim, "alarm") == [(10.0, None, "evacuation order")]
    assert sim.milestones["alarm"] == 10.0 and sim.milestones["evac_order"] == 10.0
    assert sim.zone_by_id["room"].cue.triggered


def test_a_whole_venue_evacuation_order_is_logged_once(make_sim):
    sim = make_sim()
    sim.run_until(10.0)
    sim.apply({"action": "order_evacuation"})
    assert logged(sim, "evacuation_ordered") == [(10.0, None, "whole venue")]


def test_order_evacuation_of_some_zones_sounds_no_alarm(make_sim):
    sim = make_sim()
    sim.run_until(10.0)
    sim.apply({"action": "order_evacuation", "zones": ["room"]})
    assert logged(sim, "evacuation_ordered") == [(10.0, None, "room")]
    assert sim.milestones["alarm"] is None and sim.zone_by_id["room"].cue.triggered


@pytest.mark.parametrize(("action", "message"), [
    ({"action": "order_evacuation", "zones": ["room", "hall"]}, "unknown zone 'hall'"),
    ({"action": "order_evacuation", "zones": ["outside"]}, "unknown zone 'outside'"),
    ({"action": "order_shelter", "zones": ["room"]}, "not lockable: 'room'"),
    ({"action": "open_openings", "ids": ["gate", "door"]}, "unknown opening 'gate'"),
    ({"action": "lock_openings", "ids": ["gate"]}, "unknown opening 'gate'"),
    ({"action": "raise_posture", "level": 1}, "raise_posture applies before the event (t < 0) only"),
    ({"action": "cancel_event"}, "cancel_event applies before the event (t < 0) only"),
    ({"action": "forward_warning", "to": "police"}, "forward_warning applies before the event (t < 0) only"),
])
def test_refusals_during_the_event_change_nothing(make_sim, action, message):
    sim = make_sim()
    sim.run_until(10.0)
    events = list(sim.events)  # the detection at 0 s
    with pytest.raises(ActionError, match=f"^{re.escape(message)}$"):
        sim.apply(action)
    assert sim.applied == [] and sim.events == events
    assert sim.door_by_id["door"].state == "open" and sim.census.sheltered == 0


def test_order_shelter_locks_a_lockable_room_in(make_sim):
    sim = make_sim(venue={"zones": [{"id": "room", "lockable": True}]})
    sim.run_until(10.0)
    sim.apply({"action": "order_shelter", "zones": ["room"]})
    assert logged(sim, "shelter_ordered") == [(10.0, None, "room")]
    assert sim.census.sheltered == 50 and sim.census.inside == 0
    assert sim.door_by_id["door"].state == "locked"


def test_order_shelter_with_no_lockable_zone_is_logged_and_harmless(make_sim):
    sim = make_sim()
    sim.apply({"action": "order_shelter"})
    assert logged(sim, "shelter_ordered") == [(0.0, None, "no lockable zone")]
    assert sim.census.sheltered == 0 and len(sim.applied) == 1


def test_open_and_lock_openings(make_sim):
    sim = make_sim(venue={"openings": [{"id": "door", "state": "closed"}]})
    sim.run_until(10.0)
    sim.apply({"action": "open_openings", "ids": ["door"]})
    assert sim.door_by_id["door"].state == "open"
    sim.run_until(20.0)
    sim.apply({"action": "lock_openings", "ids": ["door"]})
    assert sim.door_by_id["door"].state == "locked"
    assert logged(sim, "opening_opened") == [(10.0, "door", "opened by order")]
    assert logged(sim, "opening_locked") == [(20.0, "door", "locked by order")]
    assert [(t, a.action) for t, a in sim.applied] == [(10.0, "open_openings"), (20.0, "lock_openings")]


def test_announce(make_sim):
    sim = make_sim()
    sim.run_until(10.0)
    sim.apply({"action": "announce", "quality": "poor"})
    assert logged(sim, "announcement") == [(10.0, None, "poor (pre-movement × 1)")]
    assert sim.milestones["announcement"] == 10.0 and sim.zone_by_id["room"].cue.triggered


def test_dispatch_sends_the_unit_now(make_sim):
    sim = make_sim()
    sim.run_until(10.0)
    sim.apply({"action": "dispatch", "unit": "fire_service"})
    assert logged(sim, "action_applied") == [(10.0, None, "dispatch fire_service")]
    assert sim.response.fire_order.triggered and not sim.response.police_order.triggered


# --- before the event ---------------------------------------------------------------------------


@pytest.mark.parametrize("action", [
    {"action": "order_evacuation"}, {"action": "order_shelter"}, {"action": "announce"},
])
def test_during_only_actions_are_refused_before_the_event(make_sim, action):
    sim = make_sim(start_s=-100.0)
    with pytest.raises(ActionError, match=r"applies once the event has started \(t ≥ 0\)$"):
        sim.apply(action)
    assert sim.applied == [] and not sim.begun


def test_openings_set_before_the_event_stay_so_at_its_start(make_sim):
    sim = make_sim(start_s=-100.0)
    sim.apply({"action": "lock_openings", "ids": ["door"]})
    assert sim.pre_event.doors == {"door": "locked"} and sim.door_by_id["door"].state == "locked"
    assert logged(sim, "action_applied") == [(-100.0, None, "lock_openings")]
    sim.run_until(1.0)
    assert sim.begun and sim.door_by_id["door"].state == "locked"  # the venue rebuilt at t = 0 keeps it


def test_dispatch_before_the_event_puts_the_unit_on_standby(make_sim):
    sim = make_sim(start_s=-100.0)
    sim.apply({"action": "dispatch", "unit": "police"})
    assert sim.pre_event.standby == ["police"] and not sim.begun
    sim.run_until(1.0)
    assert sim.response.police_order.triggered  # sent at t = 0


def test_raise_posture_to_an_unknown_level_is_refused(make_sim):
    sim = make_sim(start_s=-100.0)
    with pytest.raises(ActionError, match=r"^no posture level 2; this scenario has \[0\]$"):
        sim.apply({"action": "raise_posture", "level": 2})
    sim.apply({"action": "raise_posture", "level": 0})
    assert sim.pre_event.floor == 0 and [a.action for _, a in sim.applied] == ["raise_posture"]


def test_cancel_event_leaves_nobody_at_the_venue(make_sim):
    sim = make_sim(start_s=-100.0)
    sim.apply({"action": "cancel_event"})
    assert sim.pre_event.cancelled
    sim.run_until(1.0)
    assert sim.census.total == 0 and sim.finished
    assert logged(sim, "all_safe") == [(0.0, None, "event cancelled")]


def test_forward_warning_without_a_warning_flow_is_refused(make_sim):
    sim = make_sim(start_s=-100.0)
    with pytest.raises(ActionError, match=r"^unknown agency 'police'$"):
        sim.apply({"action": "forward_warning", "to": "police"})
    assert sim.applied == []
