"""Exit choice in whole runs: `population.exit_choice: nearest` beside the default `quickest`.

RiMEA test 9 assigns people to exits by distance, as hand calculations do; the nearest exit
must pass it too. Where a near exit is narrow and a far one wide, the two choices part ways:
hand-computed below.
"""

from pathlib import Path

import pytest

from ttxsim.sim import Simulation, parse_scenario

CASES = Path(__file__).resolve().parents[2] / "scenarios" / "verification"

NEAREST_PROTOCOLS = """
  nearest:
    population: {exit_choice: nearest}
  nearest_north_exits_closed:
    population: {exit_choice: nearest}
    venue:
      openings:
        - {id: north_west, state: locked, signed_exit: false}
        - {id: north_east, state: locked, signed_exit: false}
"""
"""RiMEA 9's file ends with its protocols: these two are appended to them."""


def rimea_9():
    text = (CASES / "rimea_09_four_exits.yaml").read_text(encoding="utf-8")
    assert text.rstrip().splitlines()[-1].startswith("        - {id: north_east")  # protocols come last
    return parse_scenario(text + NEAREST_PROTOCOLS, "rimea_09_four_exits.yaml + nearest")


def run(scenario, protocol=None, seed=1):
    sim = Simulation(scenario, protocol=protocol, seed=seed)
    return sim, sim.run()


def nearest_exit_counts(sim, openings):
    """How many people start nearer to each of `openings` than to the others (by straight line)."""
    doors = [sim.door_by_id[o] for o in openings]
    counts = dict.fromkeys(openings, 0)
    for x, y in zip(sim.occupants.x, sim.occupants.y, strict=True):
        nearest = min(doors, key=lambda d: (d.position[0] - x) ** 2 + (d.position[1] - y) ** 2)
        counts[nearest.id] += 1
    return counts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rimea_9_nearest_splits_by_distance_and_closing_half_the_exits_roughly_doubles_the_time(seed):
    # RiMEA 3.0.0 test 9: 1,000 people, four 1 m exits; two closed ⇒ 1.7× to 2.3× the time.
    scenario = rimea_9()
    sim4, four = run(scenario, "nearest", seed)
    sim2, two = run(scenario, "nearest_north_exits_closed", seed)
    assert four.evacuated == two.evacuated == 1000
    assert 1.7 <= two.rset_s / four.rset_s <= 2.3
    # Everybody leaves by the exit nearest to where they stood: one room, straight lines.
    corners = ["south_west", "south_east", "north_west", "north_east"]
    assert {k: four.openings[k].passed for k in corners} == nearest_exit_counts(sim4, corners)
    south = ["south_west", "south_east"]
    assert {k: two.openings[k].passed for k in south} == nearest_exit_counts(sim2, south)
    assert {k for k, o in two.openings.items() if o.passed} == set(south)
    # Each exit passes its share at 1.3 p/s: the slowest one sets the time (walk aside).
    busiest = max(four.openings[k].passed for k in corners)
    assert four.rset_s == pytest.approx(busiest / 1.3, rel=0.1)


NEAR_NARROW_FAR_WIDE = """
meta:
  name: a near narrow exit and a far wide one
venue:
  zones:
    - {id: room, kind: hall, x_m: 0, y_m: 0, width_m: 40, depth_m: 10}
  openings:
    - {id: near, between: [room, outside], width_m: 0.5, at_m: [0, 5]}
    - {id: far, between: [room, outside], width_m: 2.0, at_m: [40, 5]}
population:
  occupants:
    - {zone: room, count: 100, at_m: [5, 5]}
  free_speed_m_s: 1.0
  premovement_s: 0
protocols:
  nearest:
    population: {exit_choice: nearest}
  perfect_information:
    population: {route_inertia: {margin_s: 0, faster_by: 0}}
"""
"""100 people standing together 5 m from a 0.5 m exit (0.65 p/s) and 35 m from a 2 m one (2.6 p/s),
walking 1 m/s (0.25 persons/m² in the room: free speed)."""


def test_nearest_sends_everybody_to_the_near_narrow_exit_and_takes_longer():
    scenario = parse_scenario(NEAR_NARROW_FAR_WIDE, "near narrow, far wide")
    _, quickest = run(scenario, "perfect_information")
    _, nearest = run(scenario, "nearest")
    # Nearest: all 100 at the near exit. The first reaches it after 5 s, then one every
    # 1/0.65 s: 5 + 99/0.65 = 157.3 s.
    assert nearest.openings["near"].passed == 100 and nearest.openings["far"].passed == 0
    assert nearest.rset_s == pytest.approx(5.0 + 99 / 0.65, rel=0.01)
    # Quickest with perfect information (no route inertia): one by one, people go near
    # while what is left of its queue when they arrive, H/0.65 − 5 s with H already heading
    # there, is less than the 30 s longer walk to the far
    # exit: H = 0 … 22 (22/0.65 − 5 = 28.8 s; 23/0.65 − 5 = 30.4 s), so 23 people. Near then
    # costs 5 + 30.4 = 35.4 s, and the far exit less (35 s, its queue still empty on arrival
    # for fewer than 92): the other 77 go far. They all arrive at 35 s and pass at 2.6 p/s:
    # 35 + 76/2.6 = 64.2 s, after the near exit's 5 + 22/0.65 = 38.8 s.
    assert quickest.openings["near"].passed == 23 and quickest.openings["far"].passed == 77
    assert quickest.rset_s == pytest.approx(35.0 + 76 / 2.6, rel=0.01)
    assert nearest.rset_s / quickest.rset_s == pytest.approx(157.3 / 64.2, rel=0.02)  # 2.45×


def test_route_inertia_keeps_more_people_at_the_near_exit_than_perfect_information():
    # With the default inertia (30 s margin, each person's share f drawn from 0.1–0.7) a
    # person heads far only when far (35 s) is 30 s quicker than near with H heading there,
    # H/0.65 > 65, so H ≥ 43, and within their share, 35 ≤ (1 − f) H/0.65: H ≥ 25 to 76.
    # So 43 to 76 head near at the start; looking around later moves a few more far.
    scenario = parse_scenario(NEAR_NARROW_FAR_WIDE, "near narrow, far wide")
    for seed in (1, 2, 3):
        sim = Simulation(scenario, seed=seed)
        sim.run_until(0.5)
        assert 43 <= sim.door_by_id["near"].heading <= 76
        result = sim.run()
        assert 23 < result.openings["near"].passed <= 76
        assert 64.2 < result.rset_s < 157.3
