"""A table with one row per unit or link, showing the walkthrough as it stands at the cursor.

Rows are keyed by unit or link name. A cursor move rewrites only the rows the steps between
the old place and the new one touch, and repaints only those, never ``clear()`` and rebuild.
A new iteration's walkthrough makes the rows and columns again only when its numbers need
other column widths than the last one's (every column fits the numbers of its iteration, so
the table never re-lays itself out in the middle of one).

A table of more than MAX_ROWS rows (the largest lesson has 41,600 links) holds a window of
MAX_ROWS of them around the current row, made again when the current row leaves it: a
DataTable of every link took 4 s and 97 MiB to build. Its widths are measured on the rows at
either end; for a lesson of many samples, at the ends of a few samples, not all.

Columns never run past the table's edge: when the texts are wider than the table, the formula
and "with numbers" columns give way (the widest first), and a cell cut to fit ends with "…"
(the explanation pane shows the current step's whole working). Only a new width lays the
table out again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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

#: Rows a table holds at most; longer tables hold a window of this many.
MAX_ROWS = 400
#: A lesson of more samples, or a table of more rows, has its column widths measured on the
#: first and last of them only (then a wider number is cut, not re-laid).
WIDTH_SAMPLES = 8
WIDTH_ROWS = 64
#: No column is wider than this: a long working is cut (the explanation shows all of it).
MAX_COLUMN = 120
#: A move over more steps than this redraws every row rather than finding the ones touched.
NEAR = 64
#: A column of words that gives way to the table's width keeps at least this many cells.
MIN_WORDS = 12
#: … and in a table too narrow even for that, at least this many.
MIN_CUT = 3
ELLIPSIS = "…"


def fit_widths(widths: tuple[int, ...], shrinkable: tuple[int, ...], room: int,
               padding: int = 1) -> tuple[int, ...]:
    """Column widths that fit ``room`` cells (each column has ``padding`` on either side):
    the ``shrinkable`` columns give way, the widest first, down to :data:`MIN_WORDS` each,
    then, if that is not enough, down to :data:`MIN_CUT`."""
    fitted = list(widths)
    excess = sum(width + 2 * padding for width in widths) - room
    for least in (MIN_WORDS, MIN_CUT):
        while excess > 0:
            giving = [i for i in shrinkable if fitted[i] > least]
            if not giving:
                break
            widest = max(giving, key=lambda i: fitted[i])
            floor = max([least, *(fitted[i] for i in giving if i != widest)])
            give = min(excess, fitted[widest] - floor) or 1  # a tie: one cell each in turn
            fitted[widest] -= give
            excess -= give
    return tuple(fitted)


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, ending with "…" ("..." in ASCII) when cut."""
    if cell_len(text) <= width:
        return text
    mark = shown(ELLIPSIS)
    kept = text
    while kept and cell_len(kept) > width - cell_len(mark):
        kept = kept[:-1]
    return kept.rstrip() + mark


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
    language: var[str] = var(language, init=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=False,
                         show_cursor=False)
        self._stale = False
        self._shape: tuple[object, ...] | None = None
        self._walkthrough: Walkthrough | None = None
        self._widths_now: tuple[int, ...] = ()
        """Column widths that fit the texts of the walkthrough shown."""
        self._fitted: tuple[int, ...] = ()
        """The same, fitted to the table's width."""
        self._keys_of: tuple[Walkthrough, list[str]] | None = None
        self._window = 0
        """Index (in the row keys) of the table's first row."""
        self._shown: dict[str, Cells] = {}
        self._at: int | None = None
        """The step the rows show now (None: none yet, or they must all be drawn again)."""
        self._scroll_row = 0

    # --- what subclasses define ------------------------------------------------------------

    def column_labels(self) -> tuple[str, ...]:
        """Column headings after the marker column."""
        raise NotImplementedError

    def numeric_columns(self) -> tuple[int, ...]:
        """Indexes (in :meth:`column_labels`) of columns that hold numbers, right-aligned."""
        return ()

    def word_columns(self) -> tuple[int, ...]:
        """Indexes (in :meth:`column_labels`) of the columns that give way to a narrow table
        (cut with "…"): the formula and the working, the last two."""
        n = len(self.column_labels())
        return (n - 2, n - 1)

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

    def _rows(self, w: Walkthrough) -> list[str]:
        """The keys of the rows the table holds now: all of them, or its window."""
        return self._keys(w)[self._window:self._window + MAX_ROWS]

    def _current(self, w: Walkthrough, k: int) -> str | None:
        """The row step ``k`` is about in this table, if any."""
        step = w.step(k)
        return self.current_key(step) if step is not None else None

    def _cells(self, w: Walkthrough, k: int, keys: Iterable[str]) -> dict[str, Cells]:
        """The cells (marker first) of the rows ``keys`` once step ``k`` is done."""
        visible = w.visible(k)
        current = self._current(w, k)
        sample = w.current_sample(k)
        marker = glyphs().marker
        return {
            key: (marker if key == current else "",)
            + tuple(shown(c) for c in self.row_cells(w, key, visible, sample))
            for key in keys
        }

    def _touched(self, w: Walkthrough, old: int, new: int) -> set[str] | None:
        """The rows a move from step ``old`` to ``new`` can change, or None for all of them
        (another sample's rows, or a long jump)."""
        plan = w.plan
        if abs(new - old) > NEAR or plan.position(old) != plan.position(new):
            return None
        touched = {self._current(w, old), self._current(w, new)}
        for k in range(min(old, new) + 1, max(old, new) + 1):
            touched.add(self._current(w, k))
        touched.discard(None)
        return touched  # type: ignore[return-value]

    def _widths(self, w: Walkthrough) -> tuple[int, ...]:
        """Column widths that fit the texts this walkthrough will put in the table.

        Measured once per iteration, at the end and at the last step of each sample (when
        its rows are fullest), so a wider number never makes the table lay itself out again
        in the middle of a step. A lesson of many samples or rows is measured on a few of
        them (see the module's docstring): a number wider than those is cut, not re-laid.
        """
        labels = ("",) + self.column_labels()
        widths = [cell_len(label) for label in labels]
        widths[0] = cell_len(glyphs().marker)  # the marker column, whichever row has it
        ends = w.plan.sample_ends()
        if len(ends) > WIDTH_SAMPLES:
            ends = [ends[0], ends[-1]]
        keys = self._keys(w)
        if len(keys) > WIDTH_ROWS:
            keys = keys[:WIDTH_ROWS // 2] + keys[-WIDTH_ROWS // 2:]
        for k in {-1, len(w) - 1, *ends}:
            for cells in self._cells(w, k, keys).values():
                widths = [max(a, cell_len(b)) for a, b in zip(widths, cells)]
        return tuple(min(width, MAX_COLUMN) for width in widths)

    def _room(self) -> int:
        """Cells the columns can take: the table's width once laid out; before, what a pane
        of this arrangement gets (the whole width, or half of it less borders). Room for a
        vertical scrollbar is kept whether it shows yet or not: rows that outgrow the table
        later must not push the last column past its edge."""
        scrollbar = 0 if self.show_vertical_scrollbar else self.styles.scrollbar_size_vertical
        width = self.scrollable_content_region.width
        if width:
            return width - scrollbar
        app_width = self.app.size.width
        return (app_width // 2 - 2 if self.wide else app_width) - scrollbar

    def _fit(self) -> tuple[int, ...]:
        """The walkthrough's column widths fitted to the table's width."""
        words = tuple(i + 1 for i in self.word_columns())  # after the marker column
        return fit_widths(self._widths_now, words, self._room(), self.cell_padding)

    def _place_window(self, w: Walkthrough, k: int) -> None:
        """Keep the current row inside the window, a quarter of the way down when the window
        has to move."""
        keys = self._keys(w)
        if len(keys) <= MAX_ROWS:
            self._window = 0
            return
        current = self._current(w, k)
        row = keys.index(current) if current is not None else 0
        if not self._window <= row < self._window + MAX_ROWS:
            self._window = max(0, min(row - MAX_ROWS // 4, len(keys) - MAX_ROWS))

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
        self._shape = None
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
        w, k = cursor.walkthrough, cursor.k
        if w is not self._walkthrough:
            self._walkthrough = w
            self._widths_now = self._widths(w)
            self._at = None
        self._fitted = self._fit()
        self._place_window(w, k)
        shape = (self._keys(w), self._window, self._fitted, self.column_labels())
        if shape != self._shape:
            self._build(w, self._fitted)
            self._shape = shape
        if not self.showing:
            self._stale = True
            return
        self._stale = False
        touched = None if self._at is None else self._touched(w, self._at, k)
        rows = self._rows(w) if touched is None else [r for r in touched if r in self._shown]
        self._at = k
        numeric = {i + 1 for i in self.numeric_columns()}
        columns = list(self.columns)
        widths = self._fitted
        for key, cells in self._cells(w, k, rows).items():
            old = self._shown.get(key)
            if old == cells:
                continue
            self.write_row(key, {
                column: Text(cut(text, widths[i]), justify="right" if i in numeric else "left")
                for i, (column, text) in enumerate(zip(columns, cells))
                if not old or old[i] != text
            })
            self._shown[key] = cells
        current = self._current(w, k)
        if current is not None and current in self._shown:
            self.show_cursor = True
            row = self.get_row_index(current)
            self.move_cursor(row=row, animate=False, scroll=False)
        else:
            self.show_cursor = False
            row = 0
        self._scroll_row = row
        self._scroll_for(row)

    def on_resize(self) -> None:
        """A new height: scroll again for it, so the offset still depends only on the row. A
        new width that changes what fits: lay the columns out again."""
        if self._walkthrough is not None and self._fit() != self._fitted:
            self.watch_cursor(self.cursor)
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
        """Make the columns and rows, sized for the whole walkthrough (only when they change);
        every row is drawn again after."""
        self.clear(columns=True)
        self._shown.clear()
        self._at = None
        labels = ("",) + self.column_labels()
        for i, (label, width) in enumerate(zip(labels, widths)):
            self.add_column(cut(label, width), key=f"c{i}", width=width)
        for key in self._rows(w):
            self.add_row(*(Text("") for _ in widths), key=key)
            self._shown[key] = ()
