"""`make fuzz`: run many fuzz cases of every kind and print a summary.

    python -m tests.fuzz.run                          # 1,000 scenarios, 300 of each other kind
    python -m tests.fuzz.run --scenarios 200 --others 50
    python -m tests.fuzz.run --only scenario:17       # one case, with its commands and failures
    python -m tests.fuzz.run --only scenario:17 --write case17/   # its files kept in an empty folder

The summary gives the cases run, the exit statuses seen, the tracebacks and internal errors,
and every failing case with the command that reproduces it. Exit status 1 if any case failed
that `known_failures.py` does not list, else 0.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from .cases import KINDS, make_case, run_case
from .check import INTERNAL, TRACEBACK
from .known_failures import KNOWN_FAILURES

REPRODUCE = ".venv/bin/python -m tests.fuzz.run --only {name} --write fuzz-case/"
"""How to rerun one case: its commands and failures printed, its input files kept in fuzz-case/."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.run", description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=1000, help="scenario cases (default 1,000)")
    parser.add_argument(
        "--others",
        type=int,
        default=300,
        help="cases of each other kind: decisions, MSEL, journal (default 300)",
    )
    parser.add_argument("--first", type=int, default=0, help="first case number of each kind (default 0)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="KIND:N",
        help="run only these cases (repeatable), printing their commands",
    )
    parser.add_argument("--write", type=Path, metavar="DIR", help="with --only: write the input files here")
    args = parser.parse_args(argv)

    if args.only:
        names = [tuple(item.split(":")) for item in args.only]
        plan = [(kind, int(number)) for kind, number in names]
    else:
        plan = [
            (kind, n)
            for kind in KINDS
            for n in range(args.first, args.first + (args.scenarios if kind == "scenario" else args.others))
        ]

    statuses: dict[str, Counter] = defaultdict(Counter)
    by_symptom: Counter = Counter()
    failing: list[tuple[str, list]] = []
    ran: Counter = Counter()
    broken: list[str] = []
    started = time.monotonic()
    for i, (kind, number) in enumerate(plan, start=1):
        try:
            case = make_case(kind, number)
        except Exception as exc:  # a bug of the generator, not of ttxsim: say so and go on
            print(f"{kind}:{number}: the fuzz generator failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            broken.append(f"{kind}:{number}")
            continue
        with tempfile.TemporaryDirectory(prefix="ttxsim-fuzz-") as tmp:
            directory = args.write if (args.write and args.only) else Path(tmp)
            directory.mkdir(parents=True, exist_ok=True)
            outcome = run_case(case, directory)
        ran[kind] += 1
        statuses[kind].update(outcome.statuses)
        if outcome.failures:
            failing.append((case, outcome.failures))
            by_symptom.update({f.symptom for f in outcome.failures})
        if args.only:
            print(f"{case.name} [{case.mutation}] {case.description}")
            for command in outcome.commands:
                print(f"  $ {command}")
            for failure in outcome.failures:
                print(f"  FAILED {failure}")
        elif i % 100 == 0:
            print(
                f"... {i:,} of {len(plan):,} cases, {len(failing)} failing, "
                f"{time.monotonic() - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )

    print(f"\nfuzz: {sum(ran.values()):,} cases in {time.monotonic() - started:.0f} s")
    for kind in KINDS:
        if ran[kind]:
            seen = ", ".join(f"{status}: {count:,}" for status, count in sorted(statuses[kind].items()))
            print(f"  {kind:9} {ran[kind]:5,} cases; exit statuses {seen or 'none'}")
    print(
        f"  tracebacks: {by_symptom[TRACEBACK]}  internal errors: {by_symptom[INTERNAL]}  "
        f"failing cases: {len(failing)}"
    )
    for symptom, count in by_symptom.most_common():
        print(f"    {symptom}: {count} cases")
    groups: dict[str, list[str]] = defaultdict(list)
    for case, failures in failing:
        for group in dict.fromkeys(f.group for f in failures):
            groups[group].append(case.name)
    if groups:
        print("\nfailures by symptom, command and exception (one group is likely one bug):")
        for group, names in sorted(groups.items(), key=lambda item: -len(item[1])):
            shown = ", ".join(names[:12]) + (f", ... ({len(names)} cases)" if len(names) > 12 else "")
            print(f"  {group}\n      {shown}")
    if broken:
        print(f"  cases the generator could not build: {', '.join(broken)}")
    new = [(case, failures) for case, failures in failing if case.name not in KNOWN_FAILURES]
    if failing:
        print("\nfailing cases (known: in known_failures.py):")
        for case, failures in failing:
            known = " (known)" if case.name in KNOWN_FAILURES else ""
            print(f"  {case.name}{known} [{case.mutation}] {case.description[:160]}")
            for failure in failures[:3]:
                print(f"      {str(failure)[:300]}")
            print(f"      reproduce: {REPRODUCE.format(name=case.name)}")
    return 1 if new or broken else 0


if __name__ == "__main__":
    sys.exit(main())
