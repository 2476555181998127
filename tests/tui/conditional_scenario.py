"""A small scenario with conditional injects, for the session and console tests.

One room, two exits (the side one locked), fifty people; a decision before the event whether
to open the side exit, then injects whose text depends on it and on the model.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from ttxsim.sim.scenario.merge import deep_merge

BASE: dict[str, Any] = {
    "meta": {"name": "Small room with a locked exit", "sources": ["test fixture"], "horizon_s": 600},
    "venue": {
        "zones": [{"id": "room", "name": "The room", "kind": "room", "x_m": 0, "y_m": 0,
                   "width_m": 10, "depth_m": 10}],
        "openings": [
            {"id": "door", "name": "Front door", "between": ["room", "outside"], "width_m": 1.0,
             "at_m": [10, 5]},
            {"id": "side", "name": "Side exit", "between": ["room", "outside"], "width_m": 1.0,
             "at_m": [0, 5], "state": "locked"},
        ],
    },
    "population": {
        "occupants": [{"zone": "room", "count": 50}],
        "premovement_s": {"dist": "lognormal", "median": 30, "sigma": 0.5},
    },
    "injects": [
        {"id": "D1", "at": "T-1d", "kind": "decision", "to": "Manager", "message": "The side exit is locked.",
         "decision": {"prompt": "Open it?", "default": "leave", "deadline_s": 3600, "options": [
             {"id": "open", "label": "Open the side exit",
              "actions": [{"action": "open_openings", "ids": ["side"]}]},
             {"id": "leave", "label": "Leave it locked"}]}},
        {"id": "I2", "at": "T+00:00:10", "to": "Manager", "when": "opening(side) is locked",
         "message": "Locked exits: {locked_exits}.",
         "otherwise": {"message": "Every exit is open: {open_exits}.", "from": "Steward"}},
        {"id": "I3", "at": "T+00:00:20", "to": "Manager", "when": "decision(D1) is open",
         "message": "The side exit you opened is busy."},
        {"id": "I4", "at": "T+00:00:40", "to": "Manager", "unless": "inside == 0",
         "message": "{inside} inside, {inside:room} in the room, {evacuated} out at {clock}; {{braces}}.",
         "questions": ["Who is still in {threat_zone}?"]},
    ],
}


def conditional_yaml(**overrides: Any) -> str:
    """The scenario's YAML, with `overrides` merged in."""
    merged, _ = deep_merge(copy.deepcopy(BASE), overrides)
    return yaml.safe_dump(merged, sort_keys=False)
