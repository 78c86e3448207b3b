"""The help screen: the keys and how to read the panes, from a Markdown file beside the app."""

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


def help_text(document: str = "help") -> str:
    """A Markdown document beside the app (``help``, ``glossary``) in the current language
    (English if there is no translation)."""
    base = files("tui")
    name = f"{document}.{language()}.md"
    source = base / name if (base / name).is_file() else base / f"{document}.md"
    return shown(source.read_text(encoding="utf-8"))


class HelpScreen(ModalScreen[None]):
    """Keys, panes and what the marks mean. Escape, ? or q closes it."""

    CSS_PATH = "dialogs.tcss"
    DOCUMENT = "help"
    """The Markdown file it shows (see :func:`help_text`)."""
    HINT = "help.close"
    """The catalogue entry of the line under it."""

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", id="close"),
        # A dialog's keys stop the app's, so the glossary's key is the help's own too.
        Binding("g", "app.glossary", "Glossary", show=False, id="glossary"),
        Binding("down,j", "scroll(1)", "Scroll", show=False, id="scroll_down"),
        Binding("up,k", "scroll(-1)", "Scroll", show=False, id="scroll_up"),
        Binding("pagedown,space", "scroll(10)", "Page", show=False, id="page_down"),
        Binding("pageup", "scroll(-10)", "Page", show=False, id="page_up"),
    ]

    def compose(self) -> ComposeResult:
        """A scrollable Markdown document with a closing hint under it."""
        with VerticalScroll(id="help-body", can_focus=False):
            if glyphs().ascii_only:
                # Markdown draws tables and bullets with box characters; plain text does not.
                yield Static(help_text(self.DOCUMENT), markup=False)
            else:
                yield Markdown(help_text(self.DOCUMENT))
        yield Static(t(self.HINT), markup=False, id="help-hint")

    def on_mount(self) -> None:
        """Key labels in the current language."""
        relabel(self)

    def action_scroll(self, lines: int) -> None:
        """Scroll the help by some lines (keyboard only, no mouse needed)."""
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        """Back to the lesson, exactly where it was."""
        self.dismiss(None)
