"""A run played on the plan (`ttxsim animate`): snapshots, GIF frames, the strip, a store's median run."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from PIL import Image

from ttxsim.analysis import animate
from ttxsim.analysis.replicate import run_replication
from ttxsim.analysis.store import ResultsStore
from ttxsim.sim import Simulation, load_scenario, parse_scenario
from ttxsim.tui.cli import cli

ROOM = {
    "meta": {"name": "Two-door room", "sources": ["test fixture"]},
    "venue": {
        "zones": [{"id": "room", "name": "Room", "x_m": 0, "y_m": 0, "width_m": 12, "depth_m": 10},
                  {"id": "hall", "name": "Hall", "kind": "corridor", "x_m": 12, "y_m": 0, "width_m": 4,
                   "depth_m": 10}],
        "openings": [{"id": "inner", "between": ["room", "hall"], "width_m": 1.0, "at_m": [12, 5]},
                     {"id": "door", "between": ["hall", "outside"], "width_m": 1.2, "at_m": [16, 5]}],
    },
    "population": {"occupants": [{"zone": "room", "count": 60}],
                   "premovement_s": {"dist": "lognormal", "median": 20, "sigma": 0.4}},
    "protocols": {"wide_door": {"venue": {"openings": [{"id": "inner", "width_m": 2.0}]}}},
}
STEP_S = 20.0


@pytest.fixture(scope="module")
def room_text():
    return yaml.safe_dump(ROOM, sort_keys=False)


@pytest.fixture(scope="module")
def room(room_text):
    return parse_scenario(room_text, "room.yaml")


@pytest.fixture(scope="module")
def room_file(tmp_path_factory, room_text):
    path = tmp_path_factory.mktemp("scenario") / "room.yaml"
    path.write_text(room_text)
    return path


def test_snapshots_cover_the_run_to_its_end(room):
    played = animate.record_states(room, protocol=None, seed=3, step_s=STEP_S)
    result = Simulation(room, seed=3).run()
    assert len(played.states) == 1 + math.ceil(result.end_s / STEP_S)
    assert [s.t for s in played.states[:3]] == [pytest.approx(0.0, abs=0.01), STEP_S, 2 * STEP_S]
    first, last = played.states[0], played.states[-1]
    assert first.zones["room"] == 60 and first.safe == 0
    assert last.finished and last.safe == result.evacuated  # the very run `ttxsim run` gives


def test_the_first_snapshot_is_the_event_begun_after_the_days_before_it():
    theatre = load_scenario(Path(__file__).resolve().parents[2] / "scenarios/theatre.yaml")  # warned at T-10d
    played = animate.record_states(theatre, protocol=None, seed=1, step_s=10, until_s=10)
    assert len(played.states) == 2 and played.states[0].t == pytest.approx(0.0, abs=0.01)
    assert played.states[0].zones["stalls"] == 900 and played.states[0].inside > 0


def test_gif_has_one_frame_per_snapshot(room, tmp_path):
    runs = [animate.record_states(room, protocol=p, seed=3, step_s=STEP_S, until_s=u)
            for p, u in ((None, 2 * STEP_S), ("wide_door", STEP_S))]  # a few frames: drawing is the cost
    frames = animate.frame_count(runs)
    assert frames == 3 == max(len(r.states) for r in runs)
    path = animate.write_movie(room, runs, tmp_path / "run.gif", fps=4, dpi=30)
    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.n_frames == frames
        side_by_side = gif.size
    single = animate.write_movie(room, runs[:1], tmp_path / "one.gif", fps=4, dpi=30)
    with Image.open(single) as gif:
        assert gif.size[0] < side_by_side[0] * 0.6  # --compare draws a second column
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.gif", "run.gif"]  # no temporary files


def test_a_frame_shades_density_and_counts_queues(room):
    played = animate.record_states(room, protocol=None, seed=3, step_s=STEP_S)
    _, (painter,) = animate.animation_figure(room, [played])
    busiest = max(range(len(played.states)), key=lambda i: played.states[i].queues["inner"])
    painter.paint(busiest)
    waiting = played.states[busiest].queues["inner"]
    assert waiting > 0 and painter.queues["inner"].get_text() == f"{waiting:,}"
    painter.paint(0)
    full, empty = painter.panels.patches["room"][0], painter.panels.patches["hall"][0]
    assert full.get_facecolor() != empty.get_facecolor()  # 0.5 /m² against nobody
    assert not painter.queues["inner"].get_visible()
    assert "T+00:00:00" in painter.caption.get_text()


def test_strip_is_six_moments_wide(room, tmp_path):
    assert animate.strip_moments([animate.record_states(room, protocol=None, seed=3, step_s=STEP_S)]) == [
        0, 1, 2, 3, 4]  # a run of five snapshots has no six moments to show
    runs = [animate.record_states(room, protocol=None, seed=3, step_s=STEP_S / 4)]
    moments = animate.strip_moments(runs)
    assert len(moments) == 6 and moments[0] == 0 and moments[-1] == len(runs[0].states) - 1
    path = animate.write_strip(room, runs, tmp_path / "strip.png", dpi=40)
    with Image.open(path) as png:
        assert png.format == "PNG"
        assert png.size[0] == int((3.2 * 6 + 0.4) * 40) and png.size[0] > 2 * png.size[1]


def test_command_writes_gif_and_strip(room_file, tmp_path):
    result = CliRunner().invoke(cli, ["animate", str(room_file), "--compare", "wide_door", "--seed", "3",
                                      "--step-s", "30", "--until-s", "60", "--dpi", "30",
                                      "--out", str(tmp_path / "a.gif"), "--strip", str(tmp_path / "s.png")])
    assert result.exit_code == 0, result.output
    with Image.open(tmp_path / "a.gif") as gif:
        assert f"({gif.n_frames} frames, 30 s apart, seed 3)" in result.output
    assert (tmp_path / "s.png").stat().st_size > 5_000


@pytest.mark.parametrize(("args", "message"), [
    (["--out", "a.avi"], "unknown suffix '.avi'"),
    (["--out", "a.gif", "-p", "nope"], "--protocol: unknown protocol 'nope'"),
    (["--out", "a.gif", "--compare", "nope"], "--compare: unknown protocol 'nope'"),
    (["--out", "a.gif", "--strip", "s.jpg"], "--strip: unknown suffix '.jpg'"),
])
def test_bad_input_exits_2_and_writes_nothing(room_file, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["animate", str(room_file), *args])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_mp4_without_ffmpeg_exits_2(room_file, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no ffmpeg here
    result = CliRunner().invoke(cli, ["animate", str(room_file), "--out", str(tmp_path / "a.mp4")])
    assert result.exit_code == 2 and "MP4 needs ffmpeg" in result.output
    assert not (tmp_path / "a.mp4").exists()


def test_store_plays_the_median_rset_run(room_text, tmp_path):
    path = tmp_path / "runs.sqlite"
    with ResultsStore(path) as store:
        store.open_experiment(scenario_text=room_text, scenario_name="room.yaml", master_seed=5,
                              protocols=["baseline", "wide_door"], version="test")
        for i in range(3):
            store.add(run_replication(room_text, "room.yaml", "wide_door", i, 5))
    with ResultsStore(path, read_only=True) as store:
        runs = store.runs("wide_door")
        median = sorted(runs, key=lambda r: r["rset_s"])[1]
        assert animate.median_rset_seed(store, "wide_door") == median["seed"]
        with pytest.raises(LookupError, match="no run of protocol 'baseline' with an RSET"):
            animate.median_rset_seed(store, "baseline")
    result = CliRunner().invoke(cli, ["animate", "--store", str(path), "-p", "wide_door", "--step-s", "60",
                                      "--until-s", "60", "--dpi", "20", "--out", str(tmp_path / "m.gif")])
    assert result.exit_code == 0, result.output
    assert f"seed {median['seed']})" in result.output
    refused = CliRunner().invoke(cli, ["animate", "--store", str(path), "-p", "nope", "--out", "x.gif"])
    assert refused.exit_code == 2 and "no runs of 'nope'" in refused.output
