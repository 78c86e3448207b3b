"""The start: the first frame shows the lesson's opening before NumPy is imported, the
walkthrough follows with the same numbers, and keys pressed before it comes still work."""

from __future__ import annotations

import pytest

from tests.fresh_python import run_fresh
from tests.functional_tests.conftest import make_app, walked
from tests.screen_text import screen_text
from tui.screens.lesson import LessonScreen
from tui.textual_compat import FooterKey

FIRST_FRAME = """
import asyncio, json, sys
from engine import builtin
from tests.screen_text import screen_text
from tui.app import TutorApp
from tui.screens.lesson import LessonScreen

seen = {}
original = LessonScreen._walk_first

def panes(app):
    return {name: str(app.query_one(f"#{name}").content) for name in ("header", "explanation")}

def walk_first(self):
    # Called once the first frame is out: record what it showed, and what was imported.
    seen["numpy"] = "numpy" in sys.modules
    seen["screen"] = screen_text(self.app)
    seen["panes"] = panes(self.app)
    original(self)

LessonScreen._walk_first = walk_first

async def main():
    app = TutorApp(builtin("article"))
    async with app.run_test(size=(%d, %d)) as pilot:
        for _ in range(50):
            if app.lesson.walked and app.lesson_screen.cursor is app.lesson.place:
                break
            await pilot.pause()
        await pilot.pause()
        seen["after"] = screen_text(app)
        seen["panes_after"] = panes(app)
        seen["numpy_after"] = "numpy" in sys.modules

asyncio.run(main())
print(json.dumps(seen))
"""


@pytest.mark.parametrize("size", [(80, 24), (200, 50)], ids=["80x24", "200x50"])
def test_the_first_frame_is_the_opening_drawn_before_numpy(size: tuple[int, int]) -> None:
    seen = run_fresh(FIRST_FRAME % size, timeout=120)
    assert seen["numpy"] is False, "the first frame waited for NumPy"
    first, after = seen["screen"], seen["after"]
    for text in (first, after):  # the numbers of the start, and what to do next
        assert "step 0 of 22" in text
        assert "X1 0" in text and "w Z0▆1 Z1▆1 Z2▆1 Z3▆1" in text
        assert "Equal starting weights" in text
        assert "Press → (or Space)" in text
    assert seen["numpy_after"] is True
    # The header and the explanation do not change when the walkthrough replaces the opening.
    assert seen["panes"] == seen["panes_after"]


KEYS = ["right", "end", "left", "right_square_bracket", "enter", "k", "c", "v", "w", "r",
        "l", "3", "t", "e"]


@pytest.mark.parametrize("key", KEYS)
async def test_a_key_pressed_before_the_walkthrough_comes_is_not_lost(
    key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Hold the lesson at its opening (on a slow machine the key can beat the walkthrough).
    monkeypatch.setattr(LessonScreen, "_walk_first", lambda self: None)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.lesson.walked
        await pilot.press(key)
        await pilot.pause()
        assert app.is_running
        if key in ("right", "end", "right_square_bracket"):
            assert app.lesson.walked and app.lesson_screen.cursor is app.lesson.place
            k = {"right": 0, "end": 21, "right_square_bracket": 3}[key]
            assert app.lesson_screen.cursor is not None and app.lesson_screen.cursor.k == k
            assert f"step {app.lesson_screen.cursor.k + 1} of 22" in screen_text(app)


async def test_back_at_the_start_the_screen_is_the_walked_one() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        start = screen_text(app)
        await pilot.press("right", "right", "left", "left")
        await pilot.pause()
        assert screen_text(app) == start


async def test_the_screen_is_composed_once_whatever_the_resizes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One widget tree: resizes across every arrangement only change classes, and the
    learner's step survives them."""
    composed: list[str] = []
    original = LessonScreen.compose

    def compose(self: LessonScreen):  # type: ignore[no-untyped-def]
        composed.append("lesson")
        yield from original(self)

    monkeypatch.setattr(LessonScreen, "compose", compose)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        await pilot.press("right", "right", "right")
        await pilot.pause()
        # Every widget but the footer's keys, which are made for the keys that fit.
        widgets = {w for w in app.lesson_screen.query("*") if not isinstance(w, FooterKey)}
        arrangements = []
        for size in [(200, 50), (40, 12), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            screen = app.lesson_screen
            arrangements.append(next(c for c in ("-wide", "-compact", "-tiny")
                                     if screen.has_class(c)))
            assert screen.cursor is not None and screen.cursor.k == 2
            assert ("step 3 of 22" in screen_text(app)) is (size != (40, 12))
        assert arrangements == ["-wide", "-tiny", "-compact"]
        now = {w for w in app.lesson_screen.query("*") if not isinstance(w, FooterKey)}
        assert now == widgets  # nothing rebuilt
    assert composed == ["lesson"]


@pytest.mark.parametrize("key", ["k right", "v", "w", "t"])
async def test_a_key_that_needs_the_numbers_at_an_opening_shows_them(
    key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A key that needs the walkthrough while a lesson is still at its opening makes it, and
    # the screen then shows it: the place drawn is always the lesson's (the fuzzer found the
    # quiz asking its question about a walkthrough the screen did not show).
    monkeypatch.setattr(LessonScreen, "call_after_refresh", lambda self, *a, **k: None)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.lesson_screen
        assert not app.lesson.walked
        await pilot.press(*key.split())
        await pilot.pause()
        assert app.lesson.walked
        assert screen.cursor is app.lesson.place
