"""Table columns that fit the pane: the words give way, the numbers never; a cut cell ends
with "…"."""

from __future__ import annotations

from rich.cells import cell_len

from tui.widgets.step_table import MIN_WORDS, cut, fit_widths


def test_columns_that_fit_are_left_alone() -> None:
    assert fit_widths((1, 4, 8, 13, 20), (3, 4), 100) == (1, 4, 8, 13, 20)


def test_the_widest_word_column_gives_way_first_then_both_evenly() -> None:
    # xor-sigmoid's forward table at 120x36: 55 cells for marker, unit, value, formula and
    # the working (each with a cell of padding either side).
    fitted = fit_widths((1, 4, 8, 36, 60), (3, 4), 55)
    assert fitted[:3] == (1, 4, 8)  # the numbers never give way
    assert sum(w + 2 for w in fitted) == 55
    assert fitted[3:] == (16, 16)
    # Only the working needs to give way: the formula keeps its width.
    assert fit_widths((1, 4, 8, 13, 60), (3, 4), 60) == (1, 4, 8, 13, 24)


def test_a_table_too_narrow_for_the_words_cuts_them_below_their_minimum() -> None:
    fitted = fit_widths((1, 6, 8, 12, 8, 60), (5,), 55)
    assert fitted[5] < MIN_WORDS and sum(w + 2 for w in fitted) == 55


def test_a_cut_cell_ends_with_an_ellipsis_and_fits() -> None:
    text = "σ(0.12573·1 + (−0.1321)·1 + 0.64042·1) = σ(0.63305)"
    assert cut(text, 100) == text
    for width in range(2, 40):
        short = cut(text, width)
        assert short.endswith("…") and cell_len(short) <= width
    assert cut("第一个单元的公式", 7) == "第一个…"


def test_a_cut_cell_in_ascii_ends_with_three_dots() -> None:
    from tui.glyphs import use_ascii

    use_ascii(True)
    try:
        assert cut("sig(0.12573*1 + (-0.1321)*1)", 10) == "sig(0.1..."
    finally:
        use_ascii(False)
