"""Read what an app shows as plain text, the way the tests read numbers off the panes."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App

from tui.textual_compat import render_screen


def screen_text(app: App[object]) -> str:
    """The current screen (with any screens under a modal) as plain text lines."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False,
                      safe_box=False)
    console.print(render_screen(app))
    return console.export_text(styles=False)
