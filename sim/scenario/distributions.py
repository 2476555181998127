"""Probability distributions a scenario can give for any uncertain quantity.

Each is a small model with a `dist` tag and a `sample(rng, size)` method, so the schema,
the JSON Schema and the sampling stay in one place. A plain number in a file means a
constant (`alarm_decision_s: 30`). Every distribution may be clipped with `min`/`max`, which
is how published ranges (e.g. "0.5 to 2.5 minutes") are honoured. Every number in one is
finite and within ±`MAX_DIST_VALUE`, so no draw can overflow; `within` bounds a field's
distribution further where physics does (walking speeds).

Every distribution also takes `scale` (default 1) and `shift` (default 0): a sample is
scale × base + shift, where the base is the distribution as written, clip bounds included.
They are what-if knobs ("the alarm 60 s earlier": `{shift: -60}`; "everyone 20 % slower":
`{scale: 0.8}`), and a protocol that gives only them modifies the base distribution instead
of replacing it (`merge.py`). A delay that the shift makes negative is raised to 0 where it is
drawn (`delay`, and the occupants' pre-movement in `occupants.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BeforeValidator, Field, model_validator

from .base import StrictModel
from .limits import MAX_DIST_VALUE, MAX_LOG_SIGMA

Number = Annotated[float, Field(ge=-MAX_DIST_VALUE, le=MAX_DIST_VALUE)]
"""A number in a distribution: finite, and within ±MAX_DIST_VALUE."""
Spread = Annotated[float, Field(ge=0, le=MAX_DIST_VALUE)]
"""A standard deviation: not negative."""
Scale = Annotated[float, Field(gt=0, le=MAX_DIST_VALUE)]
"""A median or mean that must be positive."""
Factor = Annotated[float, Field(gt=0, le=MAX_DIST_VALUE)]
"""A `scale` factor: positive, so a distribution is never flipped."""

__all__ = [
    "TRANSFORM_KEYS",
    "Constant",
    "Distribution",
    "Exponential",
    "Lognormal",
    "Normal",
    "Triangular",
    "Uniform",
    "within",
]


class _Transformed(StrictModel):
    """What every distribution shares: a sample is scale × base + shift."""

    scale: Factor = 1.0
    """Multiplies every value of the distribution as written (clip bounds included)."""
    shift: Number = 0.0
    """Added to every value after `scale`: a lognormal's minimum delay, or a protocol's
    "60 s earlier" (`{shift: -60}`)."""

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw `size` values: scale × base + shift.

        No arithmetic at the defaults, so a file without them draws bit for bit as before.
        """
        values = self._base(rng, size)
        if self.scale != 1.0:
            values = values * self.scale
        if self.shift != 0.0:
            values = values + self.shift
        return values

    def delay(self, rng: np.random.Generator) -> float:
        """One draw used as a delay: a negative value (a shift below zero) is raised to 0 s."""
        return max(0.0, float(self.sample(rng, 1)[0]))

    def placement(self) -> list[float]:
        """Where the draws lie (location and clip bounds, scaled and shifted), for `within`."""
        return [self.scale * v + self.shift for v in self._placement()]

    def _base(self, rng: np.random.Generator, size: int) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _placement(self) -> list[float]:  # pragma: no cover
        raise NotImplementedError


class _Clipped(_Transformed):
    min: Number | None = None
    """Values below this are raised to it."""
    max: Number | None = None
    """Values above this are lowered to it."""

    @model_validator(mode="after")
    def _min_below_max(self):
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min must not exceed max")
        return self

    def _base(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw `size` values, clipped to [min, max]."""
        values = self._draw(rng, size)
        if self.min is not None or self.max is not None:
            values = np.clip(values, self.min, self.max)
        return values

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _placement(self) -> list[float]:
        return [v for v in (*self._location(), self.min, self.max) if v is not None]

    def _location(self) -> tuple[float, ...]:  # pragma: no cover
        raise NotImplementedError


class Constant(_Transformed):
    """Always the same value."""

    dist: Literal["constant"]
    value: Number
    """The value."""

    def _base(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """`size` copies of the value (draws nothing, so other streams are unshifted)."""
        return np.full(size, self.value, dtype=float)

    def _placement(self) -> list[float]:
        return [self.value]


class Uniform(_Clipped):
    """Uniform between `low` and `high`."""

    dist: Literal["uniform"]
    low: Number
    """Lower bound."""
    high: Number
    """Upper bound."""

    @model_validator(mode="after")
    def _ordered(self):
        if self.low > self.high:
            raise ValueError("low must not exceed high")
        return self

    def _draw(self, rng, size):
        return rng.uniform(self.low, self.high, size)

    def _location(self):
        return (self.low, self.high)


class Normal(_Clipped):
    """Normal (Gaussian) with `mean` and standard deviation `sd`."""

    dist: Literal["normal"]
    mean: Number
    """Mean."""
    sd: Spread
    """Standard deviation."""

    def _draw(self, rng, size):
        return rng.normal(self.mean, self.sd, size)

    def _location(self):
        return (self.mean,)


class Lognormal(_Clipped):
    """Lognormal: ln X is normal with mean ln(median) and standard deviation `sigma`.

    The usual shape for pre-movement times (Forssberg et al. 2019): a fast rise and a long tail.
    A minimum delay before the lognormal part starts is its `shift`, added after `min`/`max`
    (which bound the lognormal part).
    """

    dist: Literal["lognormal"]
    median: Scale
    """The median, exp(mu) of the underlying normal."""
    sigma: float = Field(ge=0, le=MAX_LOG_SIGMA)
    """Standard deviation of ln X (at most 5: beyond, draws overflow)."""

    def _draw(self, rng, size):
        return rng.lognormal(np.log(self.median), self.sigma, size)

    def _location(self):
        return (self.median,)


class Triangular(_Clipped):
    """Triangular between `low` and `high` with its peak at `mode`."""

    dist: Literal["triangular"]
    low: Number
    """Lower bound."""
    mode: Number
    """Most likely value."""
    high: Number
    """Upper bound."""

    @model_validator(mode="after")
    def _ordered(self):
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise ValueError("need low <= mode <= high and low < high")
        return self

    def _draw(self, rng, size):
        return rng.triangular(self.low, self.mode, self.high, size)

    def _location(self):
        return (self.low, self.high)


class Exponential(_Clipped):
    """Exponential with the given `mean`."""

    dist: Literal["exponential"]
    mean: Scale
    """Mean (1 / rate)."""

    def _draw(self, rng, size):
        return rng.exponential(self.mean, size)

    def _location(self):
        return (self.mean,)


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

TRANSFORM_KEYS = ("scale", "shift")
"""The keys every distribution takes besides its own parameters (see `merge.py`)."""


def within(low: float, high: float, unit: str) -> Callable[[Any], Any]:
    """A check that a distribution lies in [low, high]: its location and clip bounds do.

    Use as `Annotated[Distribution, AfterValidator(within(0, 10, "m/s"))]` where physics bounds
    the quantity; the message names the first number out of range.
    """

    def check(dist: Any) -> Any:
        for value in dist.placement():
            if not low <= value <= high:
                raise ValueError(f"must lie between {low:g} and {high:g} {unit} (got {value:g})")
        return dist

    return check

