"""Playing decisions on a run: exact times, the mapping form with provenance, the guard's seam."""

from __future__ import annotations

import pytest

from ttxsim.sim import Simulation
from ttxsim.sim.actions import OpenOpenings, OrderEvacuation
from ttxsim.sim.decision_play import land, play_decisions, run_with_decisions
from ttxsim.sim.decisions import Decision, load_decisions, load_decisions_file
from ttxsim.sim.scenario import ScenarioError

TWO_DOORS = {"venue": {"openings": [
    {"id": "door", "between": ["room", "outside"], "width_m": 1.0, "at_m": [10, 5]},
    {"id": "side", "between": ["room", "outside"], "width_m": 1.0, "at_m": [0, 5], "state": "locked"},
]}}


@pytest.mark.parametrize(("start", "t"), [(-1382400.0, 48.999797843646945), (-1382400.0, -300.123456789),
                                          (0.0, 748.9227688924), (1e-3, 1234.56789)])
def test_land_reaches_the_exact_time(make_scenario, start, t):
    sim = Simulation(make_scenario(), seed=1, start_s=start if start < 0 else None)
    if start > 0:
        sim.run_until(start)
    land(sim, t)
    assert sim.now == t  # not now + (t − now), which misses by a rounding step


def test_a_stepped_decision_lands_where_a_scheduled_one_misses(make_scenario):
    scenario = make_scenario(**TWO_DOORS)
    t = 48.999797843646945
    early = OpenOpenings(action="open_openings", ids=["side"])
    late = OrderEvacuation(action="order_evacuation")
    scheduled = Simulation(scenario, seed=2, decisions=[(-1382400.0, early), (t, late)])
    scheduled.run()
    stepped = Simulation(scenario, seed=2, start_s=-1382400.0)
    _, played = play_decisions(stepped, [Decision(-1382400.0, early), Decision(t, late)])
    assert [d.t for d in played.applied] == [-1382400.0, t]
    assert stepped.applied[-1][0] == t
    assert scheduled.applied[-1][0] != t  # the old path's rounding: why decisions are stepped


MAPPING = """\
scenario: Small room
scenario_sha256: abc
protocol: baseline
seed: 4
decisions:
  - {t: 30, action: open_openings, ids: [side], inject: I-1, option: open, by: players, delivered: 25}
  - {t: 10, action: order_evacuation, by: facilitator}
"""


def test_the_mapping_form_keeps_where_each_decision_came_from(write_yaml, make_scenario):
    read = load_decisions_file(write_yaml(MAPPING, name="d.yaml"), make_scenario(**TWO_DOORS))
    assert (read.scenario, read.protocol, read.seed) == ("Small room", "baseline", 4)
    first, second = read.decisions
    assert (first.t, first.by, first.inject) == (10.0, "facilitator", None)
    assert (second.inject, second.option, second.by, second.due_s) == ("I-1", "open", "players", 25.0)
    assert second.to_dict() == {"t": 30.0, "action": "open_openings", "ids": ["side"], "inject": "I-1",
                                "option": "open", "by": "players", "delivered": 25.0}
    assert load_decisions(write_yaml(MAPPING, name="d.yaml")) == read.decisions


@pytest.mark.parametrize(("text", "where", "message"), [
    ("- {t: 5, action: order_evacuation, by: someone}\n", "[0].by", "expected one of: players"),
    ("- {t: 5, action: order_evacuation, delivered: 3}\n", "[0].delivered", "give its inject"),
    ("seed: -1\ndecisions: []\n", "seed", "expected an integer ≥ 0"),
    ("seed: 1\nrun: 2\ndecisions: []\n", "run", "unknown field"),
    ("seed: 1\ndecisions:\n  - {t: 5, action: panic}\n", "decisions[0].action", "unknown action"),
])
def test_bad_provenance_is_located(write_yaml, text, where, message):
    with pytest.raises(ScenarioError) as caught:
        load_decisions_file(write_yaml(text, name="d.yaml"))
    problem = caught.value.problems[0]
    assert problem.path == where and message in problem.message


def test_a_guard_withholds_the_items_of_an_inject_not_delivered(make_scenario):
    scenario = make_scenario(**TWO_DOORS)
    evacuate = OrderEvacuation(action="order_evacuation")
    open_side = OpenOpenings(action="open_openings", ids=["side"])
    decisions = [Decision(10.0, evacuate, inject="I-1", option="go", due_s=5.0),
                 Decision(20.0, open_side, inject="I-2", option="open", due_s=15.0)]
    asked = []

    def guard(sim, inject_id, choices):
        asked.append((sim.now, inject_id, dict(choices)))
        return inject_id == "I-1"

    _, played = play_decisions(Simulation(scenario, seed=3), decisions, guard=guard)
    assert asked == [(5.0, "I-1", {}), (15.0, "I-2", {"I-1": "go"})]  # at the delivery, with choices so far
    assert [d.inject for d in played.applied] == ["I-1"] and [d.inject for d in played.withheld] == ["I-2"]
    assert played.choices == {"I-1": "go"}


def test_a_failing_decision_is_skipped_only_when_asked(make_scenario):
    scenario = make_scenario(**TWO_DOORS)
    bad = [Decision(5.0, OpenOpenings(action="open_openings", ids=["nowhere"]))]
    _, played = run_with_decisions(scenario, bad, seed=1, skip_failed=True)
    assert played.failed and not played.applied
    with pytest.raises(Exception, match="nowhere"):
        run_with_decisions(scenario, bad, seed=1)


def test_the_condition_guard_judges_the_inject_as_the_console_does(make_scenario):
    """An option of a conditional inject plays only where its inject went out with a decision."""
    from ttxsim.sim.decision_play import condition_guard

    def decision_inject(ident: str, **condition) -> dict:
        return {"id": ident, "at": 5, "kind": "decision", "to": "Venue", "message": "Open?", **condition,
                "decision": {"prompt": "Open the side door?", "default": "open", "options": [
                    {"id": "open", "label": "Open",
                     "actions": [{"action": "open_openings", "ids": ["side"]}]},
                    {"id": "keep", "label": "Keep"}]}}

    injects = [decision_inject("I-1", when="inside > 0"),          # holds: people are inside at 5 s
               decision_inject("I-2", when="inside > 100000"),     # fails, no alternative: skipped
               decision_inject("I-3", unless="inside > 0"),        # unless holds: skipped
               decision_inject("I-4", when="inside > 100000", otherwise={"message": "Nothing to decide"}),
               decision_inject("I-5")]                              # no condition: always
    scenario = make_scenario(injects=injects, **TWO_DOORS)
    guard = condition_guard(scenario)
    sim = Simulation(scenario, seed=3)
    sim.run_until(5.0)
    verdicts = [guard(sim, i, {}) for i in ("I-1", "I-2", "I-3", "I-4", "I-5")]
    assert verdicts == [True, False, False, False, True]
    assert condition_guard(make_scenario(**TWO_DOORS)) is None  # nothing conditional: no guard
