"""A table with one row per unit or link, showing the walkthrough as it stands at the cursor.

Rows are keyed by unit or link name and made once per network; each cursor move rewrites only
the cells whose text changed, never ``clear()`` and rebuild.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import DataTable

from engine.walkthrough import Step, Walkthrough
from tui.glyphs import Glyphs
from tui.lesson import Cursor

Cells = tuple[str, ...]


class StepTable(DataTable[Text]):
    """Base of the forward, delta and update tables. Subclasses say which rows and cells."""

    can_focus = False
    cursor: reactive[Cursor | None] = reactive(None)

    def __init__(self, glyphs: Glyphs, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, show_cursor=False)
        self.glyphs = glyphs
        self._shape: tuple[object, ...] | None = None
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
        self, w: Walkthrough, key: str, shown: dict[tuple[str, str], Step], sample: int
    ) -> Cells:
        """The row's cells after the marker, given the steps visible at the cursor and the
        sample the cursor is on."""
        raise NotImplementedError

    def current_key(self, step: Step) -> str | None:
        """The row the current step belongs to in this table, if any."""
        raise NotImplementedError

    # --- keeping the table in step with the cursor -------------------------------------------

    def watch_cursor(self, cursor: Cursor | None) -> None:
        """Bring the table up to date, touching only the cells that changed."""
        if cursor is None:
            return
        w = cursor.walkthrough
        shape = (w.scenario.layers, w.scenario.activations, w.scenario.loss, len(w.samples))
        if shape != self._shape:
            self._build(w)
            self._shape = shape
        shown = w.visible(cursor.k)
        current = self.current_key(w.steps[cursor.k]) if cursor.k >= 0 else None
        numeric = {i + 1 for i in self.numeric_columns()}
        sample = w.current_sample(cursor.k) if cursor.k >= 0 else w.samples[0]
        for key in self.row_keys(w):
            cells = (self.glyphs.marker if key == current else "",) + tuple(
                self.glyphs.text(c) for c in self.row_cells(w, key, shown, sample)
            )
            old = self._shown.get(key)
            if old == cells:
                continue
            for i, (column, text) in enumerate(zip(self.columns, cells)):
                if old is None or old[i] != text:
                    justify = "right" if i in numeric else "left"
                    self.update_cell(key, column, Text(text, justify=justify),
                                     update_width=True)
            self._shown[key] = cells
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
        visible = self.scrollable_content_region.height - self.header_height
        self.scroll_to(x=0, y=max(0, row - max(visible, 1) + 1), animate=False)

    def _build(self, w: Walkthrough) -> None:
        """Make the columns and rows for this network shape (only when the shape changes)."""
        self.clear(columns=True)
        self._shown.clear()
        self.add_column(" ", key="marker", width=1)
        for i, label in enumerate(self.column_labels()):
            self.add_column(self.glyphs.text(label), key=f"c{i}")
        width = len(self.columns)
        for key in self.row_keys(w):
            self.add_row(*(Text("") for _ in range(width)), key=key)
