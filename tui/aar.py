"""The session's After-Action Report and Improvement Plan (AAR/IP), in HSEEP's order.

HSEEP (FEMA 2020) asks an exercise's AAR/IP to give an overview of the exercise, an analysis
of each core capability under its objectives (the P/S/M/U ratings, strengths, areas for
improvement with their analysis and recommendations) and an improvement plan of corrective
actions. A tabletop run over a model can add two things a paper exercise cannot: the timeline
of what the players decided beside what the MSEL expected of them, and the outcome of those
decisions against the scenario's baseline protocol on the same seed with nobody deciding
anything, so the room can see what its choices were worth in the model's terms.

Everything comes from the session (`tui/session.py`) as it stands; the rendering is
`ttxsim.analysis.document`'s, shared with `ttxsim report`, so Markdown and self-contained
HTML say the same thing.
"""

from __future__ import annotations

import shlex
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ttxsim.analysis.document import Document, Inline, code, em, output_format, strong
from ttxsim.sim import RATINGS

from .aar_expected import choice_text as _choice
from .aar_expected import write_expected_vs_actual
from .aar_futures import FUTURES, run_futures
from .aar_outcomes import DASH as _DASH
from .aar_outcomes import write_outcomes
from .aar_summary import write_summary
from .action_words import describe_action
from .clock import format_clock

__all__ = ["write_aar"]

HANDLING = ("Handling: for the exercise's participants and planners. This report describes an exercise, "
            "not a real event; the numbers are a simulation model's estimates over the futures it ran, to "
            "discuss decisions, not to predict any real incident. The incident is abstract (protective use "
            "only).")
"""The handling note under the title."""

MILESTONE_KINDS = ("warning_received", "warning_acted_on", "posture", "detection", "alarm",
                   "evacuation_ordered", "shelter_ordered", "announcement", "police_dispatched",
                   "police_arrived", "threat_contained", "fire_started", "fire_service_dispatched",
                   "fire_service_arrived", "fire_suppressed", "all_safe", "all_clear", "horizon_reached")
"""Model events shown in the timeline (the rest, such as each zone clearing, stay in the journal)."""

_RANK = {"inject": 0, "decision": 1, "action": 2, "action_failed": 3, "model": 4, "note": 5}


def write_aar(session: Any, out_path: str | Path, *, futures: int = FUTURES, workers: int = 2) -> Path:
    """Write the session's AAR/IP as Markdown (`.md`) or self-contained HTML (`.html`, `.htm`).

    The file is replaced atomically, so an earlier report is never left half-written; with
    Markdown the outcome figure goes to `<stem>_figures/` beside it.

    Args:
        session: An `ExerciseSession` (live, resumed or replayed from its journal).
        out_path: Where to write; the suffix chooses the format.
        futures: Paired futures of the players' decisions and the baseline (0: none, only this
            session's run).
        workers: Processes that run the futures.

    Returns:
        The path written.

    Raises:
        ValueError: If the suffix is not `.md`/`.markdown`/`.html`/`.htm`; nothing is written.
    """
    out_path = Path(out_path)
    output_format(out_path, "the after-action report")  # before the two model runs, not after
    exercise = session.scenario.exercise
    doc = Document(f"After-Action Report / Improvement Plan: {exercise.name or session.scenario.meta.name}")
    doc.paragraph(HANDLING, note=True)
    outcomes = run_futures(session, futures, workers=workers) if futures else None
    write_summary(doc, session, outcomes)
    _overview(doc, session)
    _capabilities(doc, session)
    _timeline(doc, session)
    write_expected_vs_actual(doc, session)
    write_outcomes(doc, session, outcomes)
    doc.heading("6. Notes")
    doc.bullets([[strong(format_clock(n.t)), f" ({_time_of_day(n.wall)})" if n.wall else "",
                  f" [{n.inject_id}]" if n.inject_id else "", f": {n.text}"] for n in session.notes])
    if not session.notes:
        doc.paragraph("No notes were recorded.")
    _improvement_plan(doc, session)
    _reproduce(doc, session, out_path)
    return doc.write(out_path)


# -- 1 overview ----------------------------------------------------------------------------

def _overview(doc: Document, session: Any) -> None:
    scenario, exercise = session.scenario, session.scenario.exercise
    meaning = session.base_scenario.protocol_description(session.protocol)
    doc.heading("1. Exercise overview").facts([
        ("Exercise name", exercise.name or scenario.meta.name),
        ("Exercise type", exercise.type),
        ("Exercise dates", _dates(session)),
        ("Scope", exercise.scope or _DASH),
        ("Mission areas", ", ".join(exercise.mission_areas) or _DASH),
        ("Core capabilities", "; ".join(exercise.capabilities()) or _DASH),
        ("Threat or hazard", exercise.threat_or_hazard or _DASH),
        ("Sponsor", exercise.sponsor or _DASH),
        ("Point of contact", exercise.point_of_contact or _DASH),
        ("Protocol", session.protocol + (f": {meaning}" if meaning else "")),
        ("Seed", str(session.seed)),
        ("Scenario hash (SHA-256)", code(session.scenario_sha256)),
    ])
    doc.heading("Objectives", 3)
    doc.bullets([[strong(o.id), f": {' '.join(o.text.split())} ", em(f"({'; '.join(o.capabilities)})")]
                 for o in exercise.objectives])
    if not exercise.objectives:
        doc.paragraph("The scenario states no exercise objectives.")
    doc.heading("Scenario summary", 3).paragraphs(scenario.meta.description or "")
    doc.figure("plan", f"Venue plan (protocol {session.protocol})", _plan(session))
    doc.heading("Participating organisations", 3)
    doc.bullets(list(exercise.participants) or ["Not stated in the scenario."])


def _plan(session: Any) -> Any:
    """The venue's floor plan under the session's protocol (matplotlib is loaded only here)."""
    from ttxsim.analysis.plan import plan_figure

    return plan_figure(session.base_scenario, protocol=session.protocol)


def _dates(session: Any) -> str:
    start, end = session.started_wall, session.ended_wall
    first = f"{start:%Y-%m-%d %H:%M}"
    if end is None:
        return f"{first} – in progress (report written {datetime.now().astimezone():%Y-%m-%d %H:%M})"
    return f"{first} – {end:%H:%M}" if end.date() == start.date() else f"{first} – {end:%Y-%m-%d %H:%M}"


# -- 2 capabilities ------------------------------------------------------------------------

def _capabilities(doc: Document, session: Any) -> None:
    exercise = session.scenario.exercise
    doc.heading("2. Analysis of capabilities")
    doc.paragraph(["Ratings: ", *_rating_key()])
    pairs = [(o.id, c) for o in exercise.objectives for c in o.capabilities]
    pairs += [key for key in session.ratings if key not in pairs]
    texts = {o.id: " ".join(o.text.split()) for o in exercise.objectives}
    rows, shown = [], set()
    for oid, cap in pairs:  # the objective's text once, on its first row
        text = f": {texts[oid]}" if oid in texts and oid not in shown else ""
        shown.add(oid)
        rows.append([[strong(oid), text], cap, _rating(session.ratings.get((oid, cap)))])
    if rows:
        doc.table(["Objective", "Core capability", "Rating"], rows)
    else:
        doc.paragraph("The scenario states no objectives, so there is nothing to rate.")
    named = [*exercise.capabilities(), *(o.capability for o in session.observations)]
    for capability in dict.fromkeys(named):
        doc.heading(capability, 3)
        rated = [f"{oid} {r}" for (oid, cap), r in session.ratings.items() if cap == capability]
        if rated:
            doc.paragraph(["Rated: ", ", ".join(rated), "."])
        found = False
        for kind, title, label in (("strength", "Strengths", "Strength"),
                                   ("improvement", "Areas for improvement", "Area for improvement")):
            items = [o for o in session.observations if o.capability == capability and o.kind == kind]
            if items:
                found = True
                doc.heading(title, 4)
                doc.bullets([_observation(f"{label} {i}", o) for i, o in enumerate(items, 1)])
        if not found:
            doc.paragraph("No strengths or areas for improvement were recorded.")


def _rating_key() -> list[Inline]:
    parts: list[Inline] = []
    for n, (letter, meaning) in enumerate(RATINGS.items(), 1):
        parts += [strong(letter), f" {meaning}" + ("." if n == len(RATINGS) else "; ")]
    return parts


def _rating(letter: str | None) -> str:
    return f"{letter} — {RATINGS[letter]}" if letter in RATINGS else "not rated"


def _observation(label: str, o: Any) -> list[Inline]:
    parts: list[Inline] = [strong(label), f" ({o.objective_id})" if o.objective_id else "",
                           f": {o.observation}"]
    if o.analysis:
        parts += [" ", em("Analysis:"), f" {o.analysis}"]
    if o.recommendation:
        parts += [" ", em("Recommendation:"), f" {o.recommendation}"]
    return parts


# -- 3 timeline (4, expected vs actual, in aar_expected.py) -----------------------------------

def _timeline(doc: Document, session: Any) -> None:
    entries: list[tuple[float, int, str, Inline]] = []
    for s in session.injects:
        i = s.inject
        if s.delivered_s is not None:
            how = {"triggered": " (triggered)", "out_of_turn": " (out of turn)"}.get(s.how, "")
            entries.append((s.delivered_s, _RANK["inject"], "Inject",
                            [strong(i.id), f"{how}: {i.sender} → {i.to} ({i.channel}). {_short(i.message)}"]))
        if s.choice is not None:
            entries.append((s.chosen_s, _RANK["decision"], "Decision",
                            [strong(i.id), f": {_choice(s, session)}"]))
    for a in session.applied:
        said = describe_action(a.action, session.scenario)
        entries.append((a.t, _RANK["action"], "Action", f"{said} ({a.why})"))
    for line in session.log:
        if line.source == "model" and line.kind in MILESTONE_KINDS:
            entries.append((line.t, _RANK["model"], "Model", line.text))
        elif line.kind == "action_failed":
            entries.append((line.t, _RANK["action_failed"], "Action failed", line.text))
        elif line.kind == "undo":  # the decision itself is gone from the session; its undoing is not
            entries.append((line.t, _RANK["decision"], "Undo", line.text))
    for n in session.notes:
        entries.append((n.t, _RANK["note"], "Note", f"[{n.inject_id}] {n.text}" if n.inject_id else n.text))
    entries.sort(key=lambda e: (e[0], e[1]))
    start = session.scenario.meta.start_time
    doc.heading("3. Timeline")
    doc.paragraph("Every inject delivered, decision taken, action applied and note written, with the "
                  "model's main events, by scenario time (t = 0 is the incident's start). The session "
                  f"stood at {session.clock()} when this report was written.")
    header = ["Scenario time", *(["Scenario clock"] if start else []), "Type", "Entry"]
    doc.table(header, [[format_clock(t), *([_wall_of(start, t)] if start else []), kind, text]
                       for t, _, kind, text in entries])


# -- appendices ------------------------------------------------------------------------------

def _improvement_plan(doc: Document, session: Any) -> None:
    rows = [[c.capability, c.issue, c.action, c.element, c.organisation, c.poc, c.start, c.completion]
            for c in session.corrective_actions]
    planned = {c.capability for c in session.corrective_actions}
    rows += [[o.capability, o.observation, "(to be agreed)", "", "", "", "", ""] for o in session.observations
             if o.kind == "improvement" and o.capability not in planned]
    doc.heading("Appendix A: Improvement plan")
    doc.paragraph("Each area for improvement with its corrective action; areas without an agreed action are "
                  "listed as (to be agreed).")
    if rows:
        doc.table(["Capability", "Issue/area for improvement", "Corrective action", "Capability element",
                   "Primary responsible organisation", "POC", "Start", "Completion"], rows)
    else:
        doc.paragraph("No corrective actions or areas for improvement were recorded.")


def _reproduce(doc: Document, session: Any, out_path: Path) -> None:
    journal = str(session.journal_path) if session.journal_path else None
    doc.heading("Appendix B: Reproducing this report")
    doc.facts([("Scenario file", code(session.scenario_path)),
               ("Scenario hash (SHA-256)", code(session.scenario_sha256)),
               ("Protocol", session.protocol), ("Seed", str(session.seed)),
               ("Journal", code(journal) if journal else "none (the session was not journaled)")])
    doc.paragraph("The model is deterministic: the same scenario text, protocol, seed and journaled commands "
                  "give the same session, step for step, on any machine.")
    q, scenario = shlex.quote, str(session.scenario_path)
    lines = [f"ttxsim report --journal {q(journal)} --out {q(out_path.name)}",
             f"ttxsim exercise {q(scenario)} --resume {q(journal)}"] if journal else []
    lines.append(f"ttxsim run {q(scenario)} --protocol baseline --seed {session.seed}")
    doc.code_block("\n".join(lines))


# -- small formats -------------------------------------------------------------------------

def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _wall_of(start: datetime, t: float) -> str:
    return f"{start + timedelta(seconds=t):%Y-%m-%d %H:%M:%S}"


def _time_of_day(wall: str) -> str:
    try:
        return f"{datetime.fromisoformat(wall):%H:%M}"
    except ValueError:
        return wall
