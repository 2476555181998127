"""What one replication leaves behind: a flat record of metrics, and compact series.

Workers return these small records, never per-person data (DESIGN.md section 7). The metric
names are the columns of the results store and the rows of comparisons and reports.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

__all__ = ["METRICS", "SERIES", "decode_series", "encode_series", "make_record"]

METRICS: dict[str, str] = {
    "occupants": "people at the venue at t = 0",
    "evacuated": "people who reached safety",
    "remaining": "people still inside at the end",
    "sheltered": "people sheltering at the end",
    "harmed_total": "people harmed, all causes",
    "harmed_threat": "people harmed by the threat",
    "harmed_smoke": "people incapacitated by smoke (FED)",
    "exposed": "people exposed to the threat",
    "rset_s": "time the last person reached safety (s)",
    "t50_s": "time half the occupants were safe (s)",
    "t95_s": "time 95 % of the occupants were safe (s)",
    "posture": "security posture level at t = 0",
    "warning_reached_venue": "1 if a warning reached the venue before the event",
    "t_warning_at_venue_s": "time the warning reached the venue (s, negative: before)",
    "t_detection_s": "first report (s)",
    "t_alarm_s": "venue alarm (s)",
    "t_evac_order_s": "evacuation order (s)",
    "t_police_arrival_s": "first police on site (s)",
    "t_contained_s": "threat contained or venue secured (s)",
    "t_fire_start_s": "fire start (s)",
    "t_fire_service_s": "fire service on site (s)",
    "t_suppressed_s": "fire suppressed (s)",
}
"""Every numeric metric of a run, with what it means (and its unit)."""

LOWER_IS_BETTER = {"remaining", "harmed_total", "harmed_threat", "harmed_smoke", "exposed", "rset_s",
                   "t50_s", "t95_s", "t_detection_s", "t_alarm_s", "t_evac_order_s", "t_police_arrival_s",
                   "t_contained_s", "t_fire_service_s", "t_suppressed_s"}
"""Metrics for which a smaller value is the better outcome (for 'share of runs better')."""

SERIES = ("curve_safe", "curve_harmed", "occupancy", "openings", "agencies")
"""Per-run series kept compactly (zlib-compressed JSON) alongside the metrics."""


def make_record(result, *, protocol: str, replication: int, seed: int, wall_s: float) -> dict[str, Any]:
    """The record of one run: keys, metrics (None where a time never came), series, wall time."""
    data = result.to_dict()
    record: dict[str, Any] = {
        "protocol": protocol, "replication": replication, "seed": seed, "wall_s": wall_s,
    }
    harmed = data["harmed"]
    values = {
        "harmed_total": harmed["total"],
        "harmed_threat": harmed["threat"],
        "harmed_smoke": harmed["smoke"],
        "warning_reached_venue": int(bool(data.get("warning_reached_venue"))),
    }
    for name in METRICS:
        record[name] = values[name] if name in values else data.get(name)
    record["curve_dt_s"] = data["curve"]["dt_s"]
    record["curve_safe"] = data["curve"]["safe"]
    record["curve_harmed"] = data["curve"]["harmed"]
    record["occupancy"] = data["occupancy"]["zones"]
    record["openings"] = {
        k: {"passed": o["passed"], "peak_queue": o["peak_queue"]} for k, o in data["openings"].items()
    }
    record["agencies"] = data.get("agencies", {})
    return record


def encode_series(value: Any) -> bytes:
    """Compact bytes for a series (zlib-compressed JSON)."""
    return zlib.compress(json.dumps(value, separators=(",", ":")).encode(), 6)


def decode_series(blob: bytes | None) -> Any:
    """The series back from `encode_series`."""
    return None if blob is None else json.loads(zlib.decompress(blob))
