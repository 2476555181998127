"""What one replication leaves behind: a flat record of metrics, and compact series.

Workers return these small records, never per-person data (docs/results-store.md). The metric
names are the columns of the results store and the rows of comparisons and reports.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ttxsim.sim.metrics import METRICS as DEFINED_METRICS

__all__ = ["LOWER_IS_BETTER", "METRICS", "SERIES", "decode_series", "encode_series", "make_record"]

METRICS: Mapping[str, str] = MappingProxyType({m.name: m.description for m in DEFINED_METRICS})
"""Every metric's name and what it means, in the store's column order: a read-only view of
`ttxsim.sim.metrics.METRICS`, where a metric is added or renamed."""

LOWER_IS_BETTER = frozenset(m.name for m in DEFINED_METRICS if m.lower_is_better)
"""Metrics for which a smaller value is the better outcome (for 'share of runs better'): a view
of `Metric.lower_is_better`."""

SERIES = ("curve_safe", "curve_harmed", "occupancy", "openings", "agencies")
"""Per-run series kept compactly (zlib-compressed JSON) alongside the metrics."""


def make_record(result, *, protocol: str, replication: int, seed: int, wall_s: float) -> dict[str, Any]:
    """The record of one run: keys, metrics (None where a time never came), series, wall time.

    Each metric reads itself from the `Result` (`Metric.read`), so the record holds exactly
    the defined metrics, under their defined names.
    """
    record: dict[str, Any] = {
        "protocol": protocol, "replication": replication, "seed": seed, "wall_s": wall_s,
    }
    record.update((m.name, m.read(result)) for m in DEFINED_METRICS)
    record["curve_dt_s"] = result.curve_dt_s
    record["curve_safe"] = list(result.curve_safe)
    record["curve_harmed"] = list(result.curve_harmed)
    record["occupancy"] = {k: list(v) for k, v in result.occupancy.items()}
    record["openings"] = {
        k: {"passed": o.passed, "peak_queue": o.peak_queue} for k, o in result.openings.items()
    }
    record["agencies"] = result.agencies
    return record


def encode_series(value: Any) -> bytes:
    """Compact bytes for a series (zlib-compressed JSON)."""
    return zlib.compress(json.dumps(value, separators=(",", ":")).encode(), 6)


def decode_series(blob: bytes | None) -> Any:
    """The series back from `encode_series`."""
    return None if blob is None else json.loads(zlib.decompress(blob))
