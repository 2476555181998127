"""Shared fixtures: write a scenario file, build a small valid scenario with overrides."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

from ttxsim.sim.scenario import Scenario, parse_scenario
from ttxsim.sim.scenario.merge import deep_merge

# Property tests: the default profile is derandomized, so CI sees the same examples every run;
# `HYPOTHESIS_PROFILE=thorough pytest tests/sim/test_properties.py` searches far wider.
settings.register_profile("default", max_examples=60, derandomize=True, database=None)
settings.register_profile("thorough", max_examples=1500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

SMALL_SCENARIO: dict[str, Any] = {
    "meta": {"name": "Small room", "sources": ["test fixture"]},
    "venue": {
        "zones": [{"id": "room", "kind": "room", "x_m": 0, "y_m": 0, "width_m": 10, "depth_m": 10}],
        "openings": [
            {"id": "door", "between": ["room", "outside"], "width_m": 1.0, "at_m": [10, 5]},
        ],
    },
    "population": {
        "occupants": [{"zone": "room", "count": 50}],
        "premovement_s": {"dist": "lognormal", "median": 30, "sigma": 0.5},
    },
}
"""One 10 m × 10 m room, one 1 m door to outside, 50 people, lognormal pre-movement."""


def scenario_data(**overrides: Any) -> dict[str, Any]:
    """SMALL_SCENARIO deep-merged with `overrides` (lists of items with an `id` merge by id)."""
    merged, _ = deep_merge(copy.deepcopy(SMALL_SCENARIO), overrides)
    return merged


@pytest.fixture
def make_scenario() -> Callable[..., Scenario]:
    """A factory: `make_scenario(venue={...}, protocols={...})` → a validated Scenario."""

    def make(**overrides: Any) -> Scenario:
        return parse_scenario(yaml.safe_dump(scenario_data(**overrides), sort_keys=False))

    return make


@pytest.fixture
def make_scenario_data() -> Callable[..., dict[str, Any]]:
    """A factory: the small scenario's data (a dict) with overrides, before validation."""
    return scenario_data


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """A function `write_yaml(text_or_bytes, name="scenario.yaml")` → the written file's path.

    A dict is dumped as YAML first.
    """

    def write(content: str | bytes | dict, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict):
            content = yaml.safe_dump(content, sort_keys=False)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write
