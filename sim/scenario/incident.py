"""The incident: an abstract hostile threat moving between zones, and a fire (docs/model.md, threat and fire).

Protective use only. The threat is a hazard with a place, a route through zones, dwell
times and a rate at which it harms exposed people; nothing about how harm is done. The fire
is a t-squared design fire whose smoke makes zones untenable; people accumulate a fractional
effective dose (Purser) and are incapacitated when it reaches the threshold.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, NonNegativeFloat, PositiveFloat, model_validator

from .base import Identifier, StrictModel
from .distributions import Distribution

__all__ = ["Fire", "Incident", "Smoke", "Threat", "ThreatStop", "Wander"]

GrowthRate = Literal["slow", "medium", "fast", "ultrafast"]


class ThreatStop(StrictModel):
    """One zone on the threat's scripted route and how long it stays there."""

    zone: Identifier
    """The zone."""
    dwell_s: Distribution
    """How long it stays before moving on."""


class Wander(StrictModel):
    """Random moves after the scripted route: each to a neighbouring zone chosen uniformly."""

    moves: int = Field(ge=1, le=1000)
    """How many moves at most."""
    dwell_s: Distribution
    """Time in each zone."""


class Threat(StrictModel):
    """An abstract hostile threat: where it is, how it moves, how long it stays, how it harms.

    It enters at the first stop's zone at t = 0. While it is in a zone, that zone's openings
    to safety and into it are unusable for escape, people there start moving at once and are
    exposed, and neighbouring zones hear it (their first cue). It stops when contained.
    """

    route: list[ThreatStop] = Field(min_length=1, max_length=1000)
    """Scripted route; the first stop is where it enters at t = 0."""
    wander: Wander | None = None
    """Random moves after the route."""
    leaves: bool = False
    """After its route (and wander) it leaves the venue; otherwise it stays in the last zone."""
    harm_rate_per_s: NonNegativeFloat = Field(le=10.0)
    """λ: each exposed (not sheltered) person in its zone is harmed at this rate per second."""
    harm_capacity_per_s: PositiveFloat | None = Field(default=None, le=1000.0)
    """C: the most people it can harm per second in its zone, however many are there (a
    saturating, Holling type II, response): with N exposed, each one's rate is λ / (1 + λN/C),
    so the zone's total λN / (1 + λN/C) tends to C. Unset: harm grows linearly with the people
    exposed. No published value: calibrate it, and vary it in `uncertain`."""


class Fire(StrictModel):
    """A t-squared design fire in one zone."""

    zone: Identifier
    """Where it starts."""
    start_s: Distribution
    """When it starts (seconds after t = 0)."""
    growth: GrowthRate | None = "fast"
    """Standard t² growth class (slow 0.00293, medium 0.01172, fast 0.0469, ultrafast 0.1876
    kW/s²; SFPE, vfdb 2020)."""
    alpha_kw_s2: PositiveFloat | None = Field(default=None, le=10.0)
    """Growth coefficient α, overriding `growth`."""
    max_hrr_kw: PositiveFloat = Field(default=50_000.0, le=1e7)
    """Heat release rate at which growth stops (fuel- or ventilation-limited)."""
    untenable_after_s: Distribution | None = None
    """Time from ignition to the fire zone being untenable; unset: computed from the zone's
    area and height (NFPA 92 smoke filling of a t² fire)."""
    set_by_threat: bool = False
    """The fire is the threat's doing: it does not start if the threat is contained or gone
    from the venue before the start time."""

    @model_validator(mode="after")
    def _one_growth(self):
        if self.growth is None and self.alpha_kw_s2 is None:
            raise ValueError("give growth or alpha_kw_s2")
        return self


class Smoke(StrictModel):
    """Tenability: how smoke conditions turn into dose and incapacitation."""

    tenability_height_m: PositiveFloat = Field(default=2.0, le=20.0)
    """A zone is untenable once the smoke layer is down to this height."""
    co_at_untenable_ppm: PositiveFloat = Field(default=2700.0, le=100_000.0)
    """CO concentration when a zone becomes untenable (Engineering Australia 2014 limit:
    2,700 ppm; with Purser's light-work dose, FED 1 after about 10 min there)."""
    co_max_ppm: PositiveFloat | None = Field(default=None, le=200_000.0)
    """Concentration at which smoke stops getting worse; unset: it keeps rising until the
    fire is suppressed."""
    fed_threshold: PositiveFloat = Field(default=1.0, le=10.0)
    """FED at which a person is incapacitated (ISO 13571: 1.0 median; 0.3 for a sensitive
    population); with `fed_sigma` above 0, the median of the people's thresholds."""
    fed_sigma: NonNegativeFloat = Field(default=1.0, le=3.0)
    """Spread of people's thresholds: each is `fed_threshold` × exp(σ z), z standard normal
    (Purser's lognormal; σ = 1.0 puts 11.4 % below 0.3 of the median, as ISO 13571 has it).
    0: everybody at `fed_threshold`."""
    heat_at_untenable_c: PositiveFloat | None = Field(default=50.0, le=1000.0)
    """Gas temperature when a zone becomes untenable, °C; it rises with the CO from 20 °C and
    its convective dose (Purser, t = 5e7 T^−3.4 min) adds to the CO's. Default: about the
    50 °C of the smoke density the spread assumes (a modelling choice). Unset: CO only."""
    extinction_at_untenable_per_m: PositiveFloat = Field(default=0.8, le=50.0)
    """Extinction coefficient when a zone becomes untenable, 1/m, rising with the CO: 0.8
    means 10 m visibility of a lit sign (S = 8 / K; the Engineering Australia 2014 10 m limit).
    Walkers slow with it (`ZoneState.smoke_speed_factor`)."""


class Incident(StrictModel):
    """What happens at t = 0 and after."""

    threat: Threat | None = None
    """A hostile threat; unset: none."""
    fire: Fire | None = None
    """A fire; unset: none."""
    further_fires: list[Fire] = Field(default=[], max_length=20)
    """More fires, each in its own zone at its own time (a second fire set later); they add
    to the smoke of the first, which must be given."""
    smoke: Smoke = Smoke()
    """Tenability settings."""

    @model_validator(mode="after")
    def _first_fire_first(self):
        if self.further_fires and self.fire is None:
            raise ValueError("further_fires needs a fire")
        return self
