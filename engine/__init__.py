"""The backprop engine: plain NumPy, no user interface.

A :class:`~engine.scenario.Scenario` describes one lesson; :func:`~engine.walkthrough.walk`
turns it into the ordered :class:`~engine.walkthrough.Step` list every front end renders;
:func:`~engine.training.train` runs many epochs fast. Nothing here imports textual or rich.
"""

from engine.builtin import BUILTIN_SCENARIOS, builtin
from engine.scenario import Init, Scenario, ScenarioError
from engine.scenario_file import dump_scenario, load_scenario, parse_scenario, resolve_scenario
from engine.training import TrainingResult, train
from engine.walkthrough import Link, Step, Unit, Walkthrough, walk

__all__ = [
    "BUILTIN_SCENARIOS",
    "Init",
    "Link",
    "Scenario",
    "ScenarioError",
    "Step",
    "TrainingResult",
    "Unit",
    "Walkthrough",
    "builtin",
    "dump_scenario",
    "load_scenario",
    "parse_scenario",
    "resolve_scenario",
    "train",
    "walk",
]
