"""Summary statistics of Monte Carlo replications: means with intervals, paired differences.

Intervals use Student's t distribution, which is exact for normal outcomes and close for
the replication counts a batch produces (tens to thousands). Differences between protocols
are paired on the replication number: with common random numbers (the same seed for every
protocol's replication i) the noise shared by a pair cancels, so the interval of a paired
difference is much narrower than that of two independent means (Law, *Simulation Modeling
and Analysis*, 5th ed., section 11.2).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from scipy import stats

__all__ = ["mean_ci", "paired"]


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
