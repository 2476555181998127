"""The condition language and live values: parsing, precedence, every fact, located load errors."""

from __future__ import annotations

import pytest

from ttxsim.sim import ScenarioError, Simulation, load_scenario
from ttxsim.sim.conditions import ConditionError, Facts, facts_of, fill_text, parse_condition
from ttxsim.sim.state import SimState


def _state(**changes) -> SimState:
    fields = dict(
        t=125.0, inside=120, safe=300, sheltered=15, harmed=7,
        zones={"hall": 100, "foyer": 20, "store": 0}, queues={},
        openings={"ex_w": "locked", "ex_e": "closed", "main": "open", "inner": "locked"},
        threat_zone="foyer", smoky_zones=("hall",), untenable_zones=(), t_alarm_s=60.0, finished=False,
        sheltering={"store": 15}, harmed_by={"threat": 5, "smoke": 2}, threat_status="active", posture=1,
        milestones={"alarm": 60.0, "police_arrival": None, "contained": None},
    )
    return SimState(**(fields | changes))


def _facts(choices=None, **changes) -> Facts:
    return Facts(state=_state(**changes), choices=choices or {"CH-09": "open_all"},
                 exits=("ex_w", "ex_e", "main"), names={"ex_w": "West exit", "hall": "The hall"},
                 option_labels={("CH-09", "open_all"): "Open all five"})


@pytest.mark.parametrize(("text", "expected"), [
    ("inside > 0", True),
    ("inside == 135", True),
    ("inside(hall) >= 100", True),
    ("inside(store) == 15", True),
    ("leaving(store) == 0", True),
    ("sheltering > 14", True),
    ("sheltering(hall) != 0", False),
    ("harmed >= 7", True),
    ("harmed(smoke) < 2", False),
    ("harmed(threat) == 5", True),
    ("evacuated > 299.5", True),
    ("locked_exits == 1", True),
    ("shut_exits == 2", True),
    ("open_exits <= 1", True),
    ("posture >= 2", False),
    ("opening(ex_w) is locked", True),
    ("opening(ex_e) is shut", True),
    ("opening(main) is not open", False),
    ("threat is active", True),
    ("threat is not contained", True),
    ("threat in foyer", True),
    ("threat not in foyer", False),
    ("smoke(hall)", True),
    ("smoke", True),
    ("untenable", False),
    ("untenable(hall)", False),
    ("decision(CH-09) is open_all", True),
    ("decision(CH-09) is not open_all", False),
    ("decision(CH-17) is open_all", False),
    ("decided(CH-09)", True),
    ("happened(alarm)", True),
    ("happened(police_arrival)", False),
    ("cancelled", False),
    ("closed_exits == 1", True),
])
def test_every_fact_reads_the_state(text, expected):
    assert parse_condition(text).holds(_facts()) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("posture >= 2 and inside > 0 or threat is active", True),  # and binds tighter: (F and T) or T
    ("posture >= 2 and (inside > 0 or threat is active)", False),
    ("not posture >= 2 and smoke", True),  # not binds tightest: (not F) and T
    ("not (inside > 0 and smoke)", False),
    ("untenable or posture > 5 or threat in hall", False),
    ("(((inside > 0)))", True),
])
def test_precedence_not_then_and_then_or(text, expected):
    assert parse_condition(text).holds(_facts()) is expected


@pytest.mark.parametrize(("text", "column", "words"), [
    ("inside >", 9, "expected a number"),
    ("insde > 3", 1, "did you mean 'inside'"),
    ("inside = 3", 8, "write '=='"),
    ("inside > 0 and", 15, "expected a fact"),
    ("(inside > 0", 12, "expected ')'"),
    ("inside > 0 inside > 1", 12, "expected 'and', 'or'"),
    ("threat is dead", 11, "the threat's status"),
    ("opening(ex_w) is ajar", 18, "opening's state"),
    ("opening ex_w is open", 9, "expected '('"),
    ("harmed(fire) > 0", 8, "cause of harm"),
    ("posture(hall) > 0", 9, "takes no argument"),
    ("happened(police)", 10, "unknown milestone"),
    ("inside > 0 & smoke", 12, "unexpected character"),
    ("", 1, "expected a fact"),
])
def test_a_bad_condition_says_what_and_where(text, column, words):
    with pytest.raises(ConditionError) as caught:
        parse_condition(text)
    assert caught.value.column == column and words in caught.value.message


def test_explain_names_the_facts_that_decided():
    facts = _facts()
    both = parse_condition("opening(ex_w) is locked and posture >= 2")
    assert both.explain(facts) == "failed: posture is 1"
    assert parse_condition("posture >= 2 or threat in foyer").explain(facts) == "held: threat active in foyer"
    assert parse_condition("not smoke(hall)").explain(facts) == "failed: The hall is smoky"
    assert "CH-09: open_all" in parse_condition("decision(CH-09) is leave").explain(facts)


def test_live_values_are_filled_from_the_facts():
    facts = _facts()
    text = ("{inside} in, {inside:hall} hall, {harmed:smoke} smoke, {evacuated} out; locked: {locked_exits}; "
            "{threat} in {threat_zone}; police {t_police_arrival}, alarm {t_alarm}; {decision:CH-09}; "
            "{clock}; {{literal}}")
    assert fill_text(text, facts) == (
        "135 in, 100 hall, 2 smoke, 300 out; locked: West exit; active in foyer; "
        "police not yet, alarm T+00:01:00; Open all five; T+00:02:05; {literal}")
    with pytest.raises(ConditionError, match=r"did you mean '\{inside\}'"):
        fill_text("{insde}", facts)
    with pytest.raises(ConditionError, match="lone"):
        fill_text("a } b", facts)


def test_facts_of_a_running_simulation_match_its_state(make_scenario):
    sim = Simulation(make_scenario(), seed=2)
    sim.run_until(45)
    facts = facts_of(sim, {})
    state = sim.state()
    assert facts.inside() == state.inside + state.sheltered > 0
    assert facts.exits == ("door",) and facts.state.openings == {"door": "open"}
    assert state.threat_status == "none" and parse_condition("threat is none").holds(facts)


def _inject(**fields):
    return {"id": "X1", "at": "T+00:01:00", "to": "Manager", "message": "Hello.", **fields}


@pytest.mark.parametrize(("inject", "path", "words"), [
    (_inject(when="inside(rooom) > 1"), "injects[1].when", "unknown zone 'rooom'; did you mean 'room'?"),
    (_inject(when="opening(dor) is open"), "injects[1].when", "unknown opening 'dor'; did you mean 'door'?"),
    (_inject(unless="inside >"), "injects[1].unless", "column 9: expected a number"),
    (_inject(when="decision(D1x) is go"), "injects[1].when", "unknown inject 'D1x'; did you mean 'D1'?"),
    (_inject(when="decision(D1) is goo"), "injects[1].when", "D1 has no option 'goo'; did you mean 'go'?"),
    (_inject(when="decided(X1)"), "injects[1].when", "asks for no decision"),
    (_inject(otherwise={"message": "Else."}), "injects[1].otherwise", "give 'when'"),
    (_inject(unless="cancelled", otherwise={"message": "Else."}), "injects[1].otherwise", "give 'when'"),
    (_inject(message="{inside:lobby} inside"), "injects[1].message", "unknown zone 'lobby'"),
    (_inject(questions=["{harmd}?"]), "injects[1].questions[0]", "did you mean '{harmed}'"),
    (_inject(when="inside > 0", otherwise={"message": "{bogus}"}), "injects[1].otherwise.message",
     "unknown live value"),
])
def test_a_bad_condition_in_a_scenario_is_a_located_error(make_scenario_data, write_yaml, inject, path,
                                                          words):
    decision = {"id": "D1", "at": "T+00:00:30", "to": "Manager", "message": "Go?",
                "decision": {"prompt": "Go?", "default": "go", "options": [{"id": "go", "label": "Go"},
                                                                           {"id": "stay", "label": "Stay"}]}}
    file = write_yaml(make_scenario_data(injects=[decision, inject]))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(file)
    problem = next(p for p in caught.value.problems if p.path == path)
    assert words in problem.message and problem.line > 1


def test_a_decision_read_before_it_comes_is_refused(make_scenario_data, write_yaml):
    early = _inject(when="decision(D1) is go")
    decision = {"id": "D1", "at": "T+00:02:00", "to": "Manager", "message": "Go?",
                "decision": {"prompt": "Go?", "default": "go", "options": [{"id": "go", "label": "Go"},
                                                                           {"id": "stay", "label": "Stay"}]}}
    with pytest.raises(ScenarioError, match=r"injects\[0\]\.when: column 10: inject D1 comes at or after"):
        load_scenario(write_yaml(make_scenario_data(injects=[early, decision])))
