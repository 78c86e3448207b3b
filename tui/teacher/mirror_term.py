"""The learner's screen the teacher watches, as a terminal of its own. No Textual here.

The server sends the view the bytes the learner's tutor writes (tui/serve/mirror.py):
``{"mirror": {"learner": ID, "size": [COLS, ROWS] | null}}`` starts the mirror again on a
fresh screen (null: that learner is not connected), and each ``{"screen": BASE64}`` line
carries output. :class:`MirrorTerm` plays them on a pyte screen (a VT100 emulator: the same
one the tests read tutors on) and hands back the rows that changed as Rich segments, so the
view repaints just those.

The bytes are the learner's tutor's, which runs whatever lesson file the teacher gave: they are
only ever drawn as cells here, never written to the teacher's terminal, and the screen is
at most :data:`MAX_SIZE` cells a side.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style

from tui.served import MAX_LEARNER_ID, text_ok

if TYPE_CHECKING:  # pyte comes with the serve extra; the view checks it is there
    import pyte

#: The largest screen mirrored, each way (a bigger learner terminal is cut to it).
MAX_SIZE = 400
#: How a ``screen`` line starts: read without a JSON parser (they are most of what comes).
SCREEN_PREFIX = b'{"screen": "'
SCREEN_SUFFIX = b'"}'
#: pyte's colour names that Rich spells otherwise.
_NAMES = {"brown": "yellow"}


@dataclass(frozen=True)
class MirrorStart:
    """The mirror starts again: ``learner``'s screen, of ``size`` (None: not connected)."""

    learner: str
    size: tuple[int, int] | None


def parse_start(line: bytes) -> MirrorStart | None:
    """A ``mirror`` line, or None when it is not one (or not well-formed)."""
    try:
        message = json.loads(line)
    except (ValueError, RecursionError, UnicodeDecodeError):
        return None
    start = message.get("mirror") if isinstance(message, dict) else None
    if not isinstance(start, dict) or set(start) != {"learner", "size"}:
        return None
    learner, size = start["learner"], start["size"]
    if not text_ok(learner, MAX_LEARNER_ID):
        return None
    if size is None:
        return MirrorStart(learner, None)
    if not (isinstance(size, list) and len(size) == 2 and
            all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in size)):
        return None
    return MirrorStart(learner, (min(size[0], MAX_SIZE), min(size[1], MAX_SIZE)))


def parse_screen(line: bytes) -> bytes | None:
    """A ``screen`` line's bytes, or None when it is not one."""
    if not (line.startswith(SCREEN_PREFIX) and line.endswith(SCREEN_SUFFIX)):
        return None
    try:
        return base64.b64decode(line[len(SCREEN_PREFIX):-len(SCREEN_SUFFIX)], validate=True)
    except (binascii.Error, ValueError):
        return None


def mirror_items(lines: list[bytes]) -> list[MirrorStart | bytes]:
    """The mirror's lines among ``lines``, in order, parsed (others are not looked at)."""
    items: list[MirrorStart | bytes] = []
    for line in lines:
        if line.startswith(SCREEN_PREFIX):
            data = parse_screen(line)
            if data is not None:
                items.append(data)
        elif line.startswith(b'{"mirror"'):
            start = parse_start(line)
            if start is not None:
                items.append(start)
    return items


def _colour(name: str) -> str | None:
    """A pyte colour as Rich names it (None: the terminal's default)."""
    if name == "default" or not name:
        return None
    if len(name) == 6 and all(c in "0123456789abcdefABCDEF" for c in name):
        return "#" + name
    bright = name.startswith("bright")
    base = _NAMES.get(name[6:] if bright else name, name[6:] if bright else name)
    return f"bright_{base}" if bright else base


def _style(char: pyte.screens.Char) -> Style:  # type: ignore[name-defined]
    return Style(color=_colour(char.fg), bgcolor=_colour(char.bg), bold=char.bold or None,
                 italic=char.italics or None, underline=char.underscore or None,
                 strike=char.strikethrough or None, reverse=char.reverse or None)


class MirrorTerm:
    """The watched learner's screen, fed from the channel's thread and drawn from the app's
    (a lock between them)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.learner: str | None = None
        """Whose screen this is (None: no mirror started)."""
        self.connected = False
        """The learner's tutor is running (their screen comes)."""
        self._screen: pyte.Screen | None = None
        self._stream: pyte.ByteStream | None = None
        self._rows: list[list[Segment]] = []
        self._dirty: set[int] = set()
        self._styles: dict[tuple[object, ...], Style] = {}
        self.generation = 0
        """Moves on with each (re)start: the view lays the screen out again."""

    @property
    def size(self) -> tuple[int, int]:
        """Columns and rows (0, 0 before the first start, or for a learner not connected)."""
        screen = self._screen
        return (screen.columns, screen.lines) if screen is not None else (0, 0)

    def feed(self, items: list[MirrorStart | bytes], learner: str | None) -> bool:
        """Play ``items`` (for the mirror of ``learner``; the rest of an earlier learner's is
        dropped); True if anything on screen changed."""
        changed = False
        with self._lock:
            for item in items:
                if isinstance(item, MirrorStart):
                    if item.learner != learner:
                        continue
                    self._start(item)
                    changed = True
                elif self._stream is not None and self.learner == learner:
                    self._stream.feed(item)
                    changed = True
        return changed

    def _start(self, start: MirrorStart) -> None:
        self.learner = start.learner
        self.connected = start.size is not None
        self.generation += 1
        if start.size is None:
            self._screen = self._stream = None
            self._rows, self._dirty = [], set()
            return
        import pyte

        cols, rows = start.size
        self._screen = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self._screen)
        self._rows = [[Segment(" " * cols)] for _ in range(rows)]
        self._dirty = set(range(rows))

    def stop(self) -> None:
        """No mirror: what comes for the last learner is dropped."""
        with self._lock:
            self.learner, self.connected = None, False
            self._screen = self._stream = None
            self._rows, self._dirty = [], set()

    def changed_rows(self) -> set[int]:
        """The rows that changed since the last call, their segments made anew."""
        with self._lock:
            screen = self._screen
            if screen is None:
                return set()
            dirty = self._dirty | set(screen.dirty)
            screen.dirty.clear()
            self._dirty = set()
            for y in dirty:
                if 0 <= y < screen.lines:
                    self._rows[y] = self._row(screen.buffer[y], screen.columns)
            return {y for y in dirty if 0 <= y < screen.lines}

    def _row(self, line: object, columns: int) -> list[Segment]:
        """One row of the pyte screen as segments, a run of one style each."""
        segments: list[Segment] = []
        text: list[str] = []
        style: Style | None = None
        for x in range(columns):
            char = line[x]  # type: ignore[index]
            if char.data == "":  # the right half of a wide character
                continue
            key = (char.fg, char.bg, char.bold, char.italics, char.underscore,
                   char.strikethrough, char.reverse)
            cell_style = self._styles.get(key)
            if cell_style is None:
                cell_style = self._styles[key] = _style(char)
            if cell_style is not style and text:
                segments.append(Segment("".join(text), style))
                text = []
            style = cell_style
            text.append(char.data if char.data.isprintable() else " ")
        if text:
            segments.append(Segment("".join(text), style))
        return segments

    def row(self, y: int) -> list[Segment]:
        """Row ``y``'s segments as last made (empty past the screen)."""
        with self._lock:
            return self._rows[y] if 0 <= y < len(self._rows) else []

    def text(self) -> str:
        """The screen as plain text, a line per row (tests)."""
        with self._lock:
            screen = self._screen
            return "\n".join(line.rstrip() for line in screen.display) if screen else ""
