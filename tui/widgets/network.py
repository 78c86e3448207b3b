"""The network pane: the diagram of :mod:`tui.widgets.diagram`, redrawn at each cursor move."""

from __future__ import annotations

from rich.text import Text

from tui.glyphs import glyphs
from tui.lesson import Cursor
from tui.widgets.cursor_view import CursorView
from tui.widgets.diagram import diagram_lines


class NetworkDiagram(CursorView):
    """Units with their values, links with their weights, the current step marked."""

    def draw(self, cursor: Cursor) -> Text:
        """The network as it stands at the cursor."""
        lines = diagram_lines(cursor.walkthrough, cursor.k, ascii_only=glyphs().ascii_only)
        return Text("\n").join(lines)
