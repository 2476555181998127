"""`ttxsim report`: the after-action report of a batch (a results store) or of an exercise (a journal).

It lives with the console because it reads both: a batch report is analysis's, but the
AAR/IP of an exercise is rebuilt from the console's journal, and only this package may import
both. The two share one renderer (`ttxsim.analysis.document`).
"""

from __future__ import annotations

import click

from ttxsim.analysis.cli_problems import output_file, store_problems, writing
from ttxsim.analysis.commands import STORE_PATH, bad_baseline, open_store
from ttxsim.sim.commands import SCENARIO_PATH, exit_invalid

__all__ = ["report"]


@click.command()
@click.option("--store", "store_path", type=STORE_PATH, metavar="F", default=None,
              help="The SQLite results store written by `ttxsim batch`.")
@click.option("--journal", "journal_path", type=SCENARIO_PATH, metavar="F", default=None,
              help="An exercise journal (`ttxsim exercise`): write the session's AAR/IP instead.")
@click.option("-o", "--out", required=True, type=SCENARIO_PATH, metavar="FILE.html|FILE.md",
              help="The report: self-contained HTML, or Markdown with the PNGs in a folder beside it.")
@click.option("-b", "--baseline", metavar="P", default=None, help="Protocol the others are compared with.")
@click.option("--futures", type=click.IntRange(min=0), default=100, show_default=True,
              help="With --journal: paired futures of the players' decisions and the baseline (0: only the "
                   "session's own run).")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=None,
              help="With --journal: processes that run the futures (default: all cores).")
def report(store_path: str | None, journal_path: str | None, out: str, baseline: str | None, futures: int,
           workers: int | None) -> None:
    """Write an after-action report of a batch, or the AAR/IP of an exercise (HTML or Markdown)."""
    if (store_path is None) == (journal_path is None):
        raise click.UsageError("give --store (a batch) or --journal (an exercise), one of them")
    if not out.lower().endswith((".html", ".htm", ".md", ".markdown")):
        exit_invalid(f"{out}: the report is HTML or Markdown; name the file *.html or *.md")
    if journal_path is not None:
        from .aar import write_aar
        from .session import ExerciseSession, SessionError

        try:
            session = ExerciseSession.replay(journal_path)
        except SessionError as exc:
            exit_invalid(f"ttxsim report: {exc}")
        for notice in session.notices:
            click.echo(f"ttxsim report: note: {journal_path}: {notice}", err=True)
        import os

        click.echo(str(write_aar(session, out, futures=futures, workers=workers or os.cpu_count() or 1)))
        return
    from ttxsim.analysis.report import write_report

    output_file(out)  # a folder, or a folder that cannot be written: said before any work
    with open_store(store_path) as store, store_problems(), writing(out):
        try:
            path = write_report(store, out, baseline)
        except KeyError as exc:
            raise bad_baseline(store_path, exc) from None
    click.echo(str(path))
