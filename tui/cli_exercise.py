"""`ttxsim exercise`: open the facilitator's console (docs/cli.md), or serve it to a browser.

The console (Textual) is imported only here, inside the command, so the other commands
start without it. Everything that can go wrong before the screen opens (a bad scenario, an
unknown protocol, a journal that exists or belongs to another scenario) is reported as a
message with exit status 2, never as a traceback, and no journal is touched by a refusal.
"""

from __future__ import annotations

import sys

import click

from ttxsim.sim.commands import EXIT_INVALID, SCENARIO_PATH, echo_problems, exit_invalid, load_or_exit

__all__ = ["exercise", "open_session"]


@click.command()
@click.argument("file", type=SCENARIO_PATH)
@click.option("-p", "--protocol", metavar="NAME", default=None,
              help="Protocol to play (default: the scenario as written).")
@click.option("-s", "--seed", type=click.IntRange(min=0), default=None,
              help="The session's seed (default 0; a resumed session keeps its own).")
@click.option("--journal", "journal_path", type=SCENARIO_PATH, default=None, metavar="F",
              help="Journal file to create (default: exercise-<scenario>-<time>.jsonl here).")
@click.option("--resume", "resume_path", type=SCENARIO_PATH, default=None, metavar="F",
              help="Rebuild the session recorded in journal F and go on from where it stopped.")
@click.option("--serve", is_flag=True, help="Serve the console to a web browser (textual-serve).")
@click.option("--host", default="localhost", show_default=True,
              help="With --serve: the address to listen on (keep it local unless you mean it).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="With --serve: the port to listen on.")
@click.option("--allow-remote", is_flag=True,
              help="With --serve: let --host be an address other machines can reach.")
@click.option("--max-consoles", type=click.IntRange(1, 64), default=4, show_default=True, metavar="N",
              help="With --serve: how many consoles (browser tabs) may run at once.")
def exercise(file: str, protocol: str | None, seed: int | None, journal_path: str | None,
             resume_path: str | None, serve: bool, host: str, port: int, allow_remote: bool,
             max_consoles: int) -> None:
    """The facilitator's console: step through the injects with the model running underneath.

    Every delivered inject, decision, note and step goes to a journal (JSON lines, on disk at
    once); --resume F restores the session exactly after a crash or a closed terminal.
    """
    if journal_path and resume_path:
        raise click.UsageError("give --journal (a new session) or --resume (an old one), not both")
    if serve:
        from .serve import serve as serve_console

        serve_console(file, protocol=protocol, seed=seed, journal=journal_path, resume=resume_path,
                      host=host, port=port, allow_remote=allow_remote, max_consoles=max_consoles)
        return
    if not has_terminal():
        load_or_exit(file)  # a broken scenario says so first, wherever the command runs
        exit_invalid("ttxsim exercise: the console needs a terminal (stdin and stdout are not one); "
                     "run it in a terminal, or serve it to a browser with --serve")
    session = open_session(file, protocol=protocol, seed=seed, journal_path=journal_path,
                           resume_path=resume_path)
    from .app import make_app

    app = make_app(session)
    try:
        reports = app.run()
    finally:
        session.close()
    if app.return_code:  # the console failed (its error is printed above): not a success
        raise SystemExit(app.return_code)
    for path in reports or ():
        click.echo(f"after-action report: {path}")
    if session.journal_path is not None:
        click.echo(f"journal: {session.journal_path}  (resume: ttxsim exercise {file} --resume "
                   f"{session.journal_path})")


def open_session(file: str, *, protocol: str | None = None, seed: int | None = None,
                 journal_path: str | None = None, resume_path: str | None = None):
    """The session to play, or a clear message on stderr and exit status 2."""
    from ttxsim.sim import ScenarioError

    from .session import ExerciseSession, SessionError

    try:
        if resume_path:
            return ExerciseSession.resume(file, resume_path, protocol=protocol, seed=seed)
        return ExerciseSession.start(file, protocol=protocol, seed=seed or 0, journal_path=journal_path)
    except ScenarioError as exc:
        echo_problems(exc)
        raise SystemExit(EXIT_INVALID) from None
    except SessionError as exc:
        exit_invalid(f"ttxsim exercise: {exc}")


def has_terminal() -> bool:
    """Both ends are a terminal: without one the console cannot draw or read keys (and would spin).

    A console started by `--serve` (textual-serve sets TEXTUAL_DRIVER to its web driver) talks
    to the browser through pipes instead, and needs no terminal.
    """
    import os

    return bool(os.environ.get("TEXTUAL_DRIVER")) or (sys.stdin.isatty() and sys.stdout.isatty())


if __name__ == "__main__":  # pragma: no cover - `python -m ttxsim.tui.cli_exercise` for debugging
    exercise(sys.argv[1:])
