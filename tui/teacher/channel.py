"""Where the class view's snapshots come from. No Textual here.

Under ``backprop-tutor serve`` the view, like a tutor, has a private channel to the server:
an inherited socket whose number is in ``$BACKPROP_TUTOR_CHANNEL`` (tui/served.py). The
server writes ``{"class": SNAPSHOT}`` lines on it, at most 4 a second, when the class changes
(tui/teacher/model.py has their form). :class:`ClassChannel` reads them in a thread of its
own; :class:`SnapshotFeed` takes them from a method call instead, for tests and demos. Both
hand the view the latest well-formed snapshot of what came, through ``on_snapshot``, each
``{"exported": ...}`` answer through ``on_exported``, and say through ``on_closed`` when
nothing more will come.

The channel is both ways: the view leads the class with commands
(:func:`tui.served.command_line`) written by :meth:`ClassChannel.send`, which never waits and
never raises (the app's loop calls it). A feed keeps what is sent in :attr:`SnapshotFeed.sent`.

A line is read whole before it is parsed, and a line longer than
:data:`~tui.teacher.model.MAX_LINE` is dropped whole (however much of it comes, the reader
holds at most that much): a malformed or endless line can neither crash the view nor make it
hang. Of the lines one read brings, only the last well-formed one is parsed and passed on.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Mapping

from tui.served import Channel
from tui.teacher.mirror_term import SCREEN_PREFIX, MirrorStart, mirror_items
from tui.teacher.model import MAX_LINE, ClassSnapshot, Exported, parse_exported, parse_line

OnSnapshot = Callable[[ClassSnapshot], None]
OnClosed = Callable[[], None]
OnExported = Callable[[Exported], None]
OnMirror = Callable[[list[MirrorStart | bytes]], None]
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
        if line.startswith(SCREEN_PREFIX):
            continue  # a mirror's: most of what comes while the teacher watches a learner
        snapshot = parse_line(line)
        if snapshot is not None:
            return snapshot
    return None


def exports(lines: list[bytes]) -> list[Exported]:
    """Every well-formed ``exported`` answer among ``lines``, in order."""
    return [e for e in map(parse_exported, lines) if e is not None]


def _hand_over(lines: list[bytes], on_snapshot: OnSnapshot | None,
               on_exported: OnExported | None, *, quiet: bool,
               on_mirror: OnMirror | None = None) -> bool:
    """Pass on the mirror's lines, the answers and the latest snapshot among ``lines``
    (``quiet``: what a callback raises is swallowed, as when the app is closing); True if
    anything came."""
    came = False
    items = mirror_items(lines)
    if items:
        came = True
        if on_mirror is not None:
            with contextlib.suppress(Exception if quiet else ()):
                on_mirror(items)
    for exported in exports(lines):
        came = True
        if on_exported is not None:
            with contextlib.suppress(Exception if quiet else ()):
                on_exported(exported)
    snapshot = latest(lines)
    if snapshot is not None:
        came = True
        if on_snapshot is not None:
            with contextlib.suppress(Exception if quiet else ()):
                on_snapshot(snapshot)
    return came


class ClassChannel(Channel):
    """The view's end of its channel to the server: the class read by a thread of its own,
    commands sent (:meth:`Channel.send`, :meth:`Channel.flush`)."""

    def start(self, on_snapshot: OnSnapshot, on_closed: OnClosed,
              on_exported: OnExported | None = None, on_mirror: OnMirror | None = None
              ) -> None:
        """Read snapshots (and export answers, and the mirror of a learner's screen) until
        the server closes its end; the callbacks are called in the reading thread."""
        self._thread = threading.Thread(target=self._read,
                                        args=(on_snapshot, on_closed, on_exported, on_mirror),
                                        name="class-channel", daemon=True)
        self._thread.start()

    def _read(self, on_snapshot: OnSnapshot, on_closed: OnClosed,
              on_exported: OnExported | None, on_mirror: OnMirror | None) -> None:
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
            _hand_over(framer.feed(data), on_snapshot, on_exported, quiet=True,
                       on_mirror=on_mirror)


class SnapshotFeed:
    """Snapshots pushed by :meth:`push` (tests, demos), framed and checked like the
    channel's; one pushed before the view starts is kept for it."""

    def __init__(self) -> None:
        self._framer = LineFramer()
        self._on_snapshot: OnSnapshot | None = None
        self._on_closed: OnClosed | None = None
        self._on_exported: OnExported | None = None
        self._on_mirror: OnMirror | None = None
        self._waiting: ClassSnapshot | None = None
        self._closed = False
        self.sent: list[bytes] = []
        """The lines the view sent, in order (none once the feed has ended)."""

    def start(self, on_snapshot: OnSnapshot, on_closed: OnClosed,
              on_exported: OnExported | None = None, on_mirror: OnMirror | None = None
              ) -> None:
        """Pass snapshots on from now (the last one pushed before, if any, at once)."""
        self._on_snapshot, self._on_closed = on_snapshot, on_closed
        self._on_exported, self._on_mirror = on_exported, on_mirror
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            on_snapshot(waiting)
        if self._closed:
            on_closed()

    def push(self, data: bytes | str | Mapping[str, object]) -> bool:
        """Bytes as the server writes them (a line ends with ``\\n``), or one snapshot's data
        (``Classroom.snapshot()``) to send as a line; True if a snapshot (or an export's
        answer) came of it."""
        if isinstance(data, Mapping):
            data = json.dumps({"class": data}, ensure_ascii=False) + "\n"
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        lines = self._framer.feed(data)
        if self._on_snapshot is None:
            snapshot = latest(lines)
            if snapshot is not None:
                self._waiting = snapshot
            return bool(snapshot is not None or exports(lines))
        return _hand_over(lines, self._on_snapshot, self._on_exported, quiet=False,
                          on_mirror=self._on_mirror)

    def send(self, line: bytes) -> bool:
        """Keep ``line`` in :attr:`sent`; False (and not kept) once the feed has ended."""
        if self._closed:
            return False
        self.sent.append(line)
        return True

    def flush(self) -> bool:
        """Nothing is ever left half sent."""
        return not self._closed

    @property
    def gone(self) -> bool:
        """True once the feed has ended."""
        return self._closed

    def end(self) -> None:
        """The server is gone: no more snapshots."""
        self._closed = True
        if self._on_closed is not None:
            self._on_closed()

    def close(self) -> None:
        """The view is closing: nothing more is passed on."""
        self._on_snapshot = self._on_closed = None
        self._on_exported = self._on_mirror = None
