"""Figures, report and commands on a real results store of a tiny scenario (4 runs × 2 protocols)."""

from __future__ import annotations

import re
import sqlite3

import matplotlib.image
import pytest
import yaml
from click.testing import CliRunner
from matplotlib.figure import Figure

from ttxsim.analysis import plots
from ttxsim.analysis.replicate import run_replication
from ttxsim.analysis.report import write_report
from ttxsim.analysis.store import ResultsStore
from ttxsim.tui.cli import cli

SCENARIO = {
    "meta": {"name": "Two-door room", "description": "A small room emptied through two doors.",
             "sources": ["test fixture"]},
    "venue": {
        "zones": [{"id": "room", "kind": "room", "x_m": 0, "y_m": 0, "width_m": 12, "depth_m": 10},
                  {"id": "hall", "kind": "corridor", "x_m": 12, "y_m": 0, "width_m": 4, "depth_m": 10}],
        "openings": [{"id": "inner", "between": ["room", "hall"], "width_m": 1.0, "at_m": [12, 5]},
                     {"id": "door", "between": ["hall", "outside"], "width_m": 1.2, "at_m": [16, 5]}],
    },
    "population": {"occupants": [{"zone": "room", "count": 60}],
                   "premovement_s": {"dist": "lognormal", "median": 30, "sigma": 0.5}},
    "protocols": {"wide_door": {"venue": {"openings": [{"id": "inner", "width_m": 2.0}]}}},
}
RUNS, PROTOCOLS, SEED = 4, ("baseline", "wide_door"), 11


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    """A store written the way `ttxsim batch` writes one."""
    path = tmp_path_factory.mktemp("batch") / "runs.sqlite"
    text = yaml.safe_dump(SCENARIO, sort_keys=False)
    with ResultsStore(path) as store:
        store.open_experiment(scenario_text=text, scenario_name="two_door.yaml", master_seed=SEED,
                              protocols=list(PROTOCOLS), version="test")
        for protocol in PROTOCOLS:
            for i in range(RUNS):
                store.add(run_replication(text, "two_door.yaml", protocol, i, SEED))
    return path


@pytest.fixture
def store(store_path):
    with ResultsStore(store_path) as opened:
        yield opened


@pytest.mark.parametrize(("draw", "axes"), [
    (plots.evacuation_curves, 1), (plots.distributions, 2), (plots.paired_differences, 4),
    (plots.milestones, 1), (plots.openings, 2), (plots.warning_chain, 2),
])
def test_each_figure_has_its_axes(store, draw, axes):
    fig = draw(store)
    assert len(fig.axes) == axes
    assert fig.axes[0].get_title() or fig.get_suptitle()


def test_occupancy_is_one_figure_of_density_on_one_scale(store):
    fig = plots.occupancy_heatmaps(store, list(PROTOCOLS))
    panels = [ax for ax in fig.axes if ax.images]
    assert len(panels) == len(PROTOCOLS)  # one panel per protocol, and a colour bar
    assert "people per m²" in fig.axes[-1].get_ylabel()
    assert len({ax.images[0].get_clim() for ax in panels}) == 1  # one colour scale for all
    assert len({ax.get_xlim() for ax in panels}) == 1  # and one time axis
    assert [t.get_text() for t in panels[0].get_yticklabels()] == ["room", "hall"]
    rsets = sorted(r["rset_s"] for r in store.runs("wide_door"))
    assert f"RSET {rsets[(RUNS + 1) // 2 - 1] / 60:.1f} min" in panels[1].get_title()
    room = panels[0].images[0].get_array()[0]  # people per m² of the 12 × 10 m room
    first = store.series("occupancy", "baseline")[plots.representative(store, "baseline")]["room"][0]
    assert room[0] == pytest.approx(first / 120)


def test_occupancy_marks_stairs():
    from ttxsim.analysis.plots_venue import zone_areas

    class Store:
        def experiment(self):
            return {"scenario_text": open("scenarios/concert_hall.yaml", encoding="utf-8").read()}

    areas = zone_areas(Store())
    assert areas["stair_w"][1] and not areas["hall_stalls"][1]  # a stair, and a hall that is not
    assert areas["hall_stalls"][0] > 100


def test_openings_show_the_busiest_by_name(store):
    fig = plots.openings(store, top=1)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == list(PROTOCOLS)
    for ax, protocol in zip(panels, PROTOCOLS, strict=True):
        runs = store.series("openings", protocol)
        # the most people passed; between equals, the first by name
        busiest = min(("inner", "door"), key=lambda n: (-sum(s[n]["passed"] for s in runs), n))
        assert [t.get_text() for t in ax.get_yticklabels()] == [busiest]
    assert "top 1 of 2" in fig.get_suptitle()


def _outside(fig, ax) -> bool:
    """Whether the axes' legend lies wholly outside its plotting area (so it covers no data)."""
    fig.canvas.draw()
    box, legend = ax.get_window_extent(), ax.get_legend().get_window_extent()
    return legend.x0 >= box.x1 or legend.y1 <= box.y0 or legend.x1 <= box.x0 or legend.y0 >= box.y1


def test_evacuation_curves_show_the_venue_cap_and_keep_the_legend_off_the_data(store):
    fig = plots.evacuation_curves(store)
    ax = fig.axes[0]
    cap = max(r["occupants"] for r in store.runs())
    assert any(line.get_label() == f"people at the venue ({cap:,.0f})" for line in ax.lines)
    assert ax.get_xlabel() == "time since t = 0 (min)" and ax.get_ylabel() == "people safe"
    assert _outside(fig, ax)


def test_the_milestones_key_sits_outside_the_axes(store):
    fig = plots.milestones(store)
    assert _outside(fig, fig.axes[0])


def test_a_milestone_never_reached_is_shown_as_such(store):
    fig = plots.milestones(store)
    runs = store.runs("baseline")
    missed = sum(r["t_contained_s"] is None for r in runs)
    assert missed == RUNS  # no threat in this room: nothing to contain
    notes = [t.get_text() for t in fig.axes[0].texts]
    assert f"not reached in {RUNS}/{RUNS}" in notes


def test_titles_give_the_units_of_the_axes(store):
    fig = plots.distributions(store)
    rset = fig.axes[0]
    assert "(min)" in rset.get_title() and "(min)" in rset.get_ylabel()
    diffs = plots.paired_differences(store)
    assert all(("(min)" in ax.get_title()) == ("(min)" in ax.get_xlabel()) for ax in diffs.axes)


def test_write_all_writes_readable_pngs(store, tmp_path):
    paths = plots.write_all(store, tmp_path / "figs")
    assert len(paths) == 7  # the occupancy of every protocol is one figure
    for path in paths:
        assert path.stat().st_size > 1000
        assert matplotlib.image.imread(path).ndim == 3
    assert sorted(p.name for p in (tmp_path / "figs").iterdir()) == sorted(p.name for p in paths)


def test_write_all_keeps_the_old_figures_if_saving_fails(store, tmp_path, monkeypatch):
    folder = tmp_path / "figs"
    folder.mkdir()
    (folder / "distributions.png").write_bytes(b"the previous figure")

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Figure, "savefig", broken)
    with pytest.raises(OSError, match="disk full"):
        plots.write_all(store, folder)
    assert [p.name for p in folder.iterdir()] == ["distributions.png"]
    assert (folder / "distributions.png").read_bytes() == b"the previous figure"


def test_html_report_is_self_contained(store, tmp_path):
    text = write_report(store, tmp_path / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""src=["']?https?://""", text)
    assert text.count('<img src="data:image/png;base64,') == 8  # the plan, then the figures
    assert "<table>" in text and "people harmed, all causes" in text and "(baseline)" in text
    assert "A small room emptied through two doors." in text and f"<td>{SEED}</td>" in text


def test_markdown_report_links_its_figures(store, tmp_path):
    out = write_report(store, tmp_path / "aar.md")
    text = out.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^]]*\]\(([^)]+)\)", text)
    assert len(links) == 8  # the plan, then the figures
    assert links[0].endswith("/plan.png")
    assert all((tmp_path / link).is_file() for link in links)
    assert "| metric | protocol |" in text


def test_report_refuses_other_formats(store, tmp_path):
    with pytest.raises(ValueError, match=r"\.html or \*\.md"):
        write_report(store, tmp_path / "report.pdf")


def test_commands(store_path, tmp_path):
    runner = CliRunner()
    table = runner.invoke(cli, ["compare", "--store", str(store_path)])
    assert table.exit_code == 0, table.output
    assert "wide_door" in table.output and "Δ [95 % CI]" in table.output
    csv = runner.invoke(cli, ["compare", "--store", str(store_path), "--csv"])
    assert csv.output.startswith("protocol,metric,")
    plot = runner.invoke(cli, ["plot", "--store", str(store_path), "--out", str(tmp_path / "p")])
    assert plot.exit_code == 0 and len(list((tmp_path / "p").glob("*.png"))) == 7
    report = runner.invoke(cli, ["report", "--store", str(store_path), "--out", str(tmp_path / "r.html")])
    assert report.exit_code == 0 and (tmp_path / "r.html").is_file()


@pytest.mark.parametrize("command", [["compare"], ["plot", "--out", "x"], ["report", "--out", "x.html"]])
def test_missing_store_exits_2(tmp_path, command):
    result = CliRunner().invoke(cli, [*command, "--store", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 2
    assert "no such results store" in result.output


def test_unknown_baseline_exits_2(store_path):
    result = CliRunner().invoke(cli, ["compare", "--store", str(store_path), "--baseline", "nope"])
    assert result.exit_code == 2 and "nope" in result.output


def test_report_of_an_older_store_notes_the_metric_it_lacks(store_path, tmp_path):
    older = tmp_path / "older.sqlite"
    older.write_bytes(store_path.read_bytes())
    with sqlite3.connect(older) as conn:  # as a ttxsim from before the metric and the metric list wrote it
        conn.execute("ALTER TABLE runs DROP COLUMN t_warning_at_venue_s")
        conn.execute("DELETE FROM meta WHERE key = 'metrics'")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.close()
    with ResultsStore(older) as store:
        text = write_report(store, tmp_path / "older.md").read_text(encoding="utf-8")
    assert "written before the metric(s) t_warning_at_venue_s existed" in text
    with ResultsStore(store_path) as store:
        current = write_report(store, tmp_path / "current.md").read_text(encoding="utf-8")
    assert "written before" not in current


class _UnreachedStore:
    """Three runs; detection and the alarm came in one each: no median reached, a 5th percentile reached."""

    def experiment(self):
        return {"protocols": ["baseline"]}

    def runs(self, protocol=None, metrics=None):
        alarm, detection = plots.MILESTONES[2][0], plots.MILESTONES[1][0]
        never = {alarm: None, detection: None}
        return [{alarm: 90.0, detection: 30.0}, never, never]


def test_milestones_with_no_median_reached_are_drawn_at_the_edge():
    """No milestone's median reached, though some run reached each: hollow markers, "not reached in k/n"."""
    fig = plots.milestones(_UnreachedStore())
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("not reached in 2/3") == 2
