"""The HSEEP MSEL template's vocabulary: column names and event types.

Both directions share it: `import_msel` recognises a sheet's columns and event types by these
names, and `export_msel` writes the columns and labels that the import reads back.
"""

from __future__ import annotations

import re

__all__ = ["ALIASES", "COLUMNS", "EXPORT_COLUMNS", "KIND_LABELS", "KIND_WORDS", "normalise"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("Event Number", "Event No", "Event #", "Event ID", "Inject Number", "Inject #", "Inject ID",
           "Control Number", "Control #", "MSEL Number", "MSEL #", "ID"),
    "at": ("Designated Scenario Time", "Scenario Time", "Time", "Delivery Time", "Inject Time",
           "Event Time"),
    "kind": ("Event Type", "Inject Type", "Type"),
    "channel": ("Inject Mode", "Mode", "Method", "Delivery Method", "Inject Method", "Channel"),
    "from": ("From", "Sender", "Simulated Sender", "Originator"),
    "to": ("To", "Recipient", "Recipients", "Recipient(s)", "Player", "Players", "Intended Player",
           "Receiving Player", "Receiving Players", "Receiver"),
    "message": ("Message", "Inject Description", "Inject", "Event Description", "Description",
                "Inject Text", "Message Text"),
    "expected_actions": ("Expected Participant Response", "Expected Player Action",
                         "Expected Player Actions", "Expected Action(s)", "Expected Actions",
                         "Expected Action", "Expected Response", "Expected Player Response"),
    "objective": ("Exercise Objective", "Objective", "Objectives", "Core Capability",
                  "Objective/Core Capability", "Core Capabilities"),
    "notes": ("Notes", "Controller Notes", "Remarks", "Note"),
    "move": ("Move", "Group", "Phase", "Module"),
    "questions": ("Discussion Questions", "Discussion Question", "Questions", "Key Issues",
                  "Key Questions"),
}
"""Inject field → the column names that hold it, most specific first. When two columns of a
sheet match the same field, the earlier name here wins and the other goes to the notes.
`move` is not an inject field: its value is kept in the notes as `Move: ...`."""

EXPORT_COLUMNS = ("Event Number", "Designated Scenario Time", "Event Type", "Inject Mode", "From", "To",
                  "Message", "Expected Participant Response", "Exercise Objective",
                  "Discussion Questions", "Notes")
"""The columns `export_msel` writes, in order."""

KIND_WORDS = {
    "contextual": "contextual", "context": "contextual",
    "expected action": "expected_action", "expected player action": "expected_action",
    "expected participant response": "expected_action", "action": "expected_action",
    "decision": "decision", "decision point": "decision",
    "information": "information", "informational": "information", "info": "information",
    "contingency": "contingency", "contingency inject": "contingency",
}
"""An Event Type cell, normalised (see `normalise`) → the inject kind it names."""

KIND_LABELS = {"contextual": "Contextual", "expected_action": "Expected Action", "decision": "Decision",
               "information": "Information", "contingency": "Contingency"}
"""Inject kind → the Event Type `export_msel` writes (each reads back through `KIND_WORDS`)."""

def normalise(name: str) -> str:
    """`"Control #"` → `"control number"`, `" Expected Action(s) "` → `"expected action s"`."""
    words = re.sub(r"[^a-z0-9]+", " ", name.lower().replace("#", " number ")).split()
    return " ".join("number" if w in ("no", "nr", "num", "nbr") else w for w in words)


def _aliases() -> dict[str, tuple[str, int]]:
    aliases: dict[str, tuple[str, int]] = {}
    for field, names in COLUMNS.items():
        for rank, name in enumerate(names):
            aliases.setdefault(normalise(name), (field, rank))
    return aliases


ALIASES = _aliases()
"""A normalised column name → (inject field, rank among that field's names in `COLUMNS`)."""
