"""Errata notes on screen, the corrected switch, the side-by-side view and the quiz."""

from __future__ import annotations

import pytest

from tests.functional_tests.conftest import make_app, pane_text, row, shown_place
from tests.screen_text import screen_text


async def test_erratum_note_shows_at_its_step() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(6):
            await pilot.press("right")
        text = pane_text(app, "#explanation")
        assert "The article goes wrong here: The sign of the update" in text
        assert "the article's J′(W) is −4, the opposite sign" in text


async def test_corrected_switch_keeps_the_place() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("end")
        assert row(app, "updates", "X0->Z1")[4] == "1.4"
        await pilot.press("c")
        assert app.lesson.scenario.name == "article-corrected"
        assert shown_place(app).k == 21
        assert row(app, "updates", "X0->Z1")[4] == "0.6"
        assert "step 22 of 22" in screen_text(app)
        await pilot.press("c")
        assert app.lesson.scenario.name == "article"
        assert row(app, "updates", "X0->Z1")[4] == "1.4"


async def test_corrected_switch_is_greyed_for_other_lessons() -> None:
    app = make_app("xor-sigmoid")
    async with app.run_test(size=(80, 24)):
        assert app.lesson_screen.check_action("toggle_corrected", ()) is None
        assert app.lesson_screen.check_action("compare", ()) is None


async def test_side_by_side_view() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        text = pane_text(app, "#compare-prediction")
        assert "4 before; 7.28 after the article's update, 1.68 after the corrected" in text
        assert "1.4" in screen_text(app) and "0.6" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "7.28 after" not in screen_text(app)


async def test_quiz_right_wrong_with_diagnosis_and_summary() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("k")
        await pilot.press("right")
        await pilot.pause()
        assert shown_place(app).k == -1, "asked first, not revealed"
        assert "Z1 = ?" in screen_text(app)
        await pilot.press("1", "enter")
        await pilot.pause()
        assert app.lesson_screen.cursor.k == 0
        assert "Right: 1." in screen_text(app)
        assert "quiz 1/1" in screen_text(app)
        # Through to D0's delta; answer it with the sign flipped.
        for _ in range(4):
            await pilot.press("right")
            await pilot.press("enter")  # reveal without answering
        await pilot.press("right")
        await pilot.press("4", "enter")
        await pilot.pause()
        text = pane_text(app, "#explanation")
        assert app.lesson_screen.cursor.k == 5
        assert "you said 4, the value is −4" in text
        assert "opposite sign" in text
        await pilot.press("end")
        text = pane_text(app, "#explanation")
        assert "Quiz for this iteration: 1 of 6 right first time, 1 wrong, 4 revealed." in text
        assert "To go over again:" in text


async def test_quiz_escape_leaves_the_box_and_keys_step_again() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("k", "right")
        await pilot.press("n", "p")  # typed into the box, not stepping
        assert shown_place(app).k == -1
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is None
        await pilot.press("k")  # quiz off: the step keys step again
        await pilot.press("n")
        assert app.lesson_screen.cursor.k == 0


@pytest.mark.parametrize("dialog", ["question_mark", "t", "s", "v"])
async def test_after_a_dialog_the_keys_step_the_lesson_not_the_hidden_answer_box(
    dialog: str,
) -> None:
    # Nothing may take the keyboard when the lesson screen is back on top: Textual focuses
    # the first focusable widget on resume unless told not to, and that was the quiz's
    # hidden input, which then swallowed every key.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("k", "right", "1", "enter", "k")  # answered, then quiz off
        await pilot.pause()
        assert app.focused is None and shown_place(app).k == 0
        await pilot.press(dialog)
        await pilot.pause()
        assert len(app.screen_stack) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert app.focused is None
        await pilot.press("right")
        assert shown_place(app).k == 1


async def test_quiz_rejects_text_that_is_not_a_number() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("k", "right", "a", "b", "enter")
        await pilot.pause()
        assert shown_place(app).k == -1
        assert "is not a number" in screen_text(app)


async def test_language_switch_keeps_the_step_and_fits() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(6):
            await pilot.press("right")
        english = screen_text(app)
        await pilot.press("l")
        await pilot.pause()
        chinese = screen_text(app)
        assert shown_place(app).k == 5
        assert "第 6/22 步" in chinese and "反向传播" in chinese
        assert "−4" in chinese
        # Double-width characters: every line still 80 columns, nothing cut mid-character.
        from rich.cells import cell_len

        assert all(cell_len(line) <= 80 for line in chinese.splitlines())
        await pilot.press("l")
        await pilot.pause()
        assert screen_text(app) == english


async def test_ascii_mode_keeps_english() -> None:
    app = make_app(ascii_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.check_action("toggle_language", ()) is False  # hidden: its label is Chinese
        await pilot.press("l")
        await pilot.pause()
        assert "step 0 of 22" in screen_text(app) and screen_text(app).isascii()
