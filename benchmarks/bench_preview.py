"""Speed of the console's outcome preview, run by hand; results go in the README.

Targets (issue 17): the first estimate for every option within 3 s of `p`, and 100 futures
of a three-option decision within 30 s on 2 cores with the full incident. The case is the
reference exercise's first three-option decision (CH-04, two weeks before, whether to raise
the posture), or another with `--inject`. Timed from the call, as the key press makes it:
with a cold pool (workers started by this preview) and then a warm one (kept from the first),
each with and without the early stop.

    .venv/bin/python benchmarks/bench_preview.py [--inject CH-17] [--runs 100]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from ttxsim.tui.preview import preview_options, warm_pool
from ttxsim.tui.session import ExerciseSession

REFERENCE = Path(__file__).resolve().parents[1] / "scenarios" / "concert_hall.yaml"


def open_decision(folder: Path, inject_id: str) -> ExerciseSession:
    """The reference session with `inject_id` delivered and its decision open."""
    session = ExerciseSession.start(REFERENCE, seed=1, journal_path=folder / "journal.jsonl")
    while not session.inject(inject_id).awaiting_decision:
        for state in session.next_inject():
            if state.inject.id != inject_id and state.awaiting_decision:
                session.choose(state.inject.id, state.inject.decision.default)
        if session.finished:
            raise SystemExit(f"{inject_id} never came")
    return session


def time_preview(session: ExerciseSession, inject_id: str, runs: int, stop_early: bool) -> tuple:
    """(first estimate s, whole preview s, futures per option, why it stopped)."""
    start = time.perf_counter()
    first: list[float] = []
    last = []

    def estimate(e) -> None:
        if not first:
            first.append(time.perf_counter() - start)
        last[:] = [e]

    preview_options(session, inject_id, runs=runs, estimate=estimate, stop_early=stop_early,
                    pool=warm_pool(2))
    return first[0], time.perf_counter() - start, last[0].futures, last[0].stopped_early


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inject", default="CH-04")
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        session = open_decision(Path(folder), args.inject)
        options = len(session.inject(args.inject).inject.decision.options)
        print(f"{args.inject} at {session.clock()}: {options} options, "
              f"up to {args.runs} futures each, 2 workers")
        for label, stop in (("cold pool, early stop", True), ("warm pool, early stop", True),
                            ("warm pool, all futures", False)):
            first, whole, futures, why = time_preview(session, args.inject, args.runs, stop)
            print(f"{label:<24} first estimate {first:5.1f} s   done {whole:5.1f} s   "
                  f"{futures} futures/option" + (f"   ({why})" if why else ""))
        session.close()


if __name__ == "__main__":
    main()
