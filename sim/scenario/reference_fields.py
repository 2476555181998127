"""How the scenario reference writes one field: its type, unit, default and constraints, as Markdown.

The pieces `reference.py` assembles into docs/scenario-format.md.
"""

from __future__ import annotations

import json
from typing import Any

IDENTIFIER_PATTERN = r"^[A-Za-z][A-Za-z0-9_.\-]{0,63}$"
"""The pattern of ids (`base.Identifier`): shown as "identifier", explained once."""

UNITS = (
    ("_p_s_m", "persons/s per m"),
    ("_p_m2", "persons/m²"),
    ("_p_s", "persons/s"),
    ("_kw_s2", "kW/s²"),
    ("_m_s", "m/s"),
    ("_per_s", "1/s"),
    ("_m2", "m²"),
    ("_mm", "mm"),
    ("_kw", "kW"),
    ("_ppm", "ppm"),
    ("_m", "m"),
    ("_s", "s"),
)
"""Unit by the field name's suffix (the code's naming rule), longest suffix first."""

TIME_UNIT = "s, or `T-14d`, `T+00:04:00`"
"""What a scenario-time field takes."""

DISTRIBUTION = "[distribution](#distributions)"
"""How a field that takes any distribution is typed."""


def _type(prop: dict[str, Any], members: Any) -> tuple[str, list[str], bool]:
    """(type text, constraints, whether null is allowed) of a property."""
    if prop.get("discriminator", {}).get("propertyName") == "dist":
        return DISTRIBUTION, [], False
    if "anyOf" in prop:
        branches = [b for b in prop["anyOf"] if b.get("type") != "null"]
        nullable = len(branches) < len(prop["anyOf"])
        parts = [_type(b, members) for b in branches]
        return " or ".join(p[0] for p in parts), [c for p in parts for c in p[1]], nullable
    if "$ref" in prop:
        ref = prop["$ref"].rsplit("/", 1)[-1]
        return f"[{ref}](#{ref.lower()})", [], False
    if "const" in prop:
        return f"`{prop['const']}`", [], False
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"]), [], False
    kind = prop.get("type")
    constraints = _constraints(prop)
    if kind == "array":
        if "prefixItems" in prop:
            inner = ", ".join(_type(p, members)[0] for p in prop["prefixItems"])
            return f"[{inner}]", [], False
        item, item_constraints, _ = _type(prop.get("items", {}), members)
        text = f"list of {item}" if item else "list"
        return text, constraints + [f"each {c}" for c in item_constraints], False
    if kind == "object":
        if "patternProperties" in prop:
            (pattern, value), = prop["patternProperties"].items()
            key = "identifier" if pattern == IDENTIFIER_PATTERN else f"key matching `{pattern}`"
            return f"mapping: {key} → {_type(value, members)[0] or 'anything'}", [], False
        value = prop.get("additionalProperties")
        if isinstance(value, dict):
            keys = prop.get("propertyNames", {}).get("enum")
            key = " / ".join(f"`{k}`" for k in keys) if keys else "text"
            inner, inner_constraints, _ = _type(value, members)
            return f"mapping: {key} → {inner}", [f"each {c}" for c in inner_constraints], False
        return "mapping (any keys)", [], False
    if kind == "string":
        if prop.get("pattern") == IDENTIFIER_PATTERN:
            return "identifier", [c for c in constraints if not c.startswith("pattern")], False
        if prop.get("format") == "date-time":
            return "date-time (ISO 8601, with its UTC offset)", constraints, False
        return "text", constraints, False
    names = {"number": "number", "integer": "integer", "boolean": "true/false", "null": "null"}
    return names.get(str(kind), ""), constraints, False


def _constraints(prop: dict[str, Any]) -> list[str]:
    out = []
    for key, text in (("exclusiveMinimum", "> {}"), ("minimum", "≥ {}"), ("exclusiveMaximum", "< {}"),
                      ("maximum", "≤ {}")):
        if key in prop:
            out.append(text.format(_number(prop[key])))
    lo, hi = prop.get("minItems"), prop.get("maxItems")
    if lo is not None or hi is not None:
        if lo is not None and hi is not None:
            out.append(f"{_number(lo)}–{_number(hi)} items")
        elif lo is not None:
            out.append(f"at least {_number(lo)} item{'s' if lo != 1 else ''}")
        else:
            out.append(f"at most {_number(hi)} items")
    if "minLength" in prop:
        out.append("not empty" if prop["minLength"] == 1 else f"at least {prop['minLength']} characters")
    if "maxLength" in prop:
        out.append(f"at most {_number(prop['maxLength'])} characters")
    if "pattern" in prop and prop["pattern"] != IDENTIFIER_PATTERN:
        out.append(f"pattern `{prop['pattern']}`")
    return out


def _unit(field: str) -> str:
    for suffix, unit in UNITS:
        if field.endswith(suffix):
            return unit
    return ""


def _default(value: Any, nullable: bool) -> str:
    if value is None:
        return "unset" if nullable else "—"
    if isinstance(value, dict) and "dist" in value:  # a distribution: leave out scale and shift at 1 and 0
        value = {k: v for k, v in value.items() if (k, v) not in (("scale", 1), ("shift", 0))}
    if isinstance(value, dict) and value.get("dist") == "constant" and set(value) == {"dist", "value"}:
        return f"`{_flow(value['value'])}`"
    text = _flow(value)
    if len(text) > 70:
        return "the fields' defaults"
    return f"`{text}`"


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15):
        return f"{int(value):,}"
    return f"{value:g}"


def _flow(value: Any) -> str:
    """A value in YAML flow style, as a scenario file would write it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if (not value or any(c in value for c in ":{}[],#")) \
            else value
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        first = [k for k in ("dist",) if k in value]
        last = [k for k in ("min", "max") if k in value and "dist" in value]
        keys = [*first, *(k for k in value if k not in first and k not in last), *last]
        return "{" + ", ".join(f"{k}: {_flow(value[k])}" for k in keys) + "}"
    return str(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _paragraphs(text: str) -> str:
    return "\n\n".join(_one_line(p) for p in text.split("\n\n") if p.strip())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
