"""The class view's help: its keys and columns, from a Markdown file beside it (``help.md``,
``help.zh.md`` in Chinese)."""

from __future__ import annotations

from importlib.resources import files

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from tui.glyphs import glyphs, shown
from tui.i18n import language, t
from tui.textual_compat import relabel


def help_text() -> str:
    """The help in the language in use (English if there is no translation)."""
    base = files("tui.teacher")
    name = f"help.{language()}.md"
    source = base / name if (base / name).is_file() else base / "help.md"
    return shown(source.read_text(encoding="utf-8"))


class ClassHelpScreen(ModalScreen[None]):
    """Keys and columns. Escape, ? or q closes it."""

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", id="close"),
        Binding("down,j", "scroll(1)", "Scroll", show=False),
        Binding("up,k", "scroll(-1)", "Scroll", show=False),
        Binding("pagedown,space", "scroll(10)", "Page", show=False),
        Binding("pageup", "scroll(-10)", "Page", show=False),
    ]

    def compose(self) -> ComposeResult:
        """A scrollable Markdown document with a closing hint under it."""
        with VerticalScroll(id="help-body", can_focus=False):
            if glyphs().ascii_only:
                # Markdown draws tables and bullets with box characters; plain text does not.
                yield Static(help_text(), markup=False)
            else:
                yield Markdown(help_text())
        yield Static(t("teacher.help_close"), markup=False, id="help-hint")

    def on_mount(self) -> None:
        """Key labels in the language in use."""
        relabel(self)

    def action_scroll(self, lines: int) -> None:
        """Scroll the help by some lines."""
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        """Back to the class."""
        self.dismiss(None)
