"""A saved MSEL spreadsheet as records: its text encoding, its delimiter, its cells.

Spreadsheets save "CSV" in several ways: comma, semicolon (where the decimal separator is a
comma) or tab separated; UTF-8 with or without Excel's byte-order mark, UTF-16 ("Unicode
text") or Windows-1252 ("CSV (Comma delimited)" on Windows). This module finds out which and
returns the records with the line each starts on, so an import can locate every problem.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
from collections import Counter
from pathlib import Path

from ..scenario.errors import Problem, ScenarioError
from ..scenario.limits import MAX_FILE_BYTES

__all__ = ["read_records"]


def read_records(path: str | os.PathLike, name: str) -> list[tuple[int, list[str]]]:
    """Every record of the sheet at `path` with the line it starts on (the first line is 1).

    Args:
        path: The CSV file.
        name: The file's name in problems (as the user wrote it).

    Raises:
        ScenarioError: If the file is missing, too large, not text or not CSV, located at
            `name:LINE:1`.
    """
    text = _read_text(path, name)
    return _records(text, name)


def _read_text(path: str | os.PathLike, name: str) -> str:
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError([Problem(name, 1, 1, "(file)",
                                         f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")])
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ScenarioError([Problem(name, 1, 1, "(file)", exc.strerror or str(exc))]) from None
    except ValueError as exc:  # a path no file can have, such as one with a NUL character
        raise ScenarioError([Problem(name, 1, 1, "(file)", f"cannot be opened: {exc}")]) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ScenarioError([Problem(name, 1, 1, "(file)", "not valid UTF-16 text")]) from None
    if b"\0" in data:
        raise ScenarioError([Problem(name, 1, 1, "(file)", "not a text file (it contains NUL bytes)")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # Excel's "CSV (Comma delimited)" on Windows
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError([Problem(name, line, 1, "(file)", "not UTF-8 (or Windows-1252) text")]) from None


def _sniff(text: str) -> str:
    """The delimiter among comma, semicolon and tab that gives the most regular table."""
    best, best_score = ",", None
    for delimiter in ",;\t":
        try:
            sample = itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 50)
            rows = [r for r in sample if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if not rows:
            continue
        width, count = Counter(len(r) for r in rows).most_common(1)[0]
        score = (width > 1, count / len(rows), width)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


def _records(text: str, name: str) -> list[tuple[int, list[str]]]:
    """Every record with the line it starts on, its cells as written (`cells` reads them).

    The reader is strict about quotes: a cell such as `"Hello" she said` or a quote that is
    never closed would otherwise be read silently changed (quotes dropped, or the rest of
    the file swallowed into one cell), so each is a located problem instead.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff(text), strict=True)
    records = []
    line = 1
    try:
        for cells in reader:
            records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ScenarioError([Problem(name, line, 1, "(csv)", _csv_message(str(exc)))]) from None
    return records


def _csv_message(message: str) -> str:
    """The csv module's complaint in the words of someone editing a spreadsheet."""
    if "expected after" in message:
        return ("a quoted cell has text after its closing quote; quote the whole cell and double "
                'the quotes inside it ("""Hello"" she said")')
    if "unexpected end of data" in message:
        return "a quoted cell is not closed: its quote runs to the end of the file"
    if "field larger than field limit" in message:
        return f"a cell is longer than {csv.field_size_limit():,} characters"
    return message
