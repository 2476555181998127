"""The progress bar of long runs (batch, sensitivity): runs done, rate and time left, on stderr.

On stderr so that what a command prints on stdout (a table, a JSON document) stays clean
when it is piped. rich is imported only when a bar is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["progress_bar"]


@contextmanager
def progress_bar(total: int, *, label: str = "runs", completed: int = 0, enabled: bool = True,
                 transient: bool = False) -> Iterator[Callable[[], None]]:
    """A rich progress bar, or nothing; yields the callable that advances it by one run.

    Args:
        total: Runs in all.
        label: What the bar counts, shown at its left.
        completed: Runs already done (a resumed batch starts part-way).
        enabled: False for no bar at all (tests, library callers).
        transient: Remove the bar when done (the command's own output follows).
    """
    if not enabled:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                  TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=transient) as bar:
        task = bar.add_task(label, total=total, completed=completed, rate="")

        def advance() -> None:
            bar.advance(task)
            speed = bar.tasks[0].speed
            bar.update(task, rate=f"{speed:.1f} runs/s" if speed else "")

        yield advance
