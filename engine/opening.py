"""The start of an iteration: what a lesson shows before its first step.

Before any step the tutor shows the network, the sample and the weights: numbers the scenario
gives, none computed. :func:`opening` makes that screen's data without NumPy, so the app can
draw its first frame before NumPy is imported (bench/tui.py measures the start); the
:class:`~engine.walkthrough.Walkthrough`, which extends :class:`Opening` with the steps, replaces
it a moment later with the very same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Any

from engine.records import Link, Phase, Step, Unit, iteration_samples, network_parts
from engine.scenario import Scenario

_NOTHING: Mapping[tuple[Phase, str], Step] = MappingProxyType({})


@dataclass(frozen=True, eq=False, kw_only=True)
class Iteration:
    """An iteration's network, samples and starting weights, and how many steps it has: what
    an :class:`Opening` and a :class:`~engine.walkthrough.Walkthrough` both know."""

    scenario: Scenario
    units: tuple[Unit, ...]
    links: tuple[Link, ...]
    samples: tuple[int, ...]
    """The training samples this iteration uses, in order."""
    iteration: int
    """How many updates came before this one (0 for the first)."""
    epoch: int
    weights_before: Sequence[Any]
    """One matrix per layer, a row per unit, the bias column first: nested tuples at the
    opening, NumPy arrays in a walkthrough."""
    step_count: int
    steps: tuple[Step, ...] = ()
    """The steps, in order: none before the arithmetic is done."""

    def __len__(self) -> int:
        return self.step_count

    @property
    def batch(self) -> bool:
        """True for a batch iteration: every sample, then one update with the mean gradient."""
        return self.scenario.update == "batch"

    @property
    def finite(self) -> bool:
        """False when some number overflowed to inf or nan (scenarios start finite)."""
        return True

    @cached_property
    def _by_name(self) -> dict[str, Unit | Link]:
        return {**{u.name: u for u in self.units}, **{link.name: link for link in self.links}}

    def unit(self, name: str) -> Unit | None:
        """The unit called ``name``, if there is one."""
        found = self._by_name.get(name)
        return found if isinstance(found, Unit) else None

    def link(self, name: str) -> Link | None:
        """The link called ``name`` (``SRC->DST``), if there is one."""
        found = self._by_name.get(name)
        return found if isinstance(found, Link) else None

    def input_values(self, sample: int) -> dict[str, float]:
        """Value of every input and bias unit for one sample (given, not computed)."""
        x = self.scenario.inputs[sample]
        values = {u.name: 1.0 for u in self.units if u.bias}
        for unit in self.units:
            if unit.layer == 0 and not unit.bias:
                values[unit.name] = float(x[unit.index - 1])
        return values

    def weight(self, link: Link, after: bool = False) -> float:
        """A link's weight before (or after) this iteration's update; before the arithmetic
        nothing is updated, so both are the starting weight."""
        return float(self.weights_before[link.layer][link.row][link.col])

    def step(self, k: int) -> Step | None:
        """Step ``k``, or None before the first (``k = -1``, the start)."""
        return self.steps[k] if k >= 0 else None

    def phase_of(self, k: int) -> Phase:
        """The phase of step ``k``."""
        return self.steps[k].phase

    def current_sample(self, k: int) -> int:
        """The sample step ``k`` is about: the first one at the start, the iteration's last
        one for the steps that use all samples (a batch's mean loss and updates)."""
        if k < 0:
            return self.samples[0]
        sample = self.steps[k].sample
        return self.samples[-1] if sample is None else sample

    def visible(self, k: int) -> Mapping[tuple[Phase, str], Step]:
        """What every table shows once step ``k`` is done: at the opening (``k = -1``),
        nothing computed yet."""
        return _NOTHING

    @cached_property
    def phase_runs(self) -> tuple[range, ...]:
        """The runs of same-phase steps in order, each as the range of its step indexes (a
        batch has one forward, loss and backward run per sample)."""
        starts = [i for i, s in enumerate(self.steps)
                  if i == 0 or s.phase != self.steps[i - 1].phase]
        return tuple(range(a, b) for a, b in zip(starts, [*starts[1:], len(self.steps)]))

    def phase_run(self, k: int) -> range:
        """The run of same-phase steps step ``k`` belongs to."""
        return next(run for run in self.phase_runs if k in run)


@dataclass(frozen=True, eq=False, kw_only=True)
class Opening(Iteration):
    """An iteration before its arithmetic: the network, its sample and its starting weights,
    all given by the scenario. A front end tells it from a walkthrough with ``isinstance``
    (this module needs no NumPy, so the check costs no import)."""


def step_count(scenario: Scenario, samples: int) -> int:
    """How many steps an iteration over ``samples`` samples has, without doing it: for each
    sample a value and a δ per computed unit and its loss; a batch's mean loss; a new weight
    per link. (A test holds it to the walkthrough's own count for many shapes.)"""
    computed = sum(scenario.layers[1:])
    links = sum((a + 1) * b for a, b in zip(scenario.layers, scenario.layers[1:]))
    return samples * (2 * computed + 1) + (scenario.update == "batch") + links


def opening(scenario: Scenario) -> Opening | None:
    """The first iteration's opening, or None when its weights are random (they come from
    NumPy's generator, so there is nothing to show before NumPy)."""
    weights = scenario.initial_weight_values()
    if weights is None:
        return None
    units, links = network_parts(scenario.layers)
    samples, epoch = iteration_samples(scenario, 0)
    return Opening(
        scenario=scenario,
        units=units,
        links=links,
        samples=samples,
        iteration=0,
        epoch=epoch,
        weights_before=weights,
        step_count=step_count(scenario, len(samples)),
    )
