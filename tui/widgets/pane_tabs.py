"""The pane tabs of small terminals: Textual's Tabs, safe while it is being taken down."""

from __future__ import annotations

from textual.events import Resize
from textual.widgets import Tabs
from textual.widgets._tabs import Underline


class PaneTabs(Tabs):
    """Tabs that ignore a resize arriving while a recompose (a language switch, a layout
    change) is taking them down: Textual's Tabs then looks for its underline, which is
    already gone, and raises NoMatches. Found by key fuzzing with resizes."""

    def _on_resize(self, event: Resize) -> None:
        if not self.query(Underline):
            event.prevent_default()  # nothing to highlight: skip Tabs' own handler
