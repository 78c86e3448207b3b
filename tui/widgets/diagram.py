"""The network diagram as rich Text: layers as columns, buses between them, values inline.

Pure (no Textual), so the widget and the tests draw the very same picture.
Every column's width is fixed for the whole walkthrough, so stepping never makes it jump.

Under each computed unit stand its incoming weights, each named by the unit it comes from
(``X0▆1.4′``), so one link (Z1->D0: Z1's entry under D0) can be found on screen. The bar
between name and number is the link as TensorFlow Playground draws it: blue for a positive
weight, orange for a negative one, taller and brighter for a larger |w|; without colour the
bar's height and the number's sign say the same (``_:|#`` under --ascii).

The drawing takes the most spacious of its SPACINGS that fits the room it is given (weight
lists wrapped narrower, then each δ on a line of its own); beside the explanation, one that
would crowd it takes the narrowest that fits its lines (CROWDED). What still does not fit,
the pane scrolls, keeping :attr:`Diagram.focus` (the current step's unit) in view. A bias
unit never shares a row with a unit of the layer before, which it would seem to be fed by.

A large network (a layer of more than BIG_LAYER units, or more than BIG_STEPS steps) is drawn
smaller, so its cost does not grow with the lesson: each column shows at most SLOTS units, a
window around the one the step is about, with how many more there are above and below; no
weight lines (the update table and the explanation show them); numbers in slots of a fixed
width rather than sized by scanning every step.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rich.cells import cell_len
from rich.text import Span, Text

from engine.numbers import fmt
from engine.opening import Iteration
from engine.records import Link, Step, Unit
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
POSITIVE = "#2e86d6"  # a positive weight's bar: TensorFlow Playground's blue, a little lighter
NEGATIVE = "#f59322"  # a negative weight's bar: TensorFlow Playground's orange
#: Brightness of a weight's bar by its size, weakest first (the bar's height says it too).
STRENGTH = ("dim", "", "", "bold")
STRENGTH_LIMITS = (0.25, 0.75, 1.5)  # |w| from which a bar is one step taller

GAP = 2  # cells between a column's widest line and its bus: room for " ─"
BIG_LAYER = 16  # a network with a wider layer is drawn in windows
BIG_STEPS = 20_000  # sizing the columns scans every step: not beyond this
SLOTS = 9  # units shown per column of a large network
NUMBER_WIDTH = 11  # the widest fmt() writes ("−1.2346e+10"): slots of a large network


@dataclass(frozen=True)
class Spacing:
    """How tightly the drawing is packed."""

    wrap: int
    """The widest a weight line may grow: longer lists wrap (0: one weight a line)."""
    split: bool
    """Each δ on a line of its own, under its unit's value, not beside it."""


#: From the most spacious to the tightest: the first that fits the room is drawn.
SPACINGS = (Spacing(36, False), Spacing(24, False), Spacing(24, True), Spacing(0, True))
#: Beside another pane (the explanation), a drawing that takes more of its room than this is
#: drawn as narrow as its lines allow: at 120x36 the article's spacious drawing would leave
#: the explanation 40 columns, its narrower one 55.
CROWDED = 0.85


@dataclass(frozen=True)
class _Marks:
    """Symbols beyond :class:`Glyphs`: the source marker, the ′, the bus pieces and the bars."""

    source: str
    prime: str
    line: str
    bar: str
    arrow: str
    corners: str  # ┐┌┬ ┘└┴ ┤├┼: top, bottom, middle; each left-only, right-only, both
    bars: str  # a weight's bar, by |w| (see STRENGTH_LIMITS)


_UNICODE = _Marks("›", "′", "─", "│", "─→ ", "┐┌┬┘└┴┤├┼", "▂▄▆█")
_ASCII = _Marks("~", "'", "-", "|", "-> ", "+" * 9, "_:|#")


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


def strength(weight: float) -> int:
    """How strong a link is drawn, 0 (|w| < 0.25, or nan) to 3 (|w| ≥ 1.5)."""
    size, (weak, middle, strong) = abs(weight), STRENGTH_LIMITS
    return 0 if not size >= weak else 1 if size < middle else 2 if size < strong else 3


#: A bar's style by its strength and its weight's sign (1, -1; 0 for zero or nan).
_BAR_STYLES = {
    (level, sign): " ".join(filter(None, (brightness, colour)))
    for level, brightness in enumerate(STRENGTH)
    for sign, colour in ((0, ""), (1, POSITIVE), (-1, NEGATIVE))
}


def bar_style(weight: float) -> str:
    """A weight's bar: blue positive, orange negative, brighter as |w| grows."""
    return _BAR_STYLES[strength(weight), 1 if weight > 0 else -1 if weight < 0 else 0]


def _entry_width(w: Iteration, link: Link, num: Callable[[float], str]) -> int:
    """The widest a weight entry can be: its source, the bar, and its old number or its new
    one with the ′."""
    old, new = w.weight(link), w.weight(link, after=True)
    return len(link.source) + 1 + max(len(num(old)), len(num(new)) + _changed(old, new))


@lru_cache(maxsize=8)
def _incoming(w: Iteration) -> dict[str, list[Link]]:
    """Each computed unit's incoming links, in source order (the bias first); fixed for the
    walkthrough, so worked out once (do not change the lists)."""
    incoming: dict[str, list[Link]] = {}
    for link in w.links:
        incoming.setdefault(link.target, []).append(link)
    return incoming


def _labels(layers: int) -> list[str]:
    """The layer headings."""
    hidden = [
        t("diagram.hidden") if layers == 3 else t("diagram.hidden_n", n=i)
        for i in range(1, layers - 1)
    ]
    return [t("diagram.input"), *hidden, t("diagram.output")]


@dataclass
class _Column:
    """One layer: what its numbers need (measured once) and its geometry for one spacing."""

    units: list[Unit]
    label: str
    name_w: int = 0
    value_w: int = 1
    delta_w: int = 0
    entries: list[list[int]] = field(default_factory=list)  # each unit's weights' widths
    top: int = 0
    pitch: int = 2  # rows per unit: the node, its δ line if split, its weight lines or a blank
    per_line: int = 1  # weights per weight line
    split: bool = False  # the δ on a line of its own
    width: int = 0

    def rows(self) -> set[int]:
        """The rows of its units' nodes."""
        return {self.top + self.pitch * n for n in range(len(self.units))}


@dataclass(frozen=True)
class _Measured:
    """Every number the walkthrough can show, measured: the same for any spacing."""

    columns: list[_Column]
    loss_w: int
    delta: str


@lru_cache(maxsize=8)
def _measure(w: Iteration, ascii_only: bool, lang: str) -> _Measured:
    """The widths of every number the walkthrough can show: scans every step, so once per
    iteration (and language), not on every key."""
    g = Glyphs(ascii_only)

    def num(value: float) -> str:
        return g.text(fmt(value))

    labels = _labels(len(w.scenario.layers))
    columns = [
        _Column([u for u in w.units if u.layer == i], labels[i]) for i in range(len(labels))
    ]
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
        c.entries = [e for e in entries if e]
        c.name_w = max(len(u.name) for u in c.units)
        for u in c.units:
            shown = values.get(u.name, set()) | values.get(f"forward {u.name}", set())
            c.value_w = max([c.value_w, *map(len, shown)])
            c.delta_w = max([c.delta_w, *map(len, values.get(f"backward {u.name}", set()))])
    loss_w = 6 + max(map(len, values.get("loss loss", {""})))  # "▶E = " and "*"
    return _Measured(columns, loss_w, g.text("δ"))


def _shape(measured: _Measured, spacing: Spacing, arrow: int) -> tuple[list[_Column], int]:
    """The columns' geometry for one spacing, and the width of the network it draws."""
    columns = [replace(c) for c in measured.columns]
    delta = len(measured.delta)
    for c in columns:
        c.split = spacing.split and c.delta_w > 0
        lines = 0
        if c.entries:
            widest = max(max(e) for e in c.entries)
            n = len(c.entries[0])
            lines = math.ceil(n / max(1, spacing.wrap // (widest + 1)))
            c.per_line = math.ceil(n / lines)
        c.pitch = 1 + c.split + lines if lines or c.split else 2
        node_w = 1 + c.name_w + 1 + c.value_w + 1
        delta_w = c.delta_w + delta + 3 if c.delta_w else 0  # " δ " and the "*"
        weight_w = max(  # " w" or "  ", the entries, room for "[" and "]"
            [4 + sum(1 + x for x in e[i : i + c.per_line])
             for e in c.entries for i in range(0, len(e), c.per_line)], default=0
        )
        split_w = _delta_indent(c.name_w, measured.delta) + delta + 2 + c.delta_w
        c.width = max(node_w + (0 if c.split else delta_w), split_w if c.split else 0,
                      weight_w, 1 + cell_len(c.label))
    columns[-1].width = max(columns[-1].width, measured.loss_w)
    _place(columns)
    width = sum(c.width + GAP + 1 + arrow for c in columns[:-1]) + columns[-1].width
    return columns, width


def _delta_indent(name_w: int, delta: str) -> int:
    """Where a δ line starts, so that its number stands under the unit's value."""
    return max(1, name_w + 1 - len(delta))


def _place(columns: list[_Column]) -> None:
    """Centre the columns, then move them apart where a bias unit would share a row with a
    unit of the layer before (``X0 1 ──┐    Z0 1`` reads as if X0 fed Z0)."""
    height = max(c.pitch * len(c.units) for c in columns)
    for c in columns:
        c.top = (height - c.pitch * len(c.units)) // 2
    for i in range(1, len(columns)):
        before, c = columns[i - 1], columns[i]
        rows = before.rows()
        if not c.units[0].bias or c.top not in rows:
            continue
        if c.top > 0 and c.top - 1 not in rows:
            c.top -= 1
        else:
            for earlier in columns[:i]:
                earlier.top += 1


@lru_cache(maxsize=16)
def _cached_layout(
    w: Iteration, ascii_only: bool, lang: str, room: int | None, rows: int | None
) -> tuple[list[_Column], Spacing]:
    """The layout of one walkthrough in ``room`` cells: the most spacious that fits, else the
    tightest; given ``rows`` too (a pane that shares its width), when that would crowd the
    pane beside it, the narrowest that fits both.
    It depends on every number the walkthrough can show, not on the step, so it is worked out
    once per iteration, language and room, not on every key."""
    measured = _measure(w, ascii_only, lang)
    arrow = len((_ASCII if ascii_only else _UNICODE).arrow)
    shapes = [(spacing, *_shape(measured, spacing, arrow)) for spacing in SPACINGS]
    fitting = [shape for shape in shapes if room is None or shape[2] <= room]
    if not fitting:
        return shapes[-1][1], shapes[-1][0]
    if rows is not None and room is not None and fitting[0][2] > CROWDED * room:
        short = [shape for shape in fitting if _lines(shape[1]) <= rows]
        if short:
            spacing, columns, _width = min(short, key=lambda shape: shape[2])
            return columns, spacing
    return fitting[0][1], fitting[0][0]


def _lines(columns: list[_Column]) -> int:
    """How many lines a drawing of these columns takes: the heading, the units, the loss line
    and (about) the legend."""
    return 1 + max(c.top + c.pitch * len(c.units) for c in columns) + 1 + 1


class _Row:
    """One line of the drawing, assembled from pieces: its text and its styles' spans, made a
    Text once (a step draws every line; Text.append per piece costs half the drawing)."""

    __slots__ = ("parts", "spans", "width")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[Span] = []
        self.width = 0  # the pieces hold no wide characters: one cell per character

    def add(self, text: Text) -> None:
        """A styled piece (a node, a weight line)."""
        at = self.width
        if text.style:  # under the piece's own spans, as Text.append_text puts it
            self.spans.append(Span(at, at + len(text.plain), text.style))
        self.spans += [Span(at + s.start, at + s.end, s.style) for s in text.spans]
        self.parts.append(text.plain)
        self.width += len(text.plain)

    def add_plain(self, text: str, style: str) -> None:
        """A piece in one style (a stub, the bus)."""
        self.spans.append(Span(self.width, self.width + len(text), style))
        self.parts.append(text)
        self.width += len(text)

    def text(self, width: int) -> Text:
        """The line, padded to ``width`` cells."""
        return Text("".join(self.parts) + " " * (width - self.width), spans=self.spans)


@dataclass(frozen=True)
class Diagram:
    """The drawing, and where in it the current step is."""

    lines: list[Text]
    """Every line of the same width."""
    focus: tuple[int, int, int]
    """The current step's unit: its line, its first cell and its width (the top-left corner,
    ``(0, 0, 0)``, before the first step), for a pane that keeps it in view."""


class _Drawing:
    """Draws one walkthrough after one step; the helpers share that step's state."""

    def __init__(
        self, w: Iteration, k: int, ascii_only: bool, room: int | None, rows: int | None
    ) -> None:
        step = self._begin(w, k, ascii_only, room)
        self.incoming = _incoming(w)
        self.columns, self.spacing = _cached_layout(w, ascii_only, language(), room, rows)
        self.height = max(c.top + c.pitch * len(c.units) for c in self.columns)
        if step and step.phase == "loss":
            self.marked = {u.name for u in self.columns[-1].units}
        self.focus = (0, 0, 0)

    def _begin(self, w: Iteration, k: int, ascii_only: bool, room: int | None) -> Step | None:
        """What every drawing of step ``k`` needs: the glyphs, the values shown, and the step
        itself, its fresh number and the units it marks; returns the step."""
        self.w, self.g, self.room = w, Glyphs(ascii_only), room
        self.m = _ASCII if ascii_only else _UNICODE
        self.shown = w.visible(k)
        self.inputs = w.input_values(w.current_sample(k))
        step = w.step(k)
        self.fresh = (step.phase, step.target) if step else None  # the number just computed
        update = step is not None and step.phase == "update"
        self.link = w.link(step.target) if update else None
        self.marked = {self.link.target} if self.link else {step.target} if step else set()
        return step

    def num(self, value: float) -> str:
        """The one number format, made ASCII when asked."""
        return self.g.text(fmt(value))

    def _style(self, unit: Unit) -> tuple[str, str]:
        """The node's mark and style: the current step's unit, or the updated link's source."""
        if unit.name in self.marked:
            return self.g.marker, CURRENT
        if self.link and unit.name == self.link.source:
            return self.m.source, SOURCE
        return " ", ""

    def _node(self, c: _Column, unit: Unit) -> Text:
        """``▶Z1 1*  δ −4*``: marker, name, value and (once known) delta, in fixed slots; the
        delta on a line of its own when the column is split."""
        mark, style = self._style(unit)
        text = Text(mark + unit.name.ljust(c.name_w) + " ")
        forward = self.shown.get(("forward", unit.name))
        if unit.name in self.inputs:
            self._value(text, self.num(self.inputs[unit.name]), None, c.value_w)
        else:
            value = self.num(forward.value) if forward else None
            self._value(text, value, ("forward", unit.name), c.value_w)
        if not c.split:
            self._delta(text, unit, c)
        text.rstrip()
        text.stylize(style)  # the whole node, so the current step reads as one highlighted bar
        return text

    def _delta(self, text: Text, unit: Unit, c: _Column) -> None:
        """`` δ −4*`` once the unit's delta is known."""
        backward = self.shown.get(("backward", unit.name))
        if backward is not None:
            text.append(" " + self.g.text("δ") + " ")
            self._value(text, self.num(backward.value), ("backward", unit.name), c.delta_w)

    def _delta_line(self, c: _Column, unit: Unit) -> Text:
        """A split column's second line of a unit: ``δ −4*`` under its value, once known."""
        backward = self.shown.get(("backward", unit.name))
        if backward is None:
            return Text()
        delta = self.g.text("δ")
        text = Text(" " * _delta_indent(c.name_w, delta) + delta + " ")
        self._value(text, self.num(backward.value), ("backward", unit.name), c.delta_w)
        text.rstrip()
        text.stylize(self._style(unit)[1])
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
        """`` w X0▆1.4′ [X1▆1] X2▆1``: incoming weights by source, bias first; new once
        updated, the current one bracketed. Each line is made whole, its styles as spans: a
        step draws every weight, and Text.append per piece costs twice as much."""
        lines: list[Text] = []
        parts: list[str] = []
        spans: list[Span] = []
        at = 0
        for i, link in enumerate(self.incoming.get(unit.name, [])):
            if i % c.per_line == 0:
                if parts:
                    lines.append(Text("".join(parts), spans=spans))
                parts, spans, at = [" w" if not lines else "  "], [], 2
            old, new = self.w.weight(link), self.w.weight(link, after=True)
            updated = ("update", link.name) in self.shown
            changed = updated and _changed(old, new)
            weight = new if updated else old
            number = self.num(weight) + (self.m.prime if changed else "")
            current = link is self.link
            entry = (" [" if current else " ") + link.source
            bar = at + len(entry)
            entry += self.m.bars[strength(weight)] + number + ("]" if current else "")
            spans.append(Span(bar, bar + 1, bar_style(weight)))
            if changed:
                spans.append(Span(bar + 1, bar + 1 + len(number), CHANGED))
            if current:
                spans.append(Span(at + 1, at + len(entry), CURRENT))
            parts.append(entry)
            at += len(entry)
        if parts:
            lines.append(Text("".join(parts), spans=spans))
        return lines

    def _cells(self, c: _Column) -> tuple[list[Text], int | None]:
        """The column's rows: each unit's node, then its δ line, its weight lines or blanks;
        and the row of the unit the step is about, if it is in this column."""
        rows: list[Text] = []
        focus = None
        for unit in c.units:
            if focus is None and unit.name in self.marked:
                focus = len(rows)
            below = [self._delta_line(c, unit)] if c.split else []
            below += self._weights(c, unit)
            rows += [self._node(c, unit), *below, *[Text()] * (c.pitch - 1 - len(below))]
        return rows, focus

    def _bus(self, i: int) -> tuple[set[int], list[str]]:
        """The rows with a source stub, and every row's bar and arrow, between columns i, i+1."""
        src, dst = self.columns[i], self.columns[i + 1]
        left = src.rows()
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
        rows = [_Row() for _ in range(self.height)]
        heading, start = Text(), 0
        for i, c in enumerate(self.columns):
            start = rows[0].width
            heading.append(" " + c.label, LABEL)
            cells, focus = self._cells(c)
            if focus is not None and self.focus == (0, 0, 0):
                self.focus = (1 + c.top + focus, start, c.width)
            last = i == len(self.columns) - 1
            sources, pieces = (set(), []) if last else self._bus(i)
            for r, row in enumerate(rows):
                cell = cells[r - c.top] if 0 <= r - c.top < len(cells) else None
                if cell is not None:
                    row.add(cell)
                if not last:
                    pad = start + c.width + GAP - row.width
                    stub = " " + self.m.line * (pad - 1) if r in sources else " " * pad
                    row.add_plain(stub + pieces[r], WIRE)
            heading.pad_right(rows[0].width - heading.cell_len)
        width = start + self.columns[-1].width
        loss = self._loss_line(start)
        key = self._weights_key()
        if key.cell_len + 2 <= start:  # the weights' key fits under the network, left of E
            loss = Text(" ").append_text(key).append(" " * (start - 1 - key.cell_len)) \
                .append_text(loss[start:])
        legend = self._legend(max(width, self.room or 0), weights=key.cell_len + 2 > start)
        if self.fresh == ("loss", "loss"):
            self.focus = (1 + self.height, start, self.columns[-1].width)
        others = [heading, loss, *legend]
        width = max(width, *(row.width for row in rows), *(line.cell_len for line in others))
        for line in others:
            line.pad_right(width - line.cell_len)
        return [heading, *(row.text(width) for row in rows), loss, *legend]

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

    def _weights_key(self) -> Text:
        """The bars, weakest to strongest, and what they mean."""
        bars = Text()
        for level, bar in enumerate(self.m.bars):
            bars.append(bar, " ".join(filter(None, (STRENGTH[level], POSITIVE))))
        return bars.append(" " + self.g.text(t("diagram.legend.weights")), "dim")

    def _legend_items(self, weights: bool) -> list[Text]:
        """Each mark with what it means, in its own style."""
        items = []
        for mark, style, meaning in (
            (self.g.marker, CURRENT, "diagram.legend.current"),
            (self.m.source, SOURCE, "diagram.legend.source"),
            ("*", FRESH, "diagram.legend.new"),
            (self.m.prime, CHANGED, "diagram.legend.updated"),
            (self.g.placeholder, PENDING, "diagram.legend.pending"),
        ):
            items.append(Text(mark, style).append(" " + self.g.text(t(meaning)), "dim"))
        return [*items, self._weights_key()] if weights else items

    def _legend(self, width: int, weights: bool) -> list[Text]:
        """The legend, on as few lines of ``width`` cells as it takes (``room`` given), or on
        one line (``room`` is None)."""
        lines = [Text()]
        for item in self._legend_items(weights):
            if self.room is not None and lines[-1] and \
                    lines[-1].cell_len + 2 + item.cell_len > width:
                lines.append(Text())
            lines[-1].append("  " if lines[-1] else " ")
            lines[-1].append_text(item)
        return lines


class _LargeDrawing(_Drawing):
    """A large network, in windows of SLOTS units per column (see the module's docstring);
    when it does not fit the room, fewer units, each δ under its value."""

    def __init__(
        self, w: Iteration, k: int, ascii_only: bool, room: int | None, rows: int | None
    ) -> None:
        step = self._begin(w, k, ascii_only, room)
        layers = len(w.scenario.layers)
        if step and step.phase == "loss":
            self.marked = {u.name for u in w.units if u.layer == layers - 1}
        labels = _labels(layers)
        self.columns = [
            _Column([u for u in w.units if u.layer == i], labels[i], pitch=1)
            for i in range(layers)
        ]
        delta = len(self.g.text("δ")) + 2 + NUMBER_WIDTH + 1  # " δ " and a number with "*"
        for i, c in enumerate(self.columns):
            c.name_w = max(len(u.name) for u in c.units)
            c.value_w = c.delta_w = NUMBER_WIDTH
            c.width = max(1 + c.name_w + 1 + NUMBER_WIDTH + 1 + (delta if i else 0),
                          1 + cell_len(c.label))
        arrow = len(self.m.arrow)
        width = sum(c.width + GAP + 1 + arrow for c in self.columns[:-1])
        self.slots = SLOTS
        if room is not None and width + self.columns[-1].width > room:
            self.slots = SLOTS // 2
            delta_line = len(self.g.text("δ")) + 2 + NUMBER_WIDTH
            for i, c in enumerate(self.columns):
                c.split, c.pitch = i > 0, 2
                c.width = max(1 + c.name_w + 1 + NUMBER_WIDTH + 1, 1 + cell_len(c.label),
                              _delta_indent(c.name_w, self.g.text("δ")) + delta_line)
        # a "more above" line, the units, a "more below" line
        self.height = self.slots * self.columns[0].pitch + 2
        self.focus = (0, 0, 0)

    def _window(self, c: _Column) -> tuple[list[Text], int | None]:
        """The column's lines: the units around the one the step is about (and its row)."""
        units = c.units
        focus = next((i for i, u in enumerate(units)
                      if u.name in self.marked or (self.link and u.name == self.link.source)),
                     None)
        start = max(0, min((focus or 0) - self.slots // 2, len(units) - self.slots))
        shown = units[start:start + self.slots]
        above, below = start, len(units) - start - len(shown)
        more = [Text(f"  ⋮ +{n}" if n else "", "dim") for n in (above, below)]
        rows = [more[0]]
        for u in shown:
            rows.append(self._node(c, u))
            if c.pitch == 2:
                rows.append(self._delta_line(c, u) if c.split else Text())
        marked = focus is not None and units[focus].name in self.marked
        return [*rows, more[1]], 1 + (focus - start) * c.pitch if marked else None

    def lines(self) -> list[Text]:
        """Heading, the columns side by side, the loss line and the legend."""
        heading, rows = Text(), [Text() for _ in range(self.height)]
        start = 0
        for i, c in enumerate(self.columns):
            start = heading.cell_len
            heading.append(" " + c.label, LABEL)
            cells, focus = self._window(c)
            if focus is not None and self.focus == (0, 0, 0):
                self.focus = (1 + focus, start, c.width)
            for r, row in enumerate(rows):
                cell = cells[r].copy() if r < len(cells) else Text()
                cell.rstrip()
                row.append_text(cell)
                if i < len(self.columns) - 1:
                    row.append(" " * (c.width + GAP - cell.cell_len))
                    inside = 0 < r < self.height - 1
                    arrow = self.m.arrow if (r - 1) % c.pitch == 0 else " " * len(self.m.arrow)
                    row.append(self.m.bar + arrow if inside else " " * (1 + len(arrow)), WIRE)
            heading.pad_right(rows[0].cell_len - heading.cell_len)
        if self.fresh == ("loss", "loss"):
            self.focus = (1 + self.height, start, self.columns[-1].width)
        width = max(line.cell_len for line in rows)
        legend = self._legend(max(width, self.room or 0), weights=False)
        out = [heading, *rows, self._loss_line(start), *legend]
        width = max(line.cell_len for line in out)
        for line in out:
            line.pad_right(width - line.cell_len)
        return out


def is_large(w: Iteration) -> bool:
    """True for a network drawn in windows (see the module's docstring)."""
    return max(w.scenario.layers) > BIG_LAYER or len(w) > BIG_STEPS


def draw(
    w: Iteration, k: int, *, ascii_only: bool = False, room: int | None = None,
    rows: int | None = None,
) -> Diagram:
    """The network as it stands after step ``k`` (``-1``: before the first step), in ``room``
    cells if it can (``None``: as spacious as it likes); given ``rows`` (a pane whose width
    is shared), as narrow as it can be in that many lines.

    Columns are the layers, left to right; a bus between two columns shows that every unit
    feeds every computed unit of the next layer. Every line has the same width.
    """
    if not -1 <= k < len(w):
        raise IndexError(f"step {k} is outside -1..{len(w) - 1}")
    drawing = (_LargeDrawing if is_large(w) else _Drawing)(w, k, ascii_only, room, rows)
    lines = drawing.lines()
    return Diagram(lines, drawing.focus)


def diagram_lines(
    w: Iteration, k: int, *, ascii_only: bool = False, room: int | None = None,
    rows: int | None = None,
) -> list[Text]:
    """The lines of :func:`draw`."""
    return draw(w, k, ascii_only=ascii_only, room=room, rows=rows).lines
