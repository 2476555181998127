"""Fire growth and smoke production: a t-squared design fire and NFPA 92's correlations (docs/model.md).

The fire is a t-squared design fire, Q = α t², capped at a maximum heat release rate
(SFPE Handbook; vfdb Leitfaden 2020; values in model-parameters.md §4 via pyFDS
`design-fires.md`). Its own zone fills with smoke by the NFPA 92 (2012, §5.5; NFPA 92B 2005)
smoke-filling correlation for t² fires; the plume's volume flow (NFPA 92 axisymmetric plume)
fills the zones it spills into (`smoke_spread.py`), and the CO a person breathes there gives
their dose (`fed.py`).

Why so simple: the simulator serves tabletop exercises, where the question is "how much
time do people have, and what changes it", not a design verification. The correlations'
validity ranges are respected where they are stated (see each function); outside them the
result is an extrapolation and says so in its docstring. Coefficients are NFPA 92's as
commonly quoted in the fire-engineering literature; they were not re-checked against the
standard's text here.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "CONVECTIVE_FRACTION",
    "GROWTH_ALPHA_KW_S2",
    "MIN_FILL_DEPTH_M",
    "REFERENCE_HRR_KW",
    "SMOKE_DENSITY_KG_M3",
    "doorway_flow_m3_s",
    "fire_zone_filling_s",
    "growth_alpha",
    "hrr_kw",
    "leakage_flow_m3_s",
    "plume_volume_flow_m3_s",
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


DOOR_LEAKAGE_M2_PER_M2 = 0.01
"""m² of leakage per m² of a shut door (width × the 2 m doorway height): a 0.9 m door leaks
0.018 m², the order of a 3 mm gap around a single leaf in its frame (5.8 m × 3 mm = 0.017 m²).
The order of the door leakage areas tabulated by Klote & Milke (*Principles of Smoke
Management*) that CFAST's users are pointed to for leakage; *unverified*: not checked
against the text here. A scenario can set each opening's `leakage_m2`."""


def leakage_flow_m3_s(leak_m2: float) -> float:
    """Smoke a shut opening's leakage area can pass, m³/s.

    The same flow per m² of gap as an open doorway (Kawagoe, m = 0.5 A √H with H the 2 m
    doorway height, over the smoke density): the cracks around a door leaf are driven by the
    same buoyant pressure over the door's height. A modelling choice; CFAST treats leakage
    as a vent of that area.
    """
    if leak_m2 <= 0.0:
        return 0.0
    return DOORWAY_FLOW_COEFF * leak_m2 * math.sqrt(DOORWAY_HEIGHT_M) / SMOKE_DENSITY_KG_M3
