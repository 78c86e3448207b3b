"""The decision map: the network's first output over the input square, as a text heat map.

TensorFlow Playground's picture, in characters: each cell's shade says how high the output is,
so it reads without colour (the colour, blue to red, only repeats it). The training samples sit
on the map as their target digit, so a learner sees at a glance whether each one lies in a
region of the right shade. The renderer is pure (no Textual): the widget, the tests and any
transcript draw the very same lines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from engine.numbers import fmt
from engine.scenario import Scenario
from engine.training import predict
from tui.glyphs import Glyphs, glyphs
from tui.i18n import t

#: Shades from low to high output: five levels, each 0.2 wide, the lowest still visible.
UNICODE_SHADES = "·░▒▓█"
ASCII_SHADES = ".:+*#"
#: Cells whose output overflowed: the shade cannot say anything about them.
NAN_MARK = "?"
INF_MARK = "!"
#: How far the drawn square reaches beyond the training inputs, as a share of their range.
PAD = 0.1
#: Terminal cells are about twice as tall as wide; a wider map than this only stretches it.
MAX_ASPECT = 3.0

LOW_COLOUR = (40, 90, 230)
HIGH_COLOUR = (220, 40, 40)
SAMPLE_STYLE = "bold reverse"
NON_FINITE_STYLE = Style(bold=True, color="bright_yellow", bgcolor="red")


@dataclass(frozen=True)
class _Marks:
    """The axis pieces of one drawing mode."""

    shades: str
    bar: str
    corner: str
    line: str


_UNICODE = _Marks(UNICODE_SHADES, "│", "└", "─")
_ASCII = _Marks(ASCII_SHADES, "|", "+", "-")


@dataclass(frozen=True)
class MapGeometry:
    """Where everything goes in a drawing of a given size; independent of the weights, so the
    map never jumps when an overflow adds entries to the legend."""

    lo: tuple[float, float]
    hi: tuple[float, float]
    rows: int
    cols: int
    gutter: int
    """Columns before the grid: the X2 labels and the axis bar."""
    legend_lines: int

    def cell_centres(self) -> np.ndarray:
        """The input point at the centre of every cell, row by row (top row = highest X2)."""
        x1 = self.lo[0] + (np.arange(self.cols) + 0.5) / self.cols * (self.hi[0] - self.lo[0])
        x2 = self.hi[1] - (np.arange(self.rows) + 0.5) / self.rows * (self.hi[1] - self.lo[1])
        g1, g2 = np.meshgrid(x1, x2)
        return np.column_stack([g1.ravel(), g2.ravel()])

    def cell_of(self, x1: float, x2: float) -> tuple[int, int]:
        """The (row, column) of the grid cell that contains an input point."""
        col = math.floor((x1 - self.lo[0]) / (self.hi[0] - self.lo[0]) * self.cols)
        row = math.floor((self.hi[1] - x2) / (self.hi[1] - self.lo[1]) * self.rows)
        return min(max(row, 0), self.rows - 1), min(max(col, 0), self.cols - 1)


def input_square(scenario: Scenario) -> tuple[tuple[float, float], tuple[float, float]]:
    """The span of the two inputs over the training set, padded a little on every side."""
    x = scenario.input_array()
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    lo, hi = lo - PAD * span, hi + PAD * span
    return (float(lo[0]), float(lo[1])), (float(hi[0]), float(hi[1]))


def output_grid(
    scenario: Scenario, weights: Sequence[np.ndarray], points: np.ndarray
) -> np.ndarray:
    """The first output for every input point at once: one forward pass over the whole grid."""
    return predict(scenario, weights, points)[:, 0]


def shade_level(values: np.ndarray, levels: int) -> np.ndarray:
    """Shade index per value: outputs below 0 or above 1 are clipped, so any value draws."""
    with np.errstate(invalid="ignore"):
        clipped = np.clip(np.nan_to_num(values, nan=0.0), 0.0, 1.0)
    return np.minimum((clipped * levels).astype(int), levels - 1)


def _colour(level: int, levels: int) -> Style:
    """Blue for low outputs to red for high ones: the same information as the shade."""
    f = level / max(1, levels - 1)
    rgb = [round(a + (b - a) * f) for a, b in zip(LOW_COLOUR, HIGH_COLOUR)]
    return Style(color=Color.from_rgb(*rgb))


def _target_digit(target: float) -> str:
    """The sample's mark: its target, rounded to the class it stands for."""
    return "1" if target >= 0.5 else "0"


def _legend_entries(m: _Marks, g: Glyphs, nan: bool, inf: bool) -> list[Text]:
    """Each shade with the outputs it stands for, then the marks that are in use."""
    n = len(m.shades)
    entries: list[Text] = []
    for i, shade in enumerate(m.shades):
        bound = f"<{fmt((i + 1) / n)}" if i < n - 1 else f"≥{fmt(i / n)}"
        entry = Text(shade, style=_colour(i, n))
        entry.append(g.text(bound))
        entries.append(entry)
    entries.append(Text(g.text(t("train.map.samples")), style="dim"))
    if nan:
        entries.append(Text.assemble((NAN_MARK, NON_FINITE_STYLE), " nan"))
    if inf:
        entries.append(Text.assemble((INF_MARK, NON_FINITE_STYLE), " inf"))
    return entries


def _wrap(entries: list[Text], width: int) -> list[Text]:
    """Entries on as few lines as fit, two spaces apart."""
    lines: list[Text] = [Text()]
    for entry in entries:
        line = lines[-1]
        if line.cell_len and line.cell_len + 2 + entry.cell_len > width:
            lines.append(Text())
            line = lines[-1]
        if line.cell_len:
            line.append("  ")
        line.append_text(entry)
    return lines


def _geometry(scenario: Scenario, width: int, height: int, ascii_only: bool) -> MapGeometry:
    m, g = (_ASCII if ascii_only else _UNICODE), Glyphs(ascii_only)
    lo, hi = input_square(scenario)
    # Room for the legend as it is with every mark in use, whatever the weights are now.
    legend_lines = len(_wrap(_legend_entries(m, g, True, True), width))
    y_labels = [g.text(fmt(hi[1])), "X2", g.text(fmt(lo[1]))]
    gutter = max(map(len, y_labels)) + 2  # the label, a space, the axis bar
    rows = max(1, height - legend_lines - 2)  # the x axis and its labels under the grid
    cols = max(1, min(width - gutter, round(MAX_ASPECT * rows)))
    return MapGeometry(lo, hi, rows, cols, gutter, legend_lines)


def map_geometry(
    scenario: Scenario, *, width: int, height: int, ascii_only: bool = False
) -> MapGeometry:
    """The layout :func:`decision_map_lines` uses for a drawing of this size."""
    return _geometry(scenario, width, height, ascii_only)


def sample_cells(
    scenario: Scenario, *, width: int, height: int, ascii_only: bool = False
) -> list[tuple[int, int]]:
    """(line, character) of each training sample's mark in the drawing."""
    geo = _geometry(scenario, width, height, ascii_only)
    cells = []
    for x1, x2 in scenario.input_array():
        row, col = geo.cell_of(float(x1), float(x2))
        cells.append((row, geo.gutter + col))
    return cells


def decision_map_lines(
    scenario: Scenario,
    weights: Sequence[np.ndarray],
    *,
    width: int,
    height: int,
    ascii_only: bool = False,
) -> list[Text]:
    """The heat map of the first output over the input square, at most ``width`` × ``height``.

    Only a network with exactly two inputs has a square to draw; any other gets one line that
    says so. Outputs outside [0, 1] are clipped for the shade; inf and nan get marks of their
    own, explained in the legend.
    """
    g = Glyphs(ascii_only)
    n_inputs = scenario.layers[0]
    if n_inputs != 2:
        return [Text(g.text(t("train.map.inputs", count=n_inputs)))]
    m = _ASCII if ascii_only else _UNICODE
    geo = _geometry(scenario, width, height, ascii_only)
    values = output_grid(scenario, weights, geo.cell_centres()).reshape(geo.rows, geo.cols)
    levels = shade_level(values, len(m.shades))
    nan, inf = np.isnan(values), np.isinf(values)
    styles = [_colour(i, len(m.shades)) for i in range(len(m.shades))]
    grid: list[list[tuple[str, Style | str]]] = [
        [
            (NAN_MARK, NON_FINITE_STYLE) if nan[r, c]
            else (INF_MARK, NON_FINITE_STYLE) if inf[r, c]
            else (m.shades[levels[r, c]], styles[levels[r, c]])
            for c in range(geo.cols)
        ]
        for r in range(geo.rows)
    ]
    for x, y in zip(scenario.input_array(), scenario.target_array()):
        r, c = geo.cell_of(float(x[0]), float(x[1]))
        grid[r][c] = (_target_digit(float(y[0])), SAMPLE_STYLE)

    label_width = geo.gutter - 2
    y_labels = {0: g.text(fmt(geo.hi[1])), geo.rows // 2: "X2"}
    y_labels[geo.rows - 1] = g.text(fmt(geo.lo[1]))
    lines: list[Text] = []
    for r, row in enumerate(grid):
        line = Text(y_labels.get(r, "").rjust(label_width) + " " + m.bar, style="dim")
        for char, style in row:
            line.append(char, style=style)
        lines.append(line)
    lines.append(Text(" " * (geo.gutter - 1) + m.corner + m.line * geo.cols, style="dim"))
    left, right = g.text(fmt(geo.lo[0])), g.text(fmt(geo.hi[0]))
    axis = [" "] * geo.cols
    if len(left) + 1 + len(right) <= geo.cols:  # a grid too narrow for its labels goes without
        axis[: len(left)] = left
        axis[geo.cols - len(right) :] = right
    middle = (geo.cols - 2) // 2
    if len(left) < middle and middle + 2 < geo.cols - len(right):
        axis[middle : middle + 2] = ["X", "1"]
    lines.append(Text(" " * geo.gutter + "".join(axis), style="dim"))
    legend = _wrap(_legend_entries(m, g, bool(nan.any()), bool(inf.any())), width)
    lines.extend(legend + [Text()] * (geo.legend_lines - len(legend)))
    return lines[:height] if height > 0 else lines


class DecisionMap(Widget):
    """Draws :func:`decision_map_lines` for the weights it is given, fitted to its own size."""

    DEFAULT_CSS = """
    DecisionMap {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(
        self, scenario: Scenario, weights: Sequence[np.ndarray], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.scenario = scenario
        self.weights = list(weights)

    def show(self, weights: Sequence[np.ndarray]) -> None:
        """Redraw for new weights (the size may change too; render reads it each time)."""
        self.weights = list(weights)
        self.refresh()

    def render(self) -> Text:
        """The map at the widget's current size."""
        width, height = self.content_size
        if width < 8 or height < 4:
            return Text(t("train.map.too_small"))
        lines = decision_map_lines(
            self.scenario, self.weights, width=width, height=height,
            ascii_only=glyphs().ascii_only,
        )
        return Text("\n", no_wrap=True).join(lines)
