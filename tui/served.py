"""What a tutor run by ``backprop-tutor serve`` has that a local one has not: a private
channel to its server, an inherited socket (never a network port) whose number is in
``$BACKPROP_TUTOR_CHANNEL``.

The server writes JSON lines on it; today only notices the learner must see, drawn by the
tutor itself (a notification, so its screen stays whole): ``{"notice": "idle", "seconds":
60}`` before an idle session closes, ``{"notice": "time", ...}`` before the time limit.
Anything else, or a line longer than :data:`MAX_LINE`, is ignored. No Textual here.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

CHANNEL_ENV = "BACKPROP_TUTOR_CHANNEL"
MAX_LINE = 4096
#: The notices a server may send, and the message each is shown with.
NOTICES = {"idle": "serve.idle_warning", "time": "serve.time_warning"}


@dataclass(frozen=True)
class Notice:
    """A notice from the server: which, and the seconds it speaks of."""

    kind: str
    seconds: float


def parse(line: bytes) -> Notice | None:
    """One line from the server as a notice, or None when it is not a well-formed one."""
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(message, dict):
        return None
    kind, seconds = message.get("notice"), message.get("seconds")
    if kind not in NOTICES or isinstance(seconds, bool) or \
            not isinstance(seconds, (int, float)) or not 0 <= seconds < 1e7:
        return None
    return Notice(kind, float(seconds))


class ServerChannel:
    """The tutor's end of the channel, read by a thread of its own."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._thread: threading.Thread | None = None

    @classmethod
    def from_environment(cls) -> ServerChannel | None:
        """The channel the server gave, if any (the variable is removed: nothing the tutor
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

    def start(self, on_notice: Callable[[Notice], None]) -> None:
        """Read notices until the server closes its end; ``on_notice`` is called in the
        reading thread."""
        self._thread = threading.Thread(target=self._read, args=(on_notice,),
                                        name="server-channel", daemon=True)
        self._thread.start()

    def _read(self, on_notice: Callable[[Notice], None]) -> None:
        pending = b""
        while True:
            try:
                data = self._sock.recv(MAX_LINE)
            except OSError:
                return
            if not data:
                return
            pending += data
            *lines, pending = pending.split(b"\n")
            if len(pending) > MAX_LINE:  # no end of line in sight: drop it
                pending = b""
            for line in lines:
                notice = parse(line)
                if notice is not None:
                    with contextlib.suppress(Exception):  # the app is closing
                        on_notice(notice)

    def close(self) -> None:
        """Close the tutor's end (the reading thread then ends)."""
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()


def notice_line(kind: str, seconds: float) -> bytes:
    """A notice as the server writes it."""
    return (json.dumps({"notice": kind, "seconds": round(seconds, 1)}) + "\n").encode()
