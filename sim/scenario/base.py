"""The base every scenario model shares: strict, immutable, documented.

Unknown keys are errors (a misspelt key must never be silently ignored in a safety
model), models are frozen so that a validated scenario cannot drift while it runs,
the docstring under each field becomes its description in the JSON Schema, and no number
may be NaN or infinite (`.nan` would silently stop everybody, `.inf` overflows a draw).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

__all__ = ["INJECT_ID_PATTERN", "Identifier", "InjectId", "StrictModel"]


class StrictModel(BaseModel):
    """A scenario model: unknown keys rejected, numbers finite, values frozen once validated."""

    model_config = ConfigDict(
        allow_inf_nan=False,
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        validate_default=True,
    )


Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.\-]{0,63}$"),
]
"""Ids of zones, openings and protocols: a letter, then letters, digits, `_`, `.` or `-`."""

INJECT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
"""The pattern of `InjectId`."""

InjectId = Annotated[str, StringConstraints(pattern=INJECT_ID_PATTERN)]
"""Ids of injects: an `Identifier` that may also start with a digit. MSELs number their
events (`10a`, `2.1`, `12`), and controllers call an inject by that number, so the number
is the id as written, not a name made from it."""
