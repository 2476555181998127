"""The incident's milestones as a run records them: each one's first time (`metrics.MILESTONES`)."""

from __future__ import annotations

from .metrics import MILESTONES

__all__ = ["Milestones"]


class Milestones:
    """When each milestone first came, or None; the parts mark them, the result reads them."""

    def __init__(self) -> None:
        self._times: dict[str, float | None] = {m.name: None for m in MILESTONES}

    def mark(self, name: str, t: float) -> bool:
        """Record `name` at `t` if it has not come yet; True if this was the first time."""
        if self._times[name] is not None:
            return False
        self._times[name] = t
        return True

    def __getitem__(self, name: str) -> float | None:
        return self._times[name]

    def reached(self, name: str) -> bool:
        """Whether `name` has come."""
        return self._times[name] is not None

    def as_dict(self) -> dict[str, float | None]:
        """Every milestone's time, in `metrics.MILESTONES` order (None: never came)."""
        return dict(self._times)
