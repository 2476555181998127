"""Before the event: the venue's security posture and what was decided in the weeks before t = 0.

The warning flow (`warning_flow.py`) may raise the posture; actions before the event may
raise it too, set openings open or locked, put units on standby or cancel the event. At
t = 0 the posture is settled and the scenario runs with that level's overrides.
"""

from __future__ import annotations

from typing import Protocol

from .scenario import Scenario
from .scenario.intel import PostureLevel

__all__ = ["PreEvent"]


class _Warnings(Protocol):
    def posture_at(self, t: float) -> int: ...


class PreEvent:
    """What is settled before t = 0: posture, openings' states, units on standby, cancellation."""

    def __init__(self, scenario: Scenario, warnings: _Warnings | None):
        self.scenario = scenario
        self.warnings = warnings
        self.floor = 0
        """The lowest posture level actions have asked for."""
        self.doors: dict[str, str] = {}
        """Openings set open or locked before the event, by id."""
        self.standby: list[str] = []
        """Units put on standby (dispatched at t = 0)."""
        self.cancelled = False
        """An action cancelled the event."""

    def level(self, number: int) -> PostureLevel | None:
        """The scenario's posture level with this number (None: level 0 or not defined)."""
        return next((p for p in self.scenario.posture_levels if p.level == number), None)

    def known_levels(self) -> list[int]:
        """The posture levels an action may raise to."""
        return sorted({p.level for p in self.scenario.posture_levels} | {0})

    def raise_to(self, number: int) -> None:
        """Raise the posture floor (an action before the event)."""
        self.floor = max(self.floor, number)

    def posture_at_start(self) -> int:
        """The posture at t = 0: fixed by the scenario, or as the warning flow left it, at least the floor."""
        intel = self.scenario.intel
        if intel is not None and intel.fixed_posture is not None:
            return max(intel.fixed_posture, self.floor)
        flow = self.warnings.posture_at(0.0) if self.warnings is not None else 0
        return max(flow, self.floor)

    def cancels(self, posture: int) -> bool:
        """Whether the event does not take place (an action, or the posture level, cancelled it)."""
        level = self.level(posture)
        return self.cancelled or bool(level and level.cancels_event)

    def event_scenario(self, posture: int) -> Scenario:
        """The scenario with the posture level's effects (and a cancelled or capped attendance)."""
        level = self.level(posture)
        scenario = self.scenario
        if level is not None and level.overrides:
            scenario = scenario.with_overrides(level.overrides)
        share = 0.0 if self.cancels(posture) else (level.attendance_share if level else 1.0)
        if share < 1.0:
            groups = [g.model_dump(mode="json", exclude_unset=True) | {"count": int(g.count * share)}
                      for g in scenario.population.occupants]
            scenario = scenario.with_overrides({"population": {"occupants": groups}})
        return scenario
