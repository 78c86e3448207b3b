"""The backprop engine: plain NumPy, no user interface.

A :class:`~engine.scenario.Scenario` describes one lesson; :func:`~engine.walkthrough.walk`
turns it into the ordered :class:`~engine.walkthrough.Step` list every front end renders;
:func:`~engine.training.train` runs many epochs fast. Nothing here imports textual or rich.

The names that need NumPy (``walk``, ``train``, …) are loaded on first use: importing
``engine`` (or the scenario, the records and :mod:`engine.opening`) does not import NumPy, so
the app's first frame does not wait for it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# NumPy-free, so imported now.
from engine.builtin_lessons import BUILTIN_SCENARIOS, builtin
from engine.records import Link, Step, Unit
from engine.scenario import Init, Scenario, ScenarioError

if TYPE_CHECKING:
    from engine.scenario_file import (
        dump_scenario,
        load_scenario,
        parse_scenario,
        resolve_scenario,
    )
    from engine.training import TrainingResult, train
    from engine.walkthrough import Walkthrough, walk

#: Where each name that needs NumPy (or the TOML reader) lives: loaded on first use.
_HOMES = {
    "dump_scenario": "engine.scenario_file",
    "load_scenario": "engine.scenario_file",
    "parse_scenario": "engine.scenario_file",
    "resolve_scenario": "engine.scenario_file",
    "TrainingResult": "engine.training",
    "train": "engine.training",
    "Walkthrough": "engine.walkthrough",
    "walk": "engine.walkthrough",
}

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


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is asked for (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
