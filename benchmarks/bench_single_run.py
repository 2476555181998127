"""Speed of one replication, run by hand (`make bench`); results go in the README.

Targets (issue 3): the reference scenario (about 6,700 occupants) to the end in a median of
at most 0.3 s wall on a 2-core machine; a 60,000-occupant venue in at most 5 s, with cost
growing about linearly with occupants (the 60k / 6k ratio is printed). Issue 17 sets them
against the machine: the reference run at most 1.2 times the time of 100,000 bare SimPy
timeouts measured in the same process, and the stadium's 60k / 6k ratio at most 11 and its
24k / 6k ratio (four times the crowd) at most 4.4.

Times cover building the Simulation (drawing the population) and running it to the end,
not interpreter start-up or reading the file. Each figure is the median over several seeds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import simpy
import yaml

from ttxsim.sim import Simulation, load_scenario, parse_scenario

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_large_venue import make_venue  # noqa: E402


def time_runs(scenario, seeds) -> tuple[float, float, float, int]:
    """(median, min, max) seconds over the seeds, and the occupants."""
    times = []
    for seed in seeds:
        start = time.perf_counter()
        result = Simulation(scenario, seed=seed).run()
        times.append(time.perf_counter() - start)
        assert result.remaining == 0, f"seed {seed}: {result.remaining} left inside"
    return statistics.median(times), min(times), max(times), result.occupants


def bare_simpy_s(timeouts: int = 100_000, repeats: int = 7) -> float:
    """Median time of one SimPy process yielding `timeouts` timeouts: what the machine gives."""
    def ticks(env: simpy.Environment):
        for _ in range(timeouts):
            yield env.timeout(1.0)

    times = []
    for _ in range(repeats):
        env = simpy.Environment()
        env.process(ticks(env))
        start = time.perf_counter()
        env.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="seeds per case (default 11)")
    args = parser.parse_args()
    seeds = range(1, args.runs + 1)

    reference = load_scenario(HERE.parent / "scenarios" / "concert_hall.yaml")
    Simulation(reference, seed=0).run()  # warm-up: imports, caches
    rows = [("concert_hall.yaml", *time_runs(reference, seeds))]
    # The evacuation core alone on the same venue and crowd (issue 3's target): no incident, no warnings.
    evacuation = reference.with_overrides({"incident": {"threat": None, "fire": None}, "intel": None})
    rows.append(("concert_hall.yaml, evacuation only", *time_runs(evacuation, seeds)))
    stadium = {}
    for occupants in (6_000, 24_000, 60_000):
        scenario = parse_scenario(yaml.safe_dump(make_venue(occupants)))
        few = seeds if occupants <= 24_000 else range(1, max(3, args.runs // 3) + 1)
        stadium[occupants] = time_runs(scenario, few)
        rows.append((f"stadium, {occupants:,} occupants", *stadium[occupants]))

    print(f"{'case':<30} {'occupants':>9} {'median s':>9} {'min s':>7} {'max s':>7}")
    for name, median, low, high, occupants in rows:
        print(f"{name:<30} {occupants:>9,} {median:>9.3f} {low:>7.3f} {high:>7.3f}")
    ratio = stadium[60_000][0] / stadium[6_000][0]
    print(f"60k / 6k time ratio: {ratio:.1f} (10.0 would be exactly linear; target ≤ 11)")
    print(f"24k / 6k time ratio: {stadium[24_000][0] / stadium[6_000][0]:.2f} (target ≤ 4.4)")
    bare = bare_simpy_s()
    print(f"100,000 bare SimPy timeouts: {bare:.3f} s; the reference run takes {rows[0][1] / bare:.1f} times "
          f"that (target ≤ 1.2)")


if __name__ == "__main__":
    main()
