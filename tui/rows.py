"""Cells both the app's tables and the ``print`` transcript show, worded once (no Textual, so
``print`` stays quick)."""

from __future__ import annotations

from engine.numbers import fmt
from engine.records import Step, Unit
from tui.i18n import t


def given_note(unit: Unit) -> str:
    """Where a given unit's value comes from: a bias is always 1, an input is the sample's."""
    return t("row.bias") if unit.bias else t("row.input")


def update_cells(step: Step) -> tuple[str, str, str, str, str]:
    """An update step as link, old weight, gradient Z·δ, new weight, the update with numbers."""
    return (step.target, fmt(step.old or 0.0), fmt(step.gradient or 0.0), fmt(step.value),
            step.substituted)
