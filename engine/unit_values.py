"""A unit's own numbers at one step: its weighted sum z, its value f(z) and its slope f′(z).

The explanation writes each step's activation (forward) or its derivative (backward) with the
unit's numbers; they are read here off the same arrays the step's value comes from, so the
words and the tables can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from engine.activations import Activation, activation

if TYPE_CHECKING:
    from engine.walkthrough import Walkthrough


@dataclass(frozen=True)
class UnitValues:
    """z, a = f(z) and f′(z) of one unit for one sample, with its activation."""

    unit: str
    layer: int
    activation: Activation
    z: float
    a: float
    fprime: float
    output: bool
    """True for an output unit (its δ comes from the loss)."""

    def function_text(self) -> str:
        """``σ(z) = 1/(1 + e^(−z)) = 1/(1 + e^(3.4035)) = 0.032185``."""
        return self.activation.function_text(self.z, self.a)

    def derivative_text(self) -> str:
        """``σ′(z) = σ(z)·(1 − σ(z)) = 0.032185·0.96782 = 0.031149``."""
        return self.activation.derivative_text(self.z, self.a, self.fprime)


def unit_values(w: Walkthrough, k: int) -> UnitValues | None:
    """The numbers of the unit step ``k`` is about (a forward or backward step); None for a
    loss or an update step."""
    plan = w.plan
    if k < 0 or k >= plan.samples_end:
        return None
    row, offset = divmod(k, plan.per_sample)
    n = len(plan.forward)
    if offset < n:
        layer, j, name = plan.forward[offset]
    elif offset > n:
        layer, j, name = plan.backward[offset - n - 1]
    else:
        return None
    r = w.arrays
    with np.errstate(all="ignore"):
        return UnitValues(
            unit=name,
            layer=layer,
            activation=activation(w.scenario.activations[layer - 1]),
            z=float(r.z[layer - 1][row, j]),
            a=float(r.a[layer - 1][row, j]),
            fprime=float(r.fprime[layer - 1][row, j]),
            output=layer == len(w.scenario.layers) - 1,
        )
