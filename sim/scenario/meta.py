"""What a scenario is, where its facts come from, and when its clock starts."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, PositiveFloat

from .base import StrictModel
from .limits import MAX_HORIZON_S

__all__ = ["Meta"]


class Meta(StrictModel):
    """Name, description, sources and clock of a scenario."""

    name: str = Field(min_length=1, max_length=200)
    """Short title shown in displays and reports."""
    description: str = ""
    """What the scenario represents and what it is for."""
    start_time: datetime | None = None
    """Wall-clock time of t = 0, so displays can show real times of day."""
    horizon_s: PositiveFloat = Field(default=3600.0, le=MAX_HORIZON_S)
    """The simulation stops here if people are still inside."""
    sources: list[str] = Field(default_factory=list)
    """Where the scenario's facts and parameters come from."""
