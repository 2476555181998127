"""A fuzz case: the input files one case number stands for, and running it."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

KINDS = ("scenario", "decisions", "msel", "journal")
"""The kinds of input fuzzed, each with its own module of cases."""

_MODULES = {"scenario": "scenarios", "decisions": "decisions", "msel": "msel", "journal": "journals"}


@dataclass(frozen=True, repr=False)
class Case:
    """One fuzz case: a mutated input, reproducible from its kind and number."""

    kind: str
    number: int
    mutation: str
    """The mutation operators applied, e.g. `swap_type+truncate`."""
    description: str
    """What exactly was changed, and in which shipped file."""
    files: dict[str, bytes]
    """The case's input files, by name, written into its own directory before it runs."""
    options: tuple[str, ...] = ()
    """What else the case's commands need: the scenario a decisions file runs with, import options."""

    def __repr__(self) -> str:
        return f"Case({self.name} [{self.mutation}])"

    @property
    def name(self) -> str:
        """`scenario:17`: how the suite, the known failures and `run.py --only` name a case."""
        return f"{self.kind}:{self.number}"

    def write(self, directory: Path) -> None:
        """Write the input files into `directory`."""
        for name, content in self.files.items():
            (directory / name).write_bytes(content)


def _module(kind: str):
    return importlib.import_module(f".{_MODULES[kind]}", __package__)


def make_case(kind: str, number: int) -> Case:
    """Case `number` of `kind`."""
    return _module(kind).make_case(number)


def run_case(case: Case, directory: Path):
    """Write the case into `directory` (empty, its own) and run its commands; the Outcome."""
    case.write(directory)
    return _module(case.kind).check(case, directory)
