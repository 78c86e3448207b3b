"""The training view's loss chart tells the story (issue 12): the article's explosion is seen
on a log scale, not pinned at the top; xor-sigmoid's solved epoch is marked. At 80x24, where
the pinned chart was seen."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.functional_tests.conftest import make_app
from tests.functional_tests.test_training_view import finish, open_training
from tests.screen_text import screen_text
from tui.app import TutorApp


def chart_lines(app: TutorApp) -> list[str]:
    """The left box's rows from the chart's top border down to the predictions box."""
    rows = screen_text(app).splitlines()
    top = next(i for i, row in enumerate(rows) if "Loss per epoch" in row or "每轮损失" in row)
    bottom = next(i for i, row in enumerate(rows) if "╭" in row and i > top)
    return [row.split("│")[1] if row.count("│") >= 2 else row for row in rows[top + 1:bottom]]


async def run(app: TutorApp, pilot: Pilot[None], *keys: str) -> None:
    screen = await open_training(app, pilot, [])
    await pilot.press(*keys, "enter")
    await finish(app, pilot, screen)


async def test_the_articles_loss_rises_on_a_log_scale_and_overflow_is_not_drawn_at_the_top(
) -> None:
    app = make_app("article")
    async with app.run_test(size=(80, 24)) as pilot:
        await run(app, pilot, "minus", "minus")  # 10 epochs: −728.54, −4.05e199, then nan
        lines = chart_lines(app)
        text = " ".join(" ".join(lines).split())
        assert "|loss|, log scale: 728.54 to 4.0469e+199" in text
        assert "(drawn as ×)" in text
        bars = [line for line in lines if line.strip() and set(line) <= set("▁▂▃▄▅▆▇█× ")]
        top, bottom = bars[0].strip(" "), bars[-1]
        # The first epoch is low, the second at the top, the eight overflowed ones crossed
        # on the bottom line and empty above it (they were all full-height bars).
        assert "×" not in top and "█" in top
        assert bottom.count("×") >= 8 * len(bottom.strip()) // 10 - 1
        assert bottom.strip().startswith("▁")


async def test_xor_sigmoid_marks_the_epoch_it_is_solved() -> None:
    app = make_app("xor-sigmoid")
    async with app.run_test(size=(80, 24)) as pilot:
        await run(app, pilot)  # the default 1000 epochs
        lines = chart_lines(app)
        text = " ".join(" ".join(lines).split())
        assert "log scale: 0.012684 to 1.7393" in text
        assert "▲ solved after 222 epochs: all on the right side of 0.5" in text
        mark = next(line for line in lines if line.strip() == "▲")
        # 1000 epochs over 32 columns: epoch 222 is in column 7 (epochs 218..249).
        assert mark.index("▲") - 1 == 7


async def test_the_chart_speaks_chinese() -> None:
    from tui.i18n import set_language

    set_language("zh")
    app = make_app("xor-sigmoid")
    async with app.run_test(size=(80, 24)) as pilot:
        await run(app, pilot)
        text = "".join("".join(chart_lines(app)).split())
        assert "对数刻度：0.012684至1.7393" in text
        assert "▲训练222轮后全部分类正确" in text
