"""Paired speed comparison of the working tree against a git revision, run by hand.

On a shared machine single timings drift by a fifth within minutes, so a change is judged by
running both versions alternately, round after round, on the same seeds, and taking the
median of the per-seed time ratios. Each round runs each version in a fresh process; the
timed part is the same as in `bench_single_run.py` (building and running one replication).
The revision is exported with `git archive` into a temporary folder: the repository, its
index and its files are left alone.

    .venv/bin/python benchmarks/bench_paired.py --base HEAD --rounds 5

With `--own-scenario` each tree runs the scenario file as it was in its own revision (for a
change that also changed the scenario or its format): the ratio then includes what the
scenario asks for, and results cannot be identical.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = """
import hashlib, json, sys, time
from pathlib import Path
from ttxsim.sim import Simulation, load_scenario
scenario = load_scenario(Path(sys.argv[1]))
if sys.argv[3] == "evacuation":
    scenario = scenario.with_overrides({"incident": {"threat": None, "fire": None}, "intel": None})
Simulation(scenario, seed=0).run()
times, results = {}, []
for seed in map(int, sys.argv[2].split(",")):
    start = time.perf_counter()
    result = Simulation(scenario, seed=seed).run()
    times[seed] = time.perf_counter() - start
    results.append((seed, result))
digests = {seed: hashlib.sha1(repr(r).encode()).hexdigest()[:12] for seed, r in results}
print(json.dumps({"times": times, "digests": digests}))
"""


def tree(folder: Path, sim: Path | None = None, revision: str | None = None) -> Path:
    """A folder importable as `ttxsim`: its `sim` a link to `sim`, or exported from `revision`."""
    package = folder / "ttxsim"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")  # a regular package: found before the editable install
    if revision is None:
        (package / "sim").symlink_to(sim)
    else:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "sim"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(package)], input=archive, check=True)
    return folder


def base_scenario(tmp: Path, revision: str, scenario: Path) -> Path:
    """The scenario file as it was at `revision`, written once into `tmp`."""
    copy = tmp / f"base-{scenario.name}"
    if not copy.exists():
        relative = scenario.relative_to(ROOT).as_posix()
        copy.write_bytes(subprocess.run(["git", "-C", str(ROOT), "show", f"{revision}:{relative}"],
                                        check=True, capture_output=True).stdout)
    return copy


def measure(folder: Path, scenario: Path, seeds: list[int], case: str) -> dict:
    """Time the seeds in a fresh interpreter that imports ttxsim from `folder`."""
    env = dict(os.environ, PYTHONPATH=str(folder))
    out = subprocess.run([sys.executable, "-c", WORKER, str(scenario), ",".join(map(str, seeds)), case],
                         check=True, capture_output=True, text=True, env=env, cwd=folder).stdout
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="git revision to compare with (default HEAD)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=21, help="seeds 1..N (default 21)")
    parser.add_argument("--evacuation-only", action="store_true", help="no threat, fire or warnings")
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "concert_hall.yaml")
    parser.add_argument("--own-scenario", action="store_true",
                        help="each tree runs its own version of the scenario file (when the format changed)")
    args = parser.parse_args()
    seeds = list(range(1, args.seeds + 1))
    case = "evacuation" if args.evacuation_only else "full"
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"base": tree(Path(tmp) / "base", revision=args.base),
                 "work": tree(Path(tmp) / "work", sim=ROOT / "sim")}
        runs = {name: [] for name in trees}
        for _ in range(args.rounds):
            for name, folder in trees.items():
                scenario = args.scenario.resolve()
                if args.own_scenario and name == "base":
                    scenario = base_scenario(Path(tmp), args.base, scenario)
                runs[name].append(measure(folder, scenario, seeds, case))
    ratios = [w["times"][s] / b["times"][s] for b, w in zip(runs["base"], runs["work"], strict=True)
              for s in b["times"]]
    for name, rounds in runs.items():
        medians = [statistics.median(r["times"].values()) for r in rounds]
        print(f"{name:<5} round medians (s): {' '.join(f'{m:.3f}' for m in medians)}"
              f"   median {statistics.median(medians):.3f} s")
    base_digests, work_digests = runs["base"][0]["digests"], runs["work"][0]["digests"]
    same = sum(base_digests[s] == work_digests[s] for s in base_digests)
    print(f"work / {args.base}: median per-seed time ratio {statistics.median(ratios):.3f} "
          f"({len(ratios)} pairs); identical results on {same} of {len(seeds)} seeds")


if __name__ == "__main__":
    main()
