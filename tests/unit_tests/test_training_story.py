"""Training tells the story: the epoch XOR is solved, and a loss chart that spans orders of
magnitude on a log scale (issue 12)."""

from __future__ import annotations

import numpy as np
import pytest
from rich.style import Style
from textual.color import Color

from engine import builtin, train
from engine.training import predict, right_side
from tui.glyphs import use_ascii
from tui.i18n import set_language
from tui.widgets.loss_chart import ChartData, LossBars, chart_data, columns, scale_line


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")
    use_ascii(False)


# --- solved_at, from the run's own outputs ---------------------------------------------------


def test_xor_sigmoid_is_solved_after_222_epochs() -> None:
    s = builtin("xor-sigmoid")
    y = s.target_array()
    assert train(s, 1000).solved_at == 222
    # 222 epochs exactly: the outputs that are all right are those of the 223rd epoch, not run.
    assert train(s, 222).solved_at is None
    assert train(s, 223).solved_at == 222
    # What it means: after 222 epochs every prediction is on its side of 0.5, after 221 not.
    assert right_side(predict(s, train(s, 222).weights), y).all()
    assert not right_side(predict(s, train(s, 221).weights), y).all()


def test_solved_at_does_not_depend_on_how_the_run_is_cut() -> None:
    s = builtin("xor-sigmoid")
    # Progress reports cut the run into chunks of 7 epochs; a second run goes on from a first.
    assert train(s, 500, progress=lambda _d, _l: None, report_every=7).solved_at == 222
    first = train(s, 100)
    assert first.solved_at is None
    assert train(s, 400, first.weights).solved_at == 122  # 100 + 122 = 222


def test_lessons_that_never_solve_xor_say_so() -> None:
    assert train(builtin("article"), 50).solved_at is None  # overflows: nan is on no side
    assert train(builtin("article-corrected"), 500).solved_at is None  # linear: all near 0.5


def test_right_side_puts_nan_on_neither_side() -> None:
    outputs = np.array([[0.2], [0.7], [np.nan], [np.nan]])
    targets = np.array([[0.0], [1.0], [0.0], [1.0]])
    assert right_side(outputs, targets).tolist() == [True, True, False, False]


def test_targets_other_than_0_and_1_have_no_side() -> None:
    s = builtin("xor-sigmoid").with_changes(targets=((0.0,), (0.75,), (1.0,), (0.0,)))
    assert train(s, 1000).solved_at is None


# --- the chart's scale -------------------------------------------------------------------------


def test_xor_sigmoid_losses_are_drawn_on_a_log_scale() -> None:
    losses = train(builtin("xor-sigmoid"), 1000).losses
    data = chart_data(losses)
    assert data.scale == "log" and not data.magnitude
    assert data.values[0] == pytest.approx(np.log10(1.7393160411538116))
    assert scale_line(data) == "log scale: 0.012684 to 1.7393"


def test_a_narrow_span_stays_linear() -> None:
    data = chart_data(np.array([0.5, 0.4, 0.3]))
    assert data.scale == "linear"
    assert data.values == [0.5, 0.4, 0.3]
    assert scale_line(data) == "linear scale: 0.3 to 0.5"


def test_the_article_is_drawn_by_size_on_a_log_scale_and_overflow_has_no_height() -> None:
    losses = train(builtin("article"), 10).losses  # −728.54, −4.05e199, then nan
    data = chart_data(losses)
    assert data.scale == "log" and data.magnitude
    assert data.values[0] == pytest.approx(np.log10(728.537568), rel=1e-6)
    assert data.values[1] == pytest.approx(199.607, abs=1e-3)
    assert data.values[2:] == [None] * 8
    assert scale_line(data) == "|loss|, log scale: 728.54 to 4.0469e+199"


def lines(data: ChartData, width: int, height: int, solved: int | None = None) -> list[str]:
    bars = LossBars(data, width, height, solved, Color(0, 0, 0), Color(255, 255, 255),
                    Style(), ascii_only=False)
    return ["".join(segment.text for segment in line) for line in bars.lines()]


def test_the_articles_bars_rise_then_overflow_instead_of_all_at_the_top() -> None:
    # The per-iteration losses of the article's first epoch: 4 → 10.48 → 46.87 → 2852.8, then
    # overflow. On a linear scale all but the last would be drawn flat at the bottom.
    data = chart_data(np.array([-4.0, -10.48, -46.87, -2852.8, np.nan]))
    drawn = lines(data, 5, 2)
    # log10 of 4, 10.48, 46.87, 2852.8: 0.60, 1.02, 1.67, 3.46; 15 eighths from bottom to top.
    assert drawn == [
        "   █ ",
        "▁▃▆█×",
    ]


def test_the_solved_epoch_is_marked_under_its_column() -> None:
    data = chart_data(np.linspace(2.0, 1.0, 1000))
    drawn = lines(data, 10, 3, solved=222)
    assert drawn[-1] == "  ▲       "  # epochs 200..299 are column 2
    assert columns(1000, 10)[2] == range(200, 300)
    assert columns(3, 6) == [range(0, 1), range(0, 1), range(1, 2), range(1, 2), range(2, 3),
                             range(2, 3)]
