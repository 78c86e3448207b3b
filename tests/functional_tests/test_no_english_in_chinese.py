"""Under --lang zh nothing English is left (issue 12): the command palette's own entries, the
editor's choices, and the help's key column, at 80x24."""

from __future__ import annotations

import re

import pytest

from engine.scenario import ACTIVATION_NAMES, INIT_KINDS, LOSS_NAMES, UPDATE_MODES
from tests.functional_tests.conftest import make_app, settled, walked
from tui.i18n import set_language
from tui.screens.editor import choice_label

SIZE = (80, 24)
CJK = re.compile(r"[\u4e00-\u9fff]")


async def test_the_palette_s_own_commands_are_in_chinese() -> None:
    set_language("zh")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walked(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        text = await settled(app, pilot)
        assert "搜索命令……" in text
        for english in ("Search for commands", "Theme", "Quit", "Keys", "Screenshot"):
            assert english not in text, english
        # Typed, a command is found by its Chinese name, and its help is Chinese too.
        await pilot.press(*"主题")
        await pilot.pause(0.3)
        text = await settled(app, pilot)
        assert "主题" in text and "更换界面配色" in text
        assert "Change the current theme" not in text


@pytest.mark.parametrize(("typed", "name", "help_text"), [
    ("退出", "退出", "关闭程序"),
    ("按键", "按键", "列出本屏幕的按键"),
    ("截图", "截图", "SVG 图片"),
])
async def test_each_of_the_palette_s_own_commands_is_found_in_chinese(
        typed: str, name: str, help_text: str) -> None:
    set_language("zh")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walked(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*typed)
        await pilot.pause(0.3)
        text = await settled(app, pilot)
        assert name in text and help_text in text


async def test_the_palette_s_theme_picker_searches_in_chinese() -> None:
    set_language("zh")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walked(app, pilot)
        app.search_themes()
        await pilot.pause(0.2)
        text = await settled(app, pilot)
        assert "搜索主题……" in text and "Search for themes" not in text


async def test_the_palette_in_english_still_says_it_in_english() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walked(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        text = await settled(app, pilot)
        assert "Search for commands…" in text


async def test_the_editor_s_choices_have_their_chinese_names() -> None:
    set_language("zh")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walked(app, pilot)
        await pilot.press("e")
        await pilot.pause(0.2)
        text = await settled(app, pilot)
        for shown in ("identity  恒等函数 f(z) = z", "article_error  原文的带符号误差 y − o",
                      "online  在线：每个样本更新一次", "constant  常数：所有权重相同"):
            assert shown in text, shown


def test_every_choice_of_the_editor_is_named_in_chinese_beside_its_identifier() -> None:
    set_language("zh")
    for name in (*ACTIVATION_NAMES, *LOSS_NAMES, *UPDATE_MODES, *INIT_KINDS):
        label = choice_label(name)
        assert label.startswith(f"{name}  ") and CJK.search(label), label
    set_language("en")
    assert choice_label("article_error") == "article_error  the article's signed error y − o"


async def test_the_help_s_key_column_is_not_cut_in_chinese() -> None:
    """Every key of the help's table is on screen whole, on the row of its meaning; and every
    meaning whole too."""
    set_language("zh")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walked(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause(0.2)
        seen = ""
        for _ in range(6):  # scroll through the table of keys
            seen += await settled(app, pilot)
            await pilot.press("pagedown")
        for keys, meaning in (("← Backspace p", "上一步"), ("] PageDown", "跳到本阶段末尾"),
                              ("Home / End", "本次迭代的第一步"), ("ctrl+p", "命令面板"),
                              ("→ Space n", "下一步")):
            assert re.search(rf"{re.escape(keys)}\s*│?\s*{meaning}", seen), keys
        # A meaning with no space to wrap at folds onto the next line, never ends in "…".
        assert "训练得到的权重继续逐步演示" in seen and "式、初始权重" in seen
