"""The explanation pane: what the current step does and why, with its formula and numbers."""

from __future__ import annotations

from rich.text import Text

from tui.explain import explain
from tui.glyphs import Glyphs
from tui.i18n import t
from tui.lesson import Cursor
from tui.quiz import quiz_lines
from tui.widgets.cursor_view import CursorView


class ExplanationPane(CursorView):
    """Words for the current step, from :func:`tui.explain.explain`."""

    def __init__(self, glyphs: Glyphs, *, compact: bool = False, id: str | None = None) -> None:
        super().__init__(glyphs, id=id)
        self.compact = compact
        """On a small terminal an erratum note replaces the general words, to fit."""

    def draw(self, cursor: Cursor) -> Text:
        """Title, warning, formula, working, the quiz's verdict, words and errata notes."""
        ex = explain(cursor.walkthrough, cursor.k)
        g = self.glyphs.text
        text = Text()
        text.append(g(ex.title), style="bold")
        if ex.warning:  # right under the title: the pane's height is fixed on small terminals
            text.append("\n" + g(ex.warning), style="bold red")
        if ex.formula:
            text.append("\n")
            text.append(g(ex.formula), style="italic")
        if ex.working:
            text.append("\n")
            text.append(g(ex.working), style="bold")
        if self.quiz_note is not None:
            for line, style in quiz_lines(self.quiz_note):
                text.append("\n" + g(line), style=style)
        body = ex.body
        if self.compact and ex.notes:
            # Little room: the note replaces the general words, except the start's first
            # sentence, which says which keys to press.
            body = ex.body[:1] if cursor.k < 0 else ()
        for sentence in body:
            text.append("\n" + g(sentence))
        for note in ex.notes:
            text.append("\n" + g(f"{self.glyphs.warning} {t('err.heading')}: {note.title}"),
                        style="bold yellow")
            text.append("\n" + g(note.text))
        if ex.hint:  # always, notes or not: without it the learner is stuck at the end
            text.append("\n" + g(ex.hint), style="bold")
        return text
