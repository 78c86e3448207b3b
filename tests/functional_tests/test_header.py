"""The header's step counter and quiz score are the last things a narrow terminal cuts: a long
lesson name or a sample of 64 inputs gives way first, with an ellipsis."""

from __future__ import annotations

import pytest

from engine.scenario import Init, Scenario
from tests.functional_tests.conftest import make_app, settled, walked
from tui.app import TutorApp


def wide_lesson(name: str = "wide") -> Scenario:
    """64 inputs and targets: the sample alone is wider than any terminal."""
    inputs = tuple(tuple(round(0.01 * (i + s), 2) for i in range(64)) for s in range(2))
    targets = tuple(tuple(float((i + s) % 2) for i in range(64)) for s in range(2))
    return Scenario(name, (64, 2, 64), ("sigmoid", "sigmoid"), "half_squared_error", 0.5,
                    "online", Init(), inputs, targets)


def first_line(text: str) -> str:
    return text.splitlines()[0].rstrip()


@pytest.mark.parametrize("size", [(60, 18), (80, 24), (120, 36)])
async def test_a_sample_of_64_inputs_leaves_the_step_counter_whole(
        size: tuple[int, int]) -> None:
    app = TutorApp(wide_lesson())
    async with app.run_test(size=size) as pilot:
        await walked(app, pilot)
        await pilot.press("right")
        line = first_line(await settled(app, pilot))
        assert line.endswith(f"│ step 1 of {app.lesson.place.step_count}"), line
        assert "…" in line  # the sample was cut, and says so


async def test_the_quiz_score_stays_in_view_at_80x24() -> None:
    app = make_app("article-corrected")
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        await pilot.press("k")
        line = first_line(await settled(app, pilot))
        assert line.endswith("│ step 0 of 22 │ quiz 0/0"), line


async def test_a_long_name_gives_way_too() -> None:
    app = TutorApp(wide_lesson("n" * 80))
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        line = first_line(await settled(app, pilot))
        assert line.startswith(" nnnn") and line.endswith("│ step 0 of 455"), line


async def test_the_explanation_abridges_a_sample_of_64_inputs() -> None:
    app = TutorApp(wide_lesson())
    async with app.run_test(size=(120, 36)) as pilot:
        await walked(app, pilot)
        text = " ".join((await settled(app, pilot)).split())
        assert "(0, 0.01, 0.02, …(58 more), 0.61, 0.62, 0.63) → 0, 1, 0, …(58 more), 1, 0, 1" \
            in text


async def test_under_ascii_the_cut_is_marked_with_three_dots() -> None:
    from tui.glyphs import use_ascii

    use_ascii(True)  # the conftest sets it back for the next test
    app = TutorApp(wide_lesson(), ascii_only=True)
    async with app.run_test(size=(60, 18)) as pilot:
        await walked(app, pilot)
        line = first_line(await settled(app, pilot))
        assert line.isascii() and line.endswith("... | step 0 of 455"), line
