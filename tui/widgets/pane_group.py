"""A container of table panes that hides itself when none of them is the one on show."""

from __future__ import annotations

from collections.abc import Iterable

from textual.containers import Container
from textual.reactive import var
from textual.widget import Widget


class PaneGroup(Container):
    """Holds some of the table panes; bound to the lesson screen's ``pane`` and ``wide``.

    One pane at a time, it is ``-off`` (hidden, app.tcss) unless it holds the pane on show.
    It marks itself, as the tables do, so it can be mounted after the first frame and still
    be right whatever pane was chosen meanwhile.
    """

    pane: var[str] = var("")
    wide: var[bool] = var(False)

    def __init__(self, *children: Widget, holds: Iterable[str], id: str) -> None:
        super().__init__(*children, id=id, classes="-off")
        self.holds = frozenset(holds)

    def watch_pane(self) -> None:
        """Hidden unless it holds the pane on show (classes are left alone while every pane
        is shown: a class change restyles and repaints)."""
        if not self.wide:
            self.set_class(self.pane not in self.holds, "-off")

    def watch_wide(self) -> None:
        """One pane at a time again: mark itself for the pane on show."""
        self.watch_pane()
