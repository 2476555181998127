"""Decision files: times, validation with located problems, cross-checks against a scenario."""

from __future__ import annotations

import dataclasses
import json

import pytest

from ttxsim.sim.actions import Announce, LockOpenings, OpenOpenings, OrderEvacuation
from ttxsim.sim.decisions import (
    Decision,
    check_decisions,
    load_decisions,
    parse_decisions,
    parse_scenario_time,
)
from ttxsim.sim.scenario import ScenarioError, read_document

# --- times ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "seconds"), [
    (0, 0.0),
    (120, 120.0),
    (90.5, 90.5),
    ("T+00:04:00", 240.0),
    ("T+04:00", 240.0),
    ("T+1:02:03", 3723.0),
    ("T-01:00:00", -3600.0),
    ("T-00:30", -30.0),
    ("T+90:00", 5400.0),  # the first field may pass 59
    ("T+00:00:30.5", 30.5),
    ("T-14d", -14 * 86400.0),
    ("T+45m", 2700.0),
    ("T+2h", 7200.0),
    ("T+30s", 30.0),
    ("T+1h30m", 5400.0),
    ("T+1.5h", 5400.0),
    ("  T+04:00 ", 240.0),
])
def test_parse_scenario_time(value, seconds):
    assert parse_scenario_time(value) == seconds


@pytest.mark.parametrize("value", [
    "T+1:60", "T+1:00:60", "T+1:2:3:4", "T+", "T4:00", "4:00", "04:00", "120", "T+45x", "T+30m1h",
    "T+1h1h", "t+4m", "soon", "", True, None, float("nan"), float("inf"), [1],
])
def test_parse_scenario_time_rejects(value):
    with pytest.raises(ValueError):
        parse_scenario_time(value)


# --- valid files ---------------------------------------------------------------------------

YAML_DECISIONS = """\
# the facilitator's decisions
- {t: "T+00:04:00", action: announce, quality: poor}
- {t: 120, action: open_openings, ids: [door]}
- t: T+02:00
  action: lock_openings
  ids: [door]
- {t: 0, action: order_evacuation}
"""


def test_load_yaml(write_yaml):
    decisions = load_decisions(write_yaml(YAML_DECISIONS, name="d.yaml"))
    assert decisions == [
        Decision(0.0, OrderEvacuation(action="order_evacuation")),
        Decision(120.0, OpenOpenings(action="open_openings", ids=["door"])),
        Decision(120.0, LockOpenings(action="lock_openings", ids=["door"])),  # stable: file order
        Decision(240.0, Announce(action="announce", quality="poor")),
    ]


def test_load_json_is_the_same(write_yaml):
    items = [{"t": "T+00:04:00", "action": "announce", "quality": "poor"},
             {"t": 120, "action": "open_openings", "ids": ["door"]},
             {"t": "T+02:00", "action": "lock_openings", "ids": ["door"]},
             {"t": 0, "action": "order_evacuation"}]
    from_json = load_decisions(write_yaml(json.dumps(items, indent=2), name="d.json"))
    assert from_json == load_decisions(write_yaml(YAML_DECISIONS, name="d.yaml"))


def test_sorted_by_time_stably(write_yaml):
    text = "".join(f"- {{t: {t}, action: announce, quality: {q}}}\n"
                   for t, q in [(50, "poor"), (10, "clear"), (50, "clear"), (10, "poor"), (0, "poor")])
    decisions = load_decisions(write_yaml(text))
    assert [(d.t, d.action.quality) for d in decisions] == [
        (0, "poor"), (10, "clear"), (10, "poor"), (50, "poor"), (50, "clear")]


def test_empty_list_is_no_decisions(write_yaml):
    assert load_decisions(write_yaml("[]\n")) == []


def test_to_dict_is_the_flat_form_and_round_trips(write_yaml):
    decisions = load_decisions(write_yaml(YAML_DECISIONS))
    flat = [d.to_dict() for d in decisions]
    assert flat[0] == {"t": 0.0, "action": "order_evacuation"}  # unset zones left out
    assert flat[1] == {"t": 120.0, "action": "open_openings", "ids": ["door"]}
    assert flat[3] == {"t": 240.0, "action": "announce", "quality": "poor"}
    assert list(flat[1]) == ["t", "action", "ids"]
    again = load_decisions(write_yaml(json.dumps(flat), name="again.json"))
    assert again == decisions


def test_decision_is_frozen():
    decision = Decision(1.0, Announce(action="announce"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.t = 2.0  # type: ignore[misc]


# --- one located problem per mistake -------------------------------------------------------

GOOD_LINE = "- {t: 10, action: announce}\n"

BAD = {
    # name: (text, line, column, path, words in the message)
    "bad_t": (GOOD_LINE + "- {t: soon, action: announce}\n", 2, 7, "[1].t", "invalid time 'soon'"),
    "bad_clock": (GOOD_LINE + "- {t: 'T+01:75', action: announce}\n", 2, 7, "[1].t", "under 60"),
    "boolean_t": (GOOD_LINE + "- {t: true, action: announce}\n", 2, 7, "[1].t", "boolean"),
    "too_early": (GOOD_LINE + "- {t: T-400d, action: announce}\n", 2, 7, "[1].t", "within a year"),
    "missing_t": (GOOD_LINE + "- {action: announce}\n", 2, 3, "[1].t", "required"),
    "unknown_action": (GOOD_LINE + GOOD_LINE + "- {t: 5, action: open_door, ids: [door]}\n",
                       3, 18, "[2].action", "unknown action 'open_door'"),
    "action_not_text": (GOOD_LINE + "- {t: 5, action: [announce]}\n", 2, 18, "[1].action",
                        "unknown action"),
    "missing_action": (GOOD_LINE + "- {t: 5, ids: [door]}\n", 2, 3, "[1].action", "required"),
    "missing_ids": (GOOD_LINE + "- {t: 5, action: open_openings}\n", 2, 3, "[1].ids", "required"),
    "empty_ids": (GOOD_LINE + "- {t: 5, action: open_openings, ids: []}\n", 2, 38, "[1].ids",
                  "at least 1"),
    "bad_id": (GOOD_LINE * 3 + "- {t: 5, action: lock_openings, ids: [9door]}\n", 4, 39,
               "[3].ids[0]", "pattern"),
    "unknown_key": (GOOD_LINE + "- {t: 5, action: announce, loud: true}\n", 2, 28, "[1].loud",
                    "unknown field; 'announce' takes: t, quality"),
    "misspelt_key": (GOOD_LINE + "- {t: 5, action: open_openings, id: [door]}\n", 2, 33, "[1].id",
                     "did you mean 'ids'?"),
    "bad_value": (GOOD_LINE + "- {t: 5, action: dispatch, unit: army}\n", 2, 34, "[1].unit",
                  "'police' or 'fire_service'"),
    "item_not_mapping": (GOOD_LINE + "- announce\n", 2, 3, "[1]", "expected a mapping"),
    "not_a_list": ("t: 5\naction: announce\n", 1, 1, "(root)", "expected a list of decisions"),
    "yaml_syntax": (GOOD_LINE + "- {t: 5, action: announce\n", 3, 1, "(yaml)", "flow mapping"),
    "empty": ("", 1, 1, "(root)", "the file is empty"),
    "only_comments": ("# nothing yet\n", 1, 1, "(root)", "the file is empty"),
    "json_syntax": ('[{"t": 5, "action": "announce"} {"t": 6}]', 1, 33, "(yaml)", "expected"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_one_located_problem(name, write_yaml):
    text, line, column, path, words = BAD[name]
    file = write_yaml(text, name=f"{name}.yaml")
    with pytest.raises(ScenarioError) as info:
        load_decisions(file)
    assert len(info.value.problems) == 1, str(info.value)
    problem = info.value.problems[0]
    assert (problem.file, problem.line, problem.column, problem.path) == (str(file), line, column, path), \
        str(problem)
    assert words in problem.message
    assert str(problem) == f"{file}:{line}:{column}: {path}: {problem.message}"


def test_every_problem_is_reported(write_yaml):
    text = ("- {t: soon, action: announce}\n"
            "- {t: 5, action: open_door}\n"
            "- {t: 5, action: open_openings, ids: [door], wide: true}\n")
    with pytest.raises(ScenarioError) as info:
        load_decisions(write_yaml(text))
    assert [(p.line, p.path) for p in info.value.problems] == [
        (1, "[0].t"), (2, "[1].action"), (3, "[2].wide")]


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load_decisions(tmp_path / "gone.yaml")
    assert info.value.problems[0].path == "(file)"


# --- against a scenario --------------------------------------------------------------------

SCENARIO_BAD = {
    "unknown_opening": ("- {t: 30, action: open_openings, ids: [door, dor]}\n", 1, 46, "[0].ids[1]",
                        "unknown opening 'dor'; did you mean 'door'?"),
    "unknown_zone": (GOOD_LINE + "- {t: 30, action: order_evacuation, zones: [hall]}\n", 2, 45,
                     "[1].zones[0]", "unknown zone 'hall'; the venue has: room"),
    "outside_zone": ("- {t: 30, action: order_shelter, zones: [outside]}\n", 1, 42, "[0].zones[0]",
                     "unknown zone 'outside'"),
    "zone_as_opening": ("- {t: 30, action: lock_openings, ids: [room]}\n", 1, 40, "[0].ids[0]",
                        "unknown opening 'room'"),
    "after_horizon": (GOOD_LINE + "- {t: T+1:00:01, action: announce}\n", 2, 7, "[1].t",
                      "after the horizon"),
    "order_before_event": (GOOD_LINE + "- {t: T-1d, action: order_evacuation}\n", 2, 7, "[1].t",
                           "once the event has started"),
    "posture_during_event": (GOOD_LINE + "- {t: 30, action: raise_posture, level: 1}\n", 2, 7, "[1].t",
                             "before the event"),
    # Each of these three once ended in a traceback (ActionError) half-way through the run.
    "unknown_posture_level": ("- {t: T-1d, action: raise_posture, level: 7}\n", 1, 43, "[0].level",
                              "no posture level 7; this scenario has [0]"),
    "unknown_agency": ("- {t: T-1d, action: forward_warning, to: nobody}\n", 1, 42, "[0].to",
                       "no warning chain"),
    "not_lockable": ("- {t: 5, action: order_shelter, zones: [room]}\n", 1, 41, "[0].zones[0]",
                     "zone 'room' is not lockable"),
    "shelter_before_event": ("- {t: T-1d, action: order_shelter}\n", 1, 7, "[0].t",
                             "once the event has started"),
    "long_unknown_opening": ("- {t: 5, action: open_openings, ids: [" + "d" * 64 + "]}\n", 1, 39,
                             "[0].ids[0]", "unknown opening '" + "d" * 64 + "'"),
}


@pytest.mark.parametrize("name", list(SCENARIO_BAD))
def test_one_located_problem_against_the_scenario(name, write_yaml, make_scenario):
    text, line, column, path, words = SCENARIO_BAD[name]
    scenario = make_scenario(meta={"horizon_s": 3600})
    file = write_yaml(text, name=f"{name}.yaml")
    assert load_decisions(file)  # valid on its own
    with pytest.raises(ScenarioError) as info:
        load_decisions(file, scenario=scenario)
    assert len(info.value.problems) == 1, str(info.value)
    problem = info.value.problems[0]
    assert (problem.line, problem.column, problem.path) == (line, column, path), str(problem)
    assert words in problem.message


def test_valid_against_the_scenario(write_yaml, make_scenario):
    text = ("- {t: 0, action: order_evacuation, zones: [room]}\n"
            "- {t: T+01:00:00, action: open_openings, ids: [door]}\n")  # the horizon itself is in
    decisions = load_decisions(write_yaml(text), scenario=make_scenario())
    assert [d.t for d in decisions] == [0.0, 3600.0]


def test_check_decisions_without_a_document(make_scenario):
    decisions = [Decision(5.0, OpenOpenings(action="open_openings", ids=["nope"]))]
    problems = check_decisions(decisions, make_scenario())
    assert [(p.file, p.path) for p in problems] == [("<decisions>", "[0].ids[0]")]
    assert check_decisions([Decision(5.0, Announce(action="announce"))], make_scenario()) == []


def test_parse_decisions_embedded_in_another_document(write_yaml):
    path = write_yaml("name: drill\ndecisions:\n  - {t: 5, action: announce}\n  - {t: 1, action: nope}\n")
    doc = read_document(path)
    with pytest.raises(ScenarioError) as info:
        parse_decisions(doc.data["decisions"], doc, prefix=("decisions",))
    (problem,) = info.value.problems
    assert (problem.line, problem.path) == (4, "decisions[1].action")
    ok = parse_decisions(doc.data["decisions"][:1], doc, prefix=("decisions",))
    assert ok == [Decision(5.0, Announce(action="announce"))]


def test_scenario_problems_reported_with_the_others(write_yaml, make_scenario):
    text = ("- {t: soon, action: announce}\n"
            "- {t: 5, action: open_openings, ids: [gate]}\n")
    with pytest.raises(ScenarioError) as info:
        load_decisions(write_yaml(text), scenario=make_scenario())
    assert [(p.line, p.path) for p in info.value.problems] == [(1, "[0].t"), (2, "[1].ids[0]")]


def test_an_unknown_agency_of_the_warning_chain(write_yaml, make_scenario):
    intel = {"agencies": [{"id": "police"}, {"id": "venue", "role": "venue_security"}],
             "warnings": [{"id": "w1", "origin": "police", "issued": "T-2d", "specificity": 0.5,
                           "reliability": 0.5}]}
    scenario = make_scenario(intel=intel)
    file = write_yaml("- {t: T-1d, action: forward_warning, to: venu}\n")
    with pytest.raises(ScenarioError) as info:
        load_decisions(file, scenario=scenario)
    [problem] = info.value.problems
    assert (problem.path, problem.message) == ("[0].to", "unknown agency 'venu'; did you mean 'venue'?")
    assert load_decisions(write_yaml("- {t: T-1d, action: forward_warning, to: venue}\n"), scenario=scenario)


def test_when_an_action_applies_comes_from_the_dispatch_tables(make_scenario):
    from ttxsim.sim.actions import CancelEvent, RaisePosture
    from ttxsim.sim.decisions import BEFORE_EVENT, DURING_EVENT
    from ttxsim.sim.dispatch import check_action

    assert BEFORE_EVENT == ("raise_posture", "forward_warning", "cancel_event")
    assert DURING_EVENT == ("order_evacuation", "order_shelter", "announce")
    scenario = make_scenario()
    assert check_action(CancelEvent(action="cancel_event"), -1.0, scenario) == []
    assert check_action(CancelEvent(action="cancel_event"), 0.0, scenario) == [
        (("t",), "cancel_event applies before the event (t < 0) only")]
    assert check_action(RaisePosture(action="raise_posture", level=0), -1.0, scenario) == []
    assert check_action(Announce(action="announce"), -1.0, scenario) == [
        (("t",), "announce applies once the event has started (t ≥ 0)")]


def test_a_decision_knows_where_it_is_in_its_file(write_yaml):
    path = write_yaml("- {t: 9, action: announce}\n- {t: 5, action: announce}\n")
    first, second = load_decisions(path)  # sorted by time
    assert str(first.problem("no")) == f"{path}:2:3: [1]: no"
    assert str(second.problem("no")) == f"{path}:1:3: [0]: no"
    assert str(Decision(1.0, Announce(action="announce")).problem("no")) == "<decisions>:1:1: (decision): no"
