"""The condition language: tokens, then a recursive-descent parser, never `eval`.

    condition  := either ("or" either)*        -- `or` binds loosest
    either     := negation ("and" negation)*
    negation   := "not" negation | "(" condition ")" | fact
    fact       := NUMBER-FACT ["(" id ")"] ("<" | "<=" | ">" | ">=" | "==" | "!=") number
                | "opening" "(" id ")" "is" ["not"] ("open" | "closed" | "locked" | "shut")
                | "threat" "is" ["not"] ("none" | "coming" | "active" | "gone" | "contained")
                | "threat" ["not"] "in" zone
                | ("smoke" | "untenable") ["(" zone ")"]
                | "decision" "(" inject ")" "is" ["not"] option
                | "decided" "(" inject ")" | "happened" "(" milestone ")" | "cancelled"

The facts are listed in `NUMBERS` and `TESTS`; docs/scenario-format.md documents each one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..metrics import MILESTONES
from ..state import THREAT_STATUSES
from .facts import Facts
from .nodes import COMPARISONS, All, Any_, Compare, Condition, Not, Ref, Test

__all__ = ["CAUSES", "NUMBERS", "OPENING_STATES", "TESTS", "ConditionError", "parse_condition"]

CAUSES = ("threat", "smoke")
OPENING_STATES = ("open", "closed", "locked", "shut")
"""`shut` is closed or locked."""
MILESTONE_NAMES = tuple(m.name for m in MILESTONES)

NUMBERS: dict[str, tuple[str | None, Callable[[Facts, str | None], float]]] = {
    "inside": ("zone", lambda f, z: f.inside(z)),
    "leaving": ("zone", lambda f, z: f.leaving(z)),
    "sheltering": ("zone", lambda f, z: f.sheltering(z)),
    "harmed": ("cause", lambda f, c: f.harmed(c)),
    "evacuated": (None, lambda f, _: f.state.safe),
    "locked_exits": (None, lambda f, _: len(f.exits_in("locked"))),
    "closed_exits": (None, lambda f, _: len(f.exits_in("closed"))),
    "shut_exits": (None, lambda f, _: len(f.exits_in("closed", "locked"))),
    "open_exits": (None, lambda f, _: len(f.exits_in("open"))),
    "posture": (None, lambda f, _: f.state.posture),
}
"""Numbers a condition compares: name → (what its optional argument names, how to read it)."""

TESTS = ("opening", "threat", "smoke", "untenable", "decision", "decided", "happened", "cancelled")
"""Yes-or-no facts."""

KEYWORDS = ("and", "or", "not", "is", "in")
_TOKEN = re.compile(r"\s*(?:(?P<op><=|>=|==|!=|<|>|=)|(?P<punct>[(),])|(?P<word>[A-Za-z0-9_][A-Za-z0-9_.\-]*)"
                    r"|(?P<bad>\S))")
_NUMBER = re.compile(r"\d+(\.\d+)?")


class ConditionError(ValueError):
    """A condition that does not parse; `column` (1-based) is where in its text."""

    def __init__(self, message: str, column: int):
        super().__init__(f"column {column}: {message}")
        self.message, self.column = message, column


@dataclass(frozen=True)
class _Token:
    kind: str
    """`op`, `punct`, `word`, `number` or `end`."""
    text: str
    column: int


def parse_condition(text: str) -> Condition:
    """The condition written in `text`; ConditionError (with the column) if it does not parse."""
    parser = _Parser(_tokens(text), len(text))
    condition = parser.condition()
    parser.expect_end()
    condition.text = text
    return condition


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while text[position:].strip():
        match = _TOKEN.match(text, position)
        assert match is not None  # the pattern matches any non-blank character
        kind = match.lastgroup or "bad"
        value = match.group(kind)
        column = match.start(kind) + 1
        if kind == "bad":
            raise ConditionError(f"unexpected character {value!r}", column)
        if kind == "op" and value == "=":
            raise ConditionError("'=' alone is not a comparison: write '==' (equal to)", column)
        if kind == "word" and _NUMBER.fullmatch(value):
            kind = "number"
        tokens.append(_Token(kind, value, column))
        position = match.end()
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token], length: int):
        self.tokens, self.at, self.length = tokens, 0, length

    # -- the token stream ----------------------------------------------------------------

    @property
    def peek(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def accept(self, word: str) -> bool:
        if self.peek.text == word and self.peek.kind in ("word", "punct", "op"):
            self.at += 1
            return True
        return False

    def expect(self, word: str, after: str) -> None:
        if not self.accept(word):
            raise self.error(f"expected '{word}' after {after}")

    def error(self, message: str) -> ConditionError:
        token = self.peek
        found = "the end of the condition" if token.kind == "end" else f"'{token.text}'"
        return ConditionError(f"{message}, found {found}", token.column)

    def expect_end(self) -> None:
        if self.peek.kind != "end":
            raise self.error("expected 'and', 'or' or the end of the condition")

    # -- the grammar ---------------------------------------------------------------------

    def condition(self) -> Condition:
        parts = [self.either()]
        while self.accept("or"):
            parts.append(self.either())
        return parts[0] if len(parts) == 1 else Any_(parts)

    def either(self) -> Condition:
        parts = [self.negation()]
        while self.accept("and"):
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else All(parts)

    def negation(self) -> Condition:
        if self.accept("not"):
            return Not(self.negation())
        if self.accept("("):
            inner = self.condition()
            self.expect(")", "a condition in brackets")
            return inner
        return self.fact()

    def fact(self) -> Condition:
        token = self.peek
        if token.kind != "word" or token.text in KEYWORDS:
            raise self.error("expected a fact such as 'inside > 0' or 'threat is contained'")
        name = self.take().text
        if name in NUMBERS:
            return self.number(name, token.column)
        if name in TESTS:
            return getattr(self, f"test_{name}")(token.column)
        close = difflib.get_close_matches(name, [*NUMBERS, *TESTS], n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known facts: {', '.join([*NUMBERS, *TESTS])}"
        raise ConditionError(f"unknown fact '{name}'{hint}", token.column)

    def argument(self, name: str, *, optional: bool = False) -> tuple[str, int] | None:
        if not self.accept("("):
            if optional:
                return None
            raise self.error(f"expected '(' after '{name}'")
        token = self.peek
        if token.kind not in ("word", "number"):
            raise self.error(f"expected an id in '{name}(…)'")
        self.take()
        self.expect(")", f"'{name}({token.text}'")
        return token.text, token.column

    def word_from(self, choices: tuple[str, ...], what: str) -> str:
        token = self.peek
        if token.kind != "word" or token.text not in choices:
            raise self.error(f"expected {what} ({', '.join(choices)})")
        return self.take().text

    def negated_is(self, subject: str) -> bool:
        self.expect("is", subject)
        return self.accept("not")

    def number(self, name: str, column: int) -> Condition:
        arg_kind, read = NUMBERS[name]
        arg = self.argument(name, optional=True)
        refs: tuple[Ref, ...] = ()
        if arg is not None:
            if arg_kind is None:
                raise ConditionError(f"'{name}' takes no argument", arg[1])
            if arg_kind == "cause" and arg[0] not in CAUSES:
                raise ConditionError(f"a cause of harm is one of {', '.join(CAUSES)}", arg[1])
            if arg_kind == "zone":
                refs = (Ref("zone", arg[0], arg[1]),)
        source = f"{name}({arg[0]})" if arg else name
        op = self.peek
        if op.kind != "op":
            raise self.error(f"expected a comparison ({' '.join(COMPARISONS)}) after '{source}'")
        self.take()
        value = self.peek
        if value.kind != "number":
            raise self.error(f"expected a number after '{source} {op.text}'")
        self.take()
        ident = arg[0] if arg else None
        return Compare(source, lambda f: read(f, ident), op.text, float(value.text), refs)

    def test_opening(self, column: int) -> Condition:
        arg = self.argument("opening")
        assert arg is not None
        ident = arg[0]
        negated = self.negated_is(f"'opening({ident})'")
        wanted = self.word_from(OPENING_STATES, "an opening's state")
        states = ("closed", "locked") if wanted == "shut" else (wanted,)

        def test(f: Facts) -> bool:
            return (f.state.openings.get(ident) in states) != negated

        return Test(test, lambda f: f"{f.name(ident)} is {f.state.openings.get(ident, 'unknown')}",
                    (Ref("opening", ident, arg[1]),))

    def test_threat(self, column: int) -> Condition:
        negated = self.accept("not")
        if self.accept("in"):
            token = self.peek
            if token.kind not in ("word", "number"):
                raise self.error("expected a zone id after 'threat in'")
            zone = self.take().text
            return Test(lambda f: (f.state.threat_zone == zone) != negated, _threat_said,
                        (Ref("zone", zone, token.column),))
        if negated:
            raise self.error("expected 'in' after 'threat not' (or write 'threat is not …')")
        negated = self.negated_is("'threat'")
        status = self.word_from(THREAT_STATUSES, "the threat's status")
        return Test(lambda f: (f.state.threat_status == status) != negated, _threat_said)

    def test_smoke(self, column: int) -> Condition:
        return self._zone_flag("smoke", "smoky_zones", "smoky")

    def test_untenable(self, column: int) -> Condition:
        return self._zone_flag("untenable", "untenable_zones", "untenable")

    def _zone_flag(self, name: str, field: str, word: str) -> Condition:
        arg = self.argument(name, optional=True)
        if arg is None:
            def said(f: Facts) -> str:
                return f"{word}: {', '.join(f.name(z) for z in getattr(f.state, field)) or 'none'}"

            return Test(lambda f: bool(getattr(f.state, field)), said)
        zone = arg[0]
        return Test(lambda f: zone in getattr(f.state, field),
                    lambda f: f"{f.name(zone)} is {'' if zone in getattr(f.state, field) else 'not '}{word}",
                    (Ref("zone", zone, arg[1]),))

    def test_decision(self, column: int) -> Condition:
        arg = self.argument("decision")
        assert arg is not None
        inject = arg[0]
        negated = self.negated_is(f"'decision({inject})'")
        token = self.peek
        if token.kind not in ("word", "number"):
            raise self.error(f"expected an option id of {inject}")
        option = self.take().text

        def said(f: Facts) -> str:
            chosen = f.choices.get(inject)
            return f"{inject}: {chosen}" if chosen is not None else f"{inject} not decided"

        return Test(lambda f: (f.choices.get(inject) == option) != negated, said,
                    (Ref("inject", inject, arg[1]), Ref("option", option, token.column, inject)))

    def test_decided(self, column: int) -> Condition:
        arg = self.argument("decided")
        assert arg is not None
        inject = arg[0]
        return Test(lambda f: inject in f.choices,
                    lambda f: f"{inject} {'decided' if inject in f.choices else 'not decided'}",
                    (Ref("inject", inject, arg[1]),))

    def test_happened(self, column: int) -> Condition:
        arg = self.argument("happened")
        assert arg is not None
        name = arg[0]
        if name not in MILESTONE_NAMES:
            close = difflib.get_close_matches(name, MILESTONE_NAMES, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"one of {', '.join(MILESTONE_NAMES)}"
            raise ConditionError(f"unknown milestone '{name}'; {hint}", arg[1])

        def said(f: Facts) -> str:
            t = f.state.milestones.get(name)
            return f"{name} at {f.clock(t)}" if t is not None else f"{name} not yet"

        return Test(lambda f: f.state.milestones.get(name) is not None, said)


    def test_cancelled(self, column: int) -> Condition:
        return Test(lambda f: f.state.cancelled,
                    lambda f: "the event is cancelled" if f.state.cancelled else "the event is not cancelled")


def _threat_said(f: Facts) -> str:
    status, zone = f.state.threat_status, f.state.threat_zone
    return f"threat {status}" + (f" in {f.name(zone)}" if zone else "")
