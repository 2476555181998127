"""The evaluator's forms: an observation (strength or area for improvement) and a corrective action.

An HSEEP observation names its core capability, says what was seen, why (the analysis, the
root cause for an area for improvement) and what to do about it; a corrective action is a row
of the improvement plan: the issue, the action, the capability element it addresses
(planning, organization, equipment, training, exercise), who owns it and by when.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from ttxsim.tui.evaluation import CAPABILITY_ELEMENTS

__all__ = ["CorrectiveActionScreen", "ObservationScreen"]


class _Form(ModalScreen[dict | None]):
    """A dialogue of labelled fields; dismisses with their values, or None if cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]
    TITLE_TEXT = ""
    REQUIRED: ClassVar[tuple[str, ...]] = ()

    def __init__(self, exercise):
        super().__init__(classes="dialog-screen")
        self.exercise = exercise

    def fields(self) -> ComposeResult:
        """The form's rows (label + widget with an id `f-<name>`)."""
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form") as box:
            box.border_title = self.TITLE_TEXT
            box.border_subtitle = "ctrl+s save · esc cancel"
            with VerticalScroll():
                yield from self.fields()
            yield Label("", classes="error", id="form-error")
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="form-save")
                yield Button("Cancel", id="form-cancel")

    def _capability_select(self) -> Select:
        capabilities = self.exercise.capabilities()
        return Select(
            [(Text(c), c) for c in capabilities],
            id="f-capability",
            allow_blank=not capabilities,
            prompt="core capability",
        )

    def values(self) -> dict:
        """Every field's value by name (Select blanks as empty strings or None)."""
        out = {}
        for widget in self.query("Input, Select"):
            name = (widget.id or "")[2:]
            value = widget.value
            out[name] = None if value is Select.NULL else value
        return out

    @on(Button.Pressed, "#form-save")
    def action_save(self) -> None:
        """Leave with the values, unless a required one is missing."""
        values = self.values()
        missing = [name for name in self.REQUIRED if not (values.get(name) or "").strip()]
        if missing:
            self.query_one("#form-error", Label).update(f"Needed: {', '.join(missing)}")
            return
        self.dismiss({k: (v or "") if k != "objective_id" else v for k, v in values.items()})

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        """Leave without saving."""
        self.dismiss(None)


class ObservationScreen(_Form):
    """A strength or an area for improvement under a core capability."""

    TITLE_TEXT = "Observation"
    REQUIRED = ("capability", "kind", "observation")

    def fields(self) -> ComposeResult:
        """The form's fields, label above widget."""
        yield Label("Core capability")
        yield self._capability_select()
        yield Label("Objective (optional)")
        yield Select(
            [(Text(f"{o.id}  {o.text.strip()[:60]}"), o.id) for o in self.exercise.objectives],
            id="f-objective_id",
            prompt="(none)",
        )
        yield Label("Kind")
        yield Select(
            [("Strength", "strength"), ("Area for improvement", "improvement")],
            id="f-kind",
            value="improvement",
            allow_blank=False,
        )
        yield Label("Observation: what was seen")
        yield Input(id="f-observation")
        yield Label("Analysis: why it happened (root cause)")
        yield Input(id="f-analysis")
        yield Label("Recommendation")
        yield Input(id="f-recommendation")


class CorrectiveActionScreen(_Form):
    """A row of the improvement plan."""

    TITLE_TEXT = "Corrective action (improvement plan)"
    REQUIRED = ("capability", "issue", "action")

    def fields(self) -> ComposeResult:
        """The form's fields, label above widget."""
        yield Label("Core capability")
        yield self._capability_select()
        yield Label("Issue / area for improvement")
        yield Input(id="f-issue")
        yield Label("Corrective action")
        yield Input(id="f-action")
        yield Label("Capability element")
        yield Select([(e, e) for e in CAPABILITY_ELEMENTS], id="f-element", prompt="(none)")
        for name, label in (
            ("organisation", "Primary responsible organisation"),
            ("poc", "Point of contact"),
            ("start", "Start date"),
            ("completion", "Completion date"),
        ):
            yield Label(label)
            yield Input(id=f"f-{name}")
