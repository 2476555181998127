"""The facilitator's console screen: clock, MSEL, inject card, venue, counters and log in one view.

The screen owns the keys (so a modal dialogue on top blocks them) and turns each into a
session command queued on the app (`ExerciseApp.submit`), which runs it in a worker thread
and calls `refresh_view` when it is done. Widgets only show state and post messages.

Layout (styles in `ttxsim.tcss`): from 110 × 30 cells up, every panel is on screen in a
three-column grid; below that the MSEL, the card, the venue and the log share the space as
tabs (`v` or a click switches) and the counters shrink to one line at the bottom, so the
console stays usable at 80 × 24.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Footer, Tab, Tabs

from ..clock import format_clock
from ..widgets.clock_header import ClockHeader
from ..widgets.counters import Counters
from ..widgets.event_log import EventLog
from ..widgets.inject_card import InjectCard
from ..widgets.msel_list import MselList, when_text
from ..widgets.venue_map import VenueMap
from .evaluation import EvaluationScreen
from .help import HelpScreen
from .jump import JumpScreen
from .note import NoteScreen
from .preview import PreviewScreen

__all__ = ["NARROW_HEIGHT", "NARROW_WIDTH", "PANES", "ConsoleScreen"]

NARROW_WIDTH = 110
"""Below this many columns the panels become tabs."""
NARROW_HEIGHT = 30
"""Below this many rows the panels become tabs."""
WIDE_WIDTH = 180
"""From this many columns the side columns grow."""
PANES = (("card", "Inject"), ("msel", "MSEL"), ("venue", "Venue"), ("log", "Log"))
"""The panels that become tabs on a small terminal: (id, tab label)."""

_CHOOSE = Binding.Group("Choose")
_STEP = Binding.Group("Step")
_RUN = Binding.Group("Run")
FOOTER_WHEN_NARROW = frozenset(
    {
        "next_inject",
        "step",
        "toggle_run",
        "cycle_speed",
        "jump",
        "choose",
        "preview",
        "next_pane",
        "floor",
        "help",
        "quit",
    }
)
"""Actions the footer still shows on a small screen (the others stay bound; `?` lists them all)."""


class ConsoleScreen(Screen):
    """The main screen of `ttxsim exercise`."""

    AUTO_FOCUS = None
    """Focus is placed by `_layout`: the MSEL on a big screen, the tab bar on a small one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_inject", "Next"),
        Binding("s", "step(10)", "Step 10 s", group=_STEP),
        Binding("m", "step(60)", "Step 1 min", group=_STEP),
        Binding("space", "toggle_run", "Run/pause", key_display="␣", group=_RUN),
        Binding("x", "cycle_speed", "Speed ×1/×10/×60", group=_RUN),
        Binding("j", "jump", "Jump"),
        *(Binding(str(n), f"choose({n})", f"Choose option {n}", group=_CHOOSE) for n in range(1, 10)),
        *(Binding(str(n), f"decided({n})", "Already decided", show=False) for n in range(1, 10)),
        Binding("u", "undo", "Undo decision", show=False),
        Binding("d", "deliver", "Deliver"),
        Binding("o", "note", "Note"),
        Binding("p", "preview", "Preview"),
        Binding("e", "evaluate", "Evaluate"),
        Binding("r", "report", "AAR"),
        Binding("v", "next_pane", "View"),
        Binding("f", "floor", "Floor"),
        Binding("escape", "back_to_current", "Current inject", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    HELP_TEXT: ClassVar[dict[str, str]] = {
        "n": "advance to the next inject (the model runs until it is delivered)",
        "s": "step the model 10 seconds",
        "m": "step the model 1 minute",
        "␣": "run or pause in real time (stops by itself when an inject arrives)",
        "x": "real-time speed ×1 → ×10 → ×60",
        "j": "jump to a time (T+00:05:00, T-2d, seconds)",
        "1–9": "choose that option of the open decision (asks to confirm: y or enter applies, n cancels)",
        "u": "undo: take back the players' last decision (asks first; the journal keeps both)",
        "d": "deliver the inject under the MSEL cursor now (out of turn)",
        "o": "write a note (attached to the inject on the card)",
        "p": "outcome preview: 100 futures of each option, side by side",
        "e": "evaluation: P/S/M/U ratings, observations, corrective actions",
        "r": "write the AAR/IP (Markdown and HTML) next to the journal",
        "v": "small screens: next panel (inject, MSEL, venue, log)",
        "f": "venue map: next floor (when the floors do not fit side by side)",
        "esc": "back to the current inject after reading another one",
        "enter": "on an MSEL row: read that inject; on an option: choose it",
        "ctrl+p": "command palette: every action, deliver any inject, notes, report",
        "?": "this help",
        "q": "quit (asks first; the journal is already saved)",
    }
    """What each key does, for the help screen (the footer has room for a word only)."""

    def __init__(self, session):
        super().__init__()
        self.session = session
        self.reading: str | None = None
        """An inject the facilitator picked to read ahead (None: the card follows the current one)."""
        self.pane = "card"
        self.narrow = False

    def compose(self) -> ComposeResult:
        """Lay out the parts (styles in ttxsim.tcss)."""
        yield ClockHeader(self.session.scenario.meta.name, id="header")
        yield Tabs(*(Tab(label, id=f"tab-{pane}") for pane, label in PANES), id="panes")
        with Container(id="body"):
            msel = MselList(id="msel", classes="pane")
            msel.border_title = "MSEL"
            yield msel
            yield InjectCard(id="card", classes="pane")
            counters = Counters(id="counters")
            counters.border_title = "People"
            yield counters
            log = EventLog(id="log", classes="pane")
            log.border_title = "Event log"
            yield log
            venue = VenueMap(self.session.scenario.venue, id="venue", classes="pane")
            venue.border_title = "Venue"
            yield venue
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Fill in what needs the mounted widgets."""
        self._layout(self.app.size.width, self.app.size.height)
        self.refresh_view()

    # -- layout -----------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        """Fit the layout to the new size."""
        self._layout(event.size.width, event.size.height)

    def _layout(self, width: int, height: int) -> None:
        """Tabs below the breakpoint, the full grid above it."""
        self.narrow = width < NARROW_WIDTH or height < NARROW_HEIGHT
        body = self.query_one("#body")
        body.set_class(self.narrow, "-narrow")
        body.set_class(not self.narrow and width >= WIDE_WIDTH, "-xwide")
        self.query_one("#panes", Tabs).display = self.narrow
        self.query_one("#counters", Counters).set_class(self.narrow, "-compact")
        self.query_one(Footer).show_command_palette = not self.narrow
        self._show_pane(self.pane)
        focused = self.focused
        if focused is None or not focused.display or (self.narrow and focused.id == "msel"):
            self.set_focus(self.query_one("#panes" if self.narrow else "#msel"))
        self.refresh_bindings()

    def _show_pane(self, pane: str) -> None:
        self.pane = pane
        body = self.query_one("#body")
        for name, _ in PANES:
            body.set_class(name == pane, f"-show-{name}")
        tabs = self.query_one("#panes", Tabs)
        if tabs.active != f"tab-{pane}":
            tabs.active = f"tab-{pane}"
        self.refresh_bindings()

    @on(Tabs.TabActivated, "#panes")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab.id:
            self._show_pane(event.tab.id.removeprefix("tab-"))

    # -- showing the session ----------------------------------------------------------------

    def refresh_view(self, delivered: list | None = None) -> None:
        """Show the session as it is now (after a command, or at start)."""
        session = self.session
        if delivered:
            self.reading = None
        state = session.state()
        self.update_header()
        self.query_one("#counters", Counters).show(state, session.safe_series)
        self.query_one("#venue", VenueMap).show(state)
        current = session.current.inject.id if session.current else None
        self.query_one("#msel", MselList).show(session.injects, current, follow=bool(delivered))
        self._show_card()
        log = self.query_one("#log", EventLog)
        log.add(session.log[log.shown :])
        if delivered and self.narrow:
            self._show_pane("card")
        self.refresh_bindings()

    def rewrite_log(self) -> None:
        """Show the session's log afresh (after an undo, which rebuilds it without the decision)."""
        log = self.query_one("#log", EventLog)
        log.clear()
        log.shown = 0
        log.add(self.session.log)

    def update_header(self) -> None:
        """The clock and run state (also on every real-time tick and speed change)."""
        app, session = self.app, self.session
        self.query_one("#header", ClockHeader).show(
            clock=session.clock(),
            now_s=session.now,
            wall=session.wall_clock(),
            finished=session.finished,
            running=app.running,
            speed=app.speed,
            busy=app.busy,
            real=app.real_time(),
        )

    def _show_card(self) -> None:
        session = self.session
        shown = session.inject(self.reading) if self.reading else session.current
        hint = ""
        if shown is None:
            upcoming = next((s for s in session.injects if not s.done), None)
            hint = (
                f"Press n to deliver the first inject ({upcoming.inject.id}, {when_text(upcoming)})."
                if upcoming
                else "This MSEL is empty."
            )
        self.query_one("#card", InjectCard).show(
            shown, session.now, reading_ahead=self.reading is not None, next_hint=hint
        )

    def pending_decision(self):
        """The decision keys 1–9 answer: the card's inject if it awaits one, else the latest open one."""
        session = self.session
        if self.reading:
            shown = session.inject(self.reading)
            if shown.awaiting_decision:
                return shown
        open_ = session.pending_decisions()
        return max(open_, key=lambda s: (s.delivered_s, s.index)) if open_ else None

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """On a small screen the footer shows only the everyday keys; every key still works."""
        bindings = super().active_bindings
        if not self.narrow:
            return bindings
        return {
            key: active
            if active.binding.action.split("(")[0] in FOOTER_WHEN_NARROW
            else active._replace(binding=replace(active.binding, show=False))
            for key, active in bindings.items()
        }

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the keys that mean nothing now (option numbers beyond the open decision's, ...)."""
        if action == "choose":
            pending = self.pending_decision()
            return pending is not None and int(parameters[0]) <= len(pending.inject.decision.options)
        if action == "decided":
            return self.pending_decision() is None and self._decided_on_card() is not None
        if action == "next_pane":
            return self.narrow
        if action == "floor":
            venue = self.query_one("#venue", VenueMap)
            return (not self.narrow or self.pane == "venue") and venue.cycles_floors
        if action == "back_to_current":
            return self.reading is not None
        if action == "preview":
            return True if self.pending_decision() is not None else None
        return True

    # -- messages from the widgets ----------------------------------------------------------

    @on(MselList.Selected)
    def _read_inject(self, event: MselList.Selected) -> None:
        self.read_inject(event.inject_id)

    def read_inject(self, inject_id: str) -> None:
        """Show an inject on the card without delivering it (reading ahead, or back)."""
        current = self.session.current
        self.reading = None if current is not None and current.inject.id == inject_id else inject_id
        self._show_card()
        if self.narrow:
            self._show_pane("card")
        self.refresh_bindings()

    @on(InjectCard.OptionChosen)
    def _option_chosen(self, event: InjectCard.OptionChosen) -> None:
        self.app.choose(event.inject_id, event.option_id)

    # -- actions ----------------------------------------------------------------------------

    def action_next_inject(self) -> None:
        """Run the model until the next inject is delivered."""
        self.app.submit("next inject", self.session.next_inject)

    def action_step(self, seconds: float) -> None:
        """Step the model by `seconds`."""
        self.app.submit(f"step {seconds:g} s", self.session.step, float(seconds))

    def action_toggle_run(self) -> None:
        """Run or pause the clock in real time."""
        self.app.toggle_running()

    def action_cycle_speed(self) -> None:
        """×1 → ×10 → ×60."""
        self.app.cycle_speed()

    def action_jump(self) -> None:
        """Ask for a time, then run the model to it."""

        def jump(answer: tuple[float, bool] | None) -> None:
            if answer is not None:
                t, stop = answer
                self.app.submit("jump", self.session.run_to, t, stop_at_injects=stop)

        self.push_modal(JumpScreen(self.session.now, self.session.sim.horizon_s), jump)

    def action_choose(self, number: int) -> None:
        """Choose option `number` of the open decision."""
        pending = self.pending_decision()
        if pending is None:
            self.app.notify("No decision is open.", severity="warning")
            return
        options = pending.inject.decision.options
        if not 1 <= number <= len(options):
            self.app.notify(f"{pending.inject.id} has {len(options)} options.", severity="warning")
            return
        self.app.choose(pending.inject.id, options[number - 1].id)

    def _decided_on_card(self):
        """The inject on the card if its decision has been taken (keys 1–9 then say so)."""
        shown = self.session.inject(self.reading) if self.reading else self.session.current
        return shown if shown is not None and shown.inject.decision and shown.choice else None

    def action_decided(self, number: int) -> None:
        """A decision key on a decided inject: say it was decided, and how to take it back."""
        state = self._decided_on_card()
        option = state.option(state.choice)
        how = ("u takes back the players' last decision" if state.chosen_by == "players"
               else "a default is not undone; apply a corrective action from the palette (ctrl+p)")
        self.app.notify(f"Decided at {format_clock(state.chosen_s)} ({state.chosen_by}): "
                        f"“{option.label if option else state.choice}”. {how}.",
                        title=f"{state.inject.id} is already decided", severity="warning", timeout=6)

    def action_undo(self) -> None:
        """Take back the players' last decision (asks first)."""
        self.app.undo()

    def action_deliver(self) -> None:
        """Deliver the inject under the MSEL cursor now, out of its turn."""
        inject_id = self.query_one("#msel", MselList).selected_id
        if inject_id is None:
            return
        if self.session.inject(inject_id).delivered_s is not None:
            self.app.notify(
                f"{inject_id} was already delivered; pick an upcoming inject in the MSEL.", severity="warning"
            )
            return
        self.app.deliver(inject_id)

    def action_note(self) -> None:
        """Write a note, attached to the inject on the card."""

        def save(answer: tuple[str, str | None] | None) -> None:
            if answer is not None:
                text, inject_id = answer
                self.app.submit(
                    "note",
                    self.session.note,
                    text,
                    inject_id,
                    then=lambda _: self.app.notify("Note saved.", timeout=2),
                )

        card = self.query_one("#card", InjectCard)
        self.push_modal(NoteScreen(self.session.clock(), card.inject_id), save)

    def action_preview(self) -> None:
        """Preview the open decision's options over many futures."""
        pending = self.pending_decision()
        if pending is None:
            self.app.notify("No decision is open to preview.", severity="warning")
            return
        self.app.running = False

        def chosen(option_id: str | None) -> None:
            if option_id is not None:
                self.app.choose(pending.inject.id, option_id)

        app = self.app
        self.push_modal(
            PreviewScreen(
                self.session, pending.inject.id, runs=app.preview_runs, workers=app.preview_workers
            ),
            chosen,
            wait_for_model=True,
        )

    def action_evaluate(self) -> None:
        """Open the evaluation screen."""
        self.push_modal(EvaluationScreen(self.session), lambda _: None, wait_for_model=True)

    def action_report(self) -> None:
        """Write the AAR/IP next to the journal."""
        self.app.write_report()

    def action_next_pane(self) -> None:
        """Small screens: show the next panel."""
        names = [name for name, _ in PANES]
        self._show_pane(names[(names.index(self.pane) + 1) % len(names)])

    def action_floor(self) -> None:
        """Show the venue's next floor."""
        floor = self.query_one("#venue", VenueMap).cycle_floor()
        self.app.notify(f"Floor {floor}", timeout=1.5)

    def action_back_to_current(self) -> None:
        """Stop reading ahead: the card follows the current inject again."""
        self.reading = None
        self._show_card()
        self.refresh_bindings()

    def action_help(self) -> None:
        """List every key."""
        self.app.push_screen(HelpScreen(list(self.HELP_TEXT.items())))

    def action_quit(self) -> None:
        """Ask, then quit."""
        self.app.confirm_quit()

    def push_modal(self, screen: Screen, callback, *, wait_for_model: bool = False) -> None:
        """Open a dialogue; with `wait_for_model`, only once the model is idle (it reads the session)."""
        if wait_for_model and self.app.busy:
            self.app.notify("The model is still running; try again in a moment.", severity="warning")
            return
        self.app.push_screen(screen, callback)
