"""The venue's floor plan as a figure a planner can check a scenario against (`ttxsim plan`).

Every floor is drawn to one scale, one panel per floor stacked top to bottom with the lowest
floor at the bottom, so a door that is too wide or an exit in the middle of a room is seen at
once. Zones carry their name, area, jam capacity and the people in them at the start;
openings are drawn along their wall at their clear width, coloured by state under the chosen
protocol; the threat's route, the fire's zone, hiding places and stairs are marked. The legend,
the key to zones too small to label and the scale bar sit outside the panels, never on them.
`draw_floors` is shared with the animation (`animate.py`), which shades the same zones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch

from ttxsim.sim.scenario.venue import OUTSIDE

from .plan_geometry import PlacedOpening, floor_bounds, label_box, label_point, place_openings, zone_path

__all__ = ["FORMATS", "STATE_COLOURS", "FloorPanels", "draw_floors", "plan_figure", "report_figures",
           "save_figure"]

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
"""Output suffixes of `ttxsim plan` and the matplotlib format each one means."""

STATE_COLOURS = {"open": "#1a9641", "closed": "#f0a202", "locked": "#d7191c"}
"""An opening's colour by state: green open, amber closed (staff may open it), red locked."""

_FILL = {"room": "#f5f5f5", "hall": "#f2f2f2", "foyer": "#eef3f8", "corridor": "#f6f1e4",
         "stair": "#e4e4e4", "outside": "#e3f2e1"}
_THREAT, _FIRE, _HIDE, _WALL = "#b2182b", "#e66101", "#5e3c99", "#404040"
_MARGIN_M = 4.0
_SIDE_MARGIN_M = 10.0
"""Left and right of a floor: room for an exit's arrow and its label beyond the outer wall."""
_MIN_FONT_PT, _MAX_FONT_PT = 4.5, 8.0


@dataclass
class FloorPanels:
    """The axes of a drawn venue, one per floor, and the zone patches on them (to shade)."""

    figure: Figure
    axes: dict[int, Any]
    patches: dict[str, list[PathPatch]] = field(default_factory=lambda: defaultdict(list))
    """Each zone's patch on each floor it is drawn on, by id."""
    openings: list[PlacedOpening] = field(default_factory=list)
    opening_lines: dict[str, Any] = field(default_factory=dict)
    """Each opening's coloured line, by id (an animation recolours it as its state changes)."""
    inches_per_m: float = 0.1


def _floors(venue: Any) -> list[int]:
    return sorted({f for z in venue.zones for f in z.floors})


def panel_size_in(venue: Any, width_in: float) -> tuple[float, list[float]]:
    """The scale (inches per metre) at which the widest floor fills `width_in`, and each floor's height."""
    floors = _floors(venue)
    bounds = [floor_bounds(venue, f) for f in floors]
    span = max(b[2] - b[0] for b in bounds) + 2 * _MARGIN_M
    scale = width_in / span
    return scale, [(b[3] - b[1] + 2 * _MARGIN_M) * scale for b in bounds]


def draw_floors(fig: Figure, cell: Any, scenario: Any) -> FloorPanels:
    """Draw the venue's zones and openings into a gridspec `cell`, one axes per floor, one scale.

    The lowest floor is at the bottom; each panel spans as many metres across as the widest
    floor, so a metre is the same length in every panel.
    """
    venue = scenario.venue
    floors = _floors(venue)[::-1]
    bounds = {f: floor_bounds(venue, f) for f in floors}
    span = max(b[2] - b[0] for b in bounds.values()) + 2 * _SIDE_MARGIN_M
    heights = [bounds[f][3] - bounds[f][1] + 2 * _MARGIN_M for f in floors]
    gap_m = 2.5 * _MARGIN_M  # room for the next panel's title, in metres of the shared scale
    grid = cell.subgridspec(len(floors), 1, height_ratios=heights,
                            hspace=gap_m / (sum(heights) / len(heights)))
    panels = FloorPanels(figure=fig, axes={})
    for row, f in enumerate(floors):
        x0, y0, _, y1 = bounds[f]
        ax = fig.add_subplot(grid[row, 0])
        ax.set_xlim(x0 - _SIDE_MARGIN_M, x0 - _SIDE_MARGIN_M + span)
        ax.set_ylim(y0 - _MARGIN_M, y1 + _MARGIN_M)
        ax.set_aspect("equal", adjustable="box", anchor="W")
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ax.spines.values():
            side.set_visible(False)
        ax.set_title(f"Floor {f}", loc="left", fontsize=9, pad=3)
        panels.axes[f] = ax
    for zone in venue.zones:
        for f in zone.floors:
            upper = zone.kind == "stair" and f != zone.floor
            patch = PathPatch(zone_path(zone), facecolor=_FILL.get(zone.kind, "#f5f5f5"),
                              edgecolor=_WALL, linewidth=0.8, linestyle="--" if upper else "-",
                              hatch="////" if zone.kind == "stair" else None, zorder=1)
            panels.axes[f].add_patch(patch)
            panels.patches[zone.id].append(patch)
    panels.openings = place_openings(venue)
    for o in panels.openings:
        if o.floor in panels.axes:
            panels.opening_lines[o.spec.id] = _draw_opening(panels.axes[o.floor], o)
    return panels


def _draw_opening(ax: Any, o: PlacedOpening) -> Any:
    """The opening as a gap in the wall at its clear width, coloured by state; returns the coloured line."""
    (ax0, ay0), (ax1, ay1) = o.ends()
    colour = STATE_COLOURS[o.spec.state]
    ax.plot([ax0, ax1], [ay0, ay1], color="white", linewidth=4.5, solid_capstyle="butt", zorder=3)
    (line,) = ax.plot([ax0, ax1], [ay0, ay1], color=colour, linewidth=2.6, solid_capstyle="butt", zorder=4)
    if o.spec.state == "locked":
        ax.plot([o.at[0]], [o.at[1]], marker="x", color=colour, markersize=5, mew=1.5, zorder=5)
    if o.outward is not None:
        (x, y), (nx, ny) = o.at, o.outward
        ax.annotate("", xy=(x + 3.0 * nx, y + 3.0 * ny), xytext=(x + 0.3 * nx, y + 0.3 * ny),
                    arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.2}, zorder=5)
    return line


def _people(scenario: Any) -> tuple[dict[str, int], dict[str, int]]:
    """People in each zone at t = 0, and latecomers due in each zone later."""
    present: dict[str, int] = defaultdict(int)
    later: dict[str, int] = defaultdict(int)
    for group, count in zip(scenario.population.occupants, scenario.population.counts, strict=True):
        (later if group.arrives_s is not None else present)[group.zone] += count
    return present, later


def _zone_lines(zone: Any, venue: Any, present: dict[str, int], later: dict[str, int]) -> list[str]:
    limit = zone.max_density_p_m2 or venue.jam_density_p_m2
    lines = [zone.name or zone.id, f"{zone.area_m2:,.0f} m² · cap {zone.area_m2 * limit:,.0f}",
             f"{present.get(zone.id, 0):,} people"
             + (f" +{later[zone.id]:,} later" if later.get(zone.id) else "")]
    if zone.kind == "stair":
        lines.append(f"stair, floors {zone.floors.start} to {zone.floors.stop - 1}")
    if zone.hide_capacity:
        lines.append(f"hiding place for {zone.hide_capacity:,}")
    return lines


def _font_to_fit(lines: Sequence[str], box_m: tuple[float, float], inches_per_m: float) -> tuple[float, int]:
    """The largest font (pt) and rotation (0 or 90°) at which the lines fit in the box; 0 pt if none."""
    best = (0.0, 0)
    for rotation, (w, h) in ((0, box_m), (90, box_m[::-1])):
        room_w, room_h = w * inches_per_m * 72 * 0.9, h * inches_per_m * 72 * 0.9
        size = min(_MAX_FONT_PT, room_w / (0.56 * max(map(len, lines))), room_h / (1.25 * len(lines)))
        if size > best[0] + 0.5:
            best = (size, rotation)
    return best if best[0] >= _MIN_FONT_PT else (0.0, 0)


def _zone_labels(scenario: Any, inches_per_m: float) -> dict[str, tuple[list[str], float, int]]:
    """Each zone's label lines and the font (pt, 0 if it does not fit) and rotation to draw them at."""
    venue = scenario.venue
    present, later = _people(scenario)
    out = {}
    for zone in venue.zones:
        lines = _zone_lines(zone, venue, present, later)
        out[zone.id] = (lines, *_font_to_fit(lines, label_box(zone), inches_per_m))
    return out


def _label_zones(panels: FloorPanels, scenario: Any, labels: dict[str, tuple[list[str], float, int]]) -> None:
    """Label each zone in place where its text fits; the rest get a number for the key (`_key`)."""
    n = 0
    for zone in scenario.venue.zones:
        lines, size, rotation = labels[zone.id]
        ax, (x, y) = panels.axes[zone.floor], label_point(zone)
        if size:
            ax.text(x, y, "\n".join(lines), ha="center", va="center", fontsize=size, rotation=rotation,
                    linespacing=1.15, zorder=7,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.7})
        else:
            n += 1
            ax.text(x, y, f"[{n}]", ha="center", va="center", fontsize=_MIN_FONT_PT + 1, zorder=6,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "#888888", "lw": 0.5})


def _key(labels: dict[str, tuple[list[str], float, int]]) -> list[str]:
    """The key's lines for the zones too small to label, numbered as `_label_zones` numbers them."""
    small = [lines for lines, size, _ in labels.values() if not size]
    return [f"[{n}] " + "; ".join(lines) for n, lines in enumerate(small, start=1)]


def _label_openings(panels: FloorPanels) -> None:
    """Each opening's id and width beside it.

    An exit's goes beyond its arrow, level; a door's beside its wall, alternating sides
    between doors of the same two zones, so that a row of them stays legible.
    """
    seen: dict[tuple[str, ...], int] = defaultdict(int)
    for o in panels.openings:
        ax = panels.axes.get(o.floor)
        if ax is None:
            continue
        (x, y), (ux, uy) = o.at, o.along
        text = f"{o.spec.id} {o.spec.width_m:g} m"
        style = {"fontsize": 5, "color": STATE_COLOURS[o.spec.state], "zorder": 7,
                 "bbox": {"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.75}}
        if o.outward is not None:
            nx, ny = o.outward
            ha = "left" if nx > 0.5 else "right" if nx < -0.5 else "center"
            va = "bottom" if ny > 0.5 else "top" if ny < -0.5 else "center"
            ax.text(x + nx * 3.4, y + ny * 3.4, text, ha=ha, va=va, **style)
            continue
        pair = tuple(sorted(o.spec.between))
        side = 1 if seen[pair] % 2 == 0 else -1
        seen[pair] += 1
        nx, ny = -uy * side, ux * side
        ax.text(x + nx * 1.0, y + ny * 1.0, text, ha="center", va="center",
                rotation=90 if abs(ux) < abs(uy) else 0, **style)


def _mark_incident(panels: FloorPanels, scenario: Any) -> None:
    """The threat's route (numbered stops, arrows within a floor) and the fire's zone."""
    zones = {z.id: z for z in scenario.venue.zones}
    incident = scenario.incident
    fires = [f for f in [incident.fire, *incident.further_fires] if f is not None]
    for fire in fires:
        for patch in panels.patches.get(fire.zone, []):
            patch.set_edgecolor(_FIRE)
            patch.set_linewidth(2.0)
            patch.set_facecolor("#fde0c5")
    for zone in zones.values():
        if zone.hide_capacity:
            for patch in panels.patches[zone.id]:
                patch.set_edgecolor(_HIDE)
                patch.set_linewidth(1.6)
    if incident.threat is None:
        return
    stops = [zones[s.zone] for s in incident.threat.route if s.zone in zones]
    points = []
    for zone in stops:
        (x, y), (w, h) = label_point(zone), label_box(zone)
        points.append((zone.floor, x - 0.3 * w, y - 0.3 * h))  # off the label, which is centred
    for (fa, xa, ya), (fb, xb, yb) in pairwise(points):
        if fa == fb:
            panels.axes[fa].annotate("", xy=(xb, yb), xytext=(xa, ya), zorder=8, arrowprops={
                "arrowstyle": "-|>", "color": _THREAT, "lw": 1.4, "linestyle": "--",
                "shrinkA": 5, "shrinkB": 5})
    for n, (f, x, y) in enumerate(points, start=1):
        panels.axes[f].text(x, y, str(n), ha="center", va="center", fontsize=6, color="white", zorder=9,
                            fontweight="bold",
                            bbox={"boxstyle": "circle,pad=0.2", "fc": _THREAT, "ec": "none"})


def _scale_bar_and_north(panels: FloorPanels) -> None:
    """A scale bar under the lowest floor and a north arrow beside the top one, outside the data."""
    low, top = panels.axes[min(panels.axes)], panels.axes[max(panels.axes)]
    x0, x1 = low.get_xlim()
    y0 = low.get_ylim()[0]
    length = next(n for n in (5, 10, 20, 25, 50, 100, 200, 500) if n >= (x1 - x0) / 8)
    low.plot([x0, x0 + length], [y0 - 0.5, y0 - 0.5], color="black", lw=2.5, clip_on=False,
             solid_capstyle="butt")
    low.text(x0 + length / 2, y0 - 1.2, f"{length} m", ha="center", va="top", fontsize=7, clip_on=False)
    top.annotate("N", xy=(1.0, 1.06), xytext=(1.0, 1.0), xycoords="axes fraction", ha="center", va="top",
                 fontsize=8, fontweight="bold", annotation_clip=False,
                 arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.2})


def _legend_handles(scenario: Any) -> list[Any]:
    """The legend's entries: the opening states always, the rest only where the plan has them."""
    zones, incident = scenario.venue.zones, scenario.incident
    handles: list[Any] = [Line2D([], [], color=c, lw=2.6, label=f"opening, {s}")
                          for s, c in STATE_COLOURS.items()]
    handles.append(Line2D([], [], color="#1a9641", marker=">", lw=1.2, label="exit to outside"))
    if any(z.kind == "stair" for z in zones):
        handles.append(Patch(facecolor=_FILL["stair"], hatch="////", edgecolor=_WALL,
                             label="stair (dashed: upper floors)"))
    if any(z.hide_capacity for z in zones):
        handles.append(Patch(facecolor="white", edgecolor=_HIDE, lw=1.6, label="hiding place"))
    if incident.threat is not None:
        handles.append(Line2D([], [], color=_THREAT, lw=1.4, ls="--", marker="o",
                              label="threat's route (stops 1, 2, …)"))
    if incident.fire is not None:
        handles.append(Patch(facecolor="#fde0c5", edgecolor=_FIRE, lw=2.0, label="fire's zone"))
    return handles


def plan_figure(scenario: Any, *, protocol: str | None = None, width_in: float = 11.0) -> Figure:
    """The floor plan of `scenario` under `protocol` (openings' states, route and fire as it sets them).

    Raises:
        KeyError: If the protocol is unknown.
    """
    variant = scenario.with_protocol(protocol)
    scale, heights = panel_size_in(variant.venue, width_in)
    labels = _zone_labels(variant, scale)
    key = _key(labels)
    head, foot = 0.45, 1.0 + 0.12 * (len(key) + (2 if key else 1))
    panels_in = sum(heights) + 2.5 * _MARGIN_M * scale * (len(heights) - 1)
    fig = Figure(figsize=(width_in + 0.4, panels_in + head + foot))
    height = fig.get_figheight()
    outer = fig.add_gridspec(1, 1, left=0.2 / (width_in + 0.4), right=1 - 0.2 / (width_in + 0.4),
                             top=1 - head / height, bottom=foot / height)
    panels = draw_floors(fig, outer[0, 0], variant)
    panels.inches_per_m = scale
    fig.suptitle(f"{variant.meta.name}: venue plan, protocol {variant.protocol}", x=0.02, y=1 - 0.1 / height,
                 ha="left", va="top", fontsize=10, fontweight="bold")
    _label_zones(panels, variant, labels)
    _label_openings(panels)
    _mark_incident(panels, variant)
    _scale_bar_and_north(panels)
    fig.legend(handles=_legend_handles(variant), loc="upper left", ncol=4, fontsize=6.5, frameon=False,
               handlelength=2.2, bbox_to_anchor=(0.02, (foot - 0.45) / height))
    exits = sum(o.is_exit for o in panels.openings)
    text = (f"{exits} exits to {OUTSIDE}; plan up is north. Zone labels: name; floor area; capacity at the "
            "jam density; people at the start. Openings: id and clear width.")
    if key:
        text += "\nZones too small to label:\n" + "\n".join(key)
    fig.text(0.02, (foot - 0.83) / height, text, fontsize=6, va="top", ha="left")
    return fig


def save_figure(fig: Figure, out_path: str | Path, *, dpi: int = 150) -> Path:
    """Save `fig` atomically in the format its suffix names (svg, png or pdf).

    Raises:
        ValueError: If the suffix is not one of `FORMATS`; nothing is written.
        OSError: If the file cannot be written; any previous file is kept.
    """
    from ttxsim.sim import atomic_output

    path = Path(out_path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"{path}: unknown suffix {path.suffix or '(none)'!r}; use .svg, .png or .pdf")
    from matplotlib import rc_context

    with rc_context({"svg.fonttype": "none"}), atomic_output(path) as out:  # SVG text stays text: searchable
        fig.savefig(out, format=fmt, dpi=dpi, metadata={"Date": None} if fmt == "svg" else None)
    return path


def report_figures(store: Any, protocol: str | None = None) -> list[tuple[str, str, Figure]]:
    """The plan of a batch's scenario as a report figure `(stem, caption, Figure)`; none if it cannot be.

    A store written by an older ttxsim may hold a scenario that no longer validates: its report
    still gives the numbers, without the plan.
    """
    from ttxsim.sim import ScenarioError, parse_scenario

    exp = store.experiment()
    try:
        scenario = parse_scenario(exp["scenario_text"], exp.get("scenario_name") or "scenario")
        fig = plan_figure(scenario, protocol=protocol)
    except (ScenarioError, KeyError, ValueError):
        return []
    return [("plan", f"Venue plan (protocol {scenario.with_protocol(protocol).protocol})", fig)]
