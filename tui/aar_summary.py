"""The AAR/IP's executive summary: what a reader who reads one page must take away.

HSEEP's AAR template opens with an executive summary: the exercise, its objectives and how
each was rated, the major strengths and the primary areas for improvement. A model under the
exercise adds the outcome figures: what the players' decisions changed over many futures,
each with its 95 % interval (section 5 has the detail). Everything here is drawn from the
sections below it, so the summary cannot say what the report does not.
"""

from __future__ import annotations

from typing import Any

from ttxsim.analysis.document import Document, Inline, strong
from ttxsim.sim import RATINGS

from .aar_futures import Futures
from .aar_outcomes import describe_difference

__all__ = ["MAIN", "SUMMARY_METRICS", "write_summary"]

MAIN = 3
"""How many strengths and areas for improvement the summary names (the rest are in section 2)."""

SUMMARY_METRICS = ("harmed_total", "exposed", "evacuated", "rset_s")
"""The outcome figures the summary states: harm, exposure, evacuation and the time to get everyone out."""


def write_summary(doc: Document, session: Any, futures: Futures | None) -> None:
    """The executive summary, for the top of the report."""
    exercise = session.scenario.exercise
    doc.heading("Executive summary")
    doc.paragraph([strong(exercise.name or session.scenario.meta.name), f" ({exercise.type}), played on the "
                   f"{session.protocol} protocol with seed {session.seed}."])
    doc.heading("Objectives and ratings", 3)
    rows = [[strong(o.id), " ".join(o.text.split()),
             "; ".join(f"{c}: {_rating(session.ratings.get((o.id, c)))}" for c in o.capabilities)]
            for o in exercise.objectives]
    if rows:
        doc.table(["Objective", "Text", "Ratings (P, S, M, U)"], rows)
    else:
        doc.paragraph("The scenario states no exercise objectives.")
    for kind, title in (("strength", "Major strengths"), ("improvement", "Primary areas for improvement")):
        doc.heading(title, 3)
        doc.bullets(_main(session, kind) or [f"No {title.split(' ', 1)[1].lower()} were recorded."])
    doc.heading("Outcomes", 3)
    if futures is None:
        result = session.final_result()
        doc.paragraph(f"This session's run (one draw, seed {session.seed}): {result.harmed_total} harmed, "
                      f"{result.exposed} exposed to the threat. No futures were run, so there is no interval "
                      "to say how much of it the decisions made; see section 5.")
        return
    doc.paragraph("The players' decisions against the baseline protocol with no decisions, over "
                  f"{futures.runs} paired futures (the paired 95 % interval of each difference; section 5):")
    doc.bullets([describe_difference(futures.row(name), futures.runs) for name in SUMMARY_METRICS])


def _rating(letter: str | None) -> str:
    return f"{letter} ({RATINGS[letter]})" if letter in RATINGS else "not rated"


def _main(session: Any, kind: str) -> list[Inline]:
    """The first `MAIN` observations of a kind, as recorded, with a pointer to the rest."""
    found = [o for o in session.observations if o.kind == kind]
    items: list[Inline] = [[strong(o.capability), f": {o.observation}"] for o in found[:MAIN]]
    if len(found) > MAIN:
        items.append(f"… and {len(found) - MAIN} more in section 2.")
    return items
