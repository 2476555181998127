"""ttxsim.sim: the scenario format and the SimPy model of a venue incident.

Load a scenario, run it, read its result::

    from ttxsim.sim import Simulation, load_scenario

    scenario = load_scenario("scenarios/concert_hall.yaml")
    result = Simulation(scenario, protocol="exits_unlocked", seed=1).run()
"""

from .actions import Action, LockOpenings, OpenOpenings, OrderEvacuation, parse_action
from .events import Event
from .results import OpeningResult, Result, ZoneResult
from .scenario import BASELINE, Scenario, ScenarioError, load_scenario, parse_scenario
from .simulation import ActionError, SimState, Simulation

__all__ = [
    "BASELINE",
    "Action",
    "ActionError",
    "Event",
    "LockOpenings",
    "OpenOpenings",
    "OpeningResult",
    "OrderEvacuation",
    "Result",
    "Scenario",
    "ScenarioError",
    "SimState",
    "Simulation",
    "ZoneResult",
    "load_scenario",
    "parse_action",
    "parse_scenario",
]
