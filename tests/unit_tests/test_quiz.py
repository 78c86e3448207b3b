"""Predict, then reveal: the checks, the tolerance and each diagnosis of a common slip."""

from __future__ import annotations

import pytest

from engine import builtin, walk
from engine.slips import close_enough, diagnose, mistakes
from tui.parsing import parse_number
from tui.quiz import Quiz


@pytest.mark.parametrize(
    ("text", "value"),
    [("4", 4.0), ("-4", -4.0), ("−4", -4.0), ("1,4", 1.4), (" .5 ", 0.5), ("1e-3", 0.001)],
)
def test_parse_answer(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "--4"])
def test_parse_answer_rejects(text: str) -> None:
    assert parse_number(text) is None


def test_tolerance() -> None:
    assert close_enough(0.531, 0.53139) and close_enough(0.53, 0.53139)
    assert not close_enough(0.5, 0.53139)
    assert close_enough(158.8, 158.82) and not close_enough(157, 158.82)
    assert not close_enough(1.0, float("nan"))


def step_index(w, phase: str, target: str) -> int:  # type: ignore[no-untyped-def]
    return next(s.index for s in w.steps if (s.phase, s.target) == (phase, target))


def test_sign_flipped() -> None:
    w = walk(builtin("article"))
    assert diagnose(w, step_index(w, "loss", "loss"), 4.0) == "sign"  # o − y for y − o
    assert diagnose(w, step_index(w, "backward", "D0"), 4.0) == "delta_sign"


def test_bias_input_taken_as_zero() -> None:
    w = walk(builtin("article"))
    k = step_index(w, "forward", "D0")
    assert mistakes(w, k)["bias_zero"] == 3.0  # 1·0 + 1 + 1 + 1
    assert diagnose(w, k, 3.0) == "bias_zero"


def test_learning_rate_left_out() -> None:
    w = walk(builtin("article"))
    k = step_index(w, "update", "Z1->D0")
    assert mistakes(w, k)["learning_rate"] == 5.0  # 1 − (1·−4)
    assert diagnose(w, k, 5.0) == "learning_rate"


def test_updated_weight_used() -> None:
    w = walk(builtin("article"))
    k = step_index(w, "backward", "Z1")
    assert mistakes(w, k)["updated_weight"] == pytest.approx(-5.6)  # 1.4·(−4)
    assert diagnose(w, k, -5.6) == "updated_weight"


def test_fprime_left_out() -> None:
    w = walk(builtin("xor-sigmoid"))
    k = step_index(w, "backward", "Z1")
    step = w.steps[k]
    wrong = mistakes(w, k)["fprime"]
    assert wrong != pytest.approx(step.value)
    assert diagnose(w, k, wrong) == "fprime"


def test_activation_left_out() -> None:
    w = walk(builtin("xor-sigmoid"))
    k = step_index(w, "forward", "Z1")
    assert diagnose(w, k, 0.12573) == "activation"


def test_no_diagnosis_for_an_unrelated_answer() -> None:
    w = walk(builtin("article"))
    assert diagnose(w, step_index(w, "forward", "D0"), 17.0) is None


def test_quiz_keeps_score_and_summary() -> None:
    w = walk(builtin("article"))
    quiz = Quiz()
    assert quiz.check(w, 0, 1.0).correct
    wrong = quiz.check(w, 5, 4.0)
    assert not wrong.correct and wrong.diagnosis == "delta_sign"
    revealed = quiz.check(w, 6, None)
    assert not revealed.correct and revealed.answer is None
    assert quiz.score == (1, 2)  # a reveal is not an answer
    tally = quiz.iteration_tally(w)
    assert (tally.right, tally.wrong, tally.revealed) == (1, 1, 1)
    assert tally.missed == (("backward", 2),)
    assert quiz.answered(w, 5) and not quiz.answered(w, 7)
