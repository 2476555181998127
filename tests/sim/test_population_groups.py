"""Occupant groups with their own speed and pre-movement, and `population.scale` (issue 13)."""

from __future__ import annotations

import numpy as np
import pytest

from ttxsim.sim import Simulation
from ttxsim.sim.scenario import ScenarioError, parse_scenario
from ttxsim.sim.scenario.population import scaled_count
from ttxsim.sim.streams import Streams

TWO_ROOMS = {
    "venue": {
        "zones": [{"id": "room", "kind": "room", "x_m": 0, "y_m": 0, "width_m": 10, "depth_m": 10},
                  {"id": "hall", "kind": "room", "x_m": 10, "y_m": 0, "width_m": 10, "depth_m": 10}],
        "openings": [{"id": "door", "between": ["room", "outside"], "width_m": 1.0, "at_m": [0, 5]},
                     {"id": "hall_door", "between": ["hall", "outside"], "width_m": 1.0, "at_m": [20, 5]}],
    },
}
SLOW = {"dist": "uniform", "low": 0.5, "high": 0.7}
LATE = {"dist": "constant", "value": 300}


def people(make_scenario, occupants, seed=1, **population):
    scenario = make_scenario(**TWO_ROOMS, population={"occupants": occupants, **population})
    return Simulation(scenario, seed=seed).occupants


# -- schema -----------------------------------------------------------------------------------


def test_a_group_with_its_own_distribution_needs_an_id(make_scenario):
    with pytest.raises(ScenarioError, match="needs an id"):
        make_scenario(population={"occupants": [{"zone": "room", "count": 5, "free_speed_m_s": SLOW}]})


def test_a_group_speed_is_bounded_like_the_population_speed(make_scenario):
    with pytest.raises(ScenarioError, match="between 0 and 10 m/s"):
        make_scenario(population={"occupants": [{"id": "fast", "zone": "room", "count": 5,
                                                 "free_speed_m_s": 12}]})


def test_group_ids_are_unique(make_scenario):
    group = {"id": "party", "zone": "room", "count": 5}
    with pytest.raises(ScenarioError, match="duplicate occupant group id 'party'"):
        make_scenario(population={"occupants": [group, group]})


@pytest.mark.parametrize("scale", [0, -1, 11])
def test_the_scale_is_positive_and_bounded(make_scenario, scale):
    with pytest.raises(ScenarioError):
        make_scenario(population={"scale": scale})


# -- draws ------------------------------------------------------------------------------------


def test_each_group_draws_from_its_own_streams_in_the_order_of_its_key(make_scenario):
    # People are numbered group by group in the order of the groups' keys (hall before room),
    # each group's speeds and pre-movements drawn from streams keyed by the group, not by its
    # place in the file.
    got = people(make_scenario, [{"zone": "room", "count": 30}, {"zone": "hall", "count": 20}], seed=4)
    streams = Streams(4)
    speed, premove = [], []
    for zone, n in (("hall", 20), ("room", 30)):
        key = f"\0zone={zone}\0entrance=None\0at=None"
        speed += np.maximum(np.clip(streams.group("free_speed", key).normal(1.34, 0.26, n), 0.56, 2.12),
                            0.05).tolist()
        premove += np.maximum(streams.group("premovement", key).lognormal(np.log(30), 0.5, n), 0.0).tolist()
    assert got.zone == [0] * 20 + [1] * 30
    assert got.free_speed == speed
    assert got.premovement == premove


def test_resizing_a_group_leaves_the_others_and_its_own_first_people_unchanged(make_scenario):
    before = people(make_scenario, [{"zone": "room", "count": 30}, {"zone": "hall", "count": 20}])
    after = people(make_scenario, [{"zone": "room", "count": 40}, {"zone": "hall", "count": 20}])
    assert after.free_speed[:20] == before.free_speed[:20]  # the hall's people
    assert after.free_speed[20:50] == before.free_speed[20:]  # the room's first 30
    assert after.x[:50] == before.x and after.premovement[:50] == before.premovement


def test_unnamed_groups_in_the_same_place_are_one_group(make_scenario):
    two = people(make_scenario, [{"zone": "room", "count": 10}, {"zone": "room", "count": 20}])
    one = people(make_scenario, [{"zone": "room", "count": 30}])
    assert two == one


def test_a_group_with_its_own_speeds_leaves_everybody_else_unchanged(make_scenario):
    plain = [{"zone": "room", "count": 30}, {"id": "elderly", "zone": "hall", "count": 20}]
    before = people(make_scenario, plain)
    own = [plain[0], plain[1] | {"free_speed_m_s": SLOW, "premovement_s": LATE}]
    after = people(make_scenario, own)
    assert after.free_speed[:30] == before.free_speed[:30]
    assert after.premovement[:30] == before.premovement[:30]
    assert all(0.5 <= v <= 0.7 for v in after.free_speed[30:])
    assert after.premovement[30:] == [300.0] * 20
    assert (after.x, after.y) == (before.x, before.y)


def test_a_group_draws_the_same_whatever_other_groups_the_file_lists(make_scenario):
    elderly = {"id": "elderly", "zone": "hall", "count": 20, "free_speed_m_s": SLOW}
    alone = people(make_scenario, [elderly])
    after_others = people(make_scenario, [{"zone": "room", "count": 30}, elderly])
    assert after_others.free_speed[30:] == alone.free_speed
    other_seed = people(make_scenario, [elderly], seed=2)
    assert other_seed.free_speed != alone.free_speed


def test_a_protocol_can_give_a_group_its_own_speeds(make_scenario):
    # Groups with ids merge by id: a protocol changes one group and keeps the others.
    scenario = make_scenario(**TWO_ROOMS, population={"occupants": [
        {"id": "adults", "zone": "room", "count": 30}, {"id": "elderly", "zone": "hall", "count": 20}]},
        protocols={"slow": {"population": {"occupants": [{"id": "elderly", "free_speed_m_s": SLOW}]}}})
    variant = scenario.with_protocol("slow")
    assert [g.count for g in variant.population.occupants] == [30, 20]
    assert variant.population.occupants[1].free_speed_m_s.dist == "uniform"


def test_a_group_distribution_can_be_modified_by_shift():
    scenario = parse_scenario("""
meta: {name: Two groups}
venue:
  zones: [{id: room, x_m: 0, y_m: 0, width_m: 10, depth_m: 10}]
  openings: [{id: door, between: [room, outside], width_m: 1.0, at_m: [10, 5]}]
population:
  occupants:
    - {id: adults, zone: room, count: 10}
    - {id: elderly, zone: room, count: 10, premovement_s: 120}
  premovement_s: 30
protocols:
  sooner:
    population: {occupants: [{id: elderly, premovement_s: {shift: -60}}]}
""")
    pre = Simulation(scenario.with_protocol("sooner"), seed=1).occupants.premovement
    assert pre == [30.0] * 10 + [60.0] * 10


# -- scale ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "scale", "scaled"), [
    (10, 1.5, 15), (3, 1.5, 5), (5, 1.5, 8), (7, 0.5, 4), (1, 0.4, 0), (100, 1.0, 100), (0, 2.0, 0)])
def test_each_group_count_is_rounded_to_the_nearest_person_halves_up(count, scale, scaled):
    assert scaled_count(count, scale) == scaled


def test_fifty_percent_more_people(make_scenario):
    scenario = make_scenario(**TWO_ROOMS, population={"occupants": [
        {"zone": "room", "count": 30}, {"zone": "hall", "count": 21}]},
        protocols={"more": {"population": {"scale": 1.5}}})
    more = scenario.with_protocol("more")
    assert more.population.counts == [45, 32]  # 31.5 rounds up
    sim = Simulation(more, seed=1)
    assert sim.occupants.zone == [0] * 32 + [1] * 45  # hall (index 0, by id) first
    assert sim.run().evacuated == 77


def test_density_is_checked_after_scaling(make_scenario):
    # 100 m² at the default jam density: 300 people fit, 1.5 × 300 do not.
    fits = make_scenario(population={"occupants": [{"zone": "room", "count": 300}]})
    assert fits.population.counts == [300]
    with pytest.raises(ScenarioError, match=r"450 people \(scaled ×1.5\) in 100 m²"):
        make_scenario(population={"occupants": [{"zone": "room", "count": 300}], "scale": 1.5})


def test_a_protocol_scale_that_overfills_a_zone_is_reported(write_yaml):
    from ttxsim.sim import load_scenario

    text = """\
meta: {name: Small room}
venue:
  zones: [{id: room, x_m: 0, y_m: 0, width_m: 10, depth_m: 10}]
  openings: [{id: door, between: [room, outside], width_m: 1.0, at_m: [10, 5]}]
population:
  occupants: [{zone: room, count: 300}]
  premovement_s: 0
protocols:
  crowded:
    population: {scale: 2}
"""
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_yaml(text))
    (problem,) = info.value.problems
    assert "600 people (scaled ×2)" in problem.message and "crowded" in problem.message


# -- mobility on stairs -------------------------------------------------------------------------

STAIR_VENUE = """
meta: {name: one stair down}
venue:
  zones:
    - {id: landing, kind: room, floor: 1, x_m: 0, y_m: 0, width_m: 4, depth_m: 4}
    - {id: stair, kind: stair, floor: 0, x_m: 4, y_m: 0, width_m: 20, depth_m: 2}
  openings:
    - {id: top, kind: stair, between: [landing, stair], width_m: 2.0, at_m: [4, 1]}
    - {id: foot, between: [stair, outside], width_m: 2.0, at_m: [24, 1]}
population:
  occupants:
    - {id: walker, zone: landing, count: 1, at_m: [4, 1], free_speed_m_s: 1.4}
    - {id: impaired, zone: landing, count: 1, at_m: [4, 1], free_speed_m_s: 1.4, stair_speed_factor: 0.5}
  premovement_s: 0
"""


def test_a_group_with_impaired_mobility_is_slower_on_stairs_only():
    # Boyce et al. 1999: about half the speed on stairs. Both start at the stair's head, so
    # each one's time is the walk down the flight at their own stair speed (1.4 k / 1.4 for
    # the walker, half that for the other): twice as long, within the stair head's headway.
    sim = Simulation(parse_scenario(STAIR_VENUE), seed=1)
    assert sorted(sim.occupants.stair_factor) == [0.5, 1.0]
    sim.run()
    walker, impaired = sim.census.safe_times
    assert impaired / walker == pytest.approx(2.0, rel=0.05)
    # Made level (a corridor), the same two take the same time.
    level = Simulation(parse_scenario(STAIR_VENUE.replace("kind: stair, floor: 0", "kind: corridor, floor: 1")
                                      .replace("kind: stair, between", "between")), seed=1)
    level.run()
    first, second = level.census.safe_times
    assert second - first < 1.0
