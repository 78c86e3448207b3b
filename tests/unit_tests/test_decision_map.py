"""The decision map: what a learner reads off it for a network that learned XOR, one that
overflowed, in ASCII, and for a network it cannot draw."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Init, Scenario, builtin, train
from tui.i18n import set_language
from tui.widgets.decision_map import (
    ASCII_SHADES,
    INF_MARK,
    NAN_MARK,
    UNICODE_SHADES,
    decision_map_lines,
    input_square,
    map_geometry,
    sample_cells,
)

SIZE = {"width": 40, "height": 18}


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def xor_weights() -> list[np.ndarray]:
    return train(builtin("xor-sigmoid"), 2000).weights


def neighbours(lines: list[str], cell: tuple[int, int], grid: range) -> list[str]:
    """The shades left and right of a sample's mark (the mark itself shows the target)."""
    row, col = cell
    return [lines[row][c] for c in (col - 1, col + 1) if c in grid]


@pytest.mark.parametrize("ascii_only", [False, True])
def test_xor_sigmoid_map_is_low_at_the_zeros_and_high_at_the_ones(
    xor_weights: list[np.ndarray], ascii_only: bool
) -> None:
    s = builtin("xor-sigmoid")
    shades = ASCII_SHADES if ascii_only else UNICODE_SHADES
    lines = [t.plain for t in decision_map_lines(s, xor_weights, **SIZE, ascii_only=ascii_only)]
    geo = map_geometry(s, **SIZE, ascii_only=ascii_only)
    grid = range(geo.gutter, geo.gutter + geo.cols)
    cells = sample_cells(s, **SIZE, ascii_only=ascii_only)
    # Samples in order (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0, each marked with its target.
    assert [lines[r][c] for r, c in cells] == ["0", "1", "1", "0"]
    for cell, target in zip(cells, (0, 1, 1, 0)):
        expected = shades[-1] if target else shades[0]
        around = neighbours(lines, cell, grid)
        assert around and all(ch == expected for ch in around), (cell, target, around)
    # (0,0) at the bottom left, (1,1) at the top right: the top row is the highest X2.
    assert cells[0][0] > cells[1][0] and cells[0][1] < cells[2][1]
    # Both shades extremes are on the map, and nothing overflowed.
    body = "".join(line[geo.gutter :] for line in lines[: geo.rows])
    assert shades[0] in body and shades[-1] in body
    assert NAN_MARK not in body and INF_MARK not in body
    assert "nan" not in lines[-1] and "nan" not in lines[-2]


def test_map_labels_the_axes_with_the_padded_input_square(xor_weights) -> None:
    s = builtin("xor-sigmoid")
    assert input_square(s) == (pytest.approx((-0.1, -0.1)), pytest.approx((1.1, 1.1)))
    lines = [t.plain for t in decision_map_lines(s, xor_weights, **SIZE)]
    geo = map_geometry(s, **SIZE)
    assert lines[0].lstrip().startswith("1.1")
    assert lines[geo.rows - 1].lstrip().startswith("−0.1")
    assert "X2" in lines[geo.rows // 2]
    axis = lines[geo.rows + 1]
    assert axis.split() == ["−0.1", "X1", "1.1"]
    assert len(lines) <= SIZE["height"]
    assert all(len(line) <= SIZE["width"] for line in lines)
    legend = " ".join(lines[geo.rows + 2 :])
    assert "·<0.2" in legend and "█≥0.8" in legend and "0/1" in legend


def test_article_after_ten_epochs_draws_nan_cells_and_says_so() -> None:
    s = builtin("article")
    result = train(s, 10)
    assert not result.finite
    lines = [t.plain for t in decision_map_lines(s, result.weights, **SIZE)]
    geo = map_geometry(s, **SIZE)
    body = "".join(line[geo.gutter :] for line in lines[: geo.rows])
    assert set(body) <= {NAN_MARK, "0", "1"}
    legend = " ".join(lines[geo.rows + 2 :])
    assert f"{NAN_MARK} nan" in legend


def test_huge_and_infinite_outputs_still_draw() -> None:
    """Identity outputs far outside [0, 1] are clipped for the shade; inf gets its own mark."""
    s = builtin("article")
    big = train(s, 1)  # finite, outputs around 1e8
    lines = [t.plain for t in decision_map_lines(s, big.weights, **SIZE)]
    geo = map_geometry(s, **SIZE)
    body = "".join(line[geo.gutter :] for line in lines[: geo.rows])
    assert UNICODE_SHADES[-1] in body and NAN_MARK not in body
    weights = [w.copy() for w in s.initial_weights()]
    weights[-1][0, 0] = np.inf
    lines = [t.plain for t in decision_map_lines(s, weights, **SIZE)]
    body = "".join(line[geo.gutter :] for line in lines[: geo.rows])
    assert INF_MARK in body
    assert f"{INF_MARK} inf" in " ".join(lines[geo.rows + 2 :])


def test_ascii_map_is_pure_ascii() -> None:
    s = builtin("article")
    for weights in (s.initial_weights(), train(s, 10).weights):
        lines = decision_map_lines(s, weights, **SIZE, ascii_only=True)
        text = "\n".join(t.plain for t in lines)
        assert text.isascii(), text


def test_layout_does_not_move_when_numbers_overflow() -> None:
    s = builtin("article")
    fine = decision_map_lines(s, s.initial_weights(), **SIZE)
    broken = decision_map_lines(s, train(s, 10).weights, **SIZE)
    assert len(fine) == len(broken)
    assert [t.plain[:5] for t in fine] == [t.plain[:5] for t in broken]


def test_three_inputs_give_one_line_instead_of_a_map() -> None:
    s = Scenario(
        name="three",
        layers=(3, 2, 1),
        activations=("sigmoid", "sigmoid"),
        loss="cross_entropy",
        learning_rate=1.0,
        update="batch",
        init=Init(kind="random", seed=1),
        inputs=((0.0, 0.0, 1.0), (1.0, 0.0, 0.0)),
        targets=((0.0,), (1.0,)),
    )
    lines = decision_map_lines(s, s.initial_weights(), **SIZE)
    assert len(lines) == 1
    assert "2 inputs" in lines[0].plain and "3" in lines[0].plain
