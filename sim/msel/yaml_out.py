"""Imported injects as the `injects:` section of a scenario file, in YAML a person can edit.

`ttxsim msel import` writes this: keys in the scenario format's field order and multi-line
text (notes, messages) as `|` blocks, so the file reads like one written by hand.
"""

from __future__ import annotations

from typing import Any

__all__ = ["dump_inject_items", "dump_injects_yaml"]

_UNICODE_BREAKS = "\x85\u2028\u2029"
"""Line breaks to YAML besides CR and LF: NEL, line and paragraph separators."""


def dump_injects_yaml(injects: list[dict[str, Any]], comment: str | None = None) -> str:
    """`injects:` as readable YAML: keys in field order, multi-line text as `|` blocks."""
    import yaml

    body = yaml.dump({"injects": injects}, Dumper=_dumper(indent_lists=False), sort_keys=False,
                     allow_unicode=True, width=100)
    header = "".join(f"# {line}\n" for line in comment.splitlines()) if comment else ""
    return header + body


def dump_inject_items(data: list[dict[str, Any]] | dict[str, Any]) -> str:
    """Injects as a YAML sequence (`- id: ...`), or fields of one as a mapping; lists indented.

    Lists inside are indented as the shipped scenarios write them, and whole seconds are
    written without `.0`. Written by PyYAML, which also reads scenarios: it quotes what YAML
    1.1 would read as something else (an option id `no`, an inject id `12`), as a YAML 1.2
    writer would not.
    """
    import yaml

    return yaml.dump(data, Dumper=_dumper(indent_lists=True), sort_keys=False, allow_unicode=True,
                     width=100)


def _dumper(*, indent_lists: bool) -> type:
    import yaml

    class _Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            return super().increase_indent(flow, indentless and not indent_lists)

    def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        if any(c in value for c in _UNICODE_BREAKS):
            style = '"'  # PyYAML writes these raw in other styles, and reads them back as spaces
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def _float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
        if value.is_integer() and abs(value) < 2**53:
            return dumper.represent_int(int(value))
        return dumper.represent_float(value)

    _Dumper.add_representer(str, _str)
    if indent_lists:
        _Dumper.add_representer(float, _float)
    return _Dumper
