"""Walking speed and opening capacity: the SFPE hydraulic relations (docs/model.md, openings and walking).

Source: SFPE Handbook of Fire Protection Engineering, "Employing the hydraulic model in
assessing emergency movement" (Gwynne & Rosenbaum): speed S = k (1 − 0.266 D) for densities
D from 0.54 to 3.8 persons/m²; specific flow Fs = S·D, whose maximum caps an opening per
metre of effective width (clear width less a boundary layer each side).
"""

from __future__ import annotations

import bisect

__all__ = [
    "BOUNDARY_LAYER_M",
    "CRAWL_SPEED_M_S",
    "FREE_FLOW_DENSITY_P_M2",
    "K_LEVEL",
    "MAX_FLOW_DENSITY_P_M2",
    "effective_width_m",
    "opening_capacity_p_s",
    "sfpe_max_specific_flow",
    "stair_k",
    "walking_speed",
]

K_LEVEL = 1.40
"""SFPE speed constant for corridors, doorways, ramps and level floors, m/s."""

FREE_FLOW_DENSITY_P_M2 = 0.54
"""Below this density people walk at their own free speed (SFPE)."""

SPEED_DENSITY_SLOPE = 0.266
"""a in S = k (1 − a D), m²/person (SFPE)."""

MAX_FLOW_DENSITY_P_M2 = 1.0 / (2.0 * SPEED_DENSITY_SLOPE)
"""Density of the largest specific flow S·D (1.88 /m², for any k). Denser than this a crowd
flows less the denser it is, so a jam feeds itself: walkers there have their speed taken
again along the way (sim/occupants.py)."""

CRAWL_SPEED_M_S = 0.1
"""SFPE speed is zero at 3.76 /m²; a packed crowd still creeps (Weidmann's fundamental
diagram gives about 0.19 m/s at 3.8 /m²), so a zone filled to its limit drains instead of
freezing. This is the speed where the SFPE line reaches it; denser still, speed falls as
the square of density (see `walking_speed`), so the crawl never makes flow grow with density."""

STAIR_K = {
    (191.0, 254.0): 1.00,  # 7.5 in riser, 10 in tread
    (178.0, 279.0): 1.08,  # 7 in / 11 in
    (165.0, 305.0): 1.16,  # 6.5 in / 12 in
    (165.0, 330.0): 1.23,  # 6.5 in / 13 in
}
"""SFPE speed constant k along the slope of stairs, by riser and tread (mm)."""

MAX_SPECIFIC_FLOW = {1.00: 0.94, 1.08: 1.01, 1.16: 1.09, 1.23: 1.16, K_LEVEL: 1.3}
"""SFPE maximum specific flow Fs_max (persons/s per metre of effective width) by k."""

_K_BY_SLOPE = sorted((riser / tread, k) for (riser, tread), k in STAIR_K.items())
"""STAIR_K by slope (riser / tread), shallowest first: 0.500, 0.541, 0.638, 0.752."""

_FS_BY_K = sorted(MAX_SPECIFIC_FLOW.items())
"""MAX_SPECIFIC_FLOW by k, slowest first."""

BOUNDARY_LAYER_M = {"door": 0.15, "turnstile": 0.15, "stair": 0.15, "opening": 0.20}
"""SFPE boundary layer per side by opening kind (a plain opening is treated like a corridor wall)."""


def stair_k(riser_mm: float, tread_mm: float) -> float:
    """SFPE k for this stair: linear in slope (riser / tread) between the tabulated stairs.

    So no small change of riser or tread jumps, and a steeper stair is never faster.
    Clamped to the table's ends (k 1.23 below slope 0.500, 1.00 above 0.752): SFPE gives
    no values beyond them.
    """
    return _interpolate(_K_BY_SLOPE, riser_mm / tread_mm)


def sfpe_max_specific_flow(k: float) -> float:
    """Fs_max for speed constant k, linear in k between the tabulated values.

    Beyond the table's ends it is proportional to k from the nearest end, as the analytic
    maximum k / (4a) is, so it stays continuous (stairs never leave the table).
    """
    lowest, highest = _FS_BY_K[0], _FS_BY_K[-1]
    if k < lowest[0]:
        return lowest[1] * k / lowest[0]
    if k > highest[0]:
        return highest[1] * k / highest[0]
    return _interpolate(_FS_BY_K, k)


def _interpolate(table: list[tuple[float, float]], x: float) -> float:
    """Piecewise-linear y(x) through the sorted (x, y) points, flat beyond the ends.

    A tabulated x gives its own y exactly, so the handbook's numbers are kept to the digit.
    """
    if x <= table[0][0]:
        return table[0][1]
    if x >= table[-1][0]:
        return table[-1][1]
    i = bisect.bisect_right([p[0] for p in table], x)
    (x0, y0), (x1, y1) = table[i - 1], table[i]
    return y0 if x == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)


def walking_speed(free_speed: float, density: float, k: float) -> float:
    """A person's speed in a zone: own free speed in a sparse crowd, else the SFPE speed if slower.

    `free_speed` is the person's level speed; on stairs it is scaled by k / K_LEVEL, the
    ratio SFPE uses between stair and level movement. Above the SFPE range the speed keeps
    falling (never to zero), so the specific flow S·D falls with density as measured crowds'
    does, instead of rising along a fixed crawl speed.
    """
    own = free_speed if k == K_LEVEL else free_speed * k / K_LEVEL
    if density < FREE_FLOW_DENSITY_P_M2:
        return own
    sfpe = k * (1.0 - SPEED_DENSITY_SLOPE * density)
    if sfpe >= CRAWL_SPEED_M_S:
        return own if own < sfpe else sfpe
    # Past the density where the SFPE line meets the crawl, speed falls as (D_c / D)²: the
    # flow S·D then falls as 1 / D towards jam (Weidmann's falling branch) while a full
    # zone still drains. A flat crawl made S·D grow with D.
    crawl_density = (1.0 - CRAWL_SPEED_M_S / k) / SPEED_DENSITY_SLOPE
    crawl = CRAWL_SPEED_M_S * (crawl_density / density) ** 2
    return own if own < crawl else crawl


def effective_width_m(clear_width_m: float, kind: str, boundary_layer_m: float | None = None) -> float:
    """Clear width less the boundary layer on each side (never below 0.1 m)."""
    layer = BOUNDARY_LAYER_M[kind] if boundary_layer_m is None else boundary_layer_m
    return max(0.1, clear_width_m - 2 * layer)


def opening_capacity_p_s(
    *,
    width_m: float,
    kind: str,
    flow_model: str,
    specific_flow_p_s_m: float,
    k: float = K_LEVEL,
    boundary_layer_m: float | None = None,
) -> float:
    """Persons per second an opening passes with a standing queue behind it.

    `empirical`: specific_flow_p_s_m × clear width (linear in width, as Seyfried et al. 2009
    and Liao et al. 2014 measured up to 5 m); `sfpe`: Fs_max(k) × effective width. For a
    stair entry both scale by Fs_max(k) / Fs_max(level), the SFPE ratio for stairs.
    """
    if flow_model == "sfpe":
        return sfpe_max_specific_flow(k) * effective_width_m(width_m, kind, boundary_layer_m)
    stair_ratio = sfpe_max_specific_flow(k) / sfpe_max_specific_flow(K_LEVEL)
    return specific_flow_p_s_m * width_m * stair_ratio
