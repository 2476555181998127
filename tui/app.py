"""The facilitator's console (Textual): the app that runs an `ExerciseSession`'s commands.

Every change to the session is a command (docs/model.md, actions, the journal of section 6) that can
take up to about a second of model time, so commands never run on the UI thread: `submit`
queues them and a thread worker runs one at a time, in order, while the screen stays live.
Keys pressed while the model is busy are queued (a few at most), so pressing `n` five times
delivers five injects; real-time ticks are not queued but skipped, and the time they owe is
carried to the next step, so a slow step never makes the clock drift from the wall clock.

`make_app(session)` builds the app for the CLI and the tests alike (Posting's `make_posting`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from time import monotonic
from typing import Any

from textual.app import App
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.worker import Worker, WorkerState

from .commands import ExerciseCommands
from .screens.confirm import QuitScreen
from .screens.console import ConsoleScreen
from .screens.decide import ConfirmDecisionScreen, ConfirmUndoScreen
from .screens.journal_failed import JournalFailedScreen
from .session import ExerciseSession, JournalFailed, SessionError, format_clock
from .undo import last_decision, nothing_to_undo

__all__ = ["SPEEDS", "ExerciseApp", "make_app"]

SPEEDS = (1, 10, 60)
"""Real-time speeds: scenario seconds per wall-clock second."""

TICK_S = 0.25
"""How often the real-time clock steps the model (4 ticks a second)."""

MAX_QUEUED = 8
"""Commands that may wait behind a busy model before further keys are refused."""

MAX_OWED_S = 2.0
"""Real seconds of time owed to the real-time clock after which the rest is dropped (a long stall)."""


@dataclass
class _Command:
    label: str
    call: Callable[[], Any]
    then: Callable[[Any], None] | None
    realtime: bool


class ExerciseApp(App[list[Path] | None]):
    """The console over one session.

    Args:
        session: the exercise session to play.
        real_clock: what gives the real time of day shown in the header (None hides it; tests
            pass None or a frozen clock so snapshots do not change by the minute).
        preview_runs: futures per option in the outcome preview, and in the report's outcomes.
        preview_workers: processes for the outcome preview.
    """

    CSS_PATH = "ttxsim.tcss"
    TITLE = "ttxsim exercise"
    COMMANDS = App.COMMANDS | {ExerciseCommands}

    running: reactive[bool] = reactive(False, init=False)
    """The clock moves by itself (real time × speed)."""
    speed: reactive[int] = reactive(1, init=False)
    """Scenario seconds per wall-clock second while running."""

    def __init__(
        self,
        session: ExerciseSession,
        *,
        real_clock: Callable[[], datetime] | None = datetime.now,
        preview_runs: int = 100,
        preview_workers: int = 2,
    ):
        super().__init__()
        self.session = session
        self.real_clock = real_clock
        self.preview_runs = preview_runs
        self.preview_workers = preview_workers
        self.busy = False
        """A command is running in the worker thread."""
        self._queue: deque[_Command] = deque()
        self._current: _Command | None = None
        self._owed = 0.0
        self._last_tick = monotonic()
        self._told_finished = session.finished
        self._defaults_seen = self._defaults()
        self.console_screen = ConsoleScreen(session)

    def get_default_screen(self) -> ConsoleScreen:
        """The console is the base screen; dialogues open over it."""
        return self.console_screen

    def on_mount(self) -> None:
        """Fill in what needs the mounted widgets."""
        self._ticker = self.set_interval(TICK_S, self._tick, pause=True)
        if self.real_clock is not None:
            self.set_interval(15, self.console_screen.update_header)
        self.title = f"ttxsim · {self.session.scenario.meta.name}"
        for notice in self.session.notices:  # from the journal's reader: an old format, ...
            self.notify(notice, title="Journal", timeout=10)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast whose text is shown as written: scenario and journal text is never markup here."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def real_time(self) -> datetime | None:
        """The real time of day for the header, if shown."""
        return self.real_clock() if self.real_clock is not None else None

    # -- the command queue ------------------------------------------------------------------

    def submit(
        self,
        label: str,
        function: Callable[..., Any],
        *args: Any,
        then: Callable[[Any], None] | None = None,
        realtime: bool = False,
        **kwargs: Any,
    ) -> bool:
        """Queue a session command; it runs in a worker thread after those before it.

        Args:
            label: what it is, for messages.
            function: the session method to call.
            *args: its arguments.
            then: called on the UI thread with its result once it succeeded.
            realtime: a real-time tick's step (it pauses the clock when an inject arrives).
            **kwargs: its keyword arguments.

        Returns:
            False if the queue is full (the user is told), else True.
        """
        if self.session.journal_failure is not None:
            self._ask_for_journal()
            return False
        if len(self._queue) >= MAX_QUEUED:
            self.notify("The model is busy; wait a moment.", severity="warning", timeout=2)
            return False
        self._queue.append(_Command(label, partial(function, *args, **kwargs), then, realtime))
        self._pump()
        return True

    @property
    def idle(self) -> bool:
        """Nothing running and nothing queued."""
        return not self.busy and not self._queue

    def _pump(self) -> None:
        if self.busy or not self._queue:
            return
        self._current = command = self._queue.popleft()
        self.busy = True
        self.console_screen.update_header()
        self.run_worker(command.call, name=command.label, group="model", thread=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A command finished: show its result or its refusal, then start the next one."""
        worker = event.worker
        if worker.group != "model" or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            return
        command, self._current, self.busy = self._current, None, False
        if event.state == WorkerState.ERROR and isinstance(worker.error, JournalFailed):
            self.running = False
            self._queue.clear()  # what was queued behind it waits for the facilitator's choice
            self.console_screen.refresh_view()
            self._ask_for_journal()
        elif event.state == WorkerState.ERROR:
            error = worker.error
            message = str(error) if isinstance(error, SessionError) else f"{type(error).__name__}: {error}"
            self.notify(message, title=f"Could not {command.label}" if command else None, severity="error")
            self.running = False
            self.console_screen.refresh_view()
        elif event.state == WorkerState.SUCCESS:
            self._after(command, worker.result)
        self._pump()
        self.console_screen.update_header()

    def _after(self, command: _Command | None, result: Any) -> None:
        session = self.session
        delivered = result if isinstance(result, list) and all(hasattr(r, "inject") for r in result) else []
        self.console_screen.refresh_view(delivered)
        if delivered:
            ids = ", ".join(s.inject.id for s in delivered)
            decision = " · decision open" if any(s.inject.decision for s in delivered) else ""
            self.notify(f"{ids} delivered at {session.clock()}{decision}", timeout=4)
        if delivered and self.running:
            self.running = False
        defaults = self._defaults()
        for inject_id in sorted(defaults - self._defaults_seen):
            state = session.inject(inject_id)
            option = state.option(state.choice)
            self.notify(
                f"{inject_id}: deadline passed; default “{option.label if option else state.choice}”",
                severity="warning",
                timeout=6,
            )
        self._defaults_seen = defaults
        if session.finished and not self._told_finished:
            self._told_finished = True
            self.notify(
                "Everyone is accounted for; the model has played out. The MSEL can go on.",
                title=f"Model finished ({session.clock()})",
                timeout=8,
            )
        if self.running and session.at_horizon:
            self.running = False
            self.notify("The scenario's horizon is reached.", timeout=5)
        if command is not None and command.then is not None:
            command.then(result)

    def _ask_for_journal(self) -> None:
        """The journal failed: stop, say so, and ask where it goes on (once; the dialogue stays up)."""
        self.running = False
        if isinstance(self.screen, JournalFailedScreen):
            return
        session = self.session
        name = session.journal_path.name if session.journal_path else "exercise.jsonl"
        suggestion = str(Path.home() / f"{Path(name).stem}-continued.jsonl")

        def moved(path: str | None) -> None:
            if path is None:
                self.exit()
                return
            self.notify(f"The journal goes on in {path}; nothing was lost.", title="Journal moved", timeout=8)
            self.console_screen.update_header()

        self.push_screen(JournalFailedScreen(session.journal_failure or "", suggestion, session.move_journal),
                         moved)

    def _defaults(self) -> set[str]:
        return {s.inject.id for s in self.session.injects if s.chosen_by == "default"}

    # -- commands the screens share ---------------------------------------------------------

    def choose(self, inject_id: str, option_id: str) -> None:
        """Ask to confirm a decision option (from a key, the card, the preview or the palette), then apply it.

        The confirmation says what the option's actions will do; nothing is applied on cancel.
        """
        state = self.session.inject(inject_id)
        option = state.option(option_id)
        if option is None or not state.awaiting_decision:
            self.submit(f"choose {option_id}", self.session.choose, inject_id, option_id)  # says why not
            return
        openings = None if self.busy else self.session.state().openings  # never read a moving model
        self.running = False  # the room is deciding: no deadline runs out behind the dialogue

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.submit(f"choose {option_id}", self.session.choose, inject_id, option_id,
                            then=lambda _: self.notify(option.label, title=f"{inject_id} decided", timeout=4))
            else:
                self.notify("Nothing was applied.", title=f"{inject_id}: decision cancelled", timeout=3)

        self.push_screen(ConfirmDecisionScreen(state, option_id, self.session.scenario, openings), confirmed)

    def undo(self) -> None:
        """Ask to take back the players' last decision, then rebuild the session without it."""
        if self.busy:
            self.notify("The model is still running; try again in a moment.", severity="warning")
            return
        decision = last_decision(self.session.commands)
        if decision is None:
            self.notify(nothing_to_undo(self.session), title="Undo", severity="warning", timeout=8)
            return
        state = self.session.inject(decision["inject"])
        option = state.option(decision["option"])
        label = option.label if option else decision["option"]
        self.running = False

        def undone(state) -> None:
            now = ("open again: the players can decide anew" if state.awaiting_decision
                   else f"past its deadline: default “{state.option(state.choice).label}” applied"
                   if state.choice else "not delivered in the rebuilt session")
            self.console_screen.rewrite_log()  # the log was rebuilt too: shown afresh, with the undo
            self.notify(f"“{label}” is taken back; {state.inject.id} is {now}.", title="Decision undone",
                        timeout=8)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.submit(f"undo {state.inject.id}", self.session.undo, then=undone)
            else:
                self.notify("The decision stands.", title="Undo cancelled", timeout=3)

        self.push_screen(ConfirmUndoScreen(state, label, format_clock(state.chosen_s)), confirmed)

    def deliver(self, inject_id: str) -> None:
        """Deliver an inject now, out of its turn."""
        self.submit(
            f"deliver {inject_id}",
            self.session.deliver_now,
            inject_id,
            then=lambda _: self._after(None, [self.session.inject(inject_id)]),
        )

    def apply_action(self, label: str, action: dict) -> None:
        """Apply a model action from the command palette."""
        self.submit(
            label, self.session.apply, action, then=lambda _: self.notify(label, title="Applied", timeout=3)
        )

    def report_paths(self) -> tuple[Path, Path]:
        """Where the AAR/IP goes: beside the journal (or the working directory), as .md and .html."""
        session = self.session
        if session.journal_path is not None:
            base = session.journal_path.with_suffix("")
        else:
            base = Path.cwd() / session.scenario_path.stem
        return base.with_name(base.name + "-aar.md"), base.with_name(base.name + "-aar.html")

    def write_report(self) -> None:
        """Write the AAR/IP in both formats (in the worker: it plays the session out on a twin)."""
        markdown, html = self.report_paths()

        def write() -> list[Path]:
            from .aar import write_aar

            return [write_aar(self.session, path, futures=self.preview_runs, workers=self.preview_workers)
                    for path in (markdown, html)]  # the futures run once: the second reuses them

        self.notify("Writing the after-action report…", timeout=2)
        self.submit(
            "write the report",
            write,
            then=lambda paths: self.notify(
                "\n".join(str(p) for p in paths), title="AAR/IP written", timeout=8
            ),
        )

    # -- real time --------------------------------------------------------------------------

    def toggle_running(self) -> None:
        """Run or pause the clock in real time."""
        if not self.running and self.session.at_horizon:
            self.notify("The clock is at the scenario's horizon; nothing is left to run.", severity="warning")
            return
        self.running = not self.running

    def cycle_speed(self) -> None:
        """×1 → ×10 → ×60 → ×1."""
        self.speed = (
            SPEEDS[(SPEEDS.index(self.speed) + 1) % len(SPEEDS)] if self.speed in SPEEDS else SPEEDS[0]
        )

    def watch_running(self, running: bool) -> None:
        """Start or stop the real-time ticks (time owed from before is dropped)."""
        self._owed, self._last_tick = 0.0, monotonic()
        if running:
            self._ticker.resume()
        else:
            self._ticker.pause()
        self.console_screen.update_header()

    def watch_speed(self) -> None:
        """Show the new speed."""
        self.console_screen.update_header()

    def _tick(self) -> None:
        now = monotonic()
        elapsed, self._last_tick = now - self._last_tick, now
        if not self.running:
            return
        self._owed = min(self._owed + elapsed, MAX_OWED_S)
        if not self.idle:
            return
        if self.session.at_horizon:
            self.running = False
            return
        seconds, self._owed = self._owed * self.speed, 0.0
        if seconds > 0:
            self.submit("run", self.session.step, seconds, realtime=True)

    # -- leaving ----------------------------------------------------------------------------

    def confirm_quit(self) -> None:
        """Ask before quitting; optionally record the end of the exercise first."""

        def answer(choice: str | None) -> None:
            if choice == "end":
                self.submit("end the exercise and write the report", self._end_and_report,
                            then=lambda paths: self.exit(paths))
            elif choice == "quit":
                self.exit()

        journal = str(self.session.journal_path) if self.session.journal_path else None
        self.push_screen(QuitScreen(journal), answer)

    def _end_and_report(self) -> list[Path]:
        """Record the end of the exercise, then write its AAR/IP (HSEEP: the report follows play)."""
        from .aar import write_aar

        self.session.end()
        return [write_aar(self.session, path, futures=self.preview_runs, workers=self.preview_workers)
                for path in self.report_paths()]

    async def action_quit(self) -> None:
        """ctrl+q asks too: a tabletop should not end on a stray key."""
        self.confirm_quit()


def make_app(session: ExerciseSession, **options: Any) -> ExerciseApp:
    """The console for a session (the CLI's and the tests' one way to build it).

    Args:
        session: the session to play.
        **options: `ExerciseApp` options (real_clock, preview_runs, preview_workers).
    """
    return ExerciseApp(session, **options)
