"""Properties that must hold for any venue: conservation, determinism, monotonicity.

Hypothesis generates small venues (rooms in a row, doors between neighbours, exits at one or
both ends) with random sizes, widths, crowds and seeds.
"""

import json

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ttxsim.sim import Simulation, parse_scenario

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def venues(draw):
    n = draw(st.integers(1, 4))
    widths = draw(st.lists(st.floats(3, 15), min_size=n, max_size=n))
    depth = draw(st.floats(4, 15))
    zones, openings, x = [], [], 0.0
    for i, w in enumerate(widths):
        zones.append({"id": f"r{i}", "x_m": x, "y_m": 0, "width_m": w, "depth_m": depth})
        if i:
            openings.append({"id": f"d{i}", "between": [f"r{i - 1}", f"r{i}"],
                             "width_m": draw(st.floats(0.8, 3.0))})
        x += w
    openings.append({"id": "east", "between": [f"r{n - 1}", "outside"],
                     "width_m": draw(st.floats(0.8, 3.0)), "at_m": [x, depth / 2]})
    if draw(st.booleans()):
        openings.append({"id": "west", "between": ["r0", "outside"],
                         "width_m": draw(st.floats(0.8, 3.0)), "at_m": [0, depth / 2]})
    # At most 3 people per m², below the 3.8 /m² jam density the loader enforces.
    counts = [draw(st.integers(0, min(60, int(3 * w * depth)))) for w in widths]
    if not any(counts):
        counts[0] = 1
    return {
        "meta": {"name": "generated"},
        "venue": {"zones": zones, "openings": openings},
        "population": {
            "occupants": [{"zone": f"r{i}", "count": c} for i, c in enumerate(counts)],
            "premovement_s": {"dist": "lognormal", "median": draw(st.floats(1, 60)), "sigma": 0.6},
        },
    }


def build(data):
    return parse_scenario(yaml.safe_dump(data))


@SETTINGS
@given(venues(), st.integers(0, 2**32 - 1), st.lists(st.floats(0, 300), min_size=1, max_size=8))
def test_people_are_conserved_at_every_step(data, seed, times):
    sim = Simulation(build(data), seed=seed)
    total = sim.census.total
    for t in sorted(times):
        sim.run_until(t)
        state = sim.state()
        assert state.inside + state.safe == total
        assert sum(state.zones.values()) == state.inside
        assert all(n >= 0 for n in state.zones.values())
    result = sim.run()
    assert result.evacuated + result.remaining == total
    assert result.remaining == 0
    assert sum(o.passed for k, o in result.openings.items() if k in ("east", "west")) == total


@SETTINGS
@given(venues(), st.integers(0, 2**32 - 1))
def test_same_seed_gives_identical_results(data, seed):
    scenario = build(data)
    first = json.dumps(Simulation(scenario, seed=seed).run().to_dict())
    again = json.dumps(Simulation(scenario, seed=seed).run().to_dict())
    assert first == again


@SETTINGS
@given(venues(), st.integers(0, 2**31))
def test_another_seed_gives_another_result(data, seed):
    data["population"]["occupants"][0]["count"] += 5
    scenario = build(data)
    a = Simulation(scenario, seed=seed).run()
    b = Simulation(scenario, seed=seed + 1).run()
    assert (a.rset_s, a.t50_s) != (b.rset_s, b.t50_s)


@SETTINGS
@given(venues(), st.integers(0, 2**32 - 1), st.floats(1.2, 3.0))
def test_a_wider_exit_never_makes_rset_worse_beyond_noise(data, seed, factor):
    narrow = Simulation(build(data), seed=seed).run()
    for opening in data["venue"]["openings"]:
        if opening["id"] in ("east", "west"):  # no wider than the wall it is in (the zones' depth)
            opening["width_m"] = min(opening["width_m"] * factor, data["venue"]["zones"][0]["depth_m"])
    wide = Simulation(build(data), seed=seed).run()
    # Same seed, same people: only route choices may differ, so allow 2 % + 1 s.
    assert wide.rset_s <= narrow.rset_s * 1.02 + 1.0


@SETTINGS
@given(venues(), st.integers(0, 2**32 - 1), st.integers(1, 80))
def test_more_people_never_empty_a_venue_faster(data, seed, extra):
    # Extra people join the last group, so the first ones keep their draws. A single run can
    # come out faster by luck of route choice (one slow walker takes the other way when the
    # crowd changes), so the property is asserted on the mean over five common seeds.
    fewer = mean_rset(data, seed)
    last = data["population"]["occupants"][-1]
    zone = data["venue"]["zones"][-1]
    room = int(3 * zone["width_m"] * zone["depth_m"]) - last["count"]
    assume(room > 0)
    last["count"] += min(extra, room)
    assert mean_rset(data, seed) >= fewer * 0.98 - 0.5


def mean_rset(data, seed, runs=5):
    scenario = build(data)
    return sum(Simulation(scenario, seed=seed + i).run().rset_s for i in range(runs)) / runs


# --- multi-floor venues: stairs, counterflow, mid-run decisions --------------------------------

JAM_DENSITY_P_M2 = 3.8


@st.composite
def floors(draw):
    """Floors stacked as concourses joined by stair zones, with side rooms, exits and a crowd
    that heads both ways: familiar people head back to an exit that may be on another floor,
    and stairs may start at their jam density.

    Concourse f is a rectangle at y = f·(depth + stair length); the stair above it shares its
    top edge, and the next concourse the stair's top edge, so every opening sits on a shared
    edge. A lockable side room beside each concourse gives shelter orders somewhere to act.
    A stair core spanning every floor may stand beside the concourses too.
    """
    n = draw(st.integers(2, 4))
    width = draw(st.floats(8, 25))
    depth = draw(st.floats(5, 12))
    stair_w = draw(st.floats(1.2, 3.0))
    stair_len = draw(st.floats(3, 8))
    room_w = draw(st.floats(3, 8))
    zones, openings, groups = [], [], []
    pitch = depth + stair_len

    def crowd(zone, area, most):
        count = draw(st.integers(0, min(most, int(JAM_DENSITY_P_M2 * area))))
        if count:
            half = draw(st.integers(0, count))
            groups.extend({"zone": zone, "count": c, "entrance": None} for c in (half, count - half) if c)

    for f in range(n):
        y = f * pitch
        zones.append({"id": f"c{f}", "kind": "hall", "floor": f, "x_m": 0, "y_m": y, "width_m": width,
                      "depth_m": depth})
        zones.append({"id": f"r{f}", "floor": f, "x_m": width, "y_m": y, "width_m": room_w, "depth_m": depth,
                      "lockable": True})
        openings.append({"id": f"rd{f}", "between": [f"c{f}", f"r{f}"], "width_m": draw(st.floats(0.8, 2.0))})
        crowd(f"c{f}", width * depth, 60)
        crowd(f"r{f}", room_w * depth, 20)
        if f + 1 < n:
            zones.append({"id": f"s{f}", "kind": "stair", "floor": f, "x_m": 0, "y_m": y + depth,
                          "width_m": stair_w, "depth_m": stair_len})
            w = draw(st.floats(0.8, stair_w))
            openings.append({"id": f"sb{f}", "kind": "stair", "between": [f"c{f}", f"s{f}"], "width_m": w})
            openings.append({"id": f"st{f}", "kind": "stair", "between": [f"s{f}", f"c{f + 1}"],
                             "width_m": w})
            crowd(f"s{f}", stair_w * stair_len, 60)
    exits = ["x0"]
    # Exits in outside walls (the core, if any, stands along the concourses' west walls): the
    # ground floor's in its south wall, an upper floor's in its north wall beside the stair.
    openings.append({"id": "x0", "between": ["c0", "outside"], "width_m": draw(st.floats(0.8, 3.0)),
                     "at_m": [width / 2, 0]})
    for f in range(1, n):
        if draw(st.booleans()):  # a bridge or a ramp out of an upper floor
            exits.append(f"x{f}")
            openings.append({"id": f"x{f}", "between": [f"c{f}", "outside"],
                             "width_m": draw(st.floats(0.8, 3.0)),
                             "at_m": [(stair_w + width) / 2, f * pitch + depth]})
    if draw(st.booleans()):  # a stair core beside the concourses, serving every floor (top_floor)
        zones.append({"id": "core", "kind": "stair", "floor": 0, "top_floor": n - 1, "x_m": -3, "y_m": 0,
                      "width_m": 3, "depth_m": n * pitch})
        openings += [{"id": f"k{f}", "kind": "stair", "between": [f"c{f}", "core"],
                      "width_m": draw(st.floats(0.8, 2.0)), "at_m": [0, f * pitch + 1]} for f in range(n)]
        crowd("core", 3 * pitch, 30)
    for group in groups:
        group["entrance"] = draw(st.sampled_from(exits))
    if not groups:
        groups.append({"zone": "c0", "count": 1, "entrance": "x0"})
    return {
        "meta": {"name": "generated floors", "horizon_s": 3600},
        "venue": {"zones": zones, "openings": openings},
        "population": {
            "occupants": groups,
            "premovement_s": {"dist": "lognormal", "median": draw(st.floats(1, 60)), "sigma": 0.6},
            "familiarity_share": draw(st.sampled_from([0.0, 0.5, 1.0])),
        },
    }, exits, n


@st.composite
def decisions(draw, exits, n):
    """A few decisions at random times: shut or reopen exits, shelter side rooms, order people out."""
    rooms = [f"r{f}" for f in range(n)]
    some_exits = st.lists(st.sampled_from(exits), min_size=1, unique=True)
    action = st.one_of(
        st.builds(lambda ids: {"action": "lock_openings", "ids": ids}, some_exits),
        st.builds(lambda ids: {"action": "open_openings", "ids": ids}, some_exits),
        st.builds(lambda zones: {"action": "order_shelter", "zones": zones},
                  st.lists(st.sampled_from(rooms), min_size=1, unique=True)),
        st.just({"action": "order_evacuation"}),
    )
    return sorted(draw(st.lists(st.tuples(st.floats(0, 400), action), max_size=4)), key=lambda d: d[0])


@st.composite
def floors_with_decisions(draw):
    data, exits, n = draw(floors())
    return data, draw(decisions(exits, n))


@SETTINGS
@given(floors_with_decisions(), st.integers(0, 2**32 - 1))
def test_nobody_is_left_inside_without_a_reason(case, seed):
    data, plan = case
    sim = Simulation(build(data), seed=seed)
    for t, action in plan:
        sim.run_until(t)
        if sim.finished:
            break
        sim.apply(action)
    result = sim.run()
    trapped = result.trapped
    assert sum(trapped.values()) == result.remaining + result.sheltered
    assert trapped["sheltering"] == result.sheltered
    assert trapped["no_reason"] == 0, trapped
