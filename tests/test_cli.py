"""The `ttxsim` command: validate, schema and run, in process and as the installed script."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

import ttxsim.sim
from ttxsim.tui import cli

LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>\S+): (?P<msg>.+)$")

VALID = """\
meta:
  name: Small room
venue:
  zones:
    - {id: room, x_m: 0, y_m: 0, width_m: 10, depth_m: 10}
  openings:
    - {id: door, between: [room, outside], width_m: 1.0, at_m: [10, 5]}
population:
  occupants:
    - {zone: room, count: 50}
  premovement_s: {dist: lognormal, median: 30, sigma: 0.5}
protocols:
  wide_door:
    venue:
      openings:
        - {id: door, width_m: 2.0}
"""

BROKEN = {
    "bad_width.yaml": (VALID.replace("width_m: 1.0", "width_m: -1"), 7,
                       "venue.openings[0].width_m"),
    "unknown_key.yaml": (VALID.replace("  name: Small room", "  name: Small room\n  horizn_s: 1"),
                         3, "meta.horizn_s"),
    "syntax.yaml": (VALID.replace("[room, outside]", "[room, outside"), 7, "(yaml)"),
    "empty.yaml": ("", 1, "(root)"),
    "binary.yaml": (b"\x00\x01\x02", 1, "(file)"),
    "list.yaml": ("- a\n- b\n", 1, "(root)"),
    "bad_protocol.yaml": (VALID.replace("width_m: 2.0", "width_m: -2.0"), 16,
                          "protocols.wide_door.venue.openings[0].width_m"),
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str):
    return runner.invoke(cli.cli, [str(a) for a in args], prog_name="ttxsim")


def assert_one_located_line(stderr: str, file: Path, line: int, path: str) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    match = LOCATED.match(lines[0])
    assert match, lines[0]
    assert match["file"] == str(file)
    assert int(match["line"]) == line
    assert match["path"] == path
    assert "Traceback" not in stderr


# --- validate ------------------------------------------------------------------------------

def test_validate_valid_file(runner, write_yaml):
    path = write_yaml(VALID)
    result = invoke(runner, "validate", path)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{path}: ok (1 zone, 1 opening, 50 occupants, protocols: baseline, wide_door)\n"
    )
    assert result.stderr == ""


def test_validate_counts_plural(runner, make_scenario_data, write_yaml):
    data = make_scenario_data(
        venue={"zones": [{"id": "room", "x_m": -20, "width_m": 30},  # 300 m² for 1,000 people
                         {"id": "hall", "x_m": 10, "y_m": 0, "width_m": 10, "depth_m": 10}],
               "openings": [{"id": "door", "at_m": [-20, 5]},
                            {"id": "inner", "between": ["room", "hall"], "width_m": 2.0},
                            {"id": "exit", "between": ["hall", "outside"], "width_m": 2.0,
                             "at_m": [20, 5]}]},
        population={"occupants": [{"zone": "room", "count": 1000}, {"zone": "hall", "count": 1}],
                    "premovement_s": 10},
    )
    result = invoke(runner, "validate", write_yaml(data))
    assert result.exit_code == 0, result.output
    assert "(2 zones, 3 openings, 1,001 occupants, protocols: baseline)" in result.stdout


@pytest.mark.parametrize("name", list(BROKEN))
def test_validate_broken_file(name, runner, write_yaml):
    text, line, field = BROKEN[name]
    path = write_yaml(text, name=name)
    result = invoke(runner, "validate", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert_one_located_line(result.stderr, path, line, field)
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_validate_missing_file(runner, tmp_path):
    path = tmp_path / "missing.yaml"
    result = invoke(runner, "validate", path)
    assert result.exit_code == 2
    assert result.stderr == f"{path}:1:1: (file): No such file or directory\n"


def test_validate_directory(runner, tmp_path):
    result = invoke(runner, "validate", tmp_path)
    assert result.exit_code == 2
    assert_one_located_line(result.stderr, tmp_path, 1, "(file)")


def test_validate_many_files_reports_each(runner, write_yaml, tmp_path):
    good = write_yaml(VALID, name="good.yaml")
    bad = write_yaml(BROKEN["bad_width.yaml"][0], name="bad.yaml")
    result = invoke(runner, "validate", good, bad, tmp_path / "gone.yaml", good)
    assert result.exit_code == 2
    assert result.stdout.count(f"{good}: ok") == 2
    assert [LOCATED.match(x)["file"] for x in result.stderr.splitlines()] == [
        str(bad), str(tmp_path / "gone.yaml")]


def test_validate_all_valid_files(runner, write_yaml):
    paths = [write_yaml(VALID, name=f"s{i}.yaml") for i in range(3)]
    result = invoke(runner, "validate", *paths)
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 3


def test_validate_without_files_is_a_usage_error(runner):
    result = invoke(runner, "validate")
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_validate_unexpected_error_is_one_line(runner, write_yaml, monkeypatch):
    import ttxsim.sim.scenario as scenario

    def boom(path):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(scenario, "load_scenario", boom)
    path = write_yaml(VALID)
    result = invoke(runner, "validate", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:1:1: (internal): RuntimeError: kaboom")
    assert len(result.stderr.splitlines()) == 1


# --- help and schema -----------------------------------------------------------------------

def test_help(runner):
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    for command in ("validate", "schema", "run"):
        assert command in result.output
    assert invoke(runner).exit_code in (0, 2)  # no command: the help (click ≥ 8.2 exits 2)


@pytest.mark.parametrize("command", ["validate", "schema", "run"])
def test_command_help(command, runner):
    result = invoke(runner, command, "--help")
    assert result.exit_code == 0
    assert f"Usage: ttxsim {command}" in result.output


def test_schema_is_json_with_the_sections(runner):
    result = invoke(runner, "schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["title"] == "ttxsim scenario"
    assert {"meta", "venue", "population"} <= set(schema["properties"])
    assert "venue" in schema["properties"]
    assert set(schema["required"]) >= {"meta", "venue", "population"}
    assert schema["additionalProperties"] is False


# --- run -----------------------------------------------------------------------------------

FAKE_RESULT = {
    "scenario": "Small room",
    "protocol": "baseline",
    "seed": 7,
    "occupants": 50,
    "evacuated": 50,
    "remaining": 0,
    "rset_s": 754.2,
    "t50_s": 61.0,
    "t95_s": 3725.0,
    "openings": {
        "door": {"passed": 20, "peak_queue": 12, "first_pass_s": 31.5, "last_pass_s": 90.0,
                 "state": "open"},
        "big_exit": {"passed": 30, "peak_queue": 3, "first_pass_s": 25.0, "last_pass_s": 80.0,
                     "state": "open"},
        "locked_door": {"passed": 0, "peak_queue": 0, "first_pass_s": None, "last_pass_s": None,
                        "state": "locked"},
    },
    "zones": {"room": {"initial": 50, "peak_occupancy": 50, "final": 0, "cleared_s": 754.2}},
    "events_count": 321,
    "curve": {"dt_s": 1.0, "safe": [0, 10, 50]},
}


class FakeSimulation:
    """Stands in for ttxsim.sim.Simulation with the API the lead described."""

    calls: ClassVar[list] = []
    decisions: ClassVar[list] = []

    def __init__(self, scenario, protocol=None, seed=0, decisions=()):
        FakeSimulation.calls.append((scenario, protocol, seed))
        FakeSimulation.decisions.append(list(decisions))
        self.ran = False

    def run(self):
        self.ran = True

    def result(self):
        assert self.ran
        data = dict(FAKE_RESULT)
        data["protocol"] = FakeSimulation.calls[-1][1] or "baseline"
        data["seed"] = FakeSimulation.calls[-1][2]

        class Result:
            def to_dict(self):
                return data

        return Result()


def fake_run_with_decisions(scenario, decisions, *, protocol=None, seed=0, guard=None, skip_failed=False):
    """Stands in for the decisions' player: the fake engine, handed the decisions as (time, action)."""
    sim = FakeSimulation(scenario, protocol, seed, [(d.t, d.action) for d in decisions])
    sim.run()
    return sim.result(), None


@pytest.fixture
def fake_engine(monkeypatch):
    from ttxsim.sim import decision_play

    FakeSimulation.calls = []
    FakeSimulation.decisions = []
    monkeypatch.setattr(ttxsim.sim, "Simulation", FakeSimulation, raising=False)
    monkeypatch.setattr(decision_play, "run_with_decisions", fake_run_with_decisions)
    return FakeSimulation


def test_run_json_with_fake_engine(runner, write_yaml, fake_engine):
    path = write_yaml(VALID)
    result = invoke(runner, "run", path, "--protocol", "wide_door", "--seed", "7", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # exactly one JSON object, nothing else
    assert data["protocol"] == "wide_door" and data["seed"] == 7
    scenario, protocol, seed = fake_engine.calls[0]
    assert (protocol, seed) == ("wide_door", 7)
    assert scenario.protocol_names == ["baseline", "wide_door"]


def test_run_summary_with_fake_engine(runner, write_yaml, fake_engine):
    path = write_yaml(VALID)
    result = invoke(runner, "run", path)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Small room" in out and "protocol baseline" in out and "seed 0" in out
    assert fake_engine.calls[0][1:] == (None, 0)
    assert "754.2 s (12:34)" in out  # RSET in seconds and m:ss
    assert "61.0 s (1:01)" in out
    assert "3,725.0 s (1:02:05)" in out  # an hour or more: h:mm:ss
    # openings sorted by people passed
    assert out.index("big_exit") < out.index("door") < out.index("locked_door")
    for header in ("Key figures", "Openings", "Zones", "peak queue", "cleared at"):
        assert header in out
    assert "321 events" in out


def test_run_unknown_protocol(runner, write_yaml, fake_engine):
    path = write_yaml(VALID)
    result = invoke(runner, "run", path, "--protocol", "nope")
    assert result.exit_code == 2
    assert result.stderr == (f"{path}: --protocol: unknown protocol 'nope'; "
                             "this scenario has: baseline, wide_door\n")
    assert fake_engine.calls == []


def test_run_invalid_file(runner, write_yaml, fake_engine):
    text, line, field = BROKEN["bad_width.yaml"]
    path = write_yaml(text)
    result = invoke(runner, "run", path, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert_one_located_line(result.stderr, path, line, field)
    assert fake_engine.calls == []


def test_run_negative_seed_is_a_usage_error(runner, write_yaml, fake_engine):
    result = invoke(runner, "run", write_yaml(VALID), "--seed", "-1")
    assert result.exit_code == 2
    assert fake_engine.calls == []


needs_engine = pytest.mark.skipif(not hasattr(ttxsim.sim, "Simulation"),
                                  reason="ttxsim.sim.Simulation does not exist yet")

RESULT_KEYS = {"scenario", "protocol", "seed", "occupants", "evacuated", "remaining", "rset_s",
               "t50_s", "t95_s", "openings", "zones", "events_count", "curve"}


@needs_engine
def test_run_json_with_the_engine(runner, write_yaml):
    path = write_yaml(VALID)
    result = invoke(runner, "run", path, "--seed", "3", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= RESULT_KEYS
    assert data["scenario"] == "Small room" and data["seed"] == 3
    assert data["occupants"] == 50
    assert data["evacuated"] + data["remaining"] == data["occupants"]
    assert set(data["openings"]) == {"door"} and set(data["zones"]) == {"room"}
    again = invoke(runner, "run", path, "--seed", "3", "--json")
    assert again.stdout == result.stdout  # same seed, same results


@needs_engine
def test_run_summary_with_the_engine(runner, write_yaml):
    result = invoke(runner, "run", write_yaml(VALID), "--protocol", "wide_door")
    assert result.exit_code == 0, result.output
    assert "protocol wide_door" in result.stdout
    assert "RSET" in result.stdout


# --- run --decisions ----------------------------------------------------------------------

TWO_DOORS = """\
meta: {name: Two doors}
venue:
  zones:
    - {id: room, x_m: 0, y_m: 0, width_m: 20, depth_m: 10}
  openings:
    - {id: main, between: [room, outside], width_m: 0.8, at_m: [20, 5]}
    - {id: side, between: [room, outside], width_m: 1.6, at_m: [0, 5], state: locked,
       signed_exit: false}
population:
  occupants:
    - {zone: room, count: 200}
  premovement_s: {dist: uniform, low: 0, high: 120}
"""
"""One room, a narrow open exit and a wide locked one that nobody heads for while locked."""

OPEN_SIDE = "# staff unlock the side exit\n- {t: 30, action: open_openings, ids: [side]}\n"

DECISIONS = """\
- {t: "T+02:00", action: lock_openings, ids: [door]}
- {t: 30, action: open_openings, ids: [door]}
"""


def test_run_decisions_reach_the_engine(runner, write_yaml, fake_engine):
    from ttxsim.sim.actions import LockOpenings, OpenOpenings

    path = write_yaml(VALID)
    decisions = write_yaml(DECISIONS, name="decisions.yaml")
    result = invoke(runner, "run", path, "--decisions", decisions, "--json")
    assert result.exit_code == 0, result.output
    assert fake_engine.decisions == [[
        (30.0, OpenOpenings(action="open_openings", ids=["door"])),
        (120.0, LockOpenings(action="lock_openings", ids=["door"])),
    ]]
    data = json.loads(result.stdout)
    assert data["decisions"] == [{"t": 30.0, "action": "open_openings", "ids": ["door"]},
                                 {"t": 120.0, "action": "lock_openings", "ids": ["door"]}]


def test_run_without_decisions(runner, write_yaml, fake_engine):
    result = invoke(runner, "run", write_yaml(VALID), "--json")
    assert result.exit_code == 0, result.output
    assert fake_engine.decisions == [[]]
    assert json.loads(result.stdout)["decisions"] == []


def test_run_summary_lists_decisions(runner, write_yaml, fake_engine):
    decisions = write_yaml(DECISIONS, name="decisions.yaml")
    result = invoke(runner, "run", write_yaml(VALID), "--decisions", decisions)
    assert result.exit_code == 0, result.output
    assert "Decisions" in result.stdout
    assert "open_openings (ids: door)" in result.stdout and "2:00" in result.stdout


def test_run_json_decisions_file(runner, write_yaml, fake_engine):
    decisions = write_yaml('[{"t": "T+00:30", "action": "announce", "quality": "poor"}]',
                           name="decisions.json")
    result = invoke(runner, "run", write_yaml(VALID), "--decisions", decisions, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["decisions"] == [
        {"t": 30.0, "action": "announce", "quality": "poor"}]


BAD_DECISIONS = {
    # name: (text, line, path)
    "unknown_action": ("- {t: 30, action: open_openings, ids: [door]}\n- {t: 60, action: panic}\n",
                       2, "[1].action"),
    "bad_time": ("- {t: soon, action: announce}\n", 1, "[0].t"),
    "unknown_opening": ("- {t: 30, action: open_openings, ids: [door]}\n"
                        "- {t: 60, action: lock_openings, ids: [gate]}\n", 2, "[1].ids[0]"),
    "after_horizon": ("- {t: 99999, action: announce}\n", 1, "[0].t"),
    "not_a_list": ("{t: 30, action: announce}\n", 1, "(root)"),
    "empty": ("", 1, "(root)"),
}


@pytest.mark.parametrize("name", list(BAD_DECISIONS))
def test_run_bad_decisions_file(name, runner, write_yaml, fake_engine):
    text, line, field = BAD_DECISIONS[name]
    decisions = write_yaml(text, name=f"{name}.yaml")
    result = invoke(runner, "run", write_yaml(VALID), "--decisions", decisions, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert_one_located_line(result.stderr, decisions, line, field)
    assert fake_engine.calls == []


def test_run_decisions_checked_against_the_protocol(runner, write_yaml, fake_engine):
    """Openings a protocol adds exist for its decisions, not for the baseline's."""
    scenario = VALID + """\
  second_exit:
    venue:
      openings:
        - {id: exit2, between: [room, outside], width_m: 1.0, at_m: [0, 5]}
"""
    path = write_yaml(scenario)
    decisions = write_yaml("- {t: 10, action: open_openings, ids: [exit2]}\n", name="d.yaml")
    ok = invoke(runner, "run", path, "--protocol", "second_exit", "--decisions", decisions, "--json")
    assert ok.exit_code == 0, ok.output
    bad = invoke(runner, "run", path, "--decisions", decisions, "--json")
    assert bad.exit_code == 2
    assert_one_located_line(bad.stderr, decisions, 1, "[0].ids[0]")


def test_run_missing_decisions_file(runner, write_yaml, tmp_path, fake_engine):
    gone = tmp_path / "gone.yaml"
    result = invoke(runner, "run", write_yaml(VALID), "--decisions", gone)
    assert result.exit_code == 2
    assert result.stderr == f"{gone}:1:1: (file): No such file or directory\n"


def _rset(runner, scenario, *extra):
    result = invoke(runner, "run", scenario, "--seed", "5", "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stdout


@needs_engine
def test_run_decision_opening_a_locked_exit_speeds_the_evacuation(runner, write_yaml):
    scenario = write_yaml(TWO_DOORS)
    decisions = write_yaml(OPEN_SIDE, name="open_side.yaml")
    without, _ = _rset(runner, scenario)
    with_decision, _ = _rset(runner, scenario, "--decisions", decisions)
    assert without["evacuated"] == with_decision["evacuated"] == 200
    assert without["openings"]["side"]["passed"] == 0
    assert with_decision["openings"]["side"]["passed"] > 0
    assert with_decision["rset_s"] < without["rset_s"]
    assert without["decisions"] == []
    assert with_decision["decisions"] == [{"t": 30.0, "action": "open_openings", "ids": ["side"]}]


@needs_engine
def test_run_decisions_replay_identically(runner, write_yaml):
    scenario = write_yaml(TWO_DOORS)
    decisions = write_yaml(OPEN_SIDE, name="open_side.yaml")
    _, first = _rset(runner, scenario, "--decisions", decisions)
    _, second = _rset(runner, scenario, "--decisions", decisions)
    assert first == second
    # the decisions printed in the result replay the same run
    replay = write_yaml(json.dumps(json.loads(first)["decisions"]), name="replay.json")
    _, third = _rset(runner, scenario, "--decisions", replay)
    assert third == first


# --- the installed script ------------------------------------------------------------------

def test_installed_script(write_yaml, tmp_path):
    script = Path(sys.executable).parent / "ttxsim"
    if not script.exists():
        pytest.skip(f"no {script}: the package is not installed in this environment")
    good = write_yaml(VALID, name="good.yaml")
    ok = subprocess.run([script, "validate", good], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith(f"{good}: ok (")

    for name, (text, line, field) in BROKEN.items():
        path = write_yaml(text, name=name)
        bad = subprocess.run([script, "validate", path], capture_output=True, text=True,
                             timeout=60)
        assert bad.returncode == 2, (name, bad.stderr)
        assert bad.stdout == ""
        assert_one_located_line(bad.stderr, path, line, field)

    decisions = write_yaml("- {t: 30, action: open_openings, ids: [door]}\n- {t: x, action: announce}\n",
                           name="decisions.yaml")
    bad = subprocess.run([script, "run", good, "--decisions", decisions], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2, bad.stderr
    assert bad.stdout == ""
    assert_one_located_line(bad.stderr, decisions, 2, "[1].t")

    schema = subprocess.run([script, "schema"], capture_output=True, text=True, timeout=60)
    assert schema.returncode == 0
    assert "venue" in json.loads(schema.stdout)["properties"]
