"""An MSEL sheet imported into a scenario file: the new file's text, checked whole, and what changed.

`ttxsim msel import SHEET --into scenario.yaml` writes nothing that would not load: the
scenario with its new injects is validated as a whole (`parse_scenario`) before anything is
written, so an option's action naming an opening the venue lacks is caught here, not at the
exercise. A problem in an inject is pointed back at its cell in the sheet, where the trainer
will fix it; any other at the scenario file, on the line it has there.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..scenario import Scenario, ScenarioError, load_scenario, parse_scenario
from ..scenario.errors import Problem
from ..scenario.injects import Inject
from .changes import InjectChanges, compare_injects
from .importer import ImportedSheet, read_msel
from .into import replace_injects

__all__ = ["ScenarioUpdate", "update_scenario"]

_BOM = "\ufeff"
_INJECT_PATH = re.compile(r"injects\[(?P<index>\d+)\](?P<rest>.*)")
_PATH_PART = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class ScenarioUpdate:
    """The scenario file's new text and how its injects change."""

    text: str
    """The whole file, to write as it is (with the byte-order mark if the file had one)."""
    changes: InjectChanges
    count: int
    """Injects in the sheet."""


def update_scenario(sheet_path: str | os.PathLike, scenario_path: str | os.PathLike, *,
                    event_start: datetime | None = None) -> ScenarioUpdate:
    """The scenario at `scenario_path` with its injects replaced by the sheet's; nothing is written.

    `event_start` defaults to the scenario's `meta.start_time`, for times of day and dates.

    Raises:
        ScenarioError: If the scenario or the sheet is invalid, or the scenario would be with
            the sheet's injects; each problem located in the file to fix (an inject's at its cell).
    """
    scenario = load_scenario(scenario_path)
    sheet = read_msel(sheet_path, event_start=event_start or scenario.meta.start_time)
    name = str(scenario_path)
    text = Path(scenario_path).read_bytes().decode("utf-8")
    bom = _BOM if text.startswith(_BOM) else ""
    body = text.removeprefix(bom)
    from ruamel.yaml.error import YAMLError

    try:
        new_body = replace_injects(body, scenario.injects, sheet.injects)
    except YAMLError as exc:  # ruamel.yaml refusing what the scenario loader took
        message = " ".join(str(exc).split())
        raise ScenarioError([Problem(name, 1, 1, "injects", f"cannot find the injects section to replace "
                                     f"({message}); use --out and paste the injects by hand")]) from None
    try:
        updated = parse_scenario(new_body, name)
    except ScenarioError as exc:
        raise ScenarioError(_relocated(exc.problems, sheet, body, new_body)) from None
    new = [Inject.model_validate(item) for item in sheet.injects]
    _check_written(updated, new)
    return ScenarioUpdate(bom + new_body, compare_injects(scenario.injects, new), len(new))


def _check_written(updated: Scenario, new: list[Inject]) -> None:
    """The file reads back with exactly the sheet's injects (else writing it would be a bug)."""
    if list(updated.injects) != new:
        raise AssertionError("the scenario's injects as written differ from the sheet's; not written")


def _relocated(problems: list[Problem], sheet: ImportedSheet, old: str, new: str) -> list[Problem]:
    """Problems of the new text: an inject's at its cell, others at their line in the file as it is."""
    shift = new.count("\n") - old.count("\n")
    old_lines, new_lines = old.splitlines(), new.splitlines()
    pairs = enumerate(zip(old_lines, new_lines, strict=False))
    same_head = next((i for i, (a, b) in pairs if a != b), len(old_lines))
    out = []
    for problem in problems:
        match = _INJECT_PATH.fullmatch(problem.path)
        if match is not None and int(match["index"]) < len(sheet.injects):
            path = tuple(int(n) if n else key for key, n in _PATH_PART.findall(match["rest"]))
            out.append(sheet.problem(int(match["index"]), path, problem.message))
        elif problem.line > same_head + 1:
            out.append(Problem(problem.file, problem.line - shift, problem.column, problem.path,
                               problem.message))
        else:
            out.append(problem)
    return out
