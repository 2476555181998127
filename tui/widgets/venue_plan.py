"""The venue's floor plan drawn in terminal cells: zones as rooms, openings on their walls.

Pure drawing, no widget: `draw_plan` turns the scenario's venue (docs/model.md, zones and openings: zones are
unions of rectangles on floors, openings sit on shared edges) and a `SimState` into lines of
Rich `Text`, plus a map from cells to zone ids so the widget can say which room the mouse is
over. Kept apart from the widget so that the geometry can be tested without an app.

Every hazard is shown twice, by colour and by a symbol, so the map reads in monochrome and
for colour-blind players: the threat's zone has a red wall and a ▲ label, smoke fills a zone
with ░, an untenable zone with ▒; openings show ○ open, ● closed, ✖ locked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from ttxsim.sim.geometry import shared_edge_point

__all__ = [
    "CELL_ASPECT",
    "DENSITY_STOPS",
    "OPENING_MARKS",
    "Plan",
    "choose_layout",
    "density_colour",
    "draw_plan",
]

CELL_ASPECT = 0.5
"""A terminal cell is about twice as tall as it is wide: rows per metre = columns per metre × this."""

DENSITY_STOPS: tuple[tuple[float, str], ...] = (
    (0.0, "#22273a"),
    (0.25, "#2e3f73"),
    (1.0, "#26708e"),
    (2.0, "#2f9e74"),
    (3.0, "#a5c83a"),
    (3.8, "#f2d94e"),
)
"""Persons per m² → fill colour (a viridis-like ramp: ordered by lightness, colour-blind safe)."""

OPENING_MARKS = {
    "open": ("○", "bold #6cd37a"),
    "closed": ("●", "bold #f0b429"),
    "locked": ("✖", "bold #ff5f5f"),
}
"""How an opening's state is drawn on its wall: a symbol and a colour."""

_WALL = Style(color="#7a8299")
_THREAT_WALL = Style(color="#ff4040", bold=True)
_NAME = Style(bold=True)
_THREAT_LABEL = Style(bold=True, color="#ffffff", bgcolor="#c0262d")
_SMOKE = ("░", "#b8b8b8")
_UNTENABLE = ("▒", "#ff9a3c")
_UP, _DOWN, _LEFT, _RIGHT = 1, 2, 4, 8
_BOX = {
    _LEFT | _RIGHT: "─",
    _LEFT: "─",
    _RIGHT: "─",
    _UP | _DOWN: "│",
    _UP: "│",
    _DOWN: "│",
    _DOWN | _RIGHT: "┌",
    _DOWN | _LEFT: "┐",
    _UP | _RIGHT: "└",
    _UP | _LEFT: "┘",
    _UP | _DOWN | _RIGHT: "├",
    _UP | _DOWN | _LEFT: "┤",
    _DOWN | _LEFT | _RIGHT: "┬",
    _UP | _LEFT | _RIGHT: "┴",
    _UP | _DOWN | _LEFT | _RIGHT: "┼",
}


@dataclass
class Plan:
    """A drawn plan: its lines, and which zone each cell belongs to (None for walls and gaps)."""

    lines: list[Text]
    owners: list[list[str | None]]
    floors: tuple[int, ...]
    """The floors drawn, left to right (or top to bottom)."""


def density_colour(density: float) -> str:
    """The fill colour for a density (persons per m²): the ramp stop at or below it."""
    if density <= 0:
        return DENSITY_STOPS[0][1]
    colour = DENSITY_STOPS[1][1]
    for limit, stop in DENSITY_STOPS[1:]:
        if density >= limit:
            colour = stop
    return colour


def _bounds(zones) -> tuple[float, float, float, float]:
    rects = [r for z in zones for r in z.shapes]
    return (
        min(r.x_m for r in rects),
        min(r.y_m for r in rects),
        max(r.x_m + r.width_m for r in rects),
        max(r.y_m + r.depth_m for r in rects),
    )


def _spans(venue, floors: Sequence[int]) -> list[tuple[float, float]]:
    spans = []
    for floor in floors:
        x0, y0, x1, y1 = _bounds([z for z in venue.zones if z.floor == floor])
        spans.append((x1 - x0, y1 - y0))
    return spans


def choose_layout(
    venue, width: int, height: int, floor: int | None = None
) -> tuple[str, tuple[int, ...], float]:
    """How to lay out the floors in `width` × `height` cells: side by side, stacked, or one.

    All floors are shown together when that keeps at least 60 % of the scale one floor alone
    would get (below that, rooms shrink to unreadable slivers and the widget cycles floors).

    Returns:
        (arrangement "row" | "column" | "single", the floors to draw, columns per metre).
    """
    floors = tuple(sorted({z.floor for z in venue.zones}))
    spans = _spans(venue, floors)
    title = 1  # each floor gets a title row

    def fit(ws: Iterable[float], hs: Iterable[float], cols: int, rows: int) -> float:
        ws, hs = list(ws), list(hs)
        by_w = cols / max(sum(ws), 1e-9)
        by_h = rows / max(max(hs) * CELL_ASPECT, 1e-9)
        return max(min(by_w, by_h), 0.0)

    gaps = 2 * (len(floors) - 1)
    row = fit((w for w, _ in spans), (h for _, h in spans), width - gaps - len(floors), height - title - 1)
    column = fit(
        [max(w for w, _ in spans)],
        [sum(h for _, h in spans)],
        width - 1,
        height - len(floors) * title - len(floors),
    )
    shown = floor if floor in floors else floors[0]
    w, h = spans[floors.index(shown)]
    single = fit([w], [h], width - 1, height - title - 1)
    if len(floors) > 1 and max(row, column) >= 0.6 * single:
        return ("row", floors, row) if row >= column else ("column", floors, column)
    return "single", (shown,), single


def draw_plan(venue, state, width: int, height: int, *, floor: int | None = None) -> Plan:
    """The venue in `width` × `height` cells, shaded by the state's densities and hazards.

    Args:
        venue: the scenario's `Venue`.
        state: a `SimState`, or None for an empty venue (before the occupants are drawn).
        width: columns available.
        height: rows available.
        floor: the floor to show if they do not all fit.
    """
    arrangement, floors, scale = choose_layout(venue, width, height, floor)
    panels = [_draw_floor(venue, state, f, scale) for f in floors]
    for _ in range(20):  # rounding to whole cells can overshoot by a cell or two: shrink until it fits
        cols, rows = _extent(panels, arrangement)
        if (cols <= width and rows <= height) or scale <= 0.02:
            break
        scale *= 0.95
        panels = [_draw_floor(venue, state, f, scale) for f in floors]
    lines: list[Text] = []
    owners: list[list[str | None]] = []
    if arrangement == "column":
        for panel_lines, panel_owners in panels:
            lines += panel_lines
            owners += panel_owners
    else:
        rows = max(len(p[0]) for p in panels)
        for r in range(rows):
            line, owner = Text(), []
            for i, (panel_lines, panel_owners) in enumerate(panels):
                if i:
                    line.append("  ")
                    owner += [None, None]
                pw = max(len(t) for t in panel_lines)
                if r < len(panel_lines):
                    line.append_text(panel_lines[r])
                    line.append(" " * (pw - len(panel_lines[r])))
                    owner += panel_owners[r] + [None] * (pw - len(panel_owners[r]))
                else:
                    line.append(" " * pw)
                    owner += [None] * pw
            lines.append(line)
            owners.append(owner)
    return Plan(lines[:height], owners[:height], floors)


def _extent(panels, arrangement: str) -> tuple[int, int]:
    """Columns and rows the panels take in their arrangement (fits if both are within bounds)."""
    widths = [max(len(t) for t in lines) for lines, _ in panels]
    heights = [len(lines) for lines, _ in panels]
    if arrangement == "column":
        return max(widths), sum(heights)
    return sum(widths) + 2 * (len(panels) - 1), max(heights)


def _cell(v: float, scale: float) -> int:
    return round(v * scale)


def _draw_floor(venue, state, floor: int, scale: float):
    """One floor: a title row, then the plan (walls, fills, labels, openings)."""
    zones = [z for z in venue.zones if z.floor == floor]
    x0, y0, x1, y1 = _bounds(zones)
    sx, sy = scale, scale * CELL_ASPECT
    cols, rows = _cell(x1 - x0, sx) + 1, _cell(y1 - y0, sy) + 1
    walls = [[0] * cols for _ in range(rows)]
    owner: list[list[str | None]] = [[None] * cols for _ in range(rows)]
    boxes: dict[str, list[tuple[int, int, int, int]]] = {}

    def box(rect) -> tuple[int, int, int, int]:
        c0, c1 = _cell(rect.x_m - x0, sx), _cell(rect.x_m + rect.width_m - x0, sx)
        r0, r1 = _cell(y1 - rect.y_m - rect.depth_m, sy), _cell(y1 - rect.y_m, sy)
        c1, r1 = max(c1, c0 + 1), max(r1, r0 + 1)
        return c0, min(c1, cols - 1), r0, min(r1, rows - 1)

    # Larger zones first, so a small room drawn over a big one stays visible.
    for zone in sorted(zones, key=lambda z: -z.area_m2):
        for rect in zone.shapes:
            c0, c1, r0, r1 = box(rect)
            boxes.setdefault(zone.id, []).append((c0, c1, r0, r1))
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    owner[r][c] = zone.id
    for rects in boxes.values():
        for c0, c1, r0, r1 in rects:
            for c in range(c0, c1 + 1):
                for r in (r0, r1):
                    walls[r][c] |= (_LEFT if c > c0 else 0) | (_RIGHT if c < c1 else 0)
            for r in range(r0, r1 + 1):
                for c in (c0, c1):
                    walls[r][c] |= (_UP if r > r0 else 0) | (_DOWN if r < r1 else 0)

    counts = state.zones if state is not None else {}
    smoky = set(state.smoky_zones) if state is not None else set()
    untenable = set(state.untenable_zones) if state is not None else set()
    threat = state.threat_zone if state is not None else None
    by_id = {z.id: z for z in zones}
    chars = [[" "] * cols for _ in range(rows)]
    styles: list[list[Style | None]] = [[None] * cols for _ in range(rows)]
    for r in range(rows):
        for c in range(cols):
            zone_id = owner[r][c]
            if walls[r][c]:
                chars[r][c], styles[r][c] = _BOX.get(walls[r][c], "┼"), _WALL
                owner[r][c] = None if _on_boundary(boxes.get(zone_id, ()), r, c) else zone_id
            elif zone_id is not None:
                zone = by_id[zone_id]
                bg = density_colour(counts.get(zone_id, 0) / zone.area_m2)
                if zone_id in untenable:
                    chars[r][c], styles[r][c] = _UNTENABLE[0], Style(color=_UNTENABLE[1], bgcolor=bg)
                elif zone_id in smoky:
                    chars[r][c], styles[r][c] = _SMOKE[0], Style(color=_SMOKE[1], bgcolor=bg)
                else:
                    styles[r][c] = Style(bgcolor=bg)
    if threat in boxes:
        for c0, c1, r0, r1 in boxes[threat]:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if walls[r][c] and (r in (r0, r1) or c in (c0, c1)):
                        styles[r][c] = _THREAT_WALL
    for zone in zones:
        _label(zone, boxes[zone.id], counts.get(zone.id), zone.id == threat, chars, styles)
    _openings(venue, floor, zones, x0, y1, sx, sy, chars, styles, state)

    title = Text(f" Floor {floor} ", style="bold")
    lines = [title]
    for r in range(rows):
        line = Text()
        for c in range(cols):
            line.append(chars[r][c], styles[r][c])
        lines.append(line)
    return lines, [[None] * cols, *owner]


def _on_boundary(rects, r: int, c: int) -> bool:
    return not any(c0 < c < c1 and r0 < r < r1 for c0, c1, r0, r1 in rects)


def _label(zone, rects, count, is_threat: bool, chars, styles) -> None:
    """Write the zone's name and head count in its largest rectangle, in the fullest form that fits.

    The forms go from three lines (threat mark, name, count) down to an abbreviation on one
    line; the threat mark is kept longest, then the count, since those are what the room needs.
    """
    c0, c1, r0, r1 = max(rects, key=lambda b: (b[1] - b[0]) * (b[3] - b[2]))
    inner_w, inner_h = c1 - c0 - 1, r1 - r0 - 1
    if inner_w < 1 or inner_h < 1:
        return
    name, short = zone.id.replace("_", " "), _abbreviation(zone.id)
    mark = [("▲ THREAT", _THREAT_LABEL)] if is_threat else []
    number = [(f"{count:,}", None)] if count is not None else []
    glyph = "▲ " if is_threat else ""
    tail = f" {count:,}" if count is not None else ""
    label = _THREAT_LABEL if is_threat else _NAME
    forms = [
        [*mark, (name, _NAME), *number],
        [(glyph + name, label), *number],
        [(glyph + name + tail, label)],
        [(glyph + short + tail, label)],
        [(glyph + short, label)],
        [(glyph.strip() or short, label)],
    ]
    lines = next((f for f in forms if len(f) <= inner_h and all(len(t) <= inner_w for t, _ in f)), forms[-1])
    top = r0 + 1 + max(0, (inner_h - len(lines)) // 2)
    for i, (text, style) in enumerate(lines[:inner_h]):
        text = text[:inner_w]
        start = c0 + 1 + (inner_w - len(text)) // 2
        for j, ch in enumerate(text):
            row, col = top + i, start + j
            base = styles[row][col] or Style()
            chars[row][col] = ch
            ink = Style(color=_text_on(base.bgcolor.name if base.bgcolor else None))
            styles[row][col] = base + ink + style if style else base + ink


def _abbreviation(zone_id: str) -> str:
    """`cloakroom_store` → `cs`, `entrance13` → `e13`: for rooms too small for their name."""
    words = zone_id.split("_")
    digits = "".join(ch for ch in words[-1] if ch.isdigit())
    return "".join(w[0] for w in words if w) + digits


def _text_on(bg: str | None) -> str:
    """Black or white text, whichever reads better on the fill."""
    if not bg or not bg.startswith("#"):
        return "#ffffff"
    r, g, b = (int(bg[i : i + 2], 16) for i in (1, 3, 5))
    return "#101010" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#f0f0f0"


def _openings(venue, floor, zones, x0, y1, sx, sy, chars, styles, state) -> None:
    """Mark each opening of this floor on its wall; shut ones last so they are never hidden."""
    on_floor = {z.id: z for z in zones}
    all_zones = {z.id: z for z in venue.zones}
    rows, cols = len(chars), len(chars[0])
    marks = []
    for opening in venue.openings:
        if not any(side in on_floor for side in opening.between):
            continue
        point = opening.at_m
        if point is None:
            a, b = (all_zones.get(s) for s in opening.between)
            point = shared_edge_point(a, b) if a and b else None
        if point is None:
            continue
        c, r = _cell(point[0] - x0, sx), _cell(y1 - point[1], sy)
        if 0 <= r < rows and 0 <= c < cols:
            status = state.openings.get(opening.id, opening.state) if state is not None else opening.state
            marks.append((("open", "closed", "locked").index(status), r, c, status))
    for _, r, c, status in sorted(marks):
        symbol, style = OPENING_MARKS[status]
        chars[r][c], styles[r][c] = symbol, Style.parse(style)
