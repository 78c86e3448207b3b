"""The quiz's answer box: a question and an input; Enter answers, Escape leaves it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from tui.glyphs import shown
from tui.i18n import language, t
from tui.parsing import parse_number
from tui.textual_compat import relabel
from tui.widgets.text_field import TextField, excerpt, printable


class AnswerBox(Horizontal):
    """Asks for one value. Hidden until the app opens it with :meth:`ask`."""

    # The prompt wraps rather than pushing the input out of a narrow terminal.
    DEFAULT_CSS = """
    AnswerBox > #answer-prompt { max-width: 60%; }
    AnswerBox > #answer-input { min-width: 16; }
    """

    BINDINGS = [Binding("escape", "cancel", t("key.leave_answer"), id="leave_answer")]
    _prompt = ""
    _language = ""
    """The language the box's words are in: the learner may switch (l) between questions."""

    @dataclass
    class Answered(Message):
        """The learner pressed Enter on a number: ``value`` (None: nothing typed, show me
        the value)."""

        value: float | None

    def compose(self) -> ComposeResult:
        """The question, then the input."""
        yield Label(id="answer-prompt", markup=False)
        yield TextField(id="answer-input", placeholder=t("quiz.placeholder"))

    def on_mount(self) -> None:
        """Key labels in the current language."""
        self._in_language()

    def _in_language(self) -> None:
        """The key label and the placeholder in the current language, if it changed."""
        if self._language != language():
            self._language = language()
            relabel(self)
            self.query_one(Input).placeholder = t("quiz.placeholder")

    def ask(self, question: str, formula: str = "") -> None:
        """Show the box with a question (``δ(D0) = ?``) and the formula that answers it, each
        on a line of its own (a formula is never broken after the question), and put the
        cursor in it."""
        self._in_language()
        self._prompt = f"{question}\n{shown(formula)}" if formula else question
        hint = Text(t("quiz.hint"), style="not bold dim")
        lines = [Text(question, style="bold")]
        if formula:
            lines.append(Text(shown(formula), style="italic"))
        self.query_one("#answer-prompt", Label).update(Text("\n").join([*lines, hint]))
        field = self.query_one(Input)
        field.value = ""
        self.display = True
        field.focus()

    def complain(self, message: str) -> None:
        """Say what was wrong with the typed text, keep the question and the text."""
        self.query_one("#answer-prompt", Label).update(f"{printable(message)}\n{self._prompt}")
        self.query_one(Input).focus()

    def close(self) -> None:
        """Hide the box; the step keys work again."""
        self.display = False
        self.screen.set_focus(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Pass a number (or nothing) up to the app; anything else is refused here, quoting
        only the start of it."""
        event.stop()
        text = printable(event.value)
        value = parse_number(text)
        if text.strip() and value is None:
            self.complain(t("quiz.not_a_number", text=excerpt(text)))
            return
        self.post_message(self.Answered(value))

    def action_cancel(self) -> None:
        """Leave the answer box without answering: the step stays hidden, the keys step
        again (nothing for the app to do)."""
        self.close()
