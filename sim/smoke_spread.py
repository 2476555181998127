"""Smoke spread through the venue: when smoke reaches each zone and when it becomes untenable.

A zone model of smoke volumes (docs/model.md, fire, smoke and tenability). Each volume (a
zone, or several zones under one roof sharing `smoke_volume`) collects smoke under its
highest ceiling, and its smoke layer descends as it fills. Smoke passes from one volume into
a neighbour through an opening once the layer is below the opening's head: open openings
pass at most Kawagoe's doorway flow, shut ones their leakage, and none passes more than the
fires produce at that moment (the NFPA 92 plume of each burning fire). Because the layer
fills from the top, smoke that reaches a stair enclosure collects at its head and flows
into the upper floors long before the stair's foot is untenable: the buoyant rise.

Flows change with time (the fires grow, doors open and shut), so the volumes are stepped
forward in time: a few hundred steps per schedule, each crossing interpolated within its
step, which is exact while the flows are constant (a doorway- or leakage-limited fill).
`SmokeSpread.advance` brings the state to a moment (a door opened) and `schedule` works the
rest out from there.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .fire import (
    DOORWAY_HEIGHT_M,
    MIN_FILL_DEPTH_M,
    doorway_flow_m3_s,
    fire_zone_filling_s,
    hrr_kw,
    leakage_flow_m3_s,
    plume_volume_flow_m3_s,
)

__all__ = ["Place", "SmokeFire", "SmokeSpread", "SmokeState", "Vent", "ZoneSmoke", "smoke_schedule"]

HORIZON_S = 86_400.0
"""Seconds after the state's time beyond which a schedule stops: a zone not untenable by
then (a closed room filled only by leakage) is reported as never."""

REL_STEP = 0.02
"""Step as a share of the time since the first ignition: growth is fast early, slow later."""

STEP_RANGE_S = (0.25, 60.0)
"""Smallest and largest step, s."""


@dataclass(frozen=True)
class ZoneSmoke:
    """When smoke reaches a zone and when the zone becomes untenable (simulation seconds)."""

    arrival_s: float
    """Smoke starts entering (the fire zone: ignition)."""
    untenable_s: float
    """The layer is down to the tenability height; the zone's openings become unusable."""


@dataclass(frozen=True)
class Place:
    """A zone's geometry for smoke: its floor area, floor and ceiling elevations, and volume."""

    area_m2: float
    floor_m: float
    """Elevation of its floor above the ground floor, m."""
    ceiling_m: float
    """Elevation of its ceiling, m (for a stair: above its top landing)."""
    volume: str
    """The air volume it belongs to (its own id unless it shares one)."""


@dataclass(frozen=True)
class Vent:
    """One opening between two zones, as smoke sees it."""

    a: str
    b: str
    open_width_m: float
    """Open width now (0 when shut)."""
    leak_m2: float
    """Leakage area when shut, m²."""
    sill_a_m: float
    """Elevation of its sill on `a`'s side, m (a stair's opening is on its own floor)."""
    sill_b_m: float

    def flow_m3_s(self) -> float:
        """What it can pass: the doorway flow when open, its leakage when shut."""
        if self.open_width_m > 0.0:
            return doorway_flow_m3_s(self.open_width_m)
        return leakage_flow_m3_s(self.leak_m2)


@dataclass(frozen=True)
class SmokeFire:
    """One burning (or not yet burning) fire."""

    zone: str
    ignition_s: float
    alpha: float
    max_hrr_kw: float
    untenable_after_s: float | None = None
    """Time from ignition to its zone being untenable if the scenario sets it."""


@dataclass
class SmokeState:
    """Smoke in every volume at one moment, and the crossings already passed."""

    t: float
    smoke_m3: dict[str, float] = field(default_factory=dict)
    arrival: dict[str, float] = field(default_factory=dict)
    untenable: dict[str, float] = field(default_factory=dict)
    fired: set[int] = field(default_factory=set)
    """Indices of fires whose zone has been marked untenable by the fire itself."""

    def copy(self) -> SmokeState:
        """An independent copy."""
        return SmokeState(self.t, dict(self.smoke_m3), dict(self.arrival), dict(self.untenable),
                          set(self.fired))


class SmokeSpread:
    """The venue's smoke volumes and the stepping that fills them.

    Args:
        places: Non-safe zones only: id → `Place`.
        tenability_height_m: Layer height above a zone's floor at which it is untenable, m.
    """

    def __init__(self, places: Mapping[str, Place], tenability_height_m: float):
        self.places = dict(places)
        self.members: dict[str, list[str]] = {}
        for zid in sorted(self.places):
            self.members.setdefault(self.places[zid].volume, []).append(zid)
        self.capacity = {v: self._filled_at(v, -math.inf) for v in self.members}
        self.top = {v: max(self.places[z].ceiling_m for z in zs) for v, zs in self.members.items()}
        self.arrive_at: dict[str, float] = {}
        """Smoke in its volume when the layer reaches a zone's ceiling (it arrives there)."""
        self.untenable_at: dict[str, float] = {}
        """Smoke in its volume when the layer is down to a zone's tenability height."""
        for zid, p in self.places.items():
            ceiling = self._filled_at(p.volume, p.ceiling_m)
            self.arrive_at[zid] = ceiling
            need = max(self._filled_at(p.volume, p.floor_m + tenability_height_m),
                       ceiling + p.area_m2 * MIN_FILL_DEPTH_M)
            self.untenable_at[zid] = min(need, self.capacity[p.volume])
        self.tenability_height_m = tenability_height_m

    def _filled_at(self, volume: str, y: float) -> float:
        """Smoke volume when the layer's underside is at elevation y (the volume above y)."""
        return sum(p.area_m2 * max(0.0, p.ceiling_m - max(p.floor_m, y))
                   for p in (self.places[z] for z in self.members[volume]))

    def shared(self, zone: str) -> bool:
        """Whether the zone shares its volume with others."""
        return len(self.members[self.places[zone].volume]) > 1

    def plume_height_m(self, zone: str) -> float:
        """Plume height of a fire in the zone: to its volume's highest ceiling."""
        p = self.places[zone]
        return self.top[p.volume] - p.floor_m

    def fire_untenable_s(self, fire: SmokeFire) -> float:
        """Seconds from ignition until a single-zone fire volume is untenable (NFPA 92, or as set)."""
        if fire.untenable_after_s is not None:
            return max(float(fire.untenable_after_s), 0.0)
        p = self.places[fire.zone]
        return fire_zone_filling_s(fire.alpha, p.area_m2, p.ceiling_m - p.floor_m, self.tenability_height_m)

    # -- stepping --------------------------------------------------------------------------

    def start(self, t: float) -> SmokeState:
        """A clear venue at time t."""
        return SmokeState(t, {v: 0.0 for v in self.members})

    def schedule(self, state: SmokeState, vents: Iterable[Vent], fires: list[SmokeFire]
                 ) -> dict[str, ZoneSmoke]:
        """Every reached zone's arrival and untenable times, from `state` on with these vents and fires.

        Zones already reached keep their times; those not reached within `HORIZON_S` are absent.
        """
        end = self._run(state.copy(), list(vents), fires, state.t + HORIZON_S, settle=True)
        return {z: ZoneSmoke(end.arrival[z], end.untenable.get(z, math.inf)) for z in end.arrival}

    def advance(self, state: SmokeState, until: float, vents: Iterable[Vent], fires: list[SmokeFire]
                ) -> SmokeState:
        """The state at `until` (≥ state.t), stepping with these vents and fires."""
        return self._run(state.copy(), list(vents), fires, until, settle=False)

    def _flows(self, vents: list[Vent]) -> list[tuple[str, str, float, float]]:
        """(source volume, target volume, capacity m³/s, smoke needed in the source) per direction."""
        flows = []
        for vent in vents:
            cap = vent.flow_m3_s()
            if cap <= 0.0 or vent.a not in self.places or vent.b not in self.places:
                continue
            va, vb = self.places[vent.a].volume, self.places[vent.b].volume
            if va == vb:
                continue
            for src, dst, sill in ((vent.a, vb, vent.sill_a_m), (vent.b, va, vent.sill_b_m)):
                vol = self.places[src].volume
                head = min(sill + DOORWAY_HEIGHT_M, self.top[vol])
                need = self._filled_at(vol, head)
                flows.append((vol, dst, cap, need))
        return flows

    def _run(self, s: SmokeState, vents: list[Vent], fires: list[SmokeFire], until: float,
             settle: bool) -> SmokeState:
        flows = self._flows(vents)
        ignitions = sorted(f.ignition_s for f in fires)
        first = ignitions[0] if ignitions else s.t
        while s.t < until:
            events = [f.ignition_s for f in fires if f.ignition_s > s.t]
            events += [f.ignition_s + self.fire_untenable_s(f) for i, f in enumerate(fires)
                       if i not in s.fired and not self.shared(f.zone)]
            self._mark_fires(s, fires)
            events = [e for e in events if e > s.t]
            rel = REL_STEP * max(s.t - first, 0.0)
            dt = min(max(rel, STEP_RANGE_S[0]), STEP_RANGE_S[1], until - s.t, *(e - s.t for e in events))
            mid = s.t + 0.5 * dt
            inflow, pending = self._inflow(s, flows, fires, mid)
            if settle and not inflow and not events:
                break
            before = dict(s.smoke_m3)
            began = {}
            for vol, rate in inflow.items():
                self._fill(s, vol, rate, s.t, dt)
                began[vol] = s.t
            end = s.t + dt
            while pending:  # a source that starts spilling within the step spills from then on
                waiting = []
                for src, dst, rate, need in pending:
                    b, a = before[src], s.smoke_m3[src]
                    if src in began and a > b and a >= need and a > 0.0:
                        tc = began[src] + (end - began[src]) * max(need - b, 0.0) / (a - b)
                        if s.smoke_m3[dst] < self.capacity[dst]:
                            began.setdefault(dst, tc)
                            began[dst] = min(began[dst], tc)
                        self._fill(s, dst, rate, tc, end - tc)
                    else:
                        waiting.append((src, dst, rate, need))
                if len(waiting) == len(pending):
                    break
                pending = waiting
            s.t = end
        self._mark_fires(s, fires)
        return s

    def _mark_fires(self, s: SmokeState, fires: list[SmokeFire]) -> None:
        """Fires that have ignited: their zone has smoke; a single-zone one turns untenable on time."""
        for i, f in enumerate(fires):
            if f.ignition_s <= s.t:
                s.arrival.setdefault(f.zone, f.ignition_s)
            if i in s.fired or self.shared(f.zone):
                continue
            due = f.ignition_s + self.fire_untenable_s(f)
            if due <= s.t:
                s.fired.add(i)
                vol = self.places[f.zone].volume
                s.smoke_m3[vol] = max(s.smoke_m3[vol], self.untenable_at[f.zone])
                s.untenable.setdefault(f.zone, due)

    def _inflow(self, s: SmokeState, flows: list[tuple[str, str, float, float]], fires: list[SmokeFire],
                t: float) -> tuple[dict[str, float], list[tuple[str, str, float, float]]]:
        """Smoke entering each volume now, m³/s, and the flows whose source is not spilling yet.

        A volume gets its own fires' plumes and its neighbours' spill; a waiting flow is
        (source, target, rate, smoke needed in the source).
        """
        produced = 0.0
        inflow: dict[str, float] = {}
        for f in fires:
            plume = plume_volume_flow_m3_s(hrr_kw(f.alpha, t - f.ignition_s, f.max_hrr_kw),
                                           self.plume_height_m(f.zone))
            produced += plume
            if plume > 0.0 and self.shared(f.zone):
                vol = self.places[f.zone].volume
                inflow[vol] = inflow.get(vol, 0.0) + plume
        if produced <= 0.0:
            return {}, []
        pending = []
        for src, dst, cap, need in flows:
            if s.smoke_m3[dst] >= self.capacity[dst]:
                continue
            smoke = s.smoke_m3[src]
            if smoke > 0.0 and smoke >= need:
                inflow[dst] = inflow.get(dst, 0.0) + min(cap, produced)
            else:
                pending.append((src, dst, min(cap, produced), need))
        return {v: min(r, produced) for v, r in inflow.items() if r > 0.0}, pending

    def _fill(self, s: SmokeState, vol: str, rate: float, t0: float, dt: float) -> None:
        """Add `rate` × dt from t0 to a volume and note the zones it reaches or makes untenable meanwhile."""
        before = s.smoke_m3[vol]
        if rate <= 0.0 or dt <= 0.0 or before >= self.capacity[vol]:
            return
        after = min(before + rate * dt, self.capacity[vol])
        s.smoke_m3[vol] = after
        for z in self.members[vol]:
            if z not in s.arrival and after > self.arrive_at[z]:
                s.arrival[z] = t0 + max(0.0, self.arrive_at[z] - before) / rate
            if z not in s.untenable and after >= self.untenable_at[z]:
                s.untenable[z] = t0 + max(0.0, self.untenable_at[z] - before) / rate


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
    """One fire in single-storey zones with no leakage: the simple form of `SmokeSpread`.

    Args:
        fire_zone: Id of the zone where the fire starts (must be in `zones`).
        ignition_s: Ignition time, simulation seconds.
        alpha: Growth coefficient, kW/s².
        max_hrr_kw: Plateau heat release rate, kW.
        zones: Non-safe zones only: id → (floor area m², ceiling height m), all on the ground.
        links: id → neighbouring zone ids through openings (undirected; unknown ids ignored).
        tenability_height_m: Layer height at which a zone becomes untenable, m.
        fire_zone_untenable_after_s: Scenario-set time from ignition to the fire zone
            being untenable; None: NFPA 92.
        vents: Open width (m) between pairs of zones (frozenset of the two ids); a pair with
            none passes no smoke. None: openings do not limit the flow.

    Returns:
        Zone id → `ZoneSmoke`, for the zones smoke reaches.
    """
    if fire_zone not in zones:
        raise KeyError(f"fire zone {fire_zone!r} is not a non-safe zone")
    places = {z: Place(a, 0.0, h, z) for z, (a, h) in zones.items()}
    pairs = {frozenset((a, b)) for a, bs in links.items() for b in bs if a != b}
    out = []
    for pair in sorted(pairs, key=sorted):
        a, b = sorted(pair)
        width = math.inf if vents is None else vents.get(pair, 0.0)
        out.append(Vent(a, b, width, 0.0, 0.0, 0.0))
    spread = SmokeSpread(places, tenability_height_m)
    fire = SmokeFire(fire_zone, float(ignition_s), alpha, max_hrr_kw, fire_zone_untenable_after_s)
    return spread.schedule(spread.start(float(ignition_s)), out, [fire])
