"""What a tutor run by ``backprop-tutor serve`` has that a local one has not: a private
channel to its server, an inherited socket (never a network port) whose number is in
``$BACKPROP_TUTOR_CHANNEL``.

Both ends write JSON lines of at most :data:`MAX_LINE` bytes; a line that is too long, not
JSON, or not one of the forms below is dropped by the tutor, and gets the tutor's channel
cut off by the server (a tutor is trusted with nothing: it runs whatever lesson file the
teacher gave). No Textual here.

Server -> tutor:

* ``{"notice": "idle" | "time", "seconds": S}``: the session closes in S seconds unless a
  key comes / at its time limit (the tutor shows it as a notification, so its screen stays
  whole).

* ``{"lead": "step", "step": K}``: the teacher moves the class to K steps done in the
  learner's current iteration; ``{"lead": "phase", "phase": PHASE}``: to the start of that
  phase; ``{"lead": "lesson", "lesson": NAME}``: to the start of that lesson (a built-in
  lesson's name, or a file of the teacher's ``--lessons`` folder). The learner sees a notice
  and goes on from there.
* ``{"hold": K}``: the learner cannot step past K steps done until ``{"hold": null}``.
* ``{"broadcast": TEXT}``: a one-line message from the teacher, shown in the header until
  ``{"broadcast": null}``. TEXT is at most :data:`MAX_BROADCAST` printable characters.
* ``{"repaint": true}``: draw the whole screen again (the teacher has begun to watch it: the
  mirror needs every cell, not just those that change from now on).

The class view (tui/teacher/) -> server, on its own channel (see :func:`command_line`):

* ``{"command": "goto", "step": K}``, ``{"command": "phase", "phase": PHASE}``,
  ``{"command": "hold", "step": K | null}``, ``{"command": "broadcast", "text": TEXT |
  null}``, ``{"command": "lesson", "lesson": NAME}``, ``{"command": "export"}``,
  ``{"command": "mirror", "learner": ID | null}`` (watch
  that learner's screen, read-only; null: stop).

Server -> class view: ``{"class": SNAPSHOT}`` (tui/serve/classroom.py; with ``hold`` and
``broadcast``, the class's current ones) and ``{"exported": {"csv": PATH, "markdown":
PATH}}`` once an export is written. While the view watches a learner:
``{"mirror": {"learner": ID, "size": [COLS, ROWS] | null}}`` when the mirror (re)starts (a
fresh screen of that size; null: the learner is not connected), then ``{"screen": BASE64}``
lines, the bytes the learner's tutor writes to their terminal (tui/teacher/mirror_term.py).

Tutor -> server (issue 15, the teacher's view; see :func:`report_line`):

* ``{"report": "place", "lesson": NAME, "iteration": I, "step": K, "total": N, "phase":
  PHASE | null}``: where the learner is (K steps of N done in iteration I); coalesced by
  the tutor to a few a second.
* ``{"report": "answer", "lesson": NAME, "iteration": I, "step": K, "phase": PHASE,
  "outcome": "right" | "wrong" | "revealed", "first_try": bool, "slips": [SLIP, ...]}``: a
  quiz answer judged (the slips engine.slips names for a wrong one).
* ``{"report": "training", "lesson": NAME, "epochs": E}``: a training run.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

CHANNEL_ENV = "BACKPROP_TUTOR_CHANNEL"
MAX_LINE = 4096
#: The notices a server may send, and the message each is shown with.
NOTICES = {"idle": "serve.idle_warning", "time": "serve.time_warning"}
#: A write that never waits, nor raises SIGPIPE once the server is gone.
_NO_WAIT = getattr(socket, "MSG_DONTWAIT", 0) | getattr(socket, "MSG_NOSIGNAL", 0)


@dataclass(frozen=True)
class Notice:
    """A notice from the server: which, and the seconds it speaks of."""

    kind: str
    seconds: float


@dataclass(frozen=True)
class Lead:
    """The teacher moves the class: ``kind`` "step" (``to`` steps done in the learner's
    iteration), "phase" (``to`` one of :data:`LEAD_PHASES`: the start of that phase) or
    "lesson" (``to`` a lesson's name: its start)."""

    kind: str
    to: int | str


@dataclass(frozen=True)
class Hold:
    """The teacher holds the class at ``step`` steps done (None: the hold is released)."""

    step: int | None


@dataclass(frozen=True)
class Broadcast:
    """The teacher's one-line message for the header (None: take it away)."""

    text: str | None


@dataclass(frozen=True)
class Repaint:
    """Draw the whole screen again: the teacher has begun to watch it."""


#: What a server line may be, once parsed.
ServerMessage = Notice | Lead | Hold | Broadcast | Repaint


def parse(line: bytes) -> ServerMessage | None:
    """One line from the server as what it says, or None when it is not exactly one of the
    forms in the module's docstring (the tutor ignores it)."""
    message = _json_object(line, MAX_LINE + 1)  # + 1: its end of line
    if message is None:
        return None
    if "notice" in message:
        return _notice(message)
    keys = set(message)
    if keys == {"lead", "step"} and message["lead"] == "step" and _step_ok(message["step"]):
        return Lead("step", message["step"])
    if keys == {"lead", "phase"} and message["lead"] == "phase" and \
            isinstance(message["phase"], str) and message["phase"] in LEAD_PHASES:
        return Lead("phase", message["phase"])
    if keys == {"lead", "lesson"} and message["lead"] == "lesson" and \
            _lesson_ok(message["lesson"]):
        return Lead("lesson", message["lesson"])  # type: ignore[arg-type]
    if keys == {"hold"} and (message["hold"] is None or _step_ok(message["hold"])):
        return Hold(message["hold"])
    if keys == {"broadcast"} and _broadcast_ok(message["broadcast"]):
        return Broadcast(message["broadcast"])
    if keys == {"repaint"} and message["repaint"] is True:
        return Repaint()
    return None


def _json_object(line: bytes, limit: int = MAX_LINE) -> dict[str, object] | None:
    """A line as a JSON object, or None (too long, not JSON, nested beyond Python's limit,
    or not an object)."""
    if len(line) > limit:
        return None
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return message if isinstance(message, dict) else None


def _notice(message: dict[str, object]) -> Notice | None:
    """A notice's fields as a notice, or None when they are not a well-formed one."""
    kind, seconds = message.get("notice"), message.get("seconds")
    if not isinstance(kind, str) or kind not in NOTICES or isinstance(seconds, bool) or \
            not isinstance(seconds, (int, float)) or not 0 <= seconds < 1e7:
        return None
    return Notice(kind, float(seconds))


class Channel:
    """One end of a channel between the server and a process it started (a tutor, the
    class view): an inherited socket, read by a thread of the process's own, written
    without ever waiting from its app's thread."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._thread: threading.Thread | None = None
        self._sending = threading.Lock()
        self._unsent = b""
        """The end of a line the socket took only part of: it goes out before any other."""
        self._gone = False
        """True once a write failed other than for a full buffer: nothing more is sent."""

    @classmethod
    def from_environment(cls: type[_C]) -> _C | None:
        """The channel the server gave, if any (the variable is removed: nothing the
        process starts inherits it)."""
        value = os.environ.pop(CHANNEL_ENV, None)
        if value is None or not value.isdigit():
            return None
        try:
            sock = socket.socket(fileno=int(value))
        except OSError:
            return None
        sock.setblocking(True)
        return cls(sock)

    def send(self, line: bytes) -> bool:
        """Write one line without ever waiting, from the app's thread while the reading
        thread reads on; True if the socket took it (or the start of it: :meth:`flush`
        writes the rest). When the socket's buffer is full, or the server is gone, the line
        is dropped and False returned; nothing is raised.

        The server reads whole lines, so a line the buffer took only part of is finished
        first, by :meth:`flush` or the next call: until its end is out, newer lines are
        dropped."""
        with self._sending:
            if self._gone:
                return False
            try:
                if self._unsent:
                    self._unsent = self._unsent[self._sock.send(self._unsent, _NO_WAIT):]
                    if self._unsent:
                        return False
                self._unsent = line[self._sock.send(line, _NO_WAIT):]
            except BlockingIOError:  # the buffer is full: this line is dropped
                return False
            except OSError:  # the server is gone, or the channel was closed
                self._gone = True
                self._unsent = b""
                return False
            return True

    def flush(self) -> bool:
        """Write more of a line the socket took only part of, without waiting; True when
        nothing is left to write (False while some is, or once the server is gone)."""
        with self._sending:
            if self._gone:
                return False
            if not self._unsent:
                return True
            try:
                self._unsent = self._unsent[self._sock.send(self._unsent, _NO_WAIT):]
            except BlockingIOError:
                return False
            except OSError:
                self._gone = True
                self._unsent = b""
                return False
            return not self._unsent

    @property
    def gone(self) -> bool:
        """True once a write found the server gone (nothing more is sent)."""
        return self._gone

    def close(self) -> None:
        """Close this end (the reading thread then ends)."""
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()


_C = TypeVar("_C", bound=Channel)


class ServerChannel(Channel):
    """The tutor's end of its channel: the server's lines read, its reports sent."""

    def start(self, on_message: Callable[[ServerMessage], None]) -> None:
        """Read the server's lines until it closes its end; ``on_message`` is called, in the
        reading thread, with each well-formed one (a :data:`ServerMessage`)."""
        self._thread = threading.Thread(target=self._read, args=(on_message,),
                                        name="server-channel", daemon=True)
        self._thread.start()

    def _read(self, on_message: Callable[[ServerMessage], None]) -> None:
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
                message = parse(line)
                if message is not None:
                    with contextlib.suppress(Exception):  # the app is closing
                        on_message(message)


#: The server asks a tutor to draw its whole screen again (see :class:`Repaint`).
REPAINT_LINE = b'{"repaint": true}\n'


def notice_line(kind: str, seconds: float) -> bytes:
    """A notice as the server writes it."""
    return (json.dumps({"notice": kind, "seconds": round(seconds, 1)}) + "\n").encode()


#: The reports a tutor may send, and the fields each must have: name -> type(s).
REPORTS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "place": {"lesson": str, "iteration": int, "step": int, "total": int,
              "phase": (str, type(None))},
    "answer": {"lesson": str, "iteration": int, "step": int, "phase": str, "outcome": str,
               "first_try": bool, "slips": list},
    "training": {"lesson": str, "epochs": int},
}
OUTCOMES = ("right", "wrong", "revealed")
#: The longest lesson name or slip a report may carry.
MAX_TEXT = 80


def report_line(kind: str, **fields: object) -> bytes:
    """A report as the tutor writes it (ValueError for one :func:`parse_report` would
    refuse: the tutor never sends what gets it cut off)."""
    line = (json.dumps({"report": kind, **fields}, ensure_ascii=False) + "\n").encode()
    if len(line) > MAX_LINE or parse_report(line) is None:
        raise ValueError(f"not a report: {line[:200]!r}")
    return line


def parse_report(line: bytes) -> dict[str, object] | None:
    """A tutor's line as a report (its fields, ``report`` included), or None when it is not
    exactly one of :data:`REPORTS`: the server cuts such a tutor off."""
    message = _json_object(line)
    if message is None:
        return None
    fields = REPORTS.get(message.get("report"))  # type: ignore[arg-type]
    if fields is None or set(message) != {"report", *fields}:
        return None
    for name, kind in fields.items():
        value = message[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return None
        if isinstance(value, int) and not isinstance(value, bool) and \
                not 0 <= value < 10**9:
            return None
        if isinstance(value, str) and (len(value) > MAX_TEXT or not value.isprintable()):
            return None
    if message["report"] == "answer":
        slips = message["slips"]
        if message["outcome"] not in OUTCOMES or len(slips) > 4 or not all(  # type: ignore[arg-type]
                text_ok(s, MAX_TEXT) for s in slips):  # type: ignore[union-attr]
            return None
    return message


#: The longest message a teacher may broadcast.
MAX_BROADCAST = 200
LEAD_PHASES = ("forward", "loss", "backward", "update")


def text_ok(value: object, limit: int) -> bool:
    """A protocol text: a string of 1 to ``limit`` printable characters (so no escape
    sequence, newline or bidi control ever rides in one)."""
    return isinstance(value, str) and 0 < len(value) <= limit and value.isprintable()


def _broadcast_ok(text: object) -> bool:
    return text is None or text_ok(text, MAX_BROADCAST)


def _step_ok(step: object) -> bool:
    return isinstance(step, int) and not isinstance(step, bool) and 0 <= step < 10**6


def parse_command(line: bytes) -> dict[str, object] | None:
    """A class view's line as a command, or None when it is not exactly one (the server
    ignores it)."""
    message = _json_object(line)
    if message is None:
        return None
    command = message.get("command")
    fields = set(message) - {"command"}
    if command == "goto" and fields == {"step"} and _step_ok(message["step"]):
        return message
    if command == "phase" and fields == {"phase"} and message["phase"] in LEAD_PHASES:
        return message
    if command == "hold" and fields == {"step"} and (
            message["step"] is None or _step_ok(message["step"])):
        return message
    if command == "broadcast" and fields == {"text"} and _broadcast_ok(message["text"]):
        return message
    if command == "lesson" and fields == {"lesson"} and _lesson_ok(message["lesson"]):
        return message
    if command == "export" and not fields:
        return message
    if command == "mirror" and fields == {"learner"} and (
            message["learner"] is None or _learner_ok(message["learner"])):
        return message
    return None


#: The longest learner id (a learner's directory name: tui.serve.auth.learner_dir).
MAX_LEARNER_ID = 100


#: The longest lesson name a lead may carry (a built-in's, or a file name of the folder).
MAX_LESSON_NAME = 120


def _lesson_ok(name: object) -> bool:
    return text_ok(name, MAX_LESSON_NAME)


def _learner_ok(learner: object) -> bool:
    return text_ok(learner, MAX_LEARNER_ID)


def command_line(command: str, **fields: object) -> bytes:
    """A command as the class view writes it (ValueError for one the server would ignore)."""
    line = (json.dumps({"command": command, **fields}, ensure_ascii=False) + "\n").encode()
    if parse_command(line) is None:
        raise ValueError(f"not a command: {line[:200]!r}")
    return line


def lead_line(**fields: object) -> bytes:
    """What the server sends every tutor for a teacher's command: ``lead``, ``hold`` or
    ``broadcast`` (see the module's docstring)."""
    return (json.dumps(fields, ensure_ascii=False) + "\n").encode()
