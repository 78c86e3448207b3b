"""Progress that survives a quit, in the app at 80x24: reopened where the learner left, with a
notice; --fresh; a damaged or unreadable state file. (The file itself: tests/unit_tests/
test_progress.py. XDG_STATE_HOME points into tmp_path: see conftest.)"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from engine import builtin
from tests.functional_tests.conftest import make_app, shown_place, walked
from tests.screen_text import screen_text
from tui.app import SAVE_EVERY, TutorApp
from tui.i18n import set_language
from tui.progress import state_directory
from tui.screens.training import TrainedWeights

SIZE = (80, 24)


def state_file() -> Path:
    return state_directory() / "progress.json"


def notices(app: TutorApp) -> str:
    """The text of the toasts on screen, each on one line."""
    from textual.widgets import Static

    return "\n".join(" ".join(str(toast.render()).split())
                     for toast in app.screen.query("Toast").results(Static))


async def leave_at_iteration_1_step_3(name: str = "article") -> None:
    """Step to iteration 1, step 3 (k = 2), then quit with q."""
    app = make_app(name)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        await pilot.press("end", "enter", "right", "right", "right")
        assert (shown_place(app).walkthrough.iteration, shown_place(app).k) == (1, 2)
        await pilot.press("q")


async def test_the_tutor_reopens_where_the_learner_left_with_a_notice() -> None:
    await leave_at_iteration_1_step_3()
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        await pilot.pause()
        place = shown_place(app)
        assert (place.walkthrough.iteration, place.k) == (1, 2)
        text = screen_text(app)
        assert "step 3 of 22" in text.splitlines()[0]
        assert "Back where you left article: epoch 0, step 3 of 22." in notices(app)
        # The numbers of iteration 1: the first update made 7 weights 1.4 (X0->Z1 among them).
        assert app.lesson.walkthrough().weights_before[0][0, 0] == 1.4
        # And the way back is there: iteration 0 is one step before iteration 1's start.
        await pilot.press("home", "left")
        assert (shown_place(app).walkthrough.iteration, shown_place(app).k) == (0, 21)


async def test_the_notice_is_in_chinese_under_lang_zh() -> None:
    await leave_at_iteration_1_step_3()
    set_language("zh")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        await pilot.pause()
        assert "回到上次离开 article 的地方：轮次 0，第 3/22 步。" in notices(app)


async def test_fresh_starts_over() -> None:
    await leave_at_iteration_1_step_3()
    app = TutorApp(builtin("article"), fresh=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        place = shown_place(app)
        assert (place.walkthrough.iteration, place.k) == (0, -1)
        assert notices(app) == ""
        await pilot.press("right", "q")
    # The learner asked for it: the old place is replaced by the new one.
    lessons = json.loads(state_file().read_text())["lessons"]
    assert [(p["name"], p["iteration"], p["k"]) for p in lessons] == [("article", 0, 0)]


async def test_every_few_moves_are_written_so_a_killed_tutor_loses_little() -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        await pilot.press(*["right"] * (2 * SAVE_EVERY))
        await pilot.pause()
        # No quit: the file already holds a place at most SAVE_EVERY moves behind (a kill -9
        # now loses no more).
        lessons = json.loads(state_file().read_text())["lessons"]
        assert len(lessons) == 1 and lessons[0]["iteration"] == 0
        assert 2 * SAVE_EVERY - 1 - SAVE_EVERY <= lessons[0]["k"] <= 2 * SAVE_EVERY - 1


async def test_a_lesson_change_writes_the_place_of_the_one_left() -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        await pilot.press("right", "right")
        app.lesson_screen.open_lesson("xor-sigmoid")
        await pilot.pause()
        lessons = json.loads(state_file().read_text())["lessons"]
        assert [(p["name"], p["k"]) for p in lessons] == [("article", 1)]


async def test_trained_weights_come_back() -> None:
    s = builtin("xor-sigmoid")
    trained = [w * 2 - 0.5 for w in s.initial_weights()]
    app = make_app("xor-sigmoid")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        app.lesson_screen.trained(TrainedWeights(trained, 300, True))
        await walked(app, pilot)
        await pilot.press("right", "q")
    app = make_app("xor-sigmoid")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        place = shown_place(app)
        assert (place.walkthrough.iteration, place.k) == (300, 0)
        for mine, theirs in zip(app.lesson.walkthrough().weights_before, trained):
            np.testing.assert_array_equal(mine, theirs)


async def test_a_damaged_file_gives_a_notice_and_a_fresh_start_and_is_kept() -> None:
    state_file().parent.mkdir(parents=True)
    state_file().write_bytes(b'{"format": 1, "lessons": [{"name": "art')
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        await pilot.pause()
        assert shown_place(app).k == -1
        assert f"{state_file()} was damaged: starting fresh. It is kept as {state_file()}.corrupt" \
            in notices(app)
        await pilot.press("right", "q")
    assert app.return_code in (None, 0)
    aside = state_file().with_name("progress.json.corrupt")
    assert aside.read_bytes() == b'{"format": 1, "lessons": [{"name": "art'
    assert json.loads(state_file().read_text())["lessons"][0]["k"] == 0


async def test_an_unreadable_file_gives_a_notice_and_is_never_written_over() -> None:
    """A directory where the file should be (as good as unreadable, even for root)."""
    state_file().mkdir(parents=True)
    (state_file() / "inside").write_text("kept")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        await pilot.pause()
        assert shown_place(app).k == -1
        assert f"{state_file()} cannot be read: starting fresh" in notices(app)
        await pilot.press(*["right"] * (SAVE_EVERY + 1), "q")
    assert app.return_code in (None, 0)
    assert [p.name for p in state_file().iterdir()] == ["inside"]


async def test_an_edited_lesson_starts_at_its_beginning() -> None:
    await leave_at_iteration_1_step_3()
    app = TutorApp(builtin("article").with_changes(learning_rate=0.5))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        await pilot.pause()
        assert (shown_place(app).walkthrough.iteration, shown_place(app).k) == (0, -1)
        assert "article has changed since you last left it" in notices(app)


async def test_the_quiz_and_its_score_come_back() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walked(app, pilot)
        await pilot.press("k", "right")  # quiz on; asked for step 1 (Z1 = 1)
        await pilot.pause()
        await pilot.press("1", "enter", "right")
        await pilot.pause()
        await pilot.press("9", "enter")  # Z2 is 1: wrong
        await pilot.pause()
        assert "quiz 1/2" in screen_text(app).splitlines()[0]
        await pilot.press("q")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walked(app, pilot)
        await pilot.pause()
        assert app.lesson_screen.quiz_on
        assert shown_place(app).k == 1
        assert "quiz 1/2" in screen_text(app).splitlines()[0]


async def test_quitting_from_the_palette_writes_the_place_too() -> None:
    set_language("zh")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walked(app, pilot)
        await pilot.press("right", "right", "ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"退出")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
    lessons = json.loads(state_file().read_text())["lessons"]
    assert [(p["name"], p["k"]) for p in lessons] == [("article", 1)]
