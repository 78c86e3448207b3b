"""Where the class view's snapshots come from. No Textual here.

Under ``backprop-tutor serve`` the view, like a tutor, has a private channel to the server:
an inherited socket whose number is in ``$BACKPROP_TUTOR_CHANNEL`` (tui/served.py). The
server writes ``{"class": SNAPSHOT}`` lines on it, at most 4 a second, when the class changes
(tui/teacher/model.py has their form). :class:`ClassChannel` reads them in a thread of its
own; :class:`SnapshotFeed` takes them from a method call instead, for tests and demos. Both
hand the view the latest well-formed snapshot of what came, through ``on_snapshot``, and say
through ``on_closed`` when nothing more will come.

A line is read whole before it is parsed, and a line longer than
:data:`~tui.teacher.model.MAX_LINE` is dropped whole (however much of it comes, the reader
holds at most that much): a malformed or endless line can neither crash the view nor make it
hang. Of the lines one read brings, only the last well-formed one is parsed and passed on.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from collections.abc import Callable, Mapping

from tui.served import CHANNEL_ENV
from tui.teacher.model import MAX_LINE, ClassSnapshot, parse_line

OnSnapshot = Callable[[ClassSnapshot], None]
OnClosed = Callable[[], None]
#: Bytes read from the socket at a time.
CHUNK = 1 << 16


class LineFramer:
    """Splits bytes into lines of at most ``limit`` bytes; the rest of a longer line is
    skipped up to its end, never kept."""

    def __init__(self, limit: int = MAX_LINE) -> None:
        self.limit = limit
        self._partial = bytearray()
        self._skipping = False
        """True while the rest of a line too long is being skipped."""

    def feed(self, data: bytes) -> list[bytes]:
        """The lines ``data`` completes (without their ends of line)."""
        lines: list[bytes] = []
        start = 0
        while True:
            end = data.find(b"\n", start)
            if end < 0:
                if not self._skipping:
                    if len(self._partial) + len(data) - start > self.limit:
                        self._partial.clear()
                        self._skipping = True
                    else:
                        self._partial += data[start:]
                return lines
            if self._skipping:
                self._skipping = False
            elif len(self._partial) + end - start <= self.limit:
                lines.append(bytes(self._partial) + data[start:end])
            self._partial.clear()
            start = end + 1

    @property
    def holding(self) -> int:
        """Bytes of an unfinished line held now (at most ``limit``)."""
        return len(self._partial)


def latest(lines: list[bytes]) -> ClassSnapshot | None:
    """The last well-formed snapshot among ``lines``, the others not parsed."""
    for line in reversed(lines):
        snapshot = parse_line(line)
        if snapshot is not None:
            return snapshot
    return None


class ClassChannel:
    """The view's end of its channel to the server, read by a thread of its own."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._thread: threading.Thread | None = None

    @classmethod
    def from_environment(cls) -> ClassChannel | None:
        """The channel the server gave, if any (the variable is removed: nothing the view
        starts inherits it)."""
        value = os.environ.pop(CHANNEL_ENV, None)
        if value is None or not value.isdigit():
            return None
        try:
            sock = socket.socket(fileno=int(value))
        except OSError:
            return None
        sock.setblocking(True)
        return cls(sock)

    def start(self, on_snapshot: OnSnapshot, on_closed: OnClosed) -> None:
        """Read snapshots until the server closes its end; both callbacks are called in the
        reading thread."""
        self._thread = threading.Thread(target=self._read, args=(on_snapshot, on_closed),
                                        name="class-channel", daemon=True)
        self._thread.start()

    def _read(self, on_snapshot: OnSnapshot, on_closed: OnClosed) -> None:
        framer = LineFramer()
        while True:
            try:
                data = self._sock.recv(CHUNK)
            except OSError:
                data = b""
            if not data:
                with contextlib.suppress(Exception):  # the app is closing
                    on_closed()
                return
            snapshot = latest(framer.feed(data))
            if snapshot is not None:
                with contextlib.suppress(Exception):
                    on_snapshot(snapshot)

    def close(self) -> None:
        """Close the view's end (the reading thread then ends)."""
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()


class SnapshotFeed:
    """Snapshots pushed by :meth:`push` (tests, demos), framed and checked like the
    channel's; one pushed before the view starts is kept for it."""

    def __init__(self) -> None:
        self._framer = LineFramer()
        self._on_snapshot: OnSnapshot | None = None
        self._on_closed: OnClosed | None = None
        self._waiting: ClassSnapshot | None = None
        self._closed = False

    def start(self, on_snapshot: OnSnapshot, on_closed: OnClosed) -> None:
        """Pass snapshots on from now (the last one pushed before, if any, at once)."""
        self._on_snapshot, self._on_closed = on_snapshot, on_closed
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            on_snapshot(waiting)
        if self._closed:
            on_closed()

    def push(self, data: bytes | str | Mapping[str, object]) -> bool:
        """Bytes as the server writes them (a line ends with ``\\n``), or one snapshot's data
        (``Classroom.snapshot()``) to send as a line; True if a snapshot came of it."""
        if isinstance(data, Mapping):
            data = json.dumps({"class": data}, ensure_ascii=False) + "\n"
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        snapshot = latest(self._framer.feed(data))
        if snapshot is None:
            return False
        if self._on_snapshot is None:
            self._waiting = snapshot
        else:
            self._on_snapshot(snapshot)
        return True

    def end(self) -> None:
        """The server is gone: no more snapshots."""
        self._closed = True
        if self._on_closed is not None:
            self._on_closed()

    def close(self) -> None:
        """The view is closing: nothing more is passed on."""
        self._on_snapshot = self._on_closed = None
