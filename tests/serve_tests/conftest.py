"""The serve tests' tools: an in-process server on a free loopback port, an SSH client whose
output feeds a ``pyte`` screen, and the check that every tutor process is gone.

Every wait has a timeout, and a guard ends any test that runs longer than ``GUARD``
seconds: a hung server must fail a test, never hang the suite.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import asyncssh
import pyte
import pytest

from tui.serve.child import is_gone
from tui.serve.log import SessionLog
from tui.serve.options import ServeOptions
from tui.serve.server import TutorServer

GUARD = 120
#: Generous: a tutor's first frame takes about 0.3 s alone, seconds on a loaded machine.
SCREEN_TIMEOUT = 40.0
LOOPBACK = "127.0.0.1"
RIGHT = b"\x1b[C"


class GuardTimeout(Exception):
    """The test ran past the guard."""


@pytest.fixture(autouse=True)
def guard() -> Iterator[None]:
    """Fail (rather than hang) a test that runs longer than GUARD seconds."""

    def expired(_number: int, _frame: object) -> None:
        raise GuardTimeout(f"test still running after {GUARD} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, GUARD)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        # What the test left for the garbage collector (a connection, a transport) is
        # finalised now, not in the middle of some later test.
        gc.collect()


@pytest.fixture(scope="session")
def host_key() -> asyncssh.SSHKey:
    """One host key for every in-process server."""
    return asyncssh.generate_private_key("ssh-ed25519")


async def wait_gone(pids: list[int], timeout: float) -> list[int]:
    """The pids still present (zombies count) after up to ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        left = [pid for pid in pids if not is_gone(pid)]
        if not left or loop.time() >= deadline:
            return left
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def serving(host_key: asyncssh.SSHKey, state_dir: Path,
                  **settings: object) -> AsyncIterator[TutorServer]:
    """A server on 127.0.0.1, port 0 (``settings``: ServeOptions' fields, and
    ``authorized_keys_object``, the keys read from ``authorized_keys``); closed at the end,
    and then no tutor it started may be left (not even a zombie)."""
    keys = settings.pop("authorized_keys_object", None)
    options = replace(ServeOptions(host=LOOPBACK, port=0, state_dir=state_dir, lang="en"),
                      **settings)  # type: ignore[arg-type]
    server = TutorServer(options, host_key, SessionLog(), keys)
    await asyncio.wait_for(server.start(), 10)
    try:
        yield server
    finally:
        await asyncio.wait_for(server.close(), 15)
        assert await wait_gone(server.process_pids, 1) == []


class Terminal:
    """An SSH session with a pty, read on a pyte screen."""

    def __init__(self, conn: asyncssh.SSHClientConnection, cols: int, rows: int) -> None:
        self.conn, self.cols, self.rows = conn, cols, rows
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.errors = bytearray()
        self.process: asyncssh.SSHClientProcess | None = None  # type: ignore[type-arg]
        self._readers: list[asyncio.Task[None]] = []

    async def open(self, env: dict[str, str] | None = None, term: str = "xterm-256color"
                   ) -> Terminal:
        self.process = await asyncio.wait_for(self.conn.create_process(
            term_type=term, term_size=(self.cols, self.rows), encoding=None,
            env=env or {"LANG": "en_US.UTF-8"}), 10)
        self._readers = [asyncio.create_task(self._read(self.process.stdout, self.raw, True)),
                         asyncio.create_task(self._read(self.process.stderr, self.errors))]
        return self

    async def _read(self, reader: asyncssh.SSHReader, into: bytearray,  # type: ignore[type-arg]
                    screen: bool = False) -> None:
        while True:
            data = await reader.read(65536)
            if not data:
                return
            into += data
            if screen:
                self.stream.feed(data)

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait_for(self, *texts: str, timeout: float = SCREEN_TIMEOUT) -> None:
        """Wait until every one of ``texts`` is on the screen."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not all(text in self.text for text in texts):
            if loop.time() > deadline:
                raise AssertionError(f"{texts!r} not on the screen after {timeout} s:\n"
                                     f"{self.text}")
            await asyncio.sleep(0.05)

    def press(self, data: bytes) -> None:
        assert self.process is not None
        self.process.stdin.write(data)

    def resize(self, cols: int, rows: int) -> None:
        assert self.process is not None
        self.cols, self.rows = cols, rows
        self.screen.resize(rows, cols)
        self.process.change_terminal_size(cols, rows)

    async def exit_status(self, timeout: float = 20) -> int | None:
        """The session's exit status, once it has ended (and everything was read)."""
        assert self.process is not None
        await asyncio.wait_for(self.process.wait_closed(), timeout)
        await asyncio.wait_for(asyncio.gather(*self._readers), timeout)
        return self.process.exit_status


@contextlib.asynccontextmanager
async def connected(server: TutorServer, user: str = "learner",
                    **options: object) -> AsyncIterator[asyncssh.SSHClientConnection]:
    """A client connection to the in-process server (no known_hosts check: the tests made
    the key; the OpenSSH test checks it)."""
    settings: dict[str, object] = {"known_hosts": None, "client_keys": None,
                                   "agent_path": None, "config": None}
    settings.update(options)
    conn = await asyncio.wait_for(
        asyncssh.connect(LOOPBACK, server.port, username=user, **settings), 15)
    try:
        yield conn
    finally:
        conn.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(conn.wait_closed(), 10)


@contextlib.asynccontextmanager
async def terminal(server: TutorServer, user: str = "learner", cols: int = 80,
                   rows: int = 24, env: dict[str, str] | None = None,
                   **options: object) -> AsyncIterator[Terminal]:
    """A connection with one pty session open on it."""
    async with connected(server, user, **options) as conn:
        yield await Terminal(conn, cols, rows).open(env)
