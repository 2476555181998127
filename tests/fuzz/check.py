"""Running `ttxsim` on a fuzz case in process, and judging what it did.

A command passes when it exits 0, or 2 with messages a user can act on; it fails when an
exception escapes it (anything but SystemExit), when its output holds a traceback or the
"(internal) ... bug in ttxsim" line the validator prints for an unexpected exception, when
it exits with another status, or when a bad-input message is not in the located form.
Every command runs under a time limit, so a mutation that makes the model crawl is reported
as such rather than stalling the suite.
"""

from __future__ import annotations

import re
import signal
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from click.testing import CliRunner

from ttxsim.tui.cli import cli

LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>.+?): (?P<msg>.+)$")
"""`FILE:LINE:COL: field.path: message`, the form of every bad-input message."""

HUGE_RUN = re.compile(r"(?:ab){50,}")
"""A huge value (`ab` repeated) quoted at more than 100 characters in a message."""

LONGEST_MESSAGE = 2000
"""Longest line a message on stderr may have (a 5,000-digit number quoted whole is too long)."""

TIMEOUT_S = 30.0
"""Longest a single command may take on a fuzz case."""

TRACEBACK = "traceback"
INTERNAL = "internal error"
STATUS = "exit status"
UNLOCATED = "unlocated message"
HUGE_QUOTE = "huge value quoted"
TIMEOUT = "timeout"
FILE_CHANGED = "file changed"
"""The symptoms a failure is grouped by, worst first."""


class CommandTimeout(BaseException):
    """A command ran past TIMEOUT_S (a BaseException, so no `except Exception` swallows it)."""


@dataclass
class Failure:
    """One thing a command did wrong."""

    symptom: str
    command: str
    detail: str
    where: str = ""
    """For an exception: where it was raised (` at sim/x.py:12`)."""

    def __str__(self) -> str:
        return f"{self.symptom}: `{self.command}`: {self.detail}{self.where}"

    @property
    def group(self) -> str:
        """The symptom, the subcommand and the exception: failures in one group are likely one bug."""
        words = self.command.split()
        verb = " ".join(words[1:3] if words[1:2] in (["msel"], ["exercise"]) else words[1:2])
        if self.symptom == TRACEBACK:
            return f"{TRACEBACK} in `ttxsim {verb}`: {self.detail.partition(':')[0]}{self.where}"
        if self.symptom == INTERNAL:
            found = re.search(r"\(internal\): (.*)", self.detail)
            return f"{INTERNAL} in `ttxsim {verb}`: {_gist(found.group(1) if found else self.detail)}"
        return f"{self.symptom} in `ttxsim {verb}`"


@dataclass
class Outcome:
    """What the commands of one case did."""

    statuses: list[int] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    """The commands run, as a shell would type them (for reproducing a case)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise CommandTimeout in the main thread after `seconds` (no limit where SIGALRM is missing)."""
    if not hasattr(signal, "SIGALRM"):  # pragma: no cover - Windows
        yield
        return

    def expire(_signum: int, _frame: Any) -> None:
        raise CommandTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Ran:
    """A command's exit status and output, after it ran."""

    status: int
    stdout: str
    stderr: str


def invoke(
    outcome: Outcome,
    args: Sequence[str],
    *,
    names: Sequence[str] = (),
    allowed: Sequence[int] = (0, 2),
    command: click.Command = cli,
    name: str = "ttxsim",
) -> Ran | None:
    """Run `name args` in process; add its failures to `outcome`; None if it did not finish.

    Every stderr line of a status-2 exit must be `FILE:LINE:COL: path: message`, or, given
    `names`, name one of those files (a journal's problems say `FILE:LINE: message`).
    """
    located = not names
    shown = " ".join([name, *(_quote(a) for a in args)])
    outcome.commands.append(shown)
    runner = CliRunner()
    try:
        with time_limit(TIMEOUT_S):
            result = runner.invoke(command, list(args), prog_name=name, catch_exceptions=True)
    except CommandTimeout:
        outcome.failures.append(Failure(TIMEOUT, shown, f"still running after {TIMEOUT_S:g} s"))
        return None
    status = result.exit_code
    outcome.statuses.append(status)
    stdout, stderr = result.stdout, result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        exc = result.exception
        at = _where(exc)
        outcome.failures.append(Failure(TRACEBACK, shown, f"{type(exc).__name__}: {_short(str(exc))}", at))
        return Ran(status, stdout, stderr)
    text = stdout + stderr
    if "Traceback" in text:
        outcome.failures.append(Failure(TRACEBACK, shown, _first_line(text, "Traceback")))
    elif "(internal)" in text or "bug in ttxsim" in text:
        outcome.failures.append(Failure(INTERNAL, shown, _first_line(text, "(internal)", "bug in ttxsim")))
    elif status not in allowed:
        outcome.failures.append(Failure(STATUS, shown, f"exit {status}: {_short(stderr or stdout)}"))
    elif status == 2:
        lines = [line for line in stderr.splitlines() if line.strip()] or ["(no message)"]
        if located:
            bad = [line for line in lines if not LOCATED.match(line)]
        else:
            bad = [line for line in lines if not (names and any(n in line for n in names))]
        if bad:
            outcome.failures.append(Failure(UNLOCATED, shown, _short(bad[0])))
    longest = max((len(line) for line in stderr.splitlines()), default=0)
    if longest > LONGEST_MESSAGE and not HUGE_RUN.search(text):
        outcome.failures.append(Failure(HUGE_QUOTE, shown, f"a message line of {longest:,} characters"))
    if HUGE_RUN.search(text):
        longest = max(len(m.group()) for m in HUGE_RUN.finditer(text))
        outcome.failures.append(
            Failure(HUGE_QUOTE, shown, f"the output quotes {longest:,} characters of a huge value")
        )
    return Ran(status, stdout, stderr)


def _where(exc: BaseException) -> str:
    """` at sim/x.py:12`: the deepest frame in ttxsim (and the deepest of all, if elsewhere)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    ours = [f for f in frames if _PACKAGE_DIRS.search(f.filename) and "/tests/" not in f.filename]
    text = ""
    if ours:
        text = f" at {_PACKAGE_DIRS.search(ours[-1].filename).group(1)}:{ours[-1].lineno}"
    if not ours or ours[-1] is not frames[-1]:
        text += f"{' via' if ours else ' at'} {Path(frames[-1].filename).name}:{frames[-1].lineno}"
    return text


_PACKAGE_DIRS = re.compile(r"/((?:sim|tui|analysis)/.+\.py)$")


def _gist(detail: str) -> str:
    """`ValueError: month must be in …`: an exception's type and its message's first words, no values."""
    kind, _, message = detail.partition(": ")
    message = re.sub(r"'[^']*'|\"[^\"]*\"|<[^>]*>|#x[0-9a-f]+|\d+(\.\d+)?", "…", message)
    return f"{kind}: {' '.join(message.split()[:6])}"


def _first_line(text: str, *needles: str) -> str:
    for line in text.splitlines():
        if any(n in line for n in needles):
            return _short(line)
    return _short(text)


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _quote(arg: str) -> str:
    return arg if re.fullmatch(r"[\w./:=+-]+", arg) else "'" + arg.replace("'", "'\\''") + "'"
