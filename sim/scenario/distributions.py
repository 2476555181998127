"""Probability distributions a scenario can give for any uncertain quantity.

Each is a small model with a `dist` tag and a `sample(rng, size)` method, so the schema,
the JSON Schema and the sampling stay in one place. A plain number in a file means a
constant (`alarm_decision_s: 30`). Every distribution may be clipped with `min`/`max`, which
is how published ranges (e.g. "0.5 to 2.5 minutes") are honoured.
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import BeforeValidator, Field, NonNegativeFloat, PositiveFloat, model_validator

from .base import StrictModel

__all__ = [
    "Constant",
    "Distribution",
    "Exponential",
    "Lognormal",
    "Normal",
    "Triangular",
    "Uniform",
]


class _Clipped(StrictModel):
    min: float | None = None
    """Values below this are raised to it."""
    max: float | None = None
    """Values above this are lowered to it."""

    @model_validator(mode="after")
    def _min_below_max(self):
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min must not exceed max")
        return self

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw `size` values, clipped to [min, max]."""
        values = self._draw(rng, size)
        if self.min is not None or self.max is not None:
            values = np.clip(values, self.min, self.max)
        return values

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError


class Constant(StrictModel):
    """Always the same value."""

    dist: Literal["constant"]
    value: float
    """The value."""

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Return `size` copies of the value (draws nothing, so other streams are unshifted)."""
        return np.full(size, self.value, dtype=float)


class Uniform(_Clipped):
    """Uniform between `low` and `high`."""

    dist: Literal["uniform"]
    low: float
    """Lower bound."""
    high: float
    """Upper bound."""

    @model_validator(mode="after")
    def _ordered(self):
        if self.low > self.high:
            raise ValueError("low must not exceed high")
        return self

    def _draw(self, rng, size):
        return rng.uniform(self.low, self.high, size)


class Normal(_Clipped):
    """Normal (Gaussian) with `mean` and standard deviation `sd`."""

    dist: Literal["normal"]
    mean: float
    """Mean."""
    sd: NonNegativeFloat
    """Standard deviation."""

    def _draw(self, rng, size):
        return rng.normal(self.mean, self.sd, size)


class Lognormal(_Clipped):
    """Lognormal: ln X is normal with mean ln(median) and standard deviation `sigma`.

    The usual shape for pre-movement times (Forssberg et al. 2019): a fast rise and a long tail.
    """

    dist: Literal["lognormal"]
    median: PositiveFloat
    """The median, exp(mu) of the underlying normal."""
    sigma: NonNegativeFloat
    """Standard deviation of ln X."""
    shift: float = 0.0
    """Added to every value: a minimum delay before the lognormal part starts."""

    def _draw(self, rng, size):
        return self.shift + rng.lognormal(np.log(self.median), self.sigma, size)


class Triangular(_Clipped):
    """Triangular between `low` and `high` with its peak at `mode`."""

    dist: Literal["triangular"]
    low: float
    """Lower bound."""
    mode: float
    """Most likely value."""
    high: float
    """Upper bound."""

    @model_validator(mode="after")
    def _ordered(self):
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise ValueError("need low <= mode <= high and low < high")
        return self

    def _draw(self, rng, size):
        return rng.triangular(self.low, self.mode, self.high, size)


class Exponential(_Clipped):
    """Exponential with the given `mean`."""

    dist: Literal["exponential"]
    mean: PositiveFloat
    """Mean (1 / rate)."""

    def _draw(self, rng, size):
        return rng.exponential(self.mean, size)


def _number_is_constant(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"dist": "constant", "value": value}
    return value


Distribution = Annotated[
    Constant | Uniform | Normal | Lognormal | Triangular | Exponential,
    Field(discriminator="dist"),
    BeforeValidator(_number_is_constant),
]
"""Any of the distributions above, chosen by its `dist` key; a bare number is a constant."""
