"""The one-line header: scenario, sample, epoch, phase, and step k of N."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import var
from textual.widgets import Static

from engine import BUILTIN_SCENARIOS
from engine.scenario import changes
from tui.explain import sample_words
from tui.glyphs import Glyphs
from tui.i18n import t
from tui.lesson import Cursor
from tui.quiz import QuizNote


class LessonHeader(Static):
    """Where the learner is, always in view."""

    cursor: var[Cursor | None] = var(None)
    quiz_note: var[QuizNote | None] = var(None)

    def __init__(self, glyphs: Glyphs, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs = glyphs

    def watch_cursor(self) -> None:
        """Rewrite the line for the new place."""
        self._show()

    def watch_quiz_note(self) -> None:
        """The quiz score changed, or the quiz was switched on or off."""
        self._show()

    def _show(self) -> None:
        cursor = self.cursor
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
        base = BUILTIN_SCENARIOS.get(w.scenario.name)
        changed = changes(base, w.scenario) if base is not None else []
        if changed:
            parts = ", ".join(t(f"field.{name}", value=value) for name, value in changed)
            line += " \u2502 " + t("header.changed", changes=parts)
        if self.quiz_note is not None:
            right, asked = self.quiz_note.score
            line += " \u2502 " + t("quiz.score", right=right, asked=asked)
        text = Text()
        if not w.finite:  # first, so a narrow terminal never cuts it off
            text.append(self.glyphs.text(t("header.overflow")), style="bold red reverse")
            text.append(self.glyphs.text(" \u2502 "))
        text.append(self.glyphs.text(line))
        self.update(text)
