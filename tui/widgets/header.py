"""The one-line header: scenario, sample, epoch, phase, and step k of N."""

from __future__ import annotations

from rich.text import Text

from engine import BUILTIN_SCENARIOS
from engine.scenario import changes
from tui.explain import sample_words
from tui.glyphs import shown
from tui.i18n import t
from tui.lesson import Cursor
from tui.widgets.cursor_view import CursorView


class LessonHeader(CursorView):
    """Where the learner is, always in view."""

    def draw(self, cursor: Cursor) -> Text:
        """Scenario, sample, epoch, phase, step k of N; overflow, changes and quiz score."""
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
            line += " │ " + t("header.changed", changes=parts)
        if self.quiz_note is not None:
            right, asked = self.quiz_note.score
            line += " │ " + t("quiz.score", right=right, asked=asked)
        text = Text()
        if not w.finite:  # first, so a narrow terminal never cuts it off
            text.append(t("header.overflow"), style="bold red reverse")
            text.append(shown(" │ "))
        text.append(shown(line))
        return text
