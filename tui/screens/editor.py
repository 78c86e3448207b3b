"""Change the lesson: learning rate, activations, loss, update mode and initial weights.

Keyboard only: Tab and Shift+Tab move between fields, Enter on a list opens it, Ctrl+S (or
the Apply button) applies, Escape keeps the lesson as it was. A setting the engine refuses is
shown in the dialog, in the learner's language, and nothing changes. The text fields hold a
short line of printable characters (:class:`~tui.widgets.answer_box.TextField`), and a seed
too long for the engine is refused before int() reads it (int() raises on 4300 digits).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from engine import Scenario, ScenarioError
from engine.losses import LOSS_NAMES
from engine.scenario import ACTIVATION_NAMES, UPDATE_MODES, Init
from tui.glyphs import shown
from tui.i18n import describe_error, t
from tui.parsing import parse_number
from tui.textual_compat import relabel
from tui.widgets.text_field import TextField

#: Digits in the largest seed the engine takes (2**63 - 1): a longer one is refused unread.
SEED_DIGITS = len(str(2**63 - 1))


def choice_label(name: str) -> str:
    """An activation, loss, update mode or kind of initial weights as the editor lists it:
    the identifier, then its meaning (``identity  恒等函数 f(z) = z``)."""
    return shown(t("editor.choice", name=name, meaning=t(f"choice.{name}")))


class EditorScreen(ModalScreen[Scenario | None]):
    """A form over the current scenario; dismisses with the changed scenario, or None."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "apply", "Apply", id="apply"),
    ]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        """Label and field pairs on a grid, an error line, the buttons."""
        s = self.scenario
        hidden = s.activations[0] if len(s.activations) > 1 else None
        with Vertical(id="editor-box"):
            yield Static(t("editor.title", name=s.name), markup=False, id="editor-title")
            with Grid(id="editor-grid"):
                yield Label(t("editor.learning_rate"), markup=False)
                yield TextField(repr(s.learning_rate), id="edit-lr", compact=True)
                if hidden is not None:
                    yield Label(t("editor.hidden_activation"), markup=False)
                    yield self._select("edit-hidden", ACTIVATION_NAMES, hidden)
                yield Label(t("editor.output_activation"), markup=False)
                yield self._select("edit-output", ACTIVATION_NAMES, s.activations[-1])
                yield Label(t("editor.loss"), markup=False)
                yield self._select("edit-loss", LOSS_NAMES, s.loss)
                yield Label(t("editor.update"), markup=False)
                yield self._select("edit-update", UPDATE_MODES, s.update)
                yield Label(t("editor.init"), markup=False)
                kinds = ("random", "constant")
                if s.init.kind == "explicit":
                    kinds += ("explicit",)
                yield self._select("edit-init", kinds, s.init.kind)
                yield Label(t("editor.seed"), markup=False)
                yield TextField(str(s.init.seed), id="edit-seed", compact=True)
                yield Label(t("editor.value"), markup=False)
                yield TextField(repr(s.init.value), id="edit-value", compact=True)
            yield Static(id="editor-error", markup=False)
            yield Static(t("editor.hint"), markup=False, id="editor-hint")
            yield Button(t("editor.apply"), id="editor-apply", variant="primary", compact=True)

    def _select(self, widget_id: str, names: tuple[str, ...], value: str) -> Select[str]:
        """A list of the engine's names, each with what it means in the learner's language
        beside it (the name is what a scenario file says)."""
        return Select([(Text(choice_label(n)), n) for n in names], value=value,
                      allow_blank=False, id=widget_id, compact=True)

    def on_mount(self) -> None:
        """Start in the first field; key labels in the current language."""
        relabel(self)
        for field in self.query("#edit-lr").results(Input):  # none if the app is closing
            field.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The Apply button."""
        event.stop()
        self.action_apply()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a text field applies, as in most forms."""
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        """Build the changed scenario; the engine checks it, and a refusal is shown here."""
        try:
            self.dismiss(self.changed())
        except ScenarioError as error:
            self.query_one("#editor-error", Static).update(describe_error(error))

    def changed(self) -> Scenario:
        """The scenario the form describes (ScenarioError if the engine refuses it)."""
        s = self.scenario
        lr = parse_number(self.query_one("#edit-lr", Input).value)
        if lr is None:
            raise ScenarioError("learning_rate", "number", self.query_one("#edit-lr", Input).value)
        output = str(self.query_one("#edit-output", Select).value)
        hidden = s.activations[:-1]
        if hidden:
            # One choice for every hidden layer; a file may give each its own, kept unless the
            # learner picks another one here.
            chosen = str(self.query_one("#edit-hidden", Select).value)
            if chosen != hidden[0]:
                hidden = (chosen,) * len(hidden)
        activations = (*hidden, output)
        kind = str(self.query_one("#edit-init", Select).value)
        if kind == "explicit":
            init = s.init  # the file's own matrices, kept as they are
        elif kind == "random":
            seed_text = self.query_one("#edit-seed", Input).value.strip()
            # isdecimal, not isdigit: "²" is a digit that int() refuses.
            if not (seed_text.isascii() and seed_text.isdecimal()):
                raise ScenarioError("init.seed", "seed_type", seed_text)
            if len(seed_text.lstrip("0")) > SEED_DIGITS:
                raise ScenarioError("init.seed", "seed_range", seed_text)
            init = Init(kind="random", seed=int(seed_text))
        else:
            value = parse_number(self.query_one("#edit-value", Input).value)
            if value is None:
                raise ScenarioError("init.value", "number", self.query_one("#edit-value").value)
            init = Init(kind="constant", value=value)
        return s.with_changes(
            learning_rate=lr,
            activations=activations,
            loss=str(self.query_one("#edit-loss", Select).value),
            update=str(self.query_one("#edit-update", Select).value),
            init=init,
            edited_from=s.edited_from or s,
        )

    def action_cancel(self) -> None:
        """Keep the lesson as it was."""
        self.dismiss(None)
