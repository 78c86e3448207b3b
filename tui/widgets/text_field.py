"""The text field the tutor's dialogs and the quiz use.

On a shared server what is typed or pasted into a field must neither freeze the tutor nor
reach the terminal raw: a field holds a bounded number of characters, none of them a control
character, and takes a paste as text.
"""

from __future__ import annotations

import re

from textual import events
from textual.widgets import Input

#: The longest value a field holds: no number the tutor asks for needs more.
MAX_FIELD = 64
#: The most of a wrong answer a complaint quotes back.
EXCERPT = 24
#: A paste is cut to this many characters before anything else is done with it (it may be
#: megabytes; a field keeps no more than its first line, :data:`MAX_FIELD` at most).
PASTE_SCAN = 4096
#: Control characters (C0, DEL, C1). In a field or a message they would reach the terminal as
#: they are: a tab or a backspace moves its cursor, an escape starts a sequence.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: ``Input.restrict`` for a field that takes no control character.
NO_CONTROL = r"[^\x00-\x1f\x7f-\x9f]*"


def printable(text: str) -> str:
    """``text`` without its control characters."""
    return CONTROL.sub("", text)


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The start of ``text`` to quote in a message: no control characters, at most ``limit``
    characters, an ellipsis if some were left out."""
    start = printable(text[: limit * 4])  # a cheap cut first: ``text`` may be megabytes
    if len(start) > limit or len(text) > limit * 4:
        return start[: limit - 1] + "…"
    return start


class TextField(Input):
    """An Input that holds at most ``max_length`` characters (:data:`MAX_FIELD` unless told),
    none of them a control character, and takes a paste as text: its first line, control
    characters removed, cut to the room left. (Input's own paste keeps control characters,
    and refuses a paste longer than the room left altogether.)"""

    def __init__(self, value: str = "", *, max_length: int = MAX_FIELD, placeholder: str = "",
                 id: str | None = None, compact: bool = False) -> None:
        super().__init__(value, placeholder, max_length=max_length, restrict=NO_CONTROL,
                         id=id, compact=compact)

    def on_paste(self, event: events.Paste) -> None:
        """The paste's first line, cut to fit, in place of the selection."""
        event.stop()
        event.prevent_default()  # not Input's own paste (see the class)
        start, end = sorted(self.selection)
        room = self.max_length - len(self.value) + (end - start)
        lines = event.text[:PASTE_SCAN].splitlines()
        self.replace(printable(lines[0] if lines else "")[:room], start, end)
