"""How people respond to the threat cue: run, hide or freeze (docs/model.md, run, hide or freeze).

The structure follows the run-hide literature and active-threat agent models: people who
perceive an attack run, hide or freeze, the choice depends on how directly they perceive it
(the attack in their own space, next door, or only an alarm or announcement) and on staff
directions, and freezing is a pause after which people decide again (Lu, Wen, Li & Chen 2021,
an agent model calibrated on the 2012 Aurora cinema attack; Briggs & Kennedy 2016; the UK's
Run, Hide, Tell guidance; FBI active-shooter incident reports 2000-2013). None of those
sources gives shares for a concert hall: every default value here is a modelling choice,
unverified, for analysts to vary in `uncertain` (`population.threat_response.threat_here.hide`).
Protective use only: this is what people do to protect themselves, nothing about the threat.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from .base import StrictModel
from .distributions import Distribution, Uniform

__all__ = ["MAX_DECISIONS", "ResponseShares", "ThreatResponse"]


class ResponseShares(StrictModel):
    """The shares of people who hide or freeze on one kind of cue; the rest run.

    Only `hide` and `freeze` are given, so that each can be varied on its own in `uncertain`
    and the three shares still sum to 1.
    """

    hide: float = Field(ge=0.0, le=1.0)
    """Share who go to a reachable hiding place with room and stay there."""
    freeze: float = Field(default=0.0, ge=0.0, le=1.0)
    """Share who stay where they are for `freeze_s`, then decide again."""

    @model_validator(mode="after")
    def _at_most_one(self):
        if self.hide + self.freeze > 1.0 + 1e-9:
            raise ValueError(f"hide + freeze must be at most 1 (got {self.hide + self.freeze:g}); "
                             "the rest run")
        return self

    @property
    def run(self) -> float:
        """The share who run (evacuate)."""
        return max(0.0, 1.0 - self.hide - self.freeze)


class ThreatResponse(StrictModel):
    """Each person's response to the threat cue, drawn when their pre-movement ends.

    Unset (the default), everybody runs, as before. It applies only with a threat in the
    incident: a fire alone makes nobody hide.
    """

    threat_here: ResponseShares = ResponseShares(hide=0.2, freeze=0.1)
    """The threat is in their own zone. Most run: hiding places are rarely at hand in the
    space under attack (modelling choice, unverified; Lu et al. 2021 fit a share of people
    who stay in a cinema hall, no value for a concert hall)."""
    threat_next_door: ResponseShares = ResponseShares(hide=0.3, freeze=0.1)
    """The threat is in a neighbouring zone (heard, not seen): more hide, as at Crocus City
    Hall, where people hid in toilets, utility rooms and on a stair (unverified)."""
    alarm_only: ResponseShares = ResponseShares(hide=0.1, freeze=0.05)
    """Only an alarm, an announcement or an order reached them (unverified)."""
    staff_directed: ResponseShares | None = None
    """Once an evacuation order has been given (staff direct people out), instead of
    `threat_next_door` and `alarm_only`: wherever the threat is not in their own zone.
    Unset: those (unverified; Run, Hide, Tell: run where there is a safe route)."""
    freeze_s: Distribution = Uniform(dist="uniform", low=10.0, high=60.0)
    """How long a freeze lasts before the person decides again, seconds (modelling choice,
    unverified: freezing is short-lived in accounts of attacks, Briggs & Kennedy 2016)."""
    freeze_fades: float = Field(default=0.5, ge=0.0, le=1.0)
    """Each decision after a freeze multiplies the freeze share by this (the rest shared
    between running and hiding as configured): the longer since the cue, the fewer freeze
    (modelling choice, unverified). After `MAX_DECISIONS` decisions everybody left runs."""
    leave_delay_s: Distribution = Uniform(dist="uniform", low=30.0, high=300.0)
    """Time from a cue to leave (all-clear, police containment, staff, smoke in their
    hiding place) to coming out, seconds: people who hid wait to be sure (unverified)."""
    hidden_harm_factor: float = Field(default=0.5, ge=0.0, le=1.0)
    """Multiplies the harm rate for hidden people when the threat is in their hiding place
    (not found by it at once, behind a door). 0: fully protected, 1: no protection (a
    modelling choice, unverified: no published value was found)."""


MAX_DECISIONS = 4
"""Decisions a person makes at most (the first and those after freezing); then they run."""
