"""The exercise journal: nothing lost on a full disk or a crash, edits named, one reader for both commands."""

from __future__ import annotations

import errno
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ttxsim.tui import cli, cli_exercise, journal
from ttxsim.tui.journal_read import JournalError, read_journal
from ttxsim.tui.session import ExerciseSession, JournalFailed, SessionError

REFERENCE = Path(__file__).parents[2] / "scenarios" / "concert_hall.yaml"


def _facts(session: ExerciseSession) -> tuple:
    return (session.clock(), [(s.inject.id, s.delivered_s, s.choice, s.chosen_by) for s in session.injects],
            [n.text for n in session.notes], session.state().safe, len(session.commands))


def _disk_full_after(monkeypatch, written: int = 7) -> None:
    """From now on every journal write puts `written` bytes on disk, then fails as a full disk does."""

    def write_some(fd: int, data: bytes) -> None:
        journal.os.write(fd, data[:written])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(journal, "_write_all", write_some)


# -- a full disk ------------------------------------------------------------------------------


def test_a_full_disk_stops_the_session_keeps_it_whole_and_it_goes_on_elsewhere(tmp_path, monkeypatch):
    path, elsewhere = tmp_path / "j.jsonl", tmp_path / "other" / "j2.jsonl"
    elsewhere.parent.mkdir()
    session = ExerciseSession.start(REFERENCE, seed=1, journal_path=path)
    session.next_inject()
    session.next_inject()
    on_disk = path.read_bytes()
    with monkeypatch.context() as m:
        _disk_full_after(m)
        with pytest.raises(JournalFailed, match=r"No space left on device.*nothing is lost"):
            session.next_inject()
        assert path.read_bytes() == on_disk, "the half-written line is cut back off"
        assert session.inject("CH-03").delivered_s is not None, "the command itself took effect"
        with pytest.raises(JournalFailed, match="No command is taken"):
            session.note("not now")
        with pytest.raises(SessionError, match="cannot create: No space left"):
            session.move_journal(tmp_path / "same-full-disk.jsonl")
        assert not (tmp_path / "same-full-disk.jsonl").exists()
    resumable = ExerciseSession.replay(path)  # the old file: whole up to the failed command
    assert resumable.inject("CH-02").delivered_s is not None and resumable.inject("CH-03").delivered_s is None
    session.move_journal(elsewhere)
    session.note("after the move")
    before = _facts(session)
    session.close()
    assert elsewhere.read_bytes().startswith(on_disk), "copied whole, from what was written"
    resumed = ExerciseSession.resume(REFERENCE, elsewhere)
    assert _facts(resumed) == before
    resumed.close()


def test_a_failed_first_write_leaves_no_file(tmp_path, monkeypatch):
    path = tmp_path / "j.jsonl"
    _disk_full_after(monkeypatch, written=100)
    with pytest.raises(SessionError, match="cannot create: No space left on device"):
        ExerciseSession.start(REFERENCE, journal_path=path)
    assert list(tmp_path.iterdir()) == [], "neither the journal nor its temporary file is left"


def test_journal_on_a_full_disk_is_exit_2_and_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(cli_exercise, "has_terminal", lambda: True)
    _disk_full_after(monkeypatch)
    path = tmp_path / "j.jsonl"
    result = CliRunner().invoke(cli.cli, ["exercise", str(REFERENCE), "--journal", str(path)])
    assert result.exit_code == 2 and "No space left on device" in result.output
    assert not path.exists()


# -- a crash at any byte ----------------------------------------------------------------------


def test_a_crash_at_any_byte_resumes_to_the_last_whole_command(tmp_path):
    """Every cut from the header's end on; inside the 75 kB header (put in place whole by a link, so a
    crash cannot tear it) every 97th byte, which is all refused the same way."""
    path = tmp_path / "j.jsonl"
    session = ExerciseSession.start(REFERENCE, seed=1, journal_path=path)
    facts = [_facts(session)]
    for command in (session.next_inject, session.next_inject, lambda: session.choose("CH-02", "forward"),
                    lambda: session.run_to(-14 * 86400 + 1, stop_at_injects=False),
                    lambda: session.note("[/b] a note")):
        command()
        facts.append(_facts(session))
    session.close()
    data = path.read_bytes()
    ends = [i + 1 for i, byte in enumerate(data) if byte == ord("\n")]
    assert len(ends) == len(facts), "one line per command, consequences included"
    assert any("recs" in json.loads(line) for line in data.splitlines()[1:])
    replayed: dict[int, tuple] = {}
    cut = tmp_path / "cut.jsonl"
    offsets = sorted({*range(0, ends[0] - 64, 97), *range(ends[0] - 64, len(data) + 1)})
    for offset in offsets:
        cut.write_bytes(data[:offset])
        whole = sum(end <= offset for end in ends) + (offset in (end - 1 for end in ends))
        if whole == 0:
            refused = r"cut.jsonl(:1)?: (empty file|the header line is incomplete)"
            with pytest.raises(JournalError, match=refused):
                read_journal(cut)
            continue
        contents = read_journal(cut)
        assert len(contents.entries) == whole - 1, offset
        if whole not in replayed:  # replaying depends only on the whole lines, checked above
            replayed[whole] = _facts(ExerciseSession.replay(cut))
            assert replayed[whole] == facts[whole - 1]
            resumed = ExerciseSession.resume(REFERENCE, cut)  # cuts off the torn part, goes on
            assert _facts(resumed)[:4] == facts[whole - 1][:4]
            resumed.note("after the crash")
            resumed.close()
            assert ExerciseSession.replay(cut).notes[-1].text == "after the crash"
    assert sorted(replayed) == list(range(1, len(facts) + 1))


# -- --resume and report --journal agree --------------------------------------------------------


def _made(tmp_path: Path) -> Path:
    path = tmp_path / "j.jsonl"
    session = ExerciseSession.start(REFERENCE, seed=1, journal_path=path)
    session.next_inject()
    session.rate("OBJ-1", "Intelligence and Information Sharing", "S")
    session.note("a note")
    session.close()
    return path


def _rewrite(path: Path, number: int, change) -> None:
    """Change line `number` and re-seal the chain from there, as a careful forger would not bother to."""
    lines = path.read_bytes().splitlines()
    entries = [json.loads(line) for line in lines]
    for entry in entries:
        entry.pop("chain", None)
    change(entries[number - 1])
    chain, out = "", []
    for entry in entries:
        line, chain = journal.encode(entry, chain)
        out.append(line)
    path.write_bytes(b"".join(out))


def _both(path: Path, tmp_path: Path) -> list:
    runner = CliRunner()
    return [runner.invoke(cli.cli, ["exercise", str(REFERENCE), "--resume", str(path)]),
            runner.invoke(cli.cli, ["report", "--journal", str(path), "--out", str(tmp_path / "aar.md"),
                                    "--futures", "0"])]


def _text_edit(header: dict) -> None:
    header["scenario_text"] = header["scenario_text"].replace("horizon_s: 3600", "horizon_s: 3700")


@pytest.mark.parametrize(("number", "change", "message"), [
    (1, lambda h: h.update(seed=-1), ":1: header.seed: -1 is negative"),
    (1, _text_edit, ":1: the scenario text does not match its sha256"),
    (3, lambda e: e.update(objective=None, rating=None), ":3: rate: `objective` is null, not a string"),
    (3, lambda e: e.update(objective="OBJ-99"), ":3: cannot replay this step (no objective 'OBJ-99'"),
    (4, lambda e: e.update(text=5), ":4: note: `text` is 5, not a string"),
    (4, lambda e: e.update(cmd="explode"), ":4: unknown command 'explode'"),
    (2, lambda e: e["recs"][0].update(inject="CH-09"), ":2: replaying the journal does not give the same"),
])
def test_resume_and_report_refuse_the_same_damage_with_its_line(tmp_path, monkeypatch, number, change,
                                                                message):
    monkeypatch.setattr(cli_exercise, "has_terminal", lambda: True)
    path = _made(tmp_path)
    _rewrite(path, number, change)
    kept = path.read_bytes()
    for result in _both(path, tmp_path):
        assert result.exit_code == 2, result.output
        assert f"{path}{message}" in result.output and "Traceback" not in result.output
    assert path.read_bytes() == kept, "a refused journal is never modified"
    assert not (tmp_path / "aar.md").exists()


def test_an_edited_line_is_named_by_the_chain(tmp_path, monkeypatch):
    monkeypatch.setattr(cli_exercise, "has_terminal", lambda: True)
    path = _made(tmp_path)
    lines = path.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b'"rating":"S"', b'"rating":"P"')
    path.write_bytes(b"".join(lines))
    for result in _both(path, tmp_path):
        assert result.exit_code == 2
        assert f"{path}:3: this line was changed after it was written" in result.output
    lines[2] = lines[2].replace(b'"rating":"P"', b'"rating":"S"')
    lines[3] = lines[3].replace(b',"chain":', b',"chainz":')
    path.write_bytes(b"".join(lines))
    with pytest.raises(JournalError, match=r":4: this line has lost its chain value"):
        read_journal(path)


def test_a_format_1_journal_still_resumes_and_reports_with_a_note(tmp_path, monkeypatch):
    """Real exercise records from before the chain stay readable (one line per command and record)."""
    text = REFERENCE.read_text(encoding="utf-8")
    header = {"format": "ttxsim-exercise-journal", "version": 1, "scenario_path": str(REFERENCE),
              "scenario_sha256": hashlib.sha256(text.encode()).hexdigest(), "scenario_text": text,
              "protocol": "baseline", "seed": 1, "started": "2026-11-01T10:00:00+00:00", "ttxsim": "0.9"}
    fresh = ExerciseSession.start(REFERENCE, seed=1, journal_path=tmp_path / "new.jsonl")
    fresh.next_inject()
    command = dict(fresh.commands[0])
    fresh.close()
    old = [header, *command.pop("recs"), command, {"cmd": "note", "text": "old note", "inject": None, "t": 0}]
    path, edited = tmp_path / "old.jsonl", tmp_path / "edited.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in old), encoding="utf-8")
    lines = path.read_bytes().splitlines()
    edited.write_bytes(b"\n".join([lines[0], lines[1].replace(b'"CH-01"', b'"CH-02"'), *lines[2:]]) + b"\n")
    with pytest.raises(SessionError, match=r"edited.jsonl:2: replaying the journal does not give the same"):
        ExerciseSession.replay(edited)
    report = CliRunner().invoke(cli.cli, ["report", "--journal", str(path), "--out", str(tmp_path / "a.md"),
                                          "--futures", "0"])
    assert report.exit_code == 0 and "before edit detection" in report.output
    resumed = ExerciseSession.resume(REFERENCE, path)
    assert resumed.notes[0].text == "old note" and "format 1" in resumed.notices[0]
    resumed.note("new note")
    resumed.close()
    assert ExerciseSession.replay(path).notes[-1].text == "new note"
    lines = path.read_bytes().splitlines()  # the chain, from the resume on, covers the old lines too
    path.write_bytes(b"\n".join([lines[0], b" " + lines[1], *lines[2:]]) + b"\n")
    with pytest.raises(SessionError, match=r"old.jsonl:5: this line was changed after it was written"):
        ExerciseSession.replay(path)


def test_random_damage_is_refused_with_a_line_number_and_the_file_kept(tmp_path, monkeypatch):
    """Bytes changed, lines dropped, doubled or swapped: exit 0 or 2 (with `:line:`), never a traceback."""
    import random

    from ttxsim.tui import app

    class NoScreen:  # a journal that resumes opens no screen here
        return_code = 0

        def run(self):
            return []

    monkeypatch.setattr(cli_exercise, "has_terminal", lambda: True)
    monkeypatch.setattr(app, "make_app", lambda session: NoScreen())

    rng = random.Random(12)
    good = _made(tmp_path).read_bytes()
    lines = good.splitlines(keepends=True)
    damaged = [b"[" * 100_000 + b"\n", lines[0] + lines[2], lines[0] + lines[1] + lines[1],
               lines[0] + lines[2] + lines[1], b"".join(lines[:2]) + b"\xff\xfe\n",
               good.replace(b"{", b"[", 3), good[:-1] + b"x"]
    for _ in range(12):
        at = rng.randrange(len(lines[0]) - 200, len(good))
        damaged.append(good[:at] + bytes([rng.randrange(256)]) + good[at + 1:])
    path = tmp_path / "d.jsonl"
    for data in damaged:
        path.write_bytes(data)
        for result in _both(path, tmp_path):
            assert result.exit_code in (0, 2) and "Traceback" not in result.output, result.output
            if result.exit_code == 2:
                assert f"{path}:" in result.output and path.read_bytes() == data, result.output
        (tmp_path / "aar.md").unlink(missing_ok=True)
