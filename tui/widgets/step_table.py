"""A table with one row per unit or link, showing the walkthrough as it stands at the cursor.

Rows are keyed by unit or link name. Each cursor move within an iteration rewrites only the
cells whose text changed and repaints only their rows, never ``clear()`` and rebuild. A new
iteration's walkthrough makes the rows and columns again only when its numbers need other
column widths than the last one's (every column fits every number of its iteration, so the
table never re-lays itself out in the middle of one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import var

from engine.opening import Opening
from engine.records import Step
from tui.glyphs import glyphs, shown
from tui.i18n import language
from tui.lesson import Cursor
from tui.textual_compat import QuietDataTable

if TYPE_CHECKING:
    from engine.walkthrough import Walkthrough

Cells = tuple[str, ...]


class StepTable(QuietDataTable):
    """Base of the forward, delta and update tables. Subclasses say which rows and cells."""

    can_focus = False
    cursor: var[Cursor | None] = var(None)
    pane: var[str] = var("")
    """The pane on show when only one is; see :attr:`showing`."""
    wide: var[bool] = var(False)
    """Every pane is on show at once."""
    room: var[int] = var(0)
    """The rows a pane gets, for a table shown this moment (not laid out yet)."""
    language: var[str] = var(language)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=False,
                         show_cursor=False)
        self._stale = False
        self._shape: tuple[object, ...] | None = None
        self._walkthrough: Walkthrough | None = None
        self._keys_of: tuple[Walkthrough, list[str]] | None = None
        self._shown: dict[str, Cells] = {}
        self._scroll_row = 0

    # --- what subclasses define ------------------------------------------------------------

    def column_labels(self) -> tuple[str, ...]:
        """Column headings after the marker column."""
        raise NotImplementedError

    def numeric_columns(self) -> tuple[int, ...]:
        """Indexes (in :meth:`column_labels`) of columns that hold numbers, right-aligned."""
        return ()

    def row_keys(self, w: Walkthrough) -> list[str]:
        """Row keys, in order: unit or link names (or ``loss``)."""
        raise NotImplementedError

    def row_cells(
        self, w: Walkthrough, key: str, shown: Mapping[tuple[str, str], Step], sample: int
    ) -> Cells:
        """The row's cells after the marker, given the steps visible at the cursor and the
        sample the cursor is on."""
        raise NotImplementedError

    def current_key(self, step: Step) -> str | None:
        """The row the current step belongs to in this table, if any."""
        raise NotImplementedError

    # --- keeping the table in step with the cursor -------------------------------------------

    def _keys(self, w: Walkthrough) -> list[str]:
        """:meth:`row_keys`, worked out once per walkthrough (it is asked at every key)."""
        if self._keys_of is None or self._keys_of[0] is not w:
            self._keys_of = (w, self.row_keys(w))
        return self._keys_of[1]

    def _cells(self, w: Walkthrough, k: int) -> dict[str, Cells]:
        """Every row's cells (marker first) once step ``k`` is done."""
        visible = w.visible(k)
        step = w.step(k)
        current = self.current_key(step) if step is not None else None
        sample = w.current_sample(k)
        marker = glyphs().marker
        return {
            key: (marker if key == current else "",)
            + tuple(shown(c) for c in self.row_cells(w, key, visible, sample))
            for key in self._keys(w)
        }

    def _widths(self, w: Walkthrough) -> tuple[int, ...]:
        """Column widths that fit every text this walkthrough will put in the table.

        Measured once per iteration, at the last step of each sample (when its rows are
        fullest) and at the end, so a wider number never makes the table lay itself out again
        in the middle of a step.
        """
        labels = ("",) + self.column_labels()
        widths = [cell_len(label) for label in labels]
        widths[0] = cell_len(glyphs().marker)  # the marker column, whichever row has it
        ends = {len(w.steps) - 1, -1}
        for k, step in enumerate(w.steps):
            if k + 1 == len(w.steps) or w.steps[k + 1].sample != step.sample:
                ends.add(k)
        for k in ends:
            for cells in self._cells(w, k).values():
                widths = [max(a, cell_len(b)) for a, b in zip(widths, cells)]
        return tuple(widths)

    @property
    def showing(self) -> bool:
        """On screen: every table is when all panes are, else only the chosen pane."""
        return self.wide or self.pane == self.id

    def watch_pane(self) -> None:
        """Shown again after other panes: catch up with the cursor before the next frame.
        When one pane is shown at a time, hidden (``-off``, app.tcss) behind another one;
        every pane at once, the class would only cost a restyle and a repaint."""
        if not self.wide:
            self.set_class(self.pane != self.id, "-off")
        if self._stale and self.showing:
            self.watch_cursor(self.cursor)

    def watch_wide(self) -> None:
        """Every pane shown at once, or one again: catch up."""
        self.watch_pane()

    def watch_language(self) -> None:
        """Headings and words in the new language: lay the table out again."""
        self._walkthrough = None
        self.watch_cursor(self.cursor)

    def watch_cursor(self, cursor: Cursor | None) -> None:
        """Bring the table up to date, repainting only the rows whose text changed.

        The table's shape (rows, and columns sized for every number of the iteration) follows
        each new walkthrough at once, even when hidden, so showing it later costs little. Its
        cells wait while it is hidden: work the learner would not see, done when it is shown.
        At a lesson's opening (no arithmetic done yet, see :mod:`engine.opening`) the table
        waits for the walkthrough, a moment later: the network diagram shows the starting
        numbers.
        """
        if cursor is None or isinstance(cursor.walkthrough, Opening):
            return
        w = cursor.walkthrough
        if w is not self._walkthrough:
            self._walkthrough = w
            widths = self._widths(w)
            shape = (tuple(self._keys(w)), widths, self.column_labels())
            if shape != self._shape:
                self._build(w, widths)
                self._shape = shape
        if not self.showing:
            self._stale = True
            return
        self._stale = False
        numeric = {i + 1 for i in self.numeric_columns()}
        columns = list(self.columns)
        for key, cells in self._cells(w, cursor.k).items():
            old = self._shown.get(key)
            if old == cells:
                continue
            self.write_row(key, {
                column: Text(text, justify="right" if i in numeric else "left")
                for i, (column, text) in enumerate(zip(columns, cells))
                if old is None or old[i] != text
            })
            self._shown[key] = cells
        step = w.step(cursor.k)
        current = self.current_key(step) if step is not None else None
        if current is not None:
            self.show_cursor = True
            row = self.get_row_index(current)
            self.move_cursor(row=row, animate=False, scroll=False)
        else:
            self.show_cursor = False
            row = 0
        self._scroll_row = row
        self._scroll_for(row)

    def on_resize(self) -> None:
        """The explanation under the table grows and shrinks with its notes: scroll again for
        the new height, so the offset still depends only on the row."""
        self._scroll_for(self._scroll_row)

    def _scroll_for(self, row: int) -> None:
        """Scroll so ``row`` is in view, the same way whichever way the learner came.

        The offset depends only on the row, never on where the table was before, so stepping
        back restores exactly the screen seen on the way forward. Never sideways: the first
        columns (name and value) stay put.
        """
        height = self.scrollable_content_region.height or self.room
        if not height:
            return  # not laid out yet, and no room known: on_resize scrolls once it is
        visible = height - self.header_height
        y = max(0, row - max(visible, 1) + 1)
        if (self.scroll_x, self.scroll_y) != (0, y):
            # Now, not after the next frame (scroll_to's default), and even before the table
            # is laid out (force): one frame per step.
            self.scroll_to(x=0, y=y, animate=False, immediate=True, force=True)

    def _build(self, w: Walkthrough, widths: tuple[int, ...]) -> None:
        """Make the columns and rows, sized for the whole walkthrough (only when they change)."""
        self.clear(columns=True)
        self._shown.clear()
        labels = ("",) + self.column_labels()
        for i, (label, width) in enumerate(zip(labels, widths)):
            self.add_column(label, key=f"c{i}", width=width)
        for key in self._keys(w):
            self.add_row(*(Text("") for _ in widths), key=key)
