"""Speed and memory of `run_batch`, run by hand (`python benchmarks/bench_batch.py`).

Targets: 1,000 replications of the reference scenario, one protocol, in at most 90 s on 2
workers (issue 17; it was 3 minutes), at least 1.8× faster with 2 workers than with 1; and the
parent's peak memory does not grow with N (compared at 200 and 2,000 runs). Use --runs and
--memory-runs to scale down for a quick check, --two-workers-only for the speed goal alone.

Each measurement runs in a fresh child process so that its peak RSS (ru_maxrss of the parent
of the pool, in KiB on Linux) is its own, not the high-water mark of an earlier one.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "concert_hall.yaml"

CHILD = """
import json, resource, sys, time
from ttxsim.analysis import run_batch
scenario, store, runs, workers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
start = time.perf_counter()
added = run_batch(scenario, runs=runs, protocols=["baseline"], store_path=store, workers=workers,
                  progress=False)
print(json.dumps({"wall_s": time.perf_counter() - start, "added": added,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(runs: int, workers: int, scenario: Path) -> dict:
    """One batch into a fresh store, in a fresh process: wall time, runs added, peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", CHILD, str(scenario), str(Path(tmp) / "b.sqlite"),
                              str(runs), str(workers)], check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["added"] == runs, result
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="replications for the speed test")
    parser.add_argument("--memory-runs", type=int, nargs=2, default=(200, 2000), metavar=("SMALL", "LARGE"),
                        help="replications for the two memory measurements")
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    parser.add_argument("--two-workers-only", action="store_true",
                        help="only the 2-worker batch (issue 17's goal: 1,000 runs in 90 s), a few minutes "
                             "instead of about a quarter of an hour")
    args = parser.parse_args()

    print(f"{args.scenario.name}, one protocol (baseline)")
    two = measure(args.runs, 2, args.scenario)
    print(f"{args.runs:,} runs, 2 workers: {two['wall_s']:8.1f} s   "
          f"(issue 17: ≤ 90 s for 1,000, {'met' if two['wall_s'] * 1000 / args.runs <= 90 else 'NOT met'})")
    if args.two_workers_only:
        return
    one = measure(args.runs, 1, args.scenario)
    ratio = one["wall_s"] / two["wall_s"]
    print(f"{args.runs:,} runs, 1 worker : {one['wall_s']:8.1f} s   speed-up with 2 workers {ratio:.2f}× "
          f"(target ≥ 1.8×; {'met' if ratio >= 1.8 else 'NOT met'})")

    small, large = args.memory_runs
    rss = {n: measure(n, 2, args.scenario)["peak_rss_mib"] for n in (small, large)}
    growth = rss[large] / rss[small]
    print(f"parent peak RSS, 2 workers: {small:,} runs {rss[small]:.1f} MiB, "
          f"{large:,} runs {rss[large]:.1f} MiB (×{growth:.2f}; flat if about 1)")


if __name__ == "__main__":
    main()
