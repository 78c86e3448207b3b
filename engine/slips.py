"""The values a learner gets from the usual slips, so a wrong answer can be diagnosed.

:func:`mistakes` returns ``{kind: value}`` for the slips that apply to a step, likelier first,
read off the walkthrough's own arrays like the steps themselves; a quiz compares an answer
with them. A slip is listed only where it changes the value: answering an unchanged weight
with its negative is no slip of ``w ← w − α·Z·δ``, and nothing is "the opposite sign" of 0.

What each step kind can go wrong with:

- forward ``a = f(Σ w·x)``: the bias left out, the activation left out, the sum's sign;
- loss: its sign (``o − y`` for the article's ``y − o``, cross-entropy's leading minus), the
  ½ of the squared error, a batch's mean taken as the sum;
- δ: the other sign convention (``o − y`` for ``y − o`` or back), f′(z) left out (or, with
  sigmoid and cross-entropy, where σ′ cancels, put in), the updated weights used, the
  unit's value given for its δ;
- update ``w ← w − α·Z·δ``: ``+`` for ``−``, which is also what δ with the other sign gives (the
  two always coincide, so a diagnosis names both), Z taken from the link's target, an input
  of 0 taken as 1, α left out, the bias unit taken as 0, the change given for the weight, a
  batch's mean taken as the sum.
"""

from __future__ import annotations

import numpy as np

from engine.activations import activation
from engine.walkthrough import Walkthrough

#: Every kind of slip. Where two give the same value for a step, :func:`mistakes` lists the
#: likelier first, and a diagnosis names both.
KINDS = (
    # forward
    "bias_zero", "activation", "sum_sign",
    # loss
    "sign", "half", "mean",
    # δ
    "delta_sign", "fprime", "fprime_extra", "updated_weight", "unit_value",
    # update (and "delta_sign", "mean")
    "plus", "wrong_end", "input_one", "learning_rate", "bias_unit_zero", "step_only",
)


def mistakes(w: Walkthrough, k: int) -> dict[str, float]:
    """What each slip gives for step ``k``, likelier first; only slips that give a finite
    value the answer would not already count as right."""
    step = w.steps[k]
    if step.phase == "forward":
        out = _forward(w, k)
    elif step.phase == "loss":
        out = _loss(w, k)
    elif step.phase == "backward":
        out = _delta(w, k)
    else:
        out = _update(w, k)
    return {
        kind: value for kind, value in out.items()
        if np.isfinite(value) and not close_enough(value, step.value)
    }


def _row(w: Walkthrough, k: int) -> int:
    """The row of step ``k``'s sample in the pass's arrays."""
    sample = w.steps[k].sample
    assert sample is not None
    return w.samples.index(sample)


def _unit_column(w: Walkthrough, name: str) -> tuple[int, int]:
    """(index into the pass's per-layer arrays, column there) of a computed unit."""
    unit = w.unit(name)
    assert unit is not None
    layer = unit.layer - 1
    last = layer == len(w.arrays.z) - 1
    return layer, unit.index if last else unit.index - 1


def _forward(w: Walkthrough, k: int) -> dict[str, float]:
    """``a = f(z)``, ``z = Σ w·x``: bias left out, activation left out, ``f(−z)``."""
    step, r = w.steps[k], w.arrays
    row = _row(w, k)
    layer, j = _unit_column(w, step.target)
    z = float(r.z[layer][row, j])
    act = activation(w.scenario.activations[layer])

    def f(x: float) -> float:
        return float(act.function(np.array([x]))[0])

    out = {"bias_zero": f(z - float(w.weights_before[layer][j, 0]))}
    if act.name != "identity":
        out["activation"] = z
    out["sum_sign"] = f(-z)
    return out


def _loss(w: Walkthrough, k: int) -> dict[str, float]:
    """A sample's loss or a batch's mean: sign, the ½, the mean."""
    step = w.steps[k]
    loss = w.scenario.loss
    out: dict[str, float] = {}
    if loss in ("article_error", "cross_entropy"):  # a square has no sign to get wrong
        out["sign"] = -step.value
    if loss == "half_squared_error":
        out["half"] = 2 * step.value
    if step.sample is None and len(w.samples) > 1:
        out["mean"] = len(w.samples) * step.value
    return out


def _delta(w: Walkthrough, k: int) -> dict[str, float]:
    """δ of an output (from the loss) or hidden unit (from the layer above)."""
    step, r = w.steps[k], w.arrays
    row = _row(w, k)
    layer, j = _unit_column(w, step.target)
    last = layer == len(r.z) - 1
    fprime = float(r.fprime[layer][row, j])
    out = {"delta_sign": -step.value}
    if last and w.scenario.loss == "cross_entropy":
        # σ′ cancels against the derivative of the log: a learner who multiplies by it anyway.
        out["fprime_extra"] = step.value * fprime
    elif fprime != 0.0:
        out["fprime"] = step.value / fprime
    if not last:
        after = w.weights_after[layer + 1][:, j + 1]
        out["updated_weight"] = float(fprime * (r.deltas[layer + 1][row] @ after))
    out["unit_value"] = float(r.a[layer][row, j])  # the unit's value given for its δ
    return out


def _update(w: Walkthrough, k: int) -> dict[str, float]:
    """``w ← w − α·mean(Z·δ)`` for one link, with Z its source's value, δ its target's."""
    step, r = w.steps[k], w.arrays
    link = w.link(step.target)
    assert link is not None and step.old is not None and step.gradient is not None
    old, gradient, alpha = step.old, step.gradient, w.scenario.learning_rate
    source = r.augmented[link.layer][:, link.col]
    delta = r.deltas[link.layer][:, link.row]
    target = r.a[link.layer][:, link.row]
    out = {
        "plus": old + alpha * gradient,
        "delta_sign": old + alpha * gradient,
        "wrong_end": old - alpha * float(np.mean(target * delta)),
    }
    if link.layer == 0 and link.col > 0 and bool((source == 0).any()):
        out["input_one"] = old - alpha * float(np.mean(np.where(source == 0, 1.0, source) * delta))
    out["learning_rate"] = old - gradient
    if link.col == 0:
        out["bias_unit_zero"] = old
    out["step_only"] = 0.0 - alpha * gradient  # never −0
    if len(w.samples) > 1:
        out["mean"] = old - alpha * len(w.samples) * gradient
    return out


def close_enough(answer: float, value: float) -> bool:
    """Right to the precision a learner works by hand: 0.5 % of the size, at least 0.005."""
    if not np.isfinite(value):
        return False
    return abs(answer - value) <= 0.005 * max(1.0, abs(value))


def diagnoses(w: Walkthrough, k: int, answer: float) -> tuple[str, ...]:
    """Every slip that explains a wrong ``answer`` to step ``k``, likelier first (none: ())."""
    return tuple(
        kind for kind, value in mistakes(w, k).items() if close_enough(answer, value)
    )


def diagnose(w: Walkthrough, k: int, answer: float) -> str | None:
    """The likeliest slip that explains a wrong ``answer`` to step ``k``, if one does."""
    found = diagnoses(w, k, answer)
    return found[0] if found else None
