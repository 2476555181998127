"""The fuzz suite's CI subset: a fixed list of cases of each kind, each named by number and mutation.

`python -m tests.fuzz.run` (`make fuzz`) runs thousands; these are chosen to cover every
mutation operator and every group of failures `make fuzz` found, on the small scenarios so
that they run in seconds. A failing case's message gives the command that
reproduces it. Cases listed in `known_failures.py` are expected to fail until their fix lands.
"""

from __future__ import annotations

import json

import pytest

from ttxsim.sim import load_scenario
from ttxsim.sim.decisions import load_decisions

from .cases import Case, make_case, run_case
from .decisions import BASES as DECISION_BASES
from .known_failures import KNOWN_FAILURES
from .run import REPRODUCE
from .scenarios import ROOT

CI_CASES: dict[str, tuple[int, ...]] = {
    "scenario": (
        0,
        3,
        4,
        8,
        11,
        12,
        13,
        19,
        20,
        22,
        26,
        27,
        28,
        29,
        33,
        34,
        38,
        45,
        50,
        58,
        61,
        62,
        66,
        70,
        73,
        75,
        78,
        79,
        84,
        86,
        87,
        89,
        100,
        175,
        191,
        238,
        302,
        395,
        495,
        835,
    ),
    "decisions": (0, 1, 2, 3, 5, 7, 8, 11, 13, 16, 23, 65, 164, 192, 195),
    "msel": (0, 1, 2, 4, 5, 6, 9, 12, 13, 15, 16, 17, 21, 26, 78),
    "journal": (2, 3, 4, 5, 7, 8, 12, 24, 39, 103, 127, 134, 191, 258, 263),
}
"""The case numbers CI runs, by kind."""


def _params():
    for kind, numbers in CI_CASES.items():
        for number in numbers:
            case = make_case(kind, number)
            marks = []
            if case.name in KNOWN_FAILURES:
                marks.append(pytest.mark.xfail(strict=False, reason=KNOWN_FAILURES[case.name]))
            yield pytest.param(case, id=f"{kind}-{number}-{case.mutation}", marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_fuzz_case(case: Case, tmp_path):
    outcome = run_case(case, tmp_path)
    if outcome.failures:
        pytest.fail(
            f"{case.name} [{case.mutation}] {case.description[:500]}\n"
            + "\n".join(str(failure) for failure in outcome.failures)
            + f"\nreproduce: {REPRODUCE.format(name=case.name)}",
            pytrace=False,
        )


@pytest.mark.parametrize("scenario", sorted(DECISION_BASES))
def test_decision_bases_are_valid(scenario: str, tmp_path):
    """The decisions cases start from valid files, so each mutation is the only thing wrong."""
    path = tmp_path / "decisions.json"
    path.write_text(json.dumps(DECISION_BASES[scenario]), encoding="utf-8")
    assert len(load_decisions(path, scenario=load_scenario(ROOT / scenario))) == len(DECISION_BASES[scenario])


def test_a_case_number_always_builds_the_same_input():
    for kind in CI_CASES:
        first, again = make_case(kind, 7), make_case(kind, 7)
        assert (first.files, first.description) == (again.files, again.description)
