"""The venue's response: here, when the alarm sounds (DESIGN.md 3.5).

The alarm is the first cue for everybody not cued earlier; pre-movement starts from it.
"""

from __future__ import annotations

from .base import StrictModel
from .distributions import Constant, Distribution

__all__ = ["Response"]


class Response(StrictModel):
    """How and when the venue reacts to the incident."""

    alarm_delay_s: Distribution | None = Constant(dist="constant", value=0.0)
    """Time from t = 0 to the venue-wide alarm; null: no alarm unless an action orders one."""
