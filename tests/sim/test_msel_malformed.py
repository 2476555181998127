"""Malformed MSEL sheets: each ends as located problems (ScenarioError) or as a correct import.

Issue 12: whatever the bytes, `import_msel` raises nothing but `ScenarioError`, whose every
problem is one `FILE:LINE:COL: path: message` line, and `ttxsim msel import` exits 2 without
a traceback, leaving the output file as it was.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ttxsim.sim.msel import import_msel
from ttxsim.sim.scenario import ScenarioError
from ttxsim.sim.scenario.limits import MAX_FILE_BYTES
from ttxsim.tui.cli import cli

START = datetime(2024, 3, 22, 19, 59)
HEADER = b"Event Number,Time,To,Message\r\n"
GOOD = HEADER + b"1,T+0:01,Control,Go\r\n10a,20:12,Stewards,\"Open, all doors\"\r\n"


def problems_of(tmp_path: Path, data: bytes, **kwargs) -> list[tuple[int, int, str, str]]:
    path = tmp_path / "msel.csv"
    path.write_bytes(data)
    with pytest.raises(ScenarioError) as info:
        import_msel(path, **kwargs)
    for problem in info.value.problems:
        assert problem.file == str(path) and "\n" not in str(problem)
    return [(p.line, p.column, p.path, p.message) for p in info.value.problems]


@pytest.mark.parametrize(("data", "expected"), [
    (HEADER + b"1,T+1m,A,caf\x81\x8d\r\n", (2, 1, "(file)", "not UTF-8 (or Windows-1252) text")),
    (b"\xff\xfe" + "Event Number,Time".encode("utf-16-le") + b"\x00",
     (1, 1, "(file)", "not valid UTF-16 text")),
    (HEADER + b"1,T+1m,A,x\x00y\r\n", (1, 1, "(file)", "not a text file (it contains NUL bytes)")),
    (HEADER + b"1,T+1m,A," + b"x" * 200_000 + b"\r\n",
     (2, 1, "(csv)", "a cell is longer than 131,072 characters")),
    (HEADER + b'1,T+1m,A,"never closed\r\n2,T+2m,A,y\r\n',
     (2, 1, "(csv)", "a quoted cell is not closed: its quote runs to the end of the file")),
    (HEADER + b'1,T+1m,A,"Hello" she said\r\n',
     (2, 1, "(csv)", "a quoted cell has text after its closing quote; quote the whole cell and double "
                     'the quotes inside it ("""Hello"" she said")')),
    (b"", (1, 1, "(file)", "no rows; expected a header row and injects")),
    (b"\xef\xbb\xbf \r\n\r\n", (1, 1, "(file)", "no rows; expected a header row and injects")),
    (HEADER, (1, 1, "(file)", "no injects: no rows under the header (is this the right sheet?)")),
    (HEADER + b"1,9999-12-31 23:59 -12:00,A,x\r\n",
     (2, 2, "injects[0].at",
      "column \"Time\": '9999-12-31 23:59 -12:00' is out of range: dates must fall in the years 1 to 9999")),
], ids=["encoding", "utf16", "nul", "huge-cell", "unclosed-quote", "text-after-quote", "empty", "blank",
        "header-only", "overflow"])
def test_malformed_sheets_are_located(tmp_path: Path, data: bytes, expected: tuple):
    assert problems_of(tmp_path, data, event_start=START) == [expected]


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path):
    data = HEADER + b"1,T+1m,A,x\r\n" * (MAX_FILE_BYTES // 12 + 1)
    (line, column, path, message), = problems_of(tmp_path, data)
    assert (line, column, path) == (1, 1, "(file)") and "the limit is" in message


def test_a_header_without_the_needed_columns_is_located(tmp_path: Path):
    located = problems_of(tmp_path, b"1,T+1m,Control,Go\r\n")
    assert [(line, path) for line, _, path, _ in located] == [(1, "(header)")] * 3


def test_duplicate_columns_keep_the_first_and_note_the_other(tmp_path: Path):
    path = tmp_path / "msel.csv"
    path.write_bytes(b"Event Number,Time,To,Message,Message\r\n1,T+1m,A,first,second\r\n")
    assert import_msel(path) == [{"id": "1", "at": "T+00:01:00", "to": "A", "message": "first",
                                  "notes": "Message: second"}]


def test_ragged_rows_short_ones_located_long_ones_noted(tmp_path: Path):
    assert problems_of(tmp_path, HEADER + b"1,T+1m\r\n") == [
        (2, 3, "injects[0].to", 'column "To": empty; every inject needs the recipient (To)'),
        (2, 4, "injects[0].message", 'column "Message": empty; every inject needs the message'),
    ]
    path = tmp_path / "long.csv"
    path.write_bytes(HEADER + b"1,T+1m,A,B,extra\r\n")
    assert import_msel(path)[0]["notes"] == "Column 5: extra"


def test_a_path_no_file_can_have_is_located(tmp_path: Path):
    with pytest.raises(ScenarioError, match=r"\(file\): cannot be opened"):
        import_msel(str(tmp_path / "x\0y.csv"))
    with pytest.raises(ScenarioError, match=r"\(file\): "):
        import_msel(tmp_path)  # a directory


PIECES = st.binary(max_size=6) | st.sampled_from([
    b'"', b",", b"\r\n", b"\n", b"\r", b";", b"\t", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"'", b"=",
    b"Message,", b"Time", b"\xe9", b"99999-", b"T-7d ", b"9999-12-31 23:59 -12:00"])
"""What a fuzzer splices into a good sheet: random bytes and the ones CSV and times care about."""


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150,
          deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(GOOD)), st.integers(0, 4), PIECES), max_size=4))
def test_mutated_sheets_give_injects_or_located_problems_only(tmp_path: Path, edits):
    data = bytearray(GOOD)
    for at, cut, insert in edits:
        data[at:at + cut] = insert
    path = tmp_path / "fuzz.csv"
    path.write_bytes(bytes(data))
    for start in (None, START):
        try:
            import_msel(path, event_start=start)
        except ScenarioError as exc:
            assert exc.problems
            for problem in exc.problems:
                assert re.fullmatch(rf"{re.escape(str(path))}:\d+:\d+: \S+: [^\n]+", str(problem))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60,
          deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_give_injects_or_located_problems_only(tmp_path: Path, data: bytes):
    path = tmp_path / "any.csv"
    path.write_bytes(data)
    try:
        import_msel(path, event_start=START)
    except ScenarioError as exc:
        assert all(p.file == str(path) for p in exc.problems)


def test_the_cli_prints_located_lines_exits_2_and_keeps_the_output(tmp_path: Path):
    sheet = tmp_path / "msel.csv"
    sheet.write_bytes(HEADER + b"1,9999-12-31 23:59 -12:00,A,x\r\n2,T-7d 10:00,A,y\r\n")
    out = tmp_path / "injects.yaml"
    out.write_text("injects: []  # curated by hand\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["msel", "import", str(sheet), "--out", str(out),
                                      "--start", "2024-03-22T19:59"], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{sheet}:2:2: injects[0].at: column \"Time\": '9999-12-31 23:59 -12:00' is out of range: dates "
        "must fall in the years 1 to 9999"]
    assert "Traceback" not in result.output
    assert out.read_text(encoding="utf-8") == "injects: []  # curated by hand\n"
    sheet.write_bytes(HEADER + b"2,T-7d 10:00,A,y\r\n")
    result = CliRunner().invoke(cli, ["msel", "import", str(sheet), "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{sheet}:2:2: injects[0].at: column \"Time\": 'T-7d 10:00' names a "
                                    "day or a time of day, so it needs the event start")
    assert out.read_text(encoding="utf-8") == "injects: []  # curated by hand\n"
    result = CliRunner().invoke(cli, ["msel", "import", str(sheet), "--out", str(out),
                                      "--start", "2024-03-22T19:59"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "at: T-177:59:00" in out.read_text(encoding="utf-8")
