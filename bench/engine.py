"""Benchmark: full-batch training speed of engine.train against a plain-Python loop.

Run from the repository root::

    .venv/bin/python bench/engine.py            # default: 7 interleaved runs per runner
    .venv/bin/python bench/engine.py --quick    # 3 runs, shorter blocks

Two networks, both sigmoid/sigmoid with cross-entropy and full-batch updates:

* the built-in ``xor-sigmoid`` scenario (2-3-1, 4 samples), where per-call NumPy overhead
  dominates, and
* a 2-64-1 network on 1024 XOR-like samples, where the arithmetic dominates.

For each, the same maths is also run as plain Python (lists of floats, ``math.exp``, no NumPy
in the loop) from the same initial weights; before any timing the script checks that both end
at the same weights after a few epochs, so the two runners really do the same work. Each timed
block trains from the initial weights for a fixed number of epochs (calibrated so a block takes
about ``--block`` seconds); engine and plain blocks alternate, so machine noise hits both.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import mul
from pathlib import Path

# This file is called engine.py: when run as a script its own folder comes first on sys.path and
# would shadow the real ``engine`` package. Drop that folder and put the repository root first.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import numpy as np  # noqa: E402

from engine import Init, Scenario, builtin, train  # noqa: E402

Matrix = list[list[float]]

GOALS = {"xor": 1.0, "wide": 20.0}
"""The engine/plain speed ratio each case should reach."""

AGREEMENT_EPOCHS = 5
AGREEMENT_TOLERANCE = 1e-9


# --- the scenarios -----------------------------------------------------------------------


def wide_scenario(samples: int = 1024, width: int = 64) -> Scenario:
    """2-``width``-1 sigmoid/sigmoid cross-entropy batch network on XOR-like data in [0, 1]²."""
    rng = np.random.default_rng(0)
    x = rng.uniform(0.0, 1.0, size=(samples, 2))
    y = ((x[:, 0] > 0.5) ^ (x[:, 1] > 0.5)).astype(np.float64)
    return Scenario(
        name=f"bench-2-{width}-1",
        layers=(2, width, 1),
        activations=("sigmoid", "sigmoid"),
        loss="cross_entropy",
        learning_rate=1.0,
        update="batch",
        init=Init(kind="random", seed=0),
        inputs=tuple((float(a), float(b)) for a, b in x),
        targets=tuple((float(v),) for v in y),
    )


# --- the plain-Python runner ---------------------------------------------------------------


@dataclass
class PlainResult:
    """What :func:`plain_train` ends with: the same fields as the engine's TrainingResult."""

    weights: list[Matrix]
    losses: list[float]
    predictions: Matrix


def _forward(w: Sequence[Matrix], xa: Matrix) -> tuple[list[Matrix], Matrix, Matrix]:
    """Forward pass over all samples: augmented activations per layer, output z, output a.

    ``xa`` is the inputs with the constant 1.0 in front of each row; every weight row has its
    bias weight first, so each unit's z is one ``sum(map(mul, row, a))``.
    """
    exp = math.exp
    aug = [xa]
    for hidden in w[:-1]:
        # σ(z) = 1/(1 + e^-z); e^-z overflows (OverflowError in math.exp, inf in NumPy) below
        # z ≈ -709.78, where NumPy's result is 1/(1 + inf) = 0, so that is what we return.
        aug.append(
            [
                [1.0]
                + [
                    1.0 / (1.0 + exp(-z)) if (z := sum(map(mul, row, a))) > -709.0 else 0.0
                    for row in hidden
                ]
                for a in aug[-1]
            ]
        )
    last = w[-1]
    z_out = [[sum(map(mul, row, a)) for row in last] for a in aug[-1]]
    out = [[1.0 / (1.0 + exp(-z)) if z > -709.0 else 0.0 for z in zs] for zs in z_out]
    return aug, z_out, out


def plain_train(
    initial: Sequence[np.ndarray],
    inputs: Sequence[Sequence[float]],
    targets: Sequence[Sequence[float]],
    learning_rate: float,
    epochs: int,
    *,
    predict: bool = True,
) -> PlainResult:
    """Full-batch gradient descent, sigmoid units, cross-entropy: engine.train's maths in lists.

    Per epoch: forward over every sample; output δ = (o − y)/K; hidden δ = a(1 − a)·Σ w·δ
    (the bias column skipped); mean gradient δᵀ·A / m per layer; w ← w − (α/m)·δᵀ·A. The epoch's
    loss (mean over samples of softplus(z) − y·z, averaged over outputs) is kept, as the engine
    does. ``predict=False`` skips the final forward pass for the predictions.
    """
    exp, log1p = math.exp, math.log1p
    w = [m.tolist() for m in initial]
    xa = [[1.0, *map(float, row)] for row in inputs]
    ys = [[float(v) for v in row] for row in targets]
    m = len(xa)
    k = len(ys[0])
    scale = learning_rate / m
    losses: list[float] = []
    for _ in range(epochs):
        aug, z_out, out = _forward(w, xa)
        losses.append(
            sum(
                sum(
                    max(z, 0.0) + log1p(exp(-abs(z))) - y * z
                    for z, y in zip(zs, yr, strict=True)
                )
                / k
                for zs, yr in zip(z_out, ys, strict=True)
            )
            / m
        )
        # Backward, one layer at a time over all samples (the weights are fixed within a batch).
        delta = [
            [(o - y) / k for o, y in zip(orow, yr, strict=True)]
            for orow, yr in zip(out, ys, strict=True)
        ]
        deltas = [delta]
        for layer in range(len(w) - 2, -1, -1):
            after = w[layer + 1]
            if len(after) == 1:
                # One unit above: Σ_k w_kj·δ_k is the single product w_j·δ (what sum() would
                # give too, without a sum/map call per unit).
                row = after[0][1:]
                delta = [
                    [a * (1.0 - a) * (c * dd) for a, c in zip(arow[1:], row, strict=True)]
                    for arow, (dd,) in zip(aug[layer + 1], delta, strict=True)
                ]
            else:
                # W[l+1] without its bias column, transposed: one column per unit of layer l.
                columns = list(zip(*after, strict=True))[1:]
                delta = [
                    [
                        a * (1.0 - a) * sum(map(mul, col, d))
                        for a, col in zip(arow[1:], columns, strict=True)
                    ]
                    for arow, d in zip(aug[layer + 1], delta, strict=True)
                ]
            deltas.insert(0, delta)
        # Update: w -= (lr/m) * (δᵀ @ A), one column-by-column dot product per weight.
        for layer, (d, a) in enumerate(zip(deltas, aug, strict=True)):
            d_cols = list(zip(*d, strict=True))
            a_cols = list(zip(*a, strict=True))
            w[layer] = [
                [wv - scale * sum(map(mul, dc, ac)) for wv, ac in zip(wrow, a_cols, strict=True)]
                for wrow, dc in zip(w[layer], d_cols, strict=True)
            ]
    predictions = _forward(w, xa)[2] if predict else []
    return PlainResult(w, losses, predictions)


# --- checking and timing -------------------------------------------------------------------


def check_agreement(
    scenario: Scenario, epochs: int = AGREEMENT_EPOCHS
) -> tuple[float, float, float]:
    """Train both runners ``epochs`` epochs; the largest weight, loss and prediction
    differences."""
    engine_result = train(scenario, epochs)
    plain = plain_train(
        scenario.initial_weights(),
        scenario.inputs,
        scenario.targets,
        scenario.learning_rate,
        epochs,
    )
    dw = max(
        float(np.max(np.abs(np.asarray(p) - e)))
        for p, e in zip(plain.weights, engine_result.weights, strict=True)
    )
    dl = float(np.max(np.abs(np.asarray(plain.losses) - engine_result.losses)))
    dp = float(np.max(np.abs(np.asarray(plain.predictions) - engine_result.predictions)))
    return dw, dl, dp


Runner = Callable[[int], object]


def runners(scenario: Scenario) -> tuple[Runner, Runner]:
    """Engine and plain runners: each trains ``n`` epochs from the initial weights."""
    inputs, targets, lr = scenario.inputs, scenario.targets, scenario.learning_rate
    initial = scenario.initial_weights()

    def engine_run(n: int) -> object:
        return train(scenario, n)

    def plain_run(n: int) -> object:
        # No final prediction pass: at 2-64-1 it costs half an epoch and the plain blocks are
        # only a few epochs long. The engine's train() always does one (amortised over its
        # hundreds of epochs per block), so this favours the plain runner slightly.
        return plain_train(initial, inputs, targets, lr, n, predict=False)

    return engine_run, plain_run


def timed(run: Runner, epochs: int) -> float:
    """Seconds one block of ``epochs`` epochs takes (garbage collector off, as timeit does)."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        run(epochs)
        return time.perf_counter() - start
    finally:
        gc.enable()


def _round_down(n: float) -> int:
    """``n`` rounded down to two significant digits (and at least 1): 2345.6 -> 2300."""
    if n < 1:
        return 1
    power = 10 ** max(int(math.floor(math.log10(n))) - 1, 0)
    return int(n // power) * power


def calibrate(run: Runner, target: float) -> int:
    """Epochs per block so one block takes roughly ``target`` seconds."""
    run(1)  # warm-up: first-call costs out of the way
    epochs = 1
    while True:
        t = timed(run, epochs)
        if t >= min(0.05, target / 4):
            return _round_down(epochs * target / t)
        epochs *= 4 if t < 0.005 else 2


@dataclass
class Measurement:
    """The per-run epochs/s of both runners on one network."""

    label: str
    samples: int
    engine_epochs: int
    plain_epochs: int
    engine: list[float]
    plain: list[float]

    @property
    def ratios(self) -> list[float]:
        return [e / p for e, p in zip(self.engine, self.plain, strict=True)]


def measure(label: str, scenario: Scenario, runs: int, target: float) -> Measurement:
    """Calibrate both runners, then time ``runs`` blocks each, engine and plain alternating."""
    engine_run, plain_run = runners(scenario)
    n_engine = calibrate(engine_run, target)
    n_plain = calibrate(plain_run, target)
    result = Measurement(label, scenario.n_samples, n_engine, n_plain, [], [])
    for i in range(runs):
        # Alternate which goes first so neither always follows the other.
        order = ((engine_run, n_engine, result.engine), (plain_run, n_plain, result.plain))
        for run, n, out in order if i % 2 == 0 else order[::-1]:
            out.append(n / timed(run, n))
    return result


# --- reporting -------------------------------------------------------------------------------


def _rate(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}–{max(values):,.0f})"


def _ratio(r: float) -> str:
    return f"{r:.2f}x" if r < 10 else f"{r:.1f}x"


def context_lines() -> list[str]:
    """Python, NumPy and CPU details worth having next to the figures."""
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    lines = [
        f"python  {platform.python_implementation()} {platform.python_version()} "
        f"({sys.executable})",
        f"numpy   {np.__version__}",
        f"cpus    {cpus} (usable by this process: {usable}), {platform.machine()}, "
        f"{platform.processor() or platform.system()}",
    ]
    # Shown as found, never changed: they pick the BLAS kernels and threads NumPy uses.
    env = [f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(not set)')}"]
    env += [
        f"{key}={os.environ[key]}"
        for key in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
        if key in os.environ
    ]
    lines.append("env     " + " ".join(env))
    return lines


def report(results: list[tuple[str, Measurement]], runs: int) -> None:
    """The table, then one line per goal."""
    engine_head = "engine ep/s (min–max)"
    plain_head = "plain ep/s (min–max)"
    ratio_head = "ratio (min–max)"
    header = (
        f"{'network':<14} {'samples':>7}  {engine_head:<28}{plain_head:<26}{ratio_head:<23}goal"
    )
    print(header)
    print("-" * len(header))
    for key, m in results:
        ratios = m.ratios
        r = statistics.median(ratios)
        goal = GOALS[key]
        mark = "met" if r >= goal else "NOT met"
        ratio_text = f"{_ratio(r)} ({_ratio(min(ratios))}–{_ratio(max(ratios))})"
        print(
            f"{m.label:<14} {m.samples:>7}  {_rate(m.engine):<28}{_rate(m.plain):<26}"
            f"{ratio_text:<23}>= {goal:g}x: {mark}"
        )
    print()
    print(
        f"median of {runs} runs; ratio = engine ep/s / plain ep/s, median of the per-run ratios."
    )
    print(
        "epochs per timed block: "
        + "; ".join(f"{m.label}: engine {m.engine_epochs}, plain {m.plain_epochs}"
                    for _, m in results)
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="timed blocks per runner (7)")
    parser.add_argument(
        "--quick", action="store_true", help="3 runs of shorter blocks, for a fast look"
    )
    parser.add_argument(
        "--block", type=float, default=None, help="seconds per timed block (0.3; quick 0.1)"
    )
    args = parser.parse_args(argv)
    runs = args.runs if args.runs is not None else (3 if args.quick else 7)
    target = args.block if args.block is not None else (0.1 if args.quick else 0.3)
    if runs < 1 or target <= 0:
        parser.error("--runs must be at least 1 and --block above 0")

    started = time.perf_counter()
    print("engine.train vs plain Python: full-batch sigmoid/cross-entropy training speed")
    for line in context_lines():
        print("  " + line)
    print()

    cases = [
        ("xor", "2-3-1 (XOR)", builtin("xor-sigmoid")),
        ("wide", "2-64-1", wide_scenario()),
    ]
    ok = True
    for _, label, scenario in cases:
        dw, dl, dp = check_agreement(scenario)
        good = max(dw, dl, dp) <= AGREEMENT_TOLERANCE
        ok = ok and good
        print(
            f"agreement: {label:<12} after {AGREEMENT_EPOCHS} epochs max |dw| = {dw:.2e}, "
            f"max |dloss| = {dl:.2e}, max |dprediction| = {dp:.2e}  "
            f"({'ok' if good else 'FAILED'}, "
            f"tolerance {AGREEMENT_TOLERANCE:g})"
        )
    if not ok:
        print("the plain implementation does not match the engine; not timing", file=sys.stderr)
        return 1
    print()

    results = [(key, measure(label, s, runs, target)) for key, label, s in cases]
    report(results, runs)
    print(f"total time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
