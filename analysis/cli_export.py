"""`ttxsim export`: a results store's runs, or its curves, as a CSV or Parquet file to take away.

Thin, like the other commands over stores: it checks what it was given before it reads
anything (the output's type and folder, pandas for Parquet), reads the store read-only, and
leaves the writing to `export.py`. Bad input is one line on stderr and exit status 2.
"""

from __future__ import annotations

import click

from ttxsim.sim.commands import exit_invalid, plural

from .cli_problems import output_file, store_problems, writing
from .commands import STORE_PATH, open_store

__all__ = ["export"]


@click.command()
@click.option("--store", "store_path", required=True, type=STORE_PATH, metavar="F",
              help="The SQLite results store written by `ttxsim batch`.")
@click.option("-o", "--out", required=True, type=click.Path(path_type=str), metavar="FILE",
              help="The file to write: .csv, or .parquet (needs `pip install 'ttxsim[pandas]'`).")
@click.option("-p", "--protocol", "protocols", metavar="P", multiple=True,
              help="Only this protocol's runs (repeatable). Default: every protocol of the store.")
@click.option("--series", is_flag=True,
              help="Export the curves in long form (protocol, replication, seed, series, zone, opening, "
                   "agency, t_s, value) instead of one row per run.")
def export(store_path: str, out: str, protocols: tuple[str, ...], series: bool) -> None:
    """Write a batch's runs as a table: one row per run, every metric and milestone.

    Columns: protocol, replication, seed, base_protocol and decisions (for `batch --decisions`
    runs), every metric under its store name (times in s; a time never reached is empty), wall_s.
    Exits 2 on a missing, damaged or newer store, an unknown protocol, an unknown suffix, an
    output that cannot be written, or Parquet without pandas.
    """
    from .export import choose_protocols, export_format
    from .export import export as write_export

    try:
        kind = export_format(out)
    except ValueError as exc:
        exit_invalid(f"{out}: {exc}")
    if kind == "parquet":
        from .frames import require_pandas

        try:
            require_pandas(parquet=True)
        except ImportError as exc:
            exit_invalid(f"{out}: {exc}")
    target = output_file(out)
    with open_store(store_path) as store, store_problems():
        try:
            chosen = choose_protocols(store, protocols)
        except KeyError as exc:
            exit_invalid(f"{store_path}: --protocol: {exc.args[0]}")
        with writing(target):
            rows = write_export(store, target, series=series, protocols=chosen)
    what = "curve rows" if series else "runs"
    click.echo(f"wrote {target}: {plural(rows, 'row')} ({what} of {', '.join(chosen)})")
