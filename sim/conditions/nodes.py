"""The parts of a parsed condition: facts compared or tested, joined by `and`, `or`, `not`.

Each part says whether it holds on given `Facts` and, in words, what it found, so the MSEL
list can say why an inject was delivered, replaced or skipped. Each leaf also lists the ids
it names (`refs`), for the scenario check to match against the venue and the MSEL.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass

from .facts import Facts

__all__ = ["All", "Any_", "Compare", "Condition", "Not", "Ref", "Test"]

COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne,
}


@dataclass(frozen=True)
class Ref:
    """An id a condition names, and where: checked against the scenario at load."""

    kind: str
    """`zone`, `opening`, `inject` (a decision) or `option` (of the inject in `of`)."""
    ident: str
    column: int
    """1-based column in the condition's text."""
    of: str | None = None


class Condition:
    """A parsed condition; `holds` decides it, `explain` says why."""

    text: str = ""
    """The condition as written (set on the top node by `parse_condition`)."""

    def holds(self, facts: Facts) -> bool:
        """Whether the condition is true on these facts."""
        raise NotImplementedError

    def reasons(self, facts: Facts) -> list[str]:
        """The facts that decided it, in words."""
        raise NotImplementedError

    def refs(self) -> list[Ref]:
        """Every id the condition names."""
        raise NotImplementedError

    def explain(self, facts: Facts) -> str:
        """`held: …` or `failed: …`, with the facts that decided it."""
        verdict = "held" if self.holds(facts) else "failed"
        return f"{verdict}: {'; '.join(dict.fromkeys(self.reasons(facts)))}"


@dataclass(eq=False)
class Compare(Condition):
    """A number from the model compared with a constant: `inside(hall_stalls) > 100`."""

    source: str
    """The quantity as written (`inside(hall_stalls)`)."""
    read: Callable[[Facts], float]
    op: str
    value: float
    ids: tuple[Ref, ...] = ()

    def holds(self, facts: Facts) -> bool:
        """See `Condition.holds`."""
        return COMPARISONS[self.op](self.read(facts), self.value)

    def reasons(self, facts: Facts) -> list[str]:
        """See `Condition.reasons`."""
        return [f"{self.source} is {_number(self.read(facts))}"]

    def refs(self) -> list[Ref]:
        """See `Condition.refs`."""
        return list(self.ids)


@dataclass(eq=False)
class Test(Condition):
    """A yes-or-no fact: `opening(x) is locked`, `threat is contained`, `smoke(foyer)`."""

    test: Callable[[Facts], bool]
    say: Callable[[Facts], str]
    """What was found, in words, whichever way it went."""
    ids: tuple[Ref, ...] = ()

    def holds(self, facts: Facts) -> bool:
        """See `Condition.holds`."""
        return self.test(facts)

    def reasons(self, facts: Facts) -> list[str]:
        """See `Condition.reasons`."""
        return [self.say(facts)]

    def refs(self) -> list[Ref]:
        """See `Condition.refs`."""
        return list(self.ids)


@dataclass(eq=False)
class Not(Condition):
    """`not X`."""

    part: Condition

    def holds(self, facts: Facts) -> bool:
        """See `Condition.holds`."""
        return not self.part.holds(facts)

    def reasons(self, facts: Facts) -> list[str]:
        """See `Condition.reasons`."""
        return self.part.reasons(facts)

    def refs(self) -> list[Ref]:
        """See `Condition.refs`."""
        return self.part.refs()


@dataclass(eq=False)
class All(Condition):
    """`X and Y and …`: a failure is explained by the parts that failed."""

    parts: list[Condition]

    def holds(self, facts: Facts) -> bool:
        """See `Condition.holds`."""
        return all(p.holds(facts) for p in self.parts)

    def reasons(self, facts: Facts) -> list[str]:
        """See `Condition.reasons`."""
        held = self.holds(facts)
        return [r for p in self.parts if held or not p.holds(facts) for r in p.reasons(facts)]

    def refs(self) -> list[Ref]:
        """See `Condition.refs`."""
        return [r for p in self.parts for r in p.refs()]


@dataclass(eq=False)
class Any_(Condition):
    """`X or Y or …`: a success is explained by the parts that held."""

    parts: list[Condition]

    def holds(self, facts: Facts) -> bool:
        """See `Condition.holds`."""
        return any(p.holds(facts) for p in self.parts)

    def reasons(self, facts: Facts) -> list[str]:
        """See `Condition.reasons`."""
        held = self.holds(facts)
        return [r for p in self.parts if not held or p.holds(facts) for r in p.reasons(facts)]

    def refs(self) -> list[Ref]:
        """See `Condition.refs`."""
        return [r for p in self.parts for r in p.refs()]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
