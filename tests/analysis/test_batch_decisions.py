"""`ttxsim batch --decisions`: a session's decisions over many futures, kept apart in the store."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ttxsim.analysis import METRICS, ResultsStore, make_record
from ttxsim.analysis.report import write_report
from ttxsim.sim.decisions import load_decisions_file
from ttxsim.tui.cli import cli
from ttxsim.tui.session import ExerciseSession

REFERENCE = Path(__file__).resolve().parents[2] / "scenarios" / "concert_hall.yaml"


def test_the_first_future_of_a_sessions_decisions_is_the_sessions_own_result(tmp_path):
    """Played to T+2:00 with the exits opened at T−2d and an evacuation called when the inject came."""
    journal, decisions, store = tmp_path / "j.jsonl", tmp_path / "d.yaml", tmp_path / "s.sqlite"
    session = ExerciseSession.start(REFERENCE, seed=3, journal_path=journal)
    picks = {"CH-09": "open_all", "CH-04": "standby", "CH-16": "evacuate"}
    while session.now < 120 and not session.finished:
        session.next_inject()
        for state in session.pending_decisions():
            session.choose(state.inject.id, picks.get(state.inject.id, state.inject.decision.default))
    session.apply({"action": "announce", "quality": "clear"})  # the facilitator's own
    own = make_record(session.final_result(), protocol="x", replication=0, seed=3, wall_s=0)
    session.close()

    runner = CliRunner()
    exported = runner.invoke(cli, ["journal", "decisions", str(journal), "--out", str(decisions)])
    assert exported.exit_code == 0, exported.output
    read = load_decisions_file(decisions)
    assert (read.protocol, read.seed) == ("baseline", 3)
    assert {d.by for d in read.decisions} == {"players", "facilitator"}  # defaults: tests/tui
    assert any(d.inject == "CH-09" and d.option == "open_all" for d in read.decisions)

    ran = runner.invoke(cli, ["batch", str(REFERENCE), "--decisions", str(decisions), "--runs", "1",
                              "--workers", "1", "--store", str(store)])
    assert ran.exit_code == 0, ran.output
    with ResultsStore(store, read_only=True) as results:
        (label,) = results.decision_sets()
        assert label.startswith("baseline+d-")
        first = results.runs(label)[0]
        plain = results.runs("baseline")[0]
    assert first["seed"] == plain["seed"] == 3  # replication 0 runs on the session's seed, for both
    assert {m: first[m] for m in METRICS} == {m: own[m] for m in METRICS}


SMALL = {
    "meta": {"name": "Two doors", "horizon_s": 1200,
             "description": "A room with a main door and a locked side door."},
    "venue": {"zones": [{"id": "room", "kind": "room", "x_m": 0, "y_m": 0, "width_m": 12, "depth_m": 10}],
              "openings": [{"id": "door", "between": ["room", "outside"], "width_m": 1.0, "at_m": [12, 5]},
                           {"id": "side", "between": ["room", "outside"], "width_m": 1.0, "at_m": [0, 5],
                            "state": "locked"}]},
    "population": {"occupants": [{"zone": "room", "count": 40}],
                   "premovement_s": {"dist": "lognormal", "median": 30, "sigma": 0.5}},
    "protocols": {"wide": {"description": "A wider main door.",
                           "venue": {"openings": [{"id": "door", "width_m": 2.0}]}},
                  "unused": {"description": "Never run here.",
                             "venue": {"openings": [{"id": "door", "width_m": 1.5}]}}},
}


@pytest.fixture
def small(tmp_path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(SMALL, sort_keys=False), encoding="utf-8")
    return path


def _decisions(tmp_path: Path, name: str, t: float, seed: int | None = None) -> Path:
    path = tmp_path / name
    head = f"seed: {seed}\n" if seed is not None else ""
    item = f"{{t: {t}, action: open_openings, ids: [side], by: facilitator}}"
    path.write_text(f"{head}decisions:\n  - {item}\n", encoding="utf-8")
    return path


def test_different_decisions_are_stored_apart_and_described(small, tmp_path):
    early, late = _decisions(tmp_path, "d.yaml", 10), _decisions(tmp_path / "..", "d.yaml", 300)
    store, runner = tmp_path / "s.sqlite", CliRunner()
    for path in (early, late, early):  # the same file again adds nothing
        result = runner.invoke(cli, ["batch", str(small), "--decisions", str(path), "--runs", "2", "-w", "1",
                                     "--store", str(store)])
        assert result.exit_code == 0, result.output
    with ResultsStore(store, read_only=True) as results:
        sets = results.decision_sets()
        protocols = results.experiment()["protocols"]
        assert results.count() == 2 * 3
        assert results.first_seed() is None  # no session's seed named: seeds as any batch's
    assert len(sets) == 2 and protocols[0] == "baseline" and set(protocols[1:]) == set(sets)
    assert all(s["description"].startswith("the 1 decision(s) of d.yaml") for s in sets.values())
    table = runner.invoke(cli, ["compare", "--store", str(store)])
    assert all(label in table.output for label in sets)

    with ResultsStore(store, read_only=True) as results:
        text = write_report(results, tmp_path / "r.md").read_text(encoding="utf-8")
    assert text.startswith("# Protocol comparison: Two doors")
    assert "After-action" not in text and "after-action report" in text  # says what it is not
    assert "**wide**: A wider main door." in text and "**unused**: Never run here." in text
    assert all(f"**{label}**: the 1 decision(s) of d.yaml" in text for label in sets)


def test_a_sessions_seed_runs_replication_zero_or_is_refused(small, tmp_path):
    store, runner = tmp_path / "s.sqlite", CliRunner()
    seeded = _decisions(tmp_path, "d.yaml", 10, seed=7)
    result = runner.invoke(cli, ["batch", str(small), "--decisions", str(seeded), "-p", "wide", "--runs", "2",
                                 "-w", "1", "--store", str(store)])
    assert result.exit_code == 0, result.output
    with ResultsStore(store, read_only=True) as results:
        assert results.first_seed() == 7
        assert {r["seed"] for r in results.runs() if r["replication"] == 0} == {7}
        assert len({r["seed"] for r in results.runs() if r["replication"] == 1}) == 1
    more = runner.invoke(cli, ["batch", str(small), "-p", "baseline", "--runs", "1", "-w", "1",
                               "--store", str(store)])  # a protocol added later keeps the pairs
    assert more.exit_code == 0, more.output
    with ResultsStore(store, read_only=True) as results:
        assert results.runs("baseline")[0]["seed"] == 7
    other = _decisions(tmp_path, "e.yaml", 20, seed=8)
    refused = runner.invoke(cli, ["batch", str(small), "--decisions", str(other), "--runs", "1", "-w", "1",
                                  "--store", str(store)])
    assert refused.exit_code == 2 and "replication 0 of its runs used seed 7" in refused.output
    both = runner.invoke(cli, ["batch", str(small), "--decisions", str(seeded), "--decisions", str(other),
                               "--runs", "1", "--store", str(tmp_path / "t.sqlite")])
    assert both.exit_code == 2 and "different seeds" in both.output


def test_a_bad_decisions_file_is_located_before_any_run(small, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("decisions:\n  - {t: 10, action: open_openings, ids: [gate]}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["batch", str(small), "--decisions", str(bad), "--runs", "1",
                                      "--store", str(tmp_path / "s.sqlite")])
    assert result.exit_code == 2 and "bad.yaml:2:" in result.output and "decisions[0].ids[0]" in result.output
    assert not (tmp_path / "s.sqlite").exists()
