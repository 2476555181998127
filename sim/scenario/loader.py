"""Reading scenario files: safe YAML with line numbers, validation, located errors.

PyYAML composes the document into nodes that remember their line and column; we build
the data from those nodes ourselves so that every value's position is known, then let
pydantic validate and translate each error's location back to the file. Every problem is
reported, one line each, as `FILE:LINE:COL: field.path: message`.
"""

from __future__ import annotations

import difflib
import os
import re
import typing
from collections.abc import Mapping
from pathlib import Path as FilePath
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .check import check_scenario
from .errors import Problem, ScenarioError, format_path, quote
from .limits import MAX_FILE_BYTES, MAX_YAML_NODES
from .merge import MergeNotes, Path, deep_merge
from .scenario import BASELINE, Scenario, merged_data

__all__ = ["SourceDocument", "data_path", "error_message", "load_scenario", "parse_scenario", "read_document"]

EMPTY_FILE = "the file is empty; expected a mapping of sections (meta, venue, population, ...)"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters (Unicode Cc) other than tab and newline."""
DIST_TAGS = ("constant", "uniform", "normal", "lognormal", "triangular", "exponential")


class SourceDocument:
    """A parsed YAML or JSON file: its data and where each value sits in the text."""

    def __init__(self, name: str, text: str, data: Any, marks: dict[Path, tuple[int, int]],
                 key_marks: dict[Path, tuple[int, int]]):
        self.name = name
        self.text = text
        self.data = data
        self.marks = marks
        """Line and column (1-based) of each value, by path."""
        self.key_marks = key_marks
        """Line and column of each mapping key, by the path of its value."""

    def problem(self, path: Path, message: str, *, at_key: bool = False) -> Problem:
        """A Problem at `path`, or at the nearest enclosing value the file has."""
        line, col = self.position(path, at_key=at_key)
        return Problem(self.name, line, col, format_path(path), message)

    def position(self, path: Path, *, at_key: bool = False) -> tuple[int, int]:
        """Where `path` (or its nearest present ancestor) is in the file."""
        if at_key and path in self.key_marks:
            return self.key_marks[path]
        for end in range(len(path), -1, -1):
            if path[:end] in self.marks:
                return self.marks[path[:end]]
        return (1, 1)


def load_scenario(path: str | os.PathLike) -> Scenario:
    """Read, validate and cross-check a scenario file; raise ScenarioError listing every problem."""
    doc = read_document(path)
    return _validate(doc)


def parse_scenario(text: str, name: str = "<string>") -> Scenario:
    """Like `load_scenario`, from text in memory."""
    return _validate(_parse(text, name))


def read_document(path: str | os.PathLike, *, root: type = dict, expected: str = "a mapping of sections",
                  empty: str = EMPTY_FILE) -> SourceDocument:
    """Read a YAML (or JSON) file into a SourceDocument, or raise a located ScenarioError.

    The root must be a `root` (a mapping, for scenarios); otherwise the error says
    "expected {expected}, found ...", and an empty file gives the message `empty`.
    """
    name = str(path)
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            message = f"{size} bytes is over the limit of {MAX_FILE_BYTES}"
            raise ScenarioError([Problem(name, 1, 1, "(file)", message)])
        raw = FilePath(path).read_bytes()
    except OSError as exc:
        raise ScenarioError([Problem(name, 1, 1, "(file)", exc.strerror or str(exc))]) from None
    if b"\0" in raw:
        raise ScenarioError([Problem(name, 1, 1, "(file)", "not a text file (it contains NUL bytes)")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError([Problem(name, line, col, "(file)", "not UTF-8 text")]) from None
    return _parse(text, name, root, expected, empty)


def _parse(text: str, name: str, root: type = dict, expected: str = "a mapping of sections",
           empty: str = EMPTY_FILE) -> SourceDocument:
    try:
        loader = yaml.SafeLoader(text)  # its reader refuses unprintable characters at once
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise ScenarioError([Problem(name, line, col, "(yaml)",
                                     f"a control character (#x{exc.character:04x}) is not allowed "
                                     "in a YAML file")]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError([Problem(name, 1, 1, "(root)", empty)])
        builder = _Builder(loader, name)
        data = builder.build(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part) or "invalid YAML"
        raise ScenarioError([Problem(name, line, col, "(yaml)", message)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(name, 1, 1, "(yaml)", str(exc))]) from None
    except RecursionError:  # PyYAML composes nested collections recursively
        mark = loader.get_mark()
        raise ScenarioError([Problem(name, mark.line + 1, mark.column + 1, "(yaml)",
                                     "nested too deeply")]) from None
    finally:
        loader.dispose()
    doc = SourceDocument(name, text, data, builder.marks, builder.key_marks)
    if data is None and isinstance(node, yaml.ScalarNode) and node.value == "":
        raise ScenarioError([doc.problem((), empty)])  # nothing but `---` or comments
    if not isinstance(data, root):
        raise ScenarioError([doc.problem((), f"expected {expected}, found {_kind(data)}")])
    return doc


class _Builder:
    """Turns YAML nodes into Python data, recording each value's position by path."""

    def __init__(self, loader: yaml.SafeLoader, name: str):
        self.loader = loader
        self.name = name
        self.count = 0
        self.marks: dict[Path, tuple[int, int]] = {}
        self.key_marks: dict[Path, tuple[int, int]] = {}

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_YAML_NODES:
            raise ScenarioError([Problem(self.name, node.start_mark.line + 1, node.start_mark.column + 1,
                                         "(yaml)", f"more than {MAX_YAML_NODES} values (aliases expanded)")])
        self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise yaml.MarkedYAMLError(problem="a mapping key must be a plain value",
                                               problem_mark=key_node.start_mark)
                # Keys are names and stay text: YAML 1.1 would read `on:` or `no:` as a boolean.
                key = key_node.value
                check_text(key, self.error, key_node, path, "a key")
                if key in out:
                    raise ScenarioError([Problem(self.name, key_node.start_mark.line + 1,
                                                 key_node.start_mark.column + 1,
                                                 format_path((*path, key)), "duplicate key")])
                self.key_marks[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                out[key] = self.build(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: Path) -> Any:
        """The value of a scalar node; a value YAML cannot make, or binary data, is a located error."""
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # PyYAML's converters raise whatever they hit
            # `!!bool maybe` (KeyError), `!!timestamp notadate` (AttributeError), an int of
            # more than 4,300 digits (ValueError): PyYAML does not wrap these.
            tag = node.tag.rsplit(":", 1)[-1]
            raise self.error(node, path, f"{quote(node.value)} is not a valid {tag} "
                             f"({type(exc).__name__})") from None
        if isinstance(value, bytes):
            raise self.error(node, path, "binary values (!!binary) are not accepted; give text")
        if isinstance(value, str):
            check_text(value, self.error, node, path, "text")
        return value

    def error(self, node: yaml.Node, path: Path, message: str) -> ScenarioError:
        """A one-problem ScenarioError at `node`."""
        mark = node.start_mark
        return ScenarioError([Problem(self.name, mark.line + 1, mark.column + 1, format_path(path), message)])


def check_text(text: str, error: Any, node: yaml.Node, path: Path, what: str) -> None:
    """Refuse control characters other than tab and newline in `text` (a value, or `what` a key is).

    They hide or rewrite text on a terminal and in a spreadsheet, and no field needs them.
    """
    bad = _CONTROL.search(text)
    if bad is not None:
        raise error(node, path, f"control character U+{ord(bad[0]):04X} in {what}; only tab and "
                    "newline are allowed")


def _validate(doc: SourceDocument) -> Scenario:
    problems: list[Problem] = []
    scenario = _validate_variant(doc, doc.data, {}, problems)
    protocols = doc.data.get("protocols") or {}
    variants: list[tuple[str | None, Scenario, dict[Path, Path]]] = []
    warnings: list[Problem] = []
    if scenario is not None:
        variants.append((None, scenario, {}))
    for name, override in protocols.items() if isinstance(protocols, dict) else ():
        if name == BASELINE or not isinstance(override, dict) or "protocols" in override:
            continue  # reported by check_scenario, or by the schema
        # As `with_protocol` runs it: merged into the validated baseline. Uncertain values are
        # set on the baseline and the protocol applied on top: they are checked there only.
        override = {k: v for k, v in override.items() if k != "description"}
        notes = MergeNotes()
        if scenario is not None:
            merged, origins = merged_data(scenario, override, notes)
        else:  # the baseline is invalid (and reported): still report the protocol's own problems
            merged, origins = deep_merge(doc.data, override, notes=notes)
        merged.pop("uncertain", None)
        origins = {k: ("protocols", name, *v) for k, v in origins.items()}
        warnings += _replaced(doc, notes, origins, f"protocol {quote(name)}")
        variant = _validate_variant(doc, merged, origins, problems, protocol=name, added=notes.added)
        if variant is not None and scenario is not None:
            variants.append((name, variant, origins))
    for name, variant, origins in variants:  # posture levels apply at t = 0, on top of the protocol
        for i, level in enumerate(variant.posture_levels):
            if level.overrides:
                notes = MergeNotes()
                merged, level_origins = merged_data(variant, level.overrides, notes)
                merged.pop("uncertain", None)
                prefix: Path = ("posture_levels", i, "overrides")
                composed = _compose(origins, level_origins, prefix)
                warnings += _replaced(doc, notes, composed, f"posture level {level.level}")
                _validate_variant(doc, merged, composed, problems, protocol=name, posture=level.level,
                                  added=notes.added)
    if problems or scenario is None:
        raise ScenarioError(problems)
    scenario._source_text = doc.text
    scenario._warnings = list(dict.fromkeys(warnings))  # a posture level's, once for all protocols
    return scenario


def _replaced(doc: SourceDocument, notes: MergeNotes, origins: dict[Path, Path], who: str) -> list[Problem]:
    """Warnings for the lists of records an override replaced whole (it drops what it leaves out)."""
    return [doc.problem(_to_source(path, origins), f"warning: {who} replaces the whole list (items "
                        "without an id cannot merge one by one): items it does not restate are dropped")
            for path in notes.replaced]


def _compose(origins: dict[Path, Path], inner: dict[Path, Path], prefix: Path) -> dict[Path, Path]:
    """Origins in the file of a variant's variant: `inner` maps into `prefix` of the outer variant."""
    out = dict(origins)
    for path in inner:
        for key in [k for k in out if k[:len(path)] == path]:
            del out[key]  # replaced by the inner override: the outer origin no longer applies
    for path, source in inner.items():
        out[path] = _to_source((*prefix, *source), origins)
    return out


def _validate_variant(doc: SourceDocument, data: dict, origins: dict[Path, Path],
                      problems: list[Problem], protocol: str | None = None,
                      posture: int | None = None,
                      added: dict[Path, list[str]] | None = None) -> Scenario | None:
    """Validate one variant; add its problems (mapped to file positions) to `problems`.

    An item a protocol `added` under a new id that lacks required fields was most likely meant
    for an existing item: it is reported once, as an unknown id, not field by field.
    """
    suffix = f" with protocol {quote(protocol)}" if protocol is not None else ""
    suffix += f" at posture {posture}" if posture is not None else ""
    suffix = f" ({suffix.strip()})" if suffix else ""
    found: list[Problem] = []
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        located = [(error, *data_path(error, data)) for error in exc.errors()]
        # A misspelt required key is one mistake: keep "did you mean 'x'?", drop "x is missing".
        misspelt = {(*path[:-1], hint) for error, path, _ in located
                    if error["type"] == "extra_forbidden" and (hint := _hint(path))}
        unknown_ids: set[Path] = set()
        for error, path, at_key in located:
            if error["type"] == "missing" and path in misspelt:
                continue
            item = _added_item(path, added) if error["type"] == "missing" else None
            if item is not None:
                if item not in unknown_ids:
                    unknown_ids.add(item)
                    found.append(_problem(doc, _to_source((*item, "id"), origins),
                                          _unknown_id(item, data, added) + suffix, False))
                continue
            message = error_message(error, path) + suffix
            found.append(_problem(doc, _to_source(path, origins), message, at_key))
        result: Scenario | None = None
    else:
        result = scenario
        for path, message in check_scenario(scenario):
            found.append(_problem(doc, _to_source(path, origins), message + suffix, False))
    for p in found:  # a baseline error repeats in every protocol: report it once
        if p not in problems and (suffix == "" or not any(
            q.line == p.line and q.column == p.column and q.path == p.path for q in problems)):
            problems.append(p)
    return result if not found else None


def _added_item(path: Path, added: dict[Path, list[str]] | None) -> Path | None:
    """The item a protocol added that `path` lies in, if any."""
    for end in range(len(path) - 1, 0, -1):
        if added and path[:end] in added:
            return path[:end]
    return None


def _unknown_id(item: Path, data: Any, added: dict[Path, list[str]] | None) -> str:
    """"unknown opening 'x'; did you mean 'y'?" for an incomplete item a protocol added."""
    node = data
    for part in item:
        node = node[part]
    name = str(item[-2]) if len(item) > 1 else "item"
    kind = {"occupants": "occupant group", "further_fires": "fire"}.get(name, name.removesuffix("s"))
    known = (added or {}).get(item, [])
    close = difflib.get_close_matches(str(node.get("id")), known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return (f"unknown {kind} {quote(node.get('id'))}{hint} (to add a new {kind}, give all its "
            "required fields)")


def _problem(doc: SourceDocument, path: Path, message: str, at_key: bool) -> Problem:
    return doc.problem(path, message, at_key=at_key)


def _to_source(path: Path, origins: dict[Path, Path]) -> Path:
    """Map a merged-variant path to the path in the file that supplied its value."""
    for end in range(len(path), 0, -1):
        if path[:end] in origins:
            return (*origins[path[:end]], *path[end:])
    return path


def data_path(error: Mapping[str, Any], data: Any) -> tuple[Path, bool]:
    """Follow pydantic's `loc` through the data, skipping union tags it adds."""
    loc = error["loc"]
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_list or (isinstance(node, dict) and part in node):
            path.append(part)
            node = node[part]
        elif i == len(loc) - 1 and error["type"] == "missing":
            path.append(part)
    return tuple(path), error["type"] in ("extra_forbidden", "missing")


def error_message(error: Mapping[str, Any], path: Path) -> str:
    """A short message for one pydantic error at `path` (hints name scenario fields)."""
    kind = error["type"]
    if kind == "extra_forbidden":
        hint = _hint(path)
        if hint:
            return f"unknown field; did you mean '{hint}'?"
        known = _known_fields(path[:-1])
        return "unknown field" + (f"; expected one of: {', '.join(known)}" if known else "")
    if kind == "missing":
        return "required field is missing"
    if kind == "union_tag_invalid":
        return f"unknown dist; expected one of: {error['ctx']['expected_tags']}"
    if kind == "union_tag_not_found":
        return "give a number, or a mapping with 'dist' (" + ", ".join(DIST_TAGS) + ")"
    bounds = {"greater_than": ">", "greater_than_equal": "≥", "less_than": "<", "less_than_equal": "≤"}
    if kind in bounds:
        limit = next(iter(error["ctx"].values()))
        limit = f"{limit:g}" if isinstance(limit, float) else limit  # 1e+08, not 100000000.0
        return f"must be {bounds[kind]} {limit} (got {quote(error['input'])})"
    return error["msg"].removeprefix("Value error, ")


def _hint(path: Path) -> str | None:
    """The known field an unknown key at `path` was probably meant to be."""
    close = difflib.get_close_matches(str(path[-1]), _known_fields(path[:-1]), n=1)
    return close[0] if close else None


def _known_fields(path: Path) -> list[str]:
    """Field names of the model at `path`, for 'did you mean' hints (best effort)."""
    model: Any = Scenario
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return []
        model = _unwrap(model.model_fields[part].annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """The model class inside list[...] / X | None / Annotated[...], if there is exactly one."""
    while True:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = args[0]
        elif args and typing.get_origin(annotation) is not dict:
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if len(models) != 1 and len(args) != 1:
                return None
            annotation = models[0] if models else args[0]
        else:
            return annotation


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", type(None): "nothing"}.get(type(value), type(value).__name__)
