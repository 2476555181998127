"""The venue as the smoke sees it: each zone's volume and elevations, each opening's vent.

Kept apart from `smoke_spread.py` (the physics, on plain ids and numbers) and `smoke.py`
(the processes), so the geometry rules are in one place (docs/model.md, fire, smoke and
tenability).
"""

from __future__ import annotations

from collections.abc import Iterable

from .doors import Door
from .fire import DOOR_LEAKAGE_M2_PER_M2, DOORWAY_HEIGHT_M
from .smoke_spread import Place, Vent
from .zones import ZoneState

__all__ = ["STOREY_HEIGHT_M", "places", "vents"]

STOREY_HEIGHT_M = 3.5
"""m. Floor-to-floor height assumed for a zone without `elevation_m` (a modelling choice)."""


def _elevation(zone: ZoneState) -> float:
    spec = zone.spec
    assert spec is not None
    return spec.elevation_m if spec.elevation_m is not None else spec.floor * STOREY_HEIGHT_M


def _ceiling(zone: ZoneState) -> float:
    """A zone's ceiling; a stair core's enclosure is one storey of `height_m` per floor it serves."""
    spec = zone.spec
    assert spec is not None
    storeys = 1 if spec.top_floor is None else spec.top_floor - spec.floor + 1
    return _elevation(zone) + storeys * spec.height_m


def places(zones: Iterable[ZoneState]) -> dict[str, Place]:
    """Every zone inside the venue as a `Place`."""
    out = {}
    for z in zones:
        if z.is_safe or z.spec is None:
            continue
        volume = z.spec.smoke_volume
        out[z.id] = Place(z.area_m2, _elevation(z), _ceiling(z),
                          z.id if volume is None else f"volume:{volume}")
    return out


def _sill(door: Door, zone: ZoneState) -> float:
    """Elevation of an opening's sill seen from `zone`.

    The floor of a level zone it joins on its floor, else the stair's own floor it is on.
    """
    level = [z for z in door.sides if not z.is_safe and not z.is_stair and z.spec is not None
             and z.spec.floor == door.floor]
    if level:
        return max(_elevation(z) for z in level)
    spec = zone.spec
    assert spec is not None
    if zone.is_stair and spec.top_floor is not None:
        return _elevation(zone) + (door.floor - spec.floor) * spec.height_m
    return _elevation(zone) + (door.floor - spec.floor) * STOREY_HEIGHT_M


def vents(doors: Iterable[Door]) -> list[Vent]:
    """Every opening between two inside zones as a `Vent`, open or shut as it is now."""
    out = []
    for door in doors:
        a, b = door.sides
        if a.is_safe or b.is_safe:
            continue
        leak = door.spec.leakage_m2
        if leak is None:
            leak = DOOR_LEAKAGE_M2_PER_M2 * door.spec.width_m * DOORWAY_HEIGHT_M
        width = door.spec.width_m if door.state == "open" else 0.0
        out.append(Vent(a.id, b.id, width, leak, _sill(door, a), _sill(door, b)))
    return out
