"""The ``print`` transcript: the walkthrough as text (Rich tables), GitHub markdown or JSON.

All three are built from one list of :class:`Section` (plain rows of the engine's strings), so
they show the same numbers as the app, which renders the same walkthrough.

Each is written as it is made, a step at a time: a large lesson's transcript runs to gigabytes,
more than memory holds, while the steps themselves are made on demand
(:class:`~engine.walkthrough.Walkthrough`). The ``render_*`` functions return the whole text,
for small lessons (tests, the app).
"""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from engine import BUILTIN_SCENARIOS, Scenario
from engine.numbers import fmt
from engine.records import Phase, Step
from engine.walkthrough import Walkthrough
from tui.errata import all_notes
from tui.explain import gradient_label, sample_words
from tui.glyphs import Glyphs
from tui.i18n import t
from tui.rows import given_note, update_cells

if TYPE_CHECKING:
    from tui.quiz import Quiz

Row = tuple[str, ...]


class Rows:
    """A section's rows, made afresh one at a time whenever they are iterated: a large
    lesson's rows do not all fit in memory, and the text format reads them twice."""

    def __init__(self, make: Callable[[], Iterator[Row]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[Row]:
        return self._make()


@dataclass(frozen=True)
class Section:
    """One table of the transcript: a title, column headings and rows of cells."""

    title: str
    columns: tuple[str, ...]
    rows: Iterable[Row]
    """The rows, in order; iterating again makes them again."""
    numeric: tuple[int, ...] = ()
    """Indexes of the columns that hold numbers (right-aligned)."""
    rule: str = ""
    """The formula every row follows, when it is the same for all of them."""


def headline(w: Walkthrough) -> list[str]:
    """The lines above the tables: scenario, network shape, settings and which samples."""
    s = w.scenario
    samples = sample_words(w)
    lines = [t("tr.title", name=s.name)]
    description = scenario_description(s)
    if description:
        lines.append(description)
    lines.append(t("tr.network_line", shape="-".join(str(n) for n in s.layers)))
    lines.append(
        t(
            "tr.settings",
            activations="/".join(s.activations),
            loss=s.loss,
            lr=fmt(s.learning_rate),
            update=s.update,
        )
    )
    lines.append(t("tr.iteration", iteration=w.iteration, epoch=w.epoch, samples=samples))
    return lines


def scenario_description(s: Scenario) -> str:
    """A built-in lesson's description in the current language; a file's own as written."""
    key = f"scenario.{s.name}"
    builtin = BUILTIN_SCENARIOS.get(s.name)
    if builtin is not None and builtin == s:
        return t(key)
    return s.description


def _sample_cell(step: Step) -> str:
    return t("tr.all") if step.sample is None else str(step.sample)


def _runs(w: Walkthrough, phase: Phase) -> Iterator[range]:
    """The runs of ``phase``'s steps, in order (a batch has a forward run per sample)."""
    return (run for run in w.phase_runs if w.steps[run.start].phase == phase)


def _phase_steps(w: Walkthrough, phase: Phase) -> Iterator[Step]:
    """``phase``'s steps in order, each made when reached; the others are not made."""
    for run in _runs(w, phase):
        for k in run:
            yield w.steps[k]


def sections(w: Walkthrough) -> list[Section]:
    """The transcript's tables: forward pass, loss, deltas and weight updates."""
    batch = w.batch

    def lead(step: Step) -> Row:
        return (_sample_cell(step), step.target) if batch else (step.target,)

    def forward_rows() -> Iterator[Row]:
        # One run per sample: its given units (inputs, biases), then its computed ones.
        for run in _runs(w, "forward"):
            sample = w.steps[run.start].sample
            assert sample is not None  # a forward step is always about one sample
            given = w.input_values(sample)
            for unit in w.units:
                if unit.layer == 0 or unit.bias:
                    cells = (unit.name, given_note(unit), "", fmt(given[unit.name]))
                    yield ((str(sample),) if batch else ()) + cells
            for k in run:
                step = w.steps[k]
                yield lead(step) + (step.formula, step.substituted, fmt(step.value))

    def loss_rows() -> Iterator[Row]:
        for s in _phase_steps(w, "loss"):
            yield (_sample_cell(s), s.formula, s.substituted, fmt(s.value))

    def delta_rows() -> Iterator[Row]:
        for s in _phase_steps(w, "backward"):
            yield lead(s) + (s.formula, s.substituted, fmt(s.value))

    def update_rows() -> Iterator[Row]:
        return (update_cells(s) for s in _phase_steps(w, "update"))

    lead_cols = (t("tr.col.sample"),) if batch else ()
    shift = len(lead_cols)
    unit_cols = lead_cols + (t("col.unit"), t("col.formula"), t("col.numbers"))
    return [
        Section(t("tr.forward"), unit_cols + (t("col.value"),), Rows(forward_rows),
                (shift + 3,)),
        Section(
            t("tr.loss"),
            (t("tr.col.sample"), t("col.formula"), t("col.numbers"), t("col.value")),
            Rows(loss_rows),
            (3,),
        ),
        Section(t("tr.deltas"), unit_cols + (t("col.delta"),), Rows(delta_rows),
                (shift + 3,)),
        Section(
            t("tr.updates"),
            (t("col.link"), t("col.old"), gradient_label(w.scenario), t("col.new"),
             t("col.numbers")),
            Rows(update_rows),
            (1, 2, 3),
            rule=update_rule(w),
        ),
    ]


def update_rule(w: Walkthrough) -> str:
    """The update rule every link follows in this walkthrough, written once."""
    if w.batch:
        return "w ← w − α·mean(Z·δ)"
    return "w ← w − α·Z·δ"


def warnings_for(w: Walkthrough) -> list[str]:
    """Warnings a reader must see next to the numbers (overflow to inf or nan)."""
    return [] if w.finite else [t("cli.overflow")]


def _whole(write: Callable[[TextIO], None]) -> str:
    """What ``write`` writes, as one string without the final newline."""
    buffer = io.StringIO()
    write(buffer)
    return buffer.getvalue().removesuffix("\n")


# --- markdown ---------------------------------------------------------------------------------


def write_markdown(w: Walkthrough, out: TextIO, ascii_only: bool = False,
                   quiz: Quiz | None = None) -> None:
    """GitHub-flavoured markdown on ``out``, a line at a time: a heading, the settings, one
    table per section, the notes; with a ``quiz`` (the app's save), how it went in this
    iteration."""
    text = Glyphs(ascii_only).text
    quiz_lines: list[str] = []
    if quiz is not None:
        from tui.quiz import markdown_lines

        quiz_lines = markdown_lines(quiz, w)
    for line in itertools.chain(_markdown_lines(w), quiz_lines):
        out.write(text(line) + "\n")


def render_markdown(w: Walkthrough, ascii_only: bool = False, quiz: Quiz | None = None) -> str:
    """The markdown of :func:`write_markdown` as one string (without its final newline)."""
    return _whole(lambda out: write_markdown(w, out, ascii_only, quiz))


def _markdown_lines(w: Walkthrough) -> Iterator[str]:
    head = headline(w)
    yield from [f"# {head[0]}", ""] + [f"{line}  " for line in head[1:]] + [""]
    for warning in warnings_for(w):
        yield from (f"> **{t('cli.warning')}:** {warning}", "")
    for section in sections(w):
        yield from (f"## {section.title}", "")
        if section.rule:
            yield from (f"`{section.rule}`", "")
        yield "| " + " | ".join(section.columns) + " |"
        aligns = ("---:" if i in section.numeric else "---" for i in range(len(section.columns)))
        yield "|" + "|".join(aligns) + "|"
        for row in section.rows:
            yield "| " + " | ".join(_md_cell(c) for c in row) + " |"
        yield ""
    notes = note_lines(w)
    if notes:
        yield from (f"## {t('tr.notes')}", "")
        yield from (f"- **{where}, {title}:** {text}" for where, title, text in notes)
        yield ""


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|") if text else " "


# --- JSON -------------------------------------------------------------------------------------


def write_json(w: Walkthrough, out: TextIO, ascii_only: bool = False) -> None:
    """The JSON transcript (``scenario``, ``units``, ``links``, ``steps``, ``warnings``,
    ``notes``; see README) on ``out``, a step at a time; with ``ascii_only``, non-ASCII
    characters are written as JSON escapes."""
    write_json_object(out, _json_parts(w), ascii_only)


def render_json(w: Walkthrough, ascii_only: bool = False) -> str:
    """The JSON of :func:`write_json` as one string (without its final newline)."""
    return _whole(lambda out: write_json(w, out, ascii_only))


def write_json_object(out: TextIO, parts: Iterable[tuple[str, Any]],
                      ascii_only: bool = False) -> None:
    """A JSON object of ``parts`` (key, value) and a newline on ``out``, laid out as
    ``json.dumps(…, indent=2)`` lays out the whole: a value that is an iterable (not a string
    or dict) is written as an array an item at a time, so it need not fit in memory."""

    encoder = json.JSONEncoder(ensure_ascii=ascii_only, indent=2, allow_nan=False)

    def dump(value: Any, depth: int) -> str:
        return encoder.encode(value).replace("\n", "\n" + "  " * depth)

    separator = "{\n"
    for key, value in parts:
        out.write(f"{separator}  {dump(key, 1)}: ")
        if isinstance(value, Iterable) and not isinstance(value, (str, dict)):
            empty = True
            for item in value:
                out.write(("[\n    " if empty else ",\n    ") + dump(item, 2))
                empty = False
            out.write("[]" if empty else "\n  ]")
        else:
            out.write(dump(value, 1))
        separator = ",\n"
    out.write("{}\n" if separator == "{\n" else "\n}\n")


def _json_parts(w: Walkthrough) -> Iterator[tuple[str, Any]]:
    """The transcript's keys and values in order; the steps, the bulk, each made only when it
    is written (the rest is the walkthrough's own header, one dict a unit and a link)."""
    yield from w.header_dict().items()
    yield "steps", (step.to_dict() for step in w.steps)
    yield "warnings", warnings_for(w)
    yield "notes", (
        {"step": None if k < 0 else k, "id": note.id, "title": note.title, "text": note.text}
        for k, note in all_notes(w)
    )


# --- Rich text --------------------------------------------------------------------------------

#: The width a console writing to a file or a pipe lays text out in: wide enough that nothing
#: is wrapped (a formula split over two lines reads wrong), and tables take their natural width.
UNWRAPPED_WIDTH = 1 << 20


class TrimmedLines:
    """A text stream that passes each line to ``out`` without its trailing spaces.

    Rich pads a table's rows and title to the table's width; a terminal shows nothing of it,
    a file or a pipe keeps the spaces. Whole lines are passed on as they come, so what is
    written still streams; Rich ends everything it prints with a newline.
    """

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.pending = ""

    @property
    def encoding(self) -> str:
        """The encoding of ``out``, which Rich reads to choose its characters."""
        return getattr(self.out, "encoding", None) or "utf-8"

    def isatty(self) -> bool:
        """Never a terminal: it is used only for files and pipes."""
        return False

    def write(self, text: str) -> int:
        """Pass on every line ``text`` completes, trimmed; keep the unfinished one."""
        *lines, self.pending = (self.pending + text).split("\n")
        if lines:
            self.out.write("\n".join(line.rstrip(" ") for line in lines) + "\n")
        return len(text)

    def flush(self) -> None:
        """Write out the unfinished line too (nothing follows a flush in a print), then flush
        ``out``."""
        if self.pending:
            self.out.write(self.pending)
            self.pending = ""
        self.out.flush()


#: A section's rows go to Rich in tables of about this many characters: Rich lays a table out
#: and renders it whole, so one table of a large lesson's rows would not fit in memory.
CHUNK_CHARS = 1 << 16


def render_text(w: Walkthrough, console: Any, ascii_only: bool = False) -> None:
    """Rich tables on ``console`` (a :class:`rich.console.Console`), printed as they are
    made."""
    from rich.text import Text

    text = Glyphs(ascii_only).text
    head = headline(w)
    console.print(Text(text(head[0]), style="bold"))
    for line in head[1:]:
        console.print(Text(text(line)))
    for warning in warnings_for(w):
        console.print(Text(text(f"{t('cli.warning')}: {warning}"), style="bold yellow"))
    for section in sections(w):
        _print_section(console, section, ascii_only)
    notes = note_lines(w)
    if notes:
        console.print(Text(text(t("tr.notes")), style="bold"))
        for where, title, note in notes:
            line = Text(text(f"{where}, {title}: "), style="bold yellow")
            line.append(text(note))
            console.print(line)
            console.print()


def _print_section(console: Any, section: Section, ascii_only: bool) -> None:
    """One section as a Rich table (see :func:`print_table`)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    text = Glyphs(ascii_only).text
    title = f"{section.title}: {section.rule}" if section.rule else section.title

    def table(first: bool) -> Table:
        chunk = Table(title=Text(text(title)) if first else None, title_justify="left",
                      title_style="bold", show_header=first,
                      box=box.ASCII if ascii_only else box.SIMPLE_HEAD)
        for i, column in enumerate(section.columns):
            justify = "right" if i in section.numeric else "left"
            chunk.add_column(Text(text(column)), justify=justify, overflow="fold")
        return chunk

    print_table(console, table, Rows(lambda: (tuple(Text(text(c)) for c in row)
                                              for row in section.rows)))


def print_table(console: Any, table: Callable[[bool], Any],
                rows: Iterable[tuple[Any, ...]]) -> None:
    """``rows`` (iterable twice) in the :class:`rich.table.Table` ``table(first)`` makes
    (``first``: with its title and headings), printed a chunk of rows at a time yet laid out
    as one table: every chunk's columns are as wide as the whole table's (see
    :class:`_Measured`), and the borders between chunks are left out."""
    from rich.segment import SegmentLines

    headings = [column.header for column in table(True).columns]
    widths = _column_measurements(console, headings, rows)

    def show(chunk: list[tuple[Any, ...]], first: bool, last: bool) -> None:
        made = table(first)
        for n, row in enumerate(chunk):
            if n == 0:
                row = tuple(_Measured(cell, width) for cell, width in zip(row, widths))
            made.add_row(*row)
        if first and last:
            console.print(made)
            return
        lines = console.render_lines(made, pad=False)
        # The top border of a chunk that follows another, the bottom one of a chunk followed.
        console.print(SegmentLines(lines[0 if first else 1:None if last else -1],
                                   new_lines=True))

    chunks = _chunks(rows)
    chunk, first = next(chunks, []), True
    for following in chunks:
        show(chunk, first, last=False)
        chunk, first = following, False
    show(chunk, first, last=True)


def _chunks(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    """``rows`` in lists of about :data:`CHUNK_CHARS` characters (at least one row each)."""
    chunk: list[tuple[Any, ...]] = []
    size = 0
    for row in rows:
        chunk.append(row)
        size += sum(len(cell) for cell in row)
        if size >= CHUNK_CHARS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _column_measurements(console: Any, headings: list[str],
                         rows: Iterable[tuple[Any, ...]]) -> list[Any]:
    """Each column's narrowest and widest rendering over its heading and every row, as Rich
    measures a table's column: the widest minimum and the widest maximum."""
    from rich.measure import Measurement

    options = console.options
    widest = [Measurement.get(console, options, heading) for heading in headings]
    for row in rows:
        for i, cell in enumerate(row):
            low, high = Measurement.get(console, options, cell)
            widest[i] = Measurement(max(widest[i].minimum, low), max(widest[i].maximum, high))
    return widest


class _Measured:
    """A cell that renders as itself but tells Rich, when it lays out the columns, that it
    needs the room of the widest cell of its column in the whole section: so each chunk of a
    section, whose first row holds these, gets the same column widths as the whole table."""

    def __init__(self, cell: Any, measurement: Any) -> None:
        self.cell = cell
        self.measurement = measurement

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        return self.measurement

    def __rich_console__(self, console: Any, options: Any) -> Iterator[Any]:
        yield self.cell


def note_lines(w: Walkthrough) -> list[tuple[str, str, str]]:
    """The errata notes as (where, title, text): where is the start or the step they are at."""
    lines = []
    for k, note in all_notes(w):
        if k < 0:
            where = t("tr.at_start")
        else:
            step = w.steps[k]
            target = t("row.loss") if step.target == "loss" else step.target
            where = t("tr.at_step", step=k + 1, phase=t(f"phase.{step.phase}"), target=target)
        lines.append((where, note.title, note.text))
    return lines
