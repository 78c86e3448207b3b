"""A pane drawn as a whole from the cursor (and the quiz's state): header, explanation, network."""

from __future__ import annotations

from rich.console import RenderableType
from textual.reactive import var
from textual.widget import Widget
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

    _measured: tuple[int, int] | None = None
    """The content's size when it was last drawn, where the pane's size follows it."""

    def _redraw(self) -> None:
        """Draw the pane again, and lay the screen out again only when its size changes.

        A layout of the whole screen is most of what a step costs (about 40 % of a key's CPU
        at 80x24, measured with cProfile), and a step rarely changes a pane's size: the
        header and the explanation have set sizes, the diagram keeps its size through a
        lesson."""
        if self.cursor is None:
            return
        self.update(self.draw(self.cursor), layout=False)
        # As Textual sizes a widget (Widget._get_box_model): no width fills the container,
        # and a fraction may be measured as auto. Unsure cases count as following the content.
        width, height = self.styles.width, self.styles.height
        auto_width = width is not None and (width.is_auto or width.is_fraction)
        auto_height = height is None or height.is_auto or height.is_fraction
        if not (auto_width or auto_height) or not self.is_mounted:
            return
        measured = self._measure(auto_width)
        if measured != self._measured:
            self._measured = measured
            self.refresh(layout=True)

    def _measure(self, auto_width: bool) -> tuple[int, int]:
        """The content's width (when it sets the pane's) and height."""
        viewport = self.app.size
        parent = self.parent
        container = parent.size if isinstance(parent, Widget) else viewport
        width = self.get_content_width(container, viewport) if auto_width \
            else self.content_size.width
        return width, self.get_content_height(container, viewport, width)

    def draw(self, cursor: Cursor) -> RenderableType:
        """What the pane shows at ``cursor``."""
        raise NotImplementedError
