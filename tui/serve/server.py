"""The SSH side: asyncssh with a tutor behind every session, and nothing else reachable.

No shell, no exec (refused with a line saying why), no SFTP or SCP, no port, agent or X11
forwarding; asyncssh's line editor off and raw bytes (``encoding=None``): the tutor is the
only thing that reads the learner's keys.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import asyncssh

from tui.serve.auth import key_id, learner_name, password_matches
from tui.serve.child import checked_term
from tui.serve.classroom import Classroom
from tui.serve.launcher import Launcher
from tui.serve.log import SessionLog
from tui.serve.options import ServeOptions
from tui.serve.session import LearnerSession
from tui.serve.sessions import SessionManager

if TYPE_CHECKING:
    from tui.serve.records import Records
    from tui.serve.web import WebFront

BUSY_LOG_EVERY = 10.0


class SSHTransport:
    """A session's bytes over an SSH channel."""

    def __init__(self) -> None:
        self.chan: asyncssh.SSHServerChannel | None = None  # type: ignore[type-arg]

    def send(self, data: bytes) -> None:
        if self.chan is not None:
            with contextlib.suppress(OSError, asyncssh.Error, RuntimeError):
                self.chan.write(data)

    def refuse(self, text: str) -> None:
        if self.chan is not None:
            with contextlib.suppress(OSError, asyncssh.Error, RuntimeError):
                self.chan.write_stderr((text + "\r\n").encode("utf-8"))

    def close(self, status: int) -> None:
        if self.chan is not None:
            with contextlib.suppress(OSError, asyncssh.Error, RuntimeError):
                self.chan.exit(status)
            self.chan = None

    def pause_reading(self) -> None:
        if self.chan is not None:
            self.chan.pause_reading()

    def resume_reading(self) -> None:
        if self.chan is not None:
            self.chan.resume_reading()


class TutorSession(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """One SSH session: a tutor in a pty, or a one-line refusal (no exec, no SFTP)."""

    def __init__(self, server: TutorServer, learner: str, address: str,
                 key: str | None = None, teacher: bool = False) -> None:
        self.transport = SSHTransport()
        self.session = LearnerSession(server, self.transport, learner, address, key,
                                      teacher=teacher)
        self.has_pty = False
        self.command: str | None = None

    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:  # type: ignore[type-arg]
        self.transport.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int],
                      term_modes: object) -> bool:
        self.has_pty = True
        self.session.term = checked_term(term_type)
        self.session.resize(term_size[0], term_size[1])
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
        chan = self.transport.chan
        refusal = None
        if self.command is not None:
            refusal = ("serve.no_exec", "exec")
        elif not self.has_pty:
            refusal = ("serve.no_pty", "no-pty")
        self.session.start(chan.get_environment() if chan is not None else {}, refusal)

    def data_received(self, data: bytes, datatype: object) -> None:
        self.session.input(data)

    def eof_received(self) -> bool:
        self.session.end("eof")
        return False

    def terminal_size_changed(self, width: int, height: int, pixwidth: int,
                              pixheight: int) -> None:
        self.session.resize(width, height)

    def pause_writing(self) -> None:
        self.session.pause_output()

    def resume_writing(self) -> None:
        self.session.resume_output()

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport.chan = None
        self.session.end("dropped")


class _Connection(asyncssh.SSHServer):
    """One learner's connection: who they are, and nothing but sessions."""

    def __init__(self, server: TutorServer) -> None:
        self.server = server
        self.learner = "learner"
        self.address = "-"
        self.conn: asyncssh.SSHServerConnection | None = None
        self.session: TutorSession | None = None
        self.logging_in = False
        self.teacher = False
        """Logging in (and then logged in) as the teacher: the class view."""
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
        # The teacher's name always needs the teacher's password, whatever learners need; a
        # user name that cleans to it ("teach!") too, or a learner would sit under it.
        self.teacher = options.teacher is not None and \
            options.teacher in (username, self.learner)
        return self.teacher or options.password is not None \
            or options.authorized_keys is not None

    def public_key_auth_supported(self) -> bool:
        return self.server.authorized_keys is not None and not self.teacher

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        # asyncssh asks again with the signature before it accepts: the last key validated
        # is the one the learner logged in with.
        keys = self.server.authorized_keys
        if self.teacher or keys is None or \
                keys.validate(key, self.address, self.address) is None:  # type: ignore[attr-defined]
            return False
        self.key = key_id(key.public_data)
        return True

    def password_auth_supported(self) -> bool:
        options = self.server.options
        return (options.teacher_password if self.teacher else options.password) is not None

    def validate_password(self, username: str, password: str) -> bool:
        options = self.server.options
        expected = options.teacher_password if self.teacher else options.password
        return expected is not None and password_matches(expected, password)

    def session_requested(self) -> TutorSession | bool:
        # One session per connection: a client cannot fill the class from one login.
        if self.session is not None and not self.session.session.over:
            return False
        self.session = TutorSession(self.server, self.learner, self.address, self.key,
                                    teacher=self.teacher)
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
        self._web: WebFront | None = None
        """The web front (``--web``): the same sessions, limits, log and fork server."""
        self.classroom = Classroom()
        """The class as the teacher sees it, told by every session (issue 15)."""
        self.records: Records | None = None
        """The class records file (``options.db``), open from start() to close()."""

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
        """Listen (OSError when the address cannot be used; for the web front's,
        tui.serve.web.WebListenError), over SSH and, when ``options.web_port`` is set, on
        the web; the class records (``options.db``) opened first, and the class as they
        left it restored (tui.serve.records.RecordsError when they cannot be used)."""
        options = self.options
        Path(options.state_dir).mkdir(mode=0o700, parents=True, exist_ok=True)
        self._open_records()
        try:
            await self.launcher.start()
        except BaseException:
            self._close_records()
            raise
        try:
            self._acceptor = await asyncssh.create_server(
                lambda: _Connection(self), options.host, options.port,
                server_host_keys=[self.host_key], encoding=None, line_editor=False,
                sftp_factory=None, allow_scp=False, agent_forwarding=False,
                x11_forwarding=False, allow_pty=True,
                login_timeout=options.login_timeout,
                keepalive_interval=options.keepalive_interval, keepalive_count_max=3)
            if options.web_port is not None:
                from tui.serve.web import WebFront  # aiohttp: only for --web

                web = WebFront(self)
                await web.start()
                self._web = web
        except BaseException:
            if self._acceptor is not None:
                self._acceptor.close()
                await self._acceptor.wait_closed()
                self._acceptor = None
            await self.launcher.close()
            self._close_records()
            raise

    def _open_records(self) -> None:
        """Open the class records, and put the class as they left it into the classroom."""
        if self.options.db is None:
            return
        from tui.serve.records import Records

        records = Records.open(self.options.db, say=self.log.say)
        try:
            records.restore(self.classroom)
        except BaseException:
            records.close()
            raise
        self.records = records

    def _close_records(self) -> None:
        """Write what is left and close the class records (every session has ended)."""
        if self.records is not None:
            records, self.records = self.records, None
            records.close()

    @property
    def port(self) -> int:
        """The port listened on (the one chosen, for port 0)."""
        assert self._acceptor is not None
        return int(self._acceptor.get_port())

    @property
    def web_port(self) -> int | None:
        """The web front's port (the one chosen, for port 0), None without one."""
        return self._web.port if self._web is not None else None

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
        if self._web is not None:
            await self._web.stop_listening()
        await self.manager.close_all()
        if self._web is not None:  # its sockets closed, its handlers done
            web, self._web = self._web, None
            await web.close()
        await self.launcher.close()
        for conn in list(self.connections):
            conn.close()
        for conn in list(self.connections):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.wait_closed(), 5)
        if self._acceptor is not None:
            await self._acceptor.wait_closed()
            self._acceptor = None
        self._close_records()
