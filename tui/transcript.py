"""The ``print`` transcript: the walkthrough as text (Rich tables), GitHub markdown or JSON.

All three are built from one list of :class:`Section` (plain rows of the engine's strings), so
they show the same numbers as the app, which renders the same walkthrough.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from engine import BUILTIN_SCENARIOS, Scenario
from engine.numbers import fmt
from engine.records import Step
from engine.text import to_ascii
from engine.walkthrough import Walkthrough
from tui.errata import all_notes
from tui.explain import sample_words
from tui.i18n import t
from tui.rows import given_note, update_cells


@dataclass(frozen=True)
class Section:
    """One table of the transcript: a title, column headings and rows of cells."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
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


def sections(w: Walkthrough) -> list[Section]:
    """The transcript's tables: forward pass, loss, deltas and weight updates."""
    batch = w.batch
    by_phase: dict[str, list[Step]] = {"forward": [], "loss": [], "backward": [], "update": []}
    for step in w.steps:
        by_phase[step.phase].append(step)

    def lead(step: Step) -> tuple[str, ...]:
        return (_sample_cell(step), step.target) if batch else (step.target,)

    lead_cols = (t("tr.col.sample"),) if batch else ()
    shift = len(lead_cols)
    forward_rows: list[tuple[str, ...]] = []
    for sample in w.samples:
        given = w.input_values(sample)
        for unit in w.units:
            if unit.layer == 0 or unit.bias:
                cells = (unit.name, given_note(unit), "", fmt(given[unit.name]))
                forward_rows.append(((str(sample),) if batch else ()) + cells)
        for step in by_phase["forward"]:
            if step.sample == sample:
                forward_rows.append(lead(step) + (step.formula, step.substituted, fmt(step.value)))
    unit_cols = lead_cols + (t("col.unit"), t("col.formula"), t("col.numbers"))
    return [
        Section(t("tr.forward"), unit_cols + (t("col.value"),), tuple(forward_rows),
                (shift + 3,)),
        Section(
            t("tr.loss"),
            (t("tr.col.sample"), t("col.formula"), t("col.numbers"), t("col.value")),
            tuple((_sample_cell(s), s.formula, s.substituted, fmt(s.value))
                  for s in by_phase["loss"]),
            (3,),
        ),
        Section(
            t("tr.deltas"),
            unit_cols + (t("col.delta"),),
            tuple(lead(s) + (s.formula, s.substituted, fmt(s.value)) for s in by_phase["backward"]),
            (shift + 3,),
        ),
        Section(
            t("tr.updates"),
            (t("col.link"), t("col.old"), t("col.gradient"), t("col.new"),
             t("col.numbers")),
            tuple(update_cells(s) for s in by_phase["update"]),
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


def render_markdown(w: Walkthrough, ascii_only: bool = False) -> str:
    """GitHub-flavoured markdown: a heading, the settings, one table per section."""
    head = headline(w)
    out = [f"# {head[0]}", ""] + [f"{line}  " for line in head[1:]] + [""]
    for warning in warnings_for(w):
        out += [f"> **{t('cli.warning')}:** {warning}", ""]
    for section in sections(w):
        out += [f"## {section.title}", ""]
        if section.rule:
            out += [f"`{section.rule}`", ""]
        out.append("| " + " | ".join(section.columns) + " |")
        aligns = ("---:" if i in section.numeric else "---" for i in range(len(section.columns)))
        out.append("|" + "|".join(aligns) + "|")
        for row in section.rows:
            out.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
        out.append("")
    notes = note_lines(w)
    if notes:
        out += [f"## {t('tr.notes')}", ""]
        out += [f"- **{where}, {title}:** {text}" for where, title, text in notes]
        out.append("")
    text = "\n".join(out)
    return to_ascii(text) if ascii_only else text


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|") if text else " "


def render_json(w: Walkthrough, ascii_only: bool = False) -> str:
    """The walkthrough's own JSON (``scenario``, ``units``, ``links``, ``steps``) plus warnings;
    with ``ascii_only``, non-ASCII characters are written as JSON escapes."""
    data: dict[str, Any] = w.to_dict()
    data["warnings"] = warnings_for(w)
    data["notes"] = [
        {"step": None if k < 0 else k, "id": note.id, "title": note.title, "text": note.text}
        for k, note in all_notes(w)
    ]
    return json.dumps(data, ensure_ascii=ascii_only, indent=2, allow_nan=False)


def render_text(w: Walkthrough, console: Any, ascii_only: bool = False) -> None:
    """Rich tables on ``console`` (a :class:`rich.console.Console`)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    conv = to_ascii if ascii_only else (lambda s: s)
    head = headline(w)
    console.print(Text(conv(head[0]), style="bold"))
    for line in head[1:]:
        console.print(Text(conv(line)))
    for warning in warnings_for(w):
        console.print(Text(conv(f"{t('cli.warning')}: {warning}"), style="bold yellow"))
    for section in sections(w):
        title = f"{section.title}: {section.rule}" if section.rule else section.title
        table = Table(
            title=conv(title),
            title_justify="left",
            title_style="bold",
            box=box.ASCII if ascii_only else box.SIMPLE_HEAD,
        )
        for i, column in enumerate(section.columns):
            table.add_column(conv(column), justify="right" if i in section.numeric else "left",
                             overflow="fold")
        for row in section.rows:
            table.add_row(*(Text(conv(c)) for c in row))
        console.print(table)
    notes = note_lines(w)
    if notes:
        console.print(Text(conv(t("tr.notes")), style="bold"))
        for where, title, text in notes:
            line = Text(conv(f"{where}, {title}: "), style="bold yellow")
            line.append(conv(text))
            console.print(line)
            console.print()


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

