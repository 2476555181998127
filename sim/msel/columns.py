"""The HSEEP MSEL template's vocabulary: column names and event types.

Both directions share it: `import_msel` recognises a sheet's columns and event types by these
names, and `export_msel` writes the columns and labels that the import reads back.
"""

from __future__ import annotations

import re

__all__ = ["ALIASES", "ALTERNATIVE_FIELDS", "COLUMNS", "DECISION_COLUMNS", "EXPORT_COLUMNS", "EXPORT_FIELDS",
           "EXPORT_NAMES", "KIND_LABELS", "KIND_WORDS", "OPTIONAL_FIELDS", "normalise"]

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
`move` is not an inject field: its value is kept in the notes as `Move: ...`. The keys
added below are ttxsim's columns (`DECISION_COLUMNS`) and the alternative's (`otherwise_*`,
named `Otherwise ...` or `Alternative ...` after the inject's own column)."""

DECISION_COLUMNS: dict[str, tuple[str, ...]] = {
    "when": ("When", "Deliver When", "Deliver If", "Condition", "Only If"),
    "unless": ("Unless", "Skip If", "Not If"),
    "decision": ("Decision", "Decision Prompt", "Decision Question"),
    "options": ("Options", "Decision Options", "Choices"),
    "option_actions": ("Option Actions", "Model Actions", "Decision Actions"),
    "default": ("Default", "Default Option", "Decision Default"),
    "deadline": ("Deadline", "Decision Deadline", "Time to Decide"),
}
"""ttxsim's own columns, beyond the HSEEP template: the delivery conditions and the decision
(docs/cli.md, the MSEL's columns). Cells are read by `decision_cells`."""

ALTERNATIVE_FIELDS = ("message", "from", "to", "channel", "kind", "expected_actions", "questions",
                      "objective", "notes", "decision", "options", "option_actions", "default", "deadline")
"""The fields of an inject's alternative (`otherwise:`), each in an `Otherwise ...` column."""

COLUMNS.update(DECISION_COLUMNS)
COLUMNS.update({
    f"otherwise_{field}": tuple(f"{word} {name}" for word in ("Otherwise", "Alternative")
                                for name in COLUMNS[field])
    for field in ALTERNATIVE_FIELDS
})
COLUMNS["otherwise_message"] = ("Otherwise Message", "Otherwise", "Alternative", "Else",
                                *COLUMNS["otherwise_message"][1:])

_EXPORT_NAMES = {"id": "Event Number", "at": "Designated Scenario Time", "kind": "Event Type",
                 "channel": "Inject Mode", "from": "From", "to": "To", "message": "Message",
                 "expected_actions": "Expected Participant Response", "objective": "Exercise Objective",
                 "questions": "Discussion Questions", "notes": "Notes",
                 **{field: names[0] for field, names in DECISION_COLUMNS.items()}}

EXPORT_NAMES: dict[str, str] = {
    **_EXPORT_NAMES,
    **{f"otherwise_{field}": f"Otherwise {_EXPORT_NAMES[field]}" for field in ALTERNATIVE_FIELDS},
}
"""Column key → the column name `export_msel` writes (and a problem names when a sheet lacks it)."""

EXPORT_FIELDS = ("id", "at", "kind", "channel", "from", "to", "message", "expected_actions", "objective",
                 "questions", "notes", "when", "unless", "decision", "options", "option_actions", "default",
                 "deadline", "otherwise_message")
"""The columns every export has, by key: the HSEEP template's, then ttxsim's, so that a trainer
can add a condition, a decision or an alternative message to any row."""

OPTIONAL_FIELDS = tuple(f"otherwise_{field}" for field in ALTERNATIVE_FIELDS[1:])
"""The alternative's other columns, written only when some inject's alternative sets that field."""

EXPORT_COLUMNS = tuple(EXPORT_NAMES[field] for field in EXPORT_FIELDS)
"""The columns `export_msel` always writes, in order."""

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
