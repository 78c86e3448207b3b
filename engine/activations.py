"""Activation functions, each with its derivative right beside it.

Backprop needs f'(z) for every unit it passes through; keeping f and f' together is what
lets a reader check one against the other (and the finite-difference tests do exactly that).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    """A unit's activation f and its derivative f'.

    ``derivative`` takes both z and a = f(z) because sigmoid and tanh are cheapest in terms of a.
    ``wrap`` writes f applied to an expression, for formulas: ``σ(…)``; identity writes nothing.
    """

    name: str
    function: Callable[[Array], Array]
    derivative: Callable[[Array, Array], Array]
    derivative_formula: str
    symbol: str

    def wrap(self, expression: str) -> str:
        """Write f(expression) the way a teacher would on the board."""
        return expression if not self.symbol else f"{self.symbol}({expression})"


def _sigmoid(z: Array) -> Array:
    # Callers run under np.errstate(over="ignore"): exp(-z) may overflow to inf for very
    # negative z, and 1/(1 + inf) is then exactly the right limit, 0.
    return 1.0 / (1.0 + np.exp(-z))


ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation(
        name="identity",
        function=lambda z: z.copy(),
        derivative=lambda z, a: np.ones_like(z),
        derivative_formula="f′(z) = 1",
        symbol="",
    ),
    "sigmoid": Activation(
        name="sigmoid",
        function=_sigmoid,
        derivative=lambda z, a: a * (1.0 - a),
        derivative_formula="f′(z) = a·(1 − a)",
        symbol="σ",
    ),
    "tanh": Activation(
        name="tanh",
        function=np.tanh,
        derivative=lambda z, a: 1.0 - a * a,
        derivative_formula="f′(z) = 1 − a²",
        symbol="tanh",
    ),
    "relu": Activation(
        name="relu",
        function=lambda z: np.maximum(z, 0.0),
        derivative=lambda z, a: (z > 0).astype(z.dtype),
        derivative_formula="f′(z) = 1 if z > 0 else 0",
        symbol="relu",
    ),
}


def activation(name: str) -> Activation:
    """Look an activation up by name (the scenario loader has already checked it exists)."""
    return ACTIVATIONS[name]
