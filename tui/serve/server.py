"""The SSH side: asyncssh with a tutor behind every session, and nothing else reachable.

No shell, no exec (refused with a line saying why), no SFTP or SCP, no port, agent or X11
forwarding; asyncssh's line editor off and raw bytes (``encoding=None``): the tutor is the
only thing that reads the learner's keys.
"""

from __future__ import annotations

import asyncio
import contextlib
import unicodedata
from pathlib import Path

import asyncssh

from tui.i18n import detect_language
from tui.serve.auth import key_id, learner_dir, learner_name, password_matches
from tui.serve.child import Tutor, checked_term, child_environment, clamp, start_tutor, tutor_args
from tui.serve.launcher import Launcher, TutorRequest
from tui.serve.log import SessionLog
from tui.serve.options import ServeOptions, format_duration
from tui.serve.sessions import Clock, SessionManager, message

#: How long a starting tutor holds its place among the few that may start at once.
START_HOLD = 10.0
#: Keys typed before the tutor has its terminal in raw mode are kept (up to this many
#: bytes) and given to it then: typed into a terminal still in line mode they would be
#: echoed.
EARLY_INPUT = 4096
BUSY_LOG_EVERY = 10.0
#: Put the learner's terminal back as a shell expects it when a tutor is ended for them:
#: plain colours, cursor shown, main screen, no mouse reports, no bracketed paste, the
#: keyboard protocol popped.
RESET_TERMINAL = (b"\x1b[0m\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l"
                  b"\x1b[?2004l\x1b[<u\x1b[?1049l\r\n")
#: Why a session ended, to the learner: reason -> message key.
_GOODBYES = {
    "idle": "serve.idle_closed",
    "max-duration": "serve.time_up",
    "server-stop": "serve.server_stopping",
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, cols: int) -> str:
    """``text`` cut to ``cols`` terminal cells, padded with spaces to fill them."""
    out, used = [], 0
    for char in text:
        w = _width(char)
        if used + w > cols:
            break
        out.append(char)
        used += w
    return "".join(out) + " " * (cols - used)


class TutorSession(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """One SSH session: a tutor in a pty, or a one-line refusal."""

    def __init__(self, server: TutorServer, learner: str, address: str,
                 key: str | None = None) -> None:
        self.server, self.learner, self.address = server, learner, address
        self.key = key
        """The id of the key the learner logged in with (None: no key)."""
        self.chan: asyncssh.SSHServerChannel | None = None  # type: ignore[type-arg]
        self.term: str | None = None
        self.size = (80, 24)
        self.command: str | None = None
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

    # --- asyncssh's callbacks ----------------------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:  # type: ignore[type-arg]
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int],
                      term_modes: object) -> bool:
        self.term = checked_term(term_type)
        self.size = (clamp(term_size[0] or 80), clamp(term_size[1] or 24))
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        # Accepted, so that the learner reads why instead of "exec request failed".
        self.command = command
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        return False  # SFTP and every other subsystem

    def session_started(self) -> None:
        self._spawn(self._run())

    def data_received(self, data: bytes, datatype: object) -> None:
        if self.clock is not None:
            self.clock.key()
        if self._holding_input:
            self._early_input += data[:EARLY_INPUT - len(self._early_input)]
            return
        self._give(data)

    def _give(self, data: bytes) -> None:
        """Keys to the tutor, reading no more from the learner while they back up."""
        tutor, chan = self.tutor, self.chan
        if tutor is not None and chan is not None and not tutor.write(data, chan.resume_reading):
            chan.pause_reading()

    def eof_received(self) -> bool:
        self.end("eof")
        return False

    def terminal_size_changed(self, width: int, height: int, pixwidth: int,
                              pixheight: int) -> None:
        self.size = (clamp(width or 80), clamp(height or 24))
        if self.tutor is not None:
            self.tutor.resize(*self.size)

    def pause_writing(self) -> None:
        if self.tutor is not None:
            self.tutor.pause_output()

    def resume_writing(self) -> None:
        if self.tutor is not None:
            self.tutor.resume_output()

    def connection_lost(self, exc: Exception | None) -> None:
        self.chan = None
        self.end("dropped")

    # --- the session -------------------------------------------------------------------------

    def _spawn(self, coroutine: object) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coroutine)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _say(self, key: str, **values: object) -> None:
        """One line to the learner, in their language."""
        if self.chan is not None:
            with contextlib.suppress(OSError, asyncssh.Error, RuntimeError):
                self.chan.write((message(self.lang, key, **values) + "\r\n").encode("utf-8"))

    def _exit(self, status: int) -> None:
        if self.chan is not None:
            with contextlib.suppress(OSError, asyncssh.Error, RuntimeError):
                self.chan.exit(status)
            self.chan = None

    async def _run(self) -> None:
        """Refuse what is not a tutor session, or run the tutor until it ends."""
        if self.chan is None:  # gone before it began
            self._finished.set()
            return
        options, manager, log = self.server.options, self.server.manager, self.server.log
        env = dict(self.chan.get_environment())
        client_zh = detect_language(env) == "zh"
        self.lang = "zh" if client_zh else (options.lang or "en")
        fields = {"learner": self.learner, "address": self.address, "term": self.term,
                  "size": list(self.size)}
        refusal = None
        if self.command is not None:
            refusal = ("serve.no_exec", "exec")
        elif self.term is None:
            refusal = ("serve.no_pty", "no-pty")
        elif not manager.admit(self):
            refusal = ("serve.class_full", "full")
        if refusal is not None:
            if self.chan is not None:
                text = message(self.lang, refusal[0]) + ("\r\n" if self.term else "\n")
                with contextlib.suppress(OSError, asyncssh.Error, RuntimeError):
                    self.chan.write_stderr(text.encode("utf-8"))
            self._exit(1)
            log.event("refused", reason=refusal[1], **fields)
            self._finished.set()
            return
        log.event("connect", **fields)
        self.clock = manager.clock(self)
        try:
            await self._start_tutor(env, "zh" if client_zh else options.lang)
            if self.tutor is not None:
                await self.tutor.wait()
        finally:
            if self._finisher is not None:  # ended for the learner: let them read why
                await self._finisher
            self.clock.stop()
            manager.release(self)
            log.event("disconnect", reason=self.reason or "quit",
                      duration=format_duration(self.clock.elapsed), **fields)
            self._finished.set()

    async def _start_tutor(self, env: dict[str, str], lang: str | None) -> None:
        """Start the tutor, at most a few at once: the place is held until its first frame
        (or ``START_HOLD`` seconds)."""
        options, manager = self.server.options, self.server.manager
        async with manager.starting:
            if self.reason is not None:  # gone while waiting its turn
                return
            home = learner_dir(options.state_dir, self.learner, self.key)
            assert self.term is not None
            try:
                for sub in (home.parent, home, home / "state", home / "saved"):
                    sub.mkdir(mode=0o700, parents=True, exist_ok=True)
                request = TutorRequest(tutor_args(options.scenario, lang, options.ascii_only),
                                       child_environment(env, self.term, home), home)
                self.tutor = await start_tutor(self.server.launcher, request, *self.size,
                                               on_output=self._output,
                                               on_exit=self._tutor_exited)
            except (OSError, asyncio.TimeoutError) as error:
                self.server.log.say(f"{self.learner}: {error}")
                self.end("failed")
                return
            manager.child_pids.append(self.tutor.pid)
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
        if self.chan is not None:
            with contextlib.suppress(OSError, asyncssh.Error, RuntimeError):
                self.chan.write(data)

    def _tutor_exited(self, code: int) -> None:
        self._first_output.set()
        if self.reason is None:
            self.reason = "quit"
            self._exit(code if code >= 0 else 1)  # killed by a signal: not a success

    def warn(self, key: str, **values: object) -> None:
        """A warning on the bottom line, over the tutor's footer, with a bell (the cursor
        is put back where the tutor had it)."""
        if self.chan is None:
            return
        cols, rows = self.size
        text = _fit(" " + message(self.lang, key, **values), cols)
        data = f"\x1b7\x1b[{rows};1H\x1b[0;7m{text}\x1b[0m\x07\x1b8".encode()
        with contextlib.suppress(OSError, asyncssh.Error, RuntimeError):
            self.chan.write(data)

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
        if reason in _GOODBYES and self.chan is not None:
            with contextlib.suppress(OSError, asyncssh.Error, RuntimeError):
                self.chan.write(RESET_TERMINAL)
            duration = self.server.options.idle_timeout if reason == "idle" \
                else self.server.options.max_duration
            self._say(_GOODBYES[reason], duration=format_duration(duration))
        self._exit(0 if reason == "server-stop" else 1)

    @property
    def over(self) -> bool:
        """True once the session has ended (another may be opened on the connection)."""
        return self._finished.is_set()

    async def closed(self) -> None:
        """Return once the session is over and its tutor reaped."""
        await self._finished.wait()


class _Connection(asyncssh.SSHServer):
    """One learner's connection: who they are, and nothing but sessions."""

    def __init__(self, server: TutorServer) -> None:
        self.server = server
        self.learner = "learner"
        self.address = "-"
        self.conn: asyncssh.SSHServerConnection | None = None
        self.session: TutorSession | None = None
        self.logging_in = False
        self.key: str | None = None
        """The id of the last public key accepted: the one that logged in."""

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername")
        self.address = str(peer[0]) if peer else "-"
        server = self.server
        if server.logging_in >= server.options.max_logging_in or \
                len(server.connections) >= server.max_connections:
            server.refuse_busy(self.address)
            conn.close()
            return
        server.connections.add(conn)
        server.logging_in += 1
        self.logging_in = True

    def auth_completed(self) -> None:
        self._logged_in()

    def _logged_in(self) -> None:
        if self.logging_in:
            self.logging_in = False
            self.server.logging_in -= 1

    def connection_lost(self, exc: Exception | None) -> None:
        self._logged_in()
        if self.conn is not None:
            self.server.connections.discard(self.conn)

    def begin_auth(self, username: str) -> bool:
        self.learner = learner_name(username)
        options = self.server.options
        return options.password is not None or options.authorized_keys is not None

    def public_key_auth_supported(self) -> bool:
        return self.server.authorized_keys is not None

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        # asyncssh asks again with the signature before it accepts: the last key validated
        # is the one the learner logged in with.
        keys = self.server.authorized_keys
        if keys is None or keys.validate(key, self.address, self.address) is None:  # type: ignore[attr-defined]
            return False
        self.key = key_id(key.public_data)
        return True

    def password_auth_supported(self) -> bool:
        return self.server.options.password is not None

    def validate_password(self, username: str, password: str) -> bool:
        expected = self.server.options.password
        return expected is not None and password_matches(expected, password)

    def session_requested(self) -> TutorSession | bool:
        # One session per connection: a client cannot fill the class from one login.
        if self.session is not None and not self.session.over:
            return False
        self.session = TutorSession(self.server, self.learner, self.address, self.key)
        return self.session

    # Nothing else: every kind of forwarding and tunnel is refused.
    def connection_requested(self, *args: object) -> bool:
        return False

    def server_requested(self, *args: object) -> bool:
        return False

    def unix_connection_requested(self, *args: object) -> bool:
        return False

    def unix_server_requested(self, *args: object) -> bool:
        return False

    def tun_requested(self, *args: object) -> bool:
        return False

    def tap_requested(self, *args: object) -> bool:
        return False


class TutorServer:
    """The listening server: start it, read its port, close it (every session ended, every
    tutor reaped)."""

    def __init__(self, options: ServeOptions, host_key: asyncssh.SSHKey,
                 log: SessionLog | None = None, authorized_keys: object = None) -> None:
        self.options = options
        self.host_key = host_key
        self.log = log or SessionLog()
        self.authorized_keys = authorized_keys
        self.manager = SessionManager(options)
        self.launcher = Launcher(options.fork_server, say=self.log.say)
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self.logging_in = 0
        """Connections that have not yet logged in."""
        self.max_connections = options.max_sessions + options.max_logging_in
        """Logged in without a session, a connection still counts: this bounds them all."""
        self._busy_refusals = 0
        self._busy_logged = -BUSY_LOG_EVERY
        self._acceptor: asyncssh.SSHAcceptor | None = None

    def refuse_busy(self, address: str) -> None:
        """Log a connection refused because too many are logging in, at most once every
        BUSY_LOG_EVERY seconds (a flood must not flood the log too)."""
        now = asyncio.get_running_loop().time()
        self._busy_refusals += 1
        if now >= self._busy_logged + BUSY_LOG_EVERY:
            self.log.event("refused", reason=f"busy x{self._busy_refusals}", learner="-",
                           address=address)
            self._busy_logged, self._busy_refusals = now, 0

    async def start(self) -> None:
        """Listen (OSError when the address cannot be used)."""
        options = self.options
        Path(options.state_dir).mkdir(mode=0o700, parents=True, exist_ok=True)
        await self.launcher.start()
        try:
            self._acceptor = await asyncssh.create_server(
                lambda: _Connection(self), options.host, options.port,
                server_host_keys=[self.host_key], encoding=None, line_editor=False,
                sftp_factory=None, allow_scp=False, agent_forwarding=False,
                x11_forwarding=False, allow_pty=True,
                login_timeout=options.login_timeout,
                keepalive_interval=options.keepalive_interval, keepalive_count_max=3)
        except BaseException:
            await self.launcher.close()
            raise

    @property
    def port(self) -> int:
        """The port listened on (the one chosen, for port 0)."""
        assert self._acceptor is not None
        return int(self._acceptor.get_port())

    @property
    def child_pids(self) -> list[int]:
        """Every tutor started so far."""
        return self.manager.child_pids

    @property
    def process_pids(self) -> list[int]:
        """Every process the server started: the tutors and the fork server."""
        return self.manager.child_pids + self.launcher.helper_pids

    async def close(self) -> None:
        """Stop listening, end every session, wait until every tutor is reaped, close every
        connection."""
        if self._acceptor is not None:
            self._acceptor.close()
        await self.manager.close_all()
        await self.launcher.close()
        for conn in list(self.connections):
            conn.close()
        for conn in list(self.connections):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.wait_closed(), 5)
        if self._acceptor is not None:
            await self._acceptor.wait_closed()
            self._acceptor = None
