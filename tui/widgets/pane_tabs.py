"""The pane bar of small terminals: which pane is on show, and the key that shows each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.events import Click
from textual.message import Message
from textual.reactive import var
from textual.widgets import Static

from tui.glyphs import glyphs
from tui.i18n import language, t

ACTIVE = "bold reverse"


class PaneTabs(Static):
    """``▶1 Network  2 Forward pass  3 Deltas  4 Weight updates``: the pane on show marked and
    reversed, each label with the key that shows it.

    One line of text bound to the lesson screen's ``pane``, not Textual's ``Tabs``: a widget
    per tab and an animated underline cost a twelfth of the start-up time (see bench/tui.py)
    and a second row of the screen. A click still chooses a pane.
    """

    pane: var[str] = var("")
    language: var[str] = var(language, init=False)
    wide: var[bool] = var(False)
    """Every pane is on show: the bar is hidden (app.tcss), and not drawn either, since
    repainting a hidden widget costs a second frame after the step's."""

    @dataclass
    class Chosen(Message):
        """The learner clicked a pane's label."""

        pane: str

    def __init__(self, panes: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.panes = tuple(panes)
        self._spans: list[tuple[int, int, str]] = []
        """Each label's first and last-plus-one cell, for clicks."""

    def watch_pane(self) -> None:
        """Mark the pane now on show."""
        self._redraw()

    def watch_language(self) -> None:
        """The panes' names in the new language."""
        self._redraw()

    def watch_wide(self) -> None:
        """Shown again: catch up."""
        self._redraw()

    def _redraw(self) -> None:
        if not self.wide:
            self.update(self._draw())

    def _draw(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        self._spans = []
        for key, name in enumerate(self.panes, start=1):
            active = name == self.pane
            label = f"{key} {t(f'pane.{name}')}"
            start = text.cell_len
            text.append(f"{glyphs().marker if active else ' '}{label} ",
                        ACTIVE if active else "")
            self._spans.append((start, text.cell_len, name))
            text.append(" ")
        return text

    def on_click(self, event: Click) -> None:
        """Show the pane whose label was clicked."""
        for start, end, name in self._spans:
            if start <= event.x < end:
                self.post_message(self.Chosen(name))
