"""The weight-update table: one row per link, old weight, gradient Z·δ, new weight."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from engine.numbers import fmt
from engine.records import Step
from tui.explain import gradient_label
from tui.glyphs import glyphs
from tui.i18n import t
from tui.rows import update_cells
from tui.widgets.step_table import Cells, StepTable

if TYPE_CHECKING:
    from engine.walkthrough import Walkthrough


class UpdateTable(StepTable):
    """Link, old weight, gradient, new weight, and the update with numbers."""

    def column_labels(self) -> tuple[str, ...]:
        """Link, old, gradient (the article's Z·δ in its own lesson), new, with numbers."""
        w = self._walkthrough  # set before the columns are made (StepTable.watch_cursor)
        gradient = t("col.gradient") if w is None else gradient_label(w.scenario)
        return (t("col.link"), t("col.old"), gradient, t("col.new"), t("col.numbers"))

    def numeric_columns(self) -> tuple[int, ...]:
        """Old, gradient and new."""
        return (1, 2, 3)

    def word_columns(self) -> tuple[int, ...]:
        """The update with numbers gives way to a narrow table; the numbers never do."""
        return (4,)

    def row_keys(self, w: Walkthrough) -> list[str]:
        """Every link, layer by layer."""
        return [link.name for link in w.links]

    def current_key(self, step: Step) -> str | None:
        """Update steps, by link."""
        return step.target if step.phase == "update" else None

    def row_cells(
        self, w: Walkthrough, key: str, shown: Mapping[tuple[str, str], Step], sample: int
    ) -> Cells:
        """The old weight always; gradient and new weight once the link's update is done."""
        step = shown.get(("update", key))
        if step is None:
            link = w.link(key)
            assert link is not None
            dot = glyphs().placeholder
            return (key, fmt(w.weight(link)), dot, dot, "")
        return update_cells(step)
