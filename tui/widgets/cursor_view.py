"""A pane drawn as a whole from the cursor (and the quiz's state): header, explanation, network."""

from __future__ import annotations

from rich.console import RenderableType
from textual.reactive import var
from textual.widgets import Static

from tui.i18n import language
from tui.lesson import Cursor
from tui.quiz import QuizNote


class CursorView(Static):
    """Bound to the lesson screen's cursor (quiz note, language) with ``data_bind``;
    subclasses say what to draw in :meth:`draw`."""

    cursor: var[Cursor | None] = var(None)
    quiz_note: var[QuizNote | None] = var(None)
    language: var[str] = var(language, init=False)

    def watch_cursor(self) -> None:
        """A new place in the lesson."""
        self._redraw()

    def watch_quiz_note(self) -> None:
        """An answer was judged, or the quiz switched on or off."""
        self._redraw()

    def watch_language(self) -> None:
        """Every word again, in the new language."""
        self._redraw()

    def _redraw(self) -> None:
        if self.cursor is not None:
            self.update(self.draw(self.cursor))

    def draw(self, cursor: Cursor) -> RenderableType:
        """What the pane shows at ``cursor``."""
        raise NotImplementedError
