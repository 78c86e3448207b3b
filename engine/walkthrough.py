"""The walkthrough: one iteration of training as an ordered list of plain steps.

Every front end (the app, the ``print`` transcript, the JSON export, the tests) renders these
steps and nothing else, so they can never disagree. The numbers are read off the arrays of one
vectorised :class:`~engine.network.Pass`; nothing is computed twice. The plain records (units,
links, steps) live in :mod:`engine.records`; what a walkthrough knows before any arithmetic,
its :class:`~engine.opening.Opening`, and what both share (:class:`~engine.opening.Iteration`),
in :mod:`engine.opening`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Any

import numpy as np

from engine.activations import activation
from engine.losses import loss as get_loss
from engine.names import unit_names
from engine.network import Pass, run_pass
from engine.numbers import factor, fmt, json_number
from engine.opening import Iteration
from engine.records import Link, Phase, Step, Unit, iteration_samples, network_parts
from engine.scenario import Scenario


@dataclass(frozen=True, eq=False, kw_only=True)
class Walkthrough(Iteration):
    """One iteration: the network, samples and starting weights, the steps, and the arrays
    they were read from."""

    steps: tuple[Step, ...]
    weights_before: tuple[np.ndarray, ...]
    weights_after: tuple[np.ndarray, ...]
    loss: float
    """The loss of this iteration (the mean over its samples)."""
    outputs: np.ndarray
    """The outputs of this iteration's samples, before the update, shape (m, K)."""
    arrays: Pass
    """Every array of the pass the steps were read from (rows: this iteration's samples)."""

    @cached_property
    def finite(self) -> bool:
        """False when some number overflowed to inf or nan: the front ends warn then (asked
        by the header and the explanation at every key, worked out once)."""
        return all(np.isfinite(w).all() for w in self.weights_after) and all(
            np.isfinite(s.value) for s in self.steps
        )

    def weight(self, link: Link, after: bool = False) -> float:
        """A link's weight before (or after) this iteration's update."""
        weights = self.weights_after if after else self.weights_before
        return float(weights[link.layer][link.row, link.col])

    @cached_property
    def _visible(self) -> dict[int, Mapping[tuple[Phase, str], Step]]:
        return {}

    def visible(self, k: int) -> Mapping[tuple[Phase, str], Step]:
        """What every table shows once step ``k`` is done (``k = -1``: nothing yet).

        Forward, loss and backward rows show the current sample's steps only, so a batch
        iteration's second sample starts with blank rows; update rows stay once made.
        Worked out once per step and shared, read-only, by every pane that asks.
        """
        cached = self._visible.get(k)
        if cached is not None:
            return cached
        shown: dict[tuple[Phase, str], Step] = {}
        if k >= 0:
            sample = self.current_sample(k)
            for step in self.steps[: k + 1]:
                if step.phase == "update" or step.sample in (sample, None):
                    shown[(step.phase, step.target)] = step
        view = MappingProxyType(shown)
        self._visible[k] = view
        return view

    def to_dict(self) -> dict[str, Any]:
        """The JSON transcript: ``scenario``, ``units``, ``links`` and ``steps``."""
        s = self.scenario
        return {
            "scenario": {
                "name": s.name,
                "layers": list(s.layers),
                "activations": list(s.activations),
                "loss": s.loss,
                "learning_rate": json_number(s.learning_rate),
                "update": s.update,
                "iteration": self.iteration,
                "epoch": self.epoch,
                "samples": list(self.samples),
            },
            "units": [
                {"name": u.name, "layer": u.layer, "bias": u.bias} for u in self.units
            ],
            "links": [
                {
                    "name": link.name,
                    "source": link.source,
                    "target": link.target,
                    "old": json_number(self.weight(link)),
                    "new": json_number(self.weight(link, after=True)),
                }
                for link in self.links
            ],
            "steps": [step.to_dict() for step in self.steps],
        }


def walk(
    scenario: Scenario, weights: list[np.ndarray] | None = None, iteration: int = 0
) -> Walkthrough:
    """The walkthrough of one iteration, starting from ``weights`` (default: the initial ones).

    Online: one sample (``iteration mod m``), then its update. Batch: every sample's forward,
    loss and backward, the mean loss, then one update with the averaged gradients.
    """
    if weights is None:
        weights = scenario.initial_weights()
    samples, epoch = iteration_samples(scenario, iteration)
    acts = [activation(name) for name in scenario.activations]
    loss = get_loss(scenario.loss)
    x = scenario.input_array()[list(samples)]
    y = scenario.target_array()[list(samples)]
    with np.errstate(all="ignore"):
        result = run_pass(weights, acts, loss, x, y)
        gradients = result.mean_gradients()
        new_weights = [w - scenario.learning_rate * g for w, g in zip(weights, gradients)]
        mean_loss = float(result.losses.mean())
    units, links = network_parts(scenario.layers)
    builder = _StepBuilder(scenario, units, links, weights, result)
    with np.errstate(all="ignore"):  # overflowed numbers are shown as inf and nan, not warned
        for position, sample in enumerate(samples):
            builder.sample_steps(position, sample)
        if scenario.update == "batch":
            builder.mean_loss_step(mean_loss)
        builder.update_steps(samples, gradients, new_weights)
    return Walkthrough(
        scenario=scenario,
        units=units,
        links=links,
        steps=tuple(builder.steps),
        samples=samples,
        iteration=iteration,
        epoch=epoch,
        weights_before=tuple(np.array(w, copy=True) for w in weights),
        step_count=len(builder.steps),
        weights_after=tuple(new_weights),
        loss=mean_loss,
        outputs=result.outputs.copy(),
        arrays=result,
    )


class _StepBuilder:
    """Reads the steps off one pass's arrays, in the order a learner meets them."""

    def __init__(
        self,
        scenario: Scenario,
        units: tuple[Unit, ...],
        links: tuple[Link, ...],
        weights: list[np.ndarray],
        result: Pass,
    ) -> None:
        self.scenario = scenario
        self.weights = weights
        self.result = result
        self.acts = [activation(name) for name in scenario.activations]
        self.loss = get_loss(scenario.loss)
        self.names = unit_names(scenario.layers)
        self.last = len(scenario.layers) - 1
        self.links = links
        self.steps: list[Step] = []

    def add(self, phase: Phase, target: str, formula: str, substituted: str, value: float,
            sample: int | None, **update: float) -> None:
        """Append a step, numbering it."""
        self.steps.append(
            Step(len(self.steps), phase, target, formula, substituted, float(value), sample,
                 **update)
        )

    def computed_names(self, layer: int) -> list[str]:
        """Names of the units of ``layer`` (1 = first non-input) that are computed, not bias."""
        names = self.names[layer]
        return names if layer == self.last else names[1:]

    def sample_steps(self, row: int, sample: int) -> None:
        """Forward, loss and backward steps of one sample (row ``row`` of the pass's arrays)."""
        r = self.result
        for layer in range(1, self.last + 1):
            act = self.acts[layer - 1]
            sources = self.names[layer - 1]
            letter = sources[0][0]
            inputs = r.augmented[layer - 1][row]
            w = self.weights[layer - 1]
            for j, name in enumerate(self.computed_names(layer)):
                terms = " + ".join(f"{factor(w[j, i])}·{factor(inputs[i])}"
                                   for i in range(len(sources)))
                z = r.z[layer - 1][row, j]
                if act.symbol:
                    substituted = f"{act.wrap(terms)} = {act.wrap(fmt(z))}"
                else:
                    substituted = terms
                weighted_sum = f"Σ w·{letter}"
                formula = f"{name} = {act.wrap(weighted_sum)}"
                self.add("forward", name, formula, substituted, r.a[layer - 1][row, j], sample)
        out_names = self.names[self.last]
        outputs = r.outputs[row]
        targets = self.scenario.targets[sample]
        formula, substituted = self.loss.loss_text(out_names, outputs.tolist(), list(targets))
        self.add("loss", "loss", formula, substituted, r.losses[row], sample)
        k = len(out_names)
        for j, name in enumerate(out_names):
            formula, substituted = self.loss.delta_text(
                name, float(outputs[j]), float(targets[j]), float(r.fprime[-1][row, j]), k
            )
            self.add("backward", name, formula, substituted, r.deltas[-1][row, j], sample)
        for layer in range(self.last - 1, 0, -1):
            w_next = self.weights[layer]
            next_names = self.computed_names(layer + 1)
            next_deltas = r.deltas[layer][row]
            for j, name in enumerate(self.computed_names(layer)):
                terms = " + ".join(
                    f"{factor(w_next[k_, j + 1])}·{factor(next_deltas[k_])}"
                    for k_ in range(len(next_names))
                )
                fprime = r.fprime[layer - 1][row, j]
                formula = f"δ({name}) = f′(z)·Σ w·δ"
                substituted = f"{factor(fprime)}·({terms})"
                self.add("backward", name, formula, substituted, r.deltas[layer - 1][row, j],
                         sample)

    def mean_loss_step(self, mean_loss: float) -> None:
        """The batch's loss: the mean of its samples' losses."""
        losses = " + ".join(factor(v) for v in self.result.losses)
        m = len(self.result.losses)
        self.add("loss", "loss", "E = (1/m)·Σ E", f"({losses})/{m}", mean_loss, None)

    def update_steps(
        self, samples: tuple[int, ...], gradients: list[np.ndarray], new: list[np.ndarray]
    ) -> None:
        """One step per link: ``w ← w − α·Z·δ`` (batch: the mean of Z·δ over the samples).

        The gradient shown is the one the update used, read off the same array.
        """
        r = self.result
        alpha = fmt(self.scenario.learning_rate)
        batch = self.scenario.update == "batch"
        for link in self.links:
            old = float(self.weights[link.layer][link.row, link.col])
            products = [
                f"{factor(r.augmented[link.layer][s, link.col])}·"
                f"{factor(r.deltas[link.layer][s, link.row])}"
                for s in range(len(samples))
            ]
            gradient = float(gradients[link.layer][link.row, link.col])
            product = f"{link.source}·δ({link.target})"
            if batch:
                formula = f"w ← w − α·mean({product})"
                mean = f"({' + '.join(products)})/{len(samples)}"
                substituted = f"{fmt(old)} − {alpha}·({mean})"
            else:
                formula = f"w ← w − α·{product}"
                substituted = f"{fmt(old)} − {alpha}·({products[0]})"
            value = float(new[link.layer][link.row, link.col])
            self.add("update", link.name, formula, substituted, value,
                     None if batch else samples[0], gradient=gradient, old=old, new=value)
