"""Reading and writing an MSEL sheet's rows as a spreadsheet would (UTF-8 with BOM, CRLF)."""

from __future__ import annotations

import csv
import io
from pathlib import Path


def sheet_rows(path: Path) -> list[dict[str, str]]:
    """The sheet's rows by column name."""
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """Write rows back as a spreadsheet saves CSV: a byte-order mark and CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
