"""Paired comparison: intervals cover a known effect; common random numbers narrow them."""

from __future__ import annotations

import io
import json
import math
import re

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
    never = fast["t_alarm_s"]  # no run has an alarm: 10 runs, none reached, no median, no mean
    assert (never["n"], never["reached"], never["median"], never["mean"]) == (10, 0, None, None)
    base = [r for r in rows if r["protocol"] == "baseline"]
    assert all(r["diff"] is None for r in base)
    assert json.loads(to_json(rows, "baseline"))["rows"][0]["protocol"] == "baseline"
    assert to_csv(rows).splitlines()[0].startswith("protocol,metric,kind,mean,low,high,median,")
    _, body = table_cells(rows)
    assert body[0][3] == "(baseline)" and body[1][3].startswith("-1.0")  # harmed_total first
    assert body[3][1] == "fast" and body[3][3].startswith("-0.5")  # rset_s in minutes: 30 s
    assert body[5][2] == "not reached in 10 of 10; (reached in 0%)"
    assert render_table(rows).row_count == 9  # 3 metrics: a heading row and two protocols each


def test_compare_rejects_an_unknown_baseline():
    with pytest.raises(KeyError, match="nope"):
        compare(_Store(), baseline="nope")


class _CensoredStore:
    """Five replications in which t95 is sometimes never reached (more than 5 % harmed)."""

    def __init__(self):
        self.t95 = {"baseline": [600.0, None, 660.0, None, 900.0],
                    "drill": [540.0, 560.0, None, 580.0, 900.0]}
        self.harmed = {"baseline": [0, 1, 0, 1, 0], "drill": [0, 0, 0, 1, 0]}

    def experiment(self):
        return {"protocols": ["baseline", "drill"]}

    def runs(self, protocol=None):
        return [{"replication": i, "t95_s": t, "harmed_total": h}
                for i, (t, h) in enumerate(zip(self.t95[protocol], self.harmed[protocol], strict=True))]


def test_a_time_some_runs_never_reach_is_not_averaged():
    rows = {(r["protocol"], r["metric"]): r
            for r in compare(_CensoredStore(), metrics=["t95_s", "harmed_total"])}
    base, drill = rows["baseline", "t95_s"], rows["drill", "t95_s"]
    assert base["mean"] is None and base["low"] is None  # no mean of the 3 runs that got there (720 s)
    assert (base["median"], base["reached"], base["n"]) == (900.0, 3, 5)  # Kaplan–Meier, by hand
    assert drill["median"] == 580.0 and drill["diff"] == -320.0
    assert drill["diff_share_reached"] == pytest.approx(0.2)
    # replication by replication: 540<600 better, 560 vs never better, never vs 660 worse,
    # 580 vs never better, 900 = 900 tied
    assert (drill["share_better"], drill["share_tied"], drill["share_worse"]) == (0.6, 0.2, 0.2)
    _, body = table_cells(list(rows.values()), ["t95_s"])
    assert body[0][0] == "time 95 % of the occupants were safe (min), median"
    assert body[0][2].startswith("15.0 ") and body[0][2].endswith("; not reached in 2 of 5")
    assert body[1][3] == "-5.3; reached +20 pts" and body[1][4] == "60/20/20"  # 5 runs: no finite interval
    assert "720" not in to_csv(list(rows.values()))
    harmed = rows["baseline", "harmed_total"]
    assert harmed["mean"] == pytest.approx(0.4) and harmed["low"] >= 0  # t would give a negative bound


class _WideStore:
    """Nine protocols with long names and four-digit outcomes: the widest table a batch gives."""

    def __init__(self):
        self.names = ["baseline", *(f"warning_shared_with_venue_{i}" for i in range(8))]

    def experiment(self):
        return {"protocols": self.names}

    def runs(self, protocol=None):
        k = self.names.index(protocol)
        rng = np.random.default_rng(k)
        return [{"replication": i, "exposed": float(rng.integers(1000, 9000)),
                 "rset_s": None if i % 7 == k % 7 else float(rng.integers(600, 4000)),
                 "t95_s": None if i % 3 else 3000.0 + k, "harmed_total": float(rng.integers(0, 2))}
                for i in range(20)]


def test_the_terminal_table_fits_100_columns_without_breaking_a_number():
    from rich.console import Console

    rows = compare(_WideStore(), metrics=["exposed", "rset_s", "t95_s", "harmed_total"])
    console = Console(width=100, record=True, file=io.StringIO())
    title = "store.sqlite: 180 runs, 9 protocols, each compared with baseline"
    console.print(render_table(rows, None, title=title))
    text = console.export_text()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 100
    header = "\n".join(lines[:6])
    assert "baseline" not in header.split("\n", 1)[1]  # only the title names it, not a column
    intervals = re.findall(r"[-+]?[\d,]+\.?\d* \[[-+]?[\d,.]+, [-+]?[\d,.]+\]", text)
    assert len(intervals) >= 9 * 2  # every count's mean and interval on one line
    assert "not reached in" in text
