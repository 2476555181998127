"""Batch Monte Carlo over scenarios and protocols: runs, results store, comparisons, plots."""

from .batch import run_batch
from .frames import load_runs, load_series
from .records import LOWER_IS_BETTER, METRICS, SERIES, decode_series, encode_series, make_record
from .replicate import replication_seed, run_replication
from .store import SCHEMA_VERSION, ResultsStore, StoreMismatch

__all__ = [
    "LOWER_IS_BETTER",
    "METRICS",
    "SCHEMA_VERSION",
    "SERIES",
    "ResultsStore",
    "StoreMismatch",
    "decode_series",
    "encode_series",
    "load_runs",
    "load_series",
    "make_record",
    "replication_seed",
    "run_batch",
    "run_replication",
]
