"""Summary statistics of Monte Carlo replications: counts, censored times, paired differences.

Counts (people harmed, exposed, evacuated) are summarised by their mean with a bootstrap
percentile interval, which stays inside the range of the data: a mean of 0.4 harmed never
gets a negative bound (Efron & Tibshirani, *An Introduction to the Bootstrap*, 1993, ch. 13).
Times that some runs never reach (t95 when more than 5 % are harmed, a containment that never
comes) are *censored* at the run's end: averaging the runs that reached them would flatter
exactly the protocols that fail most often. They are summarised by the Kaplan–Meier
(product-limit) median (Kaplan & Meier, *J. Am. Stat. Assoc.* 53, 1958; Klein & Moeschberger,
*Survival Analysis*, 2nd ed., 2003, §4.2), or by the share of runs reaching them where more
than half never do.

Differences between protocols are paired on the replication number: with common random
numbers (the same seed for every protocol's replication i) the noise shared by a pair cancels,
so a paired interval is much narrower than that of two independent means (Law, *Simulation
Modeling and Analysis*, 5th ed., §11.2). Mean differences use Student's t; differences of
medians a paired bootstrap (the pairs are resampled together). Every bootstrap draws from a
fixed seed, so the same store always gives the same table.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["BOOTSTRAP_RESAMPLES", "BOOTSTRAP_SEED", "Tally", "TimeSummary", "bootstrap_mean_ci",
           "censored_medians", "censored_times", "kaplan_meier", "km_median", "mean_ci", "paired",
           "paired_median_difference", "summarise_time", "tally"]

BOOTSTRAP_RESAMPLES = 2000
"""Resamples per bootstrap interval: enough for stable 2.5 % and 97.5 % percentiles (Efron &
Tibshirani 1993, §13.3 suggest 1,000 or more for percentile intervals)."""

BOOTSTRAP_SEED = 1958
"""The bootstrap's fixed seed: the same runs always give the same interval."""


def _finite(values: Iterable[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def _t_interval(values: list[float], level: float) -> tuple[float, float | None, float | None, int]:
    n = len(values)
    if n == 0:
        return math.nan, None, None, 0
    mean = math.fsum(values) / n
    if n < 2:
        return mean, None, None, n
    variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * math.sqrt(variance / n)
    return mean, mean - half, mean + half, n


def mean_ci(values: Iterable[float | None], level: float = 0.95
            ) -> tuple[float, float | None, float | None, int]:
    """The mean of `values` with its Student-t confidence interval.

    Args:
        values: One value per replication; None (a time that never came) is ignored.
        level: Confidence level of the interval, e.g. 0.95.

    Returns:
        `(mean, low, high, n)`: n counts the values used; the mean is NaN when n = 0 and
        the interval bounds are None when n < 2 (no spread to estimate).
    """
    return _t_interval(_finite(values), level)


def _resamples(n: int) -> np.ndarray:
    """Bootstrap indices, `BOOTSTRAP_RESAMPLES` × n, from the fixed seed."""
    return np.random.default_rng(BOOTSTRAP_SEED).integers(0, n, size=(BOOTSTRAP_RESAMPLES, n))


def _percentiles(draws: np.ndarray, level: float) -> tuple[float, float]:
    """The percentile interval's bounds; `inverted_cdf` picks drawn values, so ±inf stay infinite."""
    tail = (1 - level) / 2
    low, high = np.quantile(draws, [tail, 1 - tail], method="inverted_cdf")
    return float(low), float(high)


def bootstrap_mean_ci(values: Iterable[float | None], level: float = 0.95
                      ) -> tuple[float, float | None, float | None, int]:
    """The mean of `values` with a bootstrap percentile interval (for counts).

    The interval's bounds are means of resampled runs, so they lie between the smallest and
    the largest value: never below 0 for a count, unlike mean ± t·s/√n on a skewed count.

    Returns:
        `(mean, low, high, n)` as `mean_ci`.
    """
    data = np.array(_finite(values))
    n = len(data)
    if n == 0:
        return math.nan, None, None, 0
    mean = float(data.mean())
    if n < 2:
        return mean, None, None, n
    low, high = _percentiles(data[_resamples(n)].mean(axis=1), level)
    return mean, low, high, n


def paired(a: Sequence[float | None], b: Sequence[float | None], *, lower_is_better: bool = True,
           level: float = 0.95) -> tuple[float, float | None, float | None, int, float | None]:
    """The paired difference `b − a` over matched replications, with its interval.

    Args:
        a: The baseline's value in each replication.
        b: The other protocol's value in the same replications (same order, same length).
        lower_is_better: Whether a smaller value is the better outcome (harm, times); decides
            which way `share_better` counts.
        level: Confidence level of the interval.

    Returns:
        `(mean_diff, low, high, n, share_better)`: pairs with a None on either side are
        dropped; `share_better` is the fraction of pairs in which `b` did strictly better
        than `a` (None when no pair is left).

    Raises:
        ValueError: If `a` and `b` differ in length.
    """
    if len(a) != len(b):
        raise ValueError(f"paired samples differ in length: {len(a)} and {len(b)}")
    pairs = [(float(x), float(y)) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    diffs = [y - x for x, y in pairs if math.isfinite(y - x)]
    mean, low, high, n = _t_interval(diffs, level)
    if n == 0:
        return mean, None, None, 0, None
    better = sum(1 for d in diffs if (d < 0 if lower_is_better else d > 0))
    return mean, low, high, n, better / n


@dataclass(frozen=True)
class Tally:
    """How many paired runs came out better, tied or worse for the protocol than the baseline."""

    better: int
    tied: int
    worse: int

    @property
    def n(self) -> int:
        """The pairs counted."""
        return self.better + self.tied + self.worse

    def shares(self) -> tuple[float, float, float] | None:
        """`(better, tied, worse)` as fractions of the pairs; None when there is no pair."""
        return None if self.n == 0 else (self.better / self.n, self.tied / self.n, self.worse / self.n)


def tally(a: Sequence[float | None], b: Sequence[float | None], *, lower_is_better: bool = True,
          censored: bool = False) -> Tally:
    """Count the pairs in which `b` did better than, as well as, or worse than `a`.

    Ties are counted apart: with common random numbers many pairs come out identical (nobody
    harmed either way), and folding them into "not better" would read as "worse".

    Args:
        a: The baseline's value in each replication.
        b: The other protocol's value in the same replications.
        lower_is_better: Whether a smaller value is the better outcome.
        censored: Whether None means "never reached" (a time): then reaching it beats not
            reaching it, and two runs that never reach it are tied. Otherwise pairs with a
            None are dropped.

    Raises:
        ValueError: If `a` and `b` differ in length.
    """
    if len(a) != len(b):
        raise ValueError(f"paired samples differ in length: {len(a)} and {len(b)}")
    sign = 1.0 if lower_is_better else -1.0
    better = tied = worse = 0
    for x, y in zip(a, b, strict=True):
        if (x is None or y is None) and not censored:
            continue
        fx = math.inf if x is None else float(x)  # never reached: later than any time reached
        fy = math.inf if y is None else float(y)
        if fx == fy:
            tied += 1
        elif (fy - fx) * sign < 0:
            better += 1
        else:
            worse += 1
    return Tally(better, tied, worse)


def kaplan_meier(times: Sequence[float | None], censored_at: float | Sequence[float]
                 ) -> list[tuple[float, float]]:
    """The product-limit estimate of the share of runs that have *not yet* reached a moment.

    S(t) = Π over reached times t_j ≤ t of (1 − d_j / n_j), with d_j runs reaching it at t_j and
    n_j runs still at risk then (not yet reached, not yet ended; a run censored at t_j counts as
    at risk, the usual convention: Klein & Moeschberger 2003, §4.2).

    Args:
        times: One value per run: when it reached the moment, None if it never did.
        censored_at: When each run that never reached it stopped being watched (its end, the
            scenario's horizon): one value for all runs, or one per run.

    Returns:
        The steps `(t_j, S(t_j))` in time order; S is 1 before the first.
    """
    ends = [float(censored_at)] * len(times) if isinstance(censored_at, int | float) else list(censored_at)
    if len(ends) != len(times):
        raise ValueError(f"{len(times)} times but {len(ends)} censoring times")
    reached = sorted(float(t) for t in times if t is not None)
    lost = [float(c) for t, c in zip(times, ends, strict=True) if t is None]
    steps, survival = [], 1.0
    for t in sorted(set(reached)):
        at_risk = sum(1 for r in reached if r >= t) + sum(1 for c in lost if c >= t)
        survival *= 1 - reached.count(t) / at_risk
        steps.append((t, survival))
    return steps


def km_median(times: Sequence[float | None], censored_at: float | Sequence[float]) -> float | None:
    """The Kaplan–Meier median: the first time S(t) ≤ ½; None if fewer than half reach it."""
    return next((t for t, s in kaplan_meier(times, censored_at) if s <= 0.5 + 1e-12), None)


def censored_medians(data: np.ndarray) -> np.ndarray:
    """The Kaplan–Meier median of each row, never-reached as +inf (censored after every time reached).

    When every run that misses the moment is censored at the horizon, after every time that
    was reached, S(t) is one minus the share reached by t, so the median is the ⌈n/2⌉-th
    smallest time, infinite when more than half never reach it. This is what lets the
    bootstrap take thousands of medians at once.
    """
    k = (data.shape[-1] + 1) // 2 - 1
    return np.partition(data, k, axis=-1)[..., k]


def censored_times(values: Sequence[float | None]) -> np.ndarray:
    """Times as an array, a time never reached (None) as +inf: later than any that was."""
    return np.array([math.inf if v is None else float(v) for v in values], dtype=float)


@dataclass(frozen=True)
class TimeSummary:
    """A time some runs may never reach: how many reached it, the median and its interval."""

    n: int
    """Runs summarised."""
    reached: int
    """Runs in which the moment came."""
    median: float | None
    """Kaplan–Meier median; None when more than half the runs never reach it."""
    low: float | None
    """Lower bound of the median's bootstrap interval."""
    high: float | None
    """Upper bound; None when the interval is open (the resampled median is often not reached)."""

    @property
    def share_reached(self) -> float | None:
        """The fraction of runs that reached it (what to read when the median is None)."""
        return None if self.n == 0 else self.reached / self.n

    @property
    def not_reached(self) -> int:
        """Runs in which it never came: "not reached in k of n"."""
        return self.n - self.reached


def summarise_time(values: Sequence[float | None], level: float = 0.95) -> TimeSummary:
    """The Kaplan–Meier median of a time (None: never reached, censored at the run's end).

    The interval is a bootstrap percentile interval of the median over resampled runs.
    """
    data = censored_times(values)
    n, reached = len(data), int(np.isfinite(data).sum())
    if n == 0:
        return TimeSummary(0, 0, None, None, None)
    median = float(censored_medians(data))
    if not math.isfinite(median):
        return TimeSummary(n, reached, None, None, None)
    if n < 2:
        return TimeSummary(n, reached, median, None, None)
    low, high = _percentiles(censored_medians(data[_resamples(n)]), level)
    return TimeSummary(n, reached, median, _bound(low), _bound(high))


def _bound(value: float) -> float | None:
    return value if math.isfinite(value) else None


def paired_median_difference(a: Sequence[float | None], b: Sequence[float | None], level: float = 0.95
                             ) -> tuple[float | None, float | None, float | None, int]:
    """The difference of Kaplan–Meier medians `b − a`, with a paired bootstrap interval.

    The replications are resampled as pairs, so the interval keeps the benefit of common random
    numbers. A bound is None where the resampled medians are too often not reached for it to
    be finite.

    Returns:
        `(diff, low, high, n)`; `diff` is None when either median is not reached.

    Raises:
        ValueError: If `a` and `b` differ in length.
    """
    if len(a) != len(b):
        raise ValueError(f"paired samples differ in length: {len(a)} and {len(b)}")
    xa, xb = censored_times(a), censored_times(b)
    n = len(xa)
    if n == 0:
        return None, None, None, 0
    with np.errstate(invalid="ignore"):
        diff = float(censored_medians(xb) - censored_medians(xa))
    if not math.isfinite(diff):
        return None, None, None, n
    if n < 2:
        return diff, None, None, n
    index = _resamples(n)
    with np.errstate(invalid="ignore"):
        draws = censored_medians(xb[index]) - censored_medians(xa[index])
    undefined = np.isnan(draws)  # neither median reached: the difference could be anything
    low, _ = _percentiles(np.where(undefined, -math.inf, draws), level)
    _, high = _percentiles(np.where(undefined, math.inf, draws), level)
    return diff, _bound(low), _bound(high), n
