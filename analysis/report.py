"""The report of a batch: a protocol comparison a planner can hand out.

A batch compares response protocols (and, with `--decisions`, a session's decisions) over
many replications; it is not an exercise's after-action report, which `ttxsim report
--journal` writes from a session, so it is titled and introduced as what it is. It says what
was simulated (the scenario's own description, every protocol the scenario defines with its
description, and every decision set run), what came out (the comparison table and the
figures) and how to reproduce it (the master seed, the replication count and how each
replication's seed is derived). The rendering (self-contained
HTML with base64 figures, or Markdown with the PNGs beside it) is `document.py`'s, shared
with the exercise console's AAR/IP.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .compare import compare, resolve_baseline, table_cells
from .document import Document, code, em, output_format, strong
from .plan import report_figures
from .plots import figures

__all__ = ["TITLE", "write_report"]

TITLE = "Protocol comparison"
"""What a batch's report is (the exercise's report is the After-Action Report / Improvement Plan)."""

_SEEDS = ("The seed of replication ", em("i"), " is ", code("numpy.random.SeedSequence([master_seed, i])"),
          " (first 32-bit word); every protocol's replication ", em("i"), " uses the same seed (common "
          "random numbers), so the differences are paired run by run.")
"""How replication seeds are derived, as the report states it."""

_UNDESCRIBED = "no description in the scenario"


def _context(store: Any) -> dict[str, Any]:
    """What the report says about the experiment, in plain values."""
    exp = store.experiment()
    protocols, baseline = resolve_baseline(store, None)
    description, name = "", exp.get("scenario_name") or "scenario"
    meanings: dict[str, str] = {}
    try:
        from ttxsim.sim import parse_scenario

        scenario = parse_scenario(exp["scenario_text"], name)
        description, name = scenario.meta.description.strip(), scenario.meta.name or name
        meanings = {p: scenario.protocol_description(p) for p in scenario.protocol_names}
    except Exception:  # an old store whose scenario no longer validates: still report the numbers
        pass
    sets = store.decision_sets() if hasattr(store, "decision_sets") else {}
    first_seed = store.first_seed() if hasattr(store, "first_seed") else None
    runs = store.runs()
    seeds = sorted({(r["replication"], r["seed"]) for r in runs})
    return {"name": name, "description": description, "protocols": protocols, "baseline": baseline,
            "meanings": meanings, "notes": tuple(getattr(store, "notes", ())),
            "counts": {p: store.count(p) for p in protocols}, "seeds": seeds, "exp": exp, "sets": sets,
            "first_seed": first_seed}


def _seed_text(seeds: list[tuple[int, int]], limit: int = 12) -> str:
    shown = ", ".join(f"{i}: {s}" for i, s in seeds[:limit])
    return shown + (f", … ({len(seeds)} replications)" if len(seeds) > limit else "")


def _facts(ctx: dict[str, Any]) -> list[tuple[str, str]]:
    exp = ctx["exp"]
    runs = ", ".join(f"{p}: {n}" for p, n in ctx["counts"].items())
    return [("Scenario", ctx["name"]), ("Protocols", ", ".join(ctx["protocols"])),
            ("Baseline", ctx["baseline"]), ("Runs per protocol", runs),
            ("Master seed", str(exp.get("master_seed"))), ("Replication seeds", _seed_text(ctx["seeds"])),
            ("Scenario hash", str(exp.get("scenario_hash"))),
            ("ttxsim version", str(exp.get("version"))), ("Batch created", str(exp.get("created")))]


def _protocol(ctx: dict[str, Any], p: str, n: int) -> list:
    """A protocol's bullet: its name, whether it is the baseline, what it is, how many runs."""
    chosen = ctx["sets"].get(p)
    meaning = chosen.get("description", "") if isinstance(chosen, dict) else ctx["meanings"].get(p)
    return [strong(p), " (baseline)" if p == ctx["baseline"] else "",
            f": {meaning or _UNDESCRIBED}", f" ({n} runs)"]


def _document(ctx: dict[str, Any], header: list[str], body: list[list[str]],
              figs: list[tuple[str, str, Any]]) -> Document:
    """The report's content, in reading order, for either output format."""
    doc = Document(f"{TITLE}: {ctx['name']}")
    runs = sorted(set(ctx["counts"].values()))
    each = f"{runs[0]:,} replications each" if len(runs) == 1 else "replications as counted below"
    doc.paragraph(["A comparison of response protocols over many simulated futures (", each, "), paired "
                   "replication by replication against the baseline. It is not an exercise's after-action "
                   "report: ", code("ttxsim report --journal"), " writes that from a session's journal."],
                  note=True)
    doc.heading("Scenario").paragraphs(ctx["description"])
    doc.heading("Protocols compared").bullets([_protocol(ctx, p, n) for p, n in ctx["counts"].items()])
    others = [p for p in ctx["meanings"] if p not in ctx["counts"]]
    if others:
        doc.paragraph("The scenario's other protocols, not run in this batch:")
        doc.bullets([[strong(p), f": {ctx['meanings'][p] or _UNDESCRIBED}"] for p in others])
    doc.heading("Results").paragraph([
        "Counts (people) are means over replications with 95 % bootstrap intervals, which never go "
        "below 0. Times are medians in minutes: a time some runs never reach (t95 when more than 5 % "
        "are harmed, a containment that never comes) is counted as not reached, never averaged over "
        "the runs that reached it (Kaplan–Meier); the table says in how many runs it was not reached, "
        "and where more than half never reach it, the share that did. Δ is each protocol minus the "
        "baseline, paired by replication (for times, the difference of medians and of the share "
        "reaching it); ", em("better/tied/worse"), " are the shares of paired runs in which the "
        "protocol did better than, as well as, or worse than the baseline."])
    for note in ctx["notes"]:  # a store of another ttxsim: which metrics it lacks or keeps unshown
        doc.paragraph(note, note=True)
    doc.table(header, body, numeric=range(2, len(header)))
    doc.heading("Figures")
    for stem, caption, fig in figs:
        doc.figure(stem, caption, fig)
    doc.heading("Reproducibility").facts(_facts(ctx))
    doc.paragraph(_SEEDS)
    if ctx["first_seed"] is not None:
        doc.paragraph(["Replication 0 runs on seed ", code(str(ctx["first_seed"])), " instead, for every "
                       "protocol: the seed of the exercise session whose decisions were run, so that run "
                       "with the decisions is the session's own result."])
    return doc


def write_report(store: Any, out_path: str | Path, baseline: str | None = None) -> Path:
    """Write the report of a batch as HTML or Markdown, chosen by the file's suffix.

    Args:
        store: A results store (`ResultsStore`).
        out_path: `*.html` (self-contained) or `*.md` (figures in `<stem>_figures/` beside it).
        baseline: The protocol to compare against; default as in `compare.compare`.

    Returns:
        The path written.

    Raises:
        ValueError: If the suffix is neither `.html`/`.htm` nor `.md`/`.markdown`.
    """
    output_format(out_path)  # refuse a wrong suffix before any work is done
    ctx = _context(store)
    if baseline is not None:
        ctx["baseline"] = baseline
    header, body = table_cells(compare(store, ctx["baseline"]))
    figs = [*report_figures(store), *figures(store, ctx["baseline"])]
    return _document(ctx, header, body, figs).write(out_path)
