"""The loader against hostile input: values YAML cannot make, control characters, huge values.

Issue 12 ("Hardening"): each of these once ended in a traceback, an "(internal) ... bug in
ttxsim" line, a multi-megabyte message or a run that silently evacuated nobody; each must now
be one located problem.
"""

from __future__ import annotations

import pytest

from ttxsim.sim.scenario import Problem, ScenarioError, load_scenario

VALID = """\
meta:
  name: Small room
  horizon_s: 1800
venue:
  zones:
    - id: room
      x_m: 0
      y_m: 0
      width_m: 10
      depth_m: 10
  openings:
    - id: door
      between: [room, outside]
      width_m: 1.0
      at_m: [10, 5]
population:
  occupants:
    - zone: room
      count: 50
  premovement_s: {dist: lognormal, median: 30, sigma: 0.5}
"""


def where(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based line and column of the nth occurrence of `needle` in `text`."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def edit(old: str, new: str, text: str = VALID) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def only_problem(text: str | bytes, write_yaml) -> Problem:
    path = write_yaml(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    problems = info.value.problems
    assert len(problems) == 1, "\n".join(map(str, problems))
    assert problems[0].file == str(path)
    return problems[0]


# --- hardening: values YAML cannot make, control characters, long values ----------------

@pytest.mark.parametrize(
    ("text", "needle", "path", "message"),
    [
        (edit("  name: Small room", '  name: "a\\x01b"'), '"a', "meta.name", "control character U+0001"),
        (edit("  name: Small room", '  name: "a\\rb"'), '"a', "meta.name", "control character U+000D"),
        (edit("  name: Small room", '  "na\\x1bme": x'), '"na', "meta", "control character U+001B in a key"),
        (edit("  name: Small room", "  name: !!binary AQI="), "!!binary", "meta.name", "binary values"),
        (VALID + "incident: !!bool maybe\n", "!!bool", "incident", "'maybe' is not a valid bool"),
        (VALID + "incident: !!timestamp notadate\n", "!!timestamp", "incident",
         "'notadate' is not a valid timestamp"),
        (edit("count: 50", "count: " + "9" * 5000), "9999", "population.occupants[0].count",
         "is not a valid int"),
    ],
    ids=["control character", "carriage return", "control character in a key", "binary",
         "!!bool maybe", "!!timestamp notadate", "5000-digit int"],
)
def test_value_yaml_cannot_make_is_a_located_error(text, needle, path, message, write_yaml):
    problem = only_problem(text, write_yaml)
    assert (problem.path, (problem.line, problem.column)) == (path, where(text, needle))
    assert message in problem.message
    assert len(str(problem)) < 300


def test_tab_and_newline_are_allowed_in_text(write_yaml):
    text = edit("  name: Small room", '  name: Small room\n  description: "a\\tb\\nc"')
    assert load_scenario(write_yaml(text)).meta.description == "a\tb\nc"


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [
        (edit("[room, outside]", f"[{'r' * 3_000_000}, outside]"), "venue.openings[0].between[0]",
         "unknown zone '" + "r" * 80 + "…'"),
        (edit("  horizon_s: 1800", f"  ? {'h' * 1_000_000}\n  : 1800"), "meta." + "h" * 80 + "…",
         "unknown field"),
        (edit("width_m: 1.0", "width_m: " + "1" * 4000), "venue.openings[0].width_m",
         "valid number"),
    ],
    ids=["3 MB zone name", "1 MB key", "4000-digit number"],
)
def test_a_long_value_is_quoted_short(text, path, message, write_yaml):
    problem = only_problem(text, write_yaml)
    assert problem.path == path
    assert message in problem.message
    assert len(str(problem)) < 400, str(problem)[:500]


# --- hardening: every number finite, and bounded where physics bounds it -----------------

PREMOVEMENT = "premovement_s: {dist: lognormal, median: 30, sigma: 0.5}"


@pytest.mark.parametrize(
    ("new", "needle", "path", "message"),
    [
        (PREMOVEMENT + "\n  free_speed_m_s: .nan", ".nan", "population.free_speed_m_s", "finite number"),
        ("premovement_s: .inf", ".inf", "population.premovement_s", "finite number"),
        ("premovement_s: {dist: uniform, low: -.inf, high: 1}", "-.inf", "population.premovement_s.low",
         "finite number"),
        ("premovement_s: {dist: normal, mean: 1, sd: .NaN}", ".NaN", "population.premovement_s.sd",
         "finite number"),
        ("premovement_s: {dist: lognormal, median: 30, sigma: 0.5, max: .inf}", ".inf",
         "population.premovement_s.max", "finite number"),
        ("premovement_s: {dist: lognormal, median: 30, sigma: 1000}", "1000",
         "population.premovement_s.sigma", "must be ≤ 5"),
        ("premovement_s: {dist: exponential, mean: 1.0e+12}", "1.0e+12", "population.premovement_s.mean",
         "must be ≤ 1e+08"),
        (PREMOVEMENT + "\n  free_speed_m_s: 12.5", "12.5", "population.free_speed_m_s",
         "must lie between 0 and 10 m/s (got 12.5)"),
        (PREMOVEMENT + "\n  free_speed_m_s: {dist: normal, mean: 1.3, sd: 0.2, max: 30}", "{dist: normal",
         "population.free_speed_m_s", "(got 30)"),
    ],
    ids=["NaN speed", "infinite pre-movement", "infinite bound", "NaN sd", "infinite clip",
         "lognormal sigma", "huge mean", "speed", "speed's clip"],
)
def test_non_finite_or_absurd_number_is_a_located_error(new, needle, path, message, write_yaml):
    text = edit(PREMOVEMENT, new)
    problem = only_problem(text, write_yaml)
    assert (problem.path, (problem.line, problem.column)) == (path, where(text, needle))
    assert message in problem.message


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("at_m: [10, 5]", "at_m: [.nan, 5]", "venue.openings[0].at_m[0]"),
        ("at_m: [10, 5]", "at_m: [10, 1.0e+9]", "venue.openings[0].at_m[1]"),
        ("  horizon_s: 1800", "  horizon_s: .inf", "meta.horizon_s"),
        ("  count: 50", "  count: 50\n      at_m: [.inf, 1]", "population.occupants[0].at_m[0]"),
    ],
    ids=["NaN position", "far position", "infinite horizon", "infinite start position"],
)
def test_every_float_is_finite_and_on_the_plan(old, new, path, write_yaml):
    assert only_problem(edit(old, new), write_yaml).path == path


def test_a_time_too_large_to_be_a_number_is_refused():
    from ttxsim.sim.scenario.times import parse_scenario_time

    with pytest.raises(ValueError, match="too large"):
        parse_scenario_time("T+" + "9" * 400 + "d")


def test_uniform_from_minus_to_plus_infinity_never_reaches_a_run(write_yaml):
    # It validated, then `run` raised OverflowError inside numpy.
    text = edit(PREMOVEMENT, "premovement_s: {dist: uniform, low: -.inf, high: .inf}")
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_yaml(text))
    assert [p.path for p in info.value.problems] == ["population.premovement_s.low",
                                                    "population.premovement_s.high"]


# --- protocols and posture levels are validated as they run ----------------------------------

TYPE_CHANGE = edit(PREMOVEMENT, "premovement_s: 0") + """\
protocols:
  slow:
    population:
      premovement_s: {dist: uniform, low: 10, high: 20}
"""

POSTURE = """\
posture_levels:
  - level: 1
    name: heightened
    overrides:
      population:
        premovement_s: {median: 10}
"""


def test_a_protocol_may_replace_a_number_by_a_distribution(write_yaml):
    # It validated, then `run -p slow` failed: the run merged into {dist: constant, value: 0}.
    scenario = load_scenario(write_yaml(TYPE_CHANGE))
    premovement = scenario.with_protocol("slow").population.premovement_s
    assert (premovement.dist, premovement.low, premovement.high) == ("uniform", 10, 20)


def test_a_distribution_of_another_kind_replaces_the_whole_value(write_yaml):
    text = VALID + ("protocols:\n  fixed:\n    population:\n"
                    "      premovement_s: {dist: normal, mean: 60, sd: 5}\n")
    variant = load_scenario(write_yaml(text)).with_protocol("fixed")
    assert variant.population.premovement_s.model_dump() == {
        "dist": "normal", "mean": 60, "sd": 5, "min": None, "max": None, "scale": 1.0, "shift": 0.0}


def test_a_protocol_is_checked_against_the_merge_it_runs(write_yaml):
    # The baseline's bare number is a constant when the protocol is merged: `median` is not one of its fields.
    text = edit(PREMOVEMENT, "premovement_s: 0") + (
        "protocols:\n  slow:\n    population:\n      premovement_s: {median: 10}\n")
    problem = only_problem(text, write_yaml)
    assert problem.path == "protocols.slow.population.premovement_s.median"
    assert (problem.line, problem.column) == where(text, "median: 10")
    assert problem.message.endswith("(with protocol 'slow')")


def test_a_posture_level_is_checked_under_each_protocol(write_yaml):
    # Fine on the baseline's lognormal; under `slow` (a uniform) `median` is not a field.
    text = TYPE_CHANGE.replace("premovement_s: 0", PREMOVEMENT) + POSTURE
    problem = only_problem(text, write_yaml)
    assert problem.path == "posture_levels[0].overrides.population.premovement_s.median"
    assert (problem.line, problem.column) == where(text, "median: 10")
    assert problem.message.endswith("(with protocol 'slow' at posture 1)")


def test_a_posture_level_of_a_protocol_is_located_in_the_protocol(write_yaml):
    text = VALID + "protocols:\n  guarded:\n" + "\n".join(
        "    " + line for line in POSTURE.replace("{median: 10}", "{median: -1}").splitlines()) + "\n"
    problem = only_problem(text, write_yaml)
    assert problem.path == "protocols.guarded.posture_levels[0].overrides.population.premovement_s.median"
    assert (problem.line, problem.column) == where(text, "-1")
    assert problem.message.endswith("(with protocol 'guarded' at posture 1)")


@pytest.mark.parametrize("name", ["concert_hall.yaml", "theatre.yaml"])
def test_every_shipped_protocol_and_posture_level_builds(name):
    from pathlib import Path

    scenario = load_scenario(Path(__file__).parents[2] / "scenarios" / name)
    for protocol in scenario.protocol_names:
        variant = scenario.with_protocol(protocol)
        for level in variant.posture_levels:
            variant.with_overrides(level.overrides)


@pytest.mark.parametrize(("action", "path", "message"), [
    ("{action: raise_posture, level: 7}", "level", "no posture level 7"),
    ("{action: order_shelter, zones: [room]}", "zones[0]", "zone 'room' is not lockable"),
    ("{action: open_openings, ids: [dor]}", "ids[0]", "unknown opening 'dor'; did you mean 'door'?"),
], ids=["posture level", "not lockable", "unknown opening"])
def test_inject_option_actions_are_checked_like_decisions(action, path, message, write_yaml):
    text = VALID + f"""\
injects:
  - id: I1
    at: T+00:01:00
    to: Venue control
    message: Smoke reported in the room.
    decision:
      prompt: What now?
      default: a
      options:
        - {{id: a, label: Act, actions: [{action}]}}
        - {{id: b, label: Wait}}
"""
    problem = only_problem(text, write_yaml)
    assert problem.path == f"injects[0].decision.options[0].actions[0].{path}"
    assert message in problem.message
