"""The values a learner gets from the usual slips, so a wrong answer can be diagnosed.

Each function of a step returns ``{kind: value}`` for the slips that apply to it; a quiz
compares an answer with them. Read off the walkthrough's own arrays, like the steps.
"""

from __future__ import annotations

import numpy as np

from engine.activations import activation
from engine.walkthrough import Walkthrough

#: Every kind of slip, in the order a diagnosis prefers them when two give the same value.
KINDS = ("sign", "fprime", "learning_rate", "updated_weight", "bias_zero", "activation")


def mistakes(w: Walkthrough, k: int) -> dict[str, float]:
    """What the slips give for step ``k``: sign flipped, f′(z) left out, learning rate left
    out, the updated instead of the old weight used, the bias input taken as 0, the
    activation left out. Only slips that change the value are listed."""
    step = w.steps[k]
    out: dict[str, float] = {}
    if step.value != 0:
        out["sign"] = -step.value
    r = w.arrays
    if step.phase == "forward" and step.sample is not None:
        unit = w.unit(step.target)
        assert unit is not None
        row = w.samples.index(step.sample)
        layer = unit.layer - 1
        j = unit.index - 1 if layer < len(r.z) - 1 else unit.index
        z = r.z[layer][row, j]
        bias_weight = w.weights_before[layer][j, 0]
        act = activation(w.scenario.activations[layer])
        out["bias_zero"] = float(act.function(np.array([z - bias_weight]))[0])
        if act.name != "identity":
            out["activation"] = float(z)
    elif step.phase == "backward" and step.sample is not None:
        unit = w.unit(step.target)
        assert unit is not None
        row = w.samples.index(step.sample)
        layer = unit.layer - 1
        last = layer == len(r.z) - 1
        j = unit.index if last else unit.index - 1
        fprime = r.fprime[layer][row, j]
        # Cross-entropy's output δ has no f′ in it (σ′ cancels), so nothing to leave out there.
        uses_fprime = not last or w.scenario.loss != "cross_entropy"
        if uses_fprime and fprime != 0.0:
            out["fprime"] = float(step.value / fprime)
        if not last:
            after = w.weights_after[layer + 1][:, j + 1]
            out["updated_weight"] = float(fprime * (r.deltas[layer + 1][row] @ after))
    elif step.phase == "update":
        link = w.link(step.target)
        assert link is not None and step.old is not None and step.gradient is not None
        out["learning_rate"] = step.old - step.gradient
        if link.col == 0:
            out["bias_zero"] = step.old
    return {kind: value for kind, value in out.items() if value != step.value}


def close_enough(answer: float, value: float) -> bool:
    """Right to the precision a learner works by hand: 0.5 % of the size, at least 0.005."""
    if not np.isfinite(value):
        return False
    return abs(answer - value) <= 0.005 * max(1.0, abs(value))


def diagnose(w: Walkthrough, k: int, answer: float) -> str | None:
    """The slip that explains a wrong ``answer`` to step ``k``, if one does."""
    candidates = mistakes(w, k)
    for kind in KINDS:
        value = candidates.get(kind)
        if value is not None and close_enough(answer, value):
            return kind
    return None
