"""The `ttxsim` command (DESIGN.md section 5): parse the arguments, call the library, render.

Everything heavy (the scenario models, the engine, rich) is imported inside the command
that needs it, so `ttxsim --help` and `ttxsim validate` start quickly. Input errors are
never tracebacks: they are printed as `FILE:LINE:COL: field.path: message`, one per line on
stderr, and the command exits with status 2 (the status click uses for usage errors).
"""

from __future__ import annotations

import json
from typing import Any

import click

__all__ = ["main"]

EXIT_INVALID = 2
"""Exit status for an invalid scenario, an unknown protocol, or a usage error."""

_FILE = click.Path(path_type=str)  # no exists=True: the loader reports a missing file, located


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
@click.version_option(package_name="ttxsim", prog_name="ttxsim")
def cli() -> None:
    """Tabletop-exercise simulator: venue evacuation, incident and response in SimPy.

    Scenarios are YAML files (see `ttxsim schema`). Errors in them are reported as
    FILE:LINE:COL: field.path: message, and the command exits with status 2.
    """


@cli.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...", type=_FILE)
def validate(files: tuple[str, ...]) -> None:
    """Check scenario files without running them.

    Prints `FILE: ok (...)` on stdout for each valid file and one located line per
    problem on stderr for each invalid one. Exits 0 if every file is valid, else 2.
    """
    from .scenario import ScenarioError, load_scenario

    failed = False
    for name in files:
        try:
            scenario = load_scenario(name)
        except ScenarioError as exc:
            failed = True
            for problem in exc.problems:
                click.echo(str(problem), err=True)
        except Exception as exc:  # a bug in ttxsim, still reported as one located line
            failed = True
            click.echo(f"{name}:1:1: (internal): {type(exc).__name__}: {exc} "
                       "(this is a bug in ttxsim; please report it)", err=True)
        else:
            click.echo(f"{name}: ok ({_describe(scenario)})")
    if failed:
        raise SystemExit(EXIT_INVALID)


@cli.command(short_help="Print the JSON Schema of scenario files.")
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion and checking)."""
    from .scenario import Scenario

    body = Scenario.model_json_schema()
    body.pop("title", None)
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ttxsim scenario",
        **body,
    }
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@cli.command()
@click.argument("file", type=_FILE)
@click.option("-p", "--protocol", metavar="NAME", default=None,
              help="Protocol to apply (one of the file's `protocols`). Default: baseline.")
@click.option("-s", "--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Random seed; the same file, protocol and seed give identical results.")
@click.option("--decisions", "decisions_file", metavar="FILE", type=_FILE, default=None,
              help="A YAML or JSON list of decisions, e.g. `- {t: 120, action: open_openings, "
                   "ids: [ex_1]}`, applied at their times; the same file replays the same run.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the results as one JSON object instead of a summary.")
def run(file: str, protocol: str | None, seed: int, decisions_file: str | None, as_json: bool) -> None:
    """Run one replication of a scenario and summarise the results.

    Exits 2 if the scenario or the decisions file is invalid, or the protocol unknown.
    """
    scenario = _load_or_exit(file)
    try:
        variant = scenario.with_protocol(protocol)  # checks the name before the engine starts
    except KeyError as exc:
        click.echo(f"{file}: --protocol: {exc.args[0]}", err=True)
        raise SystemExit(EXIT_INVALID) from None

    decisions: list[Any] = []
    if decisions_file is not None:
        from .decisions import load_decisions
        from .scenario import ScenarioError

        try:
            decisions = load_decisions(decisions_file, scenario=variant)
        except ScenarioError as exc:
            _echo_problems(exc)
            raise SystemExit(EXIT_INVALID) from None

    from . import Simulation

    sim = Simulation(scenario, protocol=protocol, seed=seed,
                     decisions=[(d.t, d.action) for d in decisions])
    sim.run()
    result = dict(sim.result().to_dict())
    result["decisions"] = [d.to_dict() for d in decisions]
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        _print_summary(result)


def _echo_problems(exc: Any) -> None:
    for problem in exc.problems:
        click.echo(str(problem), err=True)


def _describe(scenario: Any) -> str:
    venue = scenario.venue
    occupants = sum(group.count for group in scenario.population.occupants)
    return (f"{_plural(len(venue.zones), 'zone')}, {_plural(len(venue.openings), 'opening')}, "
            f"{_plural(occupants, 'occupant')}, protocols: {', '.join(scenario.protocol_names)}")


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _clock(seconds: float | None) -> str:
    """`754.2` → `12:34`; an hour or more → `1:02:03`; None → `—`."""
    if seconds is None:
        return "—"
    sign, total = ("-" if seconds < 0 else ""), round(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return sign + (f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}")


def _duration(seconds: float | None) -> str:
    """`754.2` → `754.2 s (12:34)`; None → `—`."""
    if seconds is None:
        return "—"
    return f"{seconds:,.1f} s ({_clock(seconds)})"


def _print_summary(res: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    header = Text()
    header.append(str(res.get("scenario", "")), style="bold")
    header.append(f" — protocol {res.get('protocol') or 'baseline'}, seed {res.get('seed')}")
    console.print(header)

    figures = Table(title="Key figures", title_justify="left", show_header=False)
    figures.add_column("figure")
    figures.add_column("value", justify="right")
    harmed = res.get("harmed", {})
    for label, value in (
        ("occupants", f"{res['occupants']:,}"),
        ("evacuated", f"{res['evacuated']:,}"),
        ("remaining", f"{res['remaining']:,}"),
        ("sheltering", f"{res.get('sheltered', 0):,}"),
        ("harmed by the threat", f"{harmed.get('threat', 0):,}"),
        ("harmed by smoke (FED)", f"{harmed.get('smoke', 0):,}"),
        ("exposed to the threat", f"{res.get('exposed', 0):,}"),
        ("RSET (last person safe)", _duration(res.get("rset_s"))),
        ("t50 (half safe)", _duration(res.get("t50_s"))),
        ("t95 (95 % safe)", _duration(res.get("t95_s"))),
    ):
        figures.add_row(label, value)
    console.print(figures)

    milestones = [(label, res.get(f"t_{key}_s")) for key, label in _MILESTONES]
    if any(t is not None for _, t in milestones):
        timeline = Table(title="Milestones", title_justify="left", show_header=False)
        timeline.add_column("milestone")
        timeline.add_column("time", justify="right")
        for label, t in sorted((m for m in milestones if m[1] is not None), key=lambda m: m[1]):
            timeline.add_row(label, _clock(t))
        for zone, t in sorted(res.get("t_untenable_s", {}).items(), key=lambda kv: kv[1]):
            timeline.add_row(f"untenable: {zone}", _clock(t))
        console.print(timeline)

    openings = Table(title="Openings", title_justify="left")
    for column, justify in (("id", "left"), ("state", "left"), ("passed", "right"),
                            ("peak queue", "right"), ("first pass", "right"),
                            ("last pass", "right")):
        openings.add_column(column, justify=justify)
    rows = sorted(res.get("openings", {}).items(), key=lambda kv: (-kv[1]["passed"], kv[0]))
    for oid, o in rows:
        openings.add_row(Text(oid), str(o.get("state", "")), f"{o['passed']:,}",
                         f"{o['peak_queue']:,}", _clock(o.get("first_pass_s")),
                         _clock(o.get("last_pass_s")))
    console.print(openings)

    zones = Table(title="Zones", title_justify="left")
    for column, justify in (("id", "left"), ("initial", "right"), ("peak", "right"),
                            ("final", "right"), ("cleared at", "right")):
        zones.add_column(column, justify=justify)
    for zid, z in res.get("zones", {}).items():
        zones.add_row(Text(zid), f"{z['initial']:,}", f"{z['peak_occupancy']:,}",
                      f"{z['final']:,}", _clock(z.get("cleared_s")))
    console.print(zones)

    if res.get("decisions"):
        decisions = Table(title="Decisions", title_justify="left")
        decisions.add_column("t", justify="right")
        decisions.add_column("action")
        for d in res["decisions"]:
            details = ", ".join(f"{k}: {_brief(v)}" for k, v in d.items() if k not in ("t", "action"))
            decisions.add_row(_clock(d["t"]), Text(d["action"] + (f" ({details})" if details else "")))
        console.print(decisions)
    console.print(f"{res.get('events_count', 0):,} events")


_MILESTONES = (
    ("detection", "first report"),
    ("alarm", "venue alarm"),
    ("evac_order", "evacuation order"),
    ("announcement", "announcement"),
    ("fire_start", "fire starts"),
    ("police_arrival", "first police on site"),
    ("threat_left", "threat left"),
    ("contained", "threat contained"),
    ("all_clear", "all-clear"),
    ("fire_service", "fire service on site"),
    ("suppressed", "fire suppressed"),
)
"""Result times shown in the summary, in the order of a typical incident."""


def _load_or_exit(file: str) -> Any:
    """The validated scenario, or its located problems on stderr and exit status 2."""
    from .scenario import ScenarioError, load_scenario

    try:
        return load_scenario(file)
    except ScenarioError as exc:
        _echo_problems(exc)
        raise SystemExit(EXIT_INVALID) from None


def _brief(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


@cli.command()
@click.argument("file", type=_FILE)
@click.option("-n", "--runs", type=click.IntRange(min=1), required=True,
              help="Replications per protocol (the store ends with this many of each).")
@click.option("-p", "--protocol", "protocols", metavar="NAME", multiple=True,
              help="A protocol to run (repeatable). Default: baseline.")
@click.option("--all-protocols", is_flag=True, help="Run every protocol of the file.")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: all cores; with `--scheduler local`: 2).")
@click.option("--scheduler", metavar="ADDR", default=None,
              help="Run on Dask: a scheduler address (tcp://host:8786) or `local` for a LocalCluster.")
@click.option("--store", "store_path", type=_FILE, default=None,
              help="The SQLite results file. Default: <scenario name>.sqlite here.")
@click.option("-s", "--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Master seed; replication i of every protocol uses the same derived seed.")
def batch(file: str, runs: int, protocols: tuple[str, ...], all_protocols: bool, workers: int | None,
          scheduler: str | None, store_path: str | None, seed: int) -> None:
    """Run N replications per protocol into a SQLite results store (resumable).

    Replication i of every protocol uses the same seed (common random numbers), and the
    stored results do not depend on the executor or the number of workers. Interrupted
    (Ctrl-C), it keeps the finished runs: the same command resumes. Exits 2 on an invalid
    scenario, an unknown protocol, or a store made for another scenario or seed.
    """
    import time
    from pathlib import Path

    if all_protocols and protocols:
        raise click.UsageError("give --protocol or --all-protocols, not both")
    if workers is not None and scheduler not in (None, "local"):
        raise click.UsageError("--workers sizes the local pool or `--scheduler local`; a remote "
                               "cluster has its own workers")
    scenario = _load_or_exit(file)
    names = scenario.protocol_names if all_protocols else list(protocols or ["baseline"])
    for name in names:
        try:
            scenario.with_protocol(name)
        except KeyError as exc:
            click.echo(f"{file}: --protocol: {exc.args[0]}", err=True)
            raise SystemExit(EXIT_INVALID) from None
    store_path = store_path or f"{Path(file).stem}.sqlite"

    from ttxsim.analysis import ResultsStore, StoreMismatch, run_batch

    start = time.perf_counter()
    try:
        added = run_batch(file, runs=runs, protocols=names, store_path=store_path, master_seed=seed,
                          workers=workers, scheduler=scheduler)
    except StoreMismatch as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(EXIT_INVALID) from None
    except KeyboardInterrupt:
        with ResultsStore(store_path) as store:
            stored = store.count()
        click.echo(f"interrupted: {_plural(stored, 'run')} stored in {store_path}; "
                   "run the same command to resume", err=True)
        raise SystemExit(130) from None
    with ResultsStore(store_path) as store:
        stored = store.count()
    click.echo(f"{store_path}: {_plural(added, 'run')} added in {time.perf_counter() - start:,.1f} s; "
               f"{_plural(stored, 'run')} stored ({runs:,} × {_plural(len(names), 'protocol')}: "
               f"{', '.join(names)})")


@cli.group()
def msel() -> None:
    """Import and export HSEEP MSEL spreadsheets (CSV) as scenario injects."""


def _start_option(_ctx: Any, _param: Any, value: str | None) -> Any:
    if value is None:
        return None
    from datetime import datetime

    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date and time, e.g. 2024-03-22T19:59") from None


@msel.command("import")
@click.argument("file", type=_FILE, metavar="FILE.csv")
@click.option("-o", "--out", required=True, type=_FILE, metavar="FILE.yaml",
              help="Where to write the `injects:` YAML (replaced only if the import succeeds).")
@click.option("--start", metavar="ISO_DATETIME", callback=_start_option,
              help="Date and time of t = 0, for times written as `Day 0 19:55` or dates.")
@click.option("--scenario", metavar="SCENARIO.yaml", type=_FILE, default=None,
              help="Take t = 0 from this scenario's meta.start_time (unless --start is given).")
def msel_import(file: str, out: str, start: Any, scenario: str | None) -> None:
    """Read an HSEEP MSEL (CSV) and write its rows as scenario injects (YAML).

    Columns are matched by name (Event Number, Designated Scenario Time, Event Type, Inject
    Mode, From, To, Message, Expected Player Action, ...); unknown columns go to the notes.
    On any problem, prints located FILE:LINE:COLUMN lines, writes nothing and exits 2.
    """
    from .msel import dump_injects_yaml, import_msel, write_atomically
    from .scenario import ScenarioError

    try:
        if start is None and scenario is not None:
            from .scenario import load_scenario

            start = load_scenario(scenario).meta.start_time
        injects = import_msel(file, event_start=start)
    except ScenarioError as exc:
        _echo_problems(exc)
        raise SystemExit(EXIT_INVALID) from None
    comment = f"Injects imported from {file} by `ttxsim msel import`"
    if start is not None:
        comment += f" (t = 0 at {start.isoformat()})"
    try:
        write_atomically(out, dump_injects_yaml(injects, comment=comment))
    except OSError as exc:
        click.echo(f"{out}: cannot write: {exc.strerror or exc}", err=True)
        raise SystemExit(EXIT_INVALID) from None
    click.echo(f"{out}: {_plural(len(injects), 'inject')} from {file}")


@msel.command("export")
@click.argument("file", type=_FILE, metavar="SCENARIO.yaml")
@click.option("-o", "--out", required=True, type=_FILE, metavar="FILE.csv",
              help="Where to write the MSEL (UTF-8 CSV for Excel).")
def msel_export(file: str, out: str) -> None:
    """Write a scenario's injects as an HSEEP MSEL spreadsheet (CSV).

    Decisions have no MSEL column: they are summarised in the Notes (and not read back by
    `ttxsim msel import`). Exits 2, writing nothing, if the scenario is invalid.
    """
    from .msel import export_msel

    scenario = _load_or_exit(file)
    try:
        export_msel(scenario.injects, out)
    except OSError as exc:
        click.echo(f"{out}: cannot write: {exc.strerror or exc}", err=True)
        raise SystemExit(EXIT_INVALID) from None
    click.echo(f"{out}: {_plural(len(scenario.injects), 'inject')} from {file}")


@cli.command()
@click.argument("file", type=_FILE)
@click.option("-m", "--method", type=click.Choice(["sobol", "morris"]), default="sobol", show_default=True,
              help="Sobol' indices (first and total order) or Morris screening (μ*, σ).")
@click.option("-n", "--runs", type=click.IntRange(min=2), default=64, show_default=True,
              help="Sobol': base sample size N (rounded up to a power of two; N × (D + 2) runs). "
                   "Morris: trajectories (N × (D + 1) runs).")
@click.option("-p", "--protocol", metavar="NAME", default=None,
              help="Protocol every run uses. Default: baseline.")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes. Default: one per CPU.")
@click.option("-s", "--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Master seed of the sample and of every run.")
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=str), default=".", show_default=True,
              help="Directory for sensitivity_<method>.png and .json.")
def sensitivity(file: str, method: str, runs: int, protocol: str | None, workers: int | None,
                seed: int, out: str) -> None:
    """Global sensitivity of RSET and harm to the scenario's `uncertain` parameters.

    Samples the parameters with SALib, runs one replication per sample row, prints the
    indices and writes a bar chart and the indices as JSON into --out. Exits 2 if the
    scenario is invalid, has no `uncertain` section, or the protocol is unknown.
    """
    from pathlib import Path

    from rich.console import Console
    from rich.table import Table

    from ttxsim.analysis.sensitivity import sensitivity as run_sensitivity

    scenario = _load_or_exit(file)
    if not scenario.uncertain:
        click.echo(f"{file}: no `uncertain` parameters: add an `uncertain:` section (name, path, "
                   "low, high) listing what to vary", err=True)
        raise SystemExit(EXIT_INVALID)
    try:
        scenario.with_protocol(protocol)
    except KeyError as exc:
        click.echo(f"{file}: --protocol: {exc.args[0]}", err=True)
        raise SystemExit(EXIT_INVALID) from None

    result = run_sensitivity(file, method=method, runs=runs, protocol=protocol, master_seed=seed,
                             workers=workers)
    console = Console()
    table = Table(title=f"{'Sobol' if method == 'sobol' else 'Morris'} sensitivity: {result.scenario} "
                        f"(protocol {result.protocol}, N = {result.runs}, {result.evaluations:,} runs)",
                  title_justify="left")
    table.add_column("output")
    table.add_column("parameter")
    for index in result.index_names:
        table.add_column(index, justify="right")
    for row in result.table():
        table.add_row(row["output"], row["parameter"],
                      *("—" if row[i] is None else f"{row[i]:.3g}" for i in result.index_names))
    console.print(table)
    for note in result.notes:
        console.print(f"note: {note}")
    directory = Path(out)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        png = result.plot(directory / f"sensitivity_{method}.png")
        data = directory / f"sensitivity_{method}.json"
        data.write_text(result.to_json() + "\n", encoding="utf-8")
    except OSError as exc:
        click.echo(f"{out}: cannot write: {exc.strerror or exc}", err=True)
        raise SystemExit(EXIT_INVALID) from None
    click.echo(f"wrote {png} and {data}")


_STORE = click.Path(dir_okay=False, path_type=str)


def _open_store(path: str) -> Any:
    """The results store at `path`, or a message on stderr and exit status 2 if there is none."""
    import os

    if not os.path.isfile(path):
        click.echo(f"{path}: no such results store (run `ttxsim batch FILE --store {path}` first)", err=True)
        raise SystemExit(EXIT_INVALID)
    from ttxsim.analysis.store import ResultsStore

    store = ResultsStore(path)
    try:
        store.experiment()
    except LookupError as exc:
        store.close()
        click.echo(f"{path}: {exc}", err=True)
        raise SystemExit(EXIT_INVALID) from None
    return store


def _bad_baseline(store_path: str, exc: KeyError) -> SystemExit:
    click.echo(f"{store_path}: --baseline: {exc.args[0]}", err=True)
    return SystemExit(EXIT_INVALID)


@cli.command()
@click.option("--store", "store_path", required=True, type=_STORE, metavar="F",
              help="The SQLite results store written by `ttxsim batch`.")
@click.option("-b", "--baseline", metavar="P", default=None,
              help="Protocol to compare against. Default: baseline (else the first protocol).")
@click.option("--all", "all_metrics", is_flag=True, help="Show every metric, not the readable subset.")
@click.option("--csv", "as_csv", is_flag=True, help="Print every row as CSV instead of a table.")
@click.option("--json", "as_json", is_flag=True, help="Print every row as JSON instead of a table.")
def compare(store_path: str, baseline: str | None, all_metrics: bool, as_csv: bool, as_json: bool) -> None:
    """Compare the protocols of a batch: means with 95 % intervals, paired differences.

    Each protocol is paired with the baseline replication by replication (same seed), and
    the table shows the mean difference, its interval and the share of runs it did better.
    """
    from ttxsim.analysis import compare as comparison

    with _open_store(store_path) as store:
        try:
            protocols, baseline = comparison.resolve_baseline(store, baseline)
        except KeyError as exc:
            raise _bad_baseline(store_path, exc) from None
        rows = comparison.compare(store, baseline)
        runs = store.count()
    if as_csv:
        click.echo(comparison.to_csv(rows), nl=False)
    elif as_json:
        click.echo(comparison.to_json(rows, baseline))
    else:
        from rich.console import Console

        title = f"{store_path}: {_plural(runs, 'run')}, {len(protocols)} protocols, baseline {baseline}"
        shown = None if all_metrics else comparison.DEFAULT_TABLE_METRICS
        Console().print(comparison.render_table(rows, shown, title=title))


@cli.command()
@click.option("--store", "store_path", required=True, type=_STORE, metavar="F",
              help="The SQLite results store written by `ttxsim batch`.")
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, path_type=str), metavar="DIR",
              help="Folder for the PNG files (created if needed).")
@click.option("-b", "--baseline", metavar="P", default=None, help="Protocol the others are compared with.")
def plot(store_path: str, out: str, baseline: str | None) -> None:
    """Draw the figures of a batch as PNG files in DIR."""
    from ttxsim.analysis import plots

    with _open_store(store_path) as store:
        try:
            paths = plots.write_all(store, out, baseline)
        except KeyError as exc:
            raise _bad_baseline(store_path, exc) from None
    for path in paths:
        click.echo(str(path))


@cli.command()
@click.option("--store", "store_path", type=_STORE, metavar="F", default=None,
              help="The SQLite results store written by `ttxsim batch`.")
@click.option("--journal", "journal_path", type=_FILE, metavar="F", default=None,
              help="An exercise journal (`ttxsim exercise`): write the session's AAR/IP instead.")
@click.option("-o", "--out", required=True, type=_FILE, metavar="FILE.html|FILE.md",
              help="The report: self-contained HTML, or Markdown with the PNGs in a folder beside it.")
@click.option("-b", "--baseline", metavar="P", default=None, help="Protocol the others are compared with.")
def report(store_path: str | None, journal_path: str | None, out: str, baseline: str | None) -> None:
    """Write an after-action report of a batch, or the AAR/IP of an exercise (HTML or Markdown)."""
    if (store_path is None) == (journal_path is None):
        raise click.UsageError("give --store (a batch) or --journal (an exercise), one of them")
    if not out.lower().endswith((".html", ".htm", ".md", ".markdown")):
        click.echo(f"{out}: the report is HTML or Markdown; name the file *.html or *.md", err=True)
        raise SystemExit(EXIT_INVALID)
    if journal_path is not None:
        from ttxsim.tui.aar import write_aar
        from ttxsim.tui.session import ExerciseSession, SessionError

        try:
            session = ExerciseSession.replay(journal_path)
        except SessionError as exc:
            click.echo(f"ttxsim report: {exc}", err=True)
            raise SystemExit(EXIT_INVALID) from None
        click.echo(str(write_aar(session, out)))
        return
    from ttxsim.analysis.report import write_report

    with _open_store(store_path) as store:
        try:
            path = write_report(store, out, baseline)
        except KeyError as exc:
            raise _bad_baseline(store_path, exc) from None
    click.echo(str(path))


def _add_exercise() -> None:
    from .cli_exercise import exercise  # click only: the console itself is imported when it runs

    cli.add_command(exercise)


_add_exercise()


def main() -> None:
    """Entry point of the `ttxsim` console script."""
    cli(prog_name="ttxsim")


if __name__ == "__main__":
    main()
