"""The maths of one pass: forward, backward and gradients, one NumPy operation per layer.

Shapes: ``m`` samples in rows. Layer ``l`` has ``n_l`` units (bias not counted). ``W[l]`` is the
weight matrix into layer ``l + 1``, shape ``(n_{l+1}, 1 + n_l)``, column 0 the bias weight.
``A[l]`` is layer ``l``'s activations with the constant-1 bias column in front, shape
``(m, 1 + n_l)``, so a layer's forward step is one product ``z = A[l] @ W[l].T``.

The walkthrough and training run the same code, :class:`Network`. It owns the arrays of a pass
over a fixed number of samples, and every operation writes its result into one of them
(``out=``) rather than allocating a new one, the activations and their derivatives included:
they are :mod:`engine.activations`' own functions, given an ``out``. :func:`run_pass` builds a
Network for a single pass and hands all its arrays to the walkthrough;
:func:`engine.training.train` builds one and runs thousands of passes in it. Writing in place is
what makes training fast: at 1024 samples by 64 units, every temporary array would be 512 KiB
to allocate and stream through memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.activations import Activation
from engine.losses import Loss

Array = np.ndarray

@dataclass(frozen=True)
class Pass:
    """Every intermediate array of one forward and backward pass over some samples."""

    augmented: list[Array]
    """Activations with the bias column, per layer from the input up to the last hidden."""
    z: list[Array]
    """Weighted sums, per non-input layer, shape ``(m, n)``."""
    a: list[Array]
    """Activations f(z), per non-input layer."""
    fprime: list[Array | Derivatives]
    """f′(z), per non-input layer (indexed as arrays are: ``[row, j]``)."""
    deltas: list[Array]
    """δ = ∂E/∂z (the loss's convention, see :mod:`engine.losses`), per non-input layer."""
    losses: Array
    """The loss of each sample, shape ``(m,)``."""

    @property
    def outputs(self) -> Array:
        """The network's outputs, shape ``(m, K)``."""
        return self.a[-1]

    def mean_gradients(self) -> list[Array]:
        """∂E/∂w averaged over the samples, per layer: what a batch update uses."""
        return [mean_gradient(d, x) for d, x in zip(self.deltas, self.augmented)]


def mean_gradient(
    delta: Array, source: Array, out: Array | None = None, m: Array | int | None = None
) -> Array:
    """One layer's ∂E/∂w averaged over the samples, ``δᵀ·A / m``, in ``out`` if given.

    ``m`` defaults to the number of samples; a caller that repeats this many times can pass
    it as an array of m's, which NumPy divides by faster than by a Python number.
    """
    g = np.matmul(delta.T, source, out)
    if delta.shape[0] != 1:  # dividing by 1 changes nothing
        np.divide(g, delta.shape[0] if m is None else m, g)
    return g


class Layer:
    """One non-input layer: its weights, its activation and the arrays a pass fills.

    ``source`` is the bias-augmented activations of the layer below (column 0 fixed at 1).
    ``feeds`` is the next layer's ``source`` without its bias column, for a hidden layer. Over
    one sample that view is contiguous and ``a`` is that view itself; over several it is
    strided, elementwise operations are slower on it, so ``a`` is an array of its own, copied
    into ``feeds``.
    """

    __slots__ = ("w", "w_t", "w_back", "act", "source", "feeds", "z", "a", "fprime", "delta",
                 "grad", "m")

    def __init__(
        self, w: Array, act: Activation, source: Array, feeds: Array | None, keep_z: bool,
        a_in_feeds: bool = False, fprime: Array | None = None,
    ) -> None:
        rows, units = source.shape[0], w.shape[0]
        self.w = w
        # Views: they follow the weights when an update changes them in place.
        self.w_t = w.T
        self.w_back = w[:, 1:]
        """The weights without the bias column: nothing flows back into a bias unit."""
        self.act = act
        self.source = source
        self.feeds: Array | None
        if feeds is not None and (a_in_feeds or feeds.flags.c_contiguous):
            self.a, self.feeds = feeds, None
        else:
            self.a, self.feeds = np.empty((rows, units)), feeds
        self.fprime = np.empty((rows, units)) if fprime is None else fprime
        # When f′ needs only a (all but relu), a caller that never reads z can let f′
        # overwrite it: one array fewer to stream through memory.
        shared = not keep_z and not act.derivative_reads_z
        self.z = self.fprime if shared else np.empty((rows, units))
        self.delta = np.empty((rows, units))
        self.grad = np.empty(w.shape)
        # The number of samples, as an array: NumPy divides by it faster than by an int.
        self.m = np.full(w.shape, float(rows))


class Network:
    """A network's weights and activations with the arrays of a pass over ``rows`` samples.

    Each pass overwrites the arrays of the one before. The weights are used, not copied, and
    only :meth:`update` changes them (in place). ``keep_z=False`` lets hidden layers whose f′
    does not read z overwrite it, for a caller that reads only the outputs, the output z and
    the weights. ``compact=True`` is for a pass whose arrays are all kept (the walkthrough's;
    the largest lesson's batch has 2 MB an array a layer): a hidden layer's ``a`` is only the
    view of the next layer's inputs, even where that view is strided, and the hidden layers
    share one array for f′, which :meth:`arrays` gives back row by row on demand
    (:class:`Derivatives`); two arrays a layer fewer, at some speed.
    """

    def __init__(
        self,
        weights: Sequence[Array],
        activations: Sequence[Activation],
        rows: int,
        *,
        keep_z: bool = True,
        compact: bool = False,
    ) -> None:
        source = _with_bias_column(rows, weights[0].shape[1] - 1)
        if compact and not keep_z:
            raise ValueError("a compact network keeps z: f′ is made again from it")
        self.compact = compact
        scratch: dict[tuple[int, int], Array] = {}  # compact: f′ of the hidden layers, by shape
        self.layers: list[Layer] = []
        for i, (w, act) in enumerate(zip(weights, activations)):
            last = i == len(weights) - 1
            above = None if last else _with_bias_column(rows, w.shape[0])
            feeds = None if above is None else above[:, 1:]
            # The output z is always kept: the cross-entropy loss is computed from it.
            shape = (rows, w.shape[0])
            fprime = scratch.setdefault(shape, np.empty(shape)) if compact and not last else None
            self.layers.append(Layer(w, act, source, feeds, keep_z or last, compact, fprime))
            source = above
        self.output = self.layers[-1]
        # (layer below, layer above) from the top down, for the backward pass.
        self._pairs = list(zip(self.layers[-2::-1], self.layers[:0:-1]))

    @property
    def inputs(self) -> Array:
        """The inputs with their bias column, shape ``(rows, 1 + n_0)``."""
        return self.layers[0].source

    def forward(self) -> None:
        """Forward pass: for each layer, ``z = Σ w·x`` over the incoming links, then
        ``a = f(z)``."""
        matmul = np.matmul
        for layer in self.layers:
            matmul(layer.source, layer.w_t, layer.z)
            layer.act.function(layer.z, layer.a)
            if layer.feeds is not None:
                np.copyto(layer.feeds, layer.a)

    def backward(self, loss: Loss, targets: Array, *, output_fprime: bool = True) -> None:
        """Backward pass: the δ of every non-input unit, from the output back.

        The chain rule, for a unit j feeding units k of the next layer::

            ∂E/∂z_j = Σ_k ∂E/∂z_k · ∂z_k/∂a_j · ∂a_j/∂z_j = f′(z_j) · Σ_k w_kj · δ_k

        so a layer's deltas are one product with the next layer's weights (bias column
        dropped: nothing flows back into a bias unit, it is always 1). The output δ comes from
        the loss. ``output_fprime=False`` skips f′ of the output layer, for a loss whose δ
        does not use it (cross-entropy) when nobody shows it.
        """
        out = self.output
        if output_fprime:
            out.act.derivative(out.z, out.a, out.fprime)
        out.delta = loss.output_delta(out.a, targets, out.fprime)
        matmul, multiply = np.matmul, np.multiply
        for below, above in self._pairs:
            # f′ right before its one use: a compact network's hidden layers share its array.
            below.act.derivative(below.z, below.a, below.fprime)
            back = below.delta
            matmul(above.delta, above.w_back, back)
            multiply(below.fprime, back, back)

    def update(self, learning_rate: float) -> None:
        """One step of gradient descent in place: ``w ← w − α·(δᵀ·A / m)``, every layer's
        gradient from this pass (taken before any weight changes)."""
        for layer in self.layers:
            g = mean_gradient(layer.delta, layer.source, layer.grad, layer.m)
            if learning_rate != 1.0:  # multiplying by 1 changes nothing
                np.multiply(learning_rate, g, g)
            np.subtract(layer.w, g, layer.w)

    def arrays(self, losses: Array) -> Pass:
        """This pass's arrays (not copies), with the per-sample ``losses``."""
        layers = self.layers
        fprime: list[Array | Derivatives] = [layer.fprime for layer in layers]
        if self.compact:
            fprime[:-1] = [Derivatives(x.act, x.z, x.a) for x in layers[:-1]]
        return Pass(
            [layer.source for layer in layers],
            [layer.z for layer in layers],
            [layer.a for layer in layers],
            fprime,
            [layer.delta for layer in layers],
            losses,
        )


class Derivatives:
    """One layer's f′(z), made a row at a time when asked for (``d[row, j]``, ``d[row]``)
    from the kept z and a: every activation's derivative is elementwise arithmetic on them
    (a·(1 − a), 1 − a², z > 0, 1), so a row made now holds the very bits the pass used."""

    def __init__(self, act: Activation, z: Array, a: Array) -> None:
        self.act, self.z, self.a = act, z, a
        self.shape = z.shape

    def __getitem__(self, index: Any) -> Any:
        rows, rest = (index[0], index[1:]) if isinstance(index, tuple) else (index, ())
        values = self.act.derivative(self.z[rows], self.a[rows])
        return values[rest] if rest else values

    def __array__(self, dtype: Any = None, copy: Any = None) -> Array:
        return np.asarray(self[:], dtype=dtype)


def _with_bias_column(rows: int, units: int) -> Array:
    """An array for a layer's activations, shape ``(rows, 1 + units)``, its bias column set."""
    out = np.empty((rows, units + 1))
    out[:, 0] = 1.0
    return out


def forward(
    weights: Sequence[Array], activations: Sequence[Activation], inputs: Array
) -> tuple[list[Array], list[Array], list[Array]]:
    """Forward pass over ``inputs``: the bias-augmented inputs of every layer, and z and a of
    every non-input layer."""
    net = _network_for(weights, activations, inputs)
    net.forward()
    layers = net.layers
    return [x.source for x in layers], [x.z for x in layers], [x.a for x in layers]


def run_pass(
    weights: Sequence[Array],
    activations: Sequence[Activation],
    loss: Loss,
    inputs: Array,
    targets: Array,
) -> Pass:
    """Forward, loss and backward over the given samples, every array kept for the walkthrough.

    A new :class:`Network` each time: the arrays handed out must not be those of a later pass.
    """
    net = _network_for(weights, activations, inputs)
    net.forward()
    net.backward(loss, targets)
    out = net.output
    return net.arrays(loss.per_sample(out.a, targets, out.z))


def _network_for(
    weights: Sequence[Array], activations: Sequence[Activation], inputs: Array
) -> Network:
    """A new Network over ``inputs``, loaded with them."""
    net = Network(weights, activations, inputs.shape[0], compact=True)
    if inputs.shape[1:] != (net.inputs.shape[1] - 1,):
        # Copied in, an input column too few would be broadcast instead of refused.
        raise ValueError(f"inputs of shape {inputs.shape} for {net.inputs.shape[1] - 1} inputs")
    net.inputs[:, 1:] = inputs
    return net
