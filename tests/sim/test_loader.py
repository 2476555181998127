"""The scenario loader: valid files load; each broken file gives one located problem."""

from __future__ import annotations

import itertools
import time

import pytest

from ttxsim.sim.scenario import BASELINE, Problem, ScenarioError, load_scenario, parse_scenario
from ttxsim.sim.scenario.limits import MAX_OCCUPANTS

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

CELLAR = """\
    - id: cellar
      x_m: 20
      y_m: 0
      width_m: 5
      depth_m: 5
"""

PROTOCOL = """\
protocols:
  wide_door:
    venue:
      openings:
        - id: door
          width_m: -2
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


# Each case: the broken text, the field path, where it is (a needle in the text and which
# occurrence), and a part of the message.
CASES = {
    "bad width": (
        edit("width_m: 1.0", "width_m: -1"),
        "venue.openings[0].width_m", ("-1", 1), "must be > 0",
    ),
    "unknown zone in between": (
        edit("[room, outside]", "[rooom, outside]"),
        "venue.openings[0].between[0]", ("rooom", 1), "unknown zone 'rooom'",
    ),
    "unknown key, close to a field": (
        edit("  horizon_s: 1800", "  horizn_s: 1800"),
        "meta.horizn_s", ("horizn_s", 1), "did you mean 'horizon_s'?",
    ),
    "unknown key, far from every field": (
        edit("  horizon_s: 1800", "  colour: red"),
        "meta.colour", ("colour", 1), "expected one of: name, description",
    ),
    "unknown top-level section": (
        VALID + "incidnt: {}\n",
        "incidnt", ("incidnt", 1), "unknown field",
    ),
    "duplicate key": (
        edit("  horizon_s: 1800", "  horizon_s: 1800\n  name: Other"),
        "meta.name", ("name", 2), "duplicate key",
    ),
    "missing required field": (
        edit("      width_m: 1.0\n", ""),
        "venue.openings[0].width_m", ("id: door", 1), "required field is missing",
    ),
    "unknown dist": (
        edit("dist: lognormal", "dist: logn"),
        "population.premovement_s", ("{dist: logn", 1), "unknown dist; expected one of",
    ),
    "a count above the limit": (
        edit("count: 50", f"count: {2 * MAX_OCCUPANTS}"),
        "population.occupants[0].count", (str(2 * MAX_OCCUPANTS), 1), f"≤ {MAX_OCCUPANTS}",
    ),
    "unknown zone in population": (
        edit("    - zone: room", "    - zone: roon"),
        "population.occupants[0].zone", ("roon", 1), "unknown zone 'roon'",
    ),
    "zone with no route to safety": (
        edit("  openings:", CELLAR + "  openings:",
             edit("      count: 50", "      count: 50\n    - zone: cellar\n      count: 5")),
        "population.occupants[1].zone", ("cellar", 2), "zone 'cellar' has no route to safety",
    ),
    "error inside a protocol override": (
        VALID + PROTOCOL,
        "protocols.wide_door.venue.openings[0].width_m", ("-2", 1), "(with protocol 'wide_door')",
    ),
    "unknown field inside a protocol override": (
        VALID + edit("width_m: -2", "stat: open", PROTOCOL),
        "protocols.wide_door.venue.openings[0].stat", ("stat", 1), "did you mean 'state'?",
    ),
    "unknown zone for a further fire": (
        VALID + "incident:\n  fire: {zone: room, start_s: 0}\n"
                "  further_fires:\n    - {zone: roomm, start_s: 60}\n",
        "incident.further_fires[0].zone", ("roomm", 1), "unknown zone 'roomm'",
    ),
    "negative leakage": (
        edit("      width_m: 1.0\n", "      width_m: 1.0\n      leakage_m2: -0.1\n"),
        "venue.openings[0].leakage_m2", ("-0.1", 1), "must be ≥ 0",
    ),
    "a YAML key in YAML 1.1 boolean form stays a name": (
        edit("  horizon_s: 1800", "  on: 3"),
        "meta.on", ("on: 3", 1), "unknown field",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_broken_scenario_gives_one_located_problem(case, write_yaml):
    text, path, (needle, nth), message = CASES[case]
    problem = only_problem(text, write_yaml)
    assert problem.path == path
    assert (problem.line, problem.column) == where(text, needle, nth)
    assert message in problem.message
    assert str(problem) == (f"{problem.file}:{problem.line}:{problem.column}: "
                            f"{problem.path}: {problem.message}")


def test_protocol_list_item_whose_id_is_not_text(write_yaml):
    # Not merged by id (the list then replaces the baseline's), and no crash.
    text = VALID + edit("- id: door", "- id: [door]", edit("width_m: -2", "width_m: 2", PROTOCOL))
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_yaml(text))
    problems = {p.path: p for p in info.value.problems}
    problem = problems["protocols.wide_door.venue.openings[0].id"]
    assert (problem.line, problem.column) == where(text, "[door]")
    assert "(with protocol 'wide_door')" in problem.message


def test_protocol_error_names_the_protocol(write_yaml):
    problem = only_problem(VALID + PROTOCOL, write_yaml)
    assert "protocol 'wide_door'" in problem.message
    assert problem.line == where(VALID + PROTOCOL, "width_m: -2")[0]


def test_total_occupants_above_the_limit(write_yaml):
    big = MAX_OCCUPANTS // 2 + 1  # each group is within the limit, the two together are not
    text = edit("width_m: 10\n      depth_m: 10", "width_m: 1000\n      depth_m: 1000")
    text = edit("at_m: [10, 5]", "at_m: [1000, 500]", text)
    groups = f"      count: {big}\n    - zone: room\n      count: {big}"
    text = edit("      count: 50", groups, text)
    problem = only_problem(text, write_yaml)
    assert problem.path == "population.occupants"
    assert f"exceed the limit of {MAX_OCCUPANTS}" in problem.message
    assert problem.line == where(text, "- zone: room")[0]


@pytest.mark.parametrize(
    ("text", "needle", "message"),
    [
        (edit("  name: Small room", "  name: Small: room"), ": room",
         "mapping values are not allowed"),
        (edit("  name: Small room", "\tname: Small room"), "\t", "cannot start any token"),
        (edit("[room, outside]", "[room, outside"), "outside", "flow sequence"),
    ],
    ids=["colon in a plain value", "tab indentation", "unclosed bracket"],
)
def test_yaml_syntax_error_is_located(text, needle, message, write_yaml):
    problem = only_problem(text, write_yaml)
    assert problem.path == "(yaml)"
    assert message in problem.message
    line, column = where(text, needle)
    if needle == "outside":  # PyYAML notices at the next token: the `:` after `width_m`
        assert (problem.line, problem.column) == where(text, ": 1.0")
    else:
        assert (problem.line, problem.column) == (line, column)


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(text, write_yaml):
    problem = only_problem(text, write_yaml)
    assert (problem.line, problem.column, problem.path) == (1, 1, "(root)")
    assert "empty" in problem.message


def test_binary_file(write_yaml):
    problem = only_problem(b"\x7fELF\x02\x01\x01\x00\x00\x00meta:", write_yaml)
    assert (problem.line, problem.column, problem.path) == (1, 1, "(file)")
    assert "NUL" in problem.message


def test_non_utf8_file(write_yaml):
    text = edit("Small room", "Salle \xe9")
    problem = only_problem(text.encode("latin-1"), write_yaml)
    assert (problem.line, problem.column) == where(text, "\xe9")
    assert problem.message == "not UTF-8 text"


@pytest.mark.parametrize(
    ("text", "found"),
    [("- meta\n- venue\n", "a list"), ("just some text\n", "text"), ("42\n", "int"),
     ("~\n", "nothing")],
)
def test_non_mapping_root(text, found, write_yaml):
    problem = only_problem(text, write_yaml)
    assert (problem.line, problem.column, problem.path) == (1, 1, "(root)")
    assert problem.message == f"expected a mapping of sections, found {found}"


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "nope.yaml")
    [problem] = info.value.problems
    assert str(problem) == f"{tmp_path / 'nope.yaml'}:1:1: (file): No such file or directory"


def test_second_document_is_refused(write_yaml):
    text = VALID + "---\nmeta: {name: other}\n"
    problem = only_problem(text, write_yaml)
    assert problem.path == "(yaml)"
    assert problem.line == where(text, "---")[0]


def test_python_tags_are_refused(write_yaml):
    text = edit("Small room", "!!python/object:os.system x")
    problem = only_problem(text, write_yaml)
    assert problem.path == "(yaml)"
    assert "could not determine a constructor" in problem.message
    assert (problem.line, problem.column) == where(text, "!!python")


def test_several_problems_are_all_reported_in_file_order(write_yaml):
    text = edit("width_m: 1.0", "width_m: -1", edit("  horizon_s: 1800", "  horizn_s: 1800"))
    path = write_yaml(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert [p.path for p in info.value.problems] == ["meta.horizn_s", "venue.openings[0].width_m"]
    assert str(info.value).splitlines() == [str(p) for p in info.value.problems]


def test_valid_file_loads(write_yaml):
    scenario = load_scenario(write_yaml(VALID))
    assert scenario.meta.name == "Small room"
    assert [z.id for z in scenario.venue.zones] == ["room"]
    assert scenario.venue.zones[0].area_m2 == 100
    assert scenario.venue.openings[0].between == ("room", "outside")
    assert scenario.population.occupants[0].count == 50
    assert scenario.population.premovement_s.dist == "lognormal"
    assert scenario.protocol == BASELINE
    assert scenario.protocol_names == [BASELINE]
    assert scenario.source_text == VALID


def test_json_file_loads(write_yaml, make_scenario_data):
    import json

    path = write_yaml(json.dumps(make_scenario_data()), name="scenario.json")
    assert load_scenario(path).population.occupants[0].count == 50


def test_utf8_bom_file_loads(write_yaml):
    scenario = load_scenario(write_yaml(b"\xef\xbb\xbf" + VALID.encode()))
    assert scenario.meta.name == "Small room"


def test_aliases_and_merge_keys_work(write_yaml):
    text = edit("  horizon_s: 1800", "  horizon_s: &h 1800\n  description: &d shared") + (
        "protocols:\n  later:\n    meta:\n      horizon_s: *h\n"
    )
    assert load_scenario(write_yaml(text)).meta.description == "shared"


def test_billion_laughs_is_refused_quickly(write_yaml):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    names = "abcdefghij"
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    start = time.perf_counter()
    problem = only_problem(text, write_yaml)
    assert time.perf_counter() - start < 5
    assert problem.path == "(yaml)"
    assert "aliases expanded" in problem.message
    assert 1 <= problem.line <= len(lines)


def test_deep_nesting_is_a_located_error(write_yaml):
    text = "meta: " + "[" * 5000 + "]" * 5000 + "\n"
    problem = only_problem(text, write_yaml)
    assert problem.path == "(yaml)"
    assert problem.message == "nested too deeply"
    assert problem.line == 1


def test_parse_scenario_names_the_source():
    with pytest.raises(ScenarioError) as info:
        parse_scenario(edit("width_m: 1.0", "width_m: 0"), name="inline.yaml")
    [problem] = info.value.problems
    assert problem.file == "inline.yaml"
    assert (problem.line, problem.column) == where(VALID, "1.0")


# --- protocols ---------------------------------------------------------------------------

WITH_PROTOCOLS = {
    "venue": {
        "zones": [{"id": "room", "x_m": 0, "y_m": 0, "width_m": 10, "depth_m": 10}],
        "openings": [
            {"id": "door", "between": ["room", "outside"], "width_m": 1.0, "at_m": [10, 5]},
            {"id": "back", "between": ["room", "outside"], "width_m": 0.9, "at_m": [0, 5],
             "state": "locked", "kind": "door"},
        ],
    },
    "protocols": {
        "open_back": {"venue": {"openings": [{"id": "back", "state": "open"}]}},
        "new_exit": {"venue": {"openings": [
            {"id": "side", "between": ["room", "outside"], "width_m": 2.0, "at_m": [5, 0]},
        ]}},
        "fast": {"population": {"premovement_s": 5}},
    },
}


def test_with_protocol_merges_lists_by_id(make_scenario):
    scenario = make_scenario(**WITH_PROTOCOLS)
    assert scenario.protocol_names == [BASELINE, "open_back", "new_exit", "fast"]
    variant = scenario.with_protocol("open_back")
    assert variant.protocol == "open_back"
    back = {o.id: o for o in variant.venue.openings}["back"]
    assert back.state == "open"
    assert back.width_m == 0.9 and back.at_m == (0, 5)  # the rest of the item is kept
    assert [o.id for o in variant.venue.openings] == ["door", "back"]
    assert variant.venue.openings[0] == scenario.venue.openings[0]
    assert variant.population == scenario.population
    # the baseline itself is unchanged
    assert {o.id: o for o in scenario.venue.openings}["back"].state == "locked"


def test_with_protocol_appends_new_ids(make_scenario):
    variant = make_scenario(**WITH_PROTOCOLS).with_protocol("new_exit")
    assert [o.id for o in variant.venue.openings] == ["door", "back", "side"]
    assert variant.venue.openings[2].width_m == 2.0


def test_with_protocol_replaces_plain_values(make_scenario):
    variant = make_scenario(**WITH_PROTOCOLS).with_protocol("fast")
    assert variant.population.premovement_s.dist == "constant"
    assert variant.population.premovement_s.value == 5
    assert variant.population.occupants[0].count == 50


def test_with_protocol_baseline_and_none_are_unchanged(make_scenario):
    scenario = make_scenario(**WITH_PROTOCOLS)
    assert scenario.with_protocol(None) is scenario
    assert scenario.with_protocol(BASELINE) is scenario


def test_with_protocol_keeps_the_source_text(write_yaml):
    scenario = load_scenario(write_yaml(VALID + edit("width_m: -2", "width_m: 2", PROTOCOL)))
    variant = scenario.with_protocol("wide_door")
    assert variant.venue.openings[0].width_m == 2
    assert variant.source_text == scenario.source_text
    assert variant.digest == scenario.digest


def test_unknown_protocol_names_the_known_ones(make_scenario):
    with pytest.raises(KeyError) as info:
        make_scenario(**WITH_PROTOCOLS).with_protocol("nope")
    assert info.value.args[0] == (
        "unknown protocol 'nope'; this scenario has: baseline, open_back, new_exit, fast"
    )


def test_make_scenario_fixture_is_the_small_room(make_scenario):
    scenario = make_scenario()
    assert scenario.venue.zones[0].area_m2 == 100
    assert scenario.venue.openings[0].width_m == 1.0
    assert scenario.population.occupants[0].count == 50
    assert make_scenario(population={"occupants": [{"zone": "room", "count": 7}]}) \
        .population.occupants[0].count == 7

