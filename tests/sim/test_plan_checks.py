"""Geometry checks: exits in outside walls, doors that fit their wall, overlaps, protocol ids.

Each broken plan gives a located problem (file, line, field) and `ttxsim validate` exits 2; a
protocol that replaces a whole list is a warning, printed, with exit 0.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ttxsim.sim.scenario import ScenarioError, parse_scenario
from ttxsim.tui import cli

HALL = """\
meta: {name: Hall, sources: [test]}
venue:
  zones:
    - {id: hall, x_m: 0, y_m: 0, width_m: 20, depth_m: 20}
    - {id: foyer, x_m: 20, y_m: 0, width_m: 10, depth_m: 20}
  openings:
    - {id: inner, between: [hall, foyer], width_m: 4}
    - {id: exit_1, between: [foyer, outside], width_m: 2, at_m: [30, 10]}
population:
  occupants: [{id: crowd, zone: hall, count: 100}]
  premovement_s: 30
"""


def problems(text: str) -> list[str]:
    """Each problem as 'LINE: path: message' ('' if the scenario is valid)."""
    try:
        parse_scenario(text, "plan.yaml")
    except ScenarioError as exc:
        return [f"{p.line}: {p.path}: {p.message}" for p in exc.problems]
    return []


def test_the_hall_is_valid():
    assert problems(HALL) == []


def test_an_exit_in_the_middle_of_a_room_is_refused():
    text = HALL.replace("at_m: [30, 10]", "at_m: [10, 7]").replace("[foyer, outside]", "[hall, outside]")
    assert problems(text) == [
        "8: venue.openings[1].at_m: position [10.0, 7.0] is 7.0 m inside the venue, not on its outer "
        "boundary (floor 0): an opening to outside must be in an outside wall"]


def test_an_exit_on_a_wall_between_two_zones_is_refused():
    """[20, 10] is on the hall's edge, but that edge is the foyer's: not an outside wall."""
    text = HALL.replace("at_m: [30, 10]", "at_m: [20, 10]").replace("[foyer, outside]", "[hall, outside]")
    assert len(problems(text)) == 1
    assert "not on its outer boundary" in problems(text)[0]


def test_an_exit_within_a_wall_thickness_of_the_outer_wall_is_accepted():
    assert problems(HALL.replace("at_m: [30, 10]", "at_m: [30.8, 10]")) == []


def test_a_door_wider_than_its_shared_wall_is_refused():
    text = HALL.replace("width_m: 4}", "width_m: 25}")
    assert problems(text) == [
        "7: venue.openings[0].width_m: 25 m is wider than the wall 'hall' and 'foyer' share where it sits "
        "(20.0 m)"]


def test_a_door_as_wide_as_its_wall_is_accepted():
    assert problems(HALL.replace("width_m: 4}", "width_m: 20}")) == []


def test_an_exit_wider_than_its_outside_wall_is_refused():
    """The foyer's east wall is 20 m: the 25 m exit does not fit, the 10 m wall beside it is not it."""
    text = HALL.replace("width_m: 2, at_m", "width_m: 25, at_m")
    assert problems(text) == [
        "8: venue.openings[1].width_m: 25 m is wider than the outside wall of 'foyer' where it sits (20.0 m)"]


def test_overlapping_zones_are_reported_with_the_overlap_area():
    text = HALL.replace("{id: foyer, x_m: 20", "{id: foyer, x_m: 18")
    found = problems(text)
    assert found[0] == ("5: venue.zones[1].x_m: zone 'foyer' overlaps zone 'hall' by 40.0 m²: zones on one "
                        "floor must not overlap (they may share an edge)")
    assert not any("share no edge" in p for p in found)


def test_a_sliver_of_drawing_tolerance_is_not_an_overlap():
    assert problems(HALL.replace("{id: foyer, x_m: 20", "{id: foyer, x_m: 19.98")) == []


def test_rectangles_of_one_zone_that_overlap_are_reported():
    text = HALL.replace("{id: hall, x_m: 0, y_m: 0, width_m: 20, depth_m: 20}",
                        "{id: hall, rects: [{x_m: 0, y_m: 0, width_m: 20, depth_m: 10}, "
                        "{x_m: 0, y_m: 8, width_m: 20, depth_m: 12}]}")
    assert problems(text) == ["4: venue.zones[0].rects: the rectangles of zone 'hall' overlap by 40.0 m²: "
                              "its area would count that twice"]
    apart = text.replace("y_m: 8, width_m: 20, depth_m: 12", "y_m: 10, width_m: 20, depth_m: 10")
    assert problems(apart) == []


def test_zones_on_different_floors_may_overlap():
    gallery = "    - {id: gallery, floor: 1, x_m: 0, y_m: 0, width_m: 20, depth_m: 20}\n"
    upper = HALL.replace("    - {id: foyer, x_m: 20", gallery + "    - {id: foyer, x_m: 20")
    assert problems(upper) == []


PROTOCOL = """\
protocols:
  close_it:
    venue:
      openings:
        - {id: exit_i, state: closed}
"""


def test_a_mistyped_opening_in_a_protocol_is_an_unknown_opening():
    found = problems(HALL + PROTOCOL)
    assert found == ["16: protocols.close_it.venue.openings[0].id: unknown opening 'exit_i'; did you mean "
                     "'exit_1'? (to add a new opening, give all its required fields) "
                     "(with protocol 'close_it')"]


def test_a_protocol_may_still_add_a_complete_opening():
    added = PROTOCOL.replace("{id: exit_i, state: closed}",
                             "{id: exit_2, between: [foyer, outside], width_m: 1, at_m: [25, 0]}")
    scenario = parse_scenario(HALL + added)
    assert [o.id for o in scenario.with_protocol("close_it").venue.openings] == ["inner", "exit_1", "exit_2"]


def test_a_protocol_adding_an_exit_inside_the_venue_is_located_in_the_protocol():
    added = PROTOCOL.replace("{id: exit_i, state: closed}",
                             "{id: exit_2, between: [foyer, outside], width_m: 1, at_m: [25, 10]}")
    found = problems(HALL + added)
    assert len(found) == 1
    assert found[0].startswith("16: protocols.close_it.venue.openings[0].at_m: position [25.0, 10.0] is")


WHOLE_LIST = """\
protocols:
  half_house:
    population:
      occupants: [{zone: hall, count: 50}]
"""


def test_a_protocol_replacing_a_whole_list_is_a_warning():
    scenario = parse_scenario(HALL + WHOLE_LIST, "plan.yaml")
    assert [str(w) for w in scenario.warnings] == [
        "plan.yaml:15:18: protocols.half_house.population.occupants: warning: protocol 'half_house' "
        "replaces the whole list (items without an id cannot merge one by one): items it does not "
        "restate are dropped"]
    assert parse_scenario(HALL).warnings == []


@pytest.mark.parametrize(("extra", "status", "expected"), [
    (WHOLE_LIST, 0, "warning: protocol 'half_house' replaces the whole list"),
    (PROTOCOL, 2, "unknown opening 'exit_i'; did you mean 'exit_1'?"),
])
def test_validate_prints_warnings_and_errors(tmp_path, extra, status, expected):
    path = tmp_path / "plan.yaml"
    path.write_text(HALL + extra)
    result = CliRunner().invoke(cli.cli, ["validate", str(path)], prog_name="ttxsim")
    assert result.exit_code == status
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_a_posture_level_is_checked_like_a_protocol():
    levels = """\
posture_levels:
  - level: 1
    name: heightened
    overrides:
      population: {occupants: [{zone: hall, count: 50}]}
      venue: {openings: [{id: exit_i, state: open}]}
"""
    found = problems(HALL + levels)
    assert found == ["17: posture_levels[0].overrides.venue.openings[0].id: unknown opening 'exit_i'; "
                     "did you mean 'exit_1'? (to add a new opening, give all its required fields) "
                     "(at posture 1)"]
    fixed = parse_scenario(HALL + levels.replace("exit_i", "exit_1"), "plan.yaml")
    assert [str(w).split(": warning: ")[1][:40] for w in fixed.warnings] == [
        "posture level 1 replaces the whole list "]
