"""Generate a large-venue scenario (a stadium) for the scaling benchmarks.

The stadium is a rectangular ring around the pitch. Each stand section holds at most
SECTION_CAPACITY people on a fixed area, so density and per-section crowding are the same
whatever the size; only the number of sections grows with the number of occupants. That makes
a 6,000-person and a 60,000-person stadium comparable in a linear-scaling test.

Plan (metres, x east, y north; the pitch is [0, Lx] x [0, Ly]):

    corner ── concourse ── concourse ── ... ── corner        (outer ring, depth CONCOURSE_M)
      │          │ vomitory   │                   │
      │        stand        stand                 │           (stands, depth STAND_DEPTH_M)
      │                 [ pitch ]                 │
      ...

- each side has `slots` positions; a position holds a stand section (joined to its concourse
  segment by one vomitory) or, where a side has fewer sections than slots, only a concourse
  segment, so that the ring always closes;
- neighbouring concourse segments are joined by a wide opening; four L-shaped corner zones
  close the ring;
- every second concourse segment along each side has an exit gate to outside, and the
  people of a section came in by the gate of their segment or of its neighbour.

Usage: python benchmarks/make_large_venue.py OUT.yaml [--occupants N]   (default 60,000)
"""

from __future__ import annotations

import argparse
import math
import sys

import yaml

SECTION_CAPACITY = 750
"""People per stand section at most (6,000 -> 8 sections, 60,000 -> 80: two and twenty a side)."""
SECTION_WIDTH_M = 20.0
"""Width of a section along the ring (also the length of its concourse segment)."""
STAND_DEPTH_M = 20.0
"""Depth of a section from the pitch to the concourse: 400 m², 0.53 m² per seat when full."""
CONCOURSE_M = 8.0
"""Depth of the concourse behind the stands."""
VOMITORY_WIDTH_M = 2.4
"""One vomitory per section: 750 people at 1.3 p/s/m take about 4 minutes to pass."""
CONCOURSE_LINK_WIDTH_M = 6.0
"""Clear width between neighbouring concourse segments."""
GATE_WIDTH_M = 4.8
"""An exit gate on every second segment: about 1,500 people per gate, also about 4 minutes."""

# The four sides, going round the ring anticlockwise: bottom, right, top, left.
BOTTOM, RIGHT, TOP, LEFT = range(4)


def make_venue(occupants: int) -> dict:
    """A stadium scenario for `occupants` people, as plain data ready for `yaml.safe_dump`."""
    if not isinstance(occupants, int) or occupants < 1:
        raise ValueError(f"occupants must be a positive integer, got {occupants!r}")
    n = math.ceil(occupants / SECTION_CAPACITY)
    counts = [occupants // n + (1 if i < occupants % n else 0) for i in range(n)]
    per_side = [n // 4 + (1 if side < n % 4 else 0) for side in range(4)]
    slots_x = max(per_side[BOTTOM], per_side[TOP], 1)
    slots_y = max(per_side[RIGHT], per_side[LEFT], 1)
    lx, ly = slots_x * SECTION_WIDTH_M, slots_y * SECTION_WIDTH_M
    d, c = STAND_DEPTH_M, CONCOURSE_M

    zones: list[dict] = []
    openings: list[dict] = []
    groups: list[dict] = []
    ring: list[str] = []  # concourse segment ids, side by side
    gates: list[str] = []
    stands: list[tuple[str, str]] = []  # (stand id, the gate its people came in by)

    def rect(x: float, y: float, w: float, h: float) -> dict:
        return {"x_m": x, "y_m": y, "width_m": w, "depth_m": h}

    def gate_point(side: int, a0: float, a1: float) -> list[float]:
        mid = (a0 + a1) / 2
        return {
            BOTTOM: [mid, -d - c],
            RIGHT: [lx + d + c, mid],
            TOP: [mid, ly + d + c],
            LEFT: [-d - c, mid],
        }[side]

    section = 0
    for side in range(4):
        slots = slots_x if side in (BOTTOM, TOP) else slots_y
        for k in range(slots):
            a0, a1 = k * SECTION_WIDTH_M, (k + 1) * SECTION_WIDTH_M
            if side == BOTTOM:
                stand, conc = rect(a0, -d, SECTION_WIDTH_M, d), rect(a0, -d - c, SECTION_WIDTH_M, c)
            elif side == RIGHT:
                stand, conc = rect(lx, a0, d, SECTION_WIDTH_M), rect(lx + d, a0, c, SECTION_WIDTH_M)
            elif side == TOP:
                stand, conc = rect(a0, ly, SECTION_WIDTH_M, d), rect(a0, ly + d, SECTION_WIDTH_M, c)
            else:
                stand, conc = rect(-d, a0, d, SECTION_WIDTH_M), rect(-d - c, a0, c, SECTION_WIDTH_M)
            conc_id = f"concourse_{side}_{k:03d}"
            zones.append({"id": conc_id, "kind": "corridor", **conc})
            ring.append(conc_id)
            if k < per_side[side]:
                stand_id = f"stand_{section:03d}"
                section += 1
                zones.append({"id": stand_id, "kind": "hall", **stand})
                # The stand's outer edge is its concourse segment's inner edge: the
                # vomitory sits at the middle of that shared edge (no at_m needed).
                openings.append({"id": f"vom_{stand_id}", "between": [stand_id, conc_id],
                                 "width_m": VOMITORY_WIDTH_M, "kind": "opening"})
                stands.append((stand_id, f"gate_{side}_{k - k % 2:03d}"))
            if k > 0:  # joined to the previous segment on the same side (shared end edge)
                openings.append({"id": f"link_{conc_id}", "between": [ring[-2], conc_id],
                                 "width_m": CONCOURSE_LINK_WIDTH_M, "kind": "opening"})
            if k % 2 == 0:
                gate_id = f"gate_{side}_{k:03d}"
                openings.append({"id": gate_id, "name": f"Gate {len(gates) + 1}",
                                 "between": [conc_id, "outside"], "width_m": GATE_WIDTH_M,
                                 "at_m": gate_point(side, a0, a1)})
                gates.append(gate_id)
    assert section == n

    # Corners: L-shapes of two rectangles that touch the end of one side's concourse and the
    # start of the next one's, leaving the corner of the pitch (behind no stand) empty.
    first = {side: f"concourse_{side}_000" for side in range(4)}
    last = {side: f"concourse_{side}_{(slots_x if side in (BOTTOM, TOP) else slots_y) - 1:03d}"
            for side in range(4)}
    corners = {
        # id: (rects, concourse segments it joins)
        "corner_sw": ([rect(-d - c, -d - c, d + c, c), rect(-d - c, -d, c, d)],
                      [first[BOTTOM], first[LEFT]]),
        "corner_se": ([rect(lx, -d - c, d + c, c), rect(lx + d, -d, c, d)],
                      [last[BOTTOM], first[RIGHT]]),
        "corner_ne": ([rect(lx, ly + d, d + c, c), rect(lx + d, ly, c, d)],
                      [last[RIGHT], last[TOP]]),
        "corner_nw": ([rect(-d - c, ly + d, d + c, c), rect(-d - c, ly, c, d)],
                      [first[TOP], last[LEFT]]),
    }
    for corner_id, (rects, joins) in corners.items():
        zones.append({"id": corner_id, "kind": "corridor", "rects": rects})
        for seg in joins:
            openings.append({"id": f"link_{corner_id}_{seg}", "between": [corner_id, seg],
                             "width_m": CONCOURSE_LINK_WIDTH_M, "kind": "opening"})

    for (stand_id, gate), count in zip(stands, counts, strict=True):
        groups.append({"zone": stand_id, "count": count, "entrance": gate})

    return {
        "meta": {
            "name": f"Generated stadium, {occupants} occupants",
            "description": (
                f"A synthetic stadium for scaling benchmarks: {n} stand sections of at most "
                f"{SECTION_CAPACITY} people round a {lx:g} x {ly:g} m pitch, each with one "
                "vomitory to a ring concourse, exit gates on every second concourse segment. "
                "Density and per-section crowding do not depend on the size."
            ),
            "horizon_s": 3600,
            "sources": [
                "Generated by benchmarks/make_large_venue.py (not a real venue).",
                "Forssberg et al. 2019, Fire Technology 55: lognormal pre-movement.",
            ],
        },
        "venue": {"zones": zones, "openings": openings},
        "population": {
            "occupants": groups,
            "familiarity_share": 0.3,
            # Same choice as the reference concert hall (see scenarios/concert_hall.yaml).
            "premovement_s": {"dist": "lognormal", "median": 60, "sigma": 0.6,
                              "min": 10, "max": 600},
        },
        "response": {"alarm_decision_s": 30},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="path of the YAML file to write")
    parser.add_argument("--occupants", type=int, default=60_000,
                        help="number of people (default 60000)")
    args = parser.parse_args(argv)
    if args.occupants < 1:
        parser.error("--occupants must be at least 1")
    data = make_venue(args.occupants)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(f"# Generated by benchmarks/make_large_venue.py --occupants {args.occupants}\n")
        yaml.safe_dump(data, f, sort_keys=False, default_flow_style=None, width=100)
    return 0


if __name__ == "__main__":
    sys.exit(main())
