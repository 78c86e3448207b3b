"""The delta table: one row per unit that has a δ (every computed unit, output first)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from engine.numbers import fmt
from engine.records import Step
from tui.glyphs import glyphs
from tui.i18n import t
from tui.widgets.step_table import Cells, StepTable

if TYPE_CHECKING:
    from engine.walkthrough import Walkthrough


class DeltaTable(StepTable):
    """Unit, δ, the delta rule, the rule with numbers (δ second, to stay in view)."""

    def column_labels(self) -> tuple[str, ...]:
        """Unit, δ, rule, with numbers."""
        return (t("col.unit"), t("col.delta"), t("col.formula"), t("col.numbers"))

    def numeric_columns(self) -> tuple[int, ...]:
        """The δ column."""
        return (1,)

    def row_keys(self, w: Walkthrough) -> list[str]:
        """Units in the order backprop reaches them: the output layer, then back."""
        return w.delta_units

    def current_key(self, step: Step) -> str | None:
        """Backward steps, by unit."""
        return step.target if step.phase == "backward" else None

    def row_cells(
        self, w: Walkthrough, key: str, shown: Mapping[tuple[str, str], Step], sample: int
    ) -> Cells:
        """The rule and δ once this unit's backward step is done."""
        step = shown.get(("backward", key))
        if step is None:
            return (key, glyphs().placeholder, "", "")
        return (key, fmt(step.value), step.formula, step.substituted)
