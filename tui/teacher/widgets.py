"""The class view's widgets: the table of learners, the slips panel, and the cells they show.

Every text from a snapshot reaches the screen as a Rich :class:`~rich.text.Text` built here
(never markup), already cleaned by tui/teacher/model.py, and cut to its column by
:func:`cut`.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static
from textual.widgets.data_table import ColumnKey

from tui.glyphs import glyphs, shown
from tui.i18n import language, t
from tui.teacher.model import (
    STILL_FIELDS,
    ClassSnapshot,
    Learner,
    SlipCount,
    count_text,
    filled,
    idle_redraw_in,
    idle_text,
    phase_name,
    progress_bar,
    score_text,
    slip_name,
    slip_sentence,
)
from tui.textual_compat import QuietDataTable

#: The table's columns, left to right.
COLUMNS = ("name", "lesson", "step", "quiz", "revealed", "slip", "idle")
#: Columns of numbers: right-aligned.
NUMERIC = frozenset({"quiz", "revealed", "idle"})
#: A cell's pieces: (text, Rich style) each; compared to tell whether a cell changed.
Cell = tuple[tuple[str, str], ...]
#: What of a learner the cells but the idle one show (compared, not shown).
_still = operator.attrgetter(*STILL_FIELDS)


@dataclass(frozen=True)
class Columns:
    """The columns' widths (each with the one-cell gap after it) and the step column's
    parts."""

    widths: tuple[int, ...]
    bar: int
    """Cells of the progress bar."""
    count: int
    """Cells the ``12/22`` after it is right-aligned in."""

    @property
    def width(self) -> int:
        """The table's width without its scrollbar."""
        return sum(self.widths)

    def of(self, column: str) -> int:
        """The width of one column, its gap included."""
        return self.widths[COLUMNS.index(column)]


#: Fits 80 columns with the scrollbar: name, lesson, ``██████ 12/22 backward``, ``9/12``,
#: revealed, last slip, idle.
NARROW = Columns((12, 9, 22, 6, 7, 13, 9), bar=6, count=5)
#: From 120 columns.
WIDE = Columns((22, 18, 30, 8, 7, 24, 9), bar=10, count=7)


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, ending in "…" ("..." under --ascii) when cut."""
    if cell_len(text) <= width:
        return text
    mark = shown("…")
    room = width - cell_len(mark)
    if room <= 0:
        return mark[:max(width, 0)]
    kept, used = [], 0
    for char in text:
        used += cell_len(char)
        if used > room:
            break
        kept.append(char)
    return "".join(kept).rstrip() + mark


def _right(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells and right-aligned in them."""
    text = cut(text, width)
    return " " * (width - cell_len(text)) + text


def learner_cells(learner: Learner, idle_s: float, columns: Columns) -> dict[str, Cell]:
    """What each column shows for ``learner`` (idle for ``idle_s`` seconds by now): texts cut
    to leave the column's gap free."""
    cells = still_cells(learner, columns)
    cells["idle"] = idle_cell(idle_s, columns)
    return cells


def idle_cell(idle_s: float, columns: Columns) -> Cell:
    """The idle column's cell: the one a tick changes."""
    return ((_right(idle_text(idle_s), columns.of("idle") - 1), ""),)


def still_cells(learner: Learner, columns: Columns) -> dict[str, Cell]:
    """Every column's cell but the idle one: they change only with the learner's
    :data:`~tui.teacher.model.STILL_FIELDS`."""

    def room(column: str) -> int:
        return columns.of(column) - 1

    bar = progress_bar(learner.step, learner.total, columns.bar)
    done = filled(learner.step, learner.total, columns.bar)
    count = _right(count_text(learner.step, learner.total), columns.count)
    phase_room = room("step") - columns.bar - 1 - columns.count - 1
    phase = cut(phase_name(learner.phase), max(phase_room, 0)) if phase_room > 0 else ""
    slip = slip_name(learner.last_slip) if learner.last_slip else ""
    return {
        "name": ((cut(learner.name, room("name")), "bold"),),
        "lesson": ((cut(learner.lesson, room("lesson")), ""),),
        "step": ((bar[:done], "green"), (bar[done:], "dim"), (" " + count, ""),
                 (" " + phase if phase else "", "")),
        "quiz": ((_right(score_text(learner), room("quiz")), ""),),
        "revealed": ((_right(str(learner.revealed), room("revealed")), ""),),
        "slip": ((cut(slip, room("slip")), "yellow"),),
    }


def cell_text(cell: Cell, connected: bool) -> Text:
    """A cell as the table draws it: dimmed for a learner who is not connected."""
    text = Text.assemble(*cell, no_wrap=True, overflow="crop", end="")
    if not connected:
        text.stylize("dim")
    return text


def column_label(column: str, columns: Columns) -> Text:
    """A column's heading, cut to leave its gap, numbers' right-aligned."""
    label = t(f"teacher.col.{column}")
    room = columns.of(column) - 1
    return Text(_right(label, room) if column in NUMERIC else cut(label, room), end="")


class LearnerTable(QuietDataTable):
    """One row per learner, keyed by the learner's id. A snapshot changes only the cells that
    changed (each changed row repainted alone), adds and removes rows, and reorders them with
    DataTable.sort: the table is never cleared and filled again, except for other columns (a
    resize across :data:`WIDE`'s width). A row cursor (↑ ↓) picks the learner whose screen
    ⏎ mirrors; it is kept in view as it moves."""

    scrolls_itself = False  # its cursor (the learner ⏎ watches) is kept in view

    BINDINGS = [
        Binding("home", "scroll_top", "Top", show=False),
        Binding("end", "scroll_bottom", "Bottom", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", cell_padding=0, zebra_stripes=False)
        self.layout_columns: Columns | None = None
        self._cells: dict[str, dict[str, Cell]] = {}
        """What each row shows now, by learner id."""
        self._connected: dict[str, bool] = {}
        self._learners: dict[str, Learner] = {}
        """The learner each row shows now, by id: the idle times move on from theirs."""
        self._writes: dict[str, dict[ColumnKey, Text]] = {}
        """Cells changed and not yet in the table (see :meth:`_flush`)."""
        self._names: dict[str, Text] = {}
        """The name cell of each row as the table holds it (DataTable.sort hands the key
        function a row's cells, not its key: the cell object tells the row)."""

    def use_columns(self, columns: Columns) -> bool:
        """Make the columns (and forget the rows) unless they are these already; True if
        they were made."""
        if columns == self.layout_columns:
            return False
        self.clear(columns=True)
        self._cells.clear()
        self._connected.clear()
        self._learners.clear()
        self._names.clear()
        self.layout_columns = columns
        for column, width in zip(COLUMNS, columns.widths):
            self.add_column(column_label(column, columns), width=width, key=column)
        return True

    def show(self, rows: Sequence[Learner], since: float = 0.0) -> float:
        """These learners, in this order, each idle for their ``idle_s`` and ``since`` more
        seconds; the seconds until the idle times need a redraw (see
        :func:`~tui.teacher.model.idle_redraw_in`; inf: no rows). A learner whose
        :data:`~tui.teacher.model.STILL_FIELDS` are those shown has only the idle cell
        worked out again (and written if it changed)."""
        columns = self.layout_columns
        assert columns is not None, "use_columns() first"
        wanted = {learner.id for learner in rows}
        for key in [key for key in self._cells if key not in wanted]:
            self.remove_row(key)
            del self._cells[key], self._connected[key], self._learners[key], self._names[key]
        redraw = math.inf
        for learner in rows:
            key = learner.id
            idle_s = learner.idle_s + since
            old = self._learners.get(key)
            if old is not None and (old is learner or _still(old) == _still(learner)):
                self._write_idle(key, idle_cell(idle_s, columns))
            else:
                self._write(key, learner_cells(learner, idle_s, columns), learner.connected)
            self._learners[key] = learner
            redraw = min(redraw, idle_redraw_in(idle_s))
        self._flush()
        order = [learner.id for learner in rows]
        if [row.key.value for row in self.ordered_rows] != order:
            rank = {id(self._names[key]): n for n, key in enumerate(order)}
            self.sort("name", key=lambda cell: rank[id(cell)])
        return redraw

    def show_idle(self, since: float) -> float:
        """The idle times moved on: each row's learner idle for ``since`` seconds more than
        their snapshot said; only the idle cells whose text changed are written (the order
        stays: every idle time moved on alike). The seconds until they next need a redraw
        (inf: no rows)."""
        columns = self.layout_columns
        assert columns is not None, "use_columns() first"
        redraw = math.inf
        for key, learner in self._learners.items():
            idle_s = learner.idle_s + since
            self._write_idle(key, idle_cell(idle_s, columns))
            redraw = min(redraw, idle_redraw_in(idle_s))
        self._flush()
        return redraw

    def _write_idle(self, key: str, cell: Cell) -> None:
        """Write a row's idle cell if it changed (the row's other cells are as they were)."""
        cells = self._cells[key]
        if cell != cells["idle"]:
            self._writes.setdefault(key, {})[ColumnKey("idle")] = \
                cell_text(cell, self._connected[key])
            cells["idle"] = cell

    def _flush(self) -> None:
        """Put the cells changed in the table, all at once (QuietDataTable.write_rows: a
        tick that moves on 100 idle times invalidates the table's caches once, not 100
        times)."""
        writes, self._writes = self._writes, {}
        self.write_rows(writes)

    def _write(self, key: str, cells: dict[str, Cell], connected: bool) -> None:
        """Add the row, or have the cells of it that changed written (by :meth:`_flush`)."""
        old = self._cells.get(key)
        if old is None:
            texts = [cell_text(cells[column], connected) for column in COLUMNS]
            self.add_row(*texts, key=key)
            self._names[key] = texts[0]
        else:
            changed = {column: cell_text(cells[column], connected) for column in COLUMNS
                       if cells[column] != old[column] or connected != self._connected[key]}
            if not changed:
                return
            self._writes.setdefault(key, {}).update(
                {ColumnKey(column): text for column, text in changed.items()})
            if "name" in changed:
                self._names[key] = changed["name"]
        self._cells[key] = cells
        self._connected[key] = connected

    def row_text(self, key: str) -> list[str]:
        """The plain text of a row's cells, left to right."""
        return [cell.plain for cell in self.get_row(key)]


class SlipsPanel(Static):
    """The slips the class makes most, one sentence each, the most common first."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._said: tuple[str, ...] | None = None
        self._shown: tuple[str, tuple[SlipCount, ...]] | None = None
        """The language and the slips said now: the same again is not worded again."""

    def show(self, snapshot: ClassSnapshot) -> None:
        """The snapshot's slips (repainted only when the sentences change)."""
        shown_now = (language(), snapshot.slips)
        if shown_now == self._shown:
            return
        self._shown = shown_now
        self.border_title = t("teacher.slips_title")
        sentences = tuple(slip_sentence(count) for count in snapshot.slips)
        if sentences == self._said:
            return
        self._said = sentences
        if not sentences:
            self.update(Text(t("teacher.no_slips"), style="dim"))
            return
        text = Text()
        bullet = "- " if glyphs().ascii_only else "• "
        for n, sentence in enumerate(sentences):
            if n:
                text.append("\n")
            text.append(bullet)
            text.append(sentence, style="bold" if n == 0 else "")
        self.update(text)

    @property
    def sentences(self) -> tuple[str, ...]:
        """What the panel says now."""
        return self._said or ()
