"""Backprop's gradients against central finite differences of the loss, on random networks.

The reference loss here is written independently of the engine (its own forward pass, its own
loss formulas), so a mistake in the engine's forward pass, loss or backward pass shows up as a
disagreement. Every comparison is float64.

Tolerance: ``|g - fd| <= 1e-6 * max(1, |g|, |fd|)``. A central difference with step eps has a
truncation error of order eps²·|E'''| (about 1e-10 here) and a rounding error of order
machine-epsilon·|E|/eps (about 1e-11·|E|); backprop itself is exact up to rounding. A purely
relative test would fail on gradients that are zero up to rounding (e.g. a weight whose
source unit is 0), hence the absolute floor of 1e-6 (in units of the loss).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine import Init, Scenario, builtin, walk
from engine.activations import activation
from engine.losses import LOSS_NAMES
from engine.losses import loss as get_loss
from engine.network import run_pass
from engine.scenario import ACTIVATION_NAMES

EPS = 1e-5
TOLERANCE = 1e-6
KINK_MARGIN = 1e-3

# database=None: no .hypothesis directory in the tree; deadline=None: timing varies on CI.
FD_SETTINGS = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# --- an independent reference: forward pass and loss, written from the definitions ---------

REFERENCE_F = {
    "identity": lambda z: z,
    "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),  # the logistic function, another way
    "tanh": np.tanh,
    "relu": lambda z: np.where(z > 0, z, 0.0),
}


def reference_forward(weights, act_names, x):
    """Pre-activations z of every non-input layer; column 0 of each W is the bias weight."""
    zs = []
    a = x
    for w, name in zip(weights, act_names, strict=True):
        z = a @ w[:, 1:].T + w[:, 0]
        zs.append(z)
        a = REFERENCE_F[name](z)
    return zs, a


def reference_mean_loss(weights, act_names, loss_name, x, y) -> float:
    """Mean over the samples of E, the loss whose gradient the engine's δ convention gives.

    - half_squared_error (and article_error, whose δ is minus this one's): ½·Σ_k (y - o)²
    - cross_entropy: (1/K)·Σ_k −[y·ln o + (1−y)·ln(1−o)] with o = σ(z), written as
      softplus(z) − y·z (logaddexp keeps it exact for large |z|).
    """
    zs, out = reference_forward(weights, act_names, x)
    if loss_name == "cross_entropy":
        per_sample = (np.logaddexp(0.0, zs[-1]) - y * zs[-1]).mean(axis=1)
    else:
        per_sample = 0.5 * ((y - out) ** 2).sum(axis=1)
    return float(per_sample.mean())


def finite_differences(weights, act_names, loss_name, x, y):
    """Central differences of the reference mean loss, one per weight."""
    grads = []
    for layer, w in enumerate(weights):
        g = np.zeros_like(w)
        for idx in np.ndindex(*w.shape):
            plus = [m.copy() for m in weights]
            minus = [m.copy() for m in weights]
            plus[layer][idx] += EPS
            minus[layer][idx] -= EPS
            e_plus = reference_mean_loss(plus, act_names, loss_name, x, y)
            e_minus = reference_mean_loss(minus, act_names, loss_name, x, y)
            g[idx] = (e_plus - e_minus) / (2 * EPS)
        grads.append(g)
    return grads


def assert_close(engine_grad: np.ndarray, fd: np.ndarray, what: str) -> None:
    scale = np.maximum(1.0, np.maximum(np.abs(engine_grad), np.abs(fd)))
    error = np.abs(engine_grad - fd)
    worst = np.unravel_index(np.argmax(error / scale), error.shape)
    assert (error <= TOLERANCE * scale).all(), (
        f"{what}: engine {engine_grad[worst]!r} vs finite difference {fd[worst]!r} at {worst}"
    )


def expected_gradients(case) -> list[np.ndarray]:
    """What the engine must report: dE/dw, negated for article_error (its sign mistake)."""
    fd = finite_differences(case.weights, case.activations, case.loss, case.x, case.y)
    if case.loss == "article_error":
        # The article uses y - o as the output delta: exactly −∂E/∂z for E = ½(y − o)², so its
        # "gradient" Z·δ is MINUS the true gradient of the half squared error. This is the
        # article's sign error (docs/article.md, point 3), which the engine reproduces on purpose.
        return [-g for g in fd]
    return fd


# --- random networks ------------------------------------------------------------------------


class Case:
    def __init__(self, layers, activations, loss, seed, weights, x, y):
        self.layers = layers
        self.seed = seed
        self.activations = activations
        self.loss = loss
        self.weights = weights
        self.x = x
        self.y = y

    def __repr__(self) -> str:
        return (
            f"Case(layers={self.layers}, activations={self.activations}, loss={self.loss!r}, "
            f"seed={self.seed}, samples={len(self.x)})"
        )


@st.composite
def cases(draw) -> Case:
    n_in = draw(st.integers(1, 3))
    hidden = draw(st.lists(st.integers(1, 5), min_size=1, max_size=3))
    n_out = draw(st.integers(1, 3))
    loss_name = draw(st.sampled_from(LOSS_NAMES))
    hidden_acts = [draw(st.sampled_from(ACTIVATION_NAMES)) for _ in hidden]
    if loss_name == "cross_entropy":
        out_act = "sigmoid"  # the only output cross_entropy accepts
    else:
        out_act = draw(st.sampled_from(ACTIVATION_NAMES))
    m = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    layers = (n_in, *hidden, n_out)
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((layers[i + 1], layers[i] + 1)) for i in range(len(layers) - 1)]
    x = rng.standard_normal((m, n_in))
    if loss_name == "cross_entropy":
        y = rng.uniform(0.0, 1.0, (m, n_out))
    else:
        y = rng.standard_normal((m, n_out))
    activations = (*hidden_acts, out_act)
    # relu is not differentiable at 0: keep every relu pre-activation well away from the kink,
    # so the ±EPS nudges of the finite difference never cross it.
    zs, _ = reference_forward(weights, activations, x)
    for z, name in zip(zs, activations, strict=True):
        if name == "relu":
            assume(bool((np.abs(z) >= KINK_MARGIN).all()))
    return Case(layers, activations, loss_name, seed, weights, x, y)


@FD_SETTINGS
@given(cases())
def test_run_pass_gradients_match_finite_differences(case: Case) -> None:
    acts = [activation(a) for a in case.activations]
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        result = run_pass(case.weights, acts, get_loss(case.loss), case.x, case.y)
    engine_grads = result.mean_gradients()
    expected = expected_gradients(case)
    assert [g.shape for g in engine_grads] == [w.shape for w in case.weights]
    for layer, (g, fd) in enumerate(zip(engine_grads, expected, strict=True)):
        assert_close(g, fd, f"{case} layer {layer}")
    # The engine's forward pass agrees with the reference one.
    _, out = reference_forward(case.weights, case.activations, case.x)
    np.testing.assert_allclose(result.outputs, out, rtol=1e-12, atol=1e-12)


@FD_SETTINGS
@given(cases(), st.sampled_from([0.01, 0.5, 2.0]))
def test_walk_batch_update_steps_carry_the_gradient(case: Case, lr: float) -> None:
    scenario = Scenario(
        name="random",
        layers=case.layers,
        activations=case.activations,
        loss=case.loss,
        learning_rate=lr,
        update="batch",
        init=Init(
            kind="explicit",
            weights=tuple(tuple(tuple(float(v) for v in row) for row in w) for w in case.weights),
        ),
        inputs=tuple(tuple(float(v) for v in row) for row in case.x),
        targets=tuple(tuple(float(v) for v in row) for row in case.y),
    )
    w = walk(scenario)
    expected = expected_gradients(case)
    updates = [s for s in w.steps if s.phase == "update"]
    assert [s.target for s in updates] == [link.name for link in w.links]
    assert len(updates) == sum(m.size for m in case.weights)
    engine_grads = [np.full(m.shape, np.nan) for m in case.weights]
    for step, link in zip(updates, w.links, strict=True):
        engine_grads[link.layer][link.row, link.col] = step.gradient
        assert step.old == case.weights[link.layer][link.row, link.col]
        assert step.new == pytest.approx(step.old - lr * step.gradient, rel=1e-12, abs=1e-12)
        assert step.sample is None  # a batch update uses every sample, even if there is one
    for layer, (g, fd) in enumerate(zip(engine_grads, expected, strict=True)):
        assert_close(g, fd, f"{case} layer {layer}")
    # The walkthrough's loss is the mean loss the finite differences were taken of; the
    # article's is its signed error y − o, summed over the outputs.
    if case.loss == "article_error":
        _, out = reference_forward(case.weights, case.activations, case.x)
        reference = float((case.y - out).sum(axis=1).mean())
    else:
        reference = reference_mean_loss(case.weights, case.activations, case.loss, case.x, case.y)
    assert w.loss == pytest.approx(reference, rel=1e-12, abs=1e-12)


def test_article_gradient_has_the_wrong_sign() -> None:
    """docs/article.md, point 3, by finite differences: dE/dw(Z1->D0) = +4; the article
    says −4."""
    s = builtin("article")
    weights = s.initial_weights()
    x, y = s.input_array()[:1], s.target_array()[:1]
    fd = finite_differences(weights, s.activations, "half_squared_error", x, y)
    assert fd[1][0, 1] == pytest.approx(4.0, rel=1e-9)
    w = walk(s)
    step = next(s_ for s_ in w.steps if s_.target == "Z1->D0")
    assert step.gradient == -4.0
    corrected = next(s_ for s_ in walk(builtin("article-corrected")).steps
                     if s_.target == "Z1->D0")
    assert corrected.gradient == pytest.approx(fd[1][0, 1], rel=1e-9)
