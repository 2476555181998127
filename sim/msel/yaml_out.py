"""Imported injects as the `injects:` section of a scenario file, in YAML a person can edit.

`ttxsim msel import` writes this: keys in the scenario format's field order and multi-line
text (notes, messages) as `|` blocks, so the file reads like one written by hand.
"""

from __future__ import annotations

from typing import Any

__all__ = ["dump_injects_yaml"]

_UNICODE_BREAKS = "\x85\u2028\u2029"
"""Line breaks to YAML besides CR and LF: NEL, line and paragraph separators."""


def dump_injects_yaml(injects: list[dict[str, Any]], comment: str | None = None) -> str:
    """`injects:` as readable YAML: keys in field order, multi-line text as `|` blocks."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        if any(c in value for c in _UNICODE_BREAKS):
            style = '"'  # PyYAML writes these raw in other styles, and reads them back as spaces
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    body = yaml.dump({"injects": injects}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    header = "".join(f"# {line}\n" for line in comment.splitlines()) if comment else ""
    return header + body
