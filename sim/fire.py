"""Fire growth, smoke spread and CO dose: a deliberately simple zone model (DESIGN.md 3.4).

The fire is a t-squared design fire, Q = α t², capped at a maximum heat release rate
(SFPE Handbook; vfdb Leitfaden 2020; values in model-parameters.md §4 via pyFDS
`design-fires.md`). Its own zone fills with smoke by the NFPA 92 (2012, §5.5; NFPA 92B 2005)
smoke-filling correlation for t² fires; once the layer is down to the tenability height the
zone is untenable and smoke spills through its openings into the neighbouring zones, each
of which fills at the volume flow of the NFPA 92 axisymmetric plume. Spreading over the
zone graph is a shortest-path (Dijkstra) computation on times, so the model needs no time
stepping: a run asks for a `ZoneSmoke` schedule once per fire and reads times from it.

Conditions in a zone are represented by its CO concentration (`CoProfile`), rising from 0
when smoke arrives to the scenario's untenable concentration (default 2,700 ppm, the
Engineering Australia 2014 limit) when the zone is untenable. People accumulate a
fractional effective dose by Purser & McAllister's CO equation for light work (SFPE
Handbook 2016, ch. 63; model-parameters.md §4 "CO" row via pyFDS `asphyxiant-fed.md`), and
are incapacitated at FED 1 (0.3 for a sensitive population; ISO 13571). Dose and the time
a dose is reached are closed forms, so a person's incapacitation is one scheduled event.

Why so simple: the simulator serves tabletop exercises, where the question is "how much
time do people have, and what changes it", not a design verification. The correlations'
validity ranges are respected where they are stated (see each function); outside them the
result is an extrapolation and says so in its docstring. Coefficients are NFPA 92's as
commonly quoted in the fire-engineering literature; they were not re-checked against the
standard's text here.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CONVECTIVE_FRACTION",
    "FED_CO_COEFF_PER_MIN",
    "FED_CO_EXPONENT",
    "GROWTH_ALPHA_KW_S2",
    "MIN_FILL_DEPTH_M",
    "REFERENCE_HRR_KW",
    "SMOKE_DENSITY_KG_M3",
    "CoProfile",
    "ZoneSmoke",
    "fed_rate_per_s",
    "fire_zone_filling_s",
    "growth_alpha",
    "hrr_kw",
    "plume_volume_flow_m3_s",
    "smoke_schedule",
]

# --- Fire growth ---------------------------------------------------------------------------

GROWTH_ALPHA_KW_S2: dict[str, float] = {
    "slow": 0.00293,
    "medium": 0.01172,
    "fast": 0.0469,
    "ultrafast": 0.1876,
}
"""Standard t² growth coefficients α in kW/s², by class.

Each class reaches 1,055 kW (1,000 BTU/s) in 600, 300, 150 and 75 s respectively (SFPE
Handbook; vfdb Leitfaden 2020; model-parameters.md §4 via pyFDS `design-fires.md`).
Definitions that use 1,000 kW instead give values about 5.5 % lower.
"""

REFERENCE_HRR_KW = 1055.0
"""kW. The heat release rate that defines the growth time t_g of a t² fire (1,000 BTU/s);
NFPA 92's filling correlation is written in t_g = sqrt(1055 / α)."""

# --- Smoke filling and plume (NFPA 92, 2012) --------------------------------------------------

FILL_COEFF = 0.23
"""Dimensionless. Leading coefficient of NFPA 92's t² smoke-filling correlation
z/H = 0.23 · [t / (t_g^(2/5) H^(4/5) (A/H²)^(3/5))]^(−1.45) (NFPA 92 2012, §5.5; as
commonly quoted, not re-checked against the standard's text)."""

FILL_EXPONENT = -1.45
"""Dimensionless. Exponent of the same correlation."""

FILL_Z_OVER_H_RANGE = (0.2, 0.8)
"""Dimensionless. The range of z/H over which the filling correlation was fitted to
experiments (NFPA 92); outside it we clamp rather than extrapolate."""

CONVECTIVE_FRACTION = 0.7
"""Dimensionless. Share of the heat release rate carried by the plume, Qc = 0.7 Q: NFPA 92's
default for a typical fire (the rest is radiated)."""

PLUME_FAR_COEFF = 0.071
"""kg/s per kW^(1/3) m^(5/3). NFPA 92 axisymmetric plume above the flame:
m = 0.071 Qc^(1/3) z^(5/3) + 0.0018 Qc."""

PLUME_FAR_LINEAR = 0.0018
"""kg/s per kW. The linear term of the same correlation."""

PLUME_FLAME_LIMIT_COEFF = 0.166
"""m per kW^(2/5). NFPA 92 limiting elevation (mean flame height) z_l = 0.166 Qc^(2/5): the
far-field correlation holds only above it."""

PLUME_NEAR_COEFF = 0.032
"""kg/s per kW^(3/5) m. NFPA 92 plume mass flow at or below the flame height:
m = 0.032 Qc^(3/5) z."""

SMOKE_DENSITY_KG_M3 = 1.1
"""kg/m³. Density used to turn plume mass flow into volume flow: air at about 50 °C
(ρ ≈ 353 / T), a warm but tenable-ish upper layer. A hotter layer is less dense and fills
faster; this is a simplification, not a computed layer temperature."""

MIN_FILL_DEPTH_M = 0.5
"""m. The smallest smoke depth a neighbouring zone must fill before it counts as untenable,
so that a zone whose ceiling is at or below the tenability height still takes some time to
fill rather than becoming untenable the instant smoke arrives."""

# --- Dose (Purser & McAllister 2016) ------------------------------------------------------

FED_CO_COEFF_PER_MIN = 2.764e-5
"""FED per minute per ppm^1.036. Purser & McAllister (SFPE Handbook 2016, ch. 63) CO dose
for light work: FED/min = 3.317e-5 [CO]^1.036 V_E / D with V_E 25 L/min and D 30 %COHb,
i.e. 2.764e-5 [CO]^1.036 (model-parameters.md §4 "CO" row, via pyFDS `asphyxiant-fed.md`).
At 2,700 ppm this gives FED 1 in about 10 min, matching the fixed 10-min limit."""

FED_CO_EXPONENT = 1.036
"""Dimensionless. Exponent of [CO] in Purser's CO dose equation."""

_A = FED_CO_COEFF_PER_MIN / 60.0  # FED per second per ppm^b
_B = FED_CO_EXPONENT


def growth_alpha(fire: Any) -> float:
    """The growth coefficient α (kW/s²) of a scenario fire.

    An explicit `alpha_kw_s2` wins over the named `growth` class, so a scenario can model a
    specific fuel (e.g. foam linings far faster than "ultrafast") without a new class.

    Args:
        fire: A `scenario.incident.Fire` (or anything with `alpha_kw_s2` and `growth`).

    Returns:
        α in kW/s².

    Raises:
        ValueError: If neither is set.
    """
    alpha = getattr(fire, "alpha_kw_s2", None)
    if alpha is not None:
        return float(alpha)
    growth = getattr(fire, "growth", None)
    if growth is None:
        raise ValueError("fire has neither alpha_kw_s2 nor growth")
    return GROWTH_ALPHA_KW_S2[growth]


def hrr_kw(alpha: float, t_since_ignition: float, max_hrr_kw: float) -> float:
    """Heat release rate of a t² fire: α t², capped at `max_hrr_kw`, 0 before ignition.

    The cap stands for the fuel- or ventilation-limited plateau; decay is not modelled,
    because suppression is represented by freezing conditions (`CoProfile.with_freeze`).

    Args:
        alpha: Growth coefficient, kW/s².
        t_since_ignition: Seconds since ignition (negative: not yet ignited).
        max_hrr_kw: Plateau heat release rate, kW.

    Returns:
        Heat release rate in kW.
    """
    if t_since_ignition <= 0.0:
        return 0.0
    return min(alpha * t_since_ignition * t_since_ignition, max_hrr_kw)


def fire_zone_filling_s(alpha: float, area_m2: float, height_m: float, tenability_height_m: float) -> float:
    """Time from ignition until the smoke layer in the fire's zone is down to the tenability height.

    NFPA 92 (2012, §5.5; NFPA 92B 2005) smoke-filling correlation for t² fires, with no
    smoke exhaust:

        z/H = 0.23 · [t / (t_g^(2/5) · H^(4/5) · (A/H²)^(3/5))]^(−1.45),  t_g = sqrt(1055 / α)

    solved for t at z = tenability height:
    t = t_g^(2/5) H^(4/5) (A/H²)^(3/5) · (0.23 / (z/H))^(1/1.45).

    The correlation was fitted for 0.2 ≤ z/H ≤ 0.8 (and 0.9 ≤ A/H² ≤ 23). We clamp z/H into
    [0.2, 0.8] rather than extrapolate:

    * z/H > 0.8 (a low ceiling, including H ≤ tenability height, where the zone is untenable
      as soon as a layer exists): the time for z/H = 0.8, the earliest time for which the
      correlation speaks, i.e. roughly when a layer has formed under the ceiling.
    * z/H < 0.2 (a tall atrium): the time for z/H = 0.2, which is earlier than the real
      descent to the tenability height, so the clamp errs on the side of less time.

    A/H² outside [0.9, 23] (a long low hall or a narrow shaft) is extrapolated, not clamped:
    there is no better closed form for those shapes at this level of modelling.
    The coefficients are NFPA 92's as commonly quoted; they were not re-checked against the
    standard's text here.

    Args:
        alpha: Growth coefficient, kW/s².
        area_m2: Floor area of the fire zone, m².
        height_m: Ceiling height of the fire zone, m.
        tenability_height_m: Smoke-layer height at which the zone becomes untenable, m.

    Returns:
        Seconds from ignition.
    """
    if alpha <= 0.0 or area_m2 <= 0.0 or height_m <= 0.0:
        raise ValueError("alpha, area and height must be positive")
    t_g = math.sqrt(REFERENCE_HRR_KW / alpha)
    tau = t_g**0.4 * height_m**0.8 * (area_m2 / height_m**2) ** 0.6
    lo, hi = FILL_Z_OVER_H_RANGE
    z_over_h = min(max(tenability_height_m / height_m, lo), hi)
    return tau * (FILL_COEFF / z_over_h) ** (1.0 / -FILL_EXPONENT)


def plume_volume_flow_m3_s(hrr_kw: float, height_m: float) -> float:
    """Volume of smoke the fire's plume delivers per second at the ceiling of its zone.

    NFPA 92 (2012) axisymmetric plume, with Qc = 0.7 Q and z the plume height from the fuel
    to the ceiling of the fire zone (fuel taken at floor level):

    * above the flame (z > z_l = 0.166 Qc^(2/5)): m = 0.071 Qc^(1/3) z^(5/3) + 0.0018 Qc;
    * at or below it (flames reach the ceiling): m = 0.032 Qc^(3/5) z, NFPA 92's own
      companion correlation, since the far-field one overstates entrainment inside the flame.

    The two meet at z_l to within about 1 %. Mass flow (kg/s) is turned into volume flow
    with a smoke density of 1.1 kg/m³ (layer about 50 °C; `SMOKE_DENSITY_KG_M3`). This is
    the rate at which smoke spilling from the fire zone fills its neighbours.

    Args:
        hrr_kw: Total heat release rate Q, kW.
        height_m: Plume height z (the fire zone's ceiling height), m.

    Returns:
        Smoke volume flow in m³/s (0 if there is no fire).
    """
    if hrr_kw <= 0.0 or height_m <= 0.0:
        return 0.0
    qc = CONVECTIVE_FRACTION * hrr_kw
    z_l = PLUME_FLAME_LIMIT_COEFF * qc**0.4
    if height_m > z_l:
        mass = PLUME_FAR_COEFF * qc ** (1.0 / 3.0) * height_m ** (5.0 / 3.0) + PLUME_FAR_LINEAR * qc
    else:
        mass = PLUME_NEAR_COEFF * qc**0.6 * height_m
    return mass / SMOKE_DENSITY_KG_M3


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

    Rules (DESIGN.md 3.4: "smoke reaches connected zones after delays that grow with their
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


DOORWAY_HEIGHT_M = 2.0
"""Height assumed for the openings smoke flows through."""

DOORWAY_FLOW_COEFF = 0.5
"""Kawagoe's opening flow, m ≈ 0.5 A √H kg/s (A = W·H the opening's area): the order of the
hot-gas flow a doorway can pass (Drysdale, An Introduction to Fire Dynamics, ch. 10)."""


def doorway_flow_m3_s(width_m: float) -> float:
    """Smoke a doorway of this total width can pass, m³/s (Kawagoe's m = 0.5 A √H, over density)."""
    if width_m <= 0.0:
        return 0.0
    area = width_m * DOORWAY_HEIGHT_M
    return DOORWAY_FLOW_COEFF * area * math.sqrt(DOORWAY_HEIGHT_M) / SMOKE_DENSITY_KG_M3


# --- Dose -----------------------------------------------------------------------------------


def fed_rate_per_s(co_ppm: float) -> float:
    """FED accumulated per second at a CO concentration, light work (Purser & McAllister 2016).

    FED/min = 2.764e-5 [CO]^1.036 (model-parameters.md §4 "CO" row); divided by 60 here.
    CO stands in for the whole toxic load: the scenario's untenable concentration is chosen
    so the dose reaches 1 in about the time the fixed tenability limits allow.

    Args:
        co_ppm: CO concentration, ppm.

    Returns:
        FED per second (0 for no CO).
    """
    if co_ppm <= 0.0:
        return 0.0
    return _A * co_ppm**_B


@dataclass(frozen=True)
class CoProfile:
    """CO concentration in one zone over time, and the dose a person present there accumulates.

    The concentration is 0 before `arrival_s`, then rises linearly so that it reaches
    `co_at_untenable_ppm` at `untenable_s`, and keeps that slope afterwards (the fire keeps
    growing), until it is capped at `co_max_ppm` (if given) or frozen at `frozen_at_s` (fire
    suppressed: conditions stop getting worse; they do not clear, a conservative choice).
    A profile frozen at or before arrival never sees smoke. If `untenable_s` equals
    `arrival_s` the concentration steps to `co_at_untenable_ppm` (capped) at arrival and
    stays there, since no slope is defined; an infinite `untenable_s` means no smoke.

    `dose(t)` is the FED of someone present in the zone from −∞ to t; a person entering at
    t_in with dose F already received reaches a threshold at
    `time_of_dose(dose(t_in) + threshold − F)`. Both are closed forms, piece by piece:
    on the rising piece C = s u (u = t − arrival), so the dose is
    ∫ a (s u)^b du = a s^b u^(b+1) / (b+1); after the cap or the freeze the rate is constant.
    """

    arrival_s: float
    """Smoke arrives: the concentration starts rising from 0."""
    untenable_s: float
    """The zone becomes untenable: the concentration is `co_at_untenable_ppm`."""
    co_at_untenable_ppm: float = 2700.0
    """Concentration at `untenable_s`, ppm (default: Engineering Australia 2014 limit)."""
    co_max_ppm: float | None = None
    """Concentration at which it stops rising, ppm; None: no cap."""
    frozen_at_s: float | None = None
    """From this time the concentration stays as it is (fire suppressed); None: never."""

    def __post_init__(self) -> None:
        if math.isnan(self.arrival_s) or math.isnan(self.untenable_s):
            raise ValueError("times must not be NaN")
        if self.untenable_s < self.arrival_s:
            raise ValueError("untenable_s must not be before arrival_s")
        if self.co_at_untenable_ppm <= 0.0:
            raise ValueError("co_at_untenable_ppm must be positive")
        if self.co_max_ppm is not None and self.co_max_ppm <= 0.0:
            raise ValueError("co_max_ppm must be positive")

    # The profile as pieces: 0 until t0, C = s (t − t0) on [t0, t1], C1 from t1 on.
    def _pieces(self) -> tuple[float, float, float, float]:
        """(t0, t1, s, C1): start of the rise, end of the rise, slope (ppm/s), final concentration.

        t0 = inf means the zone stays clear; t1 = inf means it never stops rising; t1 = t0
        with s = inf is the step profile.
        """
        t0 = self.arrival_s
        frozen = math.inf if self.frozen_at_s is None else self.frozen_at_s
        if math.isinf(t0) or math.isinf(self.untenable_s) or frozen <= t0:
            return math.inf, math.inf, 0.0, 0.0
        cap = math.inf if self.co_max_ppm is None else self.co_max_ppm
        rise = self.untenable_s - t0
        if rise <= 0.0:
            return t0, t0, math.inf, min(self.co_at_untenable_ppm, cap)
        s = self.co_at_untenable_ppm / rise
        t_cap = t0 + cap / s
        if t_cap <= frozen:
            return t0, t_cap, s, cap
        if math.isinf(frozen):
            return t0, math.inf, s, math.inf
        return t0, frozen, s, s * (frozen - t0)

    @staticmethod
    def _rise_dose(s: float, u: float) -> float:
        return _A * s**_B * u ** (_B + 1.0) / (_B + 1.0)

    def concentration_ppm(self, t: float) -> float:
        """CO concentration at time t, ppm."""
        t0, t1, s, c1 = self._pieces()
        if t < t0 or math.isinf(t0):
            return 0.0
        if t >= t1:
            return c1
        return s * (t - t0)

    def dose(self, t: float) -> float:
        """FED accumulated by a person present in the zone from −∞ until t (monotone, continuous)."""
        t0, t1, s, c1 = self._pieces()
        if t <= t0:
            return 0.0
        if t <= t1:
            return self._rise_dose(s, t - t0)
        d1 = 0.0 if t1 == t0 else self._rise_dose(s, t1 - t0)
        return d1 + fed_rate_per_s(c1) * (t - t1)

    def time_of_dose(self, target: float) -> float:
        """The earliest time t with dose(t) ≥ target.

        Returns:
            Seconds. `math.inf` if the dose never gets there: only a zone that stays clear
            (no smoke, or frozen before smoke arrived), since any positive concentration
            keeps the dose growing. `-math.inf` for target ≤ 0, which every t satisfies.
        """
        if target <= 0.0:
            return -math.inf
        t0, t1, s, c1 = self._pieces()
        if math.isinf(t0):
            return math.inf
        d1 = 0.0
        if t1 > t0:
            d1 = math.inf if math.isinf(t1) else self._rise_dose(s, t1 - t0)
            if target <= d1:
                u = ((_B + 1.0) * target / (_A * s**_B)) ** (1.0 / (_B + 1.0))
                return t0 + u
        rate = fed_rate_per_s(c1)
        if rate <= 0.0:
            return math.inf
        return t1 + (target - d1) / rate

    def with_freeze(self, t: float) -> CoProfile:
        """A copy whose conditions stop getting worse at t (fire suppressed at t).

        If smoke has not arrived by t the zone stays clear. Freezing later than an existing
        freeze changes nothing.
        """
        frozen = t if self.frozen_at_s is None else min(t, self.frozen_at_s)
        return dataclasses.replace(self, frozen_at_s=frozen)
