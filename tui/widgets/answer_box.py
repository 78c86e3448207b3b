"""The quiz's answer box: a prompt and an input; Enter answers, Escape leaves it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from tui.i18n import t
from tui.textual_compat import relabel


class AnswerBox(Horizontal):
    """Asks for one value. Hidden until the app opens it with :meth:`ask`."""

    BINDINGS = [Binding("escape", "cancel", t("key.leave_answer"), id="leave_answer")]
    _prompt = ""

    @dataclass
    class Answered(Message):
        """The learner pressed Enter: ``text`` as typed (empty: show me the value)."""

        text: str

    def compose(self) -> ComposeResult:
        """The question, then the input."""
        yield Label(id="answer-prompt", markup=False)
        yield Input(id="answer-input", placeholder=t("quiz.placeholder"))

    def on_mount(self) -> None:
        """Key labels in the current language."""
        relabel(self)

    def ask(self, prompt: str) -> None:
        """Show the box with a question and put the cursor in it."""
        self._prompt = prompt
        hint = Text(t("quiz.hint"), style="not bold dim")
        self.query_one("#answer-prompt", Label).update(Text(prompt) + Text("\n") + hint)
        field = self.query_one(Input)
        field.value = ""
        self.display = True
        field.focus()

    def complain(self, message: str) -> None:
        """Say what was wrong with the typed text, keep the question and the text."""
        self.query_one("#answer-prompt", Label).update(f"{message}\n{self._prompt}")
        self.query_one(Input).focus()

    def close(self) -> None:
        """Hide the box; the step keys work again."""
        self.display = False
        self.screen.set_focus(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Pass the typed answer up to the app."""
        event.stop()
        self.post_message(self.Answered(event.value))

    def action_cancel(self) -> None:
        """Leave the answer box without answering: the step stays hidden, the keys step
        again (nothing for the app to do)."""
        self.close()
