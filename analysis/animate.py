"""A run played back on the venue's plan (`ttxsim animate`): a GIF or MP4, and a strip of moments.

Each frame is the plan of `plan.py` with every zone shaded by its density (people per m², on
one fixed scale so frames and protocols compare), the people queued at each opening written
beside it, the threat's zone outlined in red, smoky zones dotted and untenable ones
cross-hatched, and the scenario clock. The run is stepped through the model's own stepping
API (`Simulation.run_until` and `state()`), every `step_s` seconds, so nothing is added to
the model's hot path and the frames are those of the very run `ttxsim run` gives on that
seed. With a second protocol the two are drawn side by side on the same seed (common random
numbers), so the difference is the protocol's doing.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from ttxsim.sim import BASELINE, SimState, Simulation

from .plan import STATE_COLOURS, FloorPanels, draw_floors, panel_size_in

__all__ = ["DENSITY_MAX_P_M2", "MOVIE_FORMATS", "Playback", "animation_figure", "median_rset_seed",
           "record_states", "write_movie", "write_strip"]

DENSITY_MAX_P_M2 = 4.0
"""Top of the density colour scale: a little above the jam density (3.8 /m², SFPE), where walking stops."""

MOVIE_FORMATS = (".gif", ".mp4")
"""Suffixes `ttxsim animate --out` accepts: GIF (Pillow) or MP4 (ffmpeg, when on PATH)."""

MAX_FRAMES = 3000
"""A run is cut at this many frames: at 10 s a step, over eight hours of scenario time."""

_START_S = 1e-3
"""The first snapshot's time: just after the event begins, which a scenario with days before
it (warnings, posture) reaches only to within the rounding of those days' seconds."""

_CMAP = colormaps["YlOrRd"]
_NORM = Normalize(vmin=0.0, vmax=DENSITY_MAX_P_M2)
_THREAT = "#08306b"


@dataclass(frozen=True)
class Playback:
    """One protocol's run, sampled for drawing: its snapshots every `step_s` seconds."""

    protocol: str
    seed: int
    states: tuple[SimState, ...]


def record_states(scenario: Any, *, protocol: str | None, seed: int, step_s: float,
                  until_s: float | None = None) -> Playback:
    """Run `protocol` on `seed` and take a snapshot at 0, step_s, 2·step_s, … until it finishes.

    The snapshots run from the event's start (t = 0) to the step at or after the run's end
    (everyone out, or the horizon), or to `until_s`: 1 + ⌈end / step_s⌉ of them.

    Raises:
        KeyError: If the protocol is unknown.
    """
    sim = Simulation(scenario, protocol=protocol, seed=seed)
    sim.run_until(_START_S)
    states = [sim.state()]
    t = 0.0
    while not sim.finished and len(states) < MAX_FRAMES and (until_s is None or t < until_s):
        t += step_s
        sim.run_until(t)
        states.append(sim.state())
    return Playback(protocol=protocol or BASELINE, seed=seed, states=tuple(states))


def _clock(t: float) -> str:
    sign, t = ("-" if t < 0 else "+"), abs(t)
    return f"T{sign}{int(t // 3600):02d}:{int(t % 3600 // 60):02d}:{int(t % 60):02d}"


class _Painter:
    """One protocol's panels, and how to paint a snapshot on them."""

    def __init__(self, fig: Figure, cell: Any, scenario: Any, playback: Playback):
        self.playback = playback
        self.variant = scenario.with_protocol(playback.protocol)
        self.panels: FloorPanels = draw_floors(fig, cell, self.variant)
        self.areas = {z.id: z.area_m2 for z in self.variant.venue.zones}
        self.stairs = {z.id for z in self.variant.venue.zones if z.kind == "stair"}
        self.queues = {}
        for o in self.panels.openings:
            if o.floor in self.panels.axes:
                nx, ny = o.outward or (0.0, 0.0)  # an exit's queue stands inside, clear of its arrow
                self.queues[o.spec.id] = self.panels.axes[o.floor].text(
                    o.at[0] - 3.0 * nx, o.at[1] - 3.0 * ny, "", fontsize=6, ha="center", va="center",
                    zorder=9, visible=False,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "#333333", "lw": 0.5})
        box = cell.get_position(fig)
        above = 0.22 / fig.get_figheight()  # clear of the top floor's title
        self.caption = fig.text(box.x0, box.y1 + above, "", fontsize=8, ha="left", va="bottom")

    def paint(self, index: int) -> None:
        """Show snapshot `index` (the last one once the run has finished)."""
        states = self.playback.states
        state = states[min(index, len(states) - 1)]
        smoky, untenable = set(state.smoky_zones), set(state.untenable_zones)
        for zone_id, patches in self.panels.patches.items():
            density = state.zones.get(zone_id, 0) / self.areas[zone_id]
            hatch = ("xxx" if zone_id in untenable else "..." if zone_id in smoky
                     else "////" if zone_id in self.stairs else None)
            threat = zone_id == state.threat_zone
            for patch in patches:
                patch.set_facecolor(_CMAP(_NORM(density)))
                patch.set_hatch(hatch)
                patch.set_edgecolor(_THREAT if threat else "#404040")
                patch.set_linewidth(3.0 if threat else 0.8)
        for opening_id, line in self.panels.opening_lines.items():
            line.set_color(STATE_COLOURS.get(state.openings.get(opening_id, ""), "#777777"))
        for opening_id, text in self.queues.items():
            waiting = state.queues.get(opening_id, 0)
            text.set_visible(waiting > 0)
            text.set_text(f"{waiting:,}")
        self.caption.set_text(f"{self.playback.protocol}  {_clock(state.t)}\n"
                              f"safe {state.safe:,} · inside {state.inside:,} · "
                              f"sheltered {state.sheltered:,} · harmed {state.harmed:,}")


def animation_figure(scenario: Any, playbacks: list[Playback], *, width_in: float = 7.0
                     ) -> tuple[Figure, list[_Painter]]:
    """The figure of the animation: one column of floors per protocol and a density colour bar."""
    _, heights = panel_size_in(scenario.venue, width_in)
    cols = len(playbacks)
    height = sum(heights) + 0.5 * len(heights) + 1.9
    fig = Figure(figsize=(width_in * cols + 0.4, height))
    grid = fig.add_gridspec(1, cols, left=0.02, right=0.98, top=1 - 0.85 / height, bottom=1.0 / height,
                            wspace=0.05)
    painters = [_Painter(fig, grid[0, c], scenario, p) for c, p in enumerate(playbacks)]
    bar = fig.add_axes((0.2, 0.55 / height, 0.6, 0.12 / height))
    fig.colorbar(ScalarMappable(norm=_NORM, cmap=_CMAP), cax=bar, orientation="horizontal",
                 label="people per m² · numbers at openings: people queued · blue outline: the threat · "
                       "dots: smoke · crosses: untenable")
    bar.xaxis.label.set_fontsize(7)
    bar.tick_params(labelsize=7)
    fig.suptitle(f"{scenario.meta.name}, seed {playbacks[0].seed}", x=0.02, y=1 - 0.08 / height, ha="left",
                 va="top", fontsize=9, fontweight="bold")
    return fig, painters


def frame_count(playbacks: list[Playback]) -> int:
    """Frames of the animation: the longest run's snapshots (a shorter run holds its last one)."""
    return max(len(p.states) for p in playbacks)


def write_movie(scenario: Any, playbacks: list[Playback], out_path: str | Path, *, fps: int = 8,
                dpi: int = 80) -> Path:
    """Write the animation as GIF (Pillow) or MP4 (ffmpeg), replacing `out_path` whole or not at all.

    Raises:
        ValueError: If the suffix is not .gif or .mp4, or MP4 is asked for without ffmpeg.
        OSError: If the file cannot be written; any previous file is kept.
    """
    from matplotlib.animation import FFMpegWriter, FuncAnimation, PillowWriter

    path = Path(out_path)
    suffix = path.suffix.lower()
    if suffix not in MOVIE_FORMATS:
        raise ValueError(f"{path}: unknown suffix {path.suffix or '(none)'!r}; use .gif or .mp4")
    if suffix == ".mp4" and shutil.which("ffmpeg") is None:
        raise ValueError(f"{path}: MP4 needs ffmpeg, which is not on PATH; install it or write a .gif")
    fig, painters = animation_figure(scenario, playbacks)

    def update(index: int) -> list[Any]:
        for painter in painters:
            painter.paint(index)
        return []

    movie = FuncAnimation(fig, update, frames=frame_count(playbacks), blit=False, repeat=False)
    writer = PillowWriter(fps=fps) if suffix == ".gif" else FFMpegWriter(fps=fps)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp{suffix}")
    try:
        movie.save(str(temp), writer=writer, dpi=dpi)
        os.replace(temp, path)
    finally:
        if temp.exists():
            temp.unlink()
    return path


def strip_moments(playbacks: list[Playback], count: int = 6) -> list[int]:
    """The frame indices of a strip: `count` moments evenly spread from the start to the end."""
    return sorted({round(i) for i in np.linspace(0, frame_count(playbacks) - 1, count)})


def write_strip(scenario: Any, playbacks: list[Playback], out_path: str | Path, *, count: int = 6,
                dpi: int = 100) -> Path:
    """Write a PNG of `count` moments of the run side by side (one row per protocol), for reports.

    Raises:
        OSError: If the file cannot be written; any previous file is kept.
    """
    from ttxsim.sim import atomic_output

    moments = strip_moments(playbacks, count)
    width_in = 3.2
    _, heights = panel_size_in(scenario.venue, width_in)
    rows = len(playbacks)
    row_in = sum(heights) + 0.4 * len(heights) + 0.5
    height = row_in * rows + 1.3
    fig = Figure(figsize=(width_in * len(moments) + 0.4, height))
    grid = fig.add_gridspec(rows, len(moments), left=0.01, right=0.99, top=1 - 0.7 / height,
                            bottom=0.75 / height, wspace=0.05, hspace=0.5 / row_in)
    for r, playback in enumerate(playbacks):
        for c, index in enumerate(moments):
            painter = _Painter(fig, grid[r, c], scenario, playback)
            for ax in painter.panels.axes.values():
                ax.title.set_fontsize(6)
            painter.caption.set_fontsize(6)
            painter.paint(index)
    bar = fig.add_axes((0.3, 0.4 / height, 0.4, 0.1 / height))
    fig.colorbar(ScalarMappable(norm=_NORM, cmap=_CMAP), cax=bar, orientation="horizontal",
                 label="people per m²")
    bar.xaxis.label.set_fontsize(7)
    bar.tick_params(labelsize=6)
    fig.suptitle(f"{scenario.meta.name}, seed {playbacks[0].seed}: {len(moments)} moments", x=0.01,
                 y=1 - 0.08 / height, ha="left", va="top", fontsize=9, fontweight="bold")
    path = Path(out_path)
    with atomic_output(path) as out:
        fig.savefig(out, format="png", dpi=dpi)
    return path


def median_rset_seed(store: Any, protocol: str) -> int:
    """The seed of `protocol`'s median-RSET run in a results store (the one its heat map shows).

    Raises:
        LookupError: If the store holds no run of it with an RSET.
    """
    from .plots import representative

    index = representative(store, protocol)
    if index is None:
        held = store.count(protocol)
        raise LookupError(f"{store.path}: no run of protocol {protocol!r} with an RSET "
                          f"({held} run{'s' if held != 1 else ''} of it stored)")
    return int(store.runs(protocol, metrics=["rset_s"])[index]["seed"])
