"""The plain records a walkthrough is made of: units, links and steps, and which of them a
network of some shape has. No NumPy here, so front ends can import them at no cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from engine.names import link_name, unit_names
from engine.numbers import json_number
from engine.scenario import Scenario

Phase = Literal["forward", "loss", "backward", "update"]
PHASES: tuple[Phase, ...] = ("forward", "loss", "backward", "update")


@dataclass(frozen=True)
class Unit:
    """A unit of the network. Bias units (``X0``, ``Z0``, …) are the constant 1."""

    name: str
    layer: int
    index: int
    bias: bool


@dataclass(frozen=True)
class Link:
    """A weighted link; its weight is ``weights[layer][row, col]``."""

    name: str
    source: str
    target: str
    layer: int
    row: int
    col: int


@dataclass(frozen=True)
class Step:
    """One thing the learner watches happen: a unit's value, the loss, a δ, or a new weight.

    ``sample`` is the training sample's index, or ``None`` for steps that use all samples
    (a batch update, the batch's mean loss). Update steps also carry ``gradient`` (Z·δ, the
    article's J′(W)), ``old`` and ``new``; their ``value`` is ``new``.
    """

    index: int
    phase: Phase
    target: str
    formula: str
    substituted: str
    value: float
    sample: int | None
    gradient: float | None = None
    old: float | None = None
    new: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; non-finite numbers become "nan", "inf", "-inf"."""
        out: dict[str, Any] = {
            "index": self.index,
            "phase": self.phase,
            "target": self.target,
            "formula": self.formula,
            "substituted": self.substituted,
            "value": json_number(self.value),
            "sample": "all" if self.sample is None else self.sample,
        }
        if self.phase == "update":
            for key in ("gradient", "old", "new"):
                number = getattr(self, key)
                out[key] = json_number(number)
        return out


def network_parts(layers: tuple[int, ...]) -> tuple[tuple[Unit, ...], tuple[Link, ...]]:
    """The units and links of a network of this shape, in the order every table lists them."""
    names = unit_names(layers)
    last = len(layers) - 1
    units = tuple(
        Unit(name, layer, index, bias=(layer < last and index == 0))
        for layer, layer_names in enumerate(names)
        for index, name in enumerate(layer_names)
    )
    links: list[Link] = []
    for layer in range(last):
        targets = names[layer + 1] if layer + 1 == last else names[layer + 1][1:]
        for row, target in enumerate(targets):
            for col, source in enumerate(names[layer]):
                links.append(Link(link_name(source, target), source, target, layer, row, col))
    return units, tuple(links)


def iteration_samples(scenario: Scenario, iteration: int) -> tuple[tuple[int, ...], int]:
    """Which samples iteration ``iteration`` uses, and which epoch it is in."""
    if scenario.update == "batch":
        return tuple(range(scenario.n_samples)), iteration
    m = scenario.n_samples
    return (iteration % m,), iteration // m
