"""Symbols explained on screen: the article's update column, the glossary (g, and from the
help), the activations and batch updates in the explanation, an edited lesson's start."""

from __future__ import annotations

from tests.functional_tests.conftest import make_app, pane_text, settled, walked
from tests.functional_tests.test_lesson_changes import edit
from tui.screens.glossary import GlossaryScreen
from tui.screens.help import HelpScreen


async def test_the_article_lessons_update_column_holds_the_articles_z_delta() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await walked(app, pilot)
        await pilot.press("end")
        text = await settled(app, pilot)
        assert "article's Z·δ" in text and "gradient Z·δ" not in text
        explanation = pane_text(app, "#explanation")
        assert "Z3·δ(D0) = −4, but ∂E/∂w = 4" in explanation
        await pilot.press("c")  # the corrected lesson: Z·δ is the gradient there
        text = await settled(app, pilot)
        assert "gradient Z·δ" in text and "article's Z·δ" not in text
        assert "minus the true one" not in pane_text(app, "#explanation")


async def test_every_update_step_of_the_article_reminds_what_z_delta_is() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await walked(app, pilot)
        for _ in range(11):  # step 11: X1->Z1, an update with no erratum note of its own
            await pilot.press("right")
        explanation = pane_text(app, "#explanation")
        assert "Weight update: link X1->Z1" in explanation
        assert "X1·δ(Z1) = 0, but ∂E/∂w = 0" in explanation
        assert "the column holds the article's Z·δ" in explanation


async def test_g_opens_the_glossary_from_the_lesson_and_from_the_help() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        text = await settled(app, pilot)
        assert "Glossary" in text and "bias unit" in text
        assert "Escape or g closes the glossary" in text
        await pilot.press("g")
        await pilot.pause()
        assert app.screen is app.lesson_screen
        await pilot.press("question_mark")
        await pilot.pause()
        assert "g opens the glossary" in await settled(app, pilot)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        await pilot.press("escape")  # back to the help it was opened from
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and not isinstance(app.screen, GlossaryScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.lesson_screen


async def test_the_glossary_in_chinese() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        await pilot.press("l")
        await pilot.press("g")
        text = await settled(app, pilot)
        assert "术语表" in text and "偏置单元" in text and "按 Escape 或 g 关闭术语表" in text


def test_the_glossary_explains_every_symbol_the_screens_use() -> None:
    from tui.i18n import set_language
    from tui.screens.help import help_text

    for language in ("en", "zh"):
        set_language(language)
        text = help_text("glossary")
        for symbol in ("δ", "α", "**Z**", "f′", "**E**", "J′(W)", "Σ", "∂E/∂w", "▶", "!!"):
            assert symbol in text, (language, symbol)
    set_language("en")
    text = help_text("glossary")
    for word in ("gradient", "bias unit", "epoch", "iteration", "learning rate", "activation",
                 "loss", "online", "batch"):
        assert f"**{word}" in text, word


async def test_xor_sigmoid_explains_sigmoid_and_the_batch_update() -> None:
    app = make_app("xor-sigmoid")
    async with app.run_test(size=(120, 36)) as pilot:
        await walked(app, pilot)
        for _ in range(4):  # D0 of sample 0
            await pilot.press("right")
        explanation = pane_text(app, "#explanation")
        assert "σ(z) = 1/(1 + e^(−z)) = 1/(1 + e^(3.4035)) = 0.032185" in explanation
        await pilot.press("right", "right")  # δ(D0)
        explanation = pane_text(app, "#explanation")
        assert "σ′(z) = σ(z)·(1 − σ(z)) = 0.032185·0.96781 = 0.031149" in explanation
        assert "leaving δ(D0) = D0 − y" in explanation
        await pilot.press("end")
        explanation = pane_text(app, "#explanation")
        assert "show sample 3, (1, 1) → 0, the batch's last" in explanation
        assert "the mean of Z·δ over all 4 samples" in explanation


async def test_after_an_edit_the_start_says_the_lesson_was_changed() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        assert "You changed" not in pane_text(app, "#explanation")
        await edit(app, pilot, lr="0.5")
        await walked(app, pilot)
        explanation = pane_text(app, "#explanation")
        assert "You changed this lesson (α 0.5)" in explanation
        assert "The network starts with the weights of this lesson" in explanation


async def test_the_next_iteration_does_not_say_the_network_starts() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        await pilot.press("end", "enter")
        await pilot.pause()
        explanation = pane_text(app, "#explanation")
        assert "starts with the weights of this lesson" not in explanation
        assert "Iteration 2: the network carries on" in explanation
