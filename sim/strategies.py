"""Evacuation strategies: what the venue alarm sets going (docs/model.md, response chain).

A strategy is a small class with one method, chosen by the scenario's `response.strategy`;
a new strategy is a new class in `STRATEGIES`, not another branch in the simulation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

if TYPE_CHECKING:
    from .orders import Orders

__all__ = ["STRATEGIES", "EvacuationStrategy", "ShelterLockable", "Simultaneous", "Staged"]


class EvacuationStrategy(Protocol):
    """What happens to the crowd when the alarm sounds."""

    name: ClassVar[str]

    def on_alarm(self, orders: Orders, detail: str) -> None:
        """Give the orders that the alarm sets going."""
        ...


class Simultaneous:
    """Everybody evacuates at once."""

    name: ClassVar[str] = "simultaneous"

    def on_alarm(self, orders: Orders, detail: str) -> None:
        """Order the whole venue out."""
        orders.order_evacuation(None, detail)


class Staged:
    """Zones are ordered out stage by stage; zones no stage lists go last."""

    name: ClassVar[str] = "staged"

    def on_alarm(self, orders: Orders, detail: str) -> None:
        """Start the staged orders (`Orders.stage_evacuation`)."""
        spec = orders.spec
        listed = [[orders.zone_by_id[z] for z in stage] for stage in spec.stages]
        rest = [z for z in orders.zones if not z.is_safe and not any(z in s for s in listed)]
        stages = listed + ([rest] if rest else [])
        orders.env.process(orders.stage_evacuation(stages, spec.stage_interval_s))


class ShelterLockable:
    """People in lockable zones shelter; everybody else evacuates."""

    name: ClassVar[str] = "shelter"

    def on_alarm(self, orders: Orders, detail: str) -> None:
        """Shelter in lockable zones, evacuate the others."""
        orders.order_shelter(None)
        orders.order_evacuation(
            [z for z in orders.zones if not z.is_safe and not (z.spec and z.spec.lockable)], detail)


STRATEGIES: dict[str, type[EvacuationStrategy]] = {s.name: s for s in (Simultaneous, Staged, ShelterLockable)}
"""Each strategy by the name a scenario gives it."""
