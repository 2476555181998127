"""The after-action report of a batch: a document a planner can hand out.

It says what was simulated (the scenario's own description and its protocols), what came
out (the comparison table and the figures) and how to reproduce it (the master seed, the
replication count and how each replication's seed is derived). HTML is self-contained: the
figures are embedded as base64 PNG, nothing is fetched from the network. Markdown writes
the PNGs next to the file and links them.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any

from .compare import compare, resolve_baseline, table_cells
from .plots import figures

__all__ = ["write_report"]

_SEEDS = ("The seed of replication *i* is `numpy.random.SeedSequence([master_seed, i])` (first 32-bit "
          "word); every protocol's replication *i* uses the same seed (common random numbers), so the "
          "differences are paired run by run.")

_CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;font-size:0.9em}td,th{border:1px solid #ccc;padding:3px 8px}
td.n{text-align:right}th{background:#f0f0f0}figure{margin:2em 0}img{max-width:100%}
figcaption{color:#555}code{background:#f4f4f4}"""


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
        meanings = {p: scenario.protocol_description(p) for p in protocols}
    except Exception:  # an old store whose scenario no longer validates: still report the numbers
        pass
    runs = store.runs()
    seeds = sorted({(r["replication"], r["seed"]) for r in runs})
    return {"name": name, "description": description, "protocols": protocols, "baseline": baseline,
            "meanings": meanings,
            "counts": {p: store.count(p) for p in protocols}, "seeds": seeds, "exp": exp}


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


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def _html(ctx: dict[str, Any], header: list[str], body: list[list[str]],
          figs: list[tuple[str, str, Any]]) -> str:
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>After-action report: {e(ctx['name'])}</title><style>{_CSS}</style></head><body>",
           f"<h1>After-action report: {e(ctx['name'])}</h1>", "<h2>Scenario</h2>"]
    out += [f"<p>{e(par)}</p>" for par in ctx["description"].split("\n\n") if par.strip()]
    out.append("<h2>Protocols compared</h2><ul>")
    out += [f"<li><b>{e(p)}</b>{' (baseline)' if p == ctx['baseline'] else ''}: "
            f"{e(ctx['meanings'].get(p, ''))} ({n} runs)</li>" for p, n in ctx["counts"].items()]
    out += ["</ul>", "<h2>Results</h2>",
            "<p>Means over replications with 95 % confidence intervals; Δ is each protocol minus the "
            "baseline, paired by replication; <i>better in</i> is the share of paired runs in which the "
            "protocol did better.</p>", "<table><thead><tr>"]
    out += [f"<th>{e(h)}</th>" for h in header]
    out.append("</tr></thead><tbody>")
    for cells in body:
        out.append("<tr>" + "".join(f'<td{" class=n" if i > 1 else ""}>{e(c)}</td>'
                                    for i, c in enumerate(cells)) + "</tr>")
    out += ["</tbody></table>", "<h2>Figures</h2>"]
    for _, caption, fig in figs:
        data = base64.b64encode(_png(fig)).decode("ascii")
        out.append(f'<figure><img src="data:image/png;base64,{data}" alt="{e(caption)}">'
                   f"<figcaption>{e(caption)}</figcaption></figure>")
    out += ["<h2>Reproducibility</h2><table>"]
    out += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in _facts(ctx)]
    out += ["</table>", f"<p>{e(_SEEDS).replace('*i*', '<i>i</i>')}</p>", "</body></html>"]
    return "\n".join(out)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown(ctx: dict[str, Any], header: list[str], body: list[list[str]],
              figs: list[tuple[str, str, Any]], out_path: Path) -> str:
    folder = out_path.parent / f"{out_path.stem}_figures"
    folder.mkdir(parents=True, exist_ok=True)
    out = [f"# After-action report: {ctx['name']}", "", "## Scenario", "", ctx["description"], "",
           "## Protocols compared", ""]
    out += [f"- **{p}**{' (baseline)' if p == ctx['baseline'] else ''}: "
            f"{ctx['meanings'].get(p, '')} ({n} runs)" for p, n in ctx["counts"].items()]
    out += ["", "## Results", "", "Means over replications with 95 % confidence intervals; Δ is each "
            "protocol minus the baseline, paired by replication; *better in* is the share of paired runs "
            "in which the protocol did better.", "",
            "| " + " | ".join(header) + " |",
            "|" + "|".join(["---"] * 2 + ["---:"] * (len(header) - 2)) + "|"]
    out += ["| " + " | ".join(_md_cell(c) for c in cells) + " |" for cells in body]
    out += ["", "## Figures", ""]
    for stem, caption, fig in figs:
        (folder / f"{stem}.png").write_bytes(_png(fig))
        out += [f"![{caption}]({folder.name}/{stem}.png)", "", f"*{caption}*", ""]
    out += ["## Reproducibility", "", "| | |", "|---|---|"]
    out += [f"| {k} | {_md_cell(v)} |" for k, v in _facts(ctx)]
    out += ["", _SEEDS, ""]
    return "\n".join(out)


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
    out_path = Path(out_path)
    kind = out_path.suffix.lower()
    if kind not in (".html", ".htm", ".md", ".markdown"):
        raise ValueError(f"{out_path}: the report is written as HTML or Markdown; "
                         "name the file *.html or *.md")
    ctx = _context(store)
    if baseline is not None:
        ctx["baseline"] = baseline
    header, body = table_cells(compare(store, ctx["baseline"]))
    figs = figures(store, ctx["baseline"])
    out_path.parent.mkdir(parents=True, exist_ok=True)
    text = (_html(ctx, header, body, figs) if kind in (".html", ".htm")
            else _markdown(ctx, header, body, figs, out_path))
    out_path.write_text(text, encoding="utf-8")
    return out_path
