"""Time to decide: how long the room took, by the wall clock, from an inject's delivery to its decision.

The scenario clock is paused while the players discuss, so a decision's scenario time says
nothing about how long they took ("0 s after delivery"); the journal's wall stamps do. An
inject reached the room when the command that delivered it was given (its `delivered` record
shares that command's line and stamp); a decision was taken when its `choose` command was
given, or, for a default, when the command that passed its deadline was. The session feeds
every command it executes, live or replayed, so a resumed or replayed session knows the
same times.
"""

from __future__ import annotations

from typing import Any

from .clock import parse_wall

__all__ = ["DecisionWalls"]


class DecisionWalls:
    """Wall stamps of each inject's delivery and decision, from the commands as they run."""

    def __init__(self) -> None:
        self.delivered: dict[str, str] = {}
        """Inject id → when it first reached the room (ISO, the machine's clock)."""
        self.decided: dict[str, str] = {}
        """Inject id → when its decision was taken or its default applied."""

    def take(self, entry: dict[str, Any], records: list[dict[str, Any]]) -> None:
        """Note the stamps of a command just executed and of the consequences it brought."""
        wall = entry.get("wall")
        if not wall:  # a command from a journal without stamps: the times stay unknown
            return
        for record in records:
            if record.get("rec") == "delivered":
                self.delivered.setdefault(record["inject"], wall)
            elif record.get("rec") == "default":
                self.decided[record["inject"]] = wall
        if entry.get("cmd") == "choose":
            self.decided[entry["inject"]] = wall

    def seconds_to_decide(self, inject_id: str) -> float | None:
        """Wall-clock seconds from delivery to decision, or None where either stamp is unknown."""
        start = parse_wall(self.delivered.get(inject_id))
        end = parse_wall(self.decided.get(inject_id))
        if start is None or end is None:
            return None
        return max(0.0, (end - start).total_seconds())
