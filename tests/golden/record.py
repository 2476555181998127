"""Record the golden results that guard restructuring: `python tests/golden/record.py`.

Each case is a scenario, a protocol and a seed; its golden record is the run's result JSON
(`ttxsim run --json`) and its event log. Re-record only when the model is meant to change,
and say so in the commit.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "results.json.gz"
SCENARIOS = ["scenarios/concert_hall.yaml", "scenarios/theatre.yaml"]
VERIFICATION = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "scenarios" / "verification").glob("*.yaml"))


def cases():
    """(scenario path, protocol, seed) for every guarded run."""
    from ttxsim.sim import load_scenario

    for path in SCENARIOS + VERIFICATION:
        scenario = load_scenario(ROOT / path)
        seeds = range(1, 6) if path in SCENARIOS else range(1, 3)
        for protocol in ["baseline", *(p for p in scenario.protocols if p != "baseline")]:
            for seed in seeds:
                yield path, protocol, seed


def record(path: str, protocol: str, seed: int) -> dict:
    """The result JSON and the event log of one run."""
    from ttxsim.sim import Simulation, load_scenario

    sim = Simulation(load_scenario(ROOT / path), protocol=protocol, seed=seed)
    result = sim.run()
    return {"result": result.to_dict(), "events": [e.to_dict() for e in sim.events]}


def key(path: str, protocol: str, seed: int) -> str:
    return f"{path}|{protocol}|{seed}"


def main() -> int:
    data = {key(*case): record(*case) for case in cases()}
    GOLDEN.write_bytes(gzip.compress(json.dumps(data, sort_keys=True).encode(), mtime=0))
    print(f"{len(data)} runs recorded in {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
