"""Evaluation (HSEEP): rate each objective's core capabilities P/S/M/U and record what was seen.

HSEEP evaluators rate each core capability under each objective (P performed without
challenges, S with some, M with major challenges, U unable to be performed) and write
strengths and areas for improvement (observation, analysis, recommendation); the
improvement plan's corrective actions follow from them. As an Exercise Evaluation Guide marks
each critical task, every expected player action of a delivered inject is marked met, partly
met or not met. This screen shows the exercise's objectives from the scenario with a rating
per capability, the delivered injects' expected actions with a mark each, the observations
and corrective actions so far, and opens the forms that add more. Every change is a session command
(journaled), run through the console's command queue.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static

from ttxsim.sim import RATINGS

from ..evaluation import MARKS
from .records import CorrectiveActionScreen, ObservationScreen

__all__ = ["EvaluationScreen"]


class EvaluationScreen(ModalScreen[None]):
    """Ratings per objective and capability, observations and corrective actions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("a", "observe", "Add observation"),
        Binding("c", "corrective", "Add corrective action"),
        Binding("r", "report", "Write AAR"),
    ]

    def __init__(self, session):
        super().__init__(classes="dialog-screen")
        self.session = session
        self._selects: dict[str, tuple[str, str]] = {}
        self._marks: dict[str, tuple[str, int]] = {}

    def compose(self) -> ComposeResult:
        """Lay out the parts (styles in ttxsim.tcss)."""
        exercise = self.session.scenario.exercise
        with Vertical(classes="dialog", id="evaluation-dialog") as box:
            box.border_title = Text(f"Evaluation · {exercise.name or self.session.scenario.meta.name}")
            box.border_subtitle = "a observation · c corrective action · r write AAR · esc close"
            with VerticalScroll(id="evaluation-body"):
                if not exercise.objectives:
                    yield Label(
                        "This scenario names no exercise objectives (exercise.objectives).", classes="dim"
                    )
                for i, objective in enumerate(exercise.objectives):
                    yield Static(
                        Text.assemble((objective.id, "bold"), "  ", objective.text.strip()),
                        classes="objective",
                    )
                    for j, capability in enumerate(objective.capabilities):
                        select_id = f"rate-{i}-{j}"
                        self._selects[select_id] = (objective.id, capability)
                        with Horizontal(classes="rating-row"):
                            yield Label(Text(capability), classes="capability")
                            yield Select(
                                [(f"{k} · {v}", k) for k, v in RATINGS.items()],
                                prompt="not rated",
                                value=self.session.ratings.get((objective.id, capability), Select.NULL),
                                id=select_id,
                                compact=True,
                            )
                yield from self._compose_marks()
                yield Static(id="evaluation-records")
            with Horizontal(classes="buttons"):
                yield Button("Observation (a)", id="eval-observe")
                yield Button("Corrective action (c)", id="eval-corrective")
                yield Button("Write AAR (r)", id="eval-report")
                yield Button("Close", variant="primary", id="eval-close")

    def _compose_marks(self) -> ComposeResult:
        """A met / partly met / not met choice per expected action of each inject delivered so far."""
        delivered = sorted((s for s in self.session.injects if s.delivered_s is not None
                            and s.inject.expected_actions), key=lambda s: (s.delivered_s, s.index))
        yield Static(Text("\nExpected player actions", "bold underline"), classes="objective")
        if not delivered:
            yield Label("  none yet: marks come with the injects delivered", classes="dim")
        marks = self.session.evaluation.marks
        for s in delivered:
            yield Static(Text.assemble((s.inject.id, "bold"), "  ", f"{s.inject.sender} → {s.inject.to}"),
                         classes="objective")
            for number, action in enumerate(s.inject.expected_actions, start=1):
                select_id = f"mark-{s.index}-{number}"
                self._marks[select_id] = (s.inject.id, number)
                with Horizontal(classes="rating-row"):
                    yield Label(Text(action), classes="capability")
                    yield Select([(label, key) for key, label in MARKS.items()], prompt="not marked",
                                 value=marks.get((s.inject.id, number), Select.NULL), id=select_id,
                                 classes="mark", compact=True)

    def on_mount(self) -> None:
        """Fill in what needs the mounted widgets."""
        self.refresh_records()

    def refresh_records(self) -> None:
        """Show the observations and corrective actions recorded so far."""
        text = Text()
        observations = self.session.observations
        text.append(f"\nObservations ({len(observations)})\n", "bold underline")
        if not observations:
            text.append("  none yet: press a to add a strength or an area for improvement\n", "dim")
        for o in observations:
            mark, style = ("+", "#56d364") if o.kind == "strength" else ("△", "#f0b429")
            text.append(f" {mark} ", f"bold {style}").append(f"{o.capability}: ", "bold").append(
                o.observation
            )
            if o.recommendation:
                text.append(f"  → {o.recommendation}", "italic")
            text.append("\n")
        actions = self.session.corrective_actions
        text.append(f"\nCorrective actions ({len(actions)})\n", "bold underline")
        if not actions:
            text.append("  none yet: press c to add a row of the improvement plan\n", "dim")
        for a in actions:
            owner = ", ".join(x for x in (a.organisation, a.poc, a.completion) if x)
            text.append(" • ").append(f"{a.capability}: ", "bold").append(f"{a.issue} → {a.action}")
            text.append(f"  ({owner})\n" if owner else "\n", "dim")
        self.query_one("#evaluation-records", Static).update(text)

    @on(Select.Changed)
    def _rated(self, event: Select.Changed) -> None:
        key = self._selects.get(event.select.id or "")
        if key is None or event.value is Select.NULL:
            return
        objective_id, capability = key
        if self.session.ratings.get(key) == event.value:
            return
        self.app.submit(f"rate {objective_id}", self.session.rate, objective_id, capability, event.value)

    @on(Select.Changed, ".mark")
    def _marked(self, event: Select.Changed) -> None:
        key = self._marks.get(event.select.id or "")
        if key is None or event.value is Select.NULL or self.session.evaluation.marks.get(key) == event.value:
            return
        inject_id, number = key
        self.app.submit(f"mark {inject_id}", self.session.mark, inject_id, number, event.value)

    @on(Button.Pressed, "#eval-observe")
    def action_observe(self) -> None:
        """Open the observation form."""
        self.app.push_screen(ObservationScreen(self.session.scenario.exercise), self._observed)

    def _observed(self, fields: dict | None) -> None:
        if fields:
            self.app.submit(
                "observation", self.session.observe, **fields, then=lambda _: self.refresh_records()
            )

    @on(Button.Pressed, "#eval-corrective")
    def action_corrective(self) -> None:
        """Open the corrective-action form."""
        self.app.push_screen(CorrectiveActionScreen(self.session.scenario.exercise), self._corrected)

    def _corrected(self, fields: dict | None) -> None:
        if fields:
            self.app.submit(
                "corrective action",
                self.session.add_corrective_action,
                **fields,
                then=lambda _: self.refresh_records(),
            )

    @on(Button.Pressed, "#eval-report")
    def action_report(self) -> None:
        """Write the AAR/IP next to the journal."""
        self.app.write_report()

    @on(Button.Pressed, "#eval-close")
    def action_close(self) -> None:
        """Back to the console."""
        self.dismiss(None)
