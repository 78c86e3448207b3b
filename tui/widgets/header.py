"""The one-line header: scenario, sample, epoch, phase, and step k of N."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from tui.explain import sample_words
from tui.glyphs import Glyphs
from tui.i18n import t
from tui.lesson import Cursor


class LessonHeader(Static):
    """Where the learner is, always in view."""

    cursor: reactive[Cursor | None] = reactive(None)

    def __init__(self, glyphs: Glyphs, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs = glyphs

    def watch_cursor(self, cursor: Cursor | None) -> None:
        """Rewrite the line for the new place."""
        if cursor is None:
            return
        w = cursor.walkthrough
        phase = "start" if cursor.phase is None else cursor.phase
        line = t(
            "header.line",
            scenario=w.scenario.name,
            sample=sample_words(w, cursor.k),
            epoch=w.epoch,
            phase=t(f"phase.{phase}"),
            step=cursor.k + 1,
            total=cursor.step_count,
        )
        text = Text(self.glyphs.text(line))
        if not w.finite:
            text.append(self.glyphs.text(f" \u2502 {t('header.overflow')}"), style="bold red")
        self.update(text)
