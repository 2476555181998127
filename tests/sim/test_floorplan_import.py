"""Floor plans into scenarios: DXF and GeoJSON/WKT import, and `ttxsim new`'s starter file.

Each imported skeleton must validate and run as written; the planner completes it later.
"""

from __future__ import annotations

import json
from pathlib import Path

import ezdxf
import pytest
from click.testing import CliRunner

from ttxsim.sim.floorplan import PlanError, read_plan, skeleton_yaml, starter_yaml
from ttxsim.sim.scenario import load_scenario, parse_scenario
from ttxsim.sim.simulation import Simulation
from ttxsim.tui import cli

ARENA = Path(__file__).parent.parent / "fixtures" / "floorplans" / "arena.geojson"


def invoke(*args) -> object:
    return CliRunner().invoke(cli.cli, [str(a) for a in args], prog_name="ttxsim")


def openings(scenario) -> dict[str, tuple[tuple[str, str], float, tuple[float, float] | None]]:
    return {o.id: (o.between, o.width_m, o.at_m) for o in scenario.venue.openings}


def test_the_geojson_arena_imports_to_a_scenario_that_runs():
    scenario = parse_scenario(skeleton_yaml(read_plan(ARENA)), "arena.yaml")
    zones = {z.id: z for z in scenario.venue.zones}
    assert list(zones) == ["bowl", "foyer", "kiosk"]
    assert zones["bowl"].holes is not None and zones["bowl"].area_m2 == pytest.approx(1200.0)
    assert (zones["foyer"].x_m, zones["foyer"].width_m, zones["foyer"].depth_m) == (0, 40, 10)  # a rectangle
    assert openings(scenario) == {
        "vom_west": (("bowl", "foyer"), 2.0, (9.0, 0.0)),
        "vom_east": (("bowl", "foyer"), 2.0, (31.0, 0.0)),
        "foyer_kiosk": (("foyer", "kiosk"), 1.0, (40.0, -7.5)),
        "main_exit": (("foyer", "outside"), 3.0, (20.0, -10.0)),
        "north_exit": (("bowl", "outside"), 2.0, (20.0, 40.0)),
    }
    assert [(g.zone, g.count) for g in scenario.population.occupants] == [
        ("bowl", 600), ("foyer", 200), ("kiosk", 18)]  # 0.5 /m², marked TODO
    result = Simulation(scenario, seed=1).run()
    assert result.evacuated == 818


def test_the_skeleton_marks_what_the_planner_must_set():
    text = skeleton_yaml(read_plan(ARENA))
    assert "# TODO: counts are 0.5 people per m²" in text
    assert "# TODO: each opening's state" in text
    assert "depth_m: 6}  # 36.0 m², from feature 2; TODO: kind" in text


def write_dxf(path: Path) -> None:
    """A hall, a foyer and an unlabelled store, drawn in millimetres on the ZONES/DOORS layers."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4  # millimetres
    door = doc.blocks.new("DOOR_1200")
    door.add_line((0, 0), (1200, 0))
    door.add_arc((0, 0), 1200, 0, 90)  # the leaf's swing
    msp = doc.modelspace()
    rooms = {"Hall": [(0, 6000), (20000, 6000), (20000, 21000), (0, 21000)],
             "Foyer": [(0, 0), (20000, 0), (20000, 6000), (0, 6000)],
             None: [(20000, 0), (25000, 0), (25000, 6000), (20000, 6000)]}
    for label, corners in rooms.items():
        msp.add_lwpolyline(corners, close=True, dxfattribs={"layer": "ZONES"})
        if label:
            x, y = corners[0]
            msp.add_text(label, dxfattribs={"layer": "ZONES", "insert": (x + 1000, y + 1000)})
    msp.add_line((8000, 6000), (11000, 6000), dxfattribs={"layer": "DOORS"})  # hall-foyer, 3 m
    msp.add_line((20000, 2000), (20000, 3000), dxfattribs={"layer": "DOORS"})  # foyer-store, 1 m
    msp.add_blockref("DOOR_1200", (9000, 0), dxfattribs={"layer": "DOORS"})  # exit in the foyer's south wall
    msp.add_blockref("DOOR_1200", (0, 15000), dxfattribs={"layer": "DOORS", "rotation": 90})  # hall, west
    msp.add_line((0, 0), (99000, 0), dxfattribs={"layer": "WALLS"})  # other layers are ignored
    doc.saveas(path)


def test_a_dxf_plan_imports_to_a_scenario_that_runs(tmp_path):
    path = tmp_path / "venue.dxf"
    write_dxf(path)
    plan = read_plan(path)
    store = next(z.id for z in plan.zones if z.name is None)
    scenario = parse_scenario(skeleton_yaml(plan), "venue.yaml")
    areas = [(z.id, z.area_m2) for z in scenario.venue.zones]
    assert areas == [("hall", 300.0), ("foyer", 120.0), (store, 30.0)]
    assert store.startswith("zone_")  # named after its entity handle
    assert openings(scenario) == {
        "hall_foyer": (("hall", "foyer"), 3.0, (9.5, 6.0)),
        f"foyer_{store}": (("foyer", store), 1.0, (20.0, 2.5)),
        "foyer_exit": (("foyer", "outside"), 1.2, (9.6, 0.0)),
        "hall_exit": (("hall", "outside"), 1.2, (0.0, 15.6)),
    }
    assert Simulation(scenario, seed=2).run().evacuated == sum(scenario.population.counts)


def test_zones_that_share_an_edge_without_a_door_can_be_joined(tmp_path):
    path = tmp_path / "open.wkt"
    path.write_text("# an open-plan hall drawn as two zones\n"
                    "west = POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))\n"
                    "east = POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))\n"
                    "exit = LINESTRING (20 4, 20 6)\n")
    text = skeleton_yaml(read_plan(path))
    closed = parse_scenario(text.replace("zone: west, count: 50", "zone: east, count: 50"))
    assert [o.id for o in closed.venue.openings] == ["exit"]
    joined = parse_scenario(skeleton_yaml(read_plan(path), open_shared_edges=True))
    assert openings(joined)["west_east"] == (("west", "east"), 10.0, (10.0, 5.0))
    assert joined.venue.openings[1].kind == "opening"


def test_a_plan_without_an_exit_is_refused_by_name(tmp_path):
    path = tmp_path / "shut.wkt"
    path.write_text("room = POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))\nlost = LINESTRING (50 50, 51 50)\n")
    with pytest.raises(PlanError, match=r"shut.wkt: no door lies on the outer boundary"):
        skeleton_yaml(read_plan(path))
    result = invoke("import-plan", path, "-o", tmp_path / "shut.yaml")
    assert result.exit_code == 2
    assert "no door lies on the outer boundary" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "shut.yaml").exists()


def test_a_door_on_no_zone_is_listed_not_imported(tmp_path):
    path = tmp_path / "stray.wkt"
    path.write_text("room = POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))\nout = LINESTRING (10 4, 10 6)\n"
                    "stray = LINESTRING (50 50, 51 50)\n")
    text = skeleton_yaml(read_plan(path))
    assert "# not imported: the door (line 3) at [50.50, 50.00] lies on no zone's edge" in text
    assert [o.id for o in parse_scenario(text).venue.openings] == ["out"]


@pytest.mark.parametrize(("content", "expected"), [
    ({"type": "Feature"}, "2:10: type: expected a GeoJSON FeatureCollection with features"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
      "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [5, 5], [5, 0], [0, 5], [0, 0]]]}}]},
     "features[0].geometry: the zone's polygon is not simple"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
      "geometry": {"type": "Point", "coordinates": [0, 0]}}]},
     "a Point is neither a zone (Polygon) nor a door (LineString)"),
])
def test_a_broken_geojson_is_a_located_error(tmp_path, content, expected):
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(content, indent=1))
    result = invoke("import-plan", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:")
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_import_plan_writes_the_skeleton_and_validates_it(tmp_path):
    out = tmp_path / "arena.yaml"
    result = invoke("import-plan", ARENA, "-o", out, "--name", "City arena")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}: 3 zones, 5 openings; next: ttxsim validate {out}\n"
    assert load_scenario(out).meta.name == "City arena"
    assert invoke("import-plan", ARENA, "-o", out).exit_code == 2  # no overwriting without --force
    assert invoke("import-plan", ARENA, "-o", out, "--force").exit_code == 0


def test_new_writes_a_starter_that_validates_and_runs(tmp_path):
    out = tmp_path / "my_venue.yaml"
    result = invoke("new", "My venue", "-o", out)
    assert result.exit_code == 0, result.output
    scenario = load_scenario(out)
    assert scenario.meta.name == "My venue"
    assert scenario.protocol_names == ["baseline", "side_exit_open", "prompt_alarm"]
    text = out.read_text()
    for section in ("meta:", "venue:", "population:", "incident:", "response:", "injects:", "uncertain:",
                    "protocols:"):
        assert f"\n{section}" in text
        before = text[:text.index(f"\n{section}")].rstrip().splitlines()[-1]
        assert before.startswith("#") or section == "meta:", f"{section} has no comment"
    result = Simulation(scenario, seed=3).run()
    assert result.occupants == 400 and result.remaining == 0
    assert invoke("new", "My venue", "-o", out).exit_code == 2  # it exists


def test_the_starter_uses_a_polygon_zone():
    gallery = next(z for z in parse_scenario(starter_yaml("x")).venue.zones if z.id == "gallery")
    assert gallery.polygon is not None and gallery.area_m2 == pytest.approx(27 * 8 + 8 * 4)
