"""Paired comparison: intervals cover a known effect; common random numbers narrow them."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from ttxsim.analysis.compare import compare, render_table, table_cells, to_csv, to_json
from ttxsim.analysis.stats import mean_ci, paired

EFFECT = -30.0
"""The synthetic protocol's true effect on the outcome (e.g. seconds of RSET saved)."""


def _outcomes(rng: np.random.Generator, n: int, crn: bool) -> tuple[np.ndarray, np.ndarray]:
    """Baseline and protocol outcomes: a shared per-seed term (with CRN) plus a little own noise."""
    shared_a = rng.normal(600, 80, n)
    shared_b = shared_a if crn else rng.normal(600, 80, n)
    return shared_a + rng.normal(0, 10, n), shared_b + EFFECT + rng.normal(0, 10, n)


def test_mean_ci_ignores_none_and_needs_two_values():
    assert mean_ci([None])[3] == 0
    mean, low, high, n = mean_ci([4.0, None])
    assert (mean, low, high, n) == (4.0, None, None, 1)
    mean, low, high, n = mean_ci([1.0, 2.0, 3.0, None])
    assert n == 3 and mean == 2.0
    assert low == pytest.approx(2 - 4.302653 * 1 / math.sqrt(3), rel=1e-5) and high == pytest.approx(4 - low)


def test_paired_interval_covers_the_known_effect():
    rng = np.random.default_rng(1)
    covered = 0
    for _ in range(200):
        a, b = _outcomes(rng, 20, crn=True)
        _, low, high, n, _ = paired(list(a), list(b))
        covered += low <= EFFECT <= high
        assert n == 20
    assert 0.9 <= covered / 200 <= 0.99  # nominal 95 %


def test_common_random_numbers_narrow_the_interval():
    rng = np.random.default_rng(2)
    width = {}
    for crn in (True, False):
        a, b = _outcomes(rng, 30, crn=crn)
        _, low, high, _, _ = paired(list(a), list(b))
        width[crn] = high - low
    assert width[True] < width[False] / 3


def test_paired_share_better_follows_the_direction():
    a, b = [10, 10, 10, 10], [8, 9, 12, None]
    assert paired(a, b, lower_is_better=True)[4] == pytest.approx(2 / 3)
    assert paired(a, b, lower_is_better=False)[4] == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="length"):
        paired([1], [1, 2])


class _Store:
    """Two protocols over 10 replications; `fast` is exactly 30 s quicker and harms one fewer."""

    def __init__(self):
        rng = np.random.default_rng(3)
        base = rng.normal(600, 80, 10)
        self._runs = {
            name: [{"replication": i, "rset_s": float(t) + shift, "harmed_total": harmed}
                   for i, t in enumerate(base)]
            for name, shift, harmed in (("baseline", 0, 5), ("fast", -30, 4))
        }

    def experiment(self):
        return {"protocols": ["baseline", "fast"]}

    def runs(self, protocol=None):
        return self._runs[protocol]


def test_compare_rows_pair_on_replication():
    rows = compare(_Store(), metrics=["rset_s", "harmed_total", "t_alarm_s"])
    fast = {r["metric"]: r for r in rows if r["protocol"] == "fast"}
    assert fast["rset_s"]["diff"] == pytest.approx(-30)
    assert fast["rset_s"]["share_better"] == 1.0
    assert fast["harmed_total"]["diff"] == pytest.approx(-1)
    assert fast["t_alarm_s"]["n"] == 0 and fast["t_alarm_s"]["mean"] is None
    base = [r for r in rows if r["protocol"] == "baseline"]
    assert all(r["diff"] is None for r in base)
    assert json.loads(to_json(rows, "baseline"))["rows"][0]["protocol"] == "baseline"
    assert to_csv(rows).splitlines()[0].startswith("protocol,metric,mean,low,high,n,diff")
    _, body = table_cells(rows)
    assert body[0][4] == "(baseline)" and body[1][4].startswith("-1.0")  # harmed_total first
    assert body[3][1] == "fast" and body[3][4].startswith("-30.0")
    assert render_table(rows).row_count == 6  # harmed_total, rset_s and t_alarm_s, two protocols each


def test_compare_rejects_an_unknown_baseline():
    with pytest.raises(KeyError, match="nope"):
        compare(_Store(), baseline="nope")
