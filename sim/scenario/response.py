"""The response: detection, alarm, announcement, evacuation strategy, police, fire service.

docs/model.md, response chain. Every delay is a distribution and every resulting time is a result. Times
chain: detection is measured from t = 0; the alarm from detection; the announcement from the
alarm; police and fire service dispatch from detection (of the incident, or of the fire).
Published response figures (NFPA 1710, the FBI and ALERRT active-threat studies, the
Crocus case file) are in the reference notes; each scenario cites what it uses.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, PositiveFloat, model_validator

from .base import Identifier, StrictModel
from .distributions import Constant, Distribution
from .limits import MAX_FACTOR, MAX_HORIZON_S

__all__ = ["Announcement", "FireService", "Police", "Response"]

ZERO = Constant(dist="constant", value=0.0)

AnnouncementQuality = Literal["clear", "poor"]


class Announcement(StrictModel):
    """A public-address announcement after the alarm (a cue; its quality changes pre-movement)."""

    after_alarm_s: Distribution = ZERO
    """Delay from the alarm to the announcement."""
    quality: AnnouncementQuality = "clear"
    """A clear voice message, or a poor one (inaudible, ambiguous, contradictory)."""


class Police(StrictModel):
    """Police units: a first patrol and a tactical team, dispatched after detection."""

    dispatch_after_detection_s: Distribution = ZERO
    """Call handling: from the first report to the units being sent."""
    patrol_travel_s: Distribution
    """From dispatch to the first patrol on site."""
    tactical_travel_s: Distribution | None = None
    """From dispatch to the tactical team on site; unset: there is none."""
    contained_by: Literal["patrol", "tactical"] = "tactical"
    """Which unit's arrival starts containment (a patrol if there is no tactical team)."""
    contain_after_arrival_s: Distribution
    """From that unit's arrival to the threat contained."""


class FireService(StrictModel):
    """Fire and rescue: dispatched when the fire is reported, it stops the fire growing."""

    dispatch_after_detection_s: Distribution = ZERO
    """From the fire's first report (the later of the fire's start and detection) to dispatch."""
    travel_s: Distribution
    """From dispatch to the first crews on site (NFPA 1710: first engine within 240 s, 90 %)."""
    suppress_after_arrival_s: Distribution
    """From arrival to the fire stopped growing (smoke stops getting worse)."""


class Response(StrictModel):
    """How and when the venue and the authorities react to the incident."""

    detection_s: Distribution = ZERO
    """From t = 0 to the first report reaching the venue's control room and the authorities."""
    alarm_decision_s: Distribution | None = ZERO
    """From detection to the venue-wide alarm; null: no alarm unless an action orders one."""
    announcement: Announcement | None = None
    """A public announcement after the alarm; unset: none unless an action makes one."""
    premovement_factor: dict[AnnouncementQuality, Annotated[float, Field(gt=0, le=MAX_FACTOR)]] = Field(
        default_factory=lambda: {"clear": 1.0, "poor": 1.0}  # type: ignore[arg-type]
    )
    """Multiplies the pre-movement still to come of people who hear an announcement of that
    quality (voice messages shorten it, but no verified value is at hand: 1.0, the default,
    means no effect)."""
    strategy: Literal["simultaneous", "staged", "shelter"] = "simultaneous"
    """At the alarm: everybody evacuates; zones evacuate in `stages`; or lockable zones shelter
    and the others evacuate."""
    stages: list[list[Identifier]] = Field(default_factory=list)
    """For `staged`: the zones of each stage, first stage first (zones not listed go last)."""
    stage_interval_s: PositiveFloat = Field(default=60.0, le=MAX_HORIZON_S)
    """For `staged`: time between two stages' orders."""
    all_clear_after_containment_s: Distribution = ZERO
    """From containment to the all-clear that releases sheltering people."""
    police: Police | None = None
    """Police response; unset: none (the threat is never contained)."""
    fire_service: FireService | None = None
    """Fire service response; unset: none (a fire is never suppressed)."""

    @model_validator(mode="after")
    def _stages_for_staged(self):
        if self.strategy == "staged" and not self.stages:
            raise ValueError("strategy 'staged' needs stages: [[zone, ...], ...]")
        return self
