"""The maths of one pass: forward, backward and gradients, one NumPy operation per layer.

Shapes: ``m`` samples in rows. Layer ``l`` has ``n_l`` units (bias not counted). ``W[l]`` is the
weight matrix into layer ``l + 1``, shape ``(n_{l+1}, 1 + n_l)``, column 0 the bias weight.
``A[l]`` is layer ``l``'s activations with the constant-1 bias column in front, shape
``(m, 1 + n_l)``, so a layer's forward step is one product ``z = A[l] @ W[l].T``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
    fprime: list[Array]
    """f′(z), per non-input layer."""
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
        m = self.losses.shape[0]
        return [d.T @ x / m for d, x in zip(self.deltas, self.augmented)]


def with_bias(values: Array) -> Array:
    """Put the constant-1 bias column in front of a layer's activations."""
    out = np.empty((values.shape[0], values.shape[1] + 1))
    out[:, 0] = 1.0
    out[:, 1:] = values
    return out


def forward(
    weights: Sequence[Array], activations: Sequence[Activation], inputs: Array
) -> tuple[list[Array], list[Array], list[Array]]:
    """Forward pass: for each layer, ``z = Σ w·x`` over the incoming links, then ``a = f(z)``.

    Returns the bias-augmented inputs of every layer, and z and a of every non-input layer.
    """
    augmented = [with_bias(inputs)]
    zs: list[Array] = []
    acts: list[Array] = []
    for layer, (w, act) in enumerate(zip(weights, activations)):
        z = augmented[-1] @ w.T
        a = act.function(z)
        zs.append(z)
        acts.append(a)
        if layer < len(weights) - 1:
            augmented.append(with_bias(a))
    return augmented, zs, acts


def backward(
    weights: Sequence[Array],
    activations: Sequence[Activation],
    loss: Loss,
    targets: Array,
    zs: Sequence[Array],
    acts: Sequence[Array],
) -> tuple[list[Array], list[Array]]:
    """Backward pass: the δ of every non-input unit, from the output back.

    The chain rule, for a unit j feeding units k of the next layer::

        ∂E/∂z_j = Σ_k ∂E/∂z_k · ∂z_k/∂a_j · ∂a_j/∂z_j = f′(z_j) · Σ_k w_kj · δ_k

    so a layer's deltas are one product with the next layer's weights (bias column dropped:
    nothing flows back into a bias unit, it is always 1). The output δ comes from the loss.
    Returns f′(z) and δ per non-input layer.
    """
    fprimes = [act.derivative(z, a) for act, z, a in zip(activations, zs, acts)]
    deltas: list[Array] = [loss.output_delta(acts[-1], targets, fprimes[-1])]
    for layer in range(len(weights) - 2, -1, -1):
        back = deltas[0] @ weights[layer + 1][:, 1:]
        deltas.insert(0, fprimes[layer] * back)
    return fprimes, deltas


def run_pass(
    weights: Sequence[Array],
    activations: Sequence[Activation],
    loss: Loss,
    inputs: Array,
    targets: Array,
) -> Pass:
    """Forward, loss and backward over the given samples, every array kept for the walkthrough."""
    augmented, zs, acts = forward(weights, activations, inputs)
    fprimes, deltas = backward(weights, activations, loss, targets, zs, acts)
    losses = loss.per_sample(acts[-1], targets, zs[-1])
    return Pass(augmented, zs, acts, fprimes, deltas, losses)
