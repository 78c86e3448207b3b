"""Losses: each one's value and the output delta it starts backprop with, side by side.

Every delta here follows one convention, the one the update rule needs: the update is always
``w ← w − α·Z·δ`` (the article's), so for a true loss E, ``δ = ∂E/∂z`` of the output unit.

``article_error`` is the article's signed error ``y − o``. Used as its δ it is exactly
``−∂E/∂z`` for ``E = ½(y − o)²``: the same numbers as ``half_squared_error`` with the sign
flipped, which is why the article's update walks uphill (docs/article.md, point 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.numbers import factor, fmt
from engine.scenario import LOSS_NAMES

Array = np.ndarray


@dataclass(frozen=True)
class Loss:
    """A loss function, its per-sample value and its output delta."""

    name: str

    def per_sample(self, outputs: Array, targets: Array, z_out: Array) -> Array:
        """Loss of each sample (rows of ``outputs``), shape ``(m,)``."""
        if self.name == "article_error":
            return (targets - outputs).sum(axis=1)
        if self.name == "half_squared_error":
            return 0.5 * ((targets - outputs) ** 2).sum(axis=1)
        # Binary cross-entropy of a sigmoid output, written in z so it never takes log(0):
        # −[y·ln σ(z) + (1−y)·ln(1−σ(z))] = softplus(z) − y·z.
        softplus = np.maximum(z_out, 0.0) + np.log1p(np.exp(-np.abs(z_out)))
        return (softplus - targets * z_out).mean(axis=1)

    def output_delta(self, outputs: Array, targets: Array, fprime: Array) -> Array:
        """δ of each output unit, shape ``(m, K)``: where backprop starts."""
        if self.name == "article_error":
            return (targets - outputs) * fprime
        if self.name == "half_squared_error":
            return (outputs - targets) * fprime
        # σ'(z) cancels against the derivative of the log: δ = (o − y)/K, no f′ needed.
        return (outputs - targets) / outputs.shape[1]

    # --- the words and numbers a learner sees -------------------------------------------

    def loss_text(
        self, names: Sequence[str], outputs: Sequence[float], targets: Sequence[float]
    ) -> tuple[str, str]:
        """Symbolic formula and the same with numbers, for one sample's loss step."""
        k = len(names)
        if self.name == "article_error":
            terms = [f"y({n}) − {n}" for n in names] if k > 1 else [f"y − {names[0]}"]
            nums = [f"{fmt(y)} − {factor(o)}" for o, y in zip(outputs, targets)]
            if k == 1:
                return f"E = {terms[0]}", nums[0]
            return "E = Σ (y − o)", " + ".join(f"({t})" for t in nums)
        if self.name == "half_squared_error":
            nums = [f"({fmt(y)} − {factor(o)})²" for o, y in zip(outputs, targets)]
            formula = "E = ½·(y − o)²" if k == 1 else "E = ½·Σ (y − o)²"
            body = nums[0] if k == 1 else "(" + " + ".join(nums) + ")"
            return formula, f"½·{body}"
        nums = [
            f"−[{fmt(y)}·ln({fmt(o)}) + (1 − {fmt(y)})·ln(1 − {fmt(o)})]"
            for o, y in zip(outputs, targets)
        ]
        formula = "E = −[y·ln(o) + (1 − y)·ln(1 − o)]"
        if k == 1:
            return formula, nums[0]
        return "E = (1/K)·Σ " + formula[4:], "(" + " + ".join(nums) + f")/{k}"

    def delta_text(
        self, name: str, output: float, target: float, fprime: float, k: int
    ) -> tuple[str, str]:
        """Formula and numbers for an output unit's δ."""
        if self.name == "article_error":
            return (
                f"δ({name}) = (y − {name})·f′(z)",
                f"({fmt(target)} − {factor(output)})·{factor(fprime)}",
            )
        if self.name == "half_squared_error":
            return (
                f"δ({name}) = ({name} − y)·f′(z)",
                f"({fmt(output)} − {factor(target)})·{factor(fprime)}",
            )
        if k == 1:
            return f"δ({name}) = {name} − y", f"{fmt(output)} − {factor(target)}"
        return (
            f"δ({name}) = ({name} − y)/K",
            f"({fmt(output)} − {factor(target)})/{k}",
        )


def loss(name: str) -> Loss:
    """Look a loss up by name (the scenario loader has already checked it exists)."""
    if name not in LOSS_NAMES:
        raise KeyError(name)
    return Loss(name)
