"""The glossary: every word and symbol the screens use, what it means, where it is seen.

A learner meets δ, α, Z, f′ and E in the tables before any of them is explained; the words
live in ``tui/glossary.md`` (``glossary.zh.md`` in Chinese), shown the way the help is.
"""

from __future__ import annotations

from textual.binding import Binding

from tui.screens.help import HelpScreen


class GlossaryScreen(HelpScreen):
    """The help screen's frame and keys with the glossary in it; g closes it too."""

    BINDINGS = [Binding("g", "close", "Close", id="close")]
    DOCUMENT = "glossary"
    HINT = "glossary.close"
