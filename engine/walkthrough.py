"""The walkthrough: one iteration of training as an ordered list of plain steps.

Every front end (the app, the ``print`` transcript, the JSON export, the tests) renders these
steps and nothing else, so they can never disagree. The numbers are read off the arrays of one
vectorised :class:`~engine.network.Pass`; nothing is computed twice.

A step is made when it is asked for, not before: the largest lesson allowed (11 layers of 64
units, a batch of 4096 samples) has over five million of them. :class:`StepPlan` finds any
step, its phase, its sample and the runs of a phase by arithmetic on the network's shape;
:class:`Steps` is the sequence front ends index and iterate, each step read off the arrays on
demand (the last few kept, since a screen asks for the same ones again). The plain records
(units, links, steps) live in :mod:`engine.records`; what a walkthrough knows before any
arithmetic, its :class:`~engine.opening.Opening`, and what both share
(:class:`~engine.opening.Iteration`), in :mod:`engine.opening`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, overload

import numpy as np

from engine.activations import Activation, activation
from engine.losses import Loss
from engine.losses import loss as get_loss
from engine.names import unit_names
from engine.network import Pass, run_pass
from engine.numbers import factor, fmt, json_number
from engine.opening import Iteration
from engine.records import Link, Phase, Step, iteration_samples, network_parts
from engine.scenario import Scenario

#: A sum of more terms than this is abridged in a step's working: its first and last
#: EDGE_TERMS terms and how many stand between (the value is always exact). A batch of 4096
#: samples would otherwise write 4096 products into every update step.
MAX_TERMS = 64
EDGE_TERMS = 8
#: Steps a walkthrough keeps made: a screen asks for the same ones at every key.
KEPT_STEPS = 4096


def summed(term: Callable[[int], str], n: int, sep: str = " + ") -> str:
    """``term(0) + term(1) + …``: every term up to MAX_TERMS, else the first and last few
    around ``…(N more)…``; only the terms written are formatted."""
    if n <= MAX_TERMS:
        return sep.join(term(i) for i in range(n))
    head = sep.join(term(i) for i in range(EDGE_TERMS))
    tail = sep.join(term(i) for i in range(n - EDGE_TERMS, n))
    return f"{head}{sep}…({n - 2 * EDGE_TERMS} more){sep}{tail}"


@dataclass(frozen=True)
class StepPlan:
    """Where every step of an iteration is, from the network's shape and the number of
    samples alone.

    Each sample has a block: its forward steps (layer by layer), its loss, its backward steps
    (the output layer, then back); a batch then has its mean loss; then one update per link.
    """

    forward: tuple[tuple[int, int, str], ...]
    """(layer, row in the layer's arrays, unit) of each computed unit, in forward order."""
    backward: tuple[tuple[int, int, str], ...]
    """The same, in the order backpropagation reaches them."""
    n_samples: int
    batch: bool
    links: tuple[Link, ...]
    _forward_at: dict[str, int] = field(init=False, repr=False)
    _backward_at: dict[str, int] = field(init=False, repr=False)
    _link_at: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "_forward_at", {name: i for i, (_, _, name) in enumerate(self.forward)})
        set_(self, "_backward_at", {name: i for i, (_, _, name) in enumerate(self.backward)})
        set_(self, "_link_at", {link.name: i for i, link in enumerate(self.links)})

    @classmethod
    def of(cls, scenario: Scenario, links: tuple[Link, ...], n_samples: int) -> StepPlan:
        """The plan of an iteration of ``scenario`` over ``n_samples`` samples."""
        names = unit_names(scenario.layers)
        last = len(scenario.layers) - 1

        def computed(layer: int) -> list[tuple[int, int, str]]:
            layer_names = names[layer] if layer == last else names[layer][1:]
            return [(layer, j, name) for j, name in enumerate(layer_names)]

        forward = [u for layer in range(1, last + 1) for u in computed(layer)]
        backward = [u for layer in range(last, 0, -1) for u in computed(layer)]
        return cls(tuple(forward), tuple(backward), n_samples, scenario.update == "batch",
                   links)

    @property
    def per_sample(self) -> int:
        """Steps in each sample's block: forward, loss, backward."""
        return 2 * len(self.forward) + 1

    @property
    def samples_end(self) -> int:
        """Index of the first step after every sample's block."""
        return self.n_samples * self.per_sample

    @property
    def updates_start(self) -> int:
        """Index of the first update step (after a batch's mean loss)."""
        return self.samples_end + self.batch

    @property
    def count(self) -> int:
        """Steps in the iteration."""
        return self.updates_start + len(self.links)

    def position(self, k: int) -> int:
        """Which of the iteration's samples step ``k`` is about (0 at the start; the last one
        for the steps that use them all)."""
        if k < 0:
            return 0
        return min(k // self.per_sample, self.n_samples - 1)

    def phase(self, k: int) -> Phase:
        """The phase of step ``k``."""
        if k >= self.samples_end:
            return "update" if k >= self.updates_start else "loss"
        offset = k % self.per_sample
        n = len(self.forward)
        return "forward" if offset < n else "loss" if offset == n else "backward"

    def shared(self, k: int) -> bool:
        """True for a step that uses every sample (a batch's mean loss and updates)."""
        return k >= self.samples_end and (self.batch or k < self.updates_start)

    def index(self, phase: Phase, target: str, position: int) -> int | None:
        """The step about ``target`` in ``phase`` for sample ``position``, if there is one."""
        block = position * self.per_sample
        n = len(self.forward)
        if phase == "forward":
            at = self._forward_at.get(target)
            return None if at is None else block + at
        if phase == "backward":
            at = self._backward_at.get(target)
            return None if at is None else block + n + 1 + at
        if phase == "loss":
            return block + n if target == "loss" else None
        at = self._link_at.get(target)
        return None if at is None else self.updates_start + at

    def runs(self) -> tuple[range, ...]:
        """The runs of same-phase steps, in order."""
        runs: list[range] = []
        n = len(self.forward)
        for p in range(self.n_samples):
            block = p * self.per_sample
            runs += [range(block, block + n), range(block + n, block + n + 1),
                     range(block + n + 1, block + self.per_sample)]
        if self.batch:
            runs.append(range(self.samples_end, self.updates_start))
        if self.links:
            runs.append(range(self.updates_start, self.count))
        return tuple(runs)

    def run(self, k: int) -> range:
        """The run of same-phase steps step ``k`` belongs to."""
        if k >= self.samples_end:
            if k >= self.updates_start:
                return range(self.updates_start, self.count)
            return range(self.samples_end, self.updates_start)
        block = self.position(k) * self.per_sample
        n = len(self.forward)
        offset = k - block
        if offset < n:
            return range(block, block + n)
        if offset == n:
            return range(block + n, block + n + 1)
        return range(block + n + 1, block + self.per_sample)

    def sample_ends(self) -> list[int]:
        """The last step of each sample's block."""
        return [(p + 1) * self.per_sample - 1 for p in range(self.n_samples)]


class Steps(Sequence[Step]):
    """The steps of one walkthrough, each made from the arrays when it is asked for."""

    def __init__(self, plan: StepPlan, make: Callable[[int], Step]) -> None:
        self._plan = plan
        self._make = make
        self._kept = lru_cache(maxsize=KEPT_STEPS)(make)

    def __len__(self) -> int:
        return self._plan.count

    @overload
    def __getitem__(self, k: int) -> Step: ...

    @overload
    def __getitem__(self, k: slice) -> list[Step]: ...

    def __getitem__(self, k: int | slice) -> Step | list[Step]:
        if isinstance(k, slice):
            return [self._kept(i) for i in range(*k.indices(len(self)))]
        n = len(self)
        if not -n <= k < n:
            raise IndexError(k)
        return self._kept(k % n)

    def __iter__(self) -> Iterator[Step]:
        """Every step in order, none kept: a transcript walks them once."""
        for k in range(len(self)):
            yield self._make(k)


class _Visible(Mapping[tuple[Phase, str], Step]):
    """What the tables show once step ``k`` is done, found by index, not by scanning."""

    def __init__(self, w: Walkthrough, k: int) -> None:
        self._w, self._k = w, k
        self._position = w.plan.position(k)

    def _index(self, key: tuple[Phase, str]) -> int | None:
        phase, target = key
        plan = self._w.plan
        if phase == "loss" and plan.batch and self._k >= plan.samples_end:
            index: int | None = plan.samples_end  # the batch's mean loss
        else:
            index = plan.index(phase, target, self._position)
        return index if index is not None and index <= self._k else None

    def __getitem__(self, key: tuple[Phase, str]) -> Step:
        index = self._index(key)
        if index is None:
            raise KeyError(key)
        return self._w.steps[index]

    def __iter__(self) -> Iterator[tuple[Phase, str]]:
        plan, k = self._w.plan, self._k
        if k < 0:
            return
        block = self._position * plan.per_sample
        shown = range(block, min(k, block + plan.per_sample - 1) + 1)
        shared = range(plan.samples_end, k + 1)
        keys = dict.fromkeys((plan.phase(i), self._w.steps[i].target) for i in shown)
        keys.update(dict.fromkeys((plan.phase(i), self._w.steps[i].target) for i in shared))
        yield from keys

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True, eq=False, kw_only=True)
class Walkthrough(Iteration):
    """One iteration: the network, samples and starting weights, the steps (made on demand),
    and the arrays they are read from."""

    steps: Steps  # type: ignore[assignment]
    plan: StepPlan
    weights_before: tuple[np.ndarray, ...]
    weights_after: tuple[np.ndarray, ...]
    loss: float
    """The loss of this iteration (the mean over its samples)."""
    outputs: np.ndarray
    """The outputs of this iteration's samples, before the update, shape (m, K)."""
    arrays: Pass
    """Every array of the pass the steps are read from (rows: this iteration's samples)."""

    @cached_property
    def finite(self) -> bool:
        """False when some number overflowed to inf or nan: the front ends warn then. Read
        off the arrays every step's value comes from."""
        r = self.arrays
        arrays = (*r.a, *r.deltas, r.losses, *self.weights_after)
        return all(bool(np.isfinite(a).all()) for a in arrays) and bool(np.isfinite(self.loss))

    def weight(self, link: Link, after: bool = False) -> float:
        """A link's weight before (or after) this iteration's update."""
        weights = self.weights_after if after else self.weights_before
        return float(weights[link.layer][link.row, link.col])

    def phase_of(self, k: int) -> Phase:
        """The phase of step ``k``, without making it."""
        return self.plan.phase(k)

    def current_sample(self, k: int) -> int:
        """The sample step ``k`` is about (the iteration's last for the shared steps)."""
        return self.samples[self.plan.position(k)]

    @cached_property
    def phase_runs(self) -> tuple[range, ...]:
        """The runs of same-phase steps in order (a batch has one forward, loss and backward
        run per sample)."""
        return self.plan.runs()

    def phase_run(self, k: int) -> range:
        """The run of same-phase steps step ``k`` belongs to."""
        return self.plan.run(k)

    @property
    def delta_units(self) -> list[str]:
        """The units that have a δ, in the order backpropagation reaches them."""
        return [name for _, _, name in self.plan.backward]

    def visible(self, k: int) -> Mapping[tuple[Phase, str], Step]:
        """What every table shows once step ``k`` is done (``k = -1``: nothing yet).

        Forward, loss and backward rows show the current sample's steps only, so a batch
        iteration's second sample starts with blank rows; update rows stay once made.
        """
        return _Visible(self, k)

    def header_dict(self) -> dict[str, Any]:
        """The JSON transcript's ``scenario``, ``units`` and ``links``: all but the steps."""
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
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON transcript: ``scenario``, ``units``, ``links`` and ``steps`` (every step
        at once: for small lessons; a transcript writes the steps one by one)."""
        return {**self.header_dict(), "steps": [step.to_dict() for step in self.steps]}


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
    plan = StepPlan.of(scenario, links, len(samples))
    maker = _StepMaker(scenario, samples, weights, result, gradients, new_weights, mean_loss,
                       acts, loss, plan)
    return Walkthrough(
        scenario=scenario,
        units=units,
        links=links,
        steps=Steps(plan, maker.step),
        plan=plan,
        samples=samples,
        iteration=iteration,
        epoch=epoch,
        weights_before=tuple(np.array(w, copy=True) for w in weights),
        step_count=plan.count,
        weights_after=tuple(new_weights),
        loss=mean_loss,
        outputs=result.outputs.copy(),
        arrays=result,
    )


class _StepMaker:
    """Reads any one step off one pass's arrays."""

    def __init__(
        self,
        scenario: Scenario,
        samples: tuple[int, ...],
        weights: list[np.ndarray],
        result: Pass,
        gradients: list[np.ndarray],
        new_weights: list[np.ndarray],
        mean_loss: float,
        acts: list[Activation],
        loss: Loss,
        plan: StepPlan,
    ) -> None:
        self.scenario = scenario
        self.samples = samples
        self.weights = weights
        self.result = result
        self.gradients = gradients
        self.new = new_weights
        self.mean_loss = mean_loss
        self.acts = acts
        self.loss = loss
        self.plan = plan
        self.names = unit_names(scenario.layers)
        self.last = len(scenario.layers) - 1
        self._weight_text: dict[int, list[list[str]]] = {}

    def weight_factors(self, index: int) -> list[list[str]]:
        """Weight matrix ``index`` (before the update) written as factors, made on first use:
        every sample's forward and backward steps write the same weights, and formatting is
        most of a large transcript's time."""
        text = self._weight_text.get(index)
        if text is None:
            text = [[factor(v) for v in row] for row in self.weights[index].tolist()]
            self._weight_text[index] = text
        return text

    def step(self, k: int) -> Step:
        """Step ``k``, made from the arrays (overflow shows as inf and nan, unwarned)."""
        plan = self.plan
        with np.errstate(all="ignore"):
            if k >= plan.updates_start:
                return self.update_step(k, plan.links[k - plan.updates_start])
            if k >= plan.samples_end:
                return self.mean_loss_step(k)
            row, offset = divmod(k, plan.per_sample)
            n = len(plan.forward)
            if offset < n:
                return self.forward_step(k, row, *plan.forward[offset])
            if offset == n:
                return self.loss_step(k, row)
            return self.backward_step(k, row, *plan.backward[offset - n - 1])

    def forward_step(self, k: int, row: int, layer: int, j: int, name: str) -> Step:
        """Unit ``name`` of ``layer``: z = Σ w·x over its incoming links, then a = f(z)."""
        r = self.result
        act = self.acts[layer - 1]
        sources = self.names[layer - 1]
        inputs = r.augmented[layer - 1][row].tolist()  # floats: quicker to read one by one
        w = self.weight_factors(layer - 1)[j]
        terms = summed(lambda i: f"{w[i]}·{factor(inputs[i])}", len(sources))
        z = r.z[layer - 1][row, j]
        substituted = f"{act.wrap(terms)} = {act.wrap(fmt(z))}" if act.symbol else terms
        formula = f"{name} = {act.wrap(f'Σ w·{sources[0][0]}')}"
        return Step(k, "forward", name, formula, substituted, float(r.a[layer - 1][row, j]),
                    self.samples[row])

    def loss_step(self, k: int, row: int) -> Step:
        """One sample's loss."""
        r = self.result
        sample = self.samples[row]
        formula, substituted = self.loss.loss_text(
            self.names[self.last], r.outputs[row].tolist(), list(self.scenario.targets[sample])
        )
        return Step(k, "loss", "loss", formula, substituted, float(r.losses[row]), sample)

    def backward_step(self, k: int, row: int, layer: int, j: int, name: str) -> Step:
        """Unit ``name``'s δ: from the loss for an output unit, from the layer above for a
        hidden one."""
        r = self.result
        sample = self.samples[row]
        delta = float(r.deltas[layer - 1][row, j])
        if layer == self.last:
            outputs = r.outputs[row]
            formula, substituted = self.loss.delta_text(
                name, float(outputs[j]), float(self.scenario.targets[sample][j]),
                float(r.fprime[-1][row, j]), len(outputs),
            )
            return Step(k, "backward", name, formula, substituted, delta, sample)
        w_next = self.weight_factors(layer)
        next_deltas = r.deltas[layer][row].tolist()
        terms = summed(lambda i: f"{w_next[i][j + 1]}·{factor(next_deltas[i])}",
                       len(next_deltas))
        substituted = f"{factor(r.fprime[layer - 1][row, j])}·({terms})"
        return Step(k, "backward", name, f"δ({name}) = f′(z)·Σ w·δ", substituted, delta, sample)

    def mean_loss_step(self, k: int) -> Step:
        """The batch's loss: the mean of its samples' losses."""
        losses = self.result.losses
        m = len(losses)
        terms = summed(lambda i: factor(losses[i]), m)
        return Step(k, "loss", "loss", "E = (1/m)·Σ E", f"({terms})/{m}", self.mean_loss, None)

    def update_step(self, k: int, link: Link) -> Step:
        """``w ← w − α·Z·δ`` for one link (batch: the mean of Z·δ over the samples). The
        gradient shown is the one the update used, read off the same array."""
        r = self.result
        alpha = fmt(self.scenario.learning_rate)
        m = len(self.samples)
        old = float(self.weights[link.layer][link.row, link.col])
        sources = r.augmented[link.layer][:, link.col]
        deltas = r.deltas[link.layer][:, link.row]
        products = summed(lambda s: f"{factor(sources[s])}·{factor(deltas[s])}", m)
        gradient = float(self.gradients[link.layer][link.row, link.col])
        product = f"{link.source}·δ({link.target})"
        value = float(self.new[link.layer][link.row, link.col])
        if self.plan.batch:
            formula = f"w ← w − α·mean({product})"
            substituted = f"{fmt(old)} − {alpha}·(({products})/{m})"
            sample = None
        else:
            formula = f"w ← w − α·{product}"
            substituted = f"{fmt(old)} − {alpha}·({products})"
            sample = self.samples[0]
        return Step(k, "update", link.name, formula, substituted, value, sample,
                    gradient=gradient, old=old, new=value)


__all__ = ["StepPlan", "Steps", "Walkthrough", "summed", "walk"]
