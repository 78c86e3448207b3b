"""The quiz on screen at 80x24: it asks for the quantity by name, diagnoses the slips of an
update, sums up when switched off, and the saved transcript keeps its record."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.functional_tests.conftest import make_app, pane_text, shown_place
from tests.screen_text import screen_text
from tui.app import TutorApp

SIZE = (80, 24)


def toasts(app: TutorApp) -> str:
    """The text of the toasts on screen, each on one line."""
    return "\n".join(" ".join(str(toast.render()).split())
                     for toast in app.screen.query("Toast").results(Static))


async def ask_step(pilot, app: TutorApp, k: int) -> None:  # type: ignore[no-untyped-def]
    """With the quiz on, reveal every step before ``k``, then ask for step ``k``."""
    await pilot.press("right")
    while shown_place(app).k < k - 1:
        await pilot.press("enter", "right")  # reveal, then the next question
    await pilot.pause()


async def test_the_question_names_the_quantity() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        await ask_step(pilot, app, 5)
        text = screen_text(app)
        assert "δ(D0) = ?" in text, "δ(D0) used to be asked as D0 = ?, the unit's value"
        assert "D0 = ?" not in text.replace("δ(D0) = ?", "")
        assert "\n δ(D0) = (y − D0)·f′(z)" in text, "the formula on a line of its own"
        await pilot.press("enter")
        await ask_step(pilot, app, 9)
        assert "new w(X0->Z1) = ?" in screen_text(app)


async def test_an_added_update_is_diagnosed_and_a_negated_weight_is_not() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        await ask_step(pilot, app, 9)
        await pilot.press("0", ".", "6", "enter")  # 1 + 0.1·1·(−4): the step added
        await pilot.pause()
        assert shown_place(app).k == 9
        text = pane_text(app, "#explanation")
        assert "you said 0.6, the value is 1.4" in text
        assert "That is old w + α·Z·δ: the step was added" in text
        await ask_step(pilot, app, 14)  # X2->Z2: X2 = 0, the weight stays 1
        await pilot.press("minus", "1", "enter")
        await pilot.pause()
        text = pane_text(app, "#explanation")
        assert "you said −1, the value is 1" in text
        assert "opposite sign" not in text


async def test_switching_the_quiz_off_sums_it_up() -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("k")
        await ask_step(pilot, app, 0)
        await pilot.press("1", "enter")  # Z1: right
        await pilot.press("right", "enter")  # Z2: revealed
        await pilot.press("right", "3", "enter")  # Z3 = 1: wrong, and no slip gives 3
        await pilot.press("right", "3", "enter")  # D0 without its bias
        await pilot.press("k")
        await pilot.pause()
        text = toasts(app)
        assert "Quiz off" in text
        assert "This quiz: 1 of 4 right first time, 2 wrong, 1 revealed." in text
        assert "Slips: bias left out ×1." in text
        await pilot.press("k")  # on again: the summary no longer sits on the answer box
        await pilot.pause()
        assert toasts(app) == ""


async def test_the_end_of_an_iteration_sums_it_up() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("k")
        await ask_step(pilot, app, 9)
        await pilot.press("0", ".", "6", "enter")
        await pilot.press("end")
        await pilot.pause()
        text = pane_text(app, "#explanation")
        assert ("Quiz for this iteration: 0 of 10 right first time, 1 wrong, 9 revealed."
                in text)
        assert "Slips: + instead of − or δ's sign flipped ×1." in text


async def test_the_saved_transcript_keeps_the_quiz(tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        await ask_step(pilot, app, 9)
        await pilot.press("0", ".", "6", "enter")
        await pilot.press("w")
        await pilot.pause()
    text = (tmp_path / "article-iteration-0.md").read_text(encoding="utf-8")
    assert "## Quiz" in text
    assert "0 of 10 right first time, 1 wrong, 9 revealed." in text
    assert "| 10 | new w(X0->Z1) | 0.6 | 1.4 | wrong: + instead of − or δ's sign flipped |" in text


async def test_the_answer_box_follows_the_language() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k", "right", "escape")  # the box was made in English
        await pilot.press("l", "right")
        await pilot.pause()
        text = screen_text(app)
        assert "Z1 = ?" in text
        assert "输入数字，如 0.5" in text and "a number" not in text
        assert "Leave answer box" not in text
