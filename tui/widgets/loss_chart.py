"""The loss per epoch: bars over every epoch run, the scale they are drawn on, and the numbers.

Bars show the shape (falling, flat, exploding); the lines under them give the scale and the
exact values the bars never show. A loss that spans orders of magnitude is drawn on a log
scale, or a linear chart pins every bar but the largest to the bottom (xor-sigmoid's 1.74 →
0.0127) or to the top (the article's 728 → 4·10¹⁹⁹). A signed loss (the article's y − o) is
drawn by its size, |loss|: more negative is worse, not better. Overflowed losses (inf, nan)
have no height: their columns show a cross, and a warning counts them. The epoch where every
sample is first on its target's side of 0.5 is marked under the bars.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.app import RenderResult as WidgetRender
from textual.color import Color
from textual.widget import Widget
from textual.widgets import Static

from engine.numbers import fmt
from tui.glyphs import glyphs
from tui.i18n import t

#: Bar heights in eighths of a cell, low to high, and their ASCII stand-ins.
BARS = "▁▂▃▄▅▆▇█"
ASCII_BARS = "_.-:=+*#"
#: A log scale is used when the largest loss drawn is at least this many times the smallest.
LOG_SPAN = 100.0

Scale = Literal["linear", "log"]


@dataclass(frozen=True)
class ChartData:
    """What the bars draw: one height value per epoch (None: overflowed), and how."""

    values: list[float | None]
    """Per epoch, the number whose height is drawn (already on the scale), or None."""
    scale: Scale
    magnitude: bool
    """True when the bars are the loss's size |loss| (some loss was negative)."""
    low: float
    """The smallest and largest loss drawn (as losses, not on the scale); nan if none."""
    high: float


def chart_data(losses: np.ndarray) -> ChartData:
    """The heights to draw for ``losses``: |loss| when a loss is negative; a log scale when
    the finite losses drawn span :data:`LOG_SPAN` or more (zeros are drawn at the bottom)."""
    values = np.asarray(losses, dtype=np.float64)
    finite = np.isfinite(values)
    magnitude = bool((values[finite] < 0).any())
    drawn = np.abs(values) if magnitude else values
    shown = drawn[finite]
    if shown.size == 0:
        return ChartData([None] * values.size, "linear", magnitude, float("nan"), float("nan"))
    low, high = float(shown.min()), float(shown.max())
    positive = shown[shown > 0]
    log = (
        bool(low >= 0)
        and positive.size >= 2
        and float(positive.max()) >= LOG_SPAN * float(positive.min())
    )
    if log:
        with np.errstate(all="ignore"):
            heights = np.log10(np.maximum(drawn, float(positive.min())))
    else:
        heights = drawn
    out = [None if not ok else v for ok, v in zip(finite.tolist(), heights.tolist())]
    return ChartData(out, "log" if log else "linear", magnitude, low, high)


def columns(count: int, width: int) -> list[range]:
    """The epochs each of ``width`` columns stands for: consecutive runs of about
    ``count / width`` epochs, or, for fewer epochs than columns, each epoch over several."""
    return [
        range(start, max(start + 1, (c + 1) * count // width))
        for c, start in ((c, c * count // width) for c in range(width))
    ]


def column_of(epoch: int, count: int, width: int) -> int:
    """The first column that draws ``epoch`` (counted from 0) of ``count``."""
    return next(c for c, run in enumerate(columns(count, width)) if epoch < run.stop)


class LossBars:
    """The bars, ``height`` lines of them (the last line the solved mark when there is one):
    each column's height is the largest loss of its epochs; a column whose every epoch
    overflowed shows a cross on its bottom line."""

    def __init__(self, data: ChartData, width: int, height: int, solved_at: int | None,
                 low: Color, high: Color, error: Style, ascii_only: bool) -> None:
        self.data = data
        self.width = max(1, width)
        self.height = max(1, height)
        self.solved_at = solved_at
        self.low, self.high, self.error = low, high, error
        self.ascii_only = ascii_only

    def lines(self) -> list[list[Segment]]:
        """The chart, line by line, top first."""
        values, width = self.data.values, self.width
        mark = self.solved_at is not None and self.solved_at < len(values) and self.height > 1
        rows = self.height - mark
        bars = ASCII_BARS if self.ascii_only else BARS
        if not values:
            return [[Segment(" " * width)]] * (rows - 1) + [[Segment(bars[0] * width)]]
        cross = "x" if self.ascii_only else "×"
        finite = [v for v in values if v is not None]
        bottom, top = (min(finite), max(finite)) if finite else (0.0, 0.0)
        extent = top - bottom or 1.0
        eighths = len(bars) * rows - 1
        heights: list[tuple[int, Style] | None] = []
        for run in columns(len(values), width):
            seen = [v for v in (values[k] for k in run) if v is not None]
            if not seen:
                heights.append(None)
                continue
            ratio = (max(seen) - bottom) / extent
            style = Style(color=self.low.blend(self.high, ratio).rich_color)
            heights.append((int(ratio * eighths), style))
        out: list[list[Segment]] = []
        for line in reversed(range(rows)):
            lo, hi = line * len(bars), (line + 1) * len(bars)
            segments: list[Segment] = []
            for height in heights:
                if height is None:
                    segments.append(Segment(cross if line == 0 else " ", self.error))
                elif height[0] < lo:
                    segments.append(Segment(" "))
                else:
                    index, style = height
                    segments.append(Segment(bars[-1] if index >= hi else bars[index - lo],
                                            style))
            out.append(segments)
        if mark:
            assert self.solved_at is not None
            at = column_of(self.solved_at, len(values), width)
            arrow = "^" if self.ascii_only else "▲"
            out.append([Segment(" " * at), Segment(arrow, Style(bold=True)),
                        Segment(" " * (width - at - 1))])
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for n, line in enumerate(self.lines()):
            if n:
                yield Segment.line()
            yield from line


class LossPlot(Widget):
    """The bars of :class:`LossBars`, coloured from the theme like Textual's Sparkline."""

    COMPONENT_CLASSES = {"lossplot--low", "lossplot--high", "lossplot--overflow"}
    DEFAULT_CSS = """
    LossPlot > .lossplot--low { color: $primary 30%; }
    LossPlot > .lossplot--high { color: $primary; }
    LossPlot > .lossplot--overflow { color: $text-error; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data = chart_data(np.empty(0))
        self.solved_at: int | None = None

    def plot(self, data: ChartData, solved_at: int | None) -> None:
        """Draw these heights, with the solved mark at this epoch (None: no mark)."""
        self.data, self.solved_at = data, solved_at
        self.refresh()

    def render(self) -> WidgetRender:
        """The bars at the widget's size."""
        _, base = self.background_colors

        def colour(name: str) -> Color:
            return base + self.get_component_styles(name).color

        error = Style(color=colour("lossplot--overflow").rich_color, bold=True)
        return LossBars(self.data, self.size.width, self.size.height, self.solved_at,
                        colour("lossplot--low"), colour("lossplot--high"), error,
                        glyphs().ascii_only)


def scale_line(data: ChartData) -> str:
    """Which scale the bars use, and the losses at their bottom and top."""
    if not data.values or np.isnan(data.low):
        return ""
    key = f"train.chart.scale.{data.scale}" + (".magnitude" if data.magnitude else "")
    return t(key, low=fmt(data.low), high=fmt(data.high))


def solved_line(solved_at: int | None) -> str:
    """The mark's meaning: after how many epochs every sample was on the right side."""
    if solved_at is None:
        return ""
    return t("train.chart.solved", mark="^" if glyphs().ascii_only else "▲", epochs=solved_at)


def loss_summary(losses: np.ndarray) -> str:
    """First, last and smallest loss and the number of epochs, in the one number format."""
    values = np.asarray(losses, dtype=np.float64)
    if values.size == 0:
        return t("train.chart.empty")
    finite = values[np.isfinite(values)]
    smallest = float(finite.min()) if finite.size else float("nan")
    return t(
        "train.chart.summary",
        first=fmt(float(values[0])),
        last=fmt(float(values[-1])),
        min=fmt(smallest),
        epochs=values.size,
    )


def overflow_note(losses: np.ndarray) -> str:
    """A warning naming how many epoch losses overflowed; empty when none did."""
    values = np.asarray(losses, dtype=np.float64)
    count = int((~np.isfinite(values)).sum())
    if count == 0:
        return ""
    cross = "x" if glyphs().ascii_only else "×"
    return t("train.chart.overflow", count=count, epochs=values.size, mark=cross)


class LossChart(Widget):
    """The bars, the scale, the solved mark's meaning, a summary line, and a warning line when
    a loss overflowed."""

    DEFAULT_CSS = """
    LossChart {
        height: 1fr;
        layout: vertical;
    }
    LossChart > LossPlot {
        height: 1fr;
        min-height: 1;
    }
    LossChart > Static {
        height: auto;
    }
    LossChart > #loss-overflow {
        color: $text-error;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.losses = np.empty(0)
        self.solved_at: int | None = None

    def compose(self) -> ComposeResult:
        """Chart on top, numbers under it."""
        yield LossPlot(id="loss-plot")
        for name in ("loss-scale", "loss-solved", "loss-overflow"):
            line = Static("", id=name, markup=False)
            line.display = False
            yield line
        yield Static(loss_summary(self.losses), id="loss-summary", markup=False)

    def show(self, losses: np.ndarray, solved_at: int | None = None) -> None:
        """Draw a new list of epoch losses (every epoch so far, not only the latest run) and
        the epoch, counted from 0 over the same list, where every sample was first on the
        right side of 0.5 (None: not yet)."""
        self.losses = np.asarray(losses, dtype=np.float64)
        self.solved_at = solved_at
        data = chart_data(self.losses)
        self.query_one(LossPlot).plot(data, solved_at)
        self.query_one("#loss-summary", Static).update(loss_summary(self.losses))
        for name, text in (("loss-scale", scale_line(data)),
                           ("loss-solved", solved_line(solved_at)),
                           ("loss-overflow", overflow_note(self.losses))):
            line = self.query_one(f"#{name}", Static)
            line.update(text)
            line.display = bool(text)

