"""`ttxsim export`, `load_runs` and `load_series`: a batch read back as an analyst would, with pandas."""

from __future__ import annotations

import json
import math
import shutil
import sqlite3
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from ttxsim.analysis import METRICS, ResultsStore, encode_series, load_runs, load_series
from ttxsim.analysis import compare as comparison
from ttxsim.analysis.export import RUN_KEYS, SERIES_COLUMNS, SERIES_NAMES
from ttxsim.tui.cli import cli

SCENARIO = {
    "meta": {"name": "Two doors", "horizon_s": 1200, "sources": ["test fixture"]},
    "venue": {"zones": [{"id": "room", "kind": "room", "x_m": 0, "y_m": 0, "width_m": 12, "depth_m": 10},
                        {"id": "lobby", "kind": "foyer", "x_m": 12, "y_m": 0, "width_m": 4, "depth_m": 10}],
              "openings": [{"id": "inner", "between": ["room", "lobby"], "width_m": 1.2, "at_m": [12, 5]},
                           {"id": "door", "between": ["lobby", "outside"], "width_m": 1.0, "at_m": [16, 5]},
                           {"id": "side", "between": ["room", "outside"], "width_m": 1.0, "at_m": [0, 5],
                            "state": "locked"}]},
    "population": {"occupants": [{"zone": "room", "count": 30}],
                   "premovement_s": {"dist": "lognormal", "median": 20, "sigma": 0.5}},
    "protocols": {"wide": {"venue": {"openings": [{"id": "door", "width_m": 2.0}]}}},
}
RUNS = 4


def ok(args: list[str]):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> tuple[Path, str]:
    """A store of RUNS × (baseline, wide, baseline with the side door opened at 10 s); one worker."""
    folder = tmp_path_factory.mktemp("export")
    scenario, decisions, store = folder / "doors.yaml", folder / "d.yaml", folder / "s.sqlite"
    scenario.write_text(yaml.safe_dump(SCENARIO, sort_keys=False), encoding="utf-8")
    decisions.write_text("protocol: baseline\ndecisions:\n  - {t: 10, action: open_openings, ids: [side]}\n",
                         encoding="utf-8")
    ok(["batch", str(scenario), "-p", "baseline", "-p", "wide", "--decisions", str(decisions),
        "--runs", str(RUNS), "-w", "1", "--store", str(store)])
    with ResultsStore(store, read_only=True) as results:
        (label,) = results.decision_sets()
    return store, label


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _same(a, b) -> bool:
    """Equal to the last bit; a missing value (None, NaN) equal only to another."""
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return float(a).hex() == float(b).hex()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_an_export_reads_back_to_the_numbers_compare_computes(batch, tmp_path, suffix):
    store, label = batch
    out = tmp_path / f"runs{suffix}"
    said = ok(["export", "--store", str(store), "--out", str(out)])
    assert f"{3 * RUNS} rows" in said.output
    frame = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    assert list(frame.columns[:5]) == [*RUN_KEYS, "base_protocol", "decisions"]
    assert set(METRICS) <= set(frame.columns)
    with ResultsStore(store, read_only=True) as results:
        rows = comparison.compare(results)
        stored = results.runs()
    assert list(frame["protocol"].unique()) == ["baseline", "wide", label]
    for row in rows:
        values = frame.loc[frame["protocol"] == row["protocol"], row["metric"]].dropna()
        if row["metric"] in ("harmed_total", "evacuated", "occupants"):  # counts: compared by the mean
            assert len(values) == row["n"] == RUNS
            assert math.fsum(values) / len(values) == row["mean"]  # compare's own formula, to the bit
            assert values.mean() == pytest.approx(row["mean"], rel=1e-12)  # what pandas users write
        if row["metric"] in ("rset_s", "t50_s"):  # times: by the median, counting runs that never reach them
            assert len(values) == row["reached"] == row["n"] == RUNS and row["mean"] is None
            # all reached it: the Kaplan-Meier median is the smallest time where S(t) <= 1/2
            assert sorted(values)[math.ceil(RUNS / 2) - 1] == row["median"]
    # every value of every run, exactly as stored: a float is the same float, None is NaN
    assert len(frame) == len(stored)
    for (_, got), want in zip(frame.iterrows(), stored, strict=True):
        for name in (*RUN_KEYS, *METRICS):
            assert _same(got[name], want[name]), (want["protocol"], want["replication"], name)
    assert frame["t_police_arrival_s"].isna().all()  # no threat here: never reached, never 0
    assert frame.loc[frame["protocol"] == label, "base_protocol"].eq("baseline").all()
    assert frame.loc[frame["protocol"] == label, "decisions"].str.endswith("d.yaml").all()
    assert frame.loc[frame["protocol"] != label, "decisions"].isna().all()


def test_load_runs_is_the_parquet_export_and_keeps_counts_as_integers(batch, tmp_path):
    store, label = batch
    out = tmp_path / "runs.parquet"
    ok(["export", "--store", str(store), "--out", str(out), "-p", label, "-p", "baseline"])
    loaded = load_runs(store, protocols=[label, "baseline"])
    pd.testing.assert_frame_equal(pd.read_parquet(out), loaded)
    assert list(loaded["protocol"].unique()) == [label, "baseline"]  # in the order asked
    assert loaded["harmed_total"].dtype == "int64" and loaded["replication"].dtype == "int64"
    assert loaded["t_police_arrival_s"].dtype == "float64" and loaded["t_police_arrival_s"].isna().all()
    with ResultsStore(store, read_only=True) as results:  # an open store is taken as it is
        pd.testing.assert_frame_equal(load_runs(results, protocols=[label, "baseline"]), loaded)


def _expected_series(store: Path) -> list[tuple]:
    """The long form, built straight from the store's decoded series (`ResultsStore.series`)."""
    rows = []
    with ResultsStore(store, read_only=True) as results:
        for protocol in results.experiment()["protocols"]:
            keys = [(r["protocol"], r["replication"], r["seed"]) for r in results.runs(protocol)]
            decoded = {n: results.series(n, protocol) for n in ("curve_safe", "curve_harmed", "occupancy",
                                                                "openings", "curve_dt_s")}
            for i, head in enumerate(keys):
                dt = decoded["curve_dt_s"][i]
                for name in ("curve_safe", "curve_harmed"):
                    rows += [(*head, name, None, None, step * dt, value)
                             for step, value in enumerate(decoded[name][i])]
                for zone, counts in decoded["occupancy"][i].items():
                    rows += [(*head, "occupancy", zone, None, step * dt, v) for step, v in enumerate(counts)]
                for key in ("passed", "peak_queue"):
                    rows += [(*head, f"opening_{key}", None, opening, None, record[key])
                             for opening, record in decoded["openings"][i].items()]
    return rows


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_the_series_long_form_holds_every_stored_value(batch, tmp_path, suffix):
    store, _ = batch
    out = tmp_path / f"curves{suffix}"
    said = ok(["export", "--store", str(store), "--out", str(out), "--series"])
    frame = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    expected = _expected_series(store)
    assert f"{len(expected):,} rows" in said.output
    assert list(frame.columns) == list(SERIES_COLUMNS)
    assert len(frame) == len(expected) > 3 * RUNS * 2 * 10
    assert set(frame["series"]) <= set(SERIES_NAMES) and frame["agency"].isna().all()  # no warning chain
    got = frame[["protocol", "replication", "seed", "series", "zone", "opening", "t_s", "value"]]
    for row, want in zip(got.itertuples(index=False), expected, strict=True):
        assert all(_same(g, w) for g, w in zip(row, want, strict=True)), (row, want)
    assert set(frame.loc[frame["series"] == "occupancy", "zone"]) == {"room", "lobby"}
    if suffix == ".parquet":
        pd.testing.assert_frame_equal(frame, load_series(store))


def test_a_time_never_reached_is_nan_and_counts_with_gaps_become_floats(tmp_path):
    path = tmp_path / "crafted.sqlite"
    with ResultsStore(path) as store:
        store.open_experiment(scenario_text="meta: {name: X}\n", scenario_name="X", master_seed=0,
                              protocols=["baseline"], version="0.1.0")
        for replication, t95 in enumerate([100.25, None, 0.0]):
            record = {"protocol": "baseline", "replication": replication, "seed": 10 + replication,
                      "wall_s": 0.5, **dict.fromkeys(METRICS), "occupants": 20, "t95_s": t95,
                      "remaining": None if replication == 1 else 0, "curve_dt_s": 5.0,
                      "curve_safe": [0, 20], "curve_harmed": [0, 0], "occupancy": {"a": [20, 0]},
                      "openings": {}, "agencies": {"police": {"received_s": None, "warning": "w1",
                                                              "acted": True, "acted_s": 30.5,
                                                              "forwarded": False}}}
            store.add(record)
    runs = load_runs(path)
    assert runs["t95_s"].tolist()[0] == 100.25 and math.isnan(runs["t95_s"][1]) and runs["t95_s"][2] == 0.0
    assert runs["remaining"].dtype == "float64" and math.isnan(runs["remaining"][1])
    assert runs["occupants"].dtype == "int64" and runs["t_alarm_s"].isna().all()
    ok(["export", "--store", str(path), "--out", str(tmp_path / "r.csv")])
    text = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    cells = [dict(zip(header, line.split(","), strict=True)) for line in text[1:]]
    assert [c["t95_s"] for c in cells] == ["100.25", "", "0.0"]  # empty, not 0, where never reached
    series = load_series(path)
    first = series[(series["replication"] == 0) & series["series"].str.startswith("agency_")]
    agency = first.set_index("series")["value"]
    assert math.isnan(agency["agency_received_s"]) and agency["agency_acted"] == 1
    assert agency["agency_acted_s"] == 30.5 and agency["agency_forwarded"] == 0
    assert (series["agency"].dropna() == "police").all()


def _newer(store: Path, folder: Path) -> Path:
    copy = folder / "newer.sqlite"
    shutil.copy(store, copy)
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    return copy


@pytest.mark.parametrize(("case", "message"), [
    ("no store", "no such results store"),
    ("newer store", "written by a newer ttxsim"),
    ("unknown protocol", "--protocol: unknown protocol 'wdie'; did you mean 'wide'?"),
    ("unknown suffix", "unknown output type '.xlsx'; name a .csv or .parquet file"),
    ("output in a file", "is a file, not a folder"),
    ("output is a folder", "is a folder; name the output file"),
])
def test_bad_input_is_one_line_and_exit_status_2(batch, tmp_path, case, message):
    store, _ = batch
    out, extra = tmp_path / "runs.csv", []
    if case == "no store":
        store = tmp_path / "missing.sqlite"
    elif case == "newer store":
        store = _newer(store, tmp_path)
    elif case == "unknown protocol":
        extra = ["-p", "wdie"]
    elif case == "unknown suffix":
        out = tmp_path / "runs.xlsx"
    elif case == "output in a file":
        (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
        out = tmp_path / "notes.txt" / "runs.csv"
    else:
        out = tmp_path / "runs.csv"
        out.mkdir()
    result = CliRunner().invoke(cli, ["export", "--store", str(store), "--out", str(out), *extra])
    assert result.exit_code == 2, result.output
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert not out.is_file()


def test_a_store_damaged_midway_keeps_the_previous_export_whole(batch, tmp_path):
    store, _ = batch
    copy = tmp_path / "s.sqlite"
    shutil.copy(store, copy)
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute("UPDATE runs SET occupancy = ? WHERE protocol = 'wide' AND replication = 2",
                     (b"not zlib",))
        conn.execute("UPDATE runs SET curve_safe = ? WHERE protocol = 'baseline'", (encode_series([1, 2]),))
    conn.close()
    out = tmp_path / "curves.csv"
    out.write_text("the previous export\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "--store", str(copy), "--out", str(out), "--series"])
    assert result.exit_code == 2 and "damaged" in result.output and "'wide' replication 2" in result.output
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["curves.csv", "s.sqlite"]  # no temporary left


def test_without_pandas_parquet_and_frames_say_which_extra_to_install(batch, tmp_path, monkeypatch):
    store, _ = batch
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if not installed
    out = tmp_path / "runs.parquet"
    result = CliRunner().invoke(cli, ["export", "--store", str(store), "--out", str(out)])
    assert result.exit_code == 2 and "pip install 'ttxsim[pandas]'" in result.output
    assert "pyarrow is not installed" in result.output and not out.exists()
    ok(["export", "--store", str(store), "--out", str(tmp_path / "runs.csv")])  # CSV needs neither
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pandas is not installed\): pip install 'ttxsim\[pandas\]'"):
        load_runs(store)


def _crafted(path: Path, replications: list[int]) -> None:
    with ResultsStore(path) as store:
        store.open_experiment(scenario_text="meta: {name: X}\n", scenario_name="X", master_seed=0,
                              protocols=["baseline"], version="0.1.0")
        for replication in replications:
            store.add({"protocol": "baseline", "replication": replication, "seed": 10 + replication,
                       "wall_s": 0.5, **dict.fromkeys(METRICS), "occupants": 20, "curve_dt_s": 2.5,
                       "curve_safe": [0, replication], "curve_harmed": [0, 0], "occupancy": {},
                       "openings": {}, "agencies": {}})


def test_runs_keep_their_keys_across_a_gap_and_a_newer_stores_metrics_come_last(tmp_path):
    path = tmp_path / "gap.sqlite"
    _crafted(path, [2, 0])  # replication 1 never came back (a killed batch)
    with ResultsStore(path, read_only=True) as store:
        runs = store.run_series("baseline")
        with pytest.raises(KeyError, match="unknown series 'curve_unsafe'"):
            store.run_series("baseline", ["curve_unsafe"])
    assert [(r["replication"], r["seed"], r["curve_dt_s"], r["curve_safe"]) for r in runs] == [
        (0, 10, 2.5, [0, 0]), (2, 12, 2.5, [0, 2])]
    series = load_series(path)
    assert series[["replication", "t_s", "value"]].values.tolist() == [  # safe, then harmed, per run
        [0, 0.0, 0], [0, 2.5, 0], [0, 0.0, 0], [0, 2.5, 0],
        [2, 0.0, 0], [2, 2.5, 2], [2, 0.0, 0], [2, 2.5, 0]]

    conn = sqlite3.connect(path)  # as a newer ttxsim with one more metric would have left it
    with conn:
        conn.execute('ALTER TABLE runs ADD COLUMN "queue_peak_s"')
        conn.execute("UPDATE runs SET queue_peak_s = 7.5 WHERE replication = 2")
        conn.execute("UPDATE meta SET value = ? WHERE key = 'metrics'",
                     (json.dumps([*METRICS, "queue_peak_s"]),))
    conn.close()
    result = CliRunner().invoke(cli, ["export", "--store", str(path), "--out", str(tmp_path / "r.csv")])
    assert result.exit_code == 0 and "queue_peak_s" in result.output  # the store's note, on stderr
    frame = pd.read_csv(tmp_path / "r.csv")
    assert list(frame.columns[-2:]) == ["queue_peak_s", "wall_s"]
    assert math.isnan(frame["queue_peak_s"][0]) and frame["queue_peak_s"][1] == 7.5
