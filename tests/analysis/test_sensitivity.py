"""Global sensitivity analysis: a door width that drives RSET and a room height that cannot.

Without a fire, a zone's height only enters the smoke model, so it provably has no effect
on RSET: its indices must come out near zero, the door width's large.
"""

from __future__ import annotations

import json

import matplotlib.image
import pytest
from click.testing import CliRunner

from ttxsim.analysis.sensitivity import SensitivityResult, sensitivity
from ttxsim.tui.cli import cli

SCENARIO = """\
meta: {name: Sensitivity room, horizon_s: 1200}
venue:
  zones: [{id: room, kind: room, x_m: 0, y_m: 0, width_m: 12, depth_m: 12, height_m: 3}]
  openings: [{id: door, between: [room, outside], width_m: 1.0, at_m: [12, 6]}]
population:
  occupants: [{zone: room, count: 100}]
  premovement_s: {dist: lognormal, median: 10, sigma: 0.3}
"""

UNCERTAIN = """\
uncertain:
  - {name: door_width, path: "venue.openings[door].width_m", low: 0.6, high: 2.0}
  - {name: room_height, path: "venue.zones[room].height_m", low: 2.5, high: 6.0}
"""


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "room.yaml"
    path.write_text(SCENARIO + UNCERTAIN)
    return path


@pytest.fixture(scope="module")
def sobol_result(tmp_path_factory) -> SensitivityResult:
    path = tmp_path_factory.mktemp("sobol") / "room.yaml"
    path.write_text(SCENARIO + UNCERTAIN)
    return sensitivity(path, method="sobol", runs=48, workers=2, progress=False)


def test_sobol_ranks_the_door_width_first_and_the_inert_height_near_zero(sobol_result):
    assert sobol_result.runs == 64 and sobol_result.evaluations == 64 * 4
    assert any("rounded up to 64" in note for note in sobol_result.notes)
    rset = sobol_result.indices["rset_s"]
    assert sobol_result.ranking("rset_s") == ["door_width", "room_height"]
    assert rset["door_width"]["ST"] > 0.5
    assert rset["room_height"]["ST"] < 0.05
    assert rset["door_width"]["ST"] > 10 * rset["room_height"]["ST"]
    # Nobody is harmed in any run: no variance, indices undefined, and the notes say so.
    assert rset["door_width"]["S1"] is not None
    assert all(v is None for v in sobol_result.indices["harmed_total"]["door_width"].values())
    assert any("harmed_total" in note and "undefined" in note for note in sobol_result.notes)


def test_table_and_json(sobol_result):
    rows = sobol_result.table()
    pairs = [(r["output"], r["parameter"]) for r in rows]
    assert pairs[:2] == [("rset_s", "door_width"), ("rset_s", "room_height")]
    assert set(rows[0]) == {"output", "parameter", "S1", "S1_conf", "ST", "ST_conf"}
    data = json.loads(sobol_result.to_json())
    assert data["method"] == "sobol" and data["outputs"] == ["rset_s", "harmed_total"]
    assert data["indices"]["harmed_total"]["room_height"]["ST"] is None


def test_plot_writes_a_readable_png(sobol_result, tmp_path):
    path = sobol_result.plot(tmp_path / "sobol.png")
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100


def test_plot_format_follows_the_suffix(sobol_result, tmp_path):
    assert sobol_result.plot(tmp_path / "sobol.svg").read_bytes().lstrip().startswith(b"<?xml")
    assert sobol_result.plot(tmp_path / "sobol.PDF").read_bytes().startswith(b"%PDF")
    assert [p.suffix for p in sorted(tmp_path.iterdir())] == [".PDF", ".svg"]


def test_morris_ranks_the_door_width_first_in_process(scenario_file, tmp_path):
    result = sensitivity(scenario_file, method="morris", runs=10, workers=1, progress=False,
                         outputs=("rset_s",))
    assert result.evaluations == 10 * 3
    rset = result.indices["rset_s"]
    assert result.ranking("rset_s") == ["door_width", "room_height"]
    assert rset["door_width"]["mu_star"] > 10 * rset["room_height"]["mu_star"]
    assert set(result.table()[0]) == {"output", "parameter", "mu_star", "mu_star_conf", "sigma"}
    assert matplotlib.image.imread(result.plot(tmp_path / "morris.png")).ndim == 3


def test_missing_rset_is_replaced_by_the_horizon(tmp_path):
    # A door so narrow, with a horizon so short, that the room never empties.
    path = tmp_path / "slow.yaml"
    path.write_text(SCENARIO.replace("horizon_s: 1200", "horizon_s: 30") + UNCERTAIN)
    result = sensitivity(path, method="morris", runs=2, workers=1, progress=False, outputs=("rset_s",))
    assert any("horizon 30 s" in note for note in result.notes)


def test_errors_are_plain(scenario_file, tmp_path):
    with pytest.raises(ValueError, match="unknown method"):
        sensitivity(scenario_file, method="fast", progress=False)
    with pytest.raises(ValueError, match="unknown outputs"):
        sensitivity(scenario_file, outputs=("nope",), progress=False)
    bare = tmp_path / "bare.yaml"
    bare.write_text(SCENARIO)
    with pytest.raises(ValueError, match="no `uncertain` parameters"):
        sensitivity(bare, progress=False)


def test_cli_writes_the_chart_and_json(scenario_file, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["sensitivity", str(scenario_file), "--method", "sobol", "--runs", "4",
                                      "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "door_width" in result.output
    assert matplotlib.image.imread(out / "sensitivity_sobol.png").ndim == 3
    assert json.loads((out / "sensitivity_sobol.json").read_text())["runs"] == 4


def test_cli_without_uncertain_or_with_a_bad_scenario_exits_2(tmp_path):
    bare = tmp_path / "bare.yaml"
    bare.write_text(SCENARIO)
    result = CliRunner().invoke(cli, ["sensitivity", str(bare), "--runs", "4"])
    assert result.exit_code == 2
    assert "no `uncertain` parameters" in result.output
    broken = tmp_path / "broken.yaml"
    broken.write_text(SCENARIO.replace("width_m: 1.0", "width_m: -1") + UNCERTAIN)
    result = CliRunner().invoke(cli, ["sensitivity", str(broken), "--runs", "4"])
    assert result.exit_code == 2
    assert "broken.yaml:" in result.output and "width_m" in result.output
