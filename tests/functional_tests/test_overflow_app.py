"""The tutor on lessons whose numbers blow up: it keeps going, says so, and shows inf and nan.

Two lessons: the article with learning rate 1e6 (finite for four samples, then inf, −inf and nan
at the first sample of epoch 1), and the corrected article starting from every weight 1e200
(overflowing in its very first pass). The tests step through every step of the iterations
around the overflow; all of them take about 10–15 s on a 2-core machine (a key costs 15–40 ms
of rendering, a whole-screen check more).
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Static

from engine import builtin
from engine.numbers import MINUS
from engine.scenario import Init, Scenario
from tests.functional_tests.conftest import settled, shown_place, walked
from tests.screen_text import screen_text
from tui.app import TutorApp
from tui.i18n import t

MINUS_INF = f"{MINUS}inf"
WIDE = (120, 36)






def lr_1e6() -> Scenario:
    return builtin("article").with_changes(learning_rate=1e6)


def huge_weights() -> Scenario:
    s = builtin("article-corrected")
    weights = tuple(tuple((1e200,) * cols for _ in range(rows)) for rows, cols in
                    s.weight_shapes())
    return s.with_changes(name="huge-weights", init=Init(kind="explicit", weights=weights))


def plain(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


def table_cells(app: TutorApp, table_id: str) -> set[str]:
    table = app.query_one(f"#{table_id}", DataTable)
    return {str(getattr(cell, "plain", cell)) for key in table.rows
            for cell in table.get_row(key)}


def region_text(app: TutorApp, widget: Widget) -> str:
    """What the screen shows inside one widget's region."""
    region = widget.region
    lines = screen_text(app).splitlines()[region.y: region.y + region.height]
    return "\n".join(line[region.x: region.x + region.width] for line in lines)




class Seen(NamedTuple):
    """One place stepped through: where, whether its numbers are finite, what was shown."""

    iteration: int
    k: int
    finite: bool
    header: str
    explanation: str
    screen: str


async def walk_through(app: TutorApp, pilot: Pilot[None], iterations: int,
                       screens: bool = False) -> list[Seen]:
    """Press → through every step of ``iterations`` iterations (Enter between them); at each
    place check nothing broke and record what the header and explanation say (and, with
    ``screens``, the whole screen: the slow part, a full render)."""
    seen: list[Seen] = []
    for _ in range(iterations):
        while True:
            assert app.is_running
            cursor = app.lesson_screen.cursor
            assert cursor is not None and cursor is app.lesson.place
            w = cursor.walkthrough
            whole = screens or cursor.at_start or cursor.at_end
            seen.append(Seen(
                w.iteration, cursor.k, w.finite,
                plain(app.query_one("#header", Static)),
                plain(app.query_one("#explanation", Static)),
                await settled(app, pilot) if whole else "",
            ))
            if cursor.at_end:
                break
            await pilot.press("right")
        await pilot.press("enter")
    assert app.is_running
    return seen


@pytest.mark.parametrize(("make", "skip", "iterations", "first_bad"),
                         [(lr_1e6, 3, 2, 4), (huge_weights, 0, 1, 0)],
                         ids=["lr-1e6", "weights-1e200"])
async def test_stepping_an_overflowing_lesson_warns_in_header_and_explanation(
    fast_keys: None, make: object, skip: int, iterations: int, first_bad: int
) -> None:
    app = TutorApp(make())  # type: ignore[operator]
    async with app.run_test(size=WIDE) as pilot:
        await walked(app, pilot)  # the opening shows the given weights, not yet overflowed
        for _ in range(skip):
            await pilot.press("end", "enter")
        seen = await walk_through(app, pilot, iterations)
    assert len(seen) == iterations * 23
    assert [s.iteration for s in seen if not s.finite and s.k == -1] == list(
        range(first_bad, skip + iterations))
    for s in seen:
        where = f"iteration {s.iteration}, step {s.k}"
        assert (t("header.overflow") in s.header) is not s.finite, where
        assert (t("ex.overflow") in s.explanation) is not s.finite, where
        if s.screen:  # and the learner sees it: in the header, or the explanation, or both
            assert ("overflowed" in s.screen) is not s.finite, where


async def test_the_header_line_on_screen_carries_the_whole_warning(fast_keys: None) -> None:
    app = TutorApp(lr_1e6())
    async with app.run_test(size=WIDE) as pilot:
        for _ in range(4):
            await pilot.press("end", "enter")
        await pilot.press("end")  # the longest header: "weight update │ step 22 of 22"
        assert not shown_place(app).walkthrough.finite
        header = (await settled(app, pilot)).splitlines()[0]
    assert t("header.overflow") in header


async def test_tables_and_diagram_show_inf_and_nan(fast_keys: None) -> None:
    app = TutorApp(lr_1e6())
    async with app.run_test(size=WIDE) as pilot:
        for _ in range(4):  # samples 0-3 of epoch 0: huge numbers, but numbers
            await pilot.press("end", "enter")
        await pilot.press("right", "right", "right", "right")  # Z1-Z3, then D0 = inf
        await pilot.pause()
        assert not shown_place(app).walkthrough.finite
        forward = table_cells(app, "forward")
        assert "inf" in forward
        await pilot.press("right_square_bracket", "right_square_bracket")  # loss, deltas
        await pilot.pause()
        assert MINUS_INF in table_cells(app, "forward")  # the loss: 0 − inf
        assert MINUS_INF in table_cells(app, "deltas")
        await pilot.press("end")
        await pilot.pause()
        updates = table_cells(app, "updates")
        assert {"inf", "nan", MINUS_INF} <= updates  # new weights, and gradients Z·δ
        diagram = app.query_one("#diagram", Static)
        drawn = plain(diagram)
        assert "inf" in drawn and "nan" in drawn and MINUS_INF in drawn
        network = region_text(app, app.query_one("#network"))
        assert "inf" in network and "nan" in network
        # The next sample starts from weights that are all inf or nan.
        await pilot.press("enter", "right")
        await pilot.pause()
        assert table_cells(app, "forward") & {"inf", "nan"}
        assert app.is_running


async def test_stepping_back_across_the_overflow_restores_the_screen() -> None:
    app = TutorApp(lr_1e6())  # Pilot at its own pace here: a handful of keys
    async with app.run_test(size=WIDE) as pilot:
        for _ in range(4):
            await pilot.press("end", "enter")
        before = await settled(app, pilot)
        assert t("header.overflow") in before.splitlines()[0]
        await pilot.press("end", "enter", "end")  # into the next sample, all nan
        assert "nan" in await settled(app, pilot)
        await pilot.press("home", "left", "home")  # back to the start of the first overflow
        assert await settled(app, pilot) == before
        await pilot.press("left")  # the last step of the last finite iteration
        assert shown_place(app).walkthrough.finite
        assert t("header.overflow") not in (await settled(app, pilot)).splitlines()[0]
        assert app.is_running


async def test_the_overflow_warning_is_visible_at_80x24(fast_keys: None) -> None:
    """On a small terminal the header is cut, but the warning must still be on screen."""
    app = TutorApp(lr_1e6())
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(4):
            await pilot.press("end", "enter")
        seen = await walk_through(app, pilot, 1, screens=True)
    assert all(not s.finite for s in seen)
    hidden = [s.k for s in seen if "overflowed" not in s.screen]
    assert hidden == [], f"no overflow warning on screen at steps {hidden}"
