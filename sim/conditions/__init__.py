"""Conditional injects and live values: the MSEL reads the model (docs/scenario-format.md).

An inject's `when:`/`unless:` is a condition on the model's state and the players' earlier
decisions, written in a small language that is parsed, never evaluated as code; its message
may carry live values (`{inside:hall_stalls}`) filled in at delivery. Both read `Facts`, built
from the model's public state by `facts_of`.
"""

from .check import check_inject_conditions
from .delivery import Verdict, as_delivered, fill_inject, judge, summary
from .facts import Facts, exits_of, facts_of
from .live import PLACEHOLDERS, fill_text, placeholder_refs
from .nodes import Condition, Ref
from .syntax import NUMBERS, TESTS, ConditionError, parse_condition

__all__ = [
    "NUMBERS",
    "PLACEHOLDERS",
    "TESTS",
    "Condition",
    "ConditionError",
    "Facts",
    "Ref",
    "Verdict",
    "as_delivered",
    "check_inject_conditions",
    "exits_of",
    "facts_of",
    "fill_inject",
    "fill_text",
    "judge",
    "parse_condition",
    "placeholder_refs",
    "summary",
]
