"""The network pane: the diagram of :mod:`tui.widgets.diagram`, redrawn at each cursor move,
drawn to fit the pane's width, and scrolled to keep the current step in view."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region, Size
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

from tui.glyphs import glyphs
from tui.lesson import Cursor
from tui.widgets.cursor_view import CursorView
from tui.widgets.diagram import draw


class NetworkDiagram(CursorView):
    """Units with their values, links with their weights, the current step marked.

    It lives in a scrolling pane (its parent). The drawing is told the cells that pane has
    across, and packs itself tighter when it would not fit (see the diagram's SPACINGS); what
    still overflows the pane scrolls, by keys the screen binds (:meth:`scroll_by`), and comes
    back to the current step at the next one. The pane's width follows the terminal's, so a
    layout of the screen that changes it redraws the diagram.
    """

    class Overflowed(Message):
        """The diagram began or stopped overflowing its pane, across or down: the keys that
        scroll it are shown only while it does."""

        def __init__(self, across: bool, down: bool) -> None:
            super().__init__()
            self.across, self.down = across, down

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._focus = (0, 0, 0)
        self._room: tuple[int | None, int | None] = (None, None)
        self._overflow = (False, False)
        self._followed = Size(0, 0)  # the pane's size when the step was last scrolled to

    def on_mount(self) -> None:
        """Hear of every new layout of the screen: the pane's room may have changed."""
        self.screen.screen_layout_refresh_signal.subscribe(self, self._laid_out)

    def room(self) -> tuple[int | None, int | None]:
        """The cells the pane has across for the drawing: all its container's width, or its
        ``max-width`` of it, less its borders, padding and vertical scrollbar; and, when the
        pane shares its width (``width: auto``, beside the explanation), the lines it has, so
        the drawing leaves what it need not take. None before the pane is laid out."""
        pane, outer = self.parent, self.parent.parent if self.parent else None
        if not isinstance(pane, Widget) or not isinstance(outer, Widget) or not outer.size:
            return None, None
        width = outer.size.width
        if pane.styles.max_width is not None:
            width = min(width, int(pane.styles.max_width.resolve(outer.size, self.app.size)))
        across = max(1, width - pane.styles.gutter.width - pane.styles.scrollbar_size_vertical)
        shared = pane.styles.width is not None and pane.styles.width.is_auto
        return across, pane.size.height if shared else None

    def draw(self, cursor: Cursor) -> Text:
        """The network as it stands at the cursor, in the pane's room."""
        self._room = across, rows = self.room()
        diagram = draw(cursor.walkthrough, cursor.k, ascii_only=glyphs().ascii_only,
                       room=across, rows=rows or None)
        self._focus = diagram.focus
        self.call_after_refresh(self._follow)
        return Text("\n").join(diagram.lines)

    def _laid_out(self, _screen: Screen) -> None:
        """A new layout: redraw for a pane of another width; tell the screen when the
        diagram starts or stops overflowing."""
        if self.cursor is not None and self.room() != self._room:
            # After this layout, not during it: a layout asked for while the screen
            # publishes the last one is lost (the pane kept the old drawing's size).
            self._room = self.room()
            self.call_after_refresh(self._redraw)
            return
        pane = self.parent
        if isinstance(pane, Widget):
            if not pane.display:
                self._followed = Size(0, 0)  # hidden behind a table: follow once shown again
            elif pane.size != self._followed:  # shown again, or resized: find the step again
                self._follow()
            overflow = (pane.max_scroll_x > 0 and pane.display,
                        pane.max_scroll_y > 0 and pane.display)
            if overflow != self._overflow:
                self._overflow = overflow
                self.post_message(self.Overflowed(*overflow))

    def _follow(self) -> None:
        """Scroll the pane, if need be, so the current step's unit is in view."""
        pane = self.parent
        if not isinstance(pane, Widget):
            return
        self._followed = pane.size
        if pane.max_scroll_x or pane.max_scroll_y:
            row, column, width = self._focus
            pane.scroll_to_region(Region(column, row, max(1, width), 1), animate=False,
                                  immediate=True)

    def scroll_by(self, across: int, down: int) -> None:
        """Scroll the pane by some cells across and some lines down (keys, no mouse)."""
        pane = self.parent
        if isinstance(pane, Widget):
            pane.scroll_relative(x=across, y=down, animate=False)
