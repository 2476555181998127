"""Statistics that do not mislead: censored times, count intervals within the data, ties apart."""

from __future__ import annotations

import numpy as np
import pytest

from ttxsim.analysis.stats import (
    Tally,
    bootstrap_mean_ci,
    kaplan_meier,
    km_median,
    mean_ci,
    paired_median_difference,
    summarise_time,
    tally,
)


def test_kaplan_meier_by_hand_with_a_run_lost_early():
    # Runs reach the moment at 1, 4, 6 min; one run ends at 2 without it. At 1: 4 at risk,
    # S = 3/4; at 4: 2 at risk (the lost run left at 2), S = 3/4 · 1/2 = 3/8; at 6: S = 0.
    steps = kaplan_meier([1.0, None, 4.0, 6.0], censored_at=[10, 2, 10, 10])
    assert steps == [(1.0, 0.75), (4.0, 0.375), (6.0, 0.0)]
    assert km_median([1.0, None, 4.0, 6.0], [10, 2, 10, 10]) == 4.0


def test_t95_not_reached_in_some_runs_gives_the_km_median_not_the_mean_of_the_rest():
    # 5 runs, 2 never reach t95 (harm > 5 %), censored at the 3,600 s horizon:
    # S = 4/5 after 600, 3/5 after 660, 2/5 after 900 s: the median is 900 s.
    t95 = [600.0, None, 660.0, None, 900.0]
    steps = kaplan_meier(t95, 3600.0)
    assert [t for t, _ in steps] == [600, 660, 900]
    assert [s for _, s in steps] == pytest.approx([0.8, 0.6, 0.4])
    summary = summarise_time(t95)
    assert (summary.median, summary.reached, summary.not_reached, summary.n) == (900.0, 3, 2, 5)
    assert summary.median != pytest.approx(np.mean([600, 660, 900]))  # 720 s would flatter it
    assert summary.low is not None and summary.low <= 900.0
    assert summary.high is None  # a resample with 3 of 5 missing has no median: the interval is open


def test_more_than_half_never_reaching_it_is_summarised_by_the_share():
    summary = summarise_time([300.0, None, None, 500.0, None])
    assert summary.median is None and summary.share_reached == pytest.approx(0.4)


def test_the_fast_median_is_the_product_limit_median_when_censored_at_the_horizon():
    rng = np.random.default_rng(5)
    for _ in range(50):
        n = int(rng.integers(1, 12))
        times = [None if rng.random() < 0.3 else float(rng.integers(1, 50)) for _ in range(n)]
        assert summarise_time(times).median == km_median(times, 3600.0)


def test_count_intervals_never_go_below_zero():
    harmed = [0, 0, 0, 1, 0, 0, 2, 0, 0, 1]  # a mean of 0.4 harmed
    _, t_low, _, _ = mean_ci(harmed)
    assert t_low < 0  # what Student's t would show: [-0.1, 0.9]
    mean, low, high, n = bootstrap_mean_ci(harmed)
    assert (mean, n) == (pytest.approx(0.4), 10)
    assert 0 <= low < 0.4 < high <= 2
    assert bootstrap_mean_ci(harmed) == (mean, low, high, n)  # the same every time: a fixed seed
    assert bootstrap_mean_ci([0] * 8)[1:3] == (0.0, 0.0)


def test_ties_are_counted_apart():
    result = tally([5, 5, 5, 5, None], [4, 5, 6, 5, 3])
    assert result == Tally(better=1, tied=2, worse=1)
    assert result.shares() == (0.25, 0.5, 0.25)
    assert tally([5], [6], lower_is_better=False) == Tally(1, 0, 0)
    assert tally([], []).shares() is None
    with pytest.raises(ValueError, match="length"):
        tally([1], [1, 2])


def test_reaching_a_time_beats_never_reaching_it():
    # both never: tied; only the protocol reaches it: better; only the baseline: worse; same: tied
    assert tally([None, None, 10, 5], [None, 8, None, 5], censored=True) == Tally(1, 2, 1)


def test_difference_of_medians_is_paired_and_deterministic():
    base = [600.0, 640.0, 700.0, 720.0, 800.0, 900.0]
    diff, low, high, n = paired_median_difference(base, [t - 30 for t in base])
    assert (diff, low, high, n) == (-30.0, -30.0, -30.0, 6)  # every pair 30 s apart
    noisy = [t - 30 + d for t, d in zip(base, [5, -5, 10, -10, 0, 20], strict=True)]
    assert paired_median_difference(base, noisy) == paired_median_difference(base, noisy)
    assert paired_median_difference([None, None, 5.0], [1.0, 2.0, 3.0])[0] is None  # base median unreached
