"""Restructuring changes no result: every guarded run matches its golden record, field by field.

The records were made by `record.py` before the restructure of issue 11 (the reference
scenario and the theatre, seeds 1–5, every protocol; every verification case, seeds 1–2).
"""

from __future__ import annotations

import gzip
import json

import pytest

from .record import GOLDEN, cases, key, record

GOLDEN_RUNS = json.loads(gzip.decompress(GOLDEN.read_bytes()))
CASES = list(cases())


def differences(expected, actual, path="") -> list[str]:
    """Every field where two JSON values differ, by its path."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        for k in sorted(set(expected) | set(actual)):
            if k not in actual:
                out.append(f"{path}.{k}: missing")
            elif k not in expected:
                out.append(f"{path}.{k}: new field")
            else:
                out += differences(expected[k], actual[k], f"{path}.{k}")
        return out
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        out = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            out += differences(e, a, f"{path}[{i}]")
        return out
    return [] if expected == actual else [f"{path}: {expected!r} → {actual!r}"]


def test_every_case_has_a_golden_record():
    assert {key(*c) for c in CASES} == set(GOLDEN_RUNS)


@pytest.mark.parametrize("case", CASES, ids=lambda c: key(*c))
def test_result_and_events_match_the_golden_record(case):
    assert differences(GOLDEN_RUNS[key(*case)], record(*case))[:20] == []
