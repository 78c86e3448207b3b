"""Open a scenario file from inside the tutor; a broken file is explained, the lesson kept."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from engine import Scenario, ScenarioError, load_scenario
from tui.i18n import describe_error, t
from tui.textual_compat import relabel
from tui.widgets.text_field import TextField


class OpenFileScreen(ModalScreen[Scenario | None]):
    """Asks for a path; dismisses with the loaded scenario, or None on Escape."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def compose(self) -> ComposeResult:
        """Title, the path field, the error line and a hint."""
        with Vertical(id="open-box"):
            yield Static(t("open.title"), markup=False, id="open-title")
            # A path, not a paste of anything: bounded, and no control character.
            yield TextField(placeholder=t("open.placeholder"), id="open-path", max_length=1024)
            yield Static(id="open-error", markup=False)
            yield Static(t("open.hint"), markup=False, id="open-hint")

    def on_mount(self) -> None:
        """The cursor in the path field; key labels in the current language."""
        relabel(self)
        for field in self.query(Input).results(Input):  # none if the app is closing
            field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Load the file: its lesson, or the one message saying what is wrong with it."""
        event.stop()
        path = event.value.strip()
        if not path:
            return
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            self.query_one("#open-error", Static).update(describe_error(error))
            return
        self.dismiss(scenario)

    def action_cancel(self) -> None:
        """Keep the current lesson."""
        self.dismiss(None)
