"""The baseline for bench/tui.py: a Textual app that shows one line of text and nothing else.

Its start-up time is what any Textual app pays (Python, importing Textual, the driver and the
first frame); the tutor's start is compared with it. ``q`` quits, as in the tutor::

    .venv/bin/python bench/bare_app.py
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

#: What bench/tui.py waits for on the screen: the bare app's first frame.
TEXT = "bare Textual app: 1 2 3"


class BareApp(App[None]):
    """One line of text."""

    BINDINGS = [Binding("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static(TEXT)


if __name__ == "__main__":
    BareApp().run()
