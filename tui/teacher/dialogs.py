"""The class view's small dialogs: a step to move the class to or hold it at, a line to
broadcast, a lesson to move it to. Enter gives the answer, Escape cancels (the dialog's
result is then None); nothing here sends anything (tui/teacher/app.py does, with the answer).

The broadcast's field takes printable characters only, at most
:data:`tui.served.MAX_BROADCAST` of them: a paste with an escape sequence, a newline's other
spellings, a bidirectional override or any control character in it is refused whole (the
field rings), so no such text can reach the server, let alone the learners' terminals.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.i18n import t
from tui.lessons_dir import safe_name
from tui.served import MAX_BROADCAST
from tui.teacher.model import MAX_STEP

#: The digits a step may have (:data:`tui.teacher.model.MAX_STEP` has one more).
STEP_DIGITS = len(str(MAX_STEP - 1))


class PrintableInput(Input):
    """An Input that refuses any text with a character that is not printable (typed, pasted
    or set by a program): the value stays as it was, and the field rings."""

    def replace(self, text: str, start: int, end: int) -> None:
        """Refuse ``text`` unless every character of it is printable."""
        if not text.isprintable():
            self.restricted()
            return
        super().replace(text, start, end)

    def validate_value(self, value: str) -> str:
        """A value set directly keeps only its printable characters, at most
        ``max_length`` of them."""
        value = "".join(c for c in value if c.isprintable())
        return value[:self.max_length] if self.max_length else value


class _Dialog(ModalScreen["str | None"]):
    """A title, a sentence, one field (an input, a list), a line for what is wrong (or a
    note), and the keys' hint."""

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, prompt: str, field: Widget,
                 hint: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.prompt = prompt
        self.field = field
        self.hint = t("teacher.dialog.hint") if hint is None else hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Static(self.title_text, id="dialog-title", markup=False)
            yield Static(self.prompt, id="dialog-prompt", markup=False)
            yield self.field
            yield Static("", id="dialog-error", markup=False)
            yield Static(self.hint, id="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.field.focus()

    def say(self, problem: str) -> None:
        """Show what is wrong with the answer (the dialog stays)."""
        self.query_one("#dialog-error", Static).update(problem)

    def action_cancel(self) -> None:
        """Escape: no answer."""
        self.dismiss(None)


class StepDialog(_Dialog):
    """A step from 0 to ``top`` (any step when ``top`` is None); the result is its digits."""

    def __init__(self, title: str, prompt: str, top: int | None,
                 value: int | None = None) -> None:
        field = Input("" if value is None else str(value), restrict=r"[0-9]*",
                      max_length=STEP_DIGITS, id="dialog-field", select_on_focus=True)
        super().__init__(title, prompt, field)
        self.top = top

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: the step, if it is one."""
        event.stop()
        value = event.value.strip()
        step = int(value) if value.isdigit() else None
        if step is None or step >= MAX_STEP or (self.top is not None and step > self.top):
            self.say(t("teacher.dialog.step_range", top=self.top) if self.top is not None
                     else t("teacher.dialog.step_any"))
            return
        self.dismiss(str(step))


class BroadcastDialog(_Dialog):
    """One line of at most :data:`~tui.served.MAX_BROADCAST` printable characters; the result
    is the line, "" to clear the broadcast."""

    def __init__(self, value: str | None = None) -> None:
        field = PrintableInput(value or "", max_length=MAX_BROADCAST, id="dialog-field",
                               placeholder=t("teacher.dialog.message_placeholder"))
        super().__init__(t("teacher.dialog.message_title"),
                         t("teacher.dialog.message_prompt", count=MAX_BROADCAST), field)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: the line (surrounding spaces left out), or "" to clear."""
        event.stop()
        text = event.value.strip()
        if not text.isprintable() or len(text) > MAX_BROADCAST:  # never, by the field
            self.say(t("teacher.dialog.message_bad"))
            return
        self.dismiss(text)


class LessonDialog(_Dialog):
    """A lesson to move the class to: the built-in ones, then the teacher's folder's (the
    ``--lessons`` the learners' tutors open them from). The result is the lesson's name as
    the tutors know it (a built-in's name, or the file's name in the folder)."""

    def __init__(self, builtins: Sequence[tuple[str, str]], files: Sequence[str],
                 more: bool = False, problem: str | None = None) -> None:
        """``builtins``: (name, what it is) each; ``files``: the folder's lesson files;
        ``more``: the folder has more than are listed; ``problem``: why the folder could not
        be listed, if it could not."""
        # One line each: the list stays short, and a lesson's whole story is in the tutor.
        options = [Option(Text.assemble((name, "bold"), "  ", (about, "dim"), no_wrap=True,
                                        overflow="ellipsis", end=""))
                   for name, about in builtins]
        options += [Option(Text(safe_name(name), no_wrap=True, overflow="ellipsis", end=""))
                    for name in files]
        super().__init__(t("teacher.dialog.lesson_title"), t("teacher.dialog.lesson_prompt"),
                         OptionList(*options, id="dialog-list"),
                         hint=t("teacher.dialog.lesson_hint"))
        self.names = [name for name, _ in builtins] + list(files)
        notes = [t("teacher.dialog.lesson_more", count=len(files))] if more else []
        self.notes = "\n".join(notes + ([problem] if problem is not None else []))

    def on_mount(self) -> None:
        """The list in focus, and what is to be said about the folder."""
        super().on_mount()
        self.say(self.notes)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter: that lesson."""
        event.stop()
        self.dismiss(self.names[event.option_index])
