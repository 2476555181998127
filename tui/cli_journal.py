"""`ttxsim journal`: what can be taken out of an exercise journal besides its report.

`ttxsim journal decisions` writes a session's decisions as a decisions file, so the room's
choices can run again over many futures (`ttxsim batch --decisions`). The session is rebuilt
from the journal alone (it carries the scenario's text), as `ttxsim report --journal` does.
"""

from __future__ import annotations

import click

from ttxsim.sim.commands import SCENARIO_PATH, exit_invalid

__all__ = ["journal"]


@click.group()
def journal() -> None:
    """Read an exercise journal (`ttxsim exercise`): its decisions as a file to run again."""


@journal.command()
@click.argument("journal_path", metavar="JOURNAL", type=SCENARIO_PATH)
@click.option("-o", "--out", required=True, type=SCENARIO_PATH, metavar="FILE.yaml",
              help="The decisions file to write (YAML); replaced whole if it exists.")
def decisions(journal_path: str, out: str) -> None:
    """Write the session's decisions (players', defaults, facilitator's) as a decisions file.

    Each item is an action the session applied, at its exact time, with the inject, option
    and who decided; the file names the scenario, protocol and seed. Exits 2 if the journal
    cannot be used or the file cannot be written.
    """
    from pathlib import Path

    from .journal_decisions import decisions_of, write_decisions
    from .session import ExerciseSession, SessionError

    if Path(out).is_dir():
        exit_invalid(f"{out}: is a folder; name the decisions file to write (e.g. decisions.yaml)")
    try:
        session = ExerciseSession.replay(journal_path)
    except SessionError as exc:
        exit_invalid(f"ttxsim journal decisions: {exc}")
    for notice in session.notices:
        click.echo(f"ttxsim journal decisions: note: {journal_path}: {notice}", err=True)
    try:
        path = write_decisions(session, out)
    except OSError as exc:
        exit_invalid(f"{out}: cannot be written: {exc.strerror or exc}")
    count = len(decisions_of(session))
    click.echo(f"{path}: {count} decision(s) of {session.scenario.meta.name} ({session.protocol}, seed "
               f"{session.seed})")
    click.echo(f"run them over many futures: ttxsim batch {session.scenario_path} --decisions {path} "
               "--runs 100", err=True)
