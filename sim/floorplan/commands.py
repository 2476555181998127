"""`ttxsim import-plan` and `ttxsim new`: a scenario from a drawing, or from a commented start.

Both write a scenario file and then validate it as `ttxsim validate` would, so the planner
sees at once what is left to fix (located problems on stderr, exit status 2) or that the file
is ready to run. Neither overwrites an existing file unless told to (`--force`).
"""

from __future__ import annotations

from pathlib import Path

import click

from ..commands import EXIT_INVALID, SCENARIO_PATH, echo_problems, exit_invalid

__all__ = ["import_plan", "new"]


@click.command("import-plan")
@click.argument("file", type=SCENARIO_PATH, metavar="PLAN.dxf|PLAN.geojson|PLAN.wkt")
@click.option("-o", "--out", type=SCENARIO_PATH, metavar="SCENARIO.yaml", default=None,
              help="Where to write the scenario (default: the plan's name with .yaml).")
@click.option("--name", default=None, help="The scenario's meta.name (default: from the file name).")
@click.option("--open-shared-edges", is_flag=True,
              help="Also join zones that share an edge with no door on it, by an open opening.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def import_plan(file: str, out: str | None, name: str | None, open_shared_edges: bool, force: bool) -> None:
    """Turn a floor plan into a scenario skeleton to complete (docs/floorplans.md).

    DXF: closed polylines on layer ZONES are zones (a text inside names each), lines or
    blocks on layer DOORS are doors. GeoJSON: Polygon features are zones, LineString
    features doors. A door on an edge two zones share joins them; a door in an outside
    wall is an exit. Values only the planner knows are marked TODO.
    """
    from .plan import PlanError, read_plan
    from .skeleton import skeleton_yaml

    target = Path(out) if out else Path(file).with_suffix(".yaml")
    if target.resolve() == Path(file).resolve():
        exit_invalid(f"{file}: --out: would overwrite the floor plan itself")
    try:
        text = skeleton_yaml(read_plan(file), name=name, open_shared_edges=open_shared_edges)
    except PlanError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise SystemExit(EXIT_INVALID) from None
    _write_and_check(target, text, force)


@click.command()
@click.argument("name")
@click.option("-o", "--out", type=SCENARIO_PATH, metavar="SCENARIO.yaml", default=None,
              help="Where to write it (default: NAME as a file name, with .yaml).")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def new(name: str, out: str | None, force: bool) -> None:
    """Write a commented starter scenario called NAME: a small venue with every section.

    It validates and runs as written; change it into your venue section by section.
    """
    from .starter import starter_yaml

    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in name.strip().lower()).strip("_")
    target = Path(out) if out else Path(f"{stem or 'scenario'}.yaml")
    _write_and_check(target, starter_yaml(name), force)


def _write_and_check(target: Path, text: str, force: bool) -> None:
    """Write `text` to `target`, then validate it: report what is left to fix, exit 2 if anything."""
    from ..scenario import ScenarioError, load_scenario

    if target.exists() and not force:
        exit_invalid(f"{target}: exists; give --force to overwrite it")
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        exit_invalid(f"{target}: {exc.strerror or exc}")
    try:
        scenario = load_scenario(target)
    except ScenarioError as exc:
        click.echo(f"wrote {target}; it does not validate yet:", err=True)
        echo_problems(exc)
        raise SystemExit(EXIT_INVALID) from None
    venue = scenario.venue
    click.echo(f"wrote {target}: {len(venue.zones)} zones, {len(venue.openings)} openings; "
               f"next: ttxsim validate {target}")
