"""MSEL spreadsheets: the shipped scenarios' exported MSELs, mutated, then `ttxsim msel import`.

The bases are `ttxsim msel export` of the theatre and the concert hall. A case mutates the
sheet's rows (ragged rows, huge cells, odd times, formula-like cells, lost or doubled
columns, control characters, a thousand rows) and how it is saved (delimiter, encoding, NUL
bytes, unbalanced quotes, line ends, truncation). The import must exit 0 and write YAML that
reads back, or exit 2 with located messages and write nothing: an existing output file is
left as it was and no temporary file is left behind.
"""

from __future__ import annotations

import csv
import io
import random
import tempfile
from functools import cache
from pathlib import Path

import yaml

from ttxsim.sim import load_scenario
from ttxsim.sim.msel import export_msel

from . import mutate as m
from .cases import Case
from .check import FILE_CHANGED, Failure, Outcome, invoke
from .scenarios import ROOT

BASES = ("scenarios/theatre.yaml", "scenarios/concert_hall.yaml")

ODD_TIMES = (
    "T+0:15",
    "T-7d 10:00",
    "9999-12-31 23:59 -12:00",
    "0001-01-01 00:00",
    "2024-02-30 10:00",
    "2024-03-22 25:00",
    "13/13/2024 10:00",
    "3/4/2024 10:00",
    "Day 999 10:00",
    "Day -999 10:00",
    "D+1 7:55 PM",
    "on first_detection + 00:02:00",
    "on nothing",
    "on first_detection - 5m",
    "on first_detection + forever",
    "T+99999999999h",
    "T+1e400",
    "T-inf",
    "nan",
    "45m",
    "99999999d",
    "00:04:00",
    "0:04",
    "1h30m",
    "+ 00:09:00",
    "−00:05:00",
    "T+",
    "",
    " ",
    "Day 0",
    "2024-03-22T19:55+25:00",
    "2024-03-22 19:55 Z",
    "12:00 PM",
    "00:00:00.000000000000001",
    "T+00:00:60",
    "T+\x00",
    "T+00:04:00\n2",
    "=NOW()",
    "9" * 5000,
    "2024-03-22 19:55:99.9",
    "32/01/2024 10:00",
    "1/1/24 10:00",
    "1/1/0000 10:00",
)
"""Time cells, ordinary and odd."""

FORMULAS = (
    "=1+1",
    "=cmd|' /C calc'!A0",
    "+1",
    "-1",
    "@SUM(A1)",
    "'=already quoted",
    "\t=tab",
    "\r=cr",
    '=HYPERLINK("http://x","y")',
    "''=double",
    "'",
    "=",
    "@",
)
"""Cells that a spreadsheet would run as formulas."""


@cache
def base_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """A shipped scenario's MSEL, as exported, read back into rows."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "msel.csv"
        export_msel(load_scenario(ROOT / name).injects, out)
        text = out.read_text(encoding="utf-8-sig")
    return tuple(tuple(row) for row in csv.reader(io.StringIO(text, newline="")))


def make_case(number: int) -> Case:
    """MSEL case `number`: a mutated exported MSEL."""
    rng = random.Random(f"msel:{number}")
    base = rng.choice(BASES)
    rows = [list(row) for row in base_rows(base)]
    names, notes = [], []
    for _ in range(1 if rng.random() < 0.7 else rng.randint(2, 3)):
        op = rng.choice(ROW_OPS)
        notes.append(op(rng, rows))
        names.append(op.__name__.strip("_"))
    delimiter = rng.choice([",", ",", ",", ";", "\t"])
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator=rng.choice(["\r\n", "\r\n", "\n"])).writerows(rows)
    text = buffer.getvalue()
    content = ("\ufeff" + text).encode("utf-8", "surrogatepass")
    if rng.random() < 0.35:
        op = rng.choice(BYTE_OPS)
        content, note = op(rng, text)
        names.append(op.__name__.strip("_"))
        notes.append(note)
    options = rng.choice([[], [], ["--start", "2024-03-22T19:59"], ["--scenario", base]])
    existing = rng.random() < 0.5
    files = {f"msel-{number:04d}.csv": content}
    if existing:
        files["injects.yaml"] = b"# the previous import\ninjects: []\n"
    description = (
        f"{base} (delimiter {delimiter!r}{', ' + ' '.join(options) if options else ''}"
        f"{', output exists' if existing else ''}): " + "; ".join(notes)
    )
    return Case("msel", number, "+".join(names), description, files, tuple(options))


def check(case: Case, directory: Path) -> Outcome:
    """`ttxsim msel import F --out injects.yaml` exits 0 with YAML written, or 2 writing nothing."""
    outcome = Outcome()
    sheet = next(name for name in case.files if name.endswith(".csv"))
    out = directory / "injects.yaml"
    before = out.read_bytes() if out.exists() else None
    options = [str(ROOT / o) if o.endswith(".yaml") else o for o in case.options]
    ran = invoke(outcome, ["msel", "import", str(directory / sheet), "--out", str(out), *options])
    shown = outcome.commands[-1]
    leftovers = sorted(p.name for p in directory.iterdir() if p.name not in (*case.files, "injects.yaml"))
    if leftovers:
        outcome.failures.append(Failure(FILE_CHANGED, shown, f"files left behind: {', '.join(leftovers)}"))
    if ran is None:
        return outcome
    after = out.read_bytes() if out.exists() else None
    if ran.status != 0 and after != before:
        outcome.failures.append(
            Failure(FILE_CHANGED, shown, f"exit {ran.status}, yet the output was written")
        )
    if ran.status == 0:
        try:
            data = yaml.safe_load(after or b"")
        except yaml.YAMLError as exc:
            outcome.failures.append(
                Failure(FILE_CHANGED, shown, f"the written YAML does not read back: {exc}")
            )
        else:
            if not isinstance(data, dict) or not isinstance(data.get("injects"), list):
                outcome.failures.append(Failure(FILE_CHANGED, shown, "the written YAML has no injects list"))
    return outcome


# -- row operators -------------------------------------------------------------------------------


def _cell(rng: random.Random, rows: list[list[str]], *, body: bool = True) -> tuple[int, int] | None:
    cells = [(r, c) for r, row in enumerate(rows) if r > 0 or not body for c in range(len(row))]
    return rng.choice(cells) if cells else None


def _time_column(rows: list[list[str]]) -> int:
    header = rows[0] if rows else []
    return next((i for i, name in enumerate(header) if "time" in name.lower()), 1)


def _odd_time(rng: random.Random, rows: list[list[str]]) -> str:
    r = rng.randrange(1, len(rows)) if len(rows) > 1 else 0
    col = _time_column(rows)
    value = rng.choice(ODD_TIMES)
    while len(rows[r]) <= col:
        rows[r].append("")
    rows[r][col] = value
    return f"row {r + 1} time = {m.show(value)}"


def _formula(rng: random.Random, rows: list[list[str]]) -> str:
    spot = _cell(rng, rows)
    if spot is None:
        return "no cell"
    r, c = spot
    rows[r][c] = rng.choice(FORMULAS) + rng.choice(["", rows[r][c]])
    return f"row {r + 1} column {c + 1} = {m.show(rows[r][c])}"


def _ragged(rng: random.Random, rows: list[list[str]]) -> str:
    r = rng.randrange(len(rows))
    if rng.random() < 0.5 and rows[r]:
        cut = rng.randrange(len(rows[r]))
        rows[r] = rows[r][:cut]
        return f"row {r + 1} cut to {cut} cells"
    extra = rng.choice([1, 5, 1000])
    rows[r] += ["extra"] * extra
    return f"row {r + 1} given {extra} more cells"


def _huge_cell(rng: random.Random, rows: list[list[str]]) -> str:
    spot = _cell(rng, rows, body=rng.random() < 0.8)
    if spot is None:
        return "no cell"
    r, c = spot
    size = rng.choice([10_000, 1_000_000, 7_000_000])
    rows[r][c] = "ab" * (size // 2)
    return f"row {r + 1} column {c + 1}: a {size:,}-character cell"


def _markup(rng: random.Random, rows: list[list[str]]) -> str:
    spot = _cell(rng, rows, body=rng.random() < 0.8)
    if spot is None:
        return "no cell"
    r, c = spot
    rows[r][c] = rng.choice([rows[r][c] + rng.choice(m.MARKUP), rng.choice(m.MARKUP)])
    return f"row {r + 1} column {c + 1} = {m.show(rows[r][c])}"


def _header(rng: random.Random, rows: list[list[str]]) -> str:
    if not rows or not rows[0]:
        return "no header"
    choice = rng.choice(["drop", "rename", "duplicate", "delete_row", "blank", "title_rows"])
    header = rows[0]
    if choice == "drop":
        c = rng.randrange(len(header))
        for row in rows:
            if c < len(row):
                del row[c]
        return f"column {c + 1} removed"
    if choice == "rename":
        c = rng.randrange(len(header))
        header[c] = rng.choice(["", "Time", "ID", "#", "Message (1)", "Event Number", "\x00", "[b]To"])
        return f"column {c + 1} renamed {header[c]!r}"
    if choice == "duplicate":
        c = rng.randrange(len(header))
        for row in rows:
            if c < len(row):
                row.insert(c, row[c])
        return f"column {c + 1} doubled"
    if choice == "delete_row":
        del rows[0]
        return "header removed"
    if choice == "blank":
        rows[0] = [""] * len(header)
        return "header blanked"
    rows[:0] = [["Exercise MSEL"], [], ["Version 2", "draft"]] * rng.choice([1, 5])
    return "title rows above the header"


def _rows(rng: random.Random, rows: list[list[str]]) -> str:
    choice = rng.choice(["many", "duplicate_id", "empty", "only_header", "blank_rows"])
    if choice == "many":
        body = rows[1:] or [[]]
        count = rng.choice([999, 1001, 3000])
        rows[1:] = [
            [f"X{i}", *row[1:]] for i, row in zip(range(count), body * (count // len(body) + 1), strict=False)
        ]
        return f"{count} rows"
    if choice == "duplicate_id" and len(rows) > 1:
        rows.append(list(rows[1]))
        return "row 2 repeated (a duplicate id)"
    if choice == "empty":
        rows.clear()
        return "no rows at all"
    if choice == "only_header":
        del rows[1:]
        return "only the header"
    rows[1:1] = [[], [""] * 3, [" "]]
    return "blank rows after the header"


ROW_OPS = [
    _odd_time,
    _odd_time,
    _odd_time,
    _formula,
    _formula,
    _ragged,
    _huge_cell,
    _markup,
    _header,
    _header,
    _rows,
]


# -- byte operators (how the sheet is saved) -----------------------------------------------------


def _encoding(rng: random.Random, text: str) -> tuple[bytes, str]:
    choice = rng.choice(
        [
            "utf-16",
            "utf-16-le",
            "utf-16-be-bom",
            "cp1252",
            "latin-1 0x81",
            "bad utf-8",
            "utf-16 odd length",
            "utf-32",
        ]
    )
    text = text + "é,–,“x”\n"
    if choice == "utf-16":
        return text.encode("utf-16", "surrogatepass"), "saved as UTF-16"
    if choice == "utf-16-le":
        return text.encode("utf-16-le", "surrogatepass"), "saved as UTF-16 without a byte-order mark"
    if choice == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be", "surrogatepass"), "saved as UTF-16 big-endian"
    if choice == "cp1252":
        return text.encode("cp1252", "replace"), "saved as Windows-1252"
    if choice == "latin-1 0x81":
        return text.encode("utf-8", "surrogatepass") + b"\x81\x8d\x8f\x90\x9d\n", "bytes 0x81.. (not cp1252)"
    if choice == "bad utf-8":
        return text.encode("utf-8", "surrogatepass") + b"\xc3\x28\xff\n", "invalid UTF-8 at the end"
    if choice == "utf-16 odd length":
        return text.encode("utf-16", "surrogatepass")[:-1], "UTF-16 cut mid-character"
    return text.encode("utf-32"), "saved as UTF-32"


def _nul(rng: random.Random, text: str) -> tuple[bytes, str]:
    data = text.encode("utf-8", "surrogatepass")
    at = rng.randrange(len(data) + 1)
    return data[:at] + b"\0" + data[at:], f"a NUL byte at offset {at}"


def _quotes(rng: random.Random, text: str) -> tuple[bytes, str]:
    text, at = m.insert_raw(rng, text, rng.choice(['"', '"x"y', "\r", "\x00".replace("\x00", '"\n"')]))
    return text.encode("utf-8", "surrogatepass"), f"a stray quote at offset {at}"


def _truncate(rng: random.Random, text: str) -> tuple[bytes, str]:
    data = text.encode("utf-8", "surrogatepass")
    at = rng.randrange(len(data) + 1)
    return data[:at], f"truncated at byte {at} of {len(data)}"


def _line_ends(rng: random.Random, text: str) -> tuple[bytes, str]:
    choice = rng.choice(["\r", "\n\n", "\r\r\n", "\u2028"])
    return text.replace("\r\n", "\n").replace("\n", choice).encode(
        "utf-8", "surrogatepass"
    ), f"line ends {choice!r}"


def _bom_only(rng: random.Random, text: str) -> tuple[bytes, str]:
    data = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"", b"\n\n\n", b",,,\n,,,\n"])
    return data, f"file is just {data!r}"


BYTE_OPS = [_encoding, _encoding, _nul, _quotes, _truncate, _line_ends, _bom_only]
