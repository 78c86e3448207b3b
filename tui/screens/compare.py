"""Side by side: the article's update and the corrected one, from the same weights."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from engine.article_errata import RuleComparison
from engine.numbers import fmt
from tui.glyphs import shown
from tui.i18n import t
from tui.textual_compat import relabel


class CompareScreen(ModalScreen[None]):
    """Every link's new weight under both rules, and what each does to the prediction."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape,v,q", "close", t("key.close"), id="close")]

    def __init__(self, comparison: RuleComparison) -> None:
        super().__init__()
        self.comparison = comparison

    def compose(self) -> ComposeResult:
        """Title, the prediction line, and the table of weights."""
        c = self.comparison
        x = ", ".join(fmt(v) for v in c.article.scenario.inputs[c.sample])
        y = ", ".join(fmt(v) for v in c.article.scenario.targets[c.sample])
        with Vertical(id="compare-box"):
            yield Static(t("compare.title"), markup=False, id="compare-title")
            yield Static(
                t(
                    "compare.prediction",
                    input=f"({x})",
                    target=y,
                    before=fmt(c.before),
                    article=fmt(c.after_article),
                    corrected=fmt(c.after_corrected),
                ),
                markup=False,
                id="compare-prediction",
            )
            table: DataTable[Text] = DataTable(id="compare-table", cursor_type="none")
            table.can_focus = False
            yield table
            yield Static(t("compare.hint"), markup=False, id="compare-hint")

    def on_mount(self) -> None:
        """Fill the table from the two walkthroughs; key labels in the current language."""
        relabel(self)
        c = self.comparison
        table = self.query_one(DataTable)
        table.add_columns(*(t(key) for key in (
            "col.link", "col.old", "compare.article", "compare.corrected")))
        for link in c.article.links:
            table.add_row(
                Text(link.name),
                Text(shown(fmt(c.article.weight(link))), justify="right"),
                Text(shown(fmt(c.article.weight(link, after=True))), justify="right"),
                Text(shown(fmt(c.corrected.weight(link, after=True))), justify="right"),
            )

    def action_close(self) -> None:
        """Back to the lesson, where it was."""
        self.dismiss(None)
