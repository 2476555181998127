"""The subcommands of `ttxsim` over many runs: batch, sensitivity, compare and plot.

Each parses its options, calls the analysis library and renders. rich, matplotlib, SALib and
Dask are imported inside the command that draws, samples or distributes, so the root command
starts without them. Problems are reported as the model's commands report them (one line on
stderr, exit status 2), with the helpers of `ttxsim.sim.commands`; a store or an output the
machine fails (a full disk) is one line too, with exit status 1 (`cli_problems.py`).
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from typing import Any

import click

from ttxsim.sim import write_atomic
from ttxsim.sim.commands import (
    EXIT_INVALID,
    SCENARIO_PATH,
    echo_problems,
    exit_invalid,
    load_or_exit,
    plural,
    protocol_or_exit,
)

from .cli_problems import output_folder, store_problems, writing

__all__ = ["STORE_PATH", "bad_baseline", "batch", "compare", "open_store", "plot", "sensitivity"]

STORE_PATH = click.Path(path_type=str)
"""A results store argument: a path, whose absence or being a folder `open_store` explains."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an interrupt so a batch stops as it does on Ctrl-C: pool, store, message."""


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """While inside, SIGTERM raises Terminated instead of ending the process on the spot.

    The default action would leave the pool's workers running and the runs in the `-wal`;
    raised as an interrupt, the pool is terminated and the store checkpointed and closed.
    """
    def interrupt(_signum: int, _frame: Any) -> None:
        raise Terminated

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave SIGTERM as it is
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stored(store_path: str, *, interrupted: bool = False) -> int:
    """The runs a store holds, read without writing to it (after the batch left it).

    Interrupted, a store that could not be read (not created yet, say) holds none: the
    interruption is what the user must hear about.
    """
    from .store import ResultsStore, StoreError

    try:
        with ResultsStore(store_path, read_only=True) as store:
            return store.count()
    except StoreError:
        if interrupted:
            return 0
        raise


@click.command()
@click.argument("file", type=SCENARIO_PATH)
@click.option("-n", "--runs", type=click.IntRange(min=1), required=True,
              help="Replications per protocol (the store ends with this many of each).")
@click.option("-p", "--protocol", "protocols", metavar="NAME", multiple=True,
              help="A protocol to run (repeatable). Default: baseline.")
@click.option("--all-protocols", is_flag=True, help="Run every protocol of the file.")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: all cores; with `--scheduler local`: 2).")
@click.option("--scheduler", metavar="ADDR", default=None,
              help="Run on Dask: a scheduler address (tcp://host:8786) or `local` for a LocalCluster.")
@click.option("--store", "store_path", type=SCENARIO_PATH, default=None,
              help="The SQLite results file. Default: <scenario name>.sqlite here.")
@click.option("-s", "--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Master seed; replication i of every protocol uses the same derived seed.")
@click.option("--decisions", "decision_files", metavar="FILE", type=SCENARIO_PATH, multiple=True,
              help="A decisions file (e.g. from `ttxsim journal decisions`) to run too, on the protocol it "
                   "names (else on each protocol), stored as `<protocol>+<file>-<hash>`; repeatable.")
def batch(file: str, runs: int, protocols: tuple[str, ...], all_protocols: bool, workers: int | None,
          scheduler: str | None, store_path: str | None, seed: int, decision_files: tuple[str, ...]) -> None:
    """Run N replications per protocol into a SQLite results store (resumable).

    Replication i of every protocol uses the same seed (common random numbers), and the
    stored results do not depend on the executor or the number of workers. Interrupted
    (Ctrl-C, SIGTERM), it keeps the finished runs: the same command resumes. Exits 2 on an
    invalid scenario, an unknown protocol, a store made for another scenario or seed, a
    damaged store or one that cannot be written there; 1 if the disk fills up.

    With --decisions, a session's decisions run in every replication beside the protocols as
    written; replication 0 then runs on the session's seed, so its run is the session's result.
    """
    import time
    from pathlib import Path

    if all_protocols and protocols:
        raise click.UsageError("give --protocol or --all-protocols, not both")
    if workers is not None and scheduler not in (None, "local"):
        raise click.UsageError("--workers sizes the local pool or `--scheduler local`; a remote "
                               "cluster has its own workers")
    scenario = load_or_exit(file)
    names = scenario.protocol_names if all_protocols else list(protocols or ["baseline"])
    sets = _decision_sets(file, scenario, decision_files, names)
    names = list(dict.fromkeys([*names, *(s.protocol for s in sets)]))
    for name in names:
        protocol_or_exit(scenario, file, name)
    store_path = store_path or f"{Path(file).stem}.sqlite"

    from .batch import run_batch

    start = time.perf_counter()
    try:
        with store_problems(), _sigterm_interrupts():
            added = run_batch(file, runs=runs, protocols=names, store_path=store_path, master_seed=seed,
                              workers=workers, scheduler=scheduler, decisions=sets)
    except KeyboardInterrupt as exc:
        how, status = ("terminated", 143) if isinstance(exc, Terminated) else ("interrupted", 130)
        click.echo(f"{how}: {plural(_stored(store_path, interrupted=True), 'run')} stored in {store_path}; "
                   "run the same command to resume", err=True)
        raise SystemExit(status) from None
    with store_problems():
        stored = _stored(store_path)
    click.echo(f"{store_path}: {plural(added, 'run')} added in {time.perf_counter() - start:,.1f} s; "
               f"{plural(stored, 'run')} stored ({runs:,} × {plural(len(names) + len(sets), 'protocol')}: "
               f"{', '.join([*names, *(s.label for s in sets)])})")


def _decision_sets(file: str, scenario: Any, paths: tuple[str, ...], protocols: list[str]) -> list[Any]:
    """The decisions files as decision sets, each on the protocol it names (else on each of `protocols`).

    Every problem is a located message and exit status 2, before any run.
    """
    if not paths:
        return []
    from ttxsim.sim.decisions import load_decisions_file
    from ttxsim.sim.scenario import ScenarioError

    from .decision_sets import first_seed_of, load_decision_set

    sets = []
    try:
        for path in paths:
            named = load_decisions_file(path).protocol
            if named:
                protocol_or_exit(scenario, path, named)
            for protocol in [named] if named else protocols:
                sets.append(load_decision_set(path, scenario, protocol))
        first_seed_of(sets)
    except ScenarioError as exc:
        echo_problems(exc)
        raise SystemExit(EXIT_INVALID) from None
    except ValueError as exc:
        exit_invalid(f"{file}: --decisions: {exc}")
    return list({s.label: s for s in sets}.values())


@click.command()
@click.argument("file", type=SCENARIO_PATH)
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
@click.option("-o", "--out", type=click.Path(path_type=str), default=".", show_default=True,
              help="Directory for sensitivity_<method>.png and .json.")
def sensitivity(file: str, method: str, runs: int, protocol: str | None, workers: int | None,
                seed: int, out: str) -> None:
    """Global sensitivity of RSET and harm to the scenario's `uncertain` parameters.

    Samples the parameters with SALib, runs one replication per sample row, prints the
    indices and writes a bar chart and the indices as JSON into --out. Exits 2 if the
    scenario is invalid, has no `uncertain` section, or the protocol is unknown.
    """
    from rich.console import Console
    from rich.table import Table

    from .sensitivity import sensitivity as run_sensitivity

    scenario = load_or_exit(file)
    if not scenario.uncertain:
        click.echo(f"{file}: no `uncertain` parameters: add an `uncertain:` section (name, path, "
                   "low, high) listing what to vary", err=True)
        raise SystemExit(EXIT_INVALID)
    protocol_or_exit(scenario, file, protocol)
    directory = output_folder(out)  # before the runs: a bad --out costs nothing

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
    png, data = directory / f"sensitivity_{method}.png", directory / f"sensitivity_{method}.json"
    with writing(png):
        png = result.plot(png)
    with writing(data):
        write_atomic(data, result.to_json() + "\n")
    click.echo(f"wrote {png} and {data}")


def open_store(path: str) -> Any:
    """The results store at `path`, opened read-only, or one line on stderr and an exit.

    Nothing is written to it, not even a `-wal` file. Exits 2 if there is none, or it is a
    folder, not a ttxsim store, damaged or unreadable; the reads that follow should run
    under `store_problems()`, since damage can show first where the opening check does not look.
    """
    from .store import ResultsStore

    with store_problems():
        store = ResultsStore(path, read_only=True)
        try:
            store.experiment()
        except LookupError as exc:
            store.close()
            exit_invalid(str(exc))
        except BaseException:
            store.close()
            raise
    for note in store.notes:  # a store of another ttxsim version: what it lacks or keeps unshown
        click.echo(f"note: {note}", err=True)
    return store


def bad_baseline(store_path: str, exc: KeyError) -> SystemExit:
    """Report an unknown `--baseline` on stderr; the exit (status 2) for the caller to raise."""
    click.echo(f"{store_path}: --baseline: {exc.args[0]}", err=True)
    return SystemExit(EXIT_INVALID)


@click.command()
@click.option("--store", "store_path", required=True, type=STORE_PATH, metavar="F",
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
    from . import compare as comparison

    with open_store(store_path) as store, store_problems():
        try:
            protocols, baseline = comparison.resolve_baseline(store, baseline)
        except KeyError as exc:
            raise bad_baseline(store_path, exc) from None
        rows = comparison.compare(store, baseline)
        runs = store.count()
        sets = store.decision_sets()
    if as_csv:
        click.echo(comparison.to_csv(rows), nl=False)
    elif as_json:
        click.echo(comparison.to_json(rows, baseline))
    else:
        from rich.console import Console

        title = (f"{store_path}: {plural(runs, 'run')}, {len(protocols)} protocols, "
                 f"each compared with {baseline}")
        shown = None if all_metrics else comparison.DEFAULT_TABLE_METRICS
        console = Console()
        console = Console(width=min(console.width, comparison.TABLE_WIDTH))  # readable at 100 columns
        console.print(comparison.render_table(rows, shown, title=title))
        for label, meta in sets.items():  # what a decisions run is, beside its long name
            console.print(f"{label}: {meta.get('description', '')}", markup=False, highlight=False)


@click.command()
@click.option("--store", "store_path", required=True, type=STORE_PATH, metavar="F",
              help="The SQLite results store written by `ttxsim batch`.")
@click.option("-o", "--out", required=True, type=click.Path(path_type=str), metavar="DIR",
              help="Folder for the PNG files (created if needed).")
@click.option("-b", "--baseline", metavar="P", default=None, help="Protocol the others are compared with.")
def plot(store_path: str, out: str, baseline: str | None) -> None:
    """Draw the figures of a batch as PNG files in DIR."""
    from . import plots

    output_folder(out)
    with open_store(store_path) as store, store_problems(), writing(out):
        try:
            paths = plots.write_all(store, out, baseline)
        except KeyError as exc:
            raise bad_baseline(store_path, exc) from None
    for path in paths:
        click.echo(str(path))
