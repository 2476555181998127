"""The venue plan (`ttxsim plan`): read back from SVG, PNG and PDF; where openings and labels go."""

from __future__ import annotations

import math
import re

import pytest
from click.testing import CliRunner
from PIL import Image

from ttxsim.analysis.plan import STATE_COLOURS, plan_figure, save_figure
from ttxsim.analysis.plan_geometry import place_openings, zone_outlines
from ttxsim.sim import load_scenario
from ttxsim.tui.cli import cli

WING = "scenarios/hiding_wing.yaml"
THEATRE = "scenarios/theatre.yaml"


@pytest.fixture(scope="module")
def wing():
    return load_scenario(WING)


def _texts(svg: str) -> str:
    """Every text of an SVG whose text is kept as text (`svg.fonttype: none`), joined."""
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def test_svg_names_every_zone_and_opening(wing, tmp_path):
    path = save_figure(plan_figure(wing), tmp_path / "plan.svg")
    texts = _texts(path.read_text())
    for zone in wing.venue.zones:
        assert (zone.name or zone.id) in texts
    for opening in wing.venue.openings:
        assert f"{opening.id} {opening.width_m:g} m" in texts
    assert "Floor 0" in texts and "Floor 1" in texts  # the back stair climbs to floor 1
    assert re.search(r"\d+ m\b", texts)  # the scale bar
    hall = next(z for z in wing.venue.zones if z.id == "hall")
    assert f"{hall.area_m2:,.0f} m²" in texts


def test_png_and_pdf_are_whole_files_of_the_figure_size(wing, tmp_path):
    fig = plan_figure(wing)
    png = save_figure(fig, tmp_path / "plan.png", dpi=50)
    with Image.open(png) as image:
        assert image.size == (int(fig.get_figwidth() * 50), int(fig.get_figheight() * 50))
    pdf = save_figure(fig, tmp_path / "plan.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF") and len(pdf) > 10_000


def test_the_protocol_sets_the_states_drawn():
    theatre = load_scenario(THEATRE)
    locked = plan_figure(theatre)
    unlocked = plan_figure(theatre, protocol="exits_unlocked")
    def colour_of(fig, label):
        return next(t.get_color() for ax in fig.axes for t in ax.texts if t.get_text() == label)

    assert colour_of(locked, "ex_stalls_e 1.6 m") == STATE_COLOURS["locked"]  # as written
    assert colour_of(unlocked, "ex_stalls_e 1.6 m") == STATE_COLOURS["open"]
    assert colour_of(unlocked, "pass_door 0.9 m") == STATE_COLOURS["locked"]  # an inner door it leaves
    assert "protocol exits_unlocked" in unlocked._suptitle.get_text()


def test_openings_lie_along_their_wall_at_their_width(wing):
    zones = {z.id: z for z in wing.venue.zones}
    for placed in place_openings(wing.venue):
        (x0, y0), (x1, y1) = placed.ends()
        assert math.hypot(x1 - x0, y1 - y0) == pytest.approx(placed.spec.width_m)
        if placed.is_exit:  # the arrow points away from the zone it leaves
            zone = zones[next(z for z in placed.spec.between if z != "outside")]
            ring = zone_outlines(zone)[0]
            cx, cy = sum(p[0] for p in ring) / 4, sum(p[1] for p in ring) / 4
            ox, oy = placed.outward
            assert (placed.at[0] - cx) * ox + (placed.at[1] - cy) * oy > 0


def test_zones_too_small_to_label_are_keyed(make_scenario):
    scenario = make_scenario(venue={
        "zones": [{"id": "room", "name": "Hall", "width_m": 60, "depth_m": 40},
                  {"id": "closet", "name": "Cleaning closet", "x_m": 60, "y_m": 0,
                   "width_m": 1.5, "depth_m": 1.5}],
        "openings": [{"id": "door", "at_m": [30, 0]},
                     {"id": "closet_door", "between": ["room", "closet"], "width_m": 0.8}]})
    texts = [t.get_text() for t in plan_figure(scenario).texts]
    assert any(t.startswith("[1] Cleaning closet; 2 m²") for text in texts for t in text.splitlines())


@pytest.mark.parametrize(("args", "message"), [
    (["-p", "nope"], "unknown protocol 'nope'"),
    (["--out", "plan.jpg"], "unknown suffix '.jpg'"),
])
def test_bad_input_exits_2_and_writes_nothing(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    default = [] if "--out" in args else ["--out", "plan.svg"]
    result = CliRunner().invoke(cli, ["plan", str(_repo(WING)), *default, *args])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_output_exits_2(tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder")
    result = CliRunner().invoke(cli, ["plan", str(_repo(WING)), "--out", str(tmp_path / "taken" / "p.svg")])
    assert result.exit_code == 2 and "taken: is a file, not a folder" in result.output


def test_command_writes_the_plan(tmp_path):
    result = CliRunner().invoke(cli, ["plan", str(_repo(WING)), "-p", "everybody_runs", "--out",
                                      str(tmp_path / "p.png"), "--dpi", "40"])
    assert result.exit_code == 0, result.output
    with Image.open(tmp_path / "p.png") as image:
        assert image.format == "PNG" and image.size[0] > 300
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def _repo(relative: str):
    from pathlib import Path

    return Path(__file__).resolve().parents[2] / relative


def test_the_legend_lists_only_what_the_plan_shows(make_scenario, wing):
    def labels(fig):
        return [t.get_text() for legend in fig.legends for t in legend.get_texts()]

    bare = labels(plan_figure(make_scenario()))  # one room, one door, no threat, fire or stair
    assert bare == ["opening, open", "opening, closed", "opening, locked", "exit to outside"]
    assert {"hiding place", "threat's route (stops 1, 2, …)", "fire's zone"} <= set(labels(plan_figure(wing)))


def test_a_zone_with_a_hole_is_drawn_and_labelled_around_it(wing, monkeypatch):
    from ttxsim.analysis import plan_geometry

    bowl = [[(0, 0), (40, 0), (40, 40), (0, 40)], [(10, 10), (10, 30), (30, 30), (30, 10)]]  # hole: clockwise
    monkeypatch.setattr(plan_geometry, "zone_outlines", lambda zone: bowl)
    edges = [(a, b) for r in bowl for a, b in zip(r, [*r[1:], r[0]], strict=True)]
    assert plan_geometry.inside_zone((5, 20), edges) and not plan_geometry.inside_zone((20, 20), edges)
    x, y = plan_geometry.label_point(wing.venue.zones[0])
    assert plan_geometry.inside_zone((x, y), edges) and not (10 <= x <= 30 and 10 <= y <= 30)
    path = plan_geometry.zone_path(wing.venue.zones[0])  # drawn as one path of two rings, the hole reversed
    assert len(path.to_polygons()) == 2
