"""A threat whose harm saturates with the number exposed (Holling type II; sim/harm.py).

With N exposed in its zone each person's rate is λ / (1 + λN/C), so the zone's total rate
λN / (1 + λN/C) tends to the capacity C. Hand calculation: people locked in with the threat
are harmed as dN/dt = −λN / (1 + λN/C); without C, as dN/dt = −λN (N₀(1 − e^(−λt)) harmed).
"""

import math

import pytest

from ttxsim.sim import Simulation, parse_scenario


def locked_in(people: int, capacity: float | None, rate: float = 0.01) -> str:
    """`people` locked in a room with the threat for the whole run."""
    cap = "" if capacity is None else f"\n    harm_capacity_per_s: {capacity}"
    return f"""
meta: {{name: locked in with the threat, horizon_s: 120}}
venue:
  zones:
    - {{id: room, kind: hall, x_m: 0, y_m: 0, width_m: 40, depth_m: 40}}
  openings:
    - {{id: exit, between: [room, outside], width_m: 2.0, at_m: [0, 20], state: locked, signed_exit: false}}
population:
  occupants:
    - {{zone: room, count: {people}}}
  premovement_s: 0
incident:
  threat:
    route: [{{zone: room, dwell_s: 3600}}]
    harm_rate_per_s: {rate}{cap}
"""


def harmed_by(result, t: float) -> int:
    """People harmed by time t, from the run's harm curve."""
    return result.curve_harmed[int(t / result.curve_dt_s)]


def expected(people: int, rate: float, capacity: float, t: float, dt: float = 0.001) -> float:
    """Harmed by t: dN/dt = −λN / (1 + λN/C), integrated in small steps."""
    n = float(people)
    for _ in range(int(t / dt)):
        n -= rate * n / (1.0 + rate * n / capacity) * dt
    return people - n


@pytest.mark.parametrize("capacity", [2.0, 5.0])
def test_harm_saturates_at_the_capacity(capacity):
    # 2,000 exposed at λ = 0.01/s would be harmed at 20/s at first; capped near C.
    results = [Simulation(parse_scenario(locked_in(2000, capacity)), seed=s).run() for s in (1, 2, 3)]
    for t in (30.0, 60.0, 100.0):
        mean = sum(harmed_by(r, t) for r in results) / len(results)
        hand = expected(2000, 0.01, capacity, t)
        # a Poisson count: allow four standard errors of the mean of three runs, at least 5 %
        assert mean == pytest.approx(hand, abs=max(4 * math.sqrt(hand / 3), 0.05 * hand))
        assert mean <= capacity * t * 1.1


def test_without_a_capacity_harm_grows_with_the_number_exposed():
    results = [Simulation(parse_scenario(locked_in(2000, None)), seed=s).run() for s in (1, 2, 3)]
    hand = 2000 * (1 - math.exp(-0.01 * 60.0))
    mean = sum(harmed_by(r, 60.0) for r in results) / 3
    assert mean == pytest.approx(hand, rel=0.05)


def test_a_lone_person_is_harmed_at_the_rate_either_way():
    # N = 1: λ / (1 + λ/C) ≈ λ for C ≫ λ; the harm times of 200 single-person runs have the
    # exponential's mean 1/λ = 100 s within four standard errors (100/√200 = 7 s).
    times = []
    for seed in range(200):
        result = Simulation(parse_scenario(locked_in(1, 1000.0)), seed=seed).run()
        if result.harmed_total:
            times.append(next(i for i, h in enumerate(result.curve_harmed) if h) * result.curve_dt_s)
    # harm within the 120 s horizon: 1 − e^(−1.2) = 70 % of runs
    assert len(times) / 200 == pytest.approx(1 - math.exp(-1.2), abs=4 * math.sqrt(0.21 / 200))


def test_the_saturation_steps_end_once_the_threat_has_left():
    """Once it has left no zone holds the threat again: a step each second would do nothing."""
    text = locked_in(50, 2.0).replace("horizon_s: 120", "horizon_s: 600")
    text = text.replace("dwell_s: 3600", "dwell_s: 20")
    text += "    leaves: true\n"
    sim = Simulation(parse_scenario(text), seed=1)
    sim.run_until(15.0)
    assert sim.exposure.saturating is not None and sim.exposure.saturating.is_alive
    sim.run_until(25.0)  # it left the venue at 20 s: the next step ends the process
    assert not sim.exposure.saturating.is_alive
    assert sim.run().harmed_total > 0
