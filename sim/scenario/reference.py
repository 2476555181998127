"""The scenario format's reference, written from the schema itself (docs/scenario-format.md).

`format_reference()` turns `Scenario.model_json_schema()` into Markdown: one section per
model, in the order a file reads (meta, venue and its zones and openings, population, ...),
each field with its type, unit, default, constraints and the docstring written under it in
the code. Hand-written prose stays outside the generated block, so the reference cannot
drift from the schema: `tests/sim/test_docs.py` regenerates it and compares.

Regenerate after changing a scenario model:

    .venv/bin/python -m ttxsim.sim.scenario.reference --write docs/scenario-format.md

Without `--write` it prints the reference; `--check FILE` exits 1 if FILE is out of date.

Two things the JSON Schema does not say are added from the models: a time field (`at`,
`issued`) also takes `T-14d` or `T+00:04:00`, and a distribution may be a bare number.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import sys
import typing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..atomic import write_atomic
from . import limits, times
from .distributions import TRANSFORM_KEYS
from .reference_fields import (
    TIME_UNIT,
    _cell,
    _default,
    _flow,
    _number,
    _one_line,
    _paragraphs,
    _type,
    _unit,
)
from .scenario import Scenario

__all__ = ["BEGIN", "END", "format_reference", "main", "update_document"]

BEGIN = "<!-- BEGIN GENERATED: python -m ttxsim.sim.scenario.reference --write docs/scenario-format.md -->"
"""First line of the generated block in a document."""

END = "<!-- END GENERATED -->"
"""Last line of the generated block."""

def format_reference(schema: dict[str, Any] | None = None) -> str:
    """The reference part of docs/scenario-format.md, as Markdown.

    Args:
        schema: A scenario JSON Schema; default `Scenario.model_json_schema()`.

    Returns:
        The generated block, from `BEGIN` to `END` inclusive, ending with a newline.
    """
    schema = Scenario.model_json_schema() if schema is None else schema
    defs = schema.get("$defs", {})
    models = _models(Scenario)
    time_fields = _time_fields(models)
    members = _distribution_members(schema)
    order = _sections(schema, defs, set(members))
    out = [
        BEGIN,
        "",
        "## Reference",
        "",
        "Generated from the scenario models' JSON Schema (`ttxsim schema` prints the same schema).",
        "Each table lists a section's fields: type and unit, default (*required* if it has none),",
        "constraints, and meaning. *identifier*: a letter, then up to 63 letters, digits, `_`, `.`",
        "or `-`. *unset*: the field may be left out or written `null`. Units follow the field's",
        "name (`_s` seconds, `_m` metres, `_p_s` persons per second, ...).",
        "",
    ]
    for name, paths in order:
        node = schema if name == "Scenario" else defs[name]
        out += _section(name, node, paths, members, time_fields.get(name, set()), models.get(name))
    out += _distributions(defs, members)
    out += _actions()
    out += _limits()
    out.append(END)
    return "\n".join(out) + "\n"


def update_document(text: str, reference: str | None = None) -> str:
    """`text` with its generated block replaced by the current reference.

    Raises:
        ValueError: If the text has no `BEGIN` ... `END` block.
    """
    reference = format_reference() if reference is None else reference
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"no generated block: the document needs the lines\n{BEGIN}\n{END}")
    return text[:start] + reference.rstrip("\n") + text[end + len(END):]


def main(argv: list[str] | None = None) -> int:
    """`python -m ttxsim.sim.scenario.reference [--write FILE | --check FILE]`."""
    parser = argparse.ArgumentParser(prog="python -m ttxsim.sim.scenario.reference",
                                     description="The scenario format's reference, from the schema.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", metavar="FILE", help="replace the generated block in FILE")
    group.add_argument("--check", metavar="FILE", help="exit 1 if FILE's generated block is out of date")
    args = parser.parse_args(argv)
    if args.write is None and args.check is None:
        sys.stdout.write(format_reference())
        return 0
    path = Path(args.write or args.check)
    text = path.read_text(encoding="utf-8")
    try:
        updated = update_document(text)
    except ValueError as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 2
    if args.check is not None:
        if updated != text:
            print(f"{path}: out of date with the scenario schema; regenerate with\n"
                  f"  python -m ttxsim.sim.scenario.reference --write {path}", file=sys.stderr)
            return 1
        return 0
    if updated != text:
        write_atomic(path, updated)
        print(f"{path}: updated")
    return 0


# -- the order of sections ---------------------------------------------------------------------


def _sections(schema: dict[str, Any], defs: dict[str, Any],
              members: set[str]) -> list[tuple[str, list[str]]]:
    """Every model as (name, paths where it appears), depth first in the file's field order."""
    found: dict[str, list[str]] = {"Scenario": ["(the file)"]}
    order = ["Scenario"]

    def visit(node: dict[str, Any], at: str) -> None:
        for field, prop in node.get("properties", {}).items():
            for ref, suffix in _refs(prop):
                if ref in members:
                    continue
                path = f"{at}.{field}{suffix}" if at else f"{field}{suffix}"
                if ref not in found:
                    found[ref] = [path]
                    order.append(ref)
                    visit(defs[ref], path)
                elif path not in found[ref]:
                    found[ref].append(path)

    visit(schema, "")
    return [(name, found[name]) for name in order]


def _refs(prop: dict[str, Any], suffix: str = "") -> Iterator[tuple[str, str]]:
    """The models a property refers to, with `[]` appended for each list level."""
    if "$ref" in prop:
        yield prop["$ref"].rsplit("/", 1)[-1], suffix
    for key in ("anyOf", "oneOf"):
        for branch in prop.get(key, []):
            yield from _refs(branch, suffix)
    if "items" in prop and isinstance(prop["items"], dict):
        yield from _refs(prop["items"], suffix + "[]")
    if isinstance(prop.get("additionalProperties"), dict):
        yield from _refs(prop["additionalProperties"], suffix + ".*")


def _distribution_members(schema: dict[str, Any]) -> list[str]:
    """The models of the distribution union (tagged by `dist`), in the union's order."""
    members: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("discriminator", {}).get("propertyName") == "dist":
                for branch in node.get("oneOf", []):
                    ref = branch["$ref"].rsplit("/", 1)[-1]
                    if ref not in members:
                        members.append(ref)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return members


# -- one section --------------------------------------------------------------------------------


def _section(name: str, node: dict[str, Any], paths: list[str] | None, members: list[str],
             time_fields: set[str], model: type[BaseModel] | None) -> list[str]:
    lines = [f"### {name}", ""]
    if paths:
        lines += ["Where: " + ", ".join(f"`{p}`" for p in paths) + ".", ""]
    if node.get("description"):
        lines += [_paragraphs(node["description"]), ""]
    lines += ["| field | type | default | constraints | meaning |", "|---|---|---|---|---|"]
    required = set(node.get("required", []))
    for field, prop in node.get("properties", {}).items():
        type_text, constraints, nullable = _type(prop, members)
        if field in time_fields:
            type_text = f"time: {TIME_UNIT}"
        elif unit := _unit(field):
            type_text += f", {unit}"
        if field in required:
            default = "*required*"
        else:
            value = prop["default"] if "default" in prop else _model_default(model, field)
            default = _default(value, nullable)
            if nullable and value is not None:
                type_text += ", or `null`"
        lines.append("| " + " | ".join(_cell(c) for c in (
            f"`{field}`", type_text, default, ", ".join(constraints), _one_line(prop.get("description", ""))
        )) + " |")
    lines.append("")
    return lines


def _distributions(defs: dict[str, Any], members: list[str]) -> list[str]:
    common = f"{limits.MAX_DIST_VALUE:,.0f}"  # every number's bound: said once, above the table
    lines = [
        "### Distributions",
        "",
        "Any field typed *distribution* takes one of these, chosen by its `dist` key, or a bare",
        "number, which means a constant (`alarm_decision_s: 30` is `{dist: constant, value: 30}`).",
        "Values are in the field's unit. Every kind but `constant` also takes `min` and `max`: a",
        "draw below `min` is raised to it, one above `max` lowered to it (how a published range is",
        "honoured). Draws come from the run's random streams (see",
        "[the model](model.md#random-streams-and-common-random-numbers)). Every number in a",
        f"distribution is finite and between -{common} and {common} (`MAX_DIST_VALUE`).",
        "",
        "Every kind also takes `scale` (> 0, default 1) and `shift` (default 0): a draw is",
        "scale × (the distribution as written, clipped) + shift. A protocol that gives only these",
        "modifies the base file's distribution rather than replacing it: `alarm_decision_s:",
        "{shift: -60}` makes every alarm decision 60 s earlier. Its `scale` multiplies the base's",
        "scale and shift, its `shift` adds to the base's shift; other keys it gives set that",
        "parameter; a protocol that names `dist` states the distribution (another kind replaces",
        "it whole). A delay that a shift makes negative is drawn as 0 s.",
        "",
        "| `dist` | fields | meaning |",
        "|---|---|---|",
    ]
    for name in members:
        node = defs[name]
        tag = node["properties"]["dist"].get("const", name.lower())
        required = set(node.get("required", []))
        fields = []
        for field, prop in node["properties"].items():
            if field in ("dist", "min", "max", *TRANSFORM_KEYS):
                continue
            _, constraints, _ = _type(prop, members)
            text = f"`{field}`" + "".join(f" {c}" for c in constraints if common not in c)
            if field not in required:
                text += f" (default {_flow(prop.get('default'))})"
            fields.append(text)
        meaning = _one_line(node.get("description", ""))
        lines.append(f"| `{tag}` | {_cell(', '.join(fields))} | {_cell(meaning)} |")
    lines.append("")
    return lines


def _actions() -> list[str]:
    """The actions (sim/actions.py): what decisions files, inject options and the console apply."""
    from pydantic import TypeAdapter

    from ..actions import ACTION_NAMES, Action
    from ..decisions import BEFORE_EVENT, DURING_EVENT

    schema = TypeAdapter(Action).json_schema()
    defs = schema["$defs"]
    anytime = [a for a in ACTION_NAMES if a not in BEFORE_EVENT and a not in DURING_EVENT]

    def names(actions: Iterable[str]) -> str:
        return ", ".join(f"`{a}`" for a in actions)

    lines = [
        "### Actions",
        "",
        "Where: the `actions` of an inject's [Option](#option), and decisions files. Each is a",
        "mapping with an `action` key; the other keys are its fields. Before the event (t < 0)",
        f"only: {names(BEFORE_EVENT)}. Once it has started (t ≥ 0) only: {names(DURING_EVENT)}.",
        f"At any time: {names(anytime)}.",
        "",
        "| `action` | fields | meaning |",
        "|---|---|---|",
    ]
    for branch in schema["oneOf"]:
        node = defs[branch["$ref"].rsplit("/", 1)[-1]]
        tag = node["properties"]["action"]["const"]
        required = set(node.get("required", []))
        fields = []
        for field, prop in node["properties"].items():
            if field == "action":
                continue
            type_text, constraints, _ = _type(prop, [])
            text = f"`{field}` ({type_text}" + "".join(f", {c}" for c in constraints) + ")"
            if field not in required:
                default = prop.get("default")
                text += ", optional" if default is None else f", default {_flow(default)}"
            text += f": {_one_line(prop.get('description', ''))}"
            fields.append(text)
        meaning = _one_line(node["description"])
        lines.append(f"| `{tag}` | {_cell('; '.join(fields)) or '—'} | {_cell(meaning)} |")
    lines.append("")
    return lines


def _limits() -> list[str]:
    """The size limits (limits.py), each with the docstring under it."""
    tree = ast.parse(inspect.getsource(limits))
    lines = ["### Limits", "",
             "Checked while validating, so absurd input is a located error, not a machine out of memory.",
             "", "| limit | value | meaning |", "|---|---|---|"]
    body = tree.body
    for i, stmt in enumerate(body):
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)):
            continue
        name = stmt.targets[0].id
        after = body[i + 1] if i + 1 < len(body) else None
        doc = ""
        if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
            doc = str(after.value.value)
        lines.append(f"| `{name}` | {_number(getattr(limits, name))} | {_cell(_one_line(doc))} |")
    lines.append("")
    return lines


# -- pydantic introspection: what the JSON Schema leaves out -------------------------------------


def _models(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model reachable from `root`, by name (the JSON Schema's `$defs` keys)."""
    found: dict[str, type[BaseModel]] = {}

    def visit(model: type[BaseModel]) -> None:
        if model.__name__ in found:
            return
        found[model.__name__] = model
        for info in model.model_fields.values():
            for sub in _models_in(info.annotation):
                visit(sub)

    visit(root)
    return found


def _time_fields(models: dict[str, type[BaseModel]]) -> dict[str, set[str]]:
    """Per model name, the fields that take a scenario time (`T-14d`, `T+00:04:00`, or seconds)."""
    found: dict[str, set[str]] = {}
    for model_name, model in models.items():
        for name, info in model.model_fields.items():
            if _is_time(info.metadata) or _is_time_annotation(info.annotation):
                found.setdefault(model_name, set()).add(info.alias or name)
    return found


def _model_default(model: type[BaseModel] | None, field: str) -> Any:
    """A field's default made by a factory (the JSON Schema leaves those out), as JSON data."""
    if model is None:
        return None
    for name, info in model.model_fields.items():
        if (info.alias or name) == field and info.default_factory is not None:
            value = info.get_default(call_default_factory=True)
            return value.model_dump(mode="json") if isinstance(value, BaseModel) else value
    return None


def _is_time(metadata: list[Any]) -> bool:
    return any(getattr(m, "func", None) is times._to_seconds for m in metadata)


def _is_time_annotation(annotation: Any) -> bool:
    if hasattr(annotation, "__metadata__") and _is_time(list(annotation.__metadata__)):
        return True
    return any(_is_time_annotation(arg) for arg in typing.get_args(annotation))


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


# -- text helpers ---------------------------------------------------------------------------------


if __name__ == "__main__":
    raise SystemExit(main())
