"""Losses: each one's value and the output delta it starts backprop with, side by side.

Every delta here follows one convention, the one the update rule needs: the update is always
``w ← w − α·Z·δ`` (the article's), so for a true loss E, ``δ = ∂E/∂z`` of the output unit.

``article_error`` is the article's signed error ``y − o``. Used as its δ it is exactly
``−∂E/∂z`` for ``E = ½(y − o)²``: the same numbers as ``half_squared_error`` with the sign
flipped, which is why the article's update walks uphill (see ../shared/ARTICLE.md, point 3).
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
            terms = [f"y({n}) \u2212 {n}" for n in names] if k > 1 else [f"y \u2212 {names[0]}"]
            nums = [f"{fmt(y)} \u2212 {factor(o)}" for o, y in zip(outputs, targets)]
            if k == 1:
                return f"E = {terms[0]}", nums[0]
            return "E = \u03a3 (y \u2212 o)", " + ".join(f"({t})" for t in nums)
        if self.name == "half_squared_error":
            nums = [f"({fmt(y)} \u2212 {factor(o)})\u00b2" for o, y in zip(outputs, targets)]
            formula = (
                "E = \u00bd\u00b7(y \u2212 o)\u00b2"
                if k == 1
                else "E = \u00bd\u00b7\u03a3 (y \u2212 o)\u00b2"
            )
            body = nums[0] if k == 1 else "(" + " + ".join(nums) + ")"
            return formula, f"\u00bd\u00b7{body}"
        nums = [
            f"\u2212[{fmt(y)}\u00b7ln({fmt(o)}) + (1 \u2212 {fmt(y)})\u00b7ln(1 \u2212 {fmt(o)})]"
            for o, y in zip(outputs, targets)
        ]
        formula = "E = \u2212[y\u00b7ln(o) + (1 \u2212 y)\u00b7ln(1 \u2212 o)]"
        if k == 1:
            return formula, nums[0]
        return "E = (1/K)\u00b7\u03a3 " + formula[4:], "(" + " + ".join(nums) + f")/{k}"

    def delta_text(
        self, name: str, output: float, target: float, fprime: float, k: int
    ) -> tuple[str, str]:
        """Formula and numbers for an output unit's δ."""
        if self.name == "article_error":
            return (
                f"\u03b4({name}) = (y \u2212 {name})\u00b7f\u2032(z)",
                f"({fmt(target)} \u2212 {factor(output)})\u00b7{factor(fprime)}",
            )
        if self.name == "half_squared_error":
            return (
                f"\u03b4({name}) = ({name} \u2212 y)\u00b7f\u2032(z)",
                f"({fmt(output)} \u2212 {factor(target)})\u00b7{factor(fprime)}",
            )
        if k == 1:
            return f"\u03b4({name}) = {name} \u2212 y", f"{fmt(output)} \u2212 {factor(target)}"
        return (
            f"\u03b4({name}) = ({name} \u2212 y)/K",
            f"({fmt(output)} \u2212 {factor(target)})/{k}",
        )


def loss(name: str) -> Loss:
    """Look a loss up by name (the scenario loader has already checked it exists)."""
    if name not in LOSS_NAMES:
        raise KeyError(name)
    return Loss(name)
