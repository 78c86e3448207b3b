"""The article's XOR example, first iteration, number for number (see docs/article.md).

Network 2-3-1, identity units, every weight 1, learning rate 0.1, online updates, and the
article's signed error ``y - o`` used as the output delta (its sign mistake, kept on purpose).
"""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest

from engine import Init, Walkthrough, builtin, walk
from engine.training import predict

MINUS = "−"  # the true minus sign the engine writes
DOT = "·"  # the middle dot it multiplies with

# The 7 links that start at the bias X0 or end in D0: the only ones whose Z·δ is non-zero for
# input (0, 0), so the only ones the first update moves.
CHANGED = ("X0->Z1", "X0->Z2", "X0->Z3", "Z0->D0", "Z1->D0", "Z2->D0", "Z3->D0")
UNCHANGED = ("X1->Z1", "X2->Z1", "X1->Z2", "X2->Z2", "X1->Z3", "X2->Z3")



def steps_of(w: Walkthrough, phase: str):
    return [s for s in w.steps if s.phase == phase]


def by_target(w: Walkthrough, phase: str):
    return {s.target: s for s in steps_of(w, phase)}


def predict_00(scenario_name: str, weights) -> float:
    """The network's output for input (0, 0) with the given weights."""
    return float(predict(builtin(scenario_name), weights, np.array([[0.0, 0.0]]))[0, 0])


# --- forward, loss, deltas ------------------------------------------------------------------


def test_forward_pass(article: Walkthrough) -> None:
    forward_steps = steps_of(article, "forward")
    assert [s.target for s in forward_steps] == ["Z1", "Z2", "Z3", "D0"]
    assert [s.value for s in forward_steps] == [1.0, 1.0, 1.0, 4.0]
    assert article.outputs.tolist() == [[4.0]]


def test_loss_is_the_signed_error(article: Walkthrough) -> None:
    (loss,) = steps_of(article, "loss")
    assert loss.value == -4.0
    assert loss.sample == 0
    assert article.loss == -4.0


def test_deltas_all_minus_four_and_none_for_bias_or_inputs(article: Walkthrough) -> None:
    backward = steps_of(article, "backward")
    assert [s.target for s in backward] == ["D0", "Z1", "Z2", "Z3"]
    assert [s.value for s in backward] == [-4.0] * 4
    targets = {s.target for s in backward}
    assert "Z0" not in targets
    assert not any(t.startswith("X") for t in targets)


# --- the update -----------------------------------------------------------------------------


def test_thirteen_updates_seven_become_1_4(article: Walkthrough) -> None:
    updates = by_target(article, "update")
    assert len(steps_of(article, "update")) == 13
    assert set(updates) == set(CHANGED) | set(UNCHANGED)
    for name in CHANGED:
        step = updates[name]
        assert step.old == 1.0
        assert step.gradient == -4.0
        assert step.new == pytest.approx(1.4, abs=1e-15)
        assert step.value == step.new
    for name in UNCHANGED:
        step = updates[name]
        assert step.old == 1.0
        assert step.gradient == 0.0
        assert step.new == 1.0
        assert step.value == 1.0


def test_weights_after_match_the_update_steps(article: Walkthrough) -> None:
    w0, w1 = article.weights_after
    np.testing.assert_allclose(w0, [[1.4, 1.0, 1.0]] * 3, rtol=0, atol=1e-15)
    np.testing.assert_allclose(w1, [[1.4, 1.4, 1.4, 1.4]], rtol=0, atol=1e-15)
    for link in article.links:
        assert article.weight(link) == 1.0
        step = by_target(article, "update")[link.name]
        assert article.weight(link, after=True) == step.new
    # weights_before is the start, untouched by the update.
    assert all((w == 1.0).all() for w in article.weights_before)


def test_substituted_strings(article: Walkthrough) -> None:
    fwd = by_target(article, "forward")
    assert fwd["Z1"].formula == f"Z1 = Σ w{DOT}X"
    assert fwd["Z1"].substituted == "1·1 + 1·0 + 1·0"
    assert fwd["D0"].substituted == "1·1 + 1·1 + 1·1 + 1·1"
    (loss,) = steps_of(article, "loss")
    assert loss.formula == "E = y − D0"
    assert loss.substituted == "0 − 4"
    back = by_target(article, "backward")
    assert back["D0"].substituted == "(0 − 4)·1"
    assert back["Z2"].substituted == "1·(1·(−4))"
    upd = by_target(article, "update")
    assert upd["X0->Z1"].formula == "w ← w − α·X0·δ(Z1)"
    assert upd["X0->Z1"].substituted == "1 − 0.1·(1·(−4))"
    assert upd["X1->Z1"].substituted == "1 − 0.1·(0·(−4))"
    assert upd["Z3->D0"].substituted == "1 − 0.1·(1·(−4))"


def test_text_uses_true_minus_and_middle_dot(article: Walkthrough) -> None:
    """The literals above are U+2212 and U+00B7; no ASCII '-' or '*' creeps into a formula."""
    upd = by_target(article, "update")["X0->Z1"].substituted
    assert upd == f"1 {MINUS} 0.1{DOT}(1{DOT}({MINUS}4))"
    for step in article.steps:
        assert "*" not in step.substituted
        assert "-" not in step.substituted
        assert "-" not in step.formula.replace("->", "")


# --- what the update does to the prediction (docs/article.md, point 3) ----------------------


def article_recurrence(n: int, sign: float) -> list[float]:
    """The prediction for (0,0) after each of ``n`` updates, by hand on scalars.

    By symmetry three numbers describe the network for input (0,0): a (X0->Zj), c (Zi->D0,
    i >= 1) and b (Z0->D0); the output is b + 3·c·a. ``sign`` is +1 for the article's delta
    (y - o) and -1 for the correct one (o - y).
    """
    a = c = b = 1.0
    predictions = []
    for _ in range(n):
        p = b + 3 * c * a
        delta_d = sign * (0.0 - p)
        delta_z = c * delta_d
        a, c, b = a - 0.1 * delta_z, c - 0.1 * a * delta_d, b - 0.1 * delta_d
        predictions.append(b + 3 * c * a)
    return predictions


def test_prediction_grows_7_28_then_19_69_then_158_82() -> None:
    scenario = builtin("article")
    weights = None
    predictions = []
    for _ in range(3):
        # iteration=0 keeps the online walk on sample 0, input (0,0), target 0.
        w = walk(scenario, weights, iteration=0)
        assert w.samples == (0,)
        weights = list(w.weights_after)
        predictions.append(predict_00("article", weights))
    assert [round(p, 2) for p in predictions] == [7.28, 19.69, 158.82]
    assert predictions == pytest.approx(article_recurrence(3, +1.0), rel=1e-12)
    assert predictions[1] == pytest.approx(19.68558592, rel=1e-12)


def test_corrected_sign_goes_downhill_to_1_68() -> None:
    w = walk(builtin("article-corrected"))
    updates = by_target(w, "update")
    for name in CHANGED:
        assert updates[name].gradient == 4.0
        assert updates[name].new == pytest.approx(0.6, abs=1e-15)
    for name in UNCHANGED:
        assert updates[name].new == 1.0
    (loss,) = steps_of(w, "loss")
    assert loss.value == 8.0  # ½·(0 − 4)²
    assert [s.value for s in steps_of(w, "backward")] == [4.0] * 4
    prediction = predict_00("article-corrected", w.weights_after)
    assert prediction == pytest.approx(1.68, abs=1e-12)
    assert prediction == pytest.approx(article_recurrence(1, -1.0)[0], rel=1e-12)


# --- step order and numbering ---------------------------------------------------------------


def test_step_order_and_numbering(article: Walkthrough) -> None:
    assert len(article) == 22
    assert [s.phase for s in article.steps] == (
        ["forward"] * 4 + ["loss"] + ["backward"] * 4 + ["update"] * 13
    )
    assert [s.index for s in article.steps] == list(range(22))
    assert all(s.sample == 0 for s in article.steps)
    assert [run[0] for run in article.phase_runs] == [0, 4, 5, 9]
    assert article.phase_run(6) == range(5, 9) and article.phase_run(21) == range(9, 22)
    assert (article.iteration, article.epoch, article.samples) == (0, 0, (0,))
    # Update steps list the links in the walkthrough's link order.
    assert [s.target for s in steps_of(article, "update")] == [lk.name for lk in article.links]


def test_online_iteration_picks_sample_and_epoch() -> None:
    w = walk(builtin("article"), iteration=6)
    assert w.samples == (2,)
    assert w.epoch == 1
    assert all(s.sample == 2 for s in w.steps)
    # Sample 2 is (1, 0) -> 1 with all-ones weights: Z = 2, D0 = 7, error 1 - 7 = -6.
    assert [s.value for s in steps_of(w, "forward")] == [2.0, 2.0, 2.0, 7.0]
    assert steps_of(w, "loss")[0].value == -6.0


# --- visible(k) -----------------------------------------------------------------------------


def test_visible_online(article: Walkthrough) -> None:
    assert article.visible(-1) == {}
    assert list(article.visible(0)) == [("forward", "Z1")]
    shown = article.visible(4)
    assert set(shown) == {("forward", n) for n in ("Z1", "Z2", "Z3", "D0")} | {("loss", "loss")}
    assert shown[("loss", "loss")] is article.steps[4]
    shown = article.visible(9)
    assert len(shown) == 10
    assert shown[("update", "X0->Z1")] is article.steps[9]
    assert len(article.visible(21)) == 22


def test_visible_batch_shows_only_the_current_sample() -> None:
    w = walk(builtin("xor-sigmoid"))
    # 4 samples x (4 forward + 1 loss + 4 backward), the mean loss, 13 updates.
    assert len(w) == 4 * 9 + 1 + 13
    assert w.samples == (0, 1, 2, 3)
    first_of_sample_1 = 9
    assert w.steps[first_of_sample_1].sample == 1
    assert set(w.visible(first_of_sample_1)) == {("forward", "Z1")}
    assert w.visible(first_of_sample_1)[("forward", "Z1")].sample == 1
    mean_loss = 36
    assert (w.steps[mean_loss].phase, w.steps[mean_loss].sample) == ("loss", None)
    shown = w.visible(mean_loss)
    assert shown[("loss", "loss")] is w.steps[mean_loss]
    assert shown[("forward", "D0")].sample == 3
    assert len(shown) == 9
    last = w.visible(len(w) - 1)
    assert len(last) == 9 + 13
    assert all(s.sample is None for (phase, _), s in last.items() if phase == "update")
    assert w.steps[mean_loss].value == pytest.approx(np.mean(
        [s.value for s in w.steps if s.phase == "loss" and s.sample is not None]), rel=1e-15)


# --- JSON export ----------------------------------------------------------------------------


def test_to_dict_is_json(article: Walkthrough) -> None:
    data = json.loads(json.dumps(article.to_dict(), allow_nan=False))
    assert data["scenario"]["name"] == "article"
    assert data["scenario"]["samples"] == [0]
    assert len(data["steps"]) == 22
    assert data["steps"][9] == {
        "index": 9, "phase": "update", "target": "X0->Z1",
        "formula": "w ← w − α·X0·δ(Z1)", "substituted": "1 − 0.1·(1·(−4))",
        "value": pytest.approx(1.4), "sample": 0, "gradient": -4.0, "old": 1.0,
        "new": pytest.approx(1.4),
    }
    assert "gradient" not in data["steps"][0]
    assert [u["name"] for u in data["units"]] == ["X0", "X1", "X2", "Z0", "Z1", "Z2", "Z3", "D0"]
    links = {lk["name"]: lk for lk in data["links"]}
    assert links["Z1->D0"]["new"] == pytest.approx(1.4)
    assert links["X1->Z1"]["new"] == 1.0


def test_batch_to_dict_marks_all_samples() -> None:
    data = walk(builtin("xor-sigmoid")).to_dict()
    json.dumps(data, allow_nan=False)
    assert data["steps"][36]["sample"] == "all"
    assert data["steps"][-1]["sample"] == "all"


def test_overflow_becomes_strings_not_errors() -> None:
    base = builtin("article")
    huge = base.with_changes(
        name="huge",
        init=Init(kind="explicit", weights=tuple(
            tuple((1e200,) * cols for _ in range(rows)) for rows, cols in base.weight_shapes()
        )),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = walk(huge)
        data = w.to_dict()
        text = json.dumps(data, allow_nan=False)
    assert not w.finite
    assert math.isinf(w.loss)
    values = {s["target"]: s for s in data["steps"] if s["phase"] == "update"}
    assert by_target(w, "forward")["D0"].value == math.inf  # 1e200 · 1e200 overflows
    assert data["steps"][3]["value"] == "inf"
    assert data["steps"][4]["value"] == "-inf"
    assert values["X0->Z1"]["new"] == "inf"
    assert values["X1->Z1"]["new"] == "nan"  # 0 · (−inf) is nan
    assert values["X0->Z1"]["old"] == 1e200
    assert '"nan"' in text and '"inf"' in text and '"-inf"' in text


def test_huge_learning_rate_overflows_on_the_second_update() -> None:
    s = builtin("article").with_changes(name="steep", learning_rate=1e300)
    weights = None
    finite = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i in range(4):
            w = walk(s, weights, iteration=i)
            weights = list(w.weights_after)
            finite.append(w.finite)
            json.dumps(w.to_dict(), allow_nan=False)
    assert finite == [True, False, False, False]
    assert w.to_dict()["steps"][0]["value"] == "nan"
    assert w.to_dict()["scenario"]["learning_rate"] == 1e300
