"""The inject card: what is said to whom, what the players should do, and any decision they owe.

It shows one MSEL row (the current inject, or one the facilitator picked to read ahead):
sender, recipient, channel, the message, expected actions, discussion questions, and, for a
decision, its prompt and numbered options (keys 1–9 choose them) with the default and the
time left before the deadline applies it. Choosing an option here posts `OptionChosen`;
the console applies it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ttxsim.tui.session import format_clock

from .msel_list import when_text

__all__ = ["InjectCard"]

_KIND_LABELS = {
    "contextual": "context",
    "expected_action": "expected action",
    "decision": "DECISION",
    "information": "information",
    "contingency": "contingency",
}


class InjectCard(VerticalScroll):
    """One inject, readable at a glance; its decision options as a selectable list."""

    class OptionChosen(Message):
        """The user picked a decision option on the card."""

        def __init__(self, inject_id: str, option_id: str) -> None:
            super().__init__()
            self.inject_id = inject_id
            self.option_id = option_id

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.inject_id: str | None = None

    def compose(self) -> ComposeResult:
        """Lay out the parts (styles in ttxsim.tcss)."""
        yield Static(id="card-head")
        yield Static(id="card-body")
        with Vertical(id="decision"):
            yield Label(id="decision-prompt")
            yield OptionList(id="decision-options")
            yield Static(id="decision-status")

    def show(self, state, now: float, *, reading_ahead: bool = False, next_hint: str = "") -> None:
        """Show an `InjectState` (None: nothing delivered yet; `next_hint` says what comes first)."""
        head = self.query_one("#card-head", Static)
        body = self.query_one("#card-body", Static)
        decision_box = self.query_one("#decision", Vertical)
        changed = (state.inject.id if state else None) != self.inject_id
        self.inject_id = state.inject.id if state else None
        if state is None:
            self.border_title = "Inject"
            self.border_subtitle = ""
            head.update(Text("No inject delivered yet.", "bold"))
            body.update(Text(next_hint, "dim"))
            decision_box.display = False
            return
        inject = state.inject
        self.border_title = f"Inject {inject.id}"
        self.border_subtitle = "reading ahead · esc: back to current" if reading_ahead else state.status
        self.set_class(reading_ahead, "-reading-ahead")
        head.update(self._head(state))
        body.update(self._body(state))
        decision_box.display = inject.decision is not None
        if inject.decision is not None:
            self._show_decision(state, now, changed)
        if changed:
            self.scroll_home(animate=False)

    def _head(self, state) -> Text:
        inject = state.inject
        text = Text()
        kind = _KIND_LABELS.get(inject.kind, inject.kind)
        text.append(f" {kind} ", "bold reverse" if inject.kind == "decision" else "reverse")
        text.append(f"  {when_text(state)}", "bold")
        if state.delivered_s is not None:
            how = {"out_of_turn": "out of turn", "triggered": f"on {inject.on}"}.get(state.how or "", "")
            text.append(
                f"  delivered {format_clock(state.delivered_s)}" + (f" ({how})" if how else ""), "dim"
            )
        elif state.skipped_s is not None:
            text.append(f"  skipped {format_clock(state.skipped_s)}", "bold #f0b429")
        else:
            text.append("  not delivered yet", "italic dim")
        if state.outcome == "replaced":
            text.append("  (its alternative)", "bold #f0b429")
        text.append("\n")
        text.append("From ", "dim").append(inject.sender, "bold")
        text.append("  →  ", "dim").append(inject.to, "bold")
        text.append(f"  by {inject.channel}", "dim")
        return text

    @staticmethod
    def _body(state) -> Text:
        inject = state.inject
        text = Text()
        text.append("\n")
        text.append((state.text if state.text is not None else inject.message).strip())
        text.append("\n")
        planned = state.planned
        if state.reason:
            text.append("\nCondition ", "dim").append(state.reason, "italic")
            text.append("\n")
        elif state.outcome is None and (planned.when or planned.unless):
            conditions = [f"{k} {v}" for k, v in (("when", planned.when), ("unless", planned.unless)) if v]
            text.append("\nDelivered only " + "; ".join(conditions), "italic dim")
            instead = " (otherwise: its alternative)" if planned.otherwise else " (else skipped)"
            text.append(instead + "\n", "dim")
        if state.facts:
            text.append("\nThe model at delivery\n", "bold underline")
            for line in state.facts:
                text.append(" ▸ ", "bold").append(f"{line}\n")
        questions = state.questions if state.questions is not None else inject.questions
        for title, items, bullet in (
            ("Expected actions", inject.expected_actions, "•"),
            ("Discussion questions", questions, "?"),
        ):
            if items:
                text.append(f"\n{title}\n", "bold underline")
                for item in items:
                    text.append(f" {bullet} ", "bold").append(f"{item}\n")
        if inject.objective:
            text.append("\nObjective ", "dim").append(inject.objective, "italic")
        if inject.notes:
            text.append("\nController notes ", "dim").append(inject.notes, "italic dim")
        return text

    def _show_decision(self, state, now: float, changed: bool) -> None:
        decision = state.inject.decision
        self.query_one("#decision-prompt", Label).update(Text(f"◆ {decision.prompt}", "bold"))
        options = self.query_one("#decision-options", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for number, option in enumerate(decision.options, start=1):
            prompt = Text()
            chosen = state.choice == option.id
            prompt.append(f"{number} ", "bold reverse" if state.awaiting_decision else "dim")
            prompt.append(" ✓ " if chosen else " ", "bold #56d364")
            prompt.append(option.label, "bold" if chosen else ("" if state.choice is None else "dim"))
            if option.id == decision.default and state.choice is None:
                prompt.append("  (default)", "italic dim")
            options.add_option(Option(prompt, id=option.id, disabled=not state.awaiting_decision))
        if not changed and highlighted is not None and state.awaiting_decision:
            options.highlighted = highlighted
        status = Text()
        default = state.option(decision.default)
        if state.choice is not None:
            chosen = state.option(state.choice)
            who = "by the players" if state.chosen_by == "players" else "by default: the deadline passed"
            status.append(f"Decided {format_clock(state.chosen_s)} {who}: ", "dim")
            status.append(chosen.label if chosen else state.choice, "bold")
        elif state.delivered_s is None:
            status.append(
                f"Default “{default.label}” applies {decision.deadline_s / 60:g} min after delivery.", "dim"
            )
        else:
            left = (state.deadline_abs_s or now) - now
            status.append("Awaiting the players · ", "bold #f0b429")
            status.append(
                f"deadline {format_clock(state.deadline_abs_s)} (in {format_clock(left)[2:]}); "
                f"then “{default.label}”",
                "dim",
            )
            status.append("\nkeys 1–9 choose · p previews the outcomes", "dim italic")
        self.query_one("#decision-status", Static).update(status)
        self.set_class(state.awaiting_decision, "-awaiting")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Report the chosen option; the console applies it."""
        event.stop()
        if self.inject_id is not None and event.option.id is not None:
            self.post_message(self.OptionChosen(self.inject_id, event.option.id))
