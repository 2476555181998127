"""Counterflow through a full stair, whole runs (issue 13 §1; DESIGN.md 3.2, sim/doors.py).

Two concourses, one above the other, joined by a stair filled to its jam density (3.8 /m²)
with people heading both ways; each concourse's people came in by the other's exit and head
back to it. At each stair door the person at the head of the queue waits to enter the full
stair while the people on the stair queue behind that door to leave it: without an exchange
nothing passes for the rest of the run.
"""

import pytest

from ttxsim.sim import Simulation, parse_scenario
from ttxsim.sim.trapped import TRAPPED_REASONS

STAIR_M2 = 2.0 * 5.0
STAIR_FULL = int(3.8 * STAIR_M2)
"""The stair at its jam density: 38 people on 10 m²."""

GRIDLOCK = f"""
meta: {{name: counterflow gridlock, horizon_s: 1800}}
venue:
  zones:
    - {{id: upper, kind: hall, floor: 1, x_m: 0, y_m: 0, width_m: 20, depth_m: 10}}
    - {{id: stair, kind: stair, floor: 0, x_m: 20, y_m: 0, width_m: 5, depth_m: 2}}
    - {{id: lower, kind: hall, floor: 0, x_m: 25, y_m: 0, width_m: 20, depth_m: 10}}
  openings:
    - {{id: stair_top, kind: stair, between: [upper, stair], width_m: 1.2}}
    - {{id: stair_bottom, kind: stair, between: [stair, lower], width_m: 1.2}}
    - {{id: upper_exit, between: [upper, outside], width_m: 2.0, at_m: [0, 5]}}
    - {{id: lower_exit, between: [lower, outside], width_m: 2.0, at_m: [45, 5]}}
population:
  occupants:
    - {{zone: upper, count: 120, entrance: lower_exit}}
    - {{zone: stair, count: {STAIR_FULL // 2}, entrance: upper_exit}}
    - {{zone: stair, count: {STAIR_FULL - STAIR_FULL // 2}, entrance: lower_exit}}
    - {{zone: lower, count: 120, entrance: upper_exit}}
  premovement_s: {{dist: uniform, low: 0, high: 5}}
  familiarity_share: 1.0
"""


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_full_stair_with_people_going_both_ways_empties(seed):
    sim = Simulation(parse_scenario(GRIDLOCK), seed=seed)
    assert sim.zone_by_id["stair"].full
    result = sim.run()
    # Everybody out well before the horizon: the stair doors exchanged people both ways.
    assert result.remaining == 0 and result.evacuated == 120 + STAIR_FULL + 120
    assert result.rset_s is not None and result.rset_s < 600.0
    assert result.trapped == dict.fromkeys(TRAPPED_REASONS, 0)
    assert result.openings["stair_top"].passed >= 120 + STAIR_FULL // 2
    assert result.openings["stair_bottom"].passed >= 120 + STAIR_FULL - STAIR_FULL // 2
    # The stair never held more than its jam density, swaps included.
    assert result.zones["stair"].peak_occupancy == STAIR_FULL
