"""What each slip gives, step kind by step kind, on the article's lesson and on xor-sigmoid.

Every table lists all the slips a step has (no more, no fewer) with the value each gives,
worked out by hand in the comments. A slip is named only where it changes the value, and
"opposite sign" only where the answer is the value's negative: never for a weight, whose
update's sign is the step's (``+`` for ``−``).
"""

from __future__ import annotations

from functools import cache

import pytest

from engine import builtin, walk
from engine.records import Phase
from engine.slips import KINDS, close_enough, diagnoses, mistakes
from engine.walkthrough import Walkthrough
from tui.i18n import CATALOGUES
from tui.quiz import Quiz

Table = dict[str, float]


@cache
def lesson(name: str) -> Walkthrough:
    """The first iteration of a built-in lesson."""
    return walk(builtin(name))


def step_at(w: Walkthrough, phase: Phase, target: str, sample: int | None = 0) -> int:
    """The step about ``target`` in ``phase`` for ``sample`` (None: the batch's shared step)."""
    return next(s.index for s in w.steps
                if (s.phase, s.target, s.sample) == (phase, target, sample))


def check(name: str, phase: Phase, target: str, sample: int | None, table: Table) -> None:
    """The step's slips are exactly ``table``, and each value is diagnosed as its slip."""
    w = lesson(name)
    k = step_at(w, phase, target, sample)
    assert mistakes(w, k) == pytest.approx(table, abs=5e-6)
    for kind, value in table.items():
        assert kind in diagnoses(w, k, value)


# xor-sigmoid's first sample is (0, 0): each hidden unit's z is its bias weight alone.
@pytest.mark.parametrize(
    ("name", "target", "sample", "table"),
    [
        # Z1 = 1·1 + 1·0 + 1·0 = 1 (identity): without the bias 0; the sum's sign −1.
        ("article", "Z1", 0, {"bias_zero": 0.0, "sum_sign": -1.0}),
        # D0 = 1 + 1 + 1 + 1 = 4: without the bias 3.
        ("article", "D0", 0, {"bias_zero": 3.0, "sum_sign": -4.0}),
        # z = 0.12573 (the bias weight): σ(0) = 0.5, z itself, σ(−z) = 1 − 0.53139.
        ("xor-sigmoid", "Z1", 0, {"bias_zero": 0.5, "activation": 0.125730,
                                  "sum_sign": 0.468609}),
        # z = −3.40353, bias weight −1.26542: σ(−2.13811) = 0.10545; σ(3.40353) = 0.96781.
        ("xor-sigmoid", "D0", 0, {"bias_zero": 0.105446, "activation": -3.403534,
                                  "sum_sign": 0.967815}),
    ],
)
def test_forward_slips(name: str, target: str, sample: int, table: Table) -> None:
    check(name, "forward", target, sample, table)


@pytest.mark.parametrize(
    ("name", "sample", "table"),
    [
        # E = y − D0 = −4: o − y gives 4.
        ("article", 0, {"sign": 4.0}),
        # E = ½(0 − 4)² = 8: without the ½, 16; a square has no sign to get wrong.
        ("article-corrected", 0, {"half": 16.0}),
        # E = −ln(1 − 0.032185) = 0.032715: without the leading minus, its negative.
        ("xor-sigmoid", 0, {"sign": -0.032715}),
        # The batch's mean 1.73932: the sum of the four losses is 4 × that.
        ("xor-sigmoid", None, {"sign": -1.739316, "mean": 6.957264}),
    ],
)
def test_loss_slips(name: str, sample: int | None, table: Table) -> None:
    check(name, "loss", "loss", sample, table)


@pytest.mark.parametrize(
    ("name", "sample", "table"),
    [
        # δ = (y − D0)·1 = −4: o − y gives 4, and so does D0's own value, 4 (both named);
        # f′ = 1 leaves nothing to leave out.
        ("article", 0, {"delta_sign": 4.0, "unit_value": 4.0}),
        # δ = (D0 − y)·1 = 4: the article's y − o gives −4 (D0 = 4 is δ itself here).
        ("article-corrected", 0, {"delta_sign": -4.0}),
        # δ = o − y = 0.040433 − 1 = −0.95957 (σ′ cancels); multiplied by
        # σ′ = 0.040433·0.959567 anyway, −0.037229; D0's value 0.040433.
        ("xor-sigmoid", 1, {"delta_sign": 0.959567, "fprime_extra": -0.037229,
                            "unit_value": 0.040433}),
    ],
)
def test_output_delta_slips(name: str, sample: int, table: Table) -> None:
    check(name, "backward", "D0", sample, table)


@pytest.mark.parametrize(
    ("name", "sample", "table"),
    [
        # δ(Z1) = 1·(1·(−4)) = −4; with the updated weight 1.4: −5.6; Z1's value 1.
        ("article", 0, {"delta_sign": 4.0, "updated_weight": -5.6, "unit_value": 1.0}),
        # δ(Z1) = 0.21663·((−0.62327)·(−0.95957)) = 0.12956; without f′ 0.59807; with the
        # updated weight −0.34677: 0.21663·(−0.34677)·(−0.95957) = 0.07208; Z1 = 0.68269.
        ("xor-sigmoid", 1, {"delta_sign": -0.129558, "fprime": 0.598069,
                            "updated_weight": 0.072083, "unit_value": 0.682688}),
    ],
)
def test_hidden_delta_slips(name: str, sample: int, table: Table) -> None:
    check(name, "backward", "Z1", sample, table)


@pytest.mark.parametrize(
    ("name", "link", "table"),
    [
        # 1 − 0.1·(1·(−4)) = 1.4. Added: 0.6 (also δ = o − y's); without α: 1 − (−4) = 5;
        # the bias unit as 0: unchanged 1; the change alone: 0.4. Z1 = X0 = 1, so taking
        # Z from the target changes nothing.
        ("article", "X0->Z1", {"plus": 0.6, "delta_sign": 0.6, "learning_rate": 5.0,
                               "bias_unit_zero": 1.0, "step_only": 0.4}),
        # X1 = 0: the weight stays 1. Z from the target Z1 = 1, or the input 0 taken as 1:
        # both 1 − 0.1·(1·(−4)) = 1.4. Added or without α: still 1, no slip.
        ("article", "X1->Z1", {"wrong_end": 1.4, "input_one": 1.4, "step_only": 0.0}),
        # The weight whose gradient is 0: its negative, −1, is no slip.
        ("article", "X2->Z2", {"wrong_end": 1.4, "input_one": 1.4, "step_only": 0.0}),
        # Z from the target D0 = 4: 1 − 0.1·(4·(−4)) = 2.6.
        ("article", "Z1->D0", {"plus": 0.6, "delta_sign": 0.6, "wrong_end": 2.6,
                               "learning_rate": 5.0, "step_only": 0.4}),
        # Batch, α = 1 (so no α slip): 0.12573 − mean(X0·δ(Z1)) = 0.12573 − 0.068154.
        # Z1's values instead of X0's: mean(Z1·δ(Z1)) = 0.039747 → 0.085983; the sum for
        # the mean: 0.12573 − 4·0.068154 = −0.146889.
        ("xor-sigmoid", "X0->Z1", {"plus": 0.193884, "delta_sign": 0.193884,
                                   "wrong_end": 0.085983, "bias_unit_zero": 0.125730,
                                   "step_only": -0.068154, "mean": -0.146887}),
        # X1 = 0, 0, 1, 1: taken as 1 throughout, mean(δ(Z1)) = 0.068154 → −0.200259.
        ("xor-sigmoid", "X1->Z1", {"plus": -0.095091, "delta_sign": -0.095091,
                                   "input_one": -0.200259, "step_only": -0.037014,
                                   "mean": -0.280160}),
    ],
)
def test_update_slips(name: str, link: str, table: Table) -> None:
    check(name, "update", link, None if lesson(name).batch else 0, table)


def test_adding_the_step_is_diagnosed_and_a_weights_negative_is_not() -> None:
    """The issue's two answers: 0.6 at X0->Z1 (the real sign slip) used to get no diagnosis,
    −1 at X2->Z2 (gradient 0) was called "opposite sign"."""
    w = lesson("article")
    quiz = Quiz()
    added = quiz.check(w, step_at(w, "update", "X0->Z1"), 0.6)
    assert added.diagnoses == ("plus", "delta_sign")
    assert added.slips == ("plus_delta_sign",)  # one sentence naming both
    negated = quiz.check(w, step_at(w, "update", "X2->Z2"), -1.0)
    assert not negated.correct and negated.diagnoses == ()
    both = quiz.check(w, step_at(w, "update", "X1->Z1"), 1.4)
    assert both.slips == ("wrong_end", "input_one")  # equally likely: both named


@pytest.mark.parametrize("name", ["article", "article-corrected", "xor-sigmoid"])
def test_every_slip_is_a_real_change_and_sign_means_the_negative(name: str) -> None:
    w = lesson(name)
    for step in w.steps:
        found = mistakes(w, step.index)
        assert set(found) <= set(KINDS)
        for kind, value in found.items():
            assert not close_enough(value, step.value), (step.index, kind)
            if kind == "sign" or (kind == "delta_sign" and step.phase != "update"):
                assert value == -step.value
        if step.phase == "update":
            assert "sign" not in found


def test_every_slip_has_words_in_every_language() -> None:
    for catalogue in CATALOGUES.values():
        for kind in (*KINDS, "plus_delta_sign"):
            assert f"quiz.diag.{kind}" in catalogue and f"quiz.slip.{kind}" in catalogue
