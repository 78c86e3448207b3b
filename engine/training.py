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
  the buffer and before every progress report; only the losses asked for (``loss_every``) are
  kept.
* whether every sample is on its target's side of 0.5 (:attr:`TrainingResult.solved_at`) is
  read off the same buffer of outputs, one comparison per chunk of epochs, and only until
  the first epoch it holds: no prediction is kept or computed for it.
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
    """What a run of epochs did: the loss of its epochs and where the network ended up."""

    losses: np.ndarray
    """Loss of each epoch kept (every one unless ``loss_every`` says; see
    :attr:`loss_epochs`): the mean over the samples, each taken before its update."""
    predictions: np.ndarray
    """The outputs for every training sample with the final weights, shape (m, K)."""
    weights: list[np.ndarray]
    stopped: bool
    """True when the progress callback asked to stop before all epochs ran."""
    epochs: int
    """How many epochs actually ran."""
    loss_every: int = 1
    """``losses`` holds the loss of epochs 0, n, 2n, … (counted from 0) and of the last one
    run, n = loss_every."""
    losses_finite: bool = True
    """False when the loss of some epoch, kept or not, overflowed to inf or nan."""
    solved_at: int | None = None
    """The first epoch of the run (counted from 0: the number of epochs run before it) in
    which every sample's every output was on its target's side of 0.5, as the loss saw them
    (batch: the predictions of the weights after that many epochs; online: each sample's
    output just before its own update). None when no epoch of the run was, or when a target
    is neither 0 nor 1 (there is no side to be on)."""

    @property
    def loss_epochs(self) -> np.ndarray:
        """The epoch (counted from 0) each of :attr:`losses` belongs to."""
        kept = np.arange(0, self.epochs, self.loss_every)
        if self.epochs and (self.epochs - 1) % self.loss_every:
            return np.append(kept, self.epochs - 1)
        return kept

    @property
    def finite(self) -> bool:
        """False when a loss, weight or prediction overflowed to inf or nan."""
        return bool(
            self.losses_finite
            and np.isfinite(self.predictions).all()
            and all(np.isfinite(w).all() for w in self.weights)
        )


def _kept_count(epochs: int, every: int) -> int:
    """How many losses a run of ``epochs`` keeps: one in ``every``, and the last."""
    if epochs == 0:
        return 0
    return -(-epochs // every) + ((epochs - 1) % every != 0)


def right_side(outputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Per row, True when every output is on its target's side of 0.5 (≥ 0.5 for a target
    of 1, < 0.5 for 0); nan is on neither side."""
    return np.where(targets >= 0.5, outputs >= 0.5, outputs < 0.5).all(axis=1)


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
    loss_every: int = 1,
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
    ``loss_every``: keep the loss of one epoch in this many (and of the last), for a run whose
    losses are shown a few at a time: ten million epochs need not take 80 MB for 25 rows.
    """
    if epochs < 0:
        raise ValueError("epochs must be 0 or more")
    if progress is not None and report_every < 1:
        raise ValueError("report_every must be 1 or more")
    if loss_every < 1:
        raise ValueError("loss_every must be 1 or more")
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
    chunk = np.empty(cap)  # the losses of the epochs in the buffers
    losses = np.empty(_kept_count(epochs, loss_every))
    kept = 0
    finite = True
    stopped = False
    done = 0
    # None: not solved yet; -1: nothing to look for (a target other than 0 or 1).
    solved: int | None = None if bool(np.isin(y, (0.0, 1.0)).all()) else -1
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
            latest = chunk[:n]
            np.divide(np.add.reduce(per_sample.reshape(n, m), axis=1), m, latest)
            finite = finite and bool(np.isfinite(latest).all())
            if solved is None:
                right = right_side(a_out[:rows], y_rows[:rows]).reshape(n, m).all(axis=1)
                if right.any():
                    solved = done + int(right.argmax())
            # The epochs of this chunk (done, done + 1, …) that are multiples of loss_every.
            picked = latest[-done % loss_every::loss_every]
            losses[kept:kept + picked.size] = picked
            kept += picked.size
            done += n
            if (
                progress is not None
                and done % report_every == 0
                and progress(done, float(latest[-1])) is False
            ):
                stopped = done < epochs
                break
        if done and (done - 1) % loss_every:  # the last epoch run, not kept yet
            losses[kept] = latest[-1]
            kept += 1
        predictions = predict(scenario, w, x)
    if kept < losses.size:  # stopped early
        losses = losses[:kept].copy()
    solved_at = None if solved is None or solved < 0 else solved
    return TrainingResult(losses, predictions, w, stopped, done, loss_every, finite, solved_at)


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
