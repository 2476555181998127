"""Fuzz cases that fail today, and why: the one list to empty as the hardening fixes land.

Keys are case names (`kind:number`, as `python -m tests.fuzz.run --only` takes them); values
say what fails. The CI subset (`test_fuzz.py`) marks these cases `xfail(strict=False)`, so a
fix makes them pass without failing the suite; delete an entry once its case passes. `make
fuzz` lists every failing case, these and the others, grouped by symptom.
"""

KNOWN_FAILURES: dict[str, str] = {}
