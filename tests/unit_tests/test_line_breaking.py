"""Line breaks for the explanation pane: English at spaces, Chinese by its own rules."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tui.i18n import set_language, t
from tui.line_breaking import NO_END, NO_START, line_spans, wrap


def test_english_breaks_at_spaces_like_rich() -> None:
    text = "Z1 adds up the value of every unit that feeds it, each times the weight of its link."
    assert wrap(text, 30) == [
        "Z1 adds up the value of every",
        "unit that feeds it, each times",
        "the weight of its link.",
    ]


def test_no_line_starts_with_closing_punctuation() -> None:
    # Rich broke this at 80x24 (step 0, --lang zh) before "）。", which then stood alone.
    text = "网络从本课的权重开始。按 →（或空格）计算前向传播的第一个单元（按 ? 看帮助）。"
    for width in range(6, 60):
        lines = wrap(text, width)
        assert "".join(line.replace(" ", "") for line in lines) == text.replace(" ", "")
        for line in lines[1:]:
            assert line[0] not in NO_START, (width, lines)
        for line in lines[:-1]:
            assert line[-1] not in NO_END, (width, lines)
        assert all(cell_len(line) <= width for line in lines), (width, lines)


def test_a_formula_in_chinese_text_is_not_split() -> None:
    # Rich gave "（δ = o −" / "y）" at step 22.
    text = "对于输出单元，改正后的 δ 就是预测减去目标（δ = o − y），所以更新沿着误差下降。"
    for width in range(16, 50):
        lines = wrap(text, width)
        assert any("δ = o − y" in line for line in lines), (width, lines)
        assert not any(line.endswith("−") for line in lines)


def test_a_formula_wider_than_the_line_breaks_at_its_spaces_and_loses_nothing() -> None:
    text = "这里 D0 = 4 + 3·X1 + 3·X2 是线性的。"
    lines = wrap(text, 10)
    assert all(cell_len(line) <= 10 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert lines[:3] == ["这里 D0 =", "4 + 3·X1 +", "3·X2 是线"]  # at spaces, not in "3·X1"


def test_a_word_wider_than_the_line_is_cut_into_pieces_not_dropped() -> None:
    assert wrap("abcdefghijklmnopqrstuvwxyz", 10) == ["abcdefghij", "klmnopqrst", "uvwxyz"]
    assert wrap("一二三四五六七", 5) == ["一二", "三四", "五六", "七"]


def test_spans_index_the_paragraph_and_drop_the_spaces_at_a_break() -> None:
    text = "one two three"
    spans = line_spans(text, 7)
    assert [text[a:b] for a, b in spans] == ["one two", "three"]
    assert line_spans("", 10) == [(0, 0)]


@pytest.mark.parametrize("width", [40, 58, 78, 118])
def test_every_chinese_explanation_obeys_the_rules(width: int) -> None:
    """Every catalogue message (the explanation's words among them), at the pane's widths."""
    set_language("zh")
    try:
        from tui.i18n import zh

        for key, message in zh.MESSAGES.items():
            if "{" in message:
                continue
            for line in wrap(t(key), width)[1:]:
                assert not line or line[0] not in NO_START, (key, width, line)
    finally:
        set_language("en")
