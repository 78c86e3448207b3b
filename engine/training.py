"""Training many epochs at once: the same maths as the walkthrough, without the steps.

:func:`train` repeats exactly the NumPy operations of :func:`engine.walkthrough.walk` (through
:func:`engine.network.run_pass`), in the same order and on arrays of the same shapes and
layouts, so one batch epoch of ``train`` ends at ``walk(s).weights_after`` bit for bit, and one
online epoch at the end of ``m`` consecutive walks. What it leaves out is the bookkeeping a
walkthrough needs and a long run does not:

* the arrays live in buffers allocated once, and each operation writes into one (``out=``)
  instead of allocating its result; the bias column of a layer's activations is set to 1 once;
* no :class:`~engine.network.Pass` objects or per-sample gradients, and f′ of the output layer
  is not computed for ``cross_entropy``, whose output δ does not use it;
* the loss, which nothing during an epoch needs, is computed for many epochs in one call of
  :meth:`~engine.losses.Loss.per_sample` over a buffer of their outputs, flushed at the end of
  the buffer and before every progress report.

Sigmoid units and the ``cross_entropy`` output δ, the common case, are done with in-place
ufuncs that compute the same expressions as :mod:`engine.activations` and
:mod:`engine.losses` (``1/(1 + e^-z)``, ``a·(1 − a)``, ``(o − y)/K``) in the same order; every
other activation and loss calls those modules' functions. At the XOR size (2-3-1, 4 samples) an
epoch is a couple of dozen NumPy calls on tiny arrays, so what is saved is per-call overhead;
on a 2-64-1 network with 1024 samples it is memory traffic and allocation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from engine.activations import Activation, activation
from engine.losses import Loss
from engine.losses import loss as get_loss
from engine.network import forward, with_bias
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
    net = _Net(w, acts, loss, scenario.learning_rate, with_bias(x_seq), y_seq, m if batch else 1)
    run = net.batch_epochs if batch else net.online_epochs
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


class _Layer:
    """One non-input layer's weights and the preallocated arrays of its part of a pass.

    ``rows`` samples at a time (all of them for batch, one for online). ``source`` is the
    bias-augmented activations of the layer below (column 0 fixed at 1), ``z`` and ``a`` this
    layer's weighted sums and activations. For a hidden layer ``a`` is a contiguous array
    whose values are copied into the next layer's ``source``; for the output layer ``z`` and
    ``a`` are rows of the loss buffers, set before each pass.

    At 1024 samples by 64 units an array is 512 KiB and the passes are limited by memory
    traffic, so a layer keeps as few arrays as it can: a sigmoid hidden layer computes z in
    ``tmp`` (f′ needs only a), and f′ goes into ``tmp`` again once z is used up.
    """

    __slots__ = (
        "act", "sigmoid", "w", "w_t", "w_back", "source", "feeds", "z", "a", "tmp", "one",
        "delta", "grad", "grad_scale", "lr",
    )

    def __init__(self, w: Array, act: Activation, source: Array, lr: float, samples: int) -> None:
        rows = source.shape[0]
        units = w.shape[0]
        self.act = act
        self.sigmoid = act.name == "sigmoid"
        self.w = w
        self.w_t = w.T
        self.w_back = w[:, 1:]
        self.source = source
        self.feeds: Array | None = None
        """The next layer's ``source`` without its bias column, for a hidden layer."""
        self.tmp = np.empty((rows, units))
        self.z = self.tmp if self.sigmoid else np.empty((rows, units))
        self.a = np.empty((rows, units))
        self.delta = np.empty((rows, units))
        # The 1.0 of 1/(1 + e^-z) and 1 − a: an array of ones on small arrays, where
        # converting the scalar costs more than the arithmetic; the float on large ones,
        # where reading an array of ones costs memory traffic. The same numbers either way.
        self.one: Array | float = np.ones((rows, units)) if rows * units < 4096 else 1.0
        self.grad = np.empty(w.shape)
        # walk() divides the summed gradient by the number of samples, then multiplies by α:
        # the same two operations here, as arrays so the ufuncs skip scalar conversion.
        # Dividing by 1 or multiplying by 1.0 changes nothing, so those are skipped.
        self.grad_scale = np.full(w.shape, float(samples)) if samples != 1 else None
        self.lr = np.full(w.shape, lr) if lr != 1.0 else None


class _Net:
    """The layers of one network, with the loops that train it in place."""

    def __init__(
        self,
        weights: Sequence[Array],
        acts: Sequence[Activation],
        loss: Loss,
        lr: float,
        inputs: Array,
        targets: Array,
        rows: int,
    ) -> None:
        self.inputs = inputs
        """The bias-augmented inputs of every sample, shape (m, 1 + n_0)."""
        self.targets = targets
        self.cross_entropy = loss.name == "cross_entropy"
        self.loss = loss
        k = targets.shape[1]
        self.delta_scale = np.full((rows, k), float(k)) if k != 1 else None
        """cross_entropy's δ = (o − y)/K; dividing by K = 1 changes nothing, so it is skipped."""
        self.layers: list[_Layer] = []
        source = inputs if rows == inputs.shape[0] else inputs[:1]
        for w, act in zip(weights, acts):
            layer = _Layer(w, act, source, lr, rows)
            if self.layers:
                self.layers[-1].feeds = source[:, 1:]
            self.layers.append(layer)
            source = np.empty((rows, w.shape[0] + 1))
            source[:, 0] = 1.0
        self.output = self.layers[-1]
        # Pairs (layer below, layer above) from the top down, for the backward pass.
        self.pairs = list(zip(self.layers[-2::-1], self.layers[:0:-1]))

    def batch_epochs(self, n: int, z_out: Array, a_out: Array) -> None:
        """``n`` batch epochs; epoch i leaves its outputs and output z in rows i·m… of the
        loss buffers."""
        m = self.inputs.shape[0]
        out = self.output
        for i in range(n):
            out.z = z_out[i * m:(i + 1) * m]
            out.a = a_out[i * m:(i + 1) * m]
            self._pass(self.targets)

    def online_epochs(self, n: int, z_out: Array, a_out: Array) -> None:
        """``n`` online epochs: one pass and one update per sample, in order."""
        m = self.inputs.shape[0]
        inputs, targets = self.inputs, self.targets
        first = self.layers[0]
        out = self.output
        rows = [(inputs[s:s + 1], targets[s:s + 1]) for s in range(m)]
        r = 0
        for _ in range(n):
            for source, target in rows:
                first.source = source
                out.z = z_out[r:r + 1]
                out.a = a_out[r:r + 1]
                self._pass(target)
                r += 1

    def _pass(self, targets: Array) -> None:
        """Forward, backward and update over ``self.layers[0].source``: run_pass, then
        ``w − α·(δᵀ·A / rows)`` as walk() does, without keeping anything."""
        matmul, negative, exp, add = np.matmul, np.negative, np.exp, np.add
        divide, multiply, subtract, copyto = np.divide, np.multiply, np.subtract, np.copyto
        # Forward: z = A·Wᵀ, a = f(z), per layer (network.forward).
        for layer in self.layers:
            z, a = layer.z, layer.a
            matmul(layer.source, layer.w_t, z)
            if layer.sigmoid:
                # 1.0 / (1.0 + np.exp(-z)), as activations._sigmoid, one ufunc at a time.
                t, one = layer.tmp, layer.one
                negative(z, t)
                exp(t, t)
                add(one, t, t)
                divide(one, t, a)
            else:
                copyto(a, layer.act.function(z))
            if layer.feeds is not None:
                copyto(layer.feeds, a)
        # Backward (network.backward): the output δ from the loss, then δ = f′(z)·(δ_above·W).
        out = self.output
        if self.cross_entropy:
            # (outputs − targets) / K; f′ of the output is not needed.
            delta = out.delta
            subtract(out.a, targets, delta)
            if self.delta_scale is not None:
                divide(delta, self.delta_scale, delta)
        else:
            delta = self.loss.output_delta(out.a, targets, _fprime(out))
        deltas = [delta]
        for below, above in self.pairs:
            back = below.delta
            matmul(delta, above.w_back, back)
            multiply(_fprime(below), back, back)
            delta = back
            deltas.append(delta)
        # Update: every gradient uses the deltas of the weights before any update.
        for layer, delta in zip(self.layers[::-1], deltas):
            g = layer.grad
            matmul(delta.T, layer.source, g)
            if layer.grad_scale is not None:
                divide(g, layer.grad_scale, g)
            if layer.lr is not None:
                multiply(layer.lr, g, g)
            subtract(layer.w, g, layer.w)


def _fprime(layer: _Layer) -> Array:
    """f′(z) of a layer, from its z and a: a·(1 − a), in ``tmp``, for sigmoid."""
    if layer.sigmoid:
        f = layer.tmp
        np.subtract(layer.one, layer.a, f)
        np.multiply(layer.a, f, f)
        return f
    return layer.act.derivative(layer.z, layer.a)
