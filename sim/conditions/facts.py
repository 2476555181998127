"""What a condition or a live value can read: the model's state and the decisions so far.

Facts are built once per delivery from the model's public snapshot (`Simulation.state()`), the
venue's exits and the players' choices, so that a condition and the card the facilitator reads
see the very same numbers (docs/scenario-format.md, conditions and live values).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..scenario.times import format_scenario_time
from ..scenario.venue import OUTSIDE
from ..state import SimState

__all__ = ["Facts", "exits_of", "facts_of"]


@dataclass(frozen=True)
class Facts:
    """The model's state at one moment, the venue's exits and the decisions taken so far."""

    state: SimState
    choices: Mapping[str, str] = field(default_factory=dict)
    """The chosen option id per decided inject."""
    exits: tuple[str, ...] = ()
    """Openings that lead out of the building (outside, or into an escape stair that does)."""
    names: Mapping[str, str] = field(default_factory=dict)
    """Human names of zones and openings, by id (ids without a name are shown as they are)."""
    option_labels: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """Each decision option's label, by (inject id, option id)."""

    def name(self, ident: str) -> str:
        """The zone's or opening's name, else its id."""
        return self.names.get(ident, ident)

    def inside(self, zone: str | None = None) -> int:
        """People still in the building (or the zone) and not harmed, sheltering ones included."""
        return self.leaving(zone) + self.sheltering(zone)

    def leaving(self, zone: str | None = None) -> int:
        """People still in the building (or the zone) who are not sheltering."""
        state = self.state
        return state.inside if zone is None else state.zones.get(zone, 0)

    def sheltering(self, zone: str | None = None) -> int:
        """People sheltering or hiding in the building (or the zone)."""
        state = self.state
        return state.sheltered if zone is None else state.sheltering.get(zone, 0)

    def harmed(self, cause: str | None = None) -> int:
        """People harmed, in all or by one cause (`threat`, `smoke`)."""
        return self.state.harmed if cause is None else self.state.harmed_by.get(cause, 0)

    def exits_in(self, *states: str) -> list[str]:
        """The exits whose state is one of `states`, in the venue's order."""
        return [e for e in self.exits if self.state.openings.get(e) in states]

    def clock(self, t: float | None) -> str:
        """A scenario time as the MSEL writes it, to the second; "not yet" for None."""
        return "not yet" if t is None else format_scenario_time(round(t))


def exits_of(venue: Any) -> tuple[str, ...]:
    """Openings out of the building: to outside (or a safe zone), or into a stair that leads out."""
    safe = {OUTSIDE} | {z.id for z in venue.zones if z.is_safe}
    stairs_out = {z.id for z in venue.zones if z.kind == "stair"
                  and any(z.id in o.between and set(o.between) & safe for o in venue.openings)}
    return tuple(o.id for o in venue.openings
                 if set(o.between) & safe or (set(o.between) & stairs_out and not all(
                     b in stairs_out for b in o.between)))


def facts_of(sim: Any, choices: Mapping[str, str]) -> Facts:
    """The facts of a running `Simulation` now, with the decisions chosen so far."""
    scenario = sim.scenario
    venue = scenario.venue
    names = {z.id: z.name for z in venue.zones if z.name}
    names |= {o.id: o.name for o in venue.openings if o.name}
    labels = {(i.id, o.id): o.label for i in scenario.injects if i.decision for o in i.decision.options}
    return Facts(state=sim.state(), choices=dict(choices), exits=exits_of(venue), names=names,
                 option_labels=labels)
