"""RiMEA test 10, allocation of escape routes: people leave by the exit their group is assigned.

The case is scenarios/verification/rimea_10_assigned_exits.yaml; its header gives the layout
and the hand check that the assignment is not everyone's nearest exit. The field it tests is
`assigned_exit` on an occupant group (docs/model.md, exit choice: assigned exits).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ttxsim.sim import ScenarioError, Simulation, load_scenario, parse_scenario
from ttxsim.sim.occupants import canonical_groups

CASE = Path(__file__).resolve().parents[2] / "scenarios" / "verification" / "rimea_10_assigned_exits.yaml"

ASSIGNED = {f"room_{n}": "main_exit" for n in (1, 2, 3, 4, 7, 8, 9, 10)} | {
    f"room_{n}": "secondary_exit" for n in (5, 6, 11, 12)}
"""RiMEA test 10's assignment: rooms 1–4 and 7–10 to the main exit, 5, 6, 11 and 12 to the secondary."""


def text() -> str:
    return CASE.read_text(encoding="utf-8")


def unassigned(exit_choice: str) -> str:
    """The case with every assignment struck out and the given route choice."""
    stripped, n = re.subn(r", assigned_exit: \w+", "", text())
    assert n == 12
    return stripped.replace("  premovement_s: 0", f"  exit_choice: {exit_choice}\n  premovement_s: 0", 1)


def run_noting_exits(sim: Simulation) -> tuple[dict[int, str], object]:
    """Run `sim` to the end, noting the exit each person leaves by."""
    left_by: dict[int, str] = {}
    for door in sim.doors:
        def note(person, door, from_zone, to_zone, on_pass=door._on_pass):
            if to_zone.is_safe:
                left_by[person] = door.id
            on_pass(person, door, from_zone, to_zone)
        door._on_pass = note
    return left_by, sim.run()


def exit_counts(result) -> dict[str, int]:
    return {k: result.openings[k].passed for k in ("main_exit", "secondary_exit")}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rimea_10_everyone_leaves_by_their_assigned_exit(seed):
    # RiMEA 3.0.0 test 10: all 23 out, each by the exit assigned to their room.
    sim = Simulation(load_scenario(CASE), seed=seed)
    left_by, result = run_noting_exits(sim)
    assert result.evacuated == 23
    room_of = [sim.zones[z].id for z in sim.occupants.zone]
    assert left_by == {p: ASSIGNED[room_of[p]] for p in range(23)}
    assert exit_counts(result) == {"main_exit": 15, "secondary_exit": 8}


def test_the_assignment_matches_the_guideline():
    groups = load_scenario(CASE).population.occupants
    assert {g.zone: g.assigned_exit for g in groups} == ASSIGNED
    assert sum(g.count for g in groups) == 23


@pytest.mark.parametrize("exit_choice", ["quickest", "nearest"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_without_the_assignment_the_exits_share_the_people_otherwise(seed, exit_choice):
    # The control: the same people choosing for themselves send more of them east, where the
    # secondary exit is nearer for rooms 4, 7, 8, 9 and 10. So the test above can fail.
    result = Simulation(parse_scenario(unassigned(exit_choice), "rimea 10 unassigned"), seed=seed).run()
    assert result.evacuated == 23
    assert exit_counts(result)["secondary_exit"] > 8
    if exit_choice == "nearest":  # the header's hand check: rooms 4 and 7-10 turn east
        assert exit_counts(result) == {"main_exit": 5, "secondary_exit": 18}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_an_assigned_exit_locked_mid_run_sends_its_people_to_the_other(seed):
    # Locked at 6 s, after a few have left by it: the rest of its people find it shut and
    # follow the crowd's route out by the secondary exit, none trapped.
    sim = Simulation(load_scenario(CASE), seed=seed)
    sim.run_until(6.0)
    gone_by_main = sim.door_by_id["main_exit"].passed
    assert 0 < gone_by_main < 15
    sim.apply({"action": "lock_openings", "ids": ["main_exit"]})
    result = sim.run()
    assert result.evacuated == 23
    assert exit_counts(result) == {"main_exit": gone_by_main, "secondary_exit": 23 - gone_by_main}


@pytest.mark.parametrize("signed", [True, False])
def test_an_assigned_exit_locked_from_the_start_sends_everybody_to_the_other(signed):
    # Signed: the first to reach it finds it shut and word spreads; unsigned: nobody heads for it.
    state = f", state: locked, signed_exit: {str(signed).lower()}"
    locked = text().replace("width_m: 1.2, at_m: [3.6, 11]}", f"width_m: 1.2, at_m: [3.6, 11]{state}}}")
    sim = Simulation(parse_scenario(locked, "rimea 10 main exit locked"), seed=1)
    result = sim.run()
    assert result.evacuated == 23
    assert exit_counts(result) == {"main_exit": 0, "secondary_exit": 23}
    assert any(e.kind == "opening_found_shut" for e in sim.events) == signed


def test_an_assigned_exit_overrides_the_entrance_and_ignores_familiarity():
    # Room 9's people came in by the secondary exit and all know it (share 1), yet the plan
    # sends them out by the main exit; with no plan, the familiar share goes back the way in.
    def room_9_exits(assignment: str) -> dict[str, int]:
        group = "{id: room_9, zone: room_9, count: 2"
        data = text().replace(f"{group}, assigned_exit: main_exit}}",
                              f"{group}, entrance: secondary_exit{assignment}}}")
        data = data.replace("  premovement_s: 0", "  familiarity_share: 1.0\n  premovement_s: 0", 1)
        sim = Simulation(parse_scenario(data, "rimea 10, room 9 familiar"), seed=1)
        left_by, _ = run_noting_exits(sim)
        room_9 = [p for p, z in enumerate(sim.occupants.zone) if sim.zones[z].id == "room_9"]
        return {door: sum(left_by[p] == door for p in room_9) for door in ("main_exit", "secondary_exit")}

    assert room_9_exits(", assigned_exit: main_exit") == {"main_exit": 2, "secondary_exit": 0}
    assert room_9_exits("") == {"main_exit": 0, "secondary_exit": 2}


def test_an_entrance_with_a_familiar_share_below_one_is_no_assignment():
    # Why `entrance` is not the way to write a plan's exit: only a drawn share heads for it.
    data = re.sub(r"assigned_exit: (\w+)", r"entrance: \1", text())
    data = data.replace("  premovement_s: 0", "  familiarity_share: 0.5\n  premovement_s: 0", 1)
    counts = [exit_counts(Simulation(parse_scenario(data, "entrances"), seed=s).run()) for s in (1, 2, 3)]
    assert any(c != {"main_exit": 15, "secondary_exit": 8} for c in counts)


def test_unnamed_groups_sent_to_different_exits_stay_apart(make_scenario):
    # Two groups in one room, one per exit: their keys (and so their draws) differ, and a group
    # with no assignment keeps the key it always had.
    scenario = make_scenario(venue={
        "zones": [{"id": "room", "x_m": 0, "y_m": 0, "width_m": 10, "depth_m": 10}],
        "openings": [{"id": "east", "between": ["room", "outside"], "width_m": 1.0, "at_m": [10, 5]},
                     {"id": "west", "between": ["room", "outside"], "width_m": 1.0, "at_m": [0, 5]}],
    }, population={"occupants": [{"zone": "room", "count": 3, "assigned_exit": "east"},
                                 {"zone": "room", "count": 4, "assigned_exit": "west"},
                                 {"zone": "room", "count": 5}],
                   "premovement_s": 0})
    keys = [(key, n) for key, _, n in canonical_groups(scenario.population)]
    assert keys == [("\0zone=room\0entrance=None\0at=None", 5),
                    ("\0zone=room\0entrance=None\0at=None\0exit=east", 3),
                    ("\0zone=room\0entrance=None\0at=None\0exit=west", 4)]
    result = Simulation(scenario, seed=1).run()
    assert result.openings["east"].passed >= 3 and result.openings["west"].passed >= 4


def where(content: str, needle: str) -> tuple[int, int]:
    index = content.index(needle)
    return content.count("\n", 0, index) + 1, index - (content.rfind("\n", 0, index) + 1) + 1


@pytest.mark.parametrize(("exit_id", "message"), [
    ("main_exti", "unknown opening 'main_exti'"),
    ("door_9", "opening 'door_9' does not lead outside: an assigned exit must"),
])
def test_an_assigned_exit_must_be_an_opening_to_the_outside(exit_id, message, write_yaml):
    content = text().replace("{id: room_9, zone: room_9, count: 2, assigned_exit: main_exit}",
                             f"{{id: room_9, zone: room_9, count: 2, assigned_exit: {exit_id}}}")
    path = write_yaml(content)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    [problem] = info.value.problems
    assert problem.path == "population.occupants[8].assigned_exit"
    assert problem.message == message
    assert (problem.file, (problem.line, problem.column)) == (str(path), where(content, exit_id + "}"))
