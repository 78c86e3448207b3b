"""One learner's session, whatever carries it (SSH now, a websocket too): admitted or
refused, a tutor started in its own pty at most a few at once, keys in and frames out, the
idle and duration clocks, and an end that always stops and reaps the tutor and tells the
learner why when it was not their doing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections import deque
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from tui.i18n import detect_language
from tui.serve.auth import learner_dir
from tui.serve.child import (
    Tutor,
    child_environment,
    clamp,
    start_tutor,
    tutor_args,
    view_args,
)
from tui.serve.launcher import Launcher, TutorRequest
from tui.serve.leading import export, joining_lines, lead
from tui.serve.log import SessionLog
from tui.serve.mirror import Mirror
from tui.serve.options import ServeOptions, format_duration
from tui.serve.sessions import Clock, SessionManager, message
from tui.served import MAX_LINE, notice_line, parse_command, parse_report

if TYPE_CHECKING:
    from tui.serve.classroom import Classroom
    from tui.serve.records import Records

#: How long a starting tutor holds its place among the few that may start at once.
START_HOLD = 10.0
#: Keys typed before the tutor has its terminal in raw mode are kept (up to this many
#: bytes) and given to it then: typed into a terminal still in line mode they would be
#: echoed.
EARLY_INPUT = 4096
#: Put the learner's terminal back as a shell expects it when a tutor is ended for them:
#: plain colours, cursor shown, main screen, no mouse reports, no bracketed paste, the
#: keyboard protocol popped.
RESET_TERMINAL = (b"\x1b[0m\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l"
                  b"\x1b[?2004l\x1b[<u\x1b[?1049l\r\n")
#: A tutor may send at most this many reports in any REPORT_WINDOW seconds: one that sends
#: more is cut off (it coalesces its places to a few a second).
REPORTS_PER_WINDOW = 200
REPORT_WINDOW = 10.0
#: The most read from a tutor's channel at once, and the reads of what is left when its
#: session ends.
CHANNEL_READ = 65536
DRAIN_READS = 16
#: How often at most the class view is sent the class.
SNAPSHOT_EVERY = 0.25
#: Why a session ended, to the learner: reason -> message key.
_GOODBYES = {
    "idle": "serve.idle_closed",
    "max-duration": "serve.time_up",
    "server-stop": "serve.server_stopping",
}


class Transport(Protocol):
    """What carries a session's bytes: an SSH channel, a websocket."""

    def send(self, data: bytes) -> None:
        """Terminal output to the learner."""

    def refuse(self, text: str) -> None:
        """A line saying why the session is refused (SSH: on stderr)."""

    def close(self, status: int) -> None:
        """End the session with this exit status (idempotent)."""

    def pause_reading(self) -> None:
        """Stop reading the learner's keys (the tutor is not taking them)."""

    def resume_reading(self) -> None:
        """Read the learner's keys again."""


class Room(Protocol):
    """What every session shares: the server's settings, limits, launcher and log, and the
    class (its live state, and its records file when there is one)."""

    options: ServeOptions
    manager: SessionManager
    launcher: Launcher
    log: SessionLog
    classroom: Classroom
    records: Records | None


class LearnerSession:
    """One learner's tutor, over any transport."""

    def __init__(self, room: Room, transport: Transport, learner: str, address: str,
                 key: str | None = None, teacher: bool = False) -> None:
        self.room, self.transport = room, transport
        self.learner, self.address, self.key = learner, address, key
        self.teacher = teacher
        """The class view (tui/teacher/) instead of a tutor: sent the class, not in it."""
        self.term = "xterm-256color"
        self.size = (80, 24)
        self.lang = "en"
        self.tutor: Tutor | None = None
        self.clock: Clock | None = None
        self.reason: str | None = None
        self._first_output = asyncio.Event()
        self._early_input = bytearray()
        self._holding_input = True
        self._finished = asyncio.Event()
        self._finisher: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._channel: socket.socket | None = None
        """The server's end of the tutor's channel (tui/served.py)."""
        # The tutor's reports (see "the tutor's reports" below).
        self.learner_id = learner_dir(Path(), learner, key).name
        """The learner in the class: their directory's name."""
        self._in_class = False
        self.cut = False
        """The tutor was cut off: nothing more is read from its channel (still written)."""
        self._reading_channel = False
        self._unread = b""
        self._report_times: deque[float] = deque(maxlen=REPORTS_PER_WINDOW)
        self._sender: asyncio.Task[None] | None = None
        """A teacher's: the class sent to the view whenever it changes."""
        self._taker: Callable[[bytes], None] = self._take
        """What is done with what the channel brings: reports, or the view's commands."""
        self._view_lock = asyncio.Lock()
        self.watchers: set[Mirror] = set()
        """The teachers' views watching this learner's screen (tui/serve/mirror.py)."""
        self.mirror: Mirror | None = None
        """A teacher's: the learner whose screen the view watches."""
        self._mirroring: asyncio.Task[None] | None = None

    # --- from the learner --------------------------------------------------------------------

    def input(self, data: bytes) -> None:
        """Keys: to the tutor, or held until its terminal is in raw mode."""
        if self.clock is not None:
            self.clock.key()
        if self._in_class:
            self.room.classroom.key(self.learner_id)
            if self.room.records is not None:
                self.room.records.key(self.learner_id)
        if self._holding_input:
            self._early_input += data[:EARLY_INPUT - len(self._early_input)]
            return
        self._give(data)

    def _give(self, data: bytes) -> None:
        """Keys to the tutor, reading no more from the learner while they back up."""
        tutor = self.tutor
        if tutor is not None and not tutor.write(data, self.transport.resume_reading):
            self.transport.pause_reading()

    def resize(self, cols: int, rows: int) -> None:
        """The learner's window changed (sizes clamped to 1..1000)."""
        self.size = (clamp(cols or 80), clamp(rows or 24))
        if self.tutor is not None:
            self.tutor.resize(*self.size)
        for mirror in self.watchers:
            mirror.resized(self.size)

    def pause_output(self) -> None:
        """The learner's side is not keeping up: stop reading the tutor."""
        if self.tutor is not None:
            self.tutor.pause_output()

    def resume_output(self) -> None:
        """Read the tutor again."""
        if self.tutor is not None:
            self.tutor.resume_output()

    # --- the session -------------------------------------------------------------------------

    def _spawn(self, coroutine: object) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coroutine)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def start(self, client_env: Mapping[str, str], refusal: tuple[str, str] | None = None
              ) -> asyncio.Task[None]:
        """Run the session in a task (``refusal``: message key and log reason, when the
        transport has already decided that this is no tutor session)."""
        return self._spawn(self.run(dict(client_env), refusal))

    async def run(self, env: dict[str, str], refusal: tuple[str, str] | None = None) -> None:
        """Refuse, or run the tutor until it ends."""
        options, manager, log = self.room.options, self.room.manager, self.room.log
        client_zh = detect_language(env) == "zh"
        self.lang = "zh" if client_zh else (options.lang or "en")
        fields = {"learner": self.learner, "address": self.address, "term": self.term,
                  "size": list(self.size)}
        if refusal is None and not manager.admit(self, teacher=self.teacher):
            refusal = ("serve.class_full", "full")
        if refusal is not None:
            self.transport.refuse(message(self.lang, refusal[0]))
            self.transport.close(1)
            log.event("refused", reason=refusal[1], **fields)
            self._finished.set()
            return
        log.event("connect", **fields)
        self.clock = manager.clock(self, teacher=self.teacher)
        try:
            await self._start_tutor(env, "zh" if client_zh else options.lang)
            if self.tutor is not None:
                await self.tutor.wait()
        finally:
            if self._finisher is not None:  # ended for the learner: let them read why
                await self._finisher
            self.clock.stop()
            for task in (self._sender, self._mirroring):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            if self.mirror is not None:
                self.mirror.stop()
            for mirror in list(self.watchers):
                mirror.ended()
            self._close_channel()
            self._leave_class()
            manager.release(self)
            log.event("disconnect", reason=self.reason or "quit",
                      duration=format_duration(self.clock.elapsed), **fields)
            self._finished.set()

    async def _start_tutor(self, env: dict[str, str], lang: str | None) -> None:
        """Start the tutor, at most a few at once: the place is held until its first frame
        (or ``START_HOLD`` seconds)."""
        options, manager = self.room.options, self.room.manager
        async with manager.starting:
            if self.reason is not None:  # gone while waiting its turn
                return
            home = options.state_dir / "teacher" if self.teacher \
                else learner_dir(options.state_dir, self.learner, self.key)
            ours, theirs = socket.socketpair()
            try:
                for sub in (home.parent, home, home / "state", home / "saved"):
                    sub.mkdir(mode=0o700, parents=True, exist_ok=True)
                if self.teacher:
                    module = options.teacher_module
                    args = view_args(lang, options.ascii_only, options.lessons)
                else:
                    module = options.tutor_module
                    args = tutor_args(options.scenario, lang, options.ascii_only,
                                      options.lessons)
                request = TutorRequest(args, child_environment(env, self.term, home), home,
                                       module=module, channel=theirs.fileno())
                self.tutor = await start_tutor(self.room.launcher, request, *self.size,
                                               on_output=self._output,
                                               on_exit=self._tutor_exited)
            except (OSError, asyncio.TimeoutError) as error:
                ours.close()
                self.room.log.say(f"{self.learner}: {error}")
                self.end("failed")
                return
            finally:
                theirs.close()
            ours.setblocking(False)
            self._channel = ours
            manager.child_pids.append(self.tutor.pid)
            if self.reason is not None:  # ended while it was starting: _finish found none
                await self.tutor.stop()
                return
            if self.teacher:
                self._sender = self._spawn(self._send_class())
                self.mirror = Mirror(self._to_view_bytes)
                self._mirroring = self._spawn(self.mirror.run())
                self._read_channel(self._take_commands)
            else:
                self._read_channel(self._take)
                self._join_class()
                self._mirrored_again()
                for line in joining_lines(self.room.classroom):
                    self.tell(line)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._first_output.wait(), START_HOLD)

    def _output(self, data: bytes) -> None:
        self._first_output.set()
        if self._holding_input and self.tutor is not None and self.tutor.in_raw_mode():
            # Textual writes its first bytes before it turns echo off, its frames after.
            self._holding_input = False
            early, self._early_input = bytes(self._early_input), bytearray()
            if early:
                self._give(early)
        self.transport.send(data)
        for mirror in self.watchers:
            mirror.output(data)

    def _tutor_exited(self, code: int) -> None:
        self._first_output.set()
        if self.reason is None:
            self.reason = "quit"
            self.transport.close(code if code >= 0 else 1)  # killed by a signal: a failure

    def warn(self, kind: str, seconds: float) -> None:
        """A warning the learner must see (``idle``: the session closes in ``seconds``
        without a key; ``time``: it reaches its time limit then): the tutor shows it, as a
        notification, so its screen stays whole."""
        if self._channel is None:
            return  # not started yet: the warning comes again with the next idle spell
        with contextlib.suppress(OSError):  # a full buffer or a tutor gone: nothing to say
            self._channel.send(notice_line(kind, seconds))

    def end(self, reason: str) -> None:
        """End the session (idempotent): the tutor is stopped and reaped, and the learner
        told why when it was not their doing."""
        if self.reason is not None:
            return
        self.reason = reason
        self._first_output.set()
        self._finisher = self._spawn(self._finish(reason))

    async def _finish(self, reason: str) -> None:
        if self.tutor is not None:
            await self.tutor.stop()
        self._close_channel()
        if reason in _GOODBYES:
            self.transport.send(RESET_TERMINAL)
            duration = self.room.options.idle_timeout if reason == "idle" \
                else self.room.options.max_duration
            text = message(self.lang, _GOODBYES[reason], duration=format_duration(duration))
            self.transport.send((text + "\r\n").encode("utf-8"))
        self.transport.close(0 if reason == "server-stop" else 1)

    @property
    def over(self) -> bool:
        """True once the session has ended (another may be opened on the connection)."""
        return self._finished.is_set()

    async def closed(self) -> None:
        """Return once the session is over and its tutor reaped."""
        await self._finished.wait()

    # --- the class view (issue 15): the class sent as it changes ------------------------------

    async def _send_class(self) -> None:
        """Send the view the class's state whenever it has changed, at most every
        SNAPSHOT_EVERY seconds; a view that stops reading holds this task, nothing else."""
        classroom, sent = self.room.classroom, -1
        while self._channel is not None:
            if classroom.version != sent:
                sent = classroom.version
                if not await self._to_view({"class": classroom.snapshot()}):
                    return
            await asyncio.sleep(SNAPSHOT_EVERY)

    async def _to_view(self, message: dict[str, object]) -> bool:
        """One line to the class view, whole (one writer at a time); False once it is gone."""
        return await self._to_view_bytes(
            (json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8"))

    async def _to_view_bytes(self, line: bytes) -> bool:
        """Whole lines to the class view (one writer at a time); False once it is gone."""
        async with self._view_lock:
            if self._channel is None:
                return False
            try:
                await asyncio.get_running_loop().sock_sendall(self._channel, line)
            except OSError:  # the view has ended
                return False
        return True

    def _take_commands(self, data: bytes) -> None:
        """The class view's commands in ``data``, carried out; a line that is not one is
        ignored (the teacher's own view, but still bounded)."""
        *lines, self._unread = (self._unread + data).split(b"\n")
        if len(self._unread) > MAX_LINE:
            self._unread = b""
        for line in lines:
            command = parse_command(line)
            if command is None:
                continue
            self.room.log.event("lead", learner=self.learner, address=self.address,
                                command=json.dumps(command, ensure_ascii=False))
            if command["command"] == "export":
                self._spawn(self._export())
            elif command["command"] == "mirror":
                self._watch(command["learner"])  # type: ignore[arg-type]
            else:
                learners = [s for s in self.room.manager.sessions
                            if isinstance(s, LearnerSession)]
                lead(command, self.room.classroom, learners)

    async def _export(self) -> None:
        """Write the class's results under the state directory; tell the view where."""
        try:
            paths = export(self.room.classroom, self.room.options.state_dir / "exports")
        except OSError as error:
            self.room.log.say(f"export: {error.strerror or error}")
            return
        await self._to_view({"exported": paths})

    def _watch(self, learner_id: str | None) -> None:
        """Mirror that learner's screen in the view (a session of theirs whose tutor runs;
        none: as soon as one starts), or stop (None)."""
        if self.mirror is None:
            return
        watched = None
        if learner_id is not None:
            for session in self.room.manager.sessions:
                if isinstance(session, LearnerSession) and session.learner_id == learner_id \
                        and session.tutor is not None and session.reason is None:
                    watched = session
        self.mirror.watch(learner_id, watched)

    def tell(self, line: bytes) -> None:
        """One line to this learner's tutor on its channel, if it can take it now (the
        teacher's lead: tui/serve/leading.py)."""
        if self._channel is not None and not self.teacher:
            with contextlib.suppress(OSError):
                self._channel.send(line)

    # --- the tutor's reports (issue 15): its channel read, the class told ----------------------

    def _read_channel(self, take: Callable[[bytes], None]) -> None:
        """Read the channel as data comes, each read handed to ``take`` (a tutor's reports,
        or the class view's commands)."""
        channel = self._channel
        if channel is None or self._reading_channel:
            return
        asyncio.get_running_loop().add_reader(channel.fileno(), self._channel_readable, take)
        self._reading_channel = True
        self._taker = take

    def _join_class(self) -> None:
        """The tutor has started: the learner is in the class."""
        if not self._in_class:
            self._in_class = True
            self.room.classroom.joined(self.learner_id, self.learner)
            if self.room.records is not None:
                self.room.records.joined(self.learner_id, self.learner)

    def _mirrored_again(self) -> None:
        """A teacher watching this learner while they were away sees this session now."""
        for teacher in self.room.manager.teachers:
            mirror = getattr(teacher, "mirror", None)
            if isinstance(mirror, Mirror) and mirror.waits_for(self.learner_id):
                mirror.watch(self.learner_id, self)

    def _channel_readable(self, take: Callable[[bytes], None]) -> None:
        channel = self._channel
        if channel is None:
            return
        try:
            data = channel.recv(CHANNEL_READ)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if data:
            take(data)
        else:  # the other end is closed (it has ended): nothing more will come
            self._stop_reading()

    def _take(self, data: bytes) -> None:
        """The reports in ``data`` to the class. A tutor that sends anything else (a line
        that is not a report, or longer than MAX_LINE) or too many is cut off: nothing more
        is read from it, one line in the log; it runs on, its learner sees nothing of it, and
        the server's notices and the teacher's leads still reach it."""
        *lines, self._unread = (self._unread + data).split(b"\n")
        now = asyncio.get_running_loop().time()
        times = self._report_times
        for line in lines:
            if len(times) == REPORTS_PER_WINDOW and now - times[0] < REPORT_WINDOW:
                self._cut_off("flood")
                return
            times.append(now)
            report = parse_report(line)
            if report is None:
                self._cut_off("not-a-report")
                return
            self.room.classroom.report(self.learner_id, report)
            if self.room.records is not None:
                self.room.records.report(self.learner_id, report)
        if len(self._unread) > MAX_LINE:
            self._cut_off("line-too-long")

    def _cut_off(self, reason: str) -> None:
        """Read the tutor no more, and tell its end so (its writes then fail at once, never
        fill a buffer); the way to it stays open."""
        self.cut = True
        self._stop_reading()
        if self._channel is not None:
            with contextlib.suppress(OSError):
                self._channel.shutdown(socket.SHUT_RD)
        self.room.log.event("channel-cut", learner=self.learner, address=self.address,
                            reason=reason)

    def _stop_reading(self) -> None:
        if self._reading_channel and self._channel is not None:
            asyncio.get_running_loop().remove_reader(self._channel.fileno())
        self._reading_channel = False
        self._unread = b""

    def _close_channel(self, drain: bool = True) -> None:
        """Close the server's end of the channel (idempotent), its reader removed first;
        ``drain``: the reports the tutor sent just before it ended are taken first."""
        for _ in range(DRAIN_READS if drain else 0):
            channel = self._channel
            if channel is None or not self._reading_channel:
                break
            try:
                data = channel.recv(CHANNEL_READ)
            except OSError:  # BlockingIOError too: nothing more is there
                break
            if not data:
                break
            self._taker(data)
        self._stop_reading()
        if self._channel is not None:
            self._channel.close()
            self._channel = None

    def _leave_class(self) -> None:
        """The session has ended: the learner is no longer in the class (this session)."""
        if self._in_class:
            self._in_class = False
            self.room.classroom.left(self.learner_id)
            if self.room.records is not None:
                self.room.records.left(self.learner_id)
