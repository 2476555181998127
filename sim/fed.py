"""The dose a person takes in smoke: CO concentration over time and Purser's FED (docs/model.md).

Conditions in a zone are represented by its CO concentration (`CoProfile`), rising from 0
when smoke arrives to the scenario's untenable concentration (default 2,700 ppm, the
Engineering Australia 2014 limit) when the zone is untenable. People accumulate a
fractional effective dose by Purser & McAllister's CO equation for light work (SFPE
Handbook 2016, ch. 63; model-parameters.md §4 "CO" row via pyFDS `asphyxiant-fed.md`), and
are incapacitated at FED 1 (0.3 for a sensitive population; ISO 13571). Dose and the time
a dose is reached are closed forms (with heat counted, the time is found by Newton's method
on the rise), so a person's incapacitation is one scheduled event.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass

__all__ = ["FED_CO_COEFF_PER_MIN", "FED_CO_EXPONENT", "HEAT_COEFF_MIN", "HEAT_EXPONENT", "CoProfile",
           "fed_rate_per_s", "heat_fed_rate_per_s"]

# --- Dose (Purser & McAllister 2016) ------------------------------------------------------

FED_CO_COEFF_PER_MIN = 2.764e-5
"""FED per minute per ppm^1.036. Purser & McAllister (SFPE Handbook 2016, ch. 63) CO dose
for light work: FED/min = 3.317e-5 [CO]^1.036 V_E / D with V_E 25 L/min and D 30 %COHb,
i.e. 2.764e-5 [CO]^1.036 (model-parameters.md §4 "CO" row, via pyFDS `asphyxiant-fed.md`).
At 2,700 ppm this gives FED 1 in about 10 min, matching the fixed 10-min limit."""

FED_CO_EXPONENT = 1.036
"""Dimensionless. Exponent of [CO] in Purser's CO dose equation."""

_A = FED_CO_COEFF_PER_MIN / 60.0  # FED per second per ppm^b
_B = FED_CO_EXPONENT

HEAT_COEFF_MIN = 5.0e7
"""min·°C^3.4. Purser's convective heat: time to incapacitation t = 5 × 10^7 T^−3.4 min (T in
°C; SFPE Handbook 2016, ch. 63; model-parameters.md §4 "Heat" row via pyFDS `heat.md`):
about 45 min at 60 °C, 7.9 min at 100 °C."""

HEAT_EXPONENT = 3.4
"""Dimensionless. Exponent of T in the same formula."""

_H = 1.0 / (60.0 * HEAT_COEFF_MIN)  # heat FED per second per °C^3.4


def heat_fed_rate_per_s(temp_c: float) -> float:
    """Convective heat FED per second at a gas temperature, 1 / (60 × 5e7 T^−3.4) (Purser)."""
    if temp_c <= 0.0:
        return 0.0
    return _H * temp_c**HEAT_EXPONENT


def fed_rate_per_s(co_ppm: float) -> float:
    """FED accumulated per second at a CO concentration, light work (Purser & McAllister 2016).

    FED/min = 2.764e-5 [CO]^1.036 (model-parameters.md §4 "CO" row); divided by 60 here.
    CO stands in for the whole toxic load: the scenario's untenable concentration is chosen
    so the dose reaches 1 in about the time the fixed tenability limits allow.

    Args:
        co_ppm: CO concentration, ppm.

    Returns:
        FED per second (0 for no CO).
    """
    if co_ppm <= 0.0:
        return 0.0
    return _A * co_ppm**_B


@dataclass(frozen=True)
class CoProfile:
    """CO concentration in one zone over time, and the dose a person present there accumulates.

    The concentration is 0 before `arrival_s`, then rises linearly so that it reaches
    `co_at_untenable_ppm` at `untenable_s`, and keeps that slope afterwards (the fire keeps
    growing), until it is capped at `co_max_ppm` (if given) or frozen at `frozen_at_s` (fire
    suppressed: conditions stop getting worse; they do not clear, a conservative choice).
    A profile frozen at or before arrival never sees smoke. If `untenable_s` equals
    `arrival_s` the concentration steps to `co_at_untenable_ppm` (capped) at arrival and
    stays there, since no slope is defined; an infinite `untenable_s` means no smoke.

    `dose(t)` is the FED of someone present in the zone from −∞ to t; a person entering at
    t_in with dose F already received reaches a threshold at
    `time_of_dose(dose(t_in) + threshold − F)`. Both are closed forms, piece by piece:
    on the rising piece C = s u (u = t − arrival), so the dose is
    ∫ a (s u)^b du = a s^b u^(b+1) / (b+1); after the cap or the freeze the rate is constant.
    """

    arrival_s: float
    """Smoke arrives: the concentration starts rising from 0."""
    untenable_s: float
    """The zone becomes untenable: the concentration is `co_at_untenable_ppm`."""
    co_at_untenable_ppm: float = 2700.0
    """Concentration at `untenable_s`, ppm (default: Engineering Australia 2014 limit)."""
    co_max_ppm: float | None = None
    """Concentration at which it stops rising, ppm; None: no cap."""
    frozen_at_s: float | None = None
    """From this time the concentration stays as it is (fire suppressed); None: never."""
    heat_at_untenable_c: float | None = None
    """Gas temperature at `untenable_s`, °C; None: heat is not counted. The temperature rises
    with the CO, from `ambient_c` at arrival, and its convective dose (Purser) adds to the CO's."""
    ambient_c: float = 20.0
    """Temperature before smoke arrives, °C."""

    def __post_init__(self) -> None:
        if math.isnan(self.arrival_s) or math.isnan(self.untenable_s):
            raise ValueError("times must not be NaN")
        if self.untenable_s < self.arrival_s:
            raise ValueError("untenable_s must not be before arrival_s")
        if self.co_at_untenable_ppm <= 0.0:
            raise ValueError("co_at_untenable_ppm must be positive")
        if self.co_max_ppm is not None and self.co_max_ppm <= 0.0:
            raise ValueError("co_max_ppm must be positive")

    # The profile as pieces: 0 until t0, C = s (t − t0) on [t0, t1], C1 from t1 on.
    @functools.cached_property
    def _pieces(self) -> tuple[float, float, float, float]:
        """(t0, t1, s, C1): start of the rise, end of the rise, slope (ppm/s), final concentration.

        t0 = inf means the zone stays clear; t1 = inf means it never stops rising; t1 = t0
        with s = inf is the step profile. Worked out once per profile: a run asks for a dose
        about fifteen times per person in smoke.
        """
        t0 = self.arrival_s
        frozen = math.inf if self.frozen_at_s is None else self.frozen_at_s
        if math.isinf(t0) or math.isinf(self.untenable_s) or frozen <= t0:
            return math.inf, math.inf, 0.0, 0.0
        cap = math.inf if self.co_max_ppm is None else self.co_max_ppm
        rise = self.untenable_s - t0
        if rise <= 0.0:
            return t0, t0, math.inf, min(self.co_at_untenable_ppm, cap)
        s = self.co_at_untenable_ppm / rise
        t_cap = t0 + cap / s
        if t_cap <= frozen:
            return t0, t_cap, s, cap
        if math.isinf(frozen):
            return t0, math.inf, s, math.inf
        return t0, frozen, s, s * (frozen - t0)

    @staticmethod
    def _rise_dose(s: float, u: float) -> float:
        return _A * s**_B * u ** (_B + 1.0) / (_B + 1.0)

    def concentration_ppm(self, t: float) -> float:
        """CO concentration at time t, ppm."""
        t0, t1, s, c1 = self._pieces
        if t < t0 or math.isinf(t0):
            return 0.0
        if t >= t1:
            return c1
        return s * (t - t0)

    def dose(self, t: float) -> float:
        """FED accumulated by a person present in the zone from −∞ until t (monotone, continuous)."""
        t0, t1, s, c1 = self._pieces
        if t <= t0:
            return 0.0
        if t <= t1:
            return self._rise_dose(s, t - t0) + self._heat_dose(t0, t1, s, c1, t)
        d1 = 0.0 if t1 == t0 else self._rise_dose(s, t1 - t0)
        return d1 + fed_rate_per_s(c1) * (t - t1) + self._heat_dose(t0, t1, s, c1, t)

    def temperature_c(self, t: float) -> float:
        """Gas temperature at time t, °C (ambient if heat is not counted)."""
        if self.heat_at_untenable_c is None:
            return self.ambient_c
        rise = (self.heat_at_untenable_c - self.ambient_c) / self.co_at_untenable_ppm
        return self.ambient_c + rise * self.concentration_ppm(t)

    def _heat_dose(self, t0: float, t1: float, s: float, c1: float, t: float) -> float:
        """Purser's convective heat dose from arrival to t.

        Closed form on the linear rise, T = T_a + k u: ∫ T^3.4 du = (T^4.4 − T_a^4.4) / (4.4 k);
        a constant rate after it.
        """
        if self.heat_at_untenable_c is None:
            return 0.0
        amb = self.ambient_c
        per_ppm = (self.heat_at_untenable_c - amb) / self.co_at_untenable_ppm
        end = min(t, t1)
        total = 0.0
        if end > t0:
            k = per_ppm * s
            if k == 0.0:
                total = heat_fed_rate_per_s(amb) * (end - t0)
            else:
                top = amb + k * (end - t0)
                power = HEAT_EXPONENT + 1
                total = _H * (top**power - amb**power) / (power * k)
        if t > t1:
            total += heat_fed_rate_per_s(amb + per_ppm * c1) * (t - t1)
        return total

    def time_of_dose(self, target: float) -> float:
        """The earliest time t with dose(t) ≥ target.

        Returns:
            Seconds. `math.inf` if the dose never gets there: only a zone that stays clear
            (no smoke, or frozen before smoke arrived), since any positive concentration
            keeps the dose growing. `-math.inf` for target ≤ 0, which every t satisfies.
        """
        if target <= 0.0:
            return -math.inf
        t0, t1, s, c1 = self._pieces
        if math.isinf(t0):
            return math.inf
        if self.heat_at_untenable_c is not None:
            return self._solve(target, t0)
        d1 = 0.0
        if t1 > t0:
            d1 = math.inf if math.isinf(t1) else self._rise_dose(s, t1 - t0)
            if target <= d1:
                u = ((_B + 1.0) * target / (_A * s**_B)) ** (1.0 / (_B + 1.0))
                return t0 + u
        rate = fed_rate_per_s(c1)
        if rate <= 0.0:
            return math.inf
        return t1 + (target - d1) / rate

    def _solve(self, target: float, t0: float) -> float:
        """The time of a dose of CO and heat together, which have no closed inverse on the rise.

        After the rise both rates are constant, so the dose is linear there and inverted
        exactly. On the rise the dose is smooth, increasing and convex in u = t − t0: Newton's
        method from above converges without overshooting, kept inside the bracket by
        bisection should rounding push it out, to a relative 1e-13. It starts from the time CO
        or heat alone would take (closed forms), the earlier. About 5 steps, where the bisection it
        replaced took about 70 doses and stopped at 1e-9.
        """
        _, t1, s, c1 = self._pieces
        if not math.isinf(t1):
            d1 = self.dose(t1)
            if target >= d1:
                rate = fed_rate_per_s(c1) + heat_fed_rate_per_s(self.temperature_c(t1))
                return t1 + (target - d1) / rate if rate > 0.0 else math.inf
            lo, hi = t0, t1
        else:
            lo, hi = t0, math.inf  # it rises for ever: CO alone bounds the time (below)
        # CO alone, or heat alone, reaches the target no sooner than both together: a start
        # close above (both have closed forms on the rise).
        co_alone = t0 + ((_B + 1.0) * target / (_A * s**_B)) ** (1.0 / (_B + 1.0))
        t = hi = min(hi, co_alone, t0 + self._heat_alone_s(target, s))
        for _ in range(100):
            excess = self.dose(t) - target
            if excess == 0.0:
                return t
            if excess < 0.0:
                lo = t
            else:
                hi = t
            slope = self._dose_rate(t, t0, s)
            step_to = t - excess / slope if slope > 0.0 else math.nan
            if abs(step_to - t) <= 1e-13 * max(1.0, abs(t)):
                return step_to if excess < 0.0 else t  # the time, or a hair after it
            t = step_to if lo < step_to < hi else 0.5 * (lo + hi)
        return hi

    def _heat_alone_s(self, target: float, s: float) -> float:
        """Seconds into the rise at which the heat dose alone reaches `target` (inf: never)."""
        assert self.heat_at_untenable_c is not None
        amb = self.ambient_c
        k = (self.heat_at_untenable_c - amb) / self.co_at_untenable_ppm * s  # °C per second
        if k <= 0.0:
            rate = heat_fed_rate_per_s(amb)
            return target / rate if rate > 0.0 else math.inf
        power = HEAT_EXPONENT + 1
        base = amb**power if amb > 0.0 else 0.0
        return ((target * power * k / _H + base) ** (1.0 / power) - amb) / k

    def _dose_rate(self, t: float, t0: float, s: float) -> float:
        """The dose per second on the rise: CO at C = s u and heat at its temperature."""
        concentration = s * (t - t0)
        return fed_rate_per_s(concentration) + heat_fed_rate_per_s(self.temperature_c(t))

    def with_freeze(self, t: float) -> CoProfile:
        """A copy whose conditions stop getting worse at t (fire suppressed at t).

        If smoke has not arrived by t the zone stays clear. Freezing later than an existing
        freeze changes nothing.
        """
        frozen = t if self.frozen_at_s is None else min(t, self.frozen_at_s)
        return dataclasses.replace(self, frozen_at_s=frozen)
