"""Who is in the venue at t = 0 and how they move: counts per zone, speeds, pre-movement.

Pre-movement has no default on purpose: the published design values for assembly buildings
(PD 7974-6, Forssberg et al. 2019) depend on the occupancy and the alarm, and the values at
hand are unverified, so each scenario states its own with its source.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from .base import Identifier, StrictModel
from .distributions import Distribution, Normal, within
from .limits import MAX_OCCUPANTS, MAX_SPEED_M_S
from .venue import Coordinate

__all__ = ["Occupancy", "Population"]


class Occupancy(StrictModel):
    """A number of people in one zone at t = 0, placed uniformly at random in it."""

    zone: Identifier
    """The zone they are in."""
    count: int = Field(ge=0, le=MAX_OCCUPANTS)
    """How many."""
    entrance: Identifier | None = None
    """The opening they came in by; familiar occupants head back to it."""
    at_m: tuple[Coordinate, Coordinate] | None = None
    """Start them all at this point instead of uniformly over the zone (verification cases)."""


WEIDMANN_FREE_SPEED = Normal(dist="normal", mean=1.34, sd=0.26, min=0.56, max=2.12)
"""Weidmann (1993): level walking, mean 1.34 m/s, SD 0.26, truncated at ±3 SD."""


class Population(StrictModel):
    """The occupants: where they are, how fast they walk, how long they take to start."""

    occupants: list[Occupancy] = Field(min_length=1, max_length=100_000)
    """Counts per zone."""
    premovement_s: Distribution
    """Delay from a person's first cue to the moment they start moving, seconds."""
    free_speed_m_s: Annotated[Distribution, AfterValidator(within(0.0, MAX_SPEED_M_S, "m/s"))] = \
        WEIDMANN_FREE_SPEED
    """Unimpeded walking speed on the level, m/s (default Weidmann 1993); its values and
    bounds lie between 0 and 10 m/s."""
    familiarity_share: float = Field(default=0.0, ge=0.0, le=1.0)
    """Share of occupants who head for the entrance they came in by (Sime's affiliation)."""
    exit_choice: Literal["quickest", "nearest"] = "quickest"
    """How people pick their way out: `quickest`, the least expected time (walking, queueing,
    hazards; people leave long queues for better ones); or `nearest`, the shortest walk to
    safety whatever the queues, as RiMEA test 9 and hand calculations assign people. Both
    avoid the threat and untenable smoke (docs/model.md, exit choice)."""
