"""Smoke volumes, shared roofs, stairs, growing flows and several fires (sim/smoke_spread.py).

Hand-worked against the module's rules (docs/model.md, fire, smoke and tenability): the NFPA
92 (2012) axisymmetric plume and Kawagoe's doorway flow as in tests/sim/parts/test_fire.py,
a volume filling from its highest ceiling down, and a vent passing smoke once the source's
layer is below its head (sill + 2 m).
"""

from __future__ import annotations

import math

import pytest

from ttxsim.sim.fire import doorway_flow_m3_s, hrr_kw, leakage_flow_m3_s, plume_volume_flow_m3_s
from ttxsim.sim.smoke_spread import Place, SmokeFire, SmokeSpread, Vent, smoke_schedule

FAST = 0.0469


def delivered_by(t_end, t_start, alpha, height, n=20_000):
    """Smoke a growing fire's plume delivers between two times after ignition (midpoint sum), m³."""
    step = (t_end - t_start) / n
    return sum(plume_volume_flow_m3_s(hrr_kw(alpha, t_start + (i + 0.5) * step, 1e6), height)
               for i in range(n)) * step


def test_leakage_flow_is_kawagoe_per_square_metre():
    # 0.018 m² (a shut 0.9 m door): 0.5 × 0.018 × √2 / 1.1 = 0.0115708 m³/s, 1/100 of the
    # open doorway's flow per m² of door (1.8 m² → 2.31417 m³/s).
    assert leakage_flow_m3_s(0.018) == pytest.approx(0.0115708, rel=1e-5)
    assert leakage_flow_m3_s(0.018) == pytest.approx(doorway_flow_m3_s(0.9) / 100.0)
    assert leakage_flow_m3_s(0.0) == 0.0


def test_a_closed_room_fills_through_its_leakage_by_hand():
    # Fire room A (200 m², 4 m) untenable at 59.928 s (NFPA 92), then shelter B (50 m², 3 m:
    # 50 m³ above 2 m) behind a shut door of 0.02 m²: 50 / (0.5 × 0.02 × √2 / 1.1) = 3,889.09 s.
    places = {"A": Place(200.0, 0.0, 4.0, "A"), "B": Place(50.0, 0.0, 3.0, "B")}
    spread = SmokeSpread(places, 2.0)
    s = spread.schedule(spread.start(0.0), [Vent("A", "B", 0.0, 0.02, 0.0, 0.0)],
                        [SmokeFire("A", 0.0, FAST, 5000.0)])
    assert s["B"].arrival_s == pytest.approx(59.9279, abs=1e-4)
    assert s["B"].untenable_s - s["B"].arrival_s == pytest.approx(3889.09, abs=0.01)


def test_a_shared_volume_fills_from_its_highest_ceiling_so_upper_tiers_fall_first():
    # Stalls 600 m² from 0 to 12 m, balcony 200 m² from 6 m to 12 m, one roof; the fire in the
    # stalls fills the volume at its plume (12 m high). Balcony untenable with the layer at
    # 6 + 2 = 8 m: (600 + 200) × 4 = 3,200 m³; stalls at 2 m: 600 × 10 + 200 × 6 = 7,200 m³.
    places = {"stalls": Place(600.0, 0.0, 12.0, "hall"), "balcony": Place(200.0, 6.0, 12.0, "hall")}
    spread = SmokeSpread(places, 2.0)
    s = spread.schedule(spread.start(0.0), [], [SmokeFire("stalls", 0.0, FAST, 1e6)])
    assert s["balcony"].untenable_s < s["stalls"].untenable_s
    assert delivered_by(s["balcony"].untenable_s, 0.0, FAST, 12.0) == pytest.approx(3200.0, rel=2e-3)
    assert delivered_by(s["stalls"].untenable_s, 0.0, FAST, 12.0) == pytest.approx(7200.0, rel=2e-3)
    # Smoke is in both from the start: the layer forms under the shared roof.
    assert s["balcony"].arrival_s == pytest.approx(0.0, abs=1.0)


def test_smoke_rises_up_a_stair_and_reaches_the_floor_above_first():
    # A hall on floor 0 (300 m², 4 m) burns; a stair (20 m², from 0 to 7 m) joins it to an
    # upper hall (300 m², floor at 3.5 m) through a door whose head is at 5.5 m. Smoke entering
    # the stair collects under its 7 m ceiling and spills upstairs after 20 × 1.5 = 30 m³,
    # long before the stair's foot is untenable (20 × 5 = 100 m³).
    places = {"hall": Place(300.0, 0.0, 4.0, "hall"), "stair": Place(20.0, 0.0, 7.0, "stair"),
              "upper": Place(300.0, 3.5, 7.5, "upper")}
    vents = [Vent("hall", "stair", 1.2, 0.0, 0.0, 0.0), Vent("stair", "upper", 1.2, 0.0, 3.5, 3.5)]
    spread = SmokeSpread(places, 2.0)
    s = spread.schedule(spread.start(0.0), vents, [SmokeFire("hall", 0.0, FAST, 1e6)])
    door = doorway_flow_m3_s(1.2)  # 1.54278 m³/s, below the plume by then
    assert s["upper"].arrival_s - s["stair"].arrival_s == pytest.approx(30.0 / door, rel=1e-3)
    assert s["upper"].arrival_s < s["stair"].untenable_s
    assert s["upper"].untenable_s < math.inf


@pytest.mark.parametrize("wide", [0.8, 3.0, None])
def test_a_faster_fire_never_fills_a_neighbour_later(wide):
    zones = {"A": (200.0, 4.0), "B": (100.0, 3.0), "C": (400.0, 5.0), "D": (50.0, 3.0)}
    links = {"A": ["B", "C"], "B": ["D"], "C": ["D"]}
    vents = None if wide is None else {frozenset(p): wide for p in ("AB", "AC", "BD", "CD")}
    previous = None
    for alpha in (0.00293, 0.01172, 0.0469, 0.1876, 0.5):
        s = smoke_schedule(fire_zone="A", ignition_s=0.0, alpha=alpha, max_hrr_kw=20_000.0, zones=zones,
                           links=links, tenability_height_m=2.0, vents=vents)
        times = {z: (t.arrival_s, t.untenable_s) for z, t in s.items()}
        if previous is not None:
            for z, (arrival, untenable) in times.items():
                assert arrival <= previous[z][0] + 1e-9 and untenable <= previous[z][1] + 1e-9, (alpha, z)
        previous = times


def test_a_second_fire_adds_its_smoke():
    # Two rooms joined by a corridor; a second fire in Y 120 s after the first in X makes Y
    # untenable by its own NFPA 92 time at the latest, and the corridor no later than before.
    places = {"X": Place(200.0, 0.0, 4.0, "X"), "Y": Place(200.0, 0.0, 4.0, "Y"),
              "hall": Place(400.0, 0.0, 3.0, "hall")}
    vents = [Vent("X", "hall", 1.0, 0.0, 0.0, 0.0), Vent("Y", "hall", 0.0, 0.02, 0.0, 0.0)]
    spread = SmokeSpread(places, 2.0)
    first = SmokeFire("X", 0.0, FAST, 5000.0)
    one = spread.schedule(spread.start(0.0), vents, [first])
    two = spread.schedule(spread.start(0.0), vents, [first, SmokeFire("Y", 120.0, FAST, 5000.0)])
    assert two["Y"].untenable_s == pytest.approx(120.0 + 59.9279, abs=1e-3)
    assert two["Y"].untenable_s < one["Y"].untenable_s
    assert two["hall"].untenable_s <= one["hall"].untenable_s
    # Advancing to a moment and scheduling from there gives the same times.
    state = spread.advance(spread.start(0.0), 150.0, vents, [first, SmokeFire("Y", 120.0, FAST, 5000.0)])
    again = spread.schedule(state, vents, [first, SmokeFire("Y", 120.0, FAST, 5000.0)])
    assert again["hall"].untenable_s == pytest.approx(two["hall"].untenable_s, rel=1e-3)
