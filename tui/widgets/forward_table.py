"""The forward-pass table: one row per unit (inputs and biases given, the rest computed), then
the loss."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from engine.numbers import fmt
from engine.records import Step
from tui.glyphs import glyphs
from tui.i18n import t
from tui.rows import given_note
from tui.widgets.step_table import Cells, StepTable

if TYPE_CHECKING:
    from engine.walkthrough import Walkthrough


class ForwardTable(StepTable):
    """Unit, value, formula, formula with numbers; the loss in the last row.

    The value comes second so it stays in view on a narrow terminal; the explanation pane
    always shows the current step's whole working.
    """

    def column_labels(self) -> tuple[str, ...]:
        """Unit, value, formula, with numbers."""
        return (t("col.unit"), t("col.value"), t("col.formula"), t("col.numbers"))

    def numeric_columns(self) -> tuple[int, ...]:
        """The value column."""
        return (1,)

    def row_keys(self, w: Walkthrough) -> list[str]:
        """Every unit, then ``loss``."""
        return [u.name for u in w.units] + ["loss"]

    def current_key(self, step: Step) -> str | None:
        """Forward steps by unit; the loss step is the ``loss`` row."""
        return step.target if step.phase in ("forward", "loss") else None

    def row_cells(
        self, w: Walkthrough, key: str, shown: Mapping[tuple[str, str], Step], sample: int
    ) -> Cells:
        """Given units show their value and where it comes from; computed ones once done."""
        unit = w.unit(key)
        if unit is not None and (unit.bias or unit.layer == 0):
            value = w.input_values(sample)[key]
            return (key, fmt(value), given_note(unit), "")
        label = key if unit is not None else t("row.loss")
        step = shown.get(("loss" if unit is None else "forward", key))
        if step is None:
            return (label, glyphs().placeholder, "", "")
        return (label, fmt(step.value), step.formula, step.substituted)
