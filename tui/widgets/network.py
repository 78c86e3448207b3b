"""The network pane: the diagram of :mod:`tui.widgets.diagram`, redrawn at each cursor move."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import var
from textual.widgets import Static

from tui.glyphs import Glyphs
from tui.lesson import Cursor
from tui.widgets.diagram import diagram_lines


class NetworkDiagram(Static):
    """Units with their values, links with their weights, the current step marked."""

    cursor: var[Cursor | None] = var(None)

    def __init__(self, glyphs: Glyphs, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glyphs = glyphs

    def watch_cursor(self, cursor: Cursor | None) -> None:
        """Draw the network as it stands at the new place."""
        if cursor is None:
            return
        lines = diagram_lines(cursor.walkthrough, cursor.k, ascii_only=self.glyphs.ascii_only)
        self.update(Text("\n").join(lines))
