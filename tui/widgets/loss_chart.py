"""The loss per epoch: Textual's Sparkline over every epoch run, and the numbers it stands for.

A sparkline shows the shape (falling, flat, exploding); the summary line gives the exact values
it never shows. Overflowed losses (inf, nan) would break the drawing, so they are drawn at the
top of the chart and named in a warning instead.
"""

from __future__ import annotations

import numpy as np
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from textual.app import ComposeResult
from textual.app import RenderResult as WidgetRender
from textual.widget import Widget
from textual.widgets import Sparkline, Static

from engine.numbers import fmt
from tui.glyphs import glyphs
from tui.i18n import t

#: The Sparkline's block characters and their ASCII stand-ins, low to high.
_BARS = str.maketrans("▁▂▃▄▅▆▇█", "_.-:=+*#")


def drawable(losses: np.ndarray) -> list[float]:
    """The losses with inf and nan replaced, so the Sparkline can scale them.

    nan and +inf are drawn as the largest finite loss (the run blew up), −inf as the smallest;
    with no finite loss at all, everything is drawn flat.
    """
    values = np.asarray(losses, dtype=np.float64)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return [0.0] * values.size
    top, bottom = float(finite.max()), float(finite.min())
    out = np.where(np.isnan(values) | (values == np.inf), top, values)
    out = np.where(out == -np.inf, bottom, out)
    return out.tolist()  # Python floats in one call, not one float() per epoch


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
    return t("train.chart.overflow", count=count, epochs=values.size)


class _AsciiBars:
    """The Sparkline's drawing with its block characters rewritten in ASCII."""

    def __init__(self, inner: object) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.inner, options):
            text, style, control = segment
            yield Segment(text.translate(_BARS), style, control)


class LossSparkline(Sparkline):
    """Textual's Sparkline (it buckets the epochs into the width), ASCII-only when asked."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__([], id=id)

    def render(self) -> WidgetRender:
        """The bars, rewritten in ASCII for ``--ascii``."""
        bars = super().render()
        return _AsciiBars(bars) if glyphs().ascii_only else bars


class LossChart(Widget):
    """The chart, a summary line under it, and a warning line when a loss overflowed."""

    DEFAULT_CSS = """
    LossChart {
        height: 1fr;
        layout: vertical;
    }
    LossChart > LossSparkline {
        height: 1fr;
        min-height: 1;
    }
    LossChart > #loss-summary {
        height: auto;
    }
    LossChart > #loss-overflow {
        height: auto;
        color: $text-error;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.losses = np.empty(0)

    def compose(self) -> ComposeResult:
        """Chart on top, numbers under it."""
        yield LossSparkline(id="loss-sparkline")
        yield Static(loss_summary(self.losses), id="loss-summary", markup=False)
        yield Static("", id="loss-overflow", markup=False)

    def show(self, losses: np.ndarray) -> None:
        """Draw a new list of epoch losses (every epoch so far, not only the latest run)."""
        self.losses = np.asarray(losses, dtype=np.float64)
        self.query_one(LossSparkline).data = drawable(self.losses)
        self.query_one("#loss-summary", Static).update(loss_summary(self.losses))
        note = overflow_note(self.losses)
        warning = self.query_one("#loss-overflow", Static)
        warning.update(note)
        warning.display = bool(note)
