"""Section 4 of the AAR/IP: what the MSEL expected of the players beside what they did, and their time.

For each delivered inject, its expected player actions stand beside what the session recorded
(the decision, the actions it applied, notes), with the evaluator's met / partly met / not met
mark per expected action, as an HSEEP Exercise Evaluation Guide marks each critical task. The
time a decision took is the wall clock's (`decision_times.py`): the scenario clock is paused
while the room discusses, so scenario time after delivery is nearly always zero and says nothing.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from ttxsim.analysis.document import Document, Inline, strong

from .aar_outcomes import DASH as _DASH
from .action_words import describe_action
from .clock import format_clock, format_duration
from .evaluation import MARKS

__all__ = ["choice_text", "write_expected_vs_actual"]


def write_expected_vs_actual(doc: Document, session: Any) -> None:
    """Section 4: for each delivered inject, what the MSEL expected beside what the players did."""
    doc.heading("4. Expected and actual player actions")
    delivered = sorted((s for s in session.injects if s.delivered_s is not None),
                       key=lambda s: (s.delivered_s, s.index))
    if not delivered:
        doc.paragraph("No inject was delivered in this session.")
    _decision_times(doc, session, [s for s in delivered if s.inject.decision is not None])
    _marks_summary(doc, session, delivered)
    for s in delivered:
        i = s.inject
        doc.heading(f"{i.id} — {format_clock(s.delivered_s)} — {i.sender} → {i.to}", 3)
        facts: list[tuple[str, Inline]] = [("Channel", i.channel), ("Kind", i.kind),
                                           ("Tests", i.objective or _DASH),
                                           ("Message", " ".join((s.text or i.message).split()))]
        if i.decision is not None:
            facts.append(("Time to decide (wall clock)", _time_to_decide(session, s)))
        doc.facts(facts)
        expected = i.expected_actions or ["(none stated)"]
        marks = [_mark(session, i.id, n) for n in range(1, len(i.expected_actions) + 1)]
        doc.table(["Expected player action", "What the players did", "Evaluator's mark"],
                  [[e or "", a or "", m or ""]
                   for e, a, m in zip_longest(expected, _actual(session, s), marks)])
    skipped = [f"{s.inject.id} ({s.reason})" for s in session.injects if s.status == "skipped"]
    if skipped:
        doc.paragraph(f"Skipped by their conditions: {'; '.join(skipped)}.")
    waiting = [s.inject.id for s in session.injects if s.status == "upcoming"]
    if waiting:
        doc.paragraph(f"Not delivered in this session: {', '.join(waiting)}.")


def _decision_times(doc: Document, session: Any, decisions: list[Any]) -> None:
    """The room's decisions with the real time each took: the scenario clock stands still meanwhile."""
    if not decisions:
        return
    doc.heading("Decisions and time to decide", 3)
    doc.paragraph("The scenario clock is paused while the players discuss, so the time a decision took is "
                  "measured by the wall clock, from the command that delivered the inject to the one that "
                  "recorded the decision (the journal's time stamps, to the second).")
    doc.table(["Inject", "Decision", "Decided at", "Time to decide (wall clock)"],
              [[strong(s.inject.id), choice_text(s, session) if s.choice else "Still open",
                format_clock(s.chosen_s) if s.choice else _DASH, _time_to_decide(session, s)]
               for s in decisions])


def _marks_summary(doc: Document, session: Any, delivered: list[Any]) -> None:
    """How the evaluators marked the expected actions, as an EEG's tasks are counted."""
    counts = {label: 0 for label in (*MARKS.values(), "not marked")}
    for s in delivered:
        for n in range(1, len(s.inject.expected_actions) + 1):
            counts[_mark(session, s.inject.id, n)] += 1
    if sum(counts.values()):
        doc.paragraph("Expected player actions of the delivered injects, as the evaluators marked them: "
                      + ", ".join(f"{label.lower()} {count}" for label, count in counts.items()) + ".")


def _mark(session: Any, inject_id: str, number: int) -> str:
    mark = session.evaluation.marks.get((inject_id, number))
    return MARKS.get(mark or "", "not marked")


def _time_to_decide(session: Any, s: Any) -> str:
    seconds = session.walls.seconds_to_decide(s.inject.id)
    if s.choice is None:
        return "still open"
    if seconds is None:
        return "not recorded (the journal has no time stamps for it)"
    if s.chosen_by == "default":
        after = f", {format_duration(seconds)} after delivery" if seconds > 0 else ""
        return f"none: the deadline passed{after}"
    return format_duration(seconds)


def _actual(session: Any, s: Any) -> list[str]:
    i, out = s.inject, []
    if i.decision is not None:
        if s.choice is not None:
            out.append(choice_text(s, session) + f" (at {format_clock(s.chosen_s)})")
        else:
            out.append(f"Decision still open (deadline {format_clock(s.deadline_abs_s)}).")
    out += [f"Applied at {format_clock(a.t)}: {describe_action(a.action, session.scenario)}"
            for a in session.applied if a.inject == i.id]
    out += [f"Failed at {format_clock(line.t)}: {line.text}" for line in session.log
            if line.kind == "action_failed" and line.text.startswith(f"{i.id}:")]
    out += [f"Note at {format_clock(n.t)}: {n.text}" for n in session.notes if n.inject_id == i.id]
    return out or ["Nothing recorded."]


def choice_text(s: Any, session: Any) -> str:
    """A decision as the report says it: the option, and the wall-clock time the players took."""
    label = s.option(s.choice).label
    if s.chosen_by == "default":
        return f"No decision by the deadline; default applied: “{label}”"
    wall = session.walls.seconds_to_decide(s.inject.id)
    scenario = s.chosen_s - s.delivered_s
    if wall is None:
        return f"Players chose “{label}”, {format_duration(scenario)} of scenario time after delivery"
    text = f"Players chose “{label}” {format_duration(wall)} after delivery (wall clock)"
    return text + (f", {format_duration(scenario)} of scenario time" if scenario > 0 else "")
