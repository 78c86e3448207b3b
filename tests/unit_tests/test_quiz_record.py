"""The quiz asks for the quantity by name, sums up how it went, and the saved transcript keeps
that record as a "Quiz" section."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import builtin, walk
from tui.i18n import set_language
from tui.quiz import Quiz, QuizNote, Tally, question, quiz_lines, round_summary
from tui.saving import save_lesson
from tui.transcript import render_markdown


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


@pytest.mark.parametrize(
    ("k", "asked"),
    [
        (0, "Z1 = ?"),  # a unit's value: the unit
        (4, "E = ?"),  # the loss
        (5, "δ(D0) = ?"),  # used to ask "D0 = ?", and D0's value is 4, not −4
        (6, "δ(Z1) = ?"),
        (9, "new w(X0->Z1) = ?"),
    ],
)
def test_the_question_names_the_quantity(k: int, asked: str) -> None:
    assert question(walk(builtin("article")).steps[k]) == asked


def test_the_question_in_chinese() -> None:
    set_language("zh")
    assert question(walk(builtin("article")).steps[9]) == "新的 w(X0->Z1) = ?"


def answered_quiz():  # type: ignore[no-untyped-def]
    """The article's first iteration: right at Z1, 4 at δ(D0) (o − y, or D0's value), δ(Z1)
    revealed, the step added at X0->Z1 and at X0->Z2, the input taken as 1 at X1->Z1."""
    w = walk(builtin("article"))
    quiz = Quiz()
    for k, answer in [(0, 1.0), (5, 4.0), (6, None), (9, 0.6), (12, 0.6), (10, 1.4)]:
        quiz.check(w, k, answer)
    return w, quiz


def test_the_tally_counts_right_wrong_revealed_and_each_slip() -> None:
    w, quiz = answered_quiz()
    tally = quiz.iteration_tally(w)
    assert (tally.right, tally.wrong, tally.revealed, tally.steps) == (1, 4, 1, 6)
    assert tally.slips == ((("plus_delta_sign",), 2), (("delta_sign", "unit_value"), 1),
                           (("wrong_end", "input_one"), 1))
    assert tally.missed == (("backward", 2), ("update", 3))
    lines = [line for line, _ in quiz_lines(QuizNote(None, quiz.score, tally))]
    assert lines[0] == ("Quiz for this iteration: 1 of 6 right first time, 4 wrong, "
                        "1 revealed.")
    assert lines[1] == ("Slips: + instead of − or δ's sign flipped ×2, δ with the other "
                        "sign or the unit's value for its δ ×1, Z from the link's target or "
                        "input 0 taken as 1 ×1.")


def test_the_diagnosis_names_the_lessons_own_sign_and_link() -> None:
    w, quiz = answered_quiz()
    lines = [line for line, _ in quiz_lines(QuizNote(quiz.verdict(w, 9), quiz.score))]
    assert lines == [
        "Not quite: you said 0.6, the value is 1.4.",
        "That is old w + α·Z·δ: the step was added, or δ taken as o − y instead of this "
        "lesson's y − o. The rule subtracts: w ← w − α·Z·δ.",
    ]
    lines = [line for line, _ in quiz_lines(QuizNote(quiz.verdict(w, 10), quiz.score))]
    assert "Z is the value of the link's source X1, δ that of its target Z1" in lines[1]
    assert lines[2].startswith("Or: That takes the input X1 as 1 where it is 0")


def test_a_round_is_summed_up_from_when_the_quiz_was_switched_on() -> None:
    w, quiz = answered_quiz()
    quiz.start_round()
    assert round_summary(quiz.round_tally()) == []  # nothing asked: nothing to sum up
    quiz.check(w, 3, 3.0)  # D0 without its bias
    assert round_summary(quiz.round_tally()) == [
        "This quiz: 0 of 1 right first time, 1 wrong, 0 revealed.",
        "Slips: bias left out ×1.",
    ]
    assert Tally.of([]).steps == 0


def test_the_saved_transcript_has_a_quiz_section(tmp_path: Path) -> None:
    w, quiz = answered_quiz()
    _, md_path = save_lesson(w, tmp_path, quiz)
    text = md_path.read_text(encoding="utf-8")
    assert text == render_markdown(w, quiz=quiz) + "\n"
    section = text[text.index("## Quiz"):]
    assert section.splitlines()[:12] == [
        "## Quiz",
        "",
        "1 of 6 right first time, 4 wrong, 1 revealed.  ",
        "Slips: + instead of − or δ's sign flipped ×2, δ with the other sign or the unit's "
        "value for its δ ×1, Z from the link's target or input 0 taken as 1 ×1.",
        "",
        "| step | asked | answer | value | result |",
        "|---:|---|---:|---:|---|",
        "| 1 | Z1 | 1 | 1 | right |",
        "| 6 | δ(D0) | 4 | −4 | wrong: δ with the other sign or the unit's value for its δ |",
        "| 7 | δ(Z1) |   | −4 | revealed |",
        "| 10 | new w(X0->Z1) | 0.6 | 1.4 | wrong: + instead of − or δ's sign flipped |",
        "| 11 | new w(X1->Z1) | 1.4 | 1 | wrong: Z from the link's target or input 0 taken "
        "as 1 |",
    ]


def test_no_quiz_section_for_an_iteration_or_lesson_not_asked(tmp_path: Path) -> None:
    w, quiz = answered_quiz()
    assert "## Quiz" not in render_markdown(walk(builtin("article"), iteration=1), quiz=quiz)
    corrected = walk(builtin("article-corrected"))
    assert "## Quiz" not in render_markdown(corrected, quiz=quiz)
    assert not quiz.answered(corrected, 9)  # another lesson's answers are not its own
    assert render_markdown(w) == render_markdown(w, quiz=Quiz())
