"""Choose a lesson: the built-in scenarios in a list, Enter to open one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine import BUILTIN_SCENARIOS
from tui.glyphs import shown
from tui.i18n import t
from tui.textual_compat import relabel


class ScenarioScreen(ModalScreen[str | None]):
    """Returns the chosen scenario's name, or None when the learner goes back."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape,q", "cancel", "Back", id="back")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        """Title, the list of lessons with their descriptions, and a hint."""
        with Vertical(id="scenario-box"):
            yield Static(t("scenarios.title"), markup=False, id="scenario-title")
            yield OptionList(
                *(
                    Option(shown(f"{s.name}\n  {t(f'scenario.{s.name}')}"), id=s.name)
                    for s in BUILTIN_SCENARIOS.values()
                ),
                id="scenario-list",
            )
            yield Static(t("scenarios.hint"), markup=False, id="scenario-hint")

    def on_mount(self) -> None:
        """Start on the lesson that is open now; key labels in the current language."""
        relabel(self)
        options = self.query_one(OptionList)
        names = list(BUILTIN_SCENARIOS)
        if self.current in names:
            options.highlighted = names.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the chosen lesson."""
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Keep the current lesson."""
        self.dismiss(None)
