"""Smoke spread through the venue: when smoke reaches each zone and when it becomes untenable.

Once the fire zone's layer is down to the tenability height the zone is untenable and smoke
spills through its open openings into the neighbouring zones, each of which fills at the
volume flow of the fire's plume (`fire.plume_volume_flow_m3_s`), no more than the doorways
can pass (`fire.doorway_flow_m3_s`). Spreading over the zone graph is a shortest-path
(Dijkstra) computation on times, so the model needs no time stepping: a run asks for a
`ZoneSmoke` schedule once per fire and reads times from it (docs/model.md, threat and fire).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .fire import MIN_FILL_DEPTH_M, doorway_flow_m3_s, fire_zone_filling_s, hrr_kw, plume_volume_flow_m3_s

__all__ = ["ZoneSmoke", "smoke_schedule"]


@dataclass(frozen=True)
class ZoneSmoke:
    """When smoke reaches a zone and when the zone becomes untenable (simulation seconds)."""

    arrival_s: float
    """Smoke starts entering (the fire zone: ignition)."""
    untenable_s: float
    """The layer is down to the tenability height; the zone's openings become unusable."""


def _growing_fill_s(
    volume_m3: float, alpha: float, t_since_ignition: float, max_hrr_kw: float, h: float
) -> float:
    """Seconds for the growing plume to deliver `volume_m3`, starting `t_since_ignition` after ignition.

    Used only when the fire has no heat release yet at the moment a zone starts spilling (a
    scenario that declares the fire zone untenable at ignition), where the spill-moment
    flow of the main rule would be zero and the smoke would never spread. Integrates the
    plume flow of the growing fire numerically (Simpson) and bisects on the fill time.
    """

    def delivered(d: float) -> float:
        n = 256
        step = d / n
        total = 0.0
        for i in range(n + 1):
            w = 1 if i in (0, n) else (4 if i % 2 else 2)
            q = hrr_kw(alpha, t_since_ignition + i * step, max_hrr_kw)
            total += w * plume_volume_flow_m3_s(q, h)
        return total * step / 3.0

    hi = 1.0
    while delivered(hi) < volume_m3:
        hi *= 2.0
        if hi > 1e9:
            return math.inf
    lo = 0.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if delivered(mid) < volume_m3:
            lo = mid
        else:
            hi = mid
    return hi


def smoke_schedule(
    *,
    fire_zone: str,
    ignition_s: float,
    alpha: float,
    max_hrr_kw: float,
    zones: Mapping[str, tuple[float, float]],
    links: Mapping[str, Iterable[str]],
    tenability_height_m: float,
    fire_zone_untenable_after_s: float | None = None,
    vents: Mapping[frozenset, float] | None = None,
) -> dict[str, ZoneSmoke]:
    """When smoke reaches each zone and when each becomes untenable.

    Rules (docs/model.md, threat and fire: "smoke reaches connected zones after delays that grow with their
    volume"):

    * The fire zone: smoke arrives at ignition; untenable at ignition +
      `fire_zone_untenable_after_s` if the scenario sets it, else + `fire_zone_filling_s`.
    * A zone spills into each neighbour when it becomes untenable (the layer is down to
      door height), so the neighbour's smoke arrives then.
    * The neighbour then fills in V / F seconds: V = area × max(height − tenability height,
      0.5 m) is the smoke volume above the tenability height, F the plume volume flow
      (`plume_volume_flow_m3_s`) at the heat release rate at the moment spilling starts,
      with the fire zone's ceiling height as plume height. Taking the flow at the start of
      spilling ignores further growth, which makes distant zones somewhat slower to fill.
      If the fire has no heat release yet at that moment (fire zone declared untenable at
      ignition), the growing plume's delivered volume is integrated instead.
    * A zone reachable several ways takes the earliest untenable time among them, and its
      arrival is the earliest time any neighbour spills into it. Because each zone's
      untenable time is at least its spill start, Dijkstra keyed on untenable time
      settles every zone correctly.

    The zones are treated as independent boxes: a zone filling from two neighbours at once
    fills no faster, and smoke lost to leakage or to safe areas is ignored.

    Args:
        fire_zone: Id of the zone where the fire starts (must be in `zones`).
        ignition_s: Ignition time, simulation seconds.
        alpha: Growth coefficient, kW/s².
        max_hrr_kw: Plateau heat release rate, kW.
        zones: Non-safe zones only: id → (floor area m², ceiling height m).
        links: id → neighbouring zone ids through openings. Treated as undirected (smoke
            flows both ways through an opening); ids not in `zones` are ignored.
        tenability_height_m: Layer height at which a zone becomes untenable, m.
        fire_zone_untenable_after_s: Scenario-set time from ignition to the fire zone
            being untenable; None: computed.
        vents: Open width (m) between each pair of zones, keyed by frozenset of the two ids;
            the smoke flow into a neighbour is at most `doorway_flow_m3_s` of it, and a pair
            with no open width passes no smoke. None: openings do not limit the flow.

    Returns:
        Zone id → `ZoneSmoke`, for the zones smoke reaches (unconnected zones are absent).
    """
    if fire_zone not in zones:
        raise KeyError(f"fire zone {fire_zone!r} is not a non-safe zone")
    neighbours: dict[str, set[str]] = {z: set() for z in zones}
    for a, bs in links.items():
        if a not in zones:
            continue
        for b in bs:
            if b in zones and b != a:
                neighbours[a].add(b)
                neighbours[b].add(a)

    ignition_s = float(ignition_s)
    fire_area, fire_h = zones[fire_zone]
    if fire_zone_untenable_after_s is None:
        first = fire_zone_filling_s(alpha, fire_area, fire_h, tenability_height_m)
    else:
        first = max(float(fire_zone_untenable_after_s), 0.0)

    def fill_s(zone: str, spill_s: float, source: str) -> float:
        area, h = zones[zone]
        volume = area * max(h - tenability_height_m, MIN_FILL_DEPTH_M)
        since = spill_s - ignition_s
        flow = plume_volume_flow_m3_s(hrr_kw(alpha, since, max_hrr_kw), fire_h)
        if vents is not None:
            flow = min(flow, doorway_flow_m3_s(vents.get(frozenset((source, zone)), 0.0)))
        if flow > 0.0:
            return volume / flow
        if vents is not None and not vents.get(frozenset((source, zone))):
            return math.inf
        return _growing_fill_s(volume, alpha, since, max_hrr_kw, fire_h)

    result: dict[str, ZoneSmoke] = {}
    best: dict[str, tuple[float, float]] = {fire_zone: (ignition_s + first, ignition_s)}
    heap: list[tuple[float, str]] = [(ignition_s + first, fire_zone)]
    while heap:
        untenable, zone = heapq.heappop(heap)
        if zone in result or untenable > best[zone][0]:
            continue
        arrival = best[zone][1]
        if zone != fire_zone:
            # Earliest spill into the zone among neighbours already settled: any not yet
            # settled becomes untenable no earlier than this zone, so cannot spill sooner.
            arrival = min(result[n].untenable_s for n in neighbours[zone] if n in result)
        result[zone] = ZoneSmoke(arrival_s=arrival, untenable_s=untenable)
        if math.isinf(untenable):
            continue
        for n in neighbours[zone]:
            if n in result:
                continue
            candidate = untenable + fill_s(n, untenable, zone)
            if n not in best or candidate < best[n][0]:
                best[n] = (candidate, untenable)
                heapq.heappush(heap, (candidate, n))
    return result
