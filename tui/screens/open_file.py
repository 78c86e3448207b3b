"""Open a scenario file from inside the tutor; a broken file is explained, the lesson kept.

Without a folder of lessons it asks for a path. With one (``--lessons DIR``) it lists the
folder's lessons to pick from, above the path field; in a sandbox (``--sandbox``, a served
session) there is no path field at all: only the listed lessons can be opened (and the
built-in ones, from the lesson chooser, key s), and without a folder the dialog says so.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from engine import Scenario, ScenarioError, load_scenario
from tui.glyphs import shown
from tui.i18n import describe_error, t
from tui.lessons_dir import MAX_LESSONS, OPEN, LessonRefused, LessonsPolicy, Listing, safe_name
from tui.textual_compat import relabel
from tui.widgets.text_field import TextField


class OpenFileScreen(ModalScreen[Scenario | None]):
    """Asks for a path, or offers the folder's lessons; dismisses with the loaded scenario,
    or None on Escape."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, policy: LessonsPolicy | None = None) -> None:
        """``policy``: what may be opened (by default the app's)."""
        super().__init__()
        self._policy = policy
        self._listing = Listing()
        """The lessons on offer, as listed when the dialog opened."""

    @property
    def policy(self) -> LessonsPolicy:
        """What may be opened: the one given, else the app's, else anything."""
        if self._policy is not None:
            return self._policy
        return getattr(self.app, "policy", OPEN)

    def compose(self) -> ComposeResult:
        """Title, the folder's lessons (if there is a folder), the path field (unless in a
        sandbox), the error line and a hint."""
        policy = self.policy
        with Vertical(id="open-box"):
            if policy.directory is None and policy.sandbox:
                yield Static(t("open.title_no_folder"), markup=False, id="open-title")
                yield Static(t("open.no_folder"), markup=False, id="open-note")
                yield Static(t("open.hint_back"), markup=False, id="open-hint")
                return
            if policy.directory is None:
                yield Static(t("open.title"), markup=False, id="open-title")
            else:
                title = "open.title_sandbox" if policy.sandbox else "open.title_folder"
                yield Static(t(title), markup=False, id="open-title")
                yield from self._lessons()
            if policy.typed_paths:
                # A path, not a paste of anything: bounded, and no control character.
                yield TextField(placeholder=t("open.placeholder"), id="open-path",
                                max_length=1024)
            yield Static(id="open-error", markup=False)
            hint = "open.hint" if policy.directory is None else \
                "open.hint_sandbox" if policy.sandbox else "open.hint_folder"
            yield Static(t(hint), markup=False, id="open-hint")

    def _lessons(self) -> ComposeResult:
        """The folder's lessons as a list (arrow keys and Enter), or why there is none."""
        try:
            self._listing = self.policy.listing()
        except OSError as error:
            reason = error.strerror or type(error).__name__
            yield Static(t("open.unreadable", reason=reason), markup=False, id="open-note")
            return
        if not self._listing.names:
            yield Static(t("open.empty"), markup=False, id="open-note")
            return
        # markup=False: a file named "[b]x.toml" is shown as it is, not read as markup.
        yield OptionList(*(Option(shown(label)) for label in self._listing.labels),
                         id="open-list", markup=False)
        if self._listing.more:
            yield Static(t("open.more", max=MAX_LESSONS), markup=False, id="open-note")

    def on_mount(self) -> None:
        """The cursor in the list of lessons, else in the path field; key labels in the
        current language."""
        relabel(self)
        for options in self.query(OptionList).results(OptionList):  # none if closing
            options.focus()
            return
        for field in self.query(Input).results(Input):  # none if the app is closing
            field.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the lesson picked from the folder (checked again now: the folder may have
        changed since it was listed)."""
        event.stop()
        name = self._listing.names[event.option_index]
        try:
            path = self.policy.path_of(name)
        except LessonRefused as refused:
            self._say(t(f"open.refused.{refused.reason}", name=safe_name(name)))
            return
        self._open(path, shown_as=name)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Load the typed file: its lesson, or the one message saying what is wrong with it."""
        event.stop()
        path = event.value.strip()
        if not path or not self.policy.typed_paths:
            return
        self._open(path)

    def _open(self, path: str | Path, shown_as: str | None = None) -> None:
        """Load ``path`` and close with its lesson, or explain what is wrong with it and
        stay (the learner keeps their lesson); a listed lesson is named by its file name
        only (``shown_as``), not by where the folder is."""
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            if shown_as is not None:
                error.in_file(shown_as)
            self._say(describe_error(error))
            return
        self.dismiss(scenario)

    def _say(self, message: str) -> None:
        """Show what went wrong on the error line."""
        self.query_one("#open-error", Static).update(message)

    def action_cancel(self) -> None:
        """Keep the current lesson."""
        self.dismiss(None)
