"""The table of door flow against width in docs/model.md, recomputed from the code.

The rows between the FLOW TABLE marker comments give, for a door at each clear width, the
capacity of both flow models (`sim/movement.py`, `opening_capacity_p_s`, the venue's default
specific flow and the door's default boundary layer) and what the published specific-flow
figures quoted under the table come to at that width. If a constant in the code or a number
in the doc changes, this test fails and says which cell to fix.
"""

from __future__ import annotations

import re
from pathlib import Path

from ttxsim.sim.movement import effective_width_m, opening_capacity_p_s
from ttxsim.sim.scenario.venue import Venue

ROOT = Path(__file__).resolve().parents[2]
MODEL_DOC = ROOT / "docs" / "model.md"
BEGIN = "<!-- BEGIN FLOW TABLE"
END = "<!-- END FLOW TABLE -->"

WIDTHS_M = (0.8, 1.0, 1.2, 1.6, 2.0, 2.4)
LABORATORY_P_S_M = (1.6, 1.9)
"""Laboratory bottlenecks, motivated and practised participants (the doc's range)."""
DRILL_P_S_M = 0.96
"""Theatre evacuation drills, congested doors (Imanishi & Sano 2019)."""


def expected_row(width_m: float) -> list[str]:
    specific = Venue.model_fields["specific_flow_p_s_m"].default
    flows = {
        model: opening_capacity_p_s(
            width_m=width_m, kind="door", flow_model=model, specific_flow_p_s_m=specific
        )
        for model in ("empirical", "sfpe")
    }
    low, high = LABORATORY_P_S_M
    return [
        f"{width_m:.1f}",
        f"{flows['empirical']:.2f}",
        f"{flows['empirical'] / width_m:.2f}",
        f"{effective_width_m(width_m, 'door'):.2f}",
        f"{flows['sfpe']:.2f}",
        f"{flows['sfpe'] / width_m:.2f}",
        f"{low * width_m:.2f}–{high * width_m:.2f}",
        f"{DRILL_P_S_M * width_m:.2f}",
    ]


def documented_rows() -> list[list[str]]:
    text = MODEL_DOC.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    assert 0 <= start < end, f"docs/model.md: no {BEGIN} ... {END} block"
    block = text[start:end].splitlines()[1:]
    rows = [line for line in block if line.startswith("|")]
    body = [r for r in rows[1:] if not re.fullmatch(r"[|\s:-]+", r)]  # drop header and rule
    return [[cell.strip().replace("*", "") for cell in row.strip().strip("|").split("|")] for row in body]


def test_the_flow_table_has_one_row_per_width():
    assert [row[0] for row in documented_rows()] == [f"{w:.1f}" for w in WIDTHS_M]


def test_the_flow_table_matches_the_code():
    problems = []
    for row, width in zip(documented_rows(), WIDTHS_M, strict=True):
        want = expected_row(width)
        if row != want:
            problems.append(f"width {width} m: doc has {row}, code gives {want}")
    assert not problems, "docs/model.md flow table is out of date: " + "; ".join(problems)


def test_the_issue_figures_hold():
    """The figures the doc's prose quotes: empirical 1.30 at every width, sfpe 0.81 → 1.14."""
    rows = {row[0]: row for row in documented_rows()}
    assert {row[2] for row in rows.values()} == {"1.30"}
    assert (rows["0.8"][5], rows["2.4"][5]) == ("0.81", "1.14")
