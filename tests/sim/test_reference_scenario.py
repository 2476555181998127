"""The reference scenario (scenarios/concert_hall.yaml): every protocol runs, and the
protocols move the outcomes in the expected directions.

Directions only, never numbers: the scenario's parameters may be re-calibrated, but all
measures together must lower harm, and unlocking the exits must not slow the evacuation.
Protocols are compared on common seeds (docs/model.md, random streams), so the comparisons are paired.

Cost: about 120 runs of ~0.3 s, spread over the machine's cores (at most 4 processes);
each run is deterministic, so where it runs does not change the result.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from statistics import fmean

import pytest

from ttxsim.analysis.executor import JobPool
from ttxsim.sim import Simulation, load_scenario

CONCERT_HALL = Path(__file__).resolve().parents[2] / "scenarios" / "concert_hall.yaml"
PROTOCOLS = ["baseline", "exits_unlocked", "trained_staff", "rapid_response", "all_measures"]
HARM_SEEDS = range(1, 51)
"""Seeds for the harm comparison (baseline vs all_measures)."""
RSET_SEEDS = range(1, 21)
"""Seeds for the RSET comparison (a subset of HARM_SEEDS, so baseline runs are shared)."""


@cache
def _scenario():
    return load_scenario(CONCERT_HALL)


def _summary(protocol: str, seed: int) -> dict:
    """The few numbers the tests compare, from one run (small enough to cross processes)."""
    result = Simulation(_scenario(), protocol=protocol, seed=seed).run()
    return {
        "occupants": result.occupants,
        "evacuated": result.evacuated,
        "remaining": result.remaining,
        "sheltered": result.sheltered,
        "harmed": dict(result.harmed),
        "harmed_total": result.harmed_total,
        "rset_s": result.rset_s,
        "times": dict(result.times),
    }


@pytest.fixture(scope="module")
def runs() -> dict[tuple[str, int], dict]:
    """Every run the tests need, once: (protocol, seed) -> summary."""
    jobs = {(p, 1) for p in PROTOCOLS}
    jobs |= {(p, s) for p in ("baseline", "all_measures") for s in HARM_SEEDS}
    jobs |= {("exits_unlocked", s) for s in RSET_SEEDS}
    jobs = sorted(jobs)
    with JobPool(min(4, os.cpu_count() or 1)) as pool:
        results = dict(pool.run((_summary, job) for job in jobs))
    return {job: results[i] for i, job in enumerate(jobs)}


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_every_protocol_runs_and_conserves_people(runs, protocol):
    r = runs[(protocol, 1)]
    assert r["evacuated"] + r["remaining"] + r["sheltered"] + r["harmed_total"] == r["occupants"]
    assert r["occupants"] == sum(g.count for g in _scenario().population.occupants)
    assert set(r["harmed"]) == {"threat", "smoke"}


def test_baseline_has_the_key_times(runs):
    times = runs[("baseline", 1)]["times"]
    for key in ("detection", "alarm", "police_arrival", "fire_start"):
        assert times[key] is not None, key
    assert times["detection"] <= times["alarm"]
    assert times["detection"] <= times["police_arrival"]


def test_all_measures_lower_mean_harm(runs):
    baseline = fmean(runs[("baseline", s)]["harmed_total"] for s in HARM_SEEDS)
    measures = fmean(runs[("all_measures", s)]["harmed_total"] for s in HARM_SEEDS)
    assert measures < baseline


def test_unlocked_exits_do_not_slow_the_evacuation(runs):
    def mean_rset(protocol):
        values = [runs[(protocol, s)]["rset_s"] for s in RSET_SEEDS]
        assert None not in values, f"{protocol}: somebody never got out"
        return fmean(values)

    assert mean_rset("exits_unlocked") <= mean_rset("baseline")
