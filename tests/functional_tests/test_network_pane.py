"""The network pane at the sizes a learner uses: the whole network can be read, by fitting
it or by scrolling it with keys, and the current step's unit is always in view."""

from __future__ import annotations

import pytest
from textual.containers import ScrollableContainer

from engine import Init, Scenario
from tests.functional_tests.conftest import make_app, settled, walked
from tests.screen_text import screen_text
from tui.app import TutorApp

XOR_INPUTS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))


def deep() -> Scenario:
    """The issue's lesson: two hidden layers, ``layers = [2, 3, 2, 1]``, learning XOR."""
    return Scenario(
        name="deep", layers=(2, 3, 2, 1), activations=("sigmoid",) * 3, loss="cross_entropy",
        learning_rate=1.0, update="batch", init=Init(kind="random", seed=0),
        inputs=XOR_INPUTS, targets=((0.0,), (1.0,), (1.0,), (0.0,)),
    )


def wide() -> Scenario:
    """64 inputs: the diagram's large drawing, in windows."""
    return Scenario(
        name="wide", layers=(64, 8, 1), activations=("sigmoid", "sigmoid"),
        loss="cross_entropy", learning_rate=1.0, update="online",
        init=Init(kind="random", seed=0),
        inputs=(tuple(float(i % 3 == 0) for i in range(64)),), targets=((1.0,),),
    )


def network_text(app: TutorApp) -> str:
    """What the screen shows inside the network pane."""
    region = app.query_one("#network").region
    lines = screen_text(app).splitlines()[region.y : region.y + region.height]
    return "\n".join(line[region.x : region.x + region.width] for line in lines)


def footer(app: TutorApp) -> str:
    return screen_text(app).splitlines()[-1]


def pane(app: TutorApp) -> ScrollableContainer:
    return app.query_one("#network", ScrollableContainer)


async def to_step(app: TutorApp, pilot, phase: str, target: str) -> None:  # type: ignore[no-untyped-def]
    """Step forward to the first step of ``phase`` about ``target``."""
    w = app.lesson.walkthrough()
    k = next(s.index for s in w.steps if s.phase == phase and s.target == target)
    while app.lesson.place.k < k:
        await pilot.press("right")
    await settled(app, pilot)


async def test_two_hidden_layers_at_120x36_draw_the_output_and_scroll_by_keys() -> None:
    """At 120x36 the diagram ended at "Y1 … ─┼─→": D0 was never drawn, no key scrolled it."""
    app = TutorApp(deep())
    async with app.run_test(size=(120, 36)) as pilot:
        await walked(app, pilot)
        await to_step(app, pilot, "forward", "D0")
        shown = network_text(app)
        assert "▶D0 0.46475*" in shown  # D0's value, on screen, marked as the current step
        assert "w Y0▄−0.3163" in shown  # its weights, each by the unit it comes from
        assert pane(app).max_scroll_x == 0  # as wide as the pane: packed tighter
        # taller than its pane: the keys that scroll it are in the footer, and they work
        assert pane(app).max_scroll_y > 0 and "↑↓ Scroll" in footer(app)
        assert "hidden 1" not in shown  # the heading scrolled away to show D0
        for _ in range(pane(app).max_scroll_y):
            await pilot.press("up")
        await settled(app, pilot)
        top = network_text(app)
        assert "input" in top and "hidden 1" in top and "Z0 1" in top
        await pilot.press("down", "down")
        assert pane(app).scroll_y == 2
        assert app.lesson.place.k == next(  # the arrows scroll; they do not step
            s.index for s in app.lesson.walkthrough().steps if s.target == "D0")
        # the next step brings its unit back into view
        await pilot.press("right")
        assert "▶E = " in network_text(app) or "▶D0" in network_text(app)


async def test_the_drawing_follows_the_terminal_width() -> None:
    """Spacious at 200x50, packed tighter once the terminal is 120 wide."""
    app = TutorApp(deep())
    async with app.run_test(size=(200, 50)) as pilot:
        await walked(app, pilot)
        await to_step(app, pilot, "forward", "D0")
        spacious = app.query_one("#diagram").size.width
        assert spacious > 100 and pane(app).max_scroll_x == 0
        await pilot.resize_terminal(120, 36)
        await settled(app, pilot)
        assert app.query_one("#diagram").size.width <= 79 < spacious
        assert "▶D0 0.46475*" in network_text(app) and pane(app).max_scroll_x == 0


async def test_the_article_at_80x24_fits_and_names_each_weights_source() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        shown = await settled(app, pilot)
        assert "w X0▆1 X1▆1 X2▆1" in shown and "w Z0▆1 Z1▆1 Z2▆1 Z3▆1" in shown
        assert "▂▄▆█ weight: blue +, orange −" in shown
        # it fits: nothing to scroll, so no scroll key, and ↑ does nothing
        assert pane(app).max_scroll_x == pane(app).max_scroll_y == 0
        assert "Scroll" not in footer(app)
        await pilot.press("up")
        assert app.lesson.place.k == -1 and pane(app).scroll_y == 0


@pytest.mark.parametrize(("phase", "target"), [("forward", "Z3"), ("forward", "D0"),
                                               ("backward", "Z3"), ("update", "Z3->D0")])
async def test_at_60x18_the_current_unit_is_in_view(phase: str, target: str) -> None:
    """The pane has a few rows at 60x18: it scrolls to the step's unit."""
    app = make_app()
    async with app.run_test(size=(60, 18)) as pilot:
        await walked(app, pilot)
        await to_step(app, pilot, phase, target)
        await pilot.press("1")  # the network pane (the pane bar follows the phase)
        await settled(app, pilot)
        unit = target.split("->")[-1]
        assert f"▶{unit} " in network_text(app)
        assert max(len(line.rstrip()) for line in network_text(app).splitlines()) <= 60
        assert pane(app).max_scroll_x == 0  # packed to the width: only rows to scroll


async def test_a_wide_lesson_at_80x24_shows_the_current_unit() -> None:
    """64 inputs: the windows of the large drawing, each δ under its value, fit 80 columns."""
    app = TutorApp(wide())
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")  # to the loss
        await to_step(app, pilot, "backward", "D0")
        await pilot.press("1")
        await settled(app, pilot)
        shown = network_text(app)
        assert "▶D0 0." in shown and "δ " in shown
        assert pane(app).max_scroll_x == 0


async def test_ascii_at_60x18_scrolls_the_diagram_without_block_characters() -> None:
    """--ascii: the bars are ASCII, and the scrolling pane draws no block scrollbar."""
    app = make_app(ascii_only=True)
    async with app.run_test(size=(60, 18)) as pilot:
        await walked(app, pilot)
        await to_step(app, pilot, "update", "Z3->D0")
        await pilot.press("1")
        await settled(app, pilot)
        assert pane(app).max_scroll_y > 0
        text = network_text(app)
        assert text.isascii(), [c for c in text if not c.isascii()][:5]
        assert ">D0 4  " in network_text(app) or ">D0 4" in network_text(app)
        assert "[Z3|1.4']" in network_text(app)


async def test_at_120x36_the_article_leaves_the_explanation_its_room() -> None:
    """Beside the explanation the diagram takes the narrowest drawing that fits its lines:
    the weights' names make the spacious one 76 cells wide, the pane then took 80 of 120."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await walked(app, pilot)
        await pilot.press("end")
        await settled(app, pilot)
        assert pane(app).max_scroll_x == pane(app).max_scroll_y == 0
        assert pane(app).size.width <= 66 and app.query_one("#explanation").size.width >= 50
        shown = network_text(app)
        assert "w Z0▆1.4′ Z1▆1.4′" in shown and "Z2▆1.4′ [Z3▆1.4′]" in shown


async def test_at_60x18_two_hidden_layers_scroll_sideways_by_keys() -> None:
    """Too wide even packed tight (75 cells in 57): the pane follows the step across, and
    shift+← → scroll it."""
    app = TutorApp(deep())
    async with app.run_test(size=(60, 18)) as pilot:
        await walked(app, pilot)
        await to_step(app, pilot, "forward", "D0")
        await pilot.press("1")
        await settled(app, pilot)
        assert pane(app).max_scroll_x > 0 and app.lesson_screen.network_overflow == (True, True)
        assert "▶D0 0.46475*" in network_text(app)  # followed to the right
        x = pane(app).scroll_x
        await pilot.press("shift+left")
        assert pane(app).scroll_x == max(0, x - 8)
        await pilot.press("shift+left", "shift+left", "shift+left", "shift+left")
        assert pane(app).scroll_x == 0 and "▶D0" not in network_text(app)
        await pilot.press("shift+right")
        assert pane(app).scroll_x == 8
