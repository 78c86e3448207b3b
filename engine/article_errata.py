"""The numbers behind the article's mistakes, computed by the engine, never typed in.

A tutor that follows the article must say where it goes wrong (see docs/article.md);
each claim it makes is backed by a number from here. The words live in the front end's
catalogue; this module only measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from engine.activations import activation
from engine.builtin_lessons import ARTICLE, ARTICLE_CORRECTED, XOR_INPUTS, XOR_SIGMOID, XOR_TARGETS
from engine.losses import loss as get_loss
from engine.network import run_pass
from engine.scenario import Init, Scenario
from engine.training import predict, train
from engine.walkthrough import Walkthrough, walk

#: Epochs of the symmetric sigmoid run: enough to show (1, 1) stuck on the wrong side.
SYMMETRY_EPOCHS = 2000


@dataclass(frozen=True)
class ArticleFacts:
    """Every number the errata notes quote, for the article's first iteration on (0, 0)."""

    prediction: float
    """D0 for (0, 0) with all weights 1: 4."""
    target: float
    """The XOR target of (0, 0): 0."""
    claimed_target: float
    """The target the article's text implies ("4 instead of 1"): 1."""
    loss_if_claimed: float
    """The signed error had the target been 1: 1 − 4 = −3."""
    article_loss: float
    """The article's signed error: −4."""
    log_argument: float
    """1 − h, inside log(1 − h) of the logistic cost at h = 4: −3, so the log is undefined."""
    numeric_gradient: float
    """∂E/∂w(Z1→D0) of E = ½(D0 − y)² by central differences: +4."""
    article_gradient: float
    """The article's J′(W) for the same link: −4."""
    article_weight: float
    """A changed weight after the article's update: 1.4."""
    corrected_weight: float
    """The same weight after the corrected update: 0.6."""
    article_predictions: tuple[float, float, float]
    """D0 for (0, 0) after one, two and three of the article's updates: 7.28, 19.69, 158.82."""
    corrected_prediction: float
    """D0 for (0, 0) after one corrected update: 1.68."""
    grown_weights: int
    """How many weights the article's update changes, all upwards: 7 of 13."""
    total_weights: int
    linear_coefficients: tuple[float, float, float]
    """The whole identity network as c0 + c1·X1 + c2·X2, with all weights 1: (4, 3, 3)."""
    least_squares: tuple[float, ...]
    """The best any linear function can do on XOR: 0.5 for each of the four inputs."""
    least_squares_mse: float
    bias_delta: float
    """The δ the article computes for Z0, which no update uses: −4."""


def _prediction(weights: list[np.ndarray], scenario: Scenario, x: tuple[float, ...]) -> float:
    return float(predict(scenario, weights, np.array([x]))[0, 0])


@lru_cache(maxsize=1)
def symmetric_outputs() -> tuple[float, ...]:
    """A sigmoid, cross-entropy 2-3-1 network trained from all-equal weights for
    :data:`SYMMETRY_EPOCHS` epochs: its outputs for the four XOR inputs. It trains, so it is
    cached and only run when a note needs it."""
    # The lesson that learns XOR, but started the article's way: every weight 1.
    symmetric = XOR_SIGMOID.with_changes(
        name="symmetric-sigmoid", init=Init(kind="constant", value=1.0)
    )
    return tuple(float(v) for v in train(symmetric, SYMMETRY_EPOCHS).predictions.ravel())


@lru_cache(maxsize=1)
def article_facts() -> ArticleFacts:
    """Measure the numbers the notes need from the article's own iterations (cached)."""
    first = walk(ARTICLE)
    corrected = walk(ARTICLE_CORRECTED)
    x0, y0 = ARTICLE.inputs[0], ARTICLE.targets[0][0]
    prediction = float(first.outputs[0, 0])

    # Central differences of E = ½(D0 − y)² with respect to w(Z1→D0), the weight every
    # number about one weight below is about.
    link = first.link("Z1->D0")
    assert link is not None
    acts = [activation(a) for a in ARTICLE.activations]
    half = get_loss("half_squared_error")
    x, y = ARTICLE.input_array()[:1], ARTICLE.target_array()[:1]
    eps = 1e-6
    bumped = []
    for sign in (1, -1):
        w = [m.copy() for m in first.weights_before]
        w[link.layer][link.row, link.col] += sign * eps
        bumped.append(float(run_pass(w, acts, half, x, y).losses[0]))
    numeric = (bumped[0] - bumped[1]) / (2 * eps)
    article_gradient = next(s.gradient for s in first.steps if s.target == link.name)

    # The article's update, then the same update on the same sample twice more.
    weights = list(first.weights_after)
    predictions = [_prediction(weights, ARTICLE, x0)]
    for _ in range(2):
        weights = list(walk(ARTICLE, weights, iteration=0).weights_after)
        predictions.append(_prediction(weights, ARTICLE, x0))

    changed = [
        (s.old, s.new) for s in first.steps if s.phase == "update" and s.new != s.old
    ]
    w1, w2 = first.weights_before
    # Identity units: D0 = w2·[1, W1·[1, x]] = c0 + c1·x1 + c2·x2.
    c0 = float(w2[0, 0] + w2[0, 1:] @ w1[:, 0])
    c1, c2 = (float(v) for v in w2[0, 1:] @ w1[:, 1:])

    design = np.c_[np.ones(4), np.array(XOR_INPUTS)]
    target = np.array(XOR_TARGETS).ravel()
    coef, *_ = np.linalg.lstsq(design, target, rcond=None)
    fit = design @ coef

    # The article's rule applied to Z0 as if it had a δ: w(Z0→D0)·δ(D0)·f′ = 1·(−4)·1.
    output_delta = next(s.value for s in first.steps if (s.phase, s.target) == ("backward", "D0"))
    bias_delta = float(w2[0, 0] * output_delta * 1.0)

    return ArticleFacts(
        prediction=prediction,
        target=float(y0),
        claimed_target=1.0,
        loss_if_claimed=1.0 - prediction,
        article_loss=float(first.loss),
        log_argument=1.0 - prediction,
        numeric_gradient=float(numeric),
        article_gradient=float(article_gradient or 0.0),
        article_weight=first.weight(link, after=True),
        corrected_weight=corrected.weight(link, after=True),
        article_predictions=(predictions[0], predictions[1], predictions[2]),
        corrected_prediction=_prediction(list(corrected.weights_after), ARTICLE, x0),
        grown_weights=sum(1 for old, new in changed if new > old),
        total_weights=len(first.links),
        linear_coefficients=(c0, c1, c2),
        least_squares=tuple(float(v) for v in fit),
        least_squares_mse=float(((fit - target) ** 2).mean()),
        bias_delta=bias_delta,
    )


@dataclass(frozen=True, eq=False)
class RuleComparison:
    """One iteration from the same weights under the article's rule and the corrected one."""

    article: Walkthrough
    corrected: Walkthrough
    sample: int
    before: float
    """The first output for the iteration's sample before the update."""
    after_article: float
    after_corrected: float


def compare_rules(weights: list[np.ndarray], iteration: int) -> RuleComparison:
    """Walk iteration ``iteration`` from ``weights`` with both rules, and predict its sample."""
    article = walk(ARTICLE, weights, iteration=iteration)
    corrected = walk(ARTICLE_CORRECTED, weights, iteration=iteration)
    sample = article.samples[0]
    x = ARTICLE.inputs[sample]
    return RuleComparison(
        article=article,
        corrected=corrected,
        sample=sample,
        before=float(article.outputs[0, 0]),
        after_article=_prediction(list(article.weights_after), ARTICLE, x),
        after_corrected=_prediction(list(corrected.weights_after), ARTICLE, x),
    )
