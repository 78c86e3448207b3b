"""The explanation pane: what the current step does and why, with its formula and numbers."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import var

from tui.explain import explain
from tui.glyphs import glyphs, shown
from tui.i18n import t
from tui.lesson import Cursor
from tui.quiz import quiz_lines
from tui.widgets.cursor_view import CursorView


class ExplanationPane(CursorView):
    """Words for the current step, from :func:`tui.explain.explain`."""

    wide: var[bool] = var(False)
    """Room for everything; on a smaller terminal an erratum note replaces the general words."""

    def watch_wide(self) -> None:
        """More room, or less: what fits changes."""
        self._redraw()

    def draw(self, cursor: Cursor) -> Text:
        """Title, warning, formula, working, the quiz's verdict, words and errata notes."""
        ex = explain(cursor.walkthrough, cursor.k)
        text = Text()
        text.append(shown(ex.title), style="bold")
        if ex.warning:  # right under the title: the pane's height is fixed on small terminals
            text.append("\n" + shown(ex.warning), style="bold red")
        if ex.formula:
            text.append("\n")
            text.append(shown(ex.formula), style="italic")
        if ex.working:
            text.append("\n")
            text.append(shown(ex.working), style="bold")
        if self.quiz_note is not None:
            for line, style in quiz_lines(self.quiz_note):
                text.append("\n" + line, style=style)
        body = ex.body
        if not self.wide and ex.notes:
            # Little room: the note replaces the general words, except the start's first
            # sentence, which says which keys to press.
            body = ex.body[:1] if cursor.k < 0 else ()
        for sentence in body:
            text.append("\n" + shown(sentence))
        for note in ex.notes:
            heading = f"{glyphs().warning} {t('err.heading')}: {shown(note.title)}"
            text.append("\n" + heading, style="bold yellow")
            text.append("\n" + shown(note.text))
        if ex.hint:  # always, notes or not: without it the learner is stuck at the end
            text.append("\n" + shown(ex.hint), style="bold")
        return text
