"""The subcommands that draw a venue: `ttxsim plan` (its floor plan) and `ttxsim animate` (a run on it).

Thin, as the other commands: parse, check everything a typo could get wrong (the file, the
protocol, the output's suffix and folder, ffmpeg for MP4) before any run or drawing, call
`plan.py` or `animate.py`, and say what was written. matplotlib is imported inside the
commands. Every output is written to a temporary file and renamed, so a failure leaves any
previous file whole; problems are one line on stderr and exit status 2 (1 for a full disk).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from ttxsim.sim.commands import SCENARIO_PATH, exit_invalid, load_or_exit, plural, protocol_or_exit

from .cli_problems import output_file, store_problems, writing

__all__ = ["animate", "plan"]

_PLAN_SUFFIXES = (".svg", ".png", ".pdf")
_MOVIE_SUFFIXES = (".gif", ".mp4")


def _suffix_or_exit(out: str, allowed: tuple[str, ...], option: str = "--out") -> Path:
    path = Path(out)
    if path.suffix.lower() not in allowed:
        exit_invalid(f"{out}: {option}: unknown suffix {path.suffix or '(none)'!r}; use {', '.join(allowed)}")
    return output_file(path)


@click.command()
@click.argument("file", type=SCENARIO_PATH)
@click.option("-p", "--protocol", metavar="NAME", default=None,
              help="Draw the openings' states, the threat's route and the fire as this protocol sets them.")
@click.option("-o", "--out", required=True, type=click.Path(path_type=str), metavar="FILE",
              help="The figure to write: .svg, .png or .pdf.")
@click.option("--dpi", type=click.IntRange(min=20, max=1200), default=150, show_default=True,
              help="Resolution of a PNG.")
def plan(file: str, protocol: str | None, out: str, dpi: int) -> None:
    """Draw the venue's floor plan, every floor to one scale, as SVG, PNG or PDF.

    Zones are labelled with their name, area, capacity at the jam density and the people in
    them at the start; openings are drawn at their width in their state (open, closed,
    locked); exits, stairs, hiding places, the threat's route and the fire's zone are marked.
    Exits 2 on an invalid scenario, an unknown protocol or an output it cannot write.
    """
    scenario = load_or_exit(file)
    protocol_or_exit(scenario, file, protocol)
    path = _suffix_or_exit(out, _PLAN_SUFFIXES)

    from .plan import plan_figure, save_figure

    fig = plan_figure(scenario, protocol=protocol)
    with writing(path):
        save_figure(fig, path, dpi=dpi)
    click.echo(f"wrote {path}")


@click.command()
@click.argument("file", type=SCENARIO_PATH, required=False)
@click.option("-p", "--protocol", metavar="NAME", default=None,
              help="The protocol to play. Default: baseline.")
@click.option("-s", "--seed", type=click.IntRange(min=0), default=None,
              help="The run's seed (default 0; with --store, the median-RSET run's).")
@click.option("--compare", "other", metavar="P2", default=None,
              help="Play this protocol beside it, on the same seed.")
@click.option("-o", "--out", required=True, type=click.Path(path_type=str), metavar="FILE",
              help="The animation to write: .gif, or .mp4 (needs ffmpeg on PATH).")
@click.option("--strip", type=click.Path(path_type=str), metavar="PNG", default=None,
              help="Also write a PNG of 6 moments of the run, for reports.")
@click.option("--fps", type=click.IntRange(min=1, max=60), default=8, show_default=True,
              help="Frames per second of the animation.")
@click.option("--step-s", type=click.FloatRange(min=0.5, max=3600.0), default=10.0, show_default=True,
              help="Scenario seconds between frames.")
@click.option("--until-s", type=click.FloatRange(min=0.0), default=None,
              help="Stop at this scenario time (default: when the run ends).")
@click.option("--dpi", type=click.IntRange(min=20, max=600), default=80, show_default=True,
              help="Resolution of the frames.")
@click.option("--store", "store_path", type=click.Path(path_type=str), metavar="S", default=None,
              help="Take the scenario from this results store and play its median-RSET run of --protocol.")
def animate(file: str | None, protocol: str | None, seed: int | None, other: str | None, out: str,
            strip: str | None, fps: int, step_s: float, until_s: float | None, dpi: int,
            store_path: str | None) -> None:
    """Play a run on the venue's plan as a GIF or MP4: density, queues, threat, smoke, clock.

    Each zone is shaded by people per m² on a fixed scale; the people queued at an opening are
    written at it; the threat's zone is outlined, smoky zones dotted, untenable ones crossed.
    With --compare a second protocol plays beside it on the same seed. With --store (and no
    FILE) the scenario is the batch's and the run is --protocol's median-RSET one. Exits 2 on
    an invalid scenario or store, an unknown protocol, an output it cannot write, or MP4
    without ffmpeg.
    """
    if (file is None) == (store_path is None):
        raise click.UsageError("give a scenario FILE or --store, not both or neither")
    if store_path is not None:
        scenario, source, seed = _from_store(store_path, protocol, seed)
    else:
        assert file is not None
        scenario, source = load_or_exit(file), file
    protocol_or_exit(scenario, source, protocol)
    if other is not None and other not in scenario.protocol_names:
        exit_invalid(f"{source}: --compare: unknown protocol {other!r}; this scenario has: "
                     f"{', '.join(scenario.protocol_names)}")
    path = _suffix_or_exit(out, _MOVIE_SUFFIXES)
    if path.suffix.lower() == ".mp4" and shutil.which("ffmpeg") is None:
        exit_invalid(f"{out}: MP4 needs ffmpeg, which is not on PATH; install it, or write a .gif")
    strip_path = _suffix_or_exit(strip, (".png",), "--strip") if strip else None

    from . import animate as playback

    seed = 0 if seed is None else seed
    runs = [playback.record_states(scenario, protocol=p, seed=seed, step_s=step_s, until_s=until_s)
            for p in ([protocol, other] if other else [protocol])]
    with writing(path):
        playback.write_movie(scenario, runs, path, fps=fps, dpi=dpi)
    frames = playback.frame_count(runs)
    click.echo(f"wrote {path} ({plural(frames, 'frame')}, {step_s:g} s apart, seed {seed})")
    if strip_path is not None:
        with writing(strip_path):
            playback.write_strip(scenario, runs, strip_path)
        click.echo(f"wrote {strip_path}")


def _from_store(store_path: str, protocol: str | None, seed: int | None) -> tuple[object, str, int]:
    """The batch's scenario and the seed to play: `seed` if given, else `protocol`'s median-RSET run's."""
    from ttxsim.sim import ScenarioError, parse_scenario

    from .animate import median_rset_seed
    from .commands import open_store

    with open_store(store_path) as store, store_problems():
        exp = store.experiment()
        try:
            scenario = parse_scenario(exp["scenario_text"], exp.get("scenario_name") or store_path)
        except ScenarioError as exc:
            exit_invalid(f"{store_path}: its scenario no longer validates: {exc}")
        name, held = protocol or "baseline", list(exp["protocols"])
        if name not in held:
            exit_invalid(f"{store_path}: --protocol: no runs of {name!r}; it holds {', '.join(held)}")
        if seed is None:
            try:
                seed = median_rset_seed(store, name)
            except LookupError as exc:
                exit_invalid(str(exc))
    return scenario, store_path, seed
