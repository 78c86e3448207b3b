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


class Screen:
    """A pyte screen fed by a session's output, read by the tests."""

    screen: pyte.Screen

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


class Terminal(Screen):
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


# --- the web front (serve --web): a browser's side of its protocol --------------------------

#: The websocket's address in the tutor's page (textual.js reads it from there).
WEB_SOCKET_URL = r'data-session-websocket-url="([^"]+)"'


class WebTerminal(Screen):
    """What textual.js does with the web front, read on a pyte screen: the page fetched,
    its websocket opened with the window's size, keys and resizes sent as JSON, the binary
    frames (the terminal's bytes) fed to the screen."""

    def __init__(self, http: object, port: int, cols: int, rows: int) -> None:
        self.http, self.port, self.cols, self.rows = http, port, cols, rows
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.texts: list[object] = []
        """The JSON text frames received (``["pong", ...]``)."""
        self.ws: object = None
        self.close_code: int | None = None
        self.answer_pings = True
        """False: the server's heartbeat pings go unanswered (a browser that vanished)."""
        self._reader: asyncio.Task[None] | None = None

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    async def page(self, name: str, **request: object) -> str:
        """The tutor's page for ``name`` (its HTML)."""
        async with self.http.get(f"{self.base}/", params={"name": name},  # type: ignore[attr-defined]
                                 **request) as response:
            assert response.status == 200, response.status
            return await response.text()

    async def open(self, name: str, page: str | None = None) -> WebTerminal:
        """Fetch the page (or use ``page``), then connect its websocket."""
        import html
        import re

        page = page if page is not None else await self.page(name)
        match = re.search(WEB_SOCKET_URL, page)
        assert match, page
        url = html.unescape(match.group(1))
        self.ws = await asyncio.wait_for(self.http.ws_connect(  # type: ignore[attr-defined]
            f"{url}?width={self.cols}&height={self.rows}", autoping=False, max_msg_size=0),
            10)
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        import json

        import aiohttp

        ws = self.ws
        while True:
            msg = await ws.receive()  # type: ignore[attr-defined]
            if msg.type == aiohttp.WSMsgType.BINARY:
                self.raw += msg.data
                self.stream.feed(msg.data)
            elif msg.type == aiohttp.WSMsgType.TEXT:
                self.texts.append(json.loads(msg.data))
            elif msg.type == aiohttp.WSMsgType.PING:
                if self.answer_pings:
                    await ws.pong(msg.data)  # type: ignore[attr-defined]
            elif msg.type != aiohttp.WSMsgType.PONG:
                break
        self.close_code = ws.close_code  # type: ignore[attr-defined]

    async def send(self, message: object) -> None:
        """One JSON message, as the page sends them."""
        import json

        await asyncio.wait_for(self.ws.send_str(json.dumps(message)), 5)  # type: ignore[attr-defined]

    async def press(self, keys: str) -> None:
        await self.send(["stdin", keys])

    async def resize(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.screen.resize(rows, cols)
        await self.send(["resize", {"width": cols, "height": rows}])

    async def closed(self, timeout: float = 20) -> int | None:
        """The close code, once the server has closed the socket (4000 + exit status)."""
        assert self._reader is not None
        await asyncio.wait_for(asyncio.shield(self._reader), timeout)
        return self.close_code

    async def close(self) -> None:
        """Close the socket, as a page closed or refreshed does."""
        if self.ws is not None:
            await asyncio.wait_for(self.ws.close(), 10)  # type: ignore[attr-defined]
        if self._reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._reader, 10)


@contextlib.asynccontextmanager
async def web_session(server: TutorServer) -> AsyncIterator[object]:
    """An HTTP client (aiohttp) for the server's web front; closed at the end."""
    import aiohttp

    assert server.web_port is not None
    # unsafe: cookies for an IP address too (127.0.0.1), as a browser keeps them.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        yield http


@contextlib.asynccontextmanager
async def web_terminal(server: TutorServer, name: str = "learner", cols: int = 80,
                       rows: int = 24) -> AsyncIterator[WebTerminal]:
    """A learner's page on the web front, its websocket open."""
    async with web_session(server) as http:
        term = await WebTerminal(http, server.web_port or 0, cols, rows).open(name)
        try:
            yield term
        finally:
            await term.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """A skipped browser test says why in the run's summary, not only with ``-rs``."""
    for report in terminalreporter.stats.get("skipped", []):
        if "test_browser" in getattr(report, "nodeid", ""):
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
            terminalreporter.write_line(f"SKIPPED {report.nodeid}: {reason}", yellow=True)
