"""The intelligence-warning flow and the venue's security posture (docs/model.md, warning flow).

Agencies pass a warning along channels before the event. Each recipient judges it: the
probability of acting grows with the warning's specificity and its source's reliability,
falls with the trust between sender and recipient and, "cry wolf" (Breznitz 1984: one false
alarm roughly halved the response to the next), with each earlier false alarm the recipient
remembers. Acting agencies raise the venue's security posture; each posture level changes
the scenario's parameters (entrance screening, police on standby, briefed staff, ...).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from .base import Identifier, StrictModel
from .distributions import Constant, Distribution
from .limits import MAX_HORIZON_S, MAX_LEAD_S
from .times import ScenarioTime

__all__ = ["Agency", "Channel", "Intel", "PostureLevel", "Warning"]

ZERO = Constant(dist="constant", value=0.0)


class Agency(StrictModel):
    """A node of the warning chain: a foreign partner, a national service, the police, the venue."""

    id: Identifier
    """Unique id, used by channels and warnings."""
    name: str | None = None
    """Human-readable name."""
    role: Literal["foreign_partner", "national_service", "police", "venue_security", "other"] = "other"
    """What it is; `venue_security` marks the venue (its receipt is 'warning at the venue')."""
    receptiveness: float = Field(default=1.0, ge=0.0, le=1.0)
    """Its baseline willingness to act on a warning it fully believes (1 = always)."""
    false_alarms: int = Field(default=0, ge=0, le=100)
    """Earlier warnings it remembers as false alarms ("cry wolf")."""
    cry_wolf_factor: float = Field(default=0.5, ge=0.0, le=1.0)
    """Each remembered false alarm multiplies the chance of acting by this (Breznitz 1984: ~0.5)."""
    act_probability: float | None = Field(default=None, ge=0.0, le=1.0)
    """Fixes the chance of acting, overriding the formula (e.g. a protocol 'warning heeded': 1)."""
    decision_delay_s: Distribution = ZERO
    """From receiving the warning to acting on it (and forwarding it)."""
    forward_if_acted: float = Field(default=1.0, ge=0.0, le=1.0)
    """Chance it passes the warning on when it acted on it."""
    forward_if_not: float = Field(default=0.0, ge=0.0, le=1.0)
    """Chance it passes the warning on anyway when it did not act."""
    raises_posture_to: int = Field(default=0, ge=0, le=10)
    """The venue posture level its acting brings about (0: none)."""
    posture_lasts_s: float | None = Field(default=None, gt=0, le=MAX_LEAD_S + MAX_HORIZON_S)
    """How long the raised posture holds before vigilance lapses; unset: until the event."""


class Channel(StrictModel):
    """A link along which one agency passes a warning to another."""

    id: Identifier
    """Unique id."""
    sender: Identifier = Field(alias="from")
    """The agency passing the warning."""
    to: Identifier
    """The agency receiving it."""
    delay_s: Distribution = ZERO
    """Transmission delay."""
    loss_probability: float = Field(default=0.0, ge=0.0, le=1.0)
    """Chance the warning never arrives (lost, ignored in an inbox, withheld)."""
    trust: float = Field(default=1.0, ge=0.0, le=1.0)
    """How much the recipient trusts this sender (1 trusted partner, lower for a distrusted one)."""


class Warning(StrictModel):
    """A warning issued by an agency before the event."""

    id: Identifier
    """Unique id."""
    origin: Identifier
    """The agency that issues it."""
    issued: ScenarioTime = Field(le=0.0, ge=-MAX_LEAD_S)
    """When, before the event: `T-14d`, `T-36h`, or seconds (negative)."""
    specificity: float = Field(ge=0.0, le=1.0)
    """How specific it is (1: names the venue and the day; near 0: 'large gatherings')."""
    reliability: float = Field(ge=0.0, le=1.0)
    """How reliable its source is judged to be."""
    text: str = ""
    """What it says, for the exercise."""


class PostureLevel(StrictModel):
    """A security posture level and what it changes in the scenario."""

    level: int = Field(ge=0, le=10)
    """0 is the normal posture; higher is more vigilant."""
    name: str = Field(min_length=1)
    """E.g. 'normal', 'heightened', 'high', 'cancel'."""
    description: str = ""
    """What the venue and the police do at this level."""
    overrides: dict[str, Any] = Field(default_factory=dict)
    """Deep-merge overrides of the scenario, as protocols give them (e.g. shorter detection,
    police travel, pre-movement; emergency exits open)."""
    attendance_share: float = Field(default=1.0, ge=0.0, le=1.0)
    """Share of the expected attendance admitted (a capped event)."""
    cancels_event: bool = False
    """The event is cancelled: nobody is at the venue at t = 0."""


class Intel(StrictModel):
    """The warning chain before the event."""

    agencies: list[Agency] = Field(min_length=1, max_length=200)
    """The agencies."""
    channels: list[Channel] = Field(default_factory=list, max_length=2000)
    """Who can pass a warning to whom."""
    warnings: list[Warning] = Field(min_length=1, max_length=100)
    """The warnings issued."""
    initial_posture: int = Field(default=0, ge=0, le=10)
    """The venue's posture before any warning."""
    fixed_posture: int | None = Field(default=None, ge=0, le=10)
    """A posture at t = 0 regardless of the warning flow (a protocol 'heightened posture')."""

    @model_validator(mode="after")
    def _unique_ids(self):
        groups = (("agency", self.agencies), ("channel", self.channels), ("warning", self.warnings))
        for what, items in groups:
            seen = set()
            for item in items:
                if item.id in seen:
                    raise ValueError(f"duplicate {what} id '{item.id}'")
                seen.add(item.id)
        return self
