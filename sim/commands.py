"""The model's own subcommands of `ttxsim` (validate, schema, run, msel), and what every command shares.

Commands parse their arguments, call the library and render (docs/cli.md). Input
errors are never tracebacks: they are printed as `FILE:LINE:COL: field.path: message`, one per
line on stderr, and the command exits with status 2, the status click uses for usage errors,
so a script cannot tell a bad scenario from a bad option and need not. The helpers for that
live here, at the bottom of the stack, so that analysis's and the console's commands report
problems the same way.

The scenario and the engine are looked up inside each command, not at import: `ttxsim --help`
needs neither, and tests can swap them.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

import click

__all__ = [
    "EXIT_INVALID",
    "SCENARIO_PATH",
    "echo_problems",
    "exit_invalid",
    "load_or_exit",
    "msel",
    "plural",
    "protocol_or_exit",
    "run",
    "schema",
    "validate",
]

EXIT_INVALID = 2
"""Exit status for an invalid scenario, an unknown protocol, or a usage error."""

SCENARIO_PATH = click.Path(path_type=str)
"""A file argument: no `exists=True`, because the loader reports a missing file, located."""


def echo_problems(exc: Any) -> None:
    """Print a ScenarioError's located problems on stderr, one per line."""
    for problem in exc.problems:
        click.echo(str(problem), err=True)


def load_or_exit(file: str) -> Any:
    """The validated scenario, or its located problems on stderr and exit status 2."""
    from .scenario import ScenarioError, load_scenario

    try:
        return load_scenario(file)
    except ScenarioError as exc:
        echo_problems(exc)
        raise SystemExit(EXIT_INVALID) from None


def protocol_or_exit(scenario: Any, file: str, protocol: str | None) -> Any:
    """The scenario under `protocol`, or a message naming the known ones and exit status 2.

    Checked before any run starts, so a typo costs nothing.
    """
    try:
        return scenario.with_protocol(protocol)
    except KeyError as exc:
        exit_invalid(f"{file}: --protocol: {exc.args[0]}")


def exit_invalid(message: str) -> NoReturn:
    """Print `message` on stderr and exit with status 2."""
    click.echo(message, err=True)
    raise SystemExit(EXIT_INVALID) from None


def plural(n: int, word: str) -> str:
    """`1 run`, `1,000 runs`: counts as the command line prints them."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...", type=SCENARIO_PATH)
def validate(files: tuple[str, ...]) -> None:
    """Check scenario files without running them.

    Prints `FILE: ok (...)` on stdout for each valid file and one located line per
    problem on stderr for each invalid one, and warnings (located, on stderr) that do not make
    a file invalid. Exits 0 if every file is valid, else 2.
    """
    from .scenario import ScenarioError, load_scenario

    failed = False
    for name in files:
        try:
            scenario = load_scenario(name)
        except ScenarioError as exc:
            failed = True
            echo_problems(exc)
        except Exception as exc:  # a bug in ttxsim, still reported as one located line
            failed = True
            click.echo(f"{name}:1:1: (internal): {type(exc).__name__}: {exc} "
                       "(this is a bug in ttxsim; please report it)", err=True)
        else:
            for warning in scenario.warnings:
                click.echo(str(warning), err=True)
            click.echo(f"{name}: ok ({_describe(scenario)})")
    if failed:
        raise SystemExit(EXIT_INVALID)


def _describe(scenario: Any) -> str:
    venue = scenario.venue
    occupants = sum(scenario.population.counts)
    return (f"{plural(len(venue.zones), 'zone')}, {plural(len(venue.openings), 'opening')}, "
            f"{plural(occupants, 'occupant')}, protocols: {', '.join(scenario.protocol_names)}")


@click.command(short_help="Print the JSON Schema of scenario files.")
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


@click.command()
@click.argument("file", type=SCENARIO_PATH)
@click.option("-p", "--protocol", metavar="NAME", default=None,
              help="Protocol to apply (one of the file's `protocols`). Default: baseline.")
@click.option("-s", "--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Random seed; the same file, protocol and seed give identical results.")
@click.option("--decisions", "decisions_file", metavar="FILE", type=SCENARIO_PATH, default=None,
              help="A YAML or JSON list of decisions, e.g. `- {t: 120, action: open_openings, "
                   "ids: [ex_1]}`, applied at their times; the same file replays the same run.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the results as one JSON object instead of a summary.")
def run(file: str, protocol: str | None, seed: int, decisions_file: str | None, as_json: bool) -> None:
    """Run one replication of a scenario and summarise the results.

    Exits 2 if the scenario or the decisions file is invalid, or the protocol unknown.
    """
    scenario = load_or_exit(file)
    decisions: list[Any] = []
    if decisions_file is not None:
        from .decisions import load_decisions_file
        from .scenario import ScenarioError

        try:
            named = protocol is None and load_decisions_file(decisions_file).protocol
            if named:  # the session's protocol, as the file names it
                protocol = named
            variant = protocol_or_exit(scenario, decisions_file if named else file, protocol)
            decisions = load_decisions_file(decisions_file, scenario=variant).decisions
        except ScenarioError as exc:
            echo_problems(exc)
            raise SystemExit(EXIT_INVALID) from None
    else:
        protocol_or_exit(scenario, file, protocol)

    from . import ActionError, Simulation
    from .decision_play import condition_guard, run_with_decisions

    try:  # played as a session plays them: stopped at each decision's exact time, then applied
        if decisions:
            outcome, _ = run_with_decisions(scenario, decisions, protocol=protocol, seed=seed,
                                            guard=condition_guard(scenario.with_protocol(protocol)))
        else:
            sim = Simulation(scenario, protocol=protocol, seed=seed)
            sim.run()
            outcome = sim.result()
    except ActionError as exc:  # the file was checked, but the posture at t = 0 may differ
        index = exc.decision
        if index is None or not 0 <= index < len(decisions):
            exit_invalid(f"{decisions_file or file}: {exc}")
        exit_invalid(str(decisions[index].problem(str(exc))))
    result = dict(outcome.to_dict())
    result["decisions"] = [d.to_dict() for d in decisions]
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        from .summary import print_summary

        print_summary(result)


@click.group()
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
@click.argument("file", type=SCENARIO_PATH, metavar="FILE.csv")
@click.option("-o", "--out", type=SCENARIO_PATH, metavar="FILE.yaml",
              help="Write the `injects:` YAML here (replaced only if the import succeeds); `-` for stdout.")
@click.option("--into", type=SCENARIO_PATH, metavar="SCENARIO.yaml",
              help="Replace this scenario's injects in place, keeping the rest of the file and its comments.")
@click.option("--dry-run", is_flag=True, help="With --into: print what would change, write nothing.")
@click.option("--start", metavar="ISO_DATETIME", callback=_start_option,
              help="Date and time of t = 0, for times of day (`20:12`, `T-7d 10:00`, `Day 0 19:55`) "
                   "and dates.")
@click.option("--scenario", metavar="SCENARIO.yaml", type=SCENARIO_PATH, default=None,
              help="Take t = 0 from this scenario's meta.start_time (unless --start is given).")
def msel_import(file: str, out: str | None, into: str | None, dry_run: bool, start: Any,
                scenario: str | None) -> None:
    """Read an HSEEP MSEL (CSV) and write its rows as scenario injects (YAML).

    Columns are matched by name (Event Number, Designated Scenario Time, Event Type, Inject
    Mode, From, To, Message, Expected Player Action, ..., and ttxsim's When, Unless, Decision,
    Options, Option Actions, Default, Deadline, Otherwise ...); unknown columns go to the notes.
    Times follow HSEEP: `T+0:15` is hours:minutes, `20:12` a time of day (see docs/cli.md).
    With --into, the scenario's injects are replaced in place (t = 0 from its meta.start_time)
    and a summary of what changed is printed. On any problem, prints located FILE:LINE:COLUMN
    lines, writes nothing and exits 2.
    """
    if (out is None) == (into is None):
        raise click.UsageError("give one of --out FILE.yaml or --into SCENARIO.yaml")
    if dry_run and into is None:
        raise click.UsageError("--dry-run goes with --into")
    if scenario is not None and into is not None:
        raise click.UsageError("--scenario goes with --out; --into takes t = 0 from the scenario it updates")
    if into is not None:
        _import_into(file, into, start, dry_run)
        return
    assert out is not None
    from .msel import dump_injects_yaml, import_msel, write_atomically
    from .scenario import ScenarioError

    try:
        if start is None and scenario is not None:
            from .scenario import load_scenario

            start = load_scenario(scenario).meta.start_time
        injects = import_msel(file, event_start=start)
    except ScenarioError as exc:
        echo_problems(exc)
        raise SystemExit(EXIT_INVALID) from None
    comment = f"Injects imported from {file} by `ttxsim msel import`"
    if start is not None:
        comment += f" (t = 0 at {start.isoformat()})"
    if out == "-":
        click.echo(dump_injects_yaml(injects, comment=comment), nl=False)
        return
    try:
        write_atomically(out, dump_injects_yaml(injects, comment=comment))
    except OSError as exc:
        exit_invalid(f"{out}: cannot write: {exc.strerror or exc}")
    click.echo(f"{out}: {plural(len(injects), 'inject')} from {file}")


def _import_into(file: str, into: str, start: Any, dry_run: bool) -> None:
    """`msel import --into`: the scenario's injects replaced in place, with a summary of the changes."""
    from .msel import update_scenario, write_atomically
    from .scenario import ScenarioError

    try:
        update = update_scenario(file, into, event_start=start)
    except ScenarioError as exc:
        echo_problems(exc)
        raise SystemExit(EXIT_INVALID) from None
    click.echo(f"{into}: {plural(update.count, 'inject')} from {file}")
    for line in update.changes.lines():
        click.echo(f"  {line}")
    if dry_run:
        click.echo("dry run: nothing written")
    elif not update.changes.anything:
        click.echo("no changes: nothing written")
    else:
        try:
            write_atomically(into, update.text)
        except OSError as exc:
            exit_invalid(f"{into}: cannot write: {exc.strerror or exc}")
        click.echo(f"{into}: written")


@msel.command("export")
@click.argument("file", type=SCENARIO_PATH, metavar="SCENARIO.yaml")
@click.option("-o", "--out", required=True, type=SCENARIO_PATH, metavar="FILE.csv",
              help="Where to write the MSEL (UTF-8 CSV for Excel).")
def msel_export(file: str, out: str) -> None:
    """Write a scenario's injects as an HSEEP MSEL spreadsheet (CSV).

    One row per inject: the HSEEP columns, then When, Unless, Decision, Options, Option
    Actions, Default, Deadline and Otherwise Message (docs/cli.md); `ttxsim msel import`
    reads every one back. Exits 2, writing nothing, if the scenario is invalid.
    """
    from .msel import export_msel

    scenario = load_or_exit(file)
    try:
        export_msel(scenario.injects, out)
    except OSError as exc:
        exit_invalid(f"{out}: cannot write: {exc.strerror or exc}")
    click.echo(f"{out}: {plural(len(scenario.injects), 'inject')} from {file}")
