"""Activation functions, each with its derivative right beside it.

Backprop needs f'(z) for every unit it passes through; keeping f and f' together is what
lets a reader check one against the other (and the finite-difference tests do exactly that).

Each function and derivative takes an optional ``out``: given, the result is written into it
and returned, which is how :class:`engine.network.Network` runs them thousands of times
without allocating; without it, into a new array. Either way it is the same code, so the same
operations in the same order and the same numbers bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.numbers import factor, fmt

Array = np.ndarray

# 0 and 1 as 0-d float64 arrays: NumPy turns a Python float into one on every call, which on a
# walkthrough's tiny arrays costs more than the arithmetic. The engine's arrays are all float64,
# so the numbers are those of the Python floats.
_ZERO = np.array(0.0)
_ONE = np.array(1.0)
_ZERO.flags.writeable = _ONE.flags.writeable = False


@dataclass(frozen=True)
class Activation:
    """A unit's activation f and its derivative f'.

    ``function(z, out=None)`` is a = f(z). ``derivative(z, a, out=None)`` takes both z and
    a = f(z) because sigmoid and tanh are cheapest in terms of a; ``derivative_reads_z`` says
    whether it reads z at all, so a caller that does not keep z may let f′ overwrite it.
    ``wrap`` writes f applied to an expression, for formulas: ``σ(…)``; identity writes nothing.

    ``formula`` and ``derivative_formula`` are f and f′ as a teacher writes them, and
    ``working(z, a)`` / ``derivative_working(z, a, f′)`` what follows them with one unit's
    numbers (`` = 1/(1 + e^(3.4035)) = 0.032185``), so a learner can redo each step by hand.
    """

    name: str
    function: Callable[..., Array]
    derivative: Callable[..., Array]
    derivative_reads_z: bool
    formula: str
    derivative_formula: str
    symbol: str
    working: Callable[[float, float], str]
    derivative_working: Callable[[float, float, float], str]

    def wrap(self, expression: str) -> str:
        """Write f(expression) the way a teacher would on the board."""
        return expression if not self.symbol else f"{self.symbol}({expression})"

    def function_text(self, z: float, a: float) -> str:
        """f with one unit's numbers: ``σ(z) = 1/(1 + e^(−z)) = 1/(1 + e^(3.4035)) = 0.032185``."""
        return self.formula + self.working(z, a)

    def derivative_text(self, z: float, a: float, fprime: float) -> str:
        """f′ with one unit's numbers: ``σ′(z) = σ(z)·(1 − σ(z)) = 0.032185·0.96782 = 0.031149``."""
        return self.derivative_formula + self.derivative_working(z, a, fprime)


def _array_for(z: Array, out: Array | None) -> Array:
    """``out``, or a new array like ``z`` for the operations that do not allocate one."""
    return np.empty_like(z) if out is None else out


def _identity(z: Array, out: Array | None = None) -> Array:
    out = _array_for(z, out)
    np.copyto(out, z)
    return out


def _identity_derivative(z: Array, a: Array, out: Array | None = None) -> Array:
    out = _array_for(z, out)
    out.fill(1.0)
    return out


def _identity_working(z: float, a: float) -> str:
    return f" = {fmt(a)}"


def _identity_derivative_working(z: float, a: float, fprime: float) -> str:
    return ""  # f′(z) = 1 says it all


def _sigmoid(z: Array, out: Array | None = None) -> Array:
    # 1/(1 + e^-z), one operation at a time, in ``out``. Callers run under
    # np.errstate(over="ignore"): e^-z may overflow to inf for very negative z, and
    # 1/(1 + inf) is then exactly the right limit, 0.
    out = np.negative(z, out)
    np.exp(out, out)
    np.add(_ONE, out, out)
    return np.divide(_ONE, out, out)


def _sigmoid_derivative(z: Array, a: Array, out: Array | None = None) -> Array:
    # a·(1 − a)
    out = np.subtract(_ONE, a, out)
    return np.multiply(a, out, out)


def _sigmoid_working(z: float, a: float) -> str:
    return f" = 1/(1 + e^({fmt(-z)})) = {fmt(a)}"


def _sigmoid_derivative_working(z: float, a: float, fprime: float) -> str:
    return f" = {factor(a)}·{factor(1.0 - a)} = {fmt(fprime)}"


def _tanh(z: Array, out: Array | None = None) -> Array:
    return np.tanh(z, out)


def _tanh_derivative(z: Array, a: Array, out: Array | None = None) -> Array:
    # 1 − a²
    out = np.multiply(a, a, out)
    return np.subtract(_ONE, out, out)


def _tanh_working(z: float, a: float) -> str:
    return f" = (e^({fmt(z)}) − e^({fmt(-z)}))/(e^({fmt(z)}) + e^({fmt(-z)})) = {fmt(a)}"


def _tanh_derivative_working(z: float, a: float, fprime: float) -> str:
    return f" = 1 − {factor(a)}² = {fmt(fprime)}"


def _relu(z: Array, out: Array | None = None) -> Array:
    return np.maximum(z, _ZERO, out=out)  # np.maximum takes out by keyword only


def _relu_derivative(z: Array, a: Array, out: Array | None = None) -> Array:
    # 1.0 where z > 0, else 0.0 (nan included): the comparison's booleans written as floats.
    return np.greater(z, _ZERO, _array_for(z, out))


def _relu_working(z: float, a: float) -> str:
    return f" = max(0, {fmt(z)}) = {fmt(a)}"


def _relu_derivative_working(z: float, a: float, fprime: float) -> str:
    return f": relu′({fmt(z)}) = {fmt(fprime)}"


ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation(
        name="identity",
        function=_identity,
        derivative=_identity_derivative,
        derivative_reads_z=False,
        formula="f(z) = z",
        derivative_formula="f′(z) = 1",
        symbol="",
        working=_identity_working,
        derivative_working=_identity_derivative_working,
    ),
    "sigmoid": Activation(
        name="sigmoid",
        function=_sigmoid,
        derivative=_sigmoid_derivative,
        derivative_reads_z=False,
        formula="σ(z) = 1/(1 + e^(−z))",
        derivative_formula="σ′(z) = σ(z)·(1 − σ(z))",
        symbol="σ",
        working=_sigmoid_working,
        derivative_working=_sigmoid_derivative_working,
    ),
    "tanh": Activation(
        name="tanh",
        function=_tanh,
        derivative=_tanh_derivative,
        derivative_reads_z=False,
        formula="tanh(z) = (e^z − e^(−z))/(e^z + e^(−z))",
        derivative_formula="tanh′(z) = 1 − tanh(z)²",
        symbol="tanh",
        working=_tanh_working,
        derivative_working=_tanh_derivative_working,
    ),
    "relu": Activation(
        name="relu",
        function=_relu,
        derivative=_relu_derivative,
        derivative_reads_z=True,
        formula="relu(z) = max(0, z)",
        derivative_formula="relu′(z) = 1 (z > 0), 0 (z ≤ 0)",
        symbol="relu",
        working=_relu_working,
        derivative_working=_relu_derivative_working,
    ),
}


def activation(name: str) -> Activation:
    """Look an activation up by name (the scenario loader has already checked it exists)."""
    return ACTIVATIONS[name]
