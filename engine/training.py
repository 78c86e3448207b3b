"""Training many epochs at once: the same maths as the walkthrough, without the steps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.activations import activation
from engine.losses import loss as get_loss
from engine.network import forward, run_pass
from engine.scenario import Scenario

#: Called with (epochs done, latest epoch loss) every ``report_every`` epochs; return False to stop.
Progress = Callable[[int, float], "bool | None"]


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


def train(
    scenario: Scenario,
    epochs: int,
    weights: list[np.ndarray] | None = None,
    *,
    progress: Progress | None = None,
    report_every: int = 100,
) -> TrainingResult:
    """Run ``epochs`` epochs of gradient descent as the scenario says (online or batch).

    Starts from ``weights`` (default: the scenario's initial weights) and never changes them.
    An epoch is one pass over the training set: one update for ``batch``, one per sample
    for ``online``. Overflow gives inf and nan in the result, never an exception.
    """
    if epochs < 0:
        raise ValueError("epochs must be 0 or more")
    w = [np.array(m, dtype=np.float64, copy=True) for m in (weights or scenario.initial_weights())]
    acts = [activation(name) for name in scenario.activations]
    loss = get_loss(scenario.loss)
    x = scenario.input_array()
    y = scenario.target_array()
    lr = scenario.learning_rate
    losses = np.empty(epochs)
    stopped = False
    done = 0
    with np.errstate(all="ignore"):
        if scenario.update == "batch":
            m = x.shape[0]
            for epoch in range(epochs):
                result = run_pass(w, acts, loss, x, y)
                losses[epoch] = result.losses.mean()
                for layer, (d, a) in enumerate(zip(result.deltas, result.augmented)):
                    w[layer] -= (lr / m) * (d.T @ a)
                done = epoch + 1
                if progress and done % report_every == 0 and progress(done, losses[epoch]) is False:
                    stopped = done < epochs
                    break
        else:
            rows = [(x[i : i + 1], y[i : i + 1]) for i in range(x.shape[0])]
            for epoch in range(epochs):
                total = 0.0
                for xi, yi in rows:
                    result = run_pass(w, acts, loss, xi, yi)
                    total += float(result.losses[0])
                    for layer, (d, a) in enumerate(zip(result.deltas, result.augmented)):
                        w[layer] -= lr * (d.T @ a)
                losses[epoch] = total / len(rows)
                done = epoch + 1
                if progress and done % report_every == 0 and progress(done, losses[epoch]) is False:
                    stopped = done < epochs
                    break
        predictions = forward(w, acts, x)[2][-1]
    return TrainingResult(losses[:done].copy(), predictions, w, stopped)
