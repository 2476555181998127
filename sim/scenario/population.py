"""Who is in the venue at t = 0 and how they move: counts per zone, speeds, pre-movement.

Pre-movement has no default on purpose: the published design values for assembly buildings
(PD 7974-6, Forssberg et al. 2019) depend on the occupancy and the alarm, and the values at
hand are unverified, so each scenario states its own with its source.

A group of occupants may carry its own walking speed and pre-movement (RiMEA's age groups,
a school party, wheelchair users); the rest fall back to the population's. `scale` multiplies
every group's count ("what if 50 % more people?").
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from .base import Identifier, StrictModel
from .distributions import Distribution, Normal, Uniform, within
from .limits import MAX_FACTOR, MAX_OCCUPANTS, MAX_SPEED_M_S
from .threat_response import ThreatResponse
from .venue import Coordinate

__all__ = ["Occupancy", "Population", "RouteInertia", "SpeedDistribution", "scaled_count"]

SpeedDistribution = Annotated[Distribution, AfterValidator(within(0.0, MAX_SPEED_M_S, "m/s"))]
"""A walking speed's distribution: its values and bounds lie between 0 and 10 m/s."""

ShareDistribution = Annotated[Distribution, AfterValidator(within(0.0, 0.95, "(a share)"))]
"""A share's distribution: its values and bounds lie between 0 and 0.95 (draws are clipped there)."""


class Occupancy(StrictModel):
    """A number of people in one zone at t = 0, placed uniformly at random in it."""

    zone: Identifier
    """The zone they are in."""
    count: int = Field(ge=0, le=MAX_OCCUPANTS)
    """How many."""
    entrance: Identifier | None = None
    """The opening they came in by; the familiar share of them (`familiarity_share`) head back
    to it. For an escape route a plan assigns, use `assigned_exit`."""
    assigned_exit: Identifier | None = None
    """The exit their evacuation plan assigns them: an opening to the outside. Every one of
    them heads for it by the shortest way, whatever the queues and even where another exit is
    nearer (RiMEA test 10), through other zones if need be; once it is unusable (known to be
    shut, or cut off by the threat or untenable smoke) they follow the crowd's route choice
    from where they are. Overrides `entrance`; `familiarity_share` does not apply."""
    at_m: tuple[Coordinate, Coordinate] | None = None
    """Start them all at this point instead of uniformly over the zone (verification cases)."""
    id: Identifier | None = None
    """Names the group; needed if it has its own distributions, whose draws come from a stream
    keyed by this name, so adding, removing or reordering other groups leaves them unchanged."""
    free_speed_m_s: SpeedDistribution | None = None
    """This group's own walking speed on the level, m/s (unset: the population's)."""
    premovement_s: Distribution | None = None
    """This group's own pre-movement time, seconds (unset: the population's)."""
    arrives_s: Distribution | None = None
    """When each of them arrives in `zone`, seconds after t = 0, drawn per person: people
    coming in late, a train or bus arriving into the incident. They are not at the venue before
    (nothing harms or counts them inside), and their pre-movement runs from their arrival or
    their zone's first cue, whichever is later. Unset: there at t = 0. Needs the group's `id`."""
    stair_speed_factor: float = Field(default=1.0, gt=0.0, le=1.0)
    """Multiplies this group's own speed on stairs: people with impaired mobility are much
    slower on stairs than on the level (Boyce, Shields & Silcock 1999, Fire Technology 35:
    descending, about 0.33 m/s with a locomotion impairment and no aid against 0.70 m/s
    without one, so about 0.5; unverified). A crowd's speed still caps it."""

    @model_validator(mode="after")
    def _named_if_own(self):
        if self.id is None and (self.free_speed_m_s is not None or self.premovement_s is not None
                                or self.arrives_s is not None):
            raise ValueError("a group with its own free_speed_m_s, premovement_s or arrives_s needs "
                             "an id (its draws come from a stream keyed by it)")
        return self


def scaled_count(count: int, scale: float) -> int:
    """A group's count times `scale`, rounded to the nearest whole person, halves up.

    Each group is rounded on its own, so the total may differ from the written total times
    `scale` by up to half a person per group; at scale 1 every count is exactly as written.
    """
    return count if scale == 1.0 else math.floor(count * scale + 0.5)


WEIDMANN_FREE_SPEED = Normal(dist="normal", mean=1.34, sd=0.26, min=0.56, max=2.12)
"""Weidmann (1993): level walking, mean 1.34 m/s, SD 0.26, truncated at ±3 SD."""


class RouteInertia(StrictModel):
    """How much better another way must look before people leave the way they are on.

    People head for the nearest way out and keep to it; they change when a queue is visibly
    long and another way is clearly better (Kinateder et al. 2018, exit-choice review; Haghani
    & Sarvi 2019, decision changing driven by queue-size imbalance), and people differ in how
    readily they do (Lovreglio et al. 2016: exit-choice preferences vary widely between people).
    Another way is taken only if it promises to get them out both `margin_s` sooner and, by
    each person's own drawn share `faster_by`, sooner.
    """

    margin_s: float = Field(default=30.0, ge=0.0, le=3600.0)
    """Seconds another way must save, at least (a modelling choice; unverified)."""
    faster_by: ShareDistribution = Uniform(dist="uniform", low=0.1, high=0.7)
    """Each person's share of the expected time another way must save: 0.3 takes another way
    only if it takes under 70 % of the time of their own. Drawn per person, so some switch
    readily and others hardly ever (a modelling choice, unverified: vary it in `uncertain`).
    A constant 0 with `margin_s: 0` gives everyone perfect information and no inertia."""


class Population(StrictModel):
    """The occupants: where they are, how fast they walk, how long they take to start."""

    occupants: list[Occupancy] = Field(min_length=1, max_length=100_000)
    """Counts per zone."""
    premovement_s: Distribution
    """Delay from a person's first cue to the moment they start moving, seconds."""
    free_speed_m_s: SpeedDistribution = WEIDMANN_FREE_SPEED
    """Unimpeded walking speed on the level, m/s (default Weidmann 1993); its values and
    bounds lie between 0 and 10 m/s."""
    familiarity_share: float = Field(default=0.0, ge=0.0, le=1.0)
    """Share of occupants who head for the entrance they came in by (Sime's affiliation)."""
    exit_choice: Literal["quickest", "nearest"] = "quickest"
    """How people pick their way out: `quickest`, the least expected time (walking, queueing,
    hazards; people leave long queues for better ones); or `nearest`, the shortest walk to
    safety whatever the queues, as RiMEA test 9 and hand calculations assign people. Both
    avoid the threat and untenable smoke (docs/model.md, exit choice)."""
    route_inertia: RouteInertia = RouteInertia()
    """With `exit_choice: quickest`: how much better another way must look before people take it
    instead of the nearest, or leave the queue they are in (docs/model.md, exit choice)."""
    threat_response: ThreatResponse | None = None
    """How people respond to the threat cue: run, hide or freeze (docs/model.md, run, hide or
    freeze). Unset: everybody runs."""
    scale: float = Field(default=1.0, gt=0.0, le=MAX_FACTOR)
    """Multiplies every group's count ("50 % more people": 1.5); each scaled count is rounded to
    the nearest whole person, halves up. Density and occupant limits apply to the scaled counts.
    A protocol that gives it replaces the file's factor."""

    @property
    def counts(self) -> list[int]:
        """Each group's count after `scale`, in the order of `occupants`."""
        return [scaled_count(g.count, self.scale) for g in self.occupants]
