"""MSEL cells: how a text or list is written in one CSV cell, and read back exactly.

People edit MSELs by hand, so the import reads a cell leniently: surrounding spaces are
dropped, line breaks become LF, and a list cell is split into items at line breaks and `;`,
without bullets (`- `, `•`, `1.`). The export must survive that reading and a spreadsheet:
a cell that Excel would run as a formula (CSV injection: one starting with `=`, `+`, `-`,
`@`, tab or CR) is defused with a leading `'`. The same `'` marks every cell that the
lenient reading would change (leading or trailing spaces, a CR, a `;` in a list item, a
leading `'` of the text itself): the import reads a cell that starts with `'` followed by
exactly what the export would have marked as the text after that `'`, verbatim. So an
export then import gives back every text unchanged, and a hand-written cell such as
`'quoted'` keeps its quote, since the export never writes it that way.

The one thing a list cell cannot carry is a line break inside an item: items are lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["FORMULA_START", "quote_cell", "read_list", "read_text", "write_list", "write_text"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these would run as a spreadsheet formula (CSV injection), so
the export puts a `'` before it and the import takes that `'` off again."""

_MARK = "'"
_BULLET = re.compile(r"^\s*(?:[-•*·▪‣◦]|\d{1,2}[.)])\s+")


def write_text(text: str) -> str:
    """`text` as a cell: with a leading `'` if a spreadsheet or `read_text` would change it."""
    return _MARK + text if _needs_mark(text, _plain_text(text) != text) else text


def read_text(cell: str) -> str:
    """The text of a cell: `write_text`'s marked cells verbatim, others stripped, line breaks LF."""
    rest = cell[1:]
    if cell.startswith(_MARK) and _needs_mark(rest, _plain_text(rest) != rest):
        return rest
    return _plain_text(cell)


def write_list(items: Sequence[str]) -> str:
    """Items as a cell, one a line; with a leading `'` if `read_list` would change them.

    An item with a line break in it reads back as two items: lines are what separate items.
    """
    cell = "\n".join(items)
    return _MARK + cell if _needs_mark(cell, _plain_list(cell) != list(items)) else cell


def read_list(cell: str) -> list[str]:
    """The items of a cell: `write_list`'s marked cells one a line, verbatim; others split leniently."""
    rest = cell[1:]
    if cell.startswith(_MARK):
        items = rest.split("\n")
        if _needs_mark(rest, _plain_list(rest) != items):
            return items
    return _plain_list(cell)


def quote_cell(text: str) -> str:
    """A cell's text quoted for a one-line message: as written, cut (saying so) if very long."""
    if len(text) <= 80:
        return repr(text)
    return f"{text[:60]!r}... ({len(text):,} characters)"


def _needs_mark(cell: str, changed_by_reading: bool) -> bool:
    return cell.startswith(FORMULA_START) or cell.startswith(_MARK) or changed_by_reading


def _plain_text(cell: str) -> str:
    """The lenient reading of a hand-written cell."""
    return cell.replace("\r\n", "\n").replace("\r", "\n").strip()


def _plain_list(cell: str) -> list[str]:
    """Cell lines or `;`-separated parts, without bullets and blanks."""
    items = []
    for part in re.split(r"[\n;]", _plain_text(cell)):
        part = _BULLET.sub("", part).strip()
        if part:
            items.append(part)
    return items
