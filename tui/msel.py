"""The MSEL as a session plays it: each inject's state, and what is due when.

Injects come due at their `at` time, or when the model event they wait for (`on:`) first
happens plus their delay; a delivered decision has a deadline after which its default
applies. The session asks this schedule what is due and when the next thing is, so it can
stop the model exactly there; when an inject comes due, `deliver` judges its condition on the
model's facts (docs/scenario-format.md, conditions and live values).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ttxsim.sim.conditions import Facts, fill_inject, judge, summary

__all__ = ["InjectState", "Msel", "delivery_line"]


@dataclass
class InjectState:
    """One MSEL row and what has become of it in this session."""

    inject: Any
    """The scenario's `Inject`."""
    index: int
    due_s: float | None = None
    """When it is due: its `at`, or its trigger's time plus delay once the trigger fired."""
    delivered_s: float | None = None
    how: str | None = None
    """`scheduled`, `triggered` or `out_of_turn`."""
    choice: str | None = None
    chosen_s: float | None = None
    chosen_by: str | None = None
    """`players`, or `default` when the deadline passed."""
    deadline_abs_s: float | None = None
    current: bool = False
    planned: Any = None
    """The inject as the MSEL writes it; `inject` is what was delivered (its alternative, if replaced)."""
    outcome: str | None = None
    """`delivered`, `replaced` (by its `otherwise`) or `skipped` (its condition failed)."""
    reason: str = ""
    """Why its condition let it through, replaced it or skipped it."""
    skipped_s: float | None = None
    text: str | None = None
    """The message as delivered, live values filled in."""
    questions: list[str] | None = None
    """The discussion questions as delivered."""
    facts: list[str] | None = None
    """The model at delivery, as the card shows it."""

    def __post_init__(self):
        if self.planned is None:
            self.planned = self.inject

    @property
    def status(self) -> str:
        """`upcoming`, `skipped`, `current` (the latest delivered) or `delivered`."""
        if self.delivered_s is None:
            return "skipped" if self.skipped_s is not None else "upcoming"
        return "current" if self.current else "delivered"

    @property
    def done(self) -> bool:
        """Delivered or skipped: no longer due."""
        return self.delivered_s is not None or self.skipped_s is not None

    @property
    def awaiting_decision(self) -> bool:
        """Delivered, with a decision nobody has taken yet."""
        return self.delivered_s is not None and self.inject.decision is not None and self.choice is None

    def option(self, option_id: str | None):
        """The decision option with this id, or None."""
        decision = self.inject.decision
        return next((o for o in decision.options if o.id == option_id), None) if decision else None


class Msel:
    """The session's injects in MSEL order, with the latest delivered one as `current`."""

    def __init__(self, injects):
        self.states = [InjectState(inject, i, due_s=inject.at) for i, inject in enumerate(injects)]
        self.current: InjectState | None = None

    def get(self, inject_id: str) -> InjectState | None:
        """The row with this id, or None."""
        return next((s for s in self.states if s.inject.id == inject_id), None)

    def pending(self) -> list[InjectState]:
        """Delivered injects whose decision is still open, in MSEL order."""
        return [s for s in self.states if s.awaiting_decision]

    def upcoming_times(self) -> list[float]:
        """Known times still to come: deliveries and open decisions' deadlines."""
        times = [s.due_s for s in self.states if not s.done and s.due_s is not None]
        times += [s.deadline_abs_s for s in self.states
                  if s.awaiting_decision and s.deadline_abs_s is not None]
        return times

    def awaited_triggers(self) -> set[str]:
        """Triggers that undelivered `on:` injects still wait for."""
        return {s.inject.on for s in self.states
                if s.inject.on is not None and s.due_s is None and not s.done}

    def fire(self, trigger: str, t: float) -> None:
        """A trigger happened at `t`: the injects waiting for it come due after their delays."""
        for state in self.states:
            if state.inject.on == trigger and state.due_s is None and not state.done:
                state.due_s = t + state.inject.delay_s

    def expired(self, now: float) -> list[InjectState]:
        """Open decisions whose deadline has come, earliest first."""
        late = [s for s in self.states
                if s.awaiting_decision and s.deadline_abs_s is not None and s.deadline_abs_s <= now]
        return sorted(late, key=lambda s: (s.deadline_abs_s, s.index))

    def due(self, now: float) -> list[InjectState]:
        """Undelivered injects due by `now`, in order of due time then MSEL order."""
        due = [s for s in self.states if not s.done and s.due_s is not None and s.due_s <= now]
        return sorted(due, key=lambda s: (s.due_s, s.index))

    def deliver(self, state: InjectState, facts: Facts, now: float, how: str) -> dict[str, Any]:
        """Judge the inject's condition on `facts`: deliver it or its alternative, or skip it.

        Its live values are filled in from `facts`; the journal record says what went out (the
        text, which replay checks) or why nothing did. Out of turn the facilitator's choice
        stands: an inject whose condition fails and has no alternative goes out as written.
        """
        verdict = judge(state.planned, facts)
        if verdict.outcome == "skipped" and how != "out_of_turn":
            state.skipped_s, state.outcome, state.reason = now, "skipped", verdict.reason
            return {"rec": "skipped", "inject": state.planned.id, "t": now, "why": verdict.reason}
        state.inject, state.outcome, state.reason, state.skipped_s = (verdict.inject, verdict.outcome,
                                                                       verdict.reason, None)
        state.text, state.questions = fill_inject(verdict.inject, facts)
        state.facts = summary(facts)
        self.mark_delivered(state, now, how)
        return {"rec": "delivered", "inject": state.inject.id, "t": now, "how": how,
                "as": "otherwise" if verdict.outcome == "replaced" else "inject", "text": state.text}

    def mark_delivered(self, state: InjectState, now: float, how: str) -> None:
        """Record a delivery; the inject becomes the current one and its deadline starts."""
        if self.current is not None:
            self.current.current = False
        state.delivered_s, state.how, state.current = now, how, True
        self.current = state
        if state.inject.decision is not None:
            state.deadline_abs_s = now + state.inject.decision.deadline_s


def delivery_line(state: InjectState, how: str) -> str:
    """The log's line for a delivery or a skip."""
    inject = state.inject
    if state.outcome == "skipped" and state.delivered_s is None:
        return f"{inject.id} skipped: {state.reason}"
    late = " (out of turn)" if how == "out_of_turn" else ""
    instead = " (its alternative)" if state.outcome == "replaced" else ""
    reason = f"; {state.reason}" if state.reason else ""
    return f"{inject.id} delivered{instead}{late}: {inject.sender} → {inject.to} ({inject.channel}){reason}"
