"""A read-only mirror of one learner's screen in the teacher's view (issue 15).

The server already has every byte a tutor writes to its learner's terminal: while the teacher
watches a learner, a copy of those bytes goes to the class view too, which plays them on a
terminal screen of its own (tui/teacher/mirror_term.py). Nothing goes the other way: the view
can send the learner no key. When the mirror starts (or has to start again) the view is told
the learner's terminal size, and the learner's tutor is asked to draw its whole screen once
(``{"repaint": true}``, tui/served.py), since a Textual app writes only what changes.

The copy never holds the learner up: it is queued, and sent by one task of the teacher's
session as fast as the view reads. A view that falls :data:`BACKLOG` bytes behind loses what
is queued and starts the mirror again (a fresh screen, a repaint), so a slow teacher costs the
server at most that much memory and the learner nothing.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Awaitable, Callable
from typing import Protocol

from tui.served import REPAINT_LINE

#: The most of a learner's output queued for a view that is not reading (bytes).
BACKLOG = 256 * 1024
#: The most of it sent in one ``screen`` line (before base64: the line stays well within
#: the view's limit, tui/teacher/model.py's MAX_LINE).
CHUNK = 48 * 1024


class Watched(Protocol):
    """A learner's session as the mirror sees it."""

    learner_id: str
    size: tuple[int, int]
    watchers: set[Mirror]

    def tell(self, line: bytes) -> None:
        """One line to the learner's tutor on its channel."""


def start_line(learner_id: str, size: tuple[int, int] | None) -> bytes:
    """The line that (re)starts the view's mirror: a fresh screen of ``size``, or None when
    the learner is not connected."""
    message = {"mirror": {"learner": learner_id, "size": list(size) if size else None}}
    return (json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8")


def screen_line(data: bytes) -> bytes:
    """Bytes of the learner's terminal as one line to the view."""
    return b'{"screen": "' + base64.b64encode(data) + b'"}\n'


class Mirror:
    """The teacher's session's side: which learner it watches, and what is on its way."""

    def __init__(self, send: Callable[[bytes], Awaitable[bool]]) -> None:
        """``send`` writes lines to the view (False once it is gone)."""
        self._send = send
        self.watched: Watched | None = None
        self._learner_id: str | None = None
        self._queue: list[bytes | tuple[int, int] | None] = []
        """What the view is to get, in order: output, or a (re)start (a size; None: not
        connected)."""
        self._queued = 0
        self._restart = False
        """The view fell behind: what was queued is dropped; start again."""
        self._wake = asyncio.Event()

    def watch(self, learner_id: str | None, learner: Watched | None) -> None:
        """Watch ``learner`` (``learner_id``'s session; None: not connected), or stop
        (``learner_id`` None)."""
        self.stop()
        self._queue.clear()  # the last learner's, on its way: the view has moved on
        self._queued, self._restart = 0, False
        self._learner_id = learner_id
        if learner_id is None:
            return
        if learner is None:
            self._put(None)
            return
        self.watched = learner
        learner.watchers.add(self)
        self._put(learner.size)
        learner.tell(REPAINT_LINE)

    def waits_for(self, learner_id: str) -> bool:
        """True when the view watches ``learner_id`` while they are not connected: their
        next session is mirrored as it starts."""
        return self.watched is None and self._learner_id == learner_id

    def stop(self) -> None:
        """Watch nobody (what is queued still goes)."""
        if self.watched is not None:
            self.watched.watchers.discard(self)
        self.watched = None

    # --- from the watched learner's session -----------------------------------------------

    def output(self, data: bytes) -> None:
        """What the learner's tutor wrote to their terminal."""
        if self._restart:
            return
        if self._queued + len(data) > BACKLOG:
            self._queue.clear()
            self._queued = 0
            self._restart = True
        else:
            self._queue.append(data)
            self._queued += len(data)
        self._wake.set()

    def resized(self, size: tuple[int, int]) -> None:
        """The learner's terminal changed size: a fresh screen (the tutor redraws it all)."""
        self._put(size)

    def ended(self) -> None:
        """The learner's session ended."""
        self.stop()
        self._put(None)

    def _put(self, start: tuple[int, int] | None) -> None:
        self._queue.append(start)
        self._wake.set()

    # --- to the view --------------------------------------------------------------------------

    async def run(self) -> None:
        """Send what is queued as the view reads it, until the view is gone."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            if self._restart:
                self._restart = False
                if self.watched is not None:
                    self._queue.append(self.watched.size)
                    self.watched.tell(REPAINT_LINE)
            lines = self._lines()
            if lines and not await self._send(lines):
                self.stop()
                return

    def _lines(self) -> bytes:
        """What is queued, as lines: a run of output in ``screen`` lines of at most CHUNK
        bytes each, a (re)start as its ``mirror`` line."""
        queue, self._queue, self._queued = self._queue, [], 0
        out: list[bytes] = []
        run = bytearray()

        def end_run() -> None:
            for start in range(0, len(run), CHUNK):
                out.append(screen_line(bytes(run[start:start + CHUNK])))
            run.clear()

        for item in queue:
            if isinstance(item, bytes):
                run += item
                continue
            end_run()
            if self._learner_id is not None:
                out.append(start_line(self._learner_id, item))
        end_run()
        return b"".join(out)
