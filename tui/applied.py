"""An action the exercise applied to the model, with where it came from."""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["AppliedAction"]


class AppliedAction(NamedTuple):
    """One action applied at `t`: an option's (its inject and option) or the facilitator's own.

    Kept as fields, not as a reason string to parse: the decisions export, the AAR and the
    inject sheets all ask where an action came from.
    """

    t: float
    action: dict[str, Any]
    inject: str | None = None
    """The inject whose decision called for it; None for the facilitator's own (the palette)."""
    option: str | None = None
    """The option chosen on that inject."""

    @property
    def why(self) -> str:
        """Where it came from, in words: `CH-09: open_all`, or `facilitator`."""
        return f"{self.inject}: {self.option}" if self.inject is not None else "facilitator"
