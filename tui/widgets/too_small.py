"""What a terminal too small for the lesson shows: its size, and the size it needs."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import var
from textual.widget import Widget

from tui.i18n import language, t


class TooSmall(Widget):
    """Asks for a larger terminal. Drawn from the terminal's size whenever it is shown, so a
    resize needs nothing but the repaint every resize brings."""

    language: var[str] = var(language, init=False)

    def __init__(self, min_width: int, min_height: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.min_width, self.min_height = min_width, min_height

    def watch_language(self) -> None:
        """Say it again in the new language."""
        self.refresh()

    def render(self) -> Text:
        """The message for the terminal's current size."""
        width, height = self.app.size
        return Text(t("too_small", width=width, height=height, min_width=self.min_width,
                      min_height=self.min_height))
