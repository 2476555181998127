"""How people differ in the smoke, and how smoke slows them (docs/model.md, fire, smoke and tenability).

Purser describes incapacitating doses as lognormally spread over a population: FED 1 is the
median, and ISO 13571's 0.3 is the dose at which about 11.4 % (the sensitive) are affected.
Both hold for a lognormal with median 1 and σ = ln(0.3) / Φ⁻¹(0.114) = 1.0, so each person's
threshold is the scenario's `fed_threshold` (the median) times exp(σ z), z standard normal:
a zone's occupants do not all fall in the same second.

Smoke also slows walkers: Frantzich & Nilsson (2003), as used by FDS+Evac, fitted walking
speed in smoke against the extinction coefficient K (1/m), v = max(0.1 v0, v0 (1 − 0.057 K /
0.706)) over K from about 1.9 to 7.4 /m (model-parameters.md §2 "Smoke" row via pyFDS
`walking-speed.md`; below 1.9 /m it is extrapolated to no slowing at K = 0).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .streams import Streams

__all__ = [
    "INJURY_FED",
    "SMOKE_SPEED_ALPHA",
    "SMOKE_SPEED_BETA",
    "SMOKE_SPEED_MIN_FACTOR",
    "SUSCEPTIBILITY_SIGMA",
    "smoke_speed_factor",
    "susceptibility",
]

SUSCEPTIBILITY_SIGMA = 1.0
"""σ of ln(threshold): a median of 1 with 11.4 % below 0.3 (ISO 13571 via model-parameters.md §4
"FED" row) gives σ = ln 0.3 / Φ⁻¹(0.114) = −1.204 / −1.206 = 1.00. Derived here, not quoted."""

INJURY_FED = 0.3
"""FED at or above which someone who got out counts as injured by smoke (ISO 13571's
threshold for the sensitive: they may be affected, though they walked out)."""

SMOKE_SPEED_ALPHA = 0.706
"""m/s. Frantzich & Nilsson (2003) walking speed in smoke, v = α + β K (via FDS+Evac)."""

SMOKE_SPEED_BETA = -0.057
"""m²/s. The slope of the same fit (per unit extinction coefficient)."""

SMOKE_SPEED_MIN_FACTOR = 0.1
"""Walking speed never falls below 10 % of the free speed (FDS+Evac's floor)."""


def smoke_speed_factor(extinction_per_m: float) -> float:
    """Share of free walking speed left in smoke of extinction coefficient K (1/m).

    FDS+Evac's use of Frantzich & Nilsson: max(0.1, 1 + β K / α) = max(0.1, 1 − 0.0807 K).
    """
    if extinction_per_m <= 0.0:
        return 1.0
    return max(SMOKE_SPEED_MIN_FACTOR, 1.0 + SMOKE_SPEED_BETA * extinction_per_m / SMOKE_SPEED_ALPHA)


def susceptibility(groups: Iterable[tuple[str, object, int]], streams: Streams, sigma: float) -> list[float]:
    """Each person's threshold multiplier, exp(σ z), drawn group by group by the group's key.

    `groups` is `occupants.canonical_groups(population)`: people are numbered group by group in
    that order, as `draw_occupants` numbers them, so the draws do not depend on the file's
    order of the groups, and resizing one group leaves the others' draws alone.
    """
    out: list[float] = []
    for key, _, n in groups:
        if sigma <= 0.0:
            out.extend([1.0] * n)
            continue
        z = streams.group("susceptibility", key).standard_normal(n)
        out.extend(math.exp(sigma * float(v)) for v in z)
    return out
