"""The command line against hostile input (issue 12): one located line and exit 2, or a correct run.

Every command that reads a scenario (validate, run, batch, exercise, msel export) and the
decisions file of `run` must end in `FILE:LINE:COL: field.path: message` lines and status 2,
never a traceback or an "(internal) ... bug in ttxsim" line.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from ttxsim.tui import cli

LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>\S+): (?P<msg>.+)$")

VALID = """\
meta:
  name: Small room
venue:
  zones:
    - {id: room, x_m: 0, y_m: 0, width_m: 10, depth_m: 10}
    - {id: office, x_m: 10, y_m: 0, width_m: 5, depth_m: 10, lockable: true}
  openings:
    - {id: door, between: [room, outside], width_m: 1.0, at_m: [0, 5]}
    - {id: office_door, between: [room, office], width_m: 1.0}
population:
  occupants:
    - {zone: room, count: 50}
  premovement_s: 0
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str):
    return runner.invoke(cli.cli, [str(a) for a in args], prog_name="ttxsim")


UNMAKEABLE = {
    "control character": VALID.replace("  name: Small room", '  name: "a\\x01b"'),
    "!!bool maybe": VALID + "incident: !!bool maybe\n",
    "!!timestamp notadate": VALID + "incident: !!timestamp notadate\n",
}


@pytest.mark.parametrize("command", [["validate"], ["run"], ["batch", "-n", "2"], ["exercise"],
                                     ["msel", "export", "-o", "out.csv"]],
                         ids=["validate", "run", "batch", "exercise", "msel export"])
@pytest.mark.parametrize("case", list(UNMAKEABLE))
def test_a_value_yaml_cannot_make_is_one_located_line_in_every_command(case, command, runner, write_yaml,
                                                                       tmp_path):
    path = write_yaml(UNMAKEABLE[case])
    args = [a.replace("out.csv", str(tmp_path / "out.csv")) for a in command]
    result = invoke(runner, *args, path)
    assert result.exit_code == 2, result.output
    [line] = result.output.splitlines()
    assert LOCATED.match(line), line
    assert "internal" not in line and "Traceback" not in line


TYPE_CHANGE = VALID + """\
protocols:
  slow:
    population:
      premovement_s: {dist: uniform, low: 10, high: 20}
"""


def test_a_protocol_that_changes_a_fields_type_runs(runner, write_yaml, tmp_path):
    # It validated, then `run -p` and `batch --all-protocols` failed with a ValidationError.
    path = write_yaml(TYPE_CHANGE)
    result = invoke(runner, "run", "-p", "slow", "--json", path)
    assert result.exit_code == 0, result.output
    result = invoke(runner, "batch", "-n", "1", "-w", "1", "--all-protocols",
                    "--store", tmp_path / "runs.sqlite", path)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("decision", "path"), [
    ("{t: T-1d, action: raise_posture, level: 7}", "[0].level"),
    ("{t: T-1d, action: forward_warning, to: nobody}", "[0].to"),
    ("{t: 5, action: order_shelter, zones: [room]}", "[0].zones[0]"),
], ids=["unknown posture level", "unknown agency", "not lockable"])
def test_run_refuses_a_decision_that_cannot_apply_before_it_starts(decision, path, runner, write_yaml):
    scenario = write_yaml(VALID)
    decisions = write_yaml(f"- {decision}\n", name="decisions.yaml")
    result = invoke(runner, "run", scenario, "--decisions", decisions)
    assert result.exit_code == 2, result.output
    [line] = result.output.splitlines()
    match = LOCATED.match(line)
    assert match and match["file"] == str(decisions) and match["path"] == path, line


def test_run_locates_a_decision_that_fails_during_the_run(runner, write_yaml):
    # Valid against the file, but the posture raised before the event makes the office unlockable.
    scenario = write_yaml(VALID + """\
posture_levels:
  - level: 1
    name: locked down
    overrides:
      venue:
        zones:
          - {id: office, lockable: false}
""")
    decisions = write_yaml("- {t: T-1d, action: raise_posture, level: 1}\n"
                           "- {t: 5, action: order_shelter, zones: [office]}\n", name="decisions.yaml")
    result = invoke(runner, "run", scenario, "--decisions", decisions)
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [f"{decisions}:2:3: [1]: not lockable: 'office'"]
