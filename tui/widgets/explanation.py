"""The explanation pane: what the current step does and why, with its formula and numbers."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from tui.explain import explain
from tui.glyphs import Glyphs
from tui.lesson import Cursor


class ExplanationPane(Static):
    """Words for the current step, from :func:`tui.explain.explain`."""

    cursor: reactive[Cursor | None] = reactive(None)

    def __init__(self, glyphs: Glyphs, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs = glyphs

    def watch_cursor(self, cursor: Cursor | None) -> None:
        """Explain the new place."""
        if cursor is None:
            return
        ex = explain(cursor.walkthrough, cursor.k)
        g = self.glyphs.text
        text = Text()
        text.append(g(ex.title), style="bold")
        if ex.formula:
            text.append("\n")
            text.append(g(ex.formula), style="italic")
        if ex.working:
            text.append("\n")
            text.append(g(ex.working), style="bold")
        for sentence in ex.body:
            text.append("\n" + g(sentence))
        if ex.warning:
            text.append("\n" + g(ex.warning), style="bold red")
        self.update(text)
