"""The fuzz suite's CI subset: a fixed list of cases of each kind, each named by number and mutation.

`python -m tests.fuzz.run` (`make fuzz`) runs thousands; these are chosen to cover every
mutation operator and to run in seconds. A failing case's message gives the command that
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
    "scenario": tuple(range(40)),
    "decisions": tuple(range(15)),
    "msel": tuple(range(15)),
    "journal": tuple(range(15)),
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
