"""ttxsim.sim: the scenario format and the SimPy model of a venue incident.

Load a scenario, run it, read its result::

    from ttxsim.sim import Simulation, load_scenario

    scenario = load_scenario("scenarios/concert_hall.yaml")
    result = Simulation(scenario, protocol="exits_unlocked", seed=1).run()
"""

from .actions import (
    Action,
    Announce,
    Dispatch,
    LockOpenings,
    OpenOpenings,
    OrderEvacuation,
    OrderShelter,
    parse_action,
)
from .atomic import atomic_output, write_atomic
from .events import Event
from .results import OpeningResult, Result, ZoneResult
from .scenario import BASELINE, Scenario, ScenarioError, load_scenario, parse_scenario
from .scenario.exercise import RATINGS
from .scenario.times import format_scenario_time, parse_scenario_time
from .simulation import ActionError, Simulation
from .state import SimState
from .triggers import triggers_of

__all__ = [
    "BASELINE",
    "RATINGS",
    "Action",
    "ActionError",
    "Announce",
    "Dispatch",
    "Event",
    "LockOpenings",
    "OpenOpenings",
    "OpeningResult",
    "OrderEvacuation",
    "OrderShelter",
    "Result",
    "Scenario",
    "ScenarioError",
    "SimState",
    "Simulation",
    "ZoneResult",
    "atomic_output",
    "format_scenario_time",
    "load_scenario",
    "parse_action",
    "parse_scenario",
    "parse_scenario_time",
    "triggers_of",
    "write_atomic",
]
