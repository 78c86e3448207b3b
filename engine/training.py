"""Training many epochs at once: the walkthrough's maths, without the walkthrough.

:func:`train` runs its passes through :class:`engine.network.Network`, the same code
:func:`engine.network.run_pass` runs for :func:`engine.walkthrough.walk`, so one batch epoch
ends at ``walk(s).weights_after`` bit for bit, and one online epoch at the end of ``m``
consecutive walks. What it leaves out is the bookkeeping a walkthrough needs and a long run
does not:

* one Network, its arrays allocated once, serves every pass, and the weights are updated in
  place; hidden layers whose f′ does not read z (all but relu) do not keep it, and f′ of the
  output layer is not computed for ``cross_entropy``, whose output δ does not use it;
* the loss, which nothing during an epoch needs, is computed for many epochs in one call of
  :meth:`~engine.losses.Loss.per_sample` over a buffer of their outputs, flushed at the end of
  the buffer and before every progress report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from engine.activations import Activation, activation
from engine.losses import Loss
from engine.losses import loss as get_loss
from engine.network import Network, forward
from engine.scenario import Scenario

Array = np.ndarray

#: Called with (epochs done, latest epoch loss) every ``report_every`` epochs; return False to stop.
Progress = Callable[[int, float], "bool | None"]

#: How many output values (epochs × samples × outputs) the loss buffers hold at most: 64 Ki
#: float64 values, 512 KiB for each of the two buffers (outputs and their weighted sums).
_LOSS_BUFFER_VALUES = 1 << 16


@dataclass(frozen=True, eq=False)
class TrainingResult:
    """What a run of epochs did: the loss of each epoch and where the network ended up."""

    losses: np.ndarray
    """Loss of each epoch run: the mean over the samples, each taken before its update."""
    predictions: np.ndarray
    """The outputs for every training sample with the final weights, shape (m, K)."""
    weights: list[np.ndarray]
    stopped: bool
    """True when the progress callback asked to stop before all epochs ran."""

    @property
    def epochs(self) -> int:
        """How many epochs actually ran."""
        return int(self.losses.shape[0])

    @property
    def finite(self) -> bool:
        """False when a loss, weight or prediction overflowed to inf or nan."""
        return bool(
            np.isfinite(self.losses).all()
            and np.isfinite(self.predictions).all()
            and all(np.isfinite(w).all() for w in self.weights)
        )


def predict(
    scenario: Scenario, weights: Sequence[np.ndarray], inputs: np.ndarray | None = None
) -> np.ndarray:
    """The network's outputs, shape (m, K), for ``inputs`` (default: every training sample)
    under the scenario's activations. Overflow gives inf and nan, never a warning."""
    acts = [activation(name) for name in scenario.activations]
    x = scenario.input_array() if inputs is None else inputs
    with np.errstate(all="ignore"):
        return forward(list(weights), acts, x)[2][-1]


def train(
    scenario: Scenario,
    epochs: int,
    weights: list[np.ndarray] | None = None,
    *,
    progress: Progress | None = None,
    report_every: int = 100,
    first_sample: int = 0,
) -> TrainingResult:
    """Run ``epochs`` epochs of gradient descent as the scenario says (online or batch).

    Starts from ``weights`` (default: the scenario's initial weights) and never changes them.
    An epoch is one pass over the training set: one update for ``batch``, one per sample
    for ``online``. Overflow gives inf and nan in the result, never an exception or a warning.
    ``progress(done, loss)`` is called after every ``report_every`` epochs with the latest
    epoch's loss; when it returns False, training stops there.
    ``first_sample`` (online): each epoch's updates go through the samples from this one on,
    wrapping round, as a lesson that stopped in the middle of an epoch goes on; the weights
    then match the lesson's own iterations. The predictions keep the samples' order.
    """
    if epochs < 0:
        raise ValueError("epochs must be 0 or more")
    if progress is not None and report_every < 1:
        raise ValueError("report_every must be 1 or more")
    # Copies, C-ordered like every array the walkthrough makes, so the products run alike.
    w = [
        np.array(m, dtype=np.float64, order="C", copy=True)
        for m in (weights or scenario.initial_weights())
    ]
    acts = [activation(name) for name in scenario.activations]
    loss = get_loss(scenario.loss)
    x = scenario.input_array()
    y = scenario.target_array()
    m, k = y.shape
    batch = scenario.update == "batch"
    order = np.roll(np.arange(m), -first_sample) if not batch else np.arange(m)
    x_seq, y_seq = x[order], y[order]
    # The loss buffers: the outputs and output z of up to ``cap`` epochs, one row per sample.
    cap = max(1, min(epochs, _LOSS_BUFFER_VALUES // (m * k)))
    a_out = np.empty((cap * m, k))
    z_out = np.empty((cap * m, k))
    y_rows = np.tile(y_seq, (cap, 1))
    run = _Epochs(w, acts, loss, scenario.learning_rate, x_seq, y_seq, batch)
    losses = np.empty(epochs)
    stopped = False
    done = 0
    with np.errstate(all="ignore"):
        while done < epochs:
            n = min(cap, epochs - done)
            if progress is not None:
                n = min(n, report_every - done % report_every)
            run(n, z_out, a_out)
            rows = n * m
            # Each epoch's loss is the mean of its samples' losses, as walk() takes it: one
            # add.reduce along a contiguous row of m values, then the division by m.
            per_sample = loss.per_sample(a_out[:rows], y_rows[:rows], z_out[:rows])
            np.divide(np.add.reduce(per_sample.reshape(n, m), axis=1), m, losses[done:done + n])
            done += n
            if (
                progress is not None
                and done % report_every == 0
                and progress(done, float(losses[done - 1])) is False
            ):
                stopped = done < epochs
                break
        predictions = predict(scenario, w, x)
    return TrainingResult(losses[:done].copy(), predictions, w, stopped)


class _Epochs:
    """Runs epochs on one :class:`~engine.network.Network`, each pass leaving its outputs and
    output z in the next rows of the loss buffers."""

    def __init__(
        self,
        weights: list[Array],
        acts: Sequence[Activation],
        loss: Loss,
        learning_rate: float,
        inputs: Array,
        targets: Array,
        batch: bool,
    ) -> None:
        m = inputs.shape[0]
        self.net = Network(weights, acts, m if batch else 1, keep_z=False)
        self.loss = loss
        self.learning_rate = learning_rate
        # Cross-entropy's output δ does not use f′ of the output, and nothing here shows it.
        self.output_fprime = loss.name != "cross_entropy"
        # One (bias-augmented inputs, targets) pair per update of an epoch.
        self.steps: list[tuple[Array, Array]]
        if batch:
            self.net.inputs[:, 1:] = inputs
            self.steps = [(self.net.inputs, targets)]
        else:
            # An online step's inputs are a row of these, read in place: nothing to copy.
            augmented = np.ones((m, 1 + inputs.shape[1]))
            augmented[:, 1:] = inputs
            self.steps = [(augmented[s:s + 1], targets[s:s + 1]) for s in range(m)]

    def __call__(self, n: int, z_out: Array, a_out: Array) -> None:
        """``n`` epochs: for each step, forward, backward and update, as walk() does."""
        net, loss, lr, output_fprime = self.net, self.loss, self.learning_rate, self.output_fprime
        first, out = net.layers[0], net.output
        r = 0
        for _ in range(n):
            for inputs, targets in self.steps:
                rows = inputs.shape[0]
                first.source = inputs
                out.z = z_out[r:r + rows]
                out.a = a_out[r:r + rows]
                net.forward()
                net.backward(loss, targets, output_fprime=output_fprime)
                net.update(lr)
                r += rows
