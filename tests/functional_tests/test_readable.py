"""Nothing the tutor says is cut off: the explanation scrolls, puts the idea before the
article's mistakes, breaks Chinese lines by Chinese rules; a table cell too wide is cut with
"…" (the explanation holds the whole working); the footer shows only whole keys."""

from __future__ import annotations

import re

import pytest
from rich.text import Text

from tests.functional_tests.conftest import make_app, settled, walked
from tests.screen_text import screen_text
from tui.app import TutorApp
from tui.i18n import set_language
from tui.line_breaking import NO_START
from tui.textual_compat import FooterKey
from tui.widgets.explanation import ExplanationPane

MORE_BELOW, MORE_ABOVE = "more below: shift+", "more above: shift+"


def region_lines(app: TutorApp, selector: str) -> list[str]:
    """The lines of the screen inside a widget's content region."""
    region = app.query_one(selector).content_region
    rows = screen_text(app).splitlines()[region.y:region.bottom]
    return [row[region.x:region.right].rstrip() for row in rows]


def paragraphs(app: TutorApp) -> list[str]:
    """Every paragraph the explanation holds, spaces evened out."""
    content = app.query_one(ExplanationPane).content
    assert isinstance(content, Text)
    return [" ".join(p.split()) for p in content.plain.split("\n") if p.strip()]


async def read_everything(app: TutorApp, pilot) -> list[str]:  # type: ignore[no-untyped-def]
    """Every line of the explanation, paging down with shift+↓ as a learner would (and
    checking each page says whether more follows)."""
    await settled(app, pilot)
    seen: list[str] = []
    for _ in range(30):
        lines = region_lines(app, "#explanation")
        more = any(MORE_BELOW in line or "还有：shift+↓" in line for line in lines)
        words = [line for line in lines if "shift+" not in line]
        overlap = next((n for n in range(min(len(seen), len(words)), 0, -1)
                        if seen[-n:] == words[:n]), 0)
        seen.extend(words[overlap:])
        if not more:
            return seen
        await pilot.press("shift+down")
        await settled(app, pilot)
    raise AssertionError("the explanation never came to its end")


def assert_all_readable(app: TutorApp, lines: list[str]) -> None:
    """Each paragraph of the explanation is on screen, whole, once paged through."""
    shown = " ".join(" ".join(lines).split())
    for paragraph in paragraphs(app):
        assert paragraph in shown, (paragraph, lines)


@pytest.mark.parametrize(("size", "steps", "last_words"), [
    ((120, 36), 1, "the best one answers [0.5, 0.5, 0.5, 0.5] (mean squared error 0.25)."),
    ((120, 36), 4, None),
    ((120, 36), 5, None),
    ((120, 36), 7, None),
    ((80, 24), 1, "No linear function fits XOR"),
    ((80, 24), 6, None),
    ((80, 24), 22, None),
    ((60, 18), 7, None),
], ids=["120x36-1", "120x36-4", "120x36-5", "120x36-7", "80x24-1", "80x24-6", "80x24-22",
        "60x18-7"])
async def test_every_word_of_the_explanation_can_be_read(
    size: tuple[int, int], steps: int, last_words: str | None
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await walked(app, pilot)
        for _ in range(steps):
            await pilot.press("right")
        lines = await read_everything(app, pilot)
        assert_all_readable(app, lines)
        if last_words:
            assert last_words in " ".join(lines)


async def test_with_the_quiz_on_the_whole_explanation_can_be_read_at_80x24() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        await pilot.press("k", "right")
        await settled(app, pilot)
        await pilot.press("2", "enter")  # Z1 = 1: a wrong answer, its verdict in the pane
        lines = await read_everything(app, pilot)
        assert app.lesson.place.k == 0
        assert_all_readable(app, lines)
        assert "here D0 = 4 + 3·X1 + 3·X2" in " ".join(lines)


async def test_the_pane_says_more_follows_and_each_step_starts_at_its_top() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        await pilot.press("right")
        await settled(app, pilot)
        first = region_lines(app, "#explanation")
        assert first[0] == "Forward pass: unit Z1"
        assert MORE_BELOW in first[-1]
        assert "shift+↓ More" in screen_text(app).splitlines()[-1]  # the key, in the footer
        await pilot.press("shift+down")
        await settled(app, pilot)
        page = region_lines(app, "#explanation")
        assert MORE_ABOVE in page[0] and page != first
        assert app.lesson.place.k == 0  # scrolling is not stepping
        await pilot.press("shift+up")
        await settled(app, pilot)
        assert region_lines(app, "#explanation") == first
        await pilot.press("shift+down", "right")  # a new step: from its first line
        await settled(app, pilot)
        assert region_lines(app, "#explanation")[0] == "Forward pass: unit Z2"


@pytest.mark.parametrize(("steps", "idea"), [
    (1, "Z1 adds up the value of every unit that feeds it"),
    (6, "Backpropagation starts at the output"),
])
async def test_the_idea_comes_first_then_the_note_at_80x24(steps: int, idea: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        for _ in range(steps):
            await pilot.press("right")
        await settled(app, pilot)
        page = " ".join(region_lines(app, "#explanation"))
        assert idea in page  # on the first page, without scrolling
        lines = await read_everything(app, pilot)
        text = " ".join(lines)
        assert text.index(idea) < text.index("!! The article goes wrong here")


def cjk_runs(paragraph: str) -> list[str]:
    """The formulas in a Chinese paragraph: Latin runs with an ``=`` between Chinese text."""
    runs = re.split(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+", paragraph)
    return [run.strip() for run in runs if " = " in run and len(run.strip()) < 60]


@pytest.mark.parametrize("steps", [0, 6, 22])
async def test_chinese_lines_follow_chinese_rules_at_80x24(steps: int) -> None:
    set_language("zh")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        for _ in range(steps):
            await pilot.press("right")
        lines = await read_everything(app, pilot)
        closing = {c for c in NO_START if not c.isascii()}  # ASCII "!!" starts each note
        for line in filter(None, lines):
            assert line.lstrip()[0] not in closing, lines
        formulas = [run for p in paragraphs(app) for run in cjk_runs(p)]
        assert formulas or steps == 0, "no formula in the Chinese text: nothing checked"
        for formula in formulas:
            assert any(formula in line for line in lines), (formula, lines)


def cut_rows(app: TutorApp, selector: str) -> list[str]:
    """The table's lines on screen."""
    return region_lines(app, selector)


@pytest.mark.parametrize("size", [(120, 36), (200, 50)], ids=["120x36", "200x50"])
async def test_a_long_working_is_cut_with_an_ellipsis_never_silently(
    size: tuple[int, int]
) -> None:
    app = make_app("xor-sigmoid")
    async with app.run_test(size=size) as pilot:
        await walked(app, pilot)
        await pilot.press("end")
        await settled(app, pilot)
        forward = cut_rows(app, "#forward")
        assert "with numbers" in forward[0]  # the heading whole (it was "wi" at 120x36)
        d0 = next(line for line in forward if line.lstrip().startswith("D0"))
        assert d0.endswith("…"), forward  # it ended "+ 0.041" at 200x50
        step = app.lesson.walkthrough().steps[app.lesson.place.k]
        updates = cut_rows(app, "#updates")
        current = next(line for line in updates if line.lstrip().startswith("▶"))
        assert step.substituted not in current and current.endswith("…"), updates
        # The current step's whole working is in the explanation, which can be read to its end.
        assert f"{step.substituted} =" in " ".join(" ".join(paragraphs(app)).split())


async def test_an_unfocused_terminal_resized_shows_only_whole_keys() -> None:
    """A terminal resized while it does not have the focus kept the old width's keys, the
    last one cut in half ("r Res")."""
    app = make_app()
    async with app.run_test(size=(200, 24)) as pilot:
        await walked(app, pilot)
        await settled(app, pilot)
        app.app_focus = False
        for width in (125, 60, 97):
            await pilot.resize_terminal(width, 24)
            footer = (await settled(app, pilot)).splitlines()[-1].rstrip()
            labels = [key.description for key in app.screen.query(FooterKey) if key.display]
            assert labels and footer.endswith(labels[-1]), (width, footer, labels)
            assert all(label in footer for label in labels), (width, footer, labels)
