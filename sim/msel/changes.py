"""What an MSEL import changes in a scenario's injects, as a diff-like summary for the trainer.

Injects are matched by id, the name controllers call them by: an id only in the sheet is
added, one only in the scenario removed, one in both changed if any field differs (named, and
for a decision or an alternative, which of their parts), else unchanged. A new order of the
injects that both keep is said too, since the console lists them in file order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..scenario.injects import Inject

__all__ = ["InjectChanges", "compare_injects"]


@dataclass(frozen=True)
class InjectChanges:
    """Added, removed and changed injects (ids, with the changed fields), and how many are unchanged."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    reordered: bool = False

    @property
    def anything(self) -> bool:
        """Whether the scenario would change at all."""
        return bool(self.added or self.removed or self.changed or self.reordered)

    def lines(self) -> list[str]:
        """`+ CH-25 added`, `- CH-03 removed`, `~ CH-17 changed: message, when`, `21 unchanged`."""
        out = [f"+ {ident} added" for ident in self.added]
        out += [f"- {ident} removed" for ident in self.removed]
        out += [f"~ {ident} changed: {', '.join(fields)}" for ident, fields in self.changed]
        if self.reordered:
            out.append("~ order of the injects changed")
        out.append(f"{self.unchanged} unchanged")
        return out


def compare_injects(old: Sequence[Inject], new: Sequence[Inject]) -> InjectChanges:
    """How `new` differs from `old`, matched by id."""
    before = {inject.id: inject for inject in old}
    after = {inject.id: inject for inject in new}
    changed = [(ident, fields) for ident, inject in after.items()
               if ident in before and (fields := _changed_fields(before[ident], inject))]
    kept = [ident for ident in before if ident in after]
    return InjectChanges(
        added=[ident for ident in after if ident not in before],
        removed=[ident for ident in before if ident not in after],
        changed=changed,
        unchanged=len(kept) - len(changed),
        reordered=kept != [ident for ident in after if ident in before],
    )


def _changed_fields(old: Inject, new: Inject) -> list[str]:
    """The fields that differ, in the file's names; a decision's or alternative's parts in brackets."""
    a = old.model_dump(by_alias=True)
    b = new.model_dump(by_alias=True)
    fields = []
    for name in b:
        if a[name] == b[name]:
            continue
        if isinstance(a[name], dict) and isinstance(b[name], dict):
            parts = [part for part in b[name] if a[name].get(part) != b[name][part]]
            name = f"{name} ({', '.join(parts)})"
        fields.append(name)
    return fields
