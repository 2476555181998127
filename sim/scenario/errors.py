"""Located scenario errors: `FILE:LINE:COL: field.path: message`, one per problem.

A message that quotes the input quotes it through `quote`, and paths are shortened the same
way: a value or key can be megabytes long, and one problem must stay one readable line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["QUOTE_LIMIT", "Problem", "ScenarioError", "format_path", "quote", "shorten"]

QUOTE_LIMIT = 80
"""Characters of an input value a message quotes; longer values are cut with an ellipsis."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, with where it is."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.path}: {self.message}"


class ScenarioError(ValueError):
    """A scenario (or another input file) that cannot be used, with every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def format_path(path: Iterable[str | int]) -> str:
    """`("venue", "openings", 3, "width_m")` → `venue.openings[3].width_m` (long keys shortened)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            part = shorten(str(part))
            text += f".{part}" if text else part
    return text or "(root)"


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """`text`, or its first `limit` characters and an ellipsis if it is longer."""
    return text if len(text) <= limit else text[:limit] + "…"


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """`repr(value)` for a message, cut to about `limit` characters (`'aaaa…'`).

    Text is cut before it is quoted, so a megabyte string costs nothing to quote and the
    closing quote stays; other values are cut after `repr`; a huge integer is described.
    """
    if isinstance(value, str) and len(value) > limit:
        text = repr(value[:limit])
        return text[:-1] + "…" + text[-1]
    if isinstance(value, int) and value.bit_length() > 256:  # repr of a huge int is slow, or refused
        return f"a number of about {int(value.bit_length() * 0.30103)} digits"
    return shorten(repr(value), limit)
