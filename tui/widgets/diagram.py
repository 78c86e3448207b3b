"""The network diagram as rich Text: layers as columns, buses between them, values inline.

Pure (no Textual), so the widget and the tests draw the very same picture.
Every column's width is fixed for the whole walkthrough, so stepping never makes it jump.

A large network (a layer of more than BIG_LAYER units, or more than BIG_STEPS steps) is drawn
smaller, so its cost does not grow with the lesson: each column shows at most SLOTS units, a
window around the one the step is about, with how many more there are above and below; no
weight lines (the update table and the explanation show them); numbers in slots of a fixed
width rather than sized by scanning every step.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rich.text import Text

from engine.numbers import fmt
from engine.opening import Iteration
from engine.records import Link, Unit
from tui.glyphs import Glyphs
from tui.i18n import language, t

#: Named styles, so the widget's theme can map them (each mark also has a symbol).
CURRENT = "reverse bold"  # the unit, weight or loss the current step is about
SOURCE = "bold underline"  # the source unit of the weight being updated
FRESH = "bold"  # the number the current step computed
CHANGED = "bold green"  # a weight the update changed
PENDING = "dim"  # a value not computed yet
WIRE = "blue"  # the buses between layers
LABEL = "bold"  # the layer headings

GAP = 2  # cells between a column's widest line and its bus: room for " ─"
WEIGHTS_WIDTH = 36  # longer weight lists wrap, so wide layers grow taller, not wider
BIG_LAYER = 16  # a network with a wider layer is drawn in windows
BIG_STEPS = 20_000  # sizing the columns scans every step: not beyond this
SLOTS = 9  # units shown per column of a large network
NUMBER_WIDTH = 11  # the widest fmt() writes ("−1.2346e+10"): slots of a large network


@dataclass(frozen=True)
class _Marks:
    """Symbols beyond :class:`Glyphs`: the source marker, the ′ and the bus pieces."""

    source: str
    prime: str
    line: str
    bar: str
    arrow: str
    corners: str  # ┐┌┬ ┘└┴ ┤├┼: top, bottom, middle; each left-only, right-only, both


_UNICODE = _Marks("›", "′", "─", "│", "─→ ", "┐┌┬┘└┴┤├┼")
_ASCII = _Marks("~", "'", "-", "|", "-> ", "+" * 9)


def _junction(m: _Marks, up: bool, down: bool, left: bool, right: bool) -> str:
    """The bus character of one row: a corner, tee or cross where stubs meet the bar."""
    if not (up or down):
        return m.line
    if not (left or right):
        return m.bar
    group = 0 if not up else 3 if not down else 6
    return m.corners[group + (2 if left and right else 0 if left else 1)]


def _changed(old: float, new: float) -> bool:
    """True when an update moved the weight (nan staying nan is no change)."""
    return not (old == new or (math.isnan(old) and math.isnan(new)))


def _entry_width(w: Iteration, link: Link, num: Callable[[float], str]) -> int:
    """The widest a weight entry can be: its old number, or its new one with the ′."""
    old, new = w.weight(link), w.weight(link, after=True)
    return max(len(num(old)), len(num(new)) + _changed(old, new))


@lru_cache(maxsize=8)
def _incoming(w: Iteration) -> dict[str, list[Link]]:
    """Each computed unit's incoming links, in source order (the bias first); fixed for the
    walkthrough, so worked out once (do not change the lists)."""
    incoming: dict[str, list[Link]] = {}
    for link in w.links:
        incoming.setdefault(link.target, []).append(link)
    return incoming


@dataclass
class _Column:
    """One layer's geometry, fixed for the whole walkthrough."""

    units: list[Unit]
    label: str
    top: int = 0
    pitch: int = 2  # rows per unit: the node, then its weight lines (or a blank)
    per_line: int = 1  # weights per weight line
    name_w: int = 0
    value_w: int = 1
    delta_w: int = 0
    width: int = 0


def _layout(w: Iteration, num: Callable[[float], str], delta: str) -> list[_Column]:
    """Size every column for every number the walkthrough can show, and centre it."""
    n = len(w.scenario.layers)
    hidden = [
        t("diagram.hidden") if n == 3 else t("diagram.hidden_n", n=i) for i in range(1, n - 1)
    ]
    labels = [t("diagram.input"), *hidden, t("diagram.output")]
    columns = [_Column([u for u in w.units if u.layer == i], labels[i]) for i in range(n)]
    values: dict[str, set[str]] = {}
    for s in w.samples:
        for name, v in w.input_values(s).items():
            values.setdefault(name, set()).add(num(v))
    for step in w.steps:
        if step.phase != "update":
            values.setdefault(f"{step.phase} {step.target}", set()).add(num(step.value))
    incoming = _incoming(w)
    for c in columns:
        entries = [[_entry_width(w, x, num) for x in incoming.get(u.name, [])] for u in c.units]
        entries = [e for e in entries if e]
        if entries:
            widest = max(max(e) for e in entries)
            lines = math.ceil(len(entries[0]) / max(1, WEIGHTS_WIDTH // (widest + 1)))
            c.per_line, c.pitch = math.ceil(len(entries[0]) / lines), 1 + lines
        c.name_w = max(len(u.name) for u in c.units)
        for u in c.units:
            shown = values.get(u.name, set()) | values.get(f"forward {u.name}", set())
            c.value_w = max([c.value_w, *map(len, shown)])
            c.delta_w = max([c.delta_w, *map(len, values.get(f"backward {u.name}", set()))])
        node_w = 1 + c.name_w + 1 + c.value_w + 1 + (
            c.delta_w + len(delta) + 3 if c.delta_w else 0  # " δ " and the "*"
        )
        weight_w = max(  # " w" or "  ", the entries, room for "[" and "]"
            [4 + sum(1 + x for x in e[i : i + c.per_line])
             for e in entries for i in range(0, len(e), c.per_line)], default=0
        )
        c.width = max(node_w, weight_w, 1 + len(c.label))
    loss_w = 6 + max(map(len, values.get("loss loss", {""})))  # "▶E = " and "*"
    columns[-1].width = max(columns[-1].width, loss_w)
    height = max(c.pitch * len(c.units) for c in columns)
    for c in columns:
        c.top = (height - c.pitch * len(c.units)) // 2
    return columns


@lru_cache(maxsize=8)
def _cached_layout(w: Iteration, ascii_only: bool, lang: str) -> list[_Column]:
    """The layout of one walkthrough: it depends on every number the walkthrough can show, not
    on the step, so it is worked out once per iteration (and language), not on every key."""
    g = Glyphs(ascii_only)
    return _layout(w, lambda value: g.text(fmt(value)), g.text("δ"))


class _Drawing:
    """Draws one walkthrough after one step; the helpers share that step's state."""

    def __init__(self, w: Iteration, k: int, ascii_only: bool) -> None:
        self.w, self.g = w, Glyphs(ascii_only)
        self.m = _ASCII if ascii_only else _UNICODE
        self.shown = w.visible(k)
        self.inputs = w.input_values(w.current_sample(k))
        self.incoming = _incoming(w)
        self.columns = _cached_layout(w, ascii_only, language())
        self.height = max(c.top + c.pitch * len(c.units) for c in self.columns)
        step = w.step(k)
        self.fresh = (step.phase, step.target) if step else None  # the number just computed
        update = step is not None and step.phase == "update"
        self.link = w.link(step.target) if update else None
        self.marked = {self.link.target} if self.link else {step.target} if step else set()
        if step and step.phase == "loss":
            self.marked = {u.name for u in self.columns[-1].units}

    def num(self, value: float) -> str:
        """The one number format, made ASCII when asked."""
        return self.g.text(fmt(value))

    def _node(self, c: _Column, unit: Unit) -> Text:
        """``▶Z1 1*  δ −4*``: marker, name, value and (once known) delta, in fixed slots."""
        mark, style = " ", ""
        if unit.name in self.marked:
            mark, style = self.g.marker, CURRENT
        elif self.link and unit.name == self.link.source:
            mark, style = self.m.source, SOURCE
        text = Text(mark + unit.name.ljust(c.name_w) + " ")
        forward = self.shown.get(("forward", unit.name))
        if unit.name in self.inputs:
            self._value(text, self.num(self.inputs[unit.name]), None, c.value_w)
        else:
            value = self.num(forward.value) if forward else None
            self._value(text, value, ("forward", unit.name), c.value_w)
        backward = self.shown.get(("backward", unit.name))
        if backward is not None:
            text.append(" " + self.g.text("δ") + " ")
            self._value(text, self.num(backward.value), ("backward", unit.name), c.delta_w)
        text.rstrip()
        text.stylize(style)  # the whole node, so the current step reads as one highlighted bar
        return text

    def _value(self, text: Text, value: str | None, key: tuple[str, str] | None, w: int) -> None:
        """Append a number (or the placeholder) in a slot of width ``w``, plus one for ``*``."""
        if value is None:
            text.append(self.g.placeholder.ljust(w + 1), PENDING)
        elif key is not None and key == self.fresh:
            text.append(value + "*", FRESH)
            text.append(" " * (w - len(value)))
        else:
            text.append(value.ljust(w + 1))

    def _weights(self, c: _Column, unit: Unit) -> list[Text]:
        """`` w 1.4′ [1] 1``: incoming weights, bias first; new once updated, current bracketed."""
        lines: list[Text] = []
        for i, link in enumerate(self.incoming.get(unit.name, [])):
            if i % c.per_line == 0:
                lines.append(Text(" w" if not lines else "  "))
            old, new = self.w.weight(link), self.w.weight(link, after=True)
            updated = ("update", link.name) in self.shown
            changed = updated and _changed(old, new)
            entry = self.num(new if updated else old) + (self.m.prime if changed else "")
            lines[-1].append(" ")
            if link is self.link:
                lines[-1].append(f"[{entry}]", CURRENT)
            else:
                lines[-1].append(entry, CHANGED if changed else "")
        return lines

    def _cells(self, c: _Column) -> list[Text]:
        """The column's rows: each unit's node, then its weight lines or blanks."""
        rows: list[Text] = []
        for unit in c.units:
            below = self._weights(c, unit)
            rows += [self._node(c, unit), *below, *[Text()] * (c.pitch - 1 - len(below))]
        return rows

    def _bus(self, i: int) -> tuple[set[int], list[str]]:
        """The rows with a source stub, and every row's bar and arrow, between columns i, i+1."""
        src, dst = self.columns[i], self.columns[i + 1]
        left = {src.top + src.pitch * n for n in range(len(src.units))}
        right = {dst.top + dst.pitch * n for n, u in enumerate(dst.units) if not u.bias}
        lo, hi = min(left | right), max(left | right)
        blank = " " * len(self.m.arrow)
        return left, [
            (_junction(self.m, lo < r, r < hi, r in left, r in right) if lo <= r <= hi else " ")
            + (self.m.arrow if r in right else blank)
            for r in range(self.height)
        ]

    def lines(self) -> list[Text]:
        """Heading, network rows, the loss line and the legend, padded to one width."""
        rows = [Text() for _ in range(self.height)]
        heading, start = Text(), 0
        for i, c in enumerate(self.columns):
            start = heading.cell_len
            heading.append(" " + c.label, LABEL)
            cells = self._cells(c)
            last = i == len(self.columns) - 1
            sources, pieces = (set(), []) if last else self._bus(i)
            for r, row in enumerate(rows):
                cell = cells[r - c.top].copy() if 0 <= r - c.top < len(cells) else Text()
                cell.rstrip()
                row.append_text(cell)
                if not last:
                    pad = c.width + GAP - cell.cell_len
                    stub = " " + self.m.line * (pad - 1) if r in sources else " " * pad
                    row.append(stub + pieces[r], WIRE)
            heading.pad_right(rows[0].cell_len - heading.cell_len)
        out = [heading, *rows, self._loss_line(start), self._legend()]
        width = max(start + self.columns[-1].width, *(line.cell_len for line in out))
        for line in out:
            line.pad_right(width - line.cell_len)
        return out

    def _loss_line(self, indent: int) -> Text:
        """``E = −4`` under the output column, marked at the loss step."""
        fresh = self.fresh == ("loss", "loss")
        text = Text(" " * indent)
        text.append((self.g.marker if fresh else " ") + "E", CURRENT if fresh else "")
        text.append(" = ")
        loss = self.shown.get(("loss", "loss"))
        if loss is None:
            text.append(self.g.placeholder, PENDING)
        else:
            text.append(self.num(loss.value) + ("*" if fresh else ""), FRESH if fresh else "")
        return text

    def _legend(self) -> Text:
        """One line naming the marks, each in its own style."""
        text = Text()
        for mark, style, meaning in (
            (self.g.marker, CURRENT, "diagram.legend.current"),
            (self.m.source, SOURCE, "diagram.legend.source"),
            ("*", FRESH, "diagram.legend.new"),
            (self.m.prime, CHANGED, "diagram.legend.updated"),
            (self.g.placeholder, PENDING, "diagram.legend.pending"),
        ):
            text.append("  " if text else " ")
            text.append(mark, style)
            text.append(" " + self.g.text(t(meaning)), "dim")
        return text


class _LargeDrawing(_Drawing):
    """A large network, in windows of SLOTS units per column (see the module's docstring)."""

    def __init__(self, w: Iteration, k: int, ascii_only: bool) -> None:
        self.w, self.g = w, Glyphs(ascii_only)
        self.m = _ASCII if ascii_only else _UNICODE
        self.shown = w.visible(k)
        self.inputs = w.input_values(w.current_sample(k))
        step = w.step(k)
        self.fresh = (step.phase, step.target) if step else None
        update = step is not None and step.phase == "update"
        self.link = w.link(step.target) if update else None
        self.marked = {self.link.target} if self.link else {step.target} if step else set()
        layers = len(w.scenario.layers)
        if step and step.phase == "loss":
            self.marked = {u.name for u in w.units if u.layer == layers - 1}
        labels = [t("diagram.input"),
                  *(t("diagram.hidden") if layers == 3 else t("diagram.hidden_n", n=i)
                    for i in range(1, layers - 1)),
                  t("diagram.output")]
        self.columns = [
            _Column([u for u in w.units if u.layer == i], labels[i], pitch=1)
            for i in range(layers)
        ]
        for c in self.columns:
            c.name_w = max(len(u.name) for u in c.units)
            c.value_w = c.delta_w = NUMBER_WIDTH
            c.width = max(1 + c.name_w + 1 + NUMBER_WIDTH + 1 + 3 + NUMBER_WIDTH + 1,
                          1 + len(c.label))
        self.height = SLOTS + 2  # a "more above" line, the units, a "more below" line

    def _window(self, c: _Column) -> list[Text]:
        """The column's lines: the units around the one the step is about."""
        units = c.units
        focus = next((i for i, u in enumerate(units)
                      if u.name in self.marked or (self.link and u.name == self.link.source)),
                     0)
        start = max(0, min(focus - SLOTS // 2, len(units) - SLOTS))
        shown = units[start:start + SLOTS]
        above, below = start, len(units) - start - len(shown)
        more = [Text(f"  ⋮ +{n}" if n else "", "dim") for n in (above, below)]
        return [more[0], *(self._node(c, u) for u in shown), more[1]]

    def lines(self) -> list[Text]:
        """Heading, the columns side by side, the loss line and the legend."""
        heading, rows = Text(), [Text() for _ in range(self.height)]
        start = 0
        for i, c in enumerate(self.columns):
            start = heading.cell_len
            heading.append(" " + c.label, LABEL)
            cells = self._window(c)
            for r, row in enumerate(rows):
                cell = cells[r].copy() if r < len(cells) else Text()
                cell.rstrip()
                row.append_text(cell)
                if i < len(self.columns) - 1:
                    row.append(" " * (c.width + GAP - cell.cell_len))
                    row.append(self.m.bar + self.m.arrow if 0 < r < self.height - 1
                               else " " * (1 + len(self.m.arrow)), WIRE)
            heading.pad_right(rows[0].cell_len - heading.cell_len)
        out = [heading, *rows, self._loss_line(start), self._legend()]
        width = max(line.cell_len for line in out)
        for line in out:
            line.pad_right(width - line.cell_len)
        return out


def is_large(w: Iteration) -> bool:
    """True for a network drawn in windows (see the module's docstring)."""
    return max(w.scenario.layers) > BIG_LAYER or len(w) > BIG_STEPS


def diagram_lines(w: Iteration, k: int, *, ascii_only: bool = False) -> list[Text]:
    """The network as it stands after step ``k`` (``-1``: before the first step), line by line.

    Columns are the layers, left to right; a bus between two columns shows that every unit
    feeds every computed unit of the next layer. Every line has the same width.
    """
    if not -1 <= k < len(w):
        raise IndexError(f"step {k} is outside -1..{len(w) - 1}")
    drawing = _LargeDrawing if is_large(w) else _Drawing
    return drawing(w, k, ascii_only).lines()
