"""The web front (``serve --web``): the same tutor in a browser, for learners with no SSH
client.

What it reuses, and why. textual-serve already has a page for a terminal app: an xterm.js
bundle (``static/js/textual.js``), its stylesheet and fonts. The page opens a websocket to
``<data-session-websocket-url>?width=COLS&height=ROWS`` and then speaks a small protocol:

* browser -> server, JSON text frames: ``["stdin", text]`` (keys, as xterm.js encodes
  them), ``["resize", {"width": cols, "height": rows}]``, ``["ping", data]`` (answered
  ``["pong", data]``), ``["blur"]``, ``["focus"]``;
* server -> browser: binary frames, which the page writes into xterm.js as they are (the
  terminal's bytes), and JSON text frames for the page itself (``pong``; ``open_url`` and
  downloads, which this server never sends). When the socket closes the page adds the
  ``-closed`` class to its body (the "session ended" notice); its first binary frame of
  more than 10 bytes adds ``-first-byte`` (the terminal fades in).

textual-serve's server runs the app with Textual's web driver (TEXTUAL_DRIVER), which wraps
the app's output in packets that the server unwraps into exactly those binary frames: the
terminal's escape sequences. So a tutor on a pseudo-terminal, exactly as for SSH, whose pty
bytes go out as binary frames, gives the page what it expects, and the tutor needs no
second driver. Everything about a session is then the same code as for SSH
(:class:`~tui.serve.session.LearnerSession`): the one session manager and its limits, the
idle and duration clocks, the fork server, the sandbox and the learner's directory (keyed
by the name given on the start page, as by the SSH user name), SIGHUP -> SIGTERM -> SIGKILL
and the reaping, the log.

textual-serve's own server is not run: a browser that went away without closing its
socket left a tutor running, nothing bounded its sessions, and its page links a web font
host. Here a socket that stops answering heartbeats is closed and its tutor ended; output
a slow browser cannot take stops the tutor's output (back-pressure) instead of piling up;
the pages are our own (``web_static/``), with no inline script and a Content-Security-
Policy, and everything they load is served from the installed packages (the font by
``@font-face``), so a classroom with no internet works.

The teacher's class view (``--teacher``, issue 15) is at ``/teacher``, behind the teacher's
password only: its own signed cookie (a learner's class-password cookie does not open it),
and a ticket that says it is the teacher's, so that the socket's session is the class view
(``LearnerSession(..., teacher=True)``) and nothing a learner is given can become one. The
teacher's name is not a learner's on the start page, as over SSH, where it always needs the
teacher's password.

The page reads the size the terminal fits into from the browser; xterm.js keeps its
Terminal object to itself (textual.js does not expose it), so tests read the screen from
the frames on the socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import hmac
import html
import ipaddress
import json
import re
import secrets
import string
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from importlib import resources
from urllib.parse import quote, urlsplit

from aiohttp import WSMsgType, web

from tui.serve.auth import learner_name, password_matches
from tui.serve.child import KILL_AFTER, clamp
from tui.serve.session import LearnerSession, Room
from tui.serve.sessions import message

#: A terminal page's ticket lets one websocket in, within this many seconds.
TICKET_LIFE = 60.0
#: Output queued for a browser beyond which the tutor's output is paused ...
HIGH_WATER = 1 << 20
#: ... until the queue is down to this.
LOW_WATER = 256 << 10
#: The most terminal output sent in one frame.
MAX_FRAME = 256 << 10
#: The longest message a browser may send (a paste, at most).
MAX_MESSAGE = 64 << 10
#: Resizes are applied at most this often, the last one of a burst (a window dragged).
RESIZE_EVERY = 0.05
#: How long closing a socket may take before its connection is dropped.
CLOSE_TIMEOUT = 5.0
#: The start page's form, at most.
MAX_FORM = 4096
#: A wrong password's answer waits this long (guessing is slow).
WRONG_PASSWORD_DELAY = 1.0
#: The cookie that says this browser gave the class password, and how long it holds.
PASS_COOKIE = "backprop_tutor_pass"
PASS_LIFE = 12 * 3600
#: The cookie that says this browser gave the teacher's password (for ``/teacher`` only).
TEACHER_COOKIE = "backprop_tutor_teacher"
TEACHER_LIFE = 12 * 3600
#: A websocket's close code: this plus the session's exit status (0 quit, 1 refused or
#: ended for the learner), within the range left to applications.
CLOSE_BASE = 4000
#: A Host header we put into a URL and a policy: a name or an address, and a port.
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?")

#: What the pages may load, from textual-serve's package: path -> content type.
_TEXTUAL_SERVE = {
    "js/textual.js": "application/javascript",
    "css/xterm.css": "text/css",
    "fonts/RobotoMono-VariableFont_wght.ttf": "font/ttf",
    "fonts/RobotoMono-Italic-VariableFont_wght.ttf": "font/ttf",
}
#: ... and from ours (tui/serve/web_static/).
_OWN = {"web/tutor.css": "text/css"}
_PAGES = ("start.html", "terminal.html", "teacher.html")
#: The class view's page, relative to the start page's (and to itself).
_TEACHER_URL = "teacher"


class WebListenError(OSError):
    """The web front cannot listen on its address (``web_address``: host and port)."""

    def __init__(self, error: OSError, host: str, port: int) -> None:
        super().__init__(error.errno, error.strerror or str(error))
        self.web_address = (host, port)


@dataclass(frozen=True)
class _File:
    body: bytes
    gzipped: bytes | None
    content_type: str


@dataclass(frozen=True)
class _Ticket:
    learner: str
    lang: str
    expires: float
    teacher: bool = False
    """The class view's: only ``/teacher`` issues these."""


def _load_static() -> tuple[dict[str, _File], dict[str, string.Template]]:
    """The files the pages load, and the page templates (ImportError, OSError when the
    textual-serve package is missing or incomplete)."""
    files = {}
    theirs = resources.files("textual_serve").joinpath("static")
    ours = resources.files("tui.serve").joinpath("web_static")
    for table, root in ((_TEXTUAL_SERVE, theirs), (_OWN, ours)):
        for name, content_type in table.items():
            body = root.joinpath(*name.removeprefix("web/").split("/")).read_bytes()
            squeezed = gzip.compress(body, 9, mtime=0)
            files[name] = _File(body, squeezed if len(squeezed) < len(body) else None,
                                content_type)
    pages = {name: string.Template(ours.joinpath(name).read_text(encoding="utf-8"))
             for name in _PAGES}
    return files, pages


def _render(template: string.Template, **values: str) -> str:
    """A page with every value HTML-escaped (those named ``*_html`` are HTML already)."""
    return template.substitute({key: value if key.endswith("_html") else html.escape(value)
                                for key, value in values.items()})


def page_language(accept_language: str, default: str | None) -> str:
    """``zh`` when the browser prefers Chinese to English, else the server's ``--lang`` (or
    ``en``): as over SSH, where a Chinese locale gives Chinese and any other the server's
    language."""
    best, best_q = None, -1.0
    for part in accept_language.split(",")[:32]:
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        q = 1.0
        match = re.search(r"q=([0-9.]{1,5})", params)
        if match:
            with contextlib.suppress(ValueError):
                q = float(match.group(1))
        lang = "zh" if tag.startswith("zh") else "en" if tag.startswith("en") else None
        if lang is not None and q > best_q:
            best, best_q = lang, q
    return "zh" if best == "zh" else default or "en"


def good_name(name: str) -> bool:
    """A name that is its own directory name (letters, digits, ``._-``, no leading dot, at
    most 32): anything else would be changed behind the learner's back, and a name made of
    other letters would become everybody's ``learner``."""
    return bool(name) and learner_name(name) == name


class WebTransport:
    """A session's bytes over a websocket: output queued for one writer task (in order,
    with back-pressure), keys read by the handler unless paused."""

    def __init__(self, ws: web.WebSocketResponse, request: web.Request) -> None:
        self.ws, self.request = ws, request
        self.session: LearnerSession | None = None
        self.reading = asyncio.Event()
        self.reading.set()
        self.status = 0
        self._queue: deque[bytes | str] = deque()
        self._queued = 0
        self._wake = asyncio.Event()
        self._closing = False
        self._gone = False  # the browser is gone: output is dropped
        self._paused = False
        self._task = asyncio.get_running_loop().create_task(self._write())

    # --- session.Transport -------------------------------------------------------------------

    def send(self, data: bytes) -> None:
        if self._closing or self._gone or not data:
            return
        self._queue.append(bytes(data))
        self._queued += len(data)
        self._wake.set()
        if self._queued > HIGH_WATER and not self._paused and self.session is not None:
            self._paused = True
            self.session.pause_output()

    def refuse(self, text: str) -> None:
        # The page has no stderr: the line goes on the terminal, which stays visible under
        # the page's "session ended" notice.
        self.send((text + "\r\n").encode("utf-8"))

    def close(self, status: int) -> None:
        if not self._closing:
            self._closing = True
            self.status = status
            self._wake.set()
            self.reading.set()

    @property
    def closing(self) -> bool:
        """True once the session has closed it."""
        return self._closing

    def pause_reading(self) -> None:
        self.reading.clear()

    def resume_reading(self) -> None:
        self.reading.set()

    # --- the page's own messages, and the end ------------------------------------------------

    def send_text(self, text: str) -> None:
        """A message for the page (a pong): dropped when the browser is not reading."""
        if not (self._closing or self._gone) and self._queued <= HIGH_WATER:
            self._queue.append(text)
            self._queued += len(text)
            self._wake.set()

    def gone(self) -> None:
        """The browser is gone: drop what is queued and what comes, and let the tutor write
        (a tutor whose output is not read could not end)."""
        self._gone = True
        self._queue.clear()
        self._queued = 0
        self._resume_output()
        self._wake.set()
        self.reading.set()

    def _resume_output(self) -> None:
        if self._paused:
            self._paused = False
            if self.session is not None:
                self.session.resume_output()

    def _take(self) -> bytes | str:
        """The next frame: a text message, or as much queued output as one frame holds."""
        first = self._queue.popleft()
        if isinstance(first, str):
            return first
        chunks, size = [first], len(first)
        while self._queue and isinstance(self._queue[0], bytes) and \
                size + len(self._queue[0]) <= MAX_FRAME:
            chunk = self._queue.popleft()
            assert isinstance(chunk, bytes)
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)

    async def _write(self) -> None:
        ws = self.ws
        try:
            while True:
                while not self._queue and not self._closing and not self._gone:
                    self._wake.clear()
                    await self._wake.wait()
                if self._gone or not self._queue:
                    break
                frame = self._take()
                self._queued -= len(frame)
                if isinstance(frame, str):
                    await ws.send_str(frame)
                else:
                    await ws.send_bytes(frame)
                if self._queued <= LOW_WATER:
                    self._resume_output()
        except Exception:  # the connection broke: nothing more can reach the browser
            self.gone()
        try:
            await asyncio.wait_for(ws.close(code=CLOSE_BASE + min(max(self.status, 0), 99)),
                                   CLOSE_TIMEOUT)
        except Exception:
            self.abort()

    def abort(self) -> None:
        """Drop the connection at once (a peer that reads nothing cannot be closed)."""
        transport = self.request.transport
        if transport is not None:
            transport.abort()

    async def finish(self) -> None:
        """Return once the socket is closed (at most ``CLOSE_TIMEOUT`` and a second)."""
        self.close(self.status)
        try:
            await asyncio.wait_for(asyncio.shield(self._task), CLOSE_TIMEOUT + 1)
        except asyncio.TimeoutError:
            self._task.cancel()
            self.abort()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task


class _Resizer:
    """Resizes to the session, at most one every ``RESIZE_EVERY`` seconds: the first at
    once, the last of a burst when the time comes, none that changes nothing."""

    def __init__(self, session: LearnerSession) -> None:
        self.session = session
        self._pending: tuple[int, int] | None = None
        self._timer: asyncio.TimerHandle | None = None

    def request(self, cols: int, rows: int) -> None:
        self._pending = (clamp(cols), clamp(rows))
        if self._timer is None:
            self._apply()

    def _apply(self) -> None:
        self._timer = None
        size, self._pending = self._pending, None
        if size is None:
            return
        if size != self.session.size:
            self.session.resize(*size)
        self._timer = asyncio.get_running_loop().call_later(RESIZE_EVERY, self._apply)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def _int(value: object) -> int | None:
    """A JSON or query value that is a whole number (a bool is not), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) <= 6:
        return int(value)
    return None


class WebFront:
    """The web front of a server (its ``Room``): start it, read its port, close it."""

    def __init__(self, room: Room) -> None:
        self.room = room
        options = room.options
        self.host = options.web_host
        self.public = urlsplit(options.public_url) if options.public_url else None
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._files: dict[str, _File] = {}
        self._pages: dict[str, string.Template] = {}
        self._tickets: OrderedDict[str, _Ticket] = OrderedDict()
        self._max_tickets = 4 * options.max_sessions + 64
        self._secret = secrets.token_bytes(32)
        self._transports: set[WebTransport] = set()
        self._handlers: set[asyncio.Task[object]] = set()

    # --- start, stop --------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen (WebListenError when the address cannot be used; ImportError, OSError
        when textual-serve's files are missing)."""
        options = self.room.options
        self._files, self._pages = _load_static()
        app = web.Application(client_max_size=MAX_FORM)
        app.router.add_get("/", self._start_page)
        app.router.add_post("/", self._login)
        app.router.add_get("/teacher", self._teacher_page)
        app.router.add_post("/teacher", self._teacher_login)
        app.router.add_get("/ws/{ticket}", self._websocket)
        app.router.add_get("/static/{path:.+}", self._static)
        app.on_response_prepare.append(self._headers)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=CLOSE_TIMEOUT)
        await runner.setup()
        site = web.TCPSite(runner, self.host or None, options.web_port, backlog=128)
        try:
            await site.start()
        except OSError as error:
            await runner.cleanup()
            raise WebListenError(error, self.host, options.web_port or 0) from error
        self._runner = runner
        self._port = int(runner.addresses[0][1])

    @property
    def port(self) -> int:
        """The port listened on (the one chosen, for port 0)."""
        return self._port

    async def stop_listening(self) -> None:
        """Take no new connection (the sessions go on)."""
        if self._runner is not None:
            for site in list(self._runner.sites):
                await site.stop()

    async def close(self) -> None:
        """Stop listening, close every socket (their sessions end) and wait for their
        handlers; then the HTTP server's connections."""
        if self._runner is None:
            return
        await self.stop_listening()
        for transport in list(self._transports):
            # Its end sends the goodbye, then closes the socket.
            if transport.session is not None:
                transport.session.end("server-stop")
        if self._handlers:
            await asyncio.wait(list(self._handlers), timeout=KILL_AFTER + 2 * CLOSE_TIMEOUT)
        runner, self._runner = self._runner, None
        await runner.cleanup()

    # --- what every response says -------------------------------------------------------------

    async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
        headers = response.headers
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        connect = " ".join(["'self'", *self._socket_origins(request)])
        # Styles: the bundle's style loader and xterm.js insert <style> elements.
        headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"font-src 'self'; img-src 'self'; connect-src {connect}; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
        if not request.path.startswith("/static/"):
            headers["Cache-Control"] = "no-store"

    def _socket_origins(self, request: web.Request) -> list[str]:
        """Where a page's socket may go: this server as the browser named it, or the public
        address."""
        if self.public is not None:
            scheme = "wss" if self.public.scheme == "https" else "ws"
            return [f"{scheme}://{self.public.netloc}"]
        host = request.host
        if not _HOST.fullmatch(host):
            return []
        return [f"{'wss' if request.secure else 'ws'}://{host}"]

    def _check_host(self, request: web.Request) -> None:
        if self.public is None and not _HOST.fullmatch(request.host):
            raise web.HTTPBadRequest(text="bad Host header")

    # --- pages --------------------------------------------------------------------------------

    def _lang(self, request: web.Request) -> str:
        return page_language(request.headers.get("Accept-Language", ""),
                             self.room.options.lang)

    def _start(self, lang: str, name: str = "", error: str = "", status: int = 200
               ) -> web.Response:
        """The start page: a name, and the class password when there is one."""
        password = self.room.options.password is not None
        field = ""
        if password:
            field = ('<label for="password">{}</label>\n<input id="password" name="password" '
                     'type="password" required autocomplete="current-password">\n').format(
                         html.escape(message(lang, "web.password")))
        body = _render(self._pages["start.html"], lang=lang,
                       title=message(lang, "web.title"), welcome=message(lang, "web.welcome"),
                       method="post" if password else "get", name=name,
                       name_label=message(lang, "web.name"),
                       name_hint=message(lang, "web.name_hint"), password_html=field,
                       start=message(lang, "web.start"), error=error)
        return web.Response(text=body, content_type="text/html", charset="utf-8",
                            status=status)

    async def _start_page(self, request: web.Request) -> web.StreamResponse:
        """GET /: the start page, or with ``?name=`` (and the password given before, when
        there is one) the tutor's page."""
        self._check_host(request)
        lang = self._lang(request)
        name = request.query.get("name")
        if name is None:
            return self._start(lang)
        name = name.strip()
        refusal = self._name_refusal(name)
        if refusal is not None:
            return self._start(lang, name, message(lang, refusal))
        if set(request.query) != {"name"}:  # textual.js reads ?delay and ?ping: not ours
            raise web.HTTPSeeOther(self._name_url(name))
        if self.room.options.password is not None and not self._passed(request):
            return self._start(lang, name)
        return self._terminal(request, lang, name)

    async def _login(self, request: web.Request) -> web.StreamResponse:
        """POST /: the start page's form; on to ``?name=`` (a refresh of that page starts
        the learner again where they were)."""
        self._check_host(request)
        lang = self._lang(request)
        form = await request.post()
        name = str(form.get("name", "")).strip()
        given = str(form.get("password", ""))
        refusal = self._name_refusal(name)
        if refusal is not None:
            return self._start(lang, name[:64], message(lang, refusal))
        response = web.HTTPSeeOther(self._name_url(name))
        expected = self.room.options.password
        if expected is not None:
            if not password_matches(expected, given):
                await asyncio.sleep(WRONG_PASSWORD_DELAY)
                return self._start(lang, name, message(lang, "web.wrong_password"), 403)
            self._give_token(response, PASS_COOKIE, "class", PASS_LIFE, self._base_path())
        raise response

    def _name_refusal(self, name: str) -> str | None:
        """Why a name typed on the start page is no learner's (a message key), or None. The
        teacher's name is refused as SSH refuses it without the teacher's password: neither
        the class view (that is ``/teacher``'s) nor a tutor in the teacher's name."""
        if not good_name(name):
            return "web.bad_name"
        if self._teaching() and name == self.room.options.teacher:
            return "web.teacher_name"
        return None

    def _name_url(self, name: str) -> str:
        return "./?name=" + quote(name, safe="")

    def _base_path(self) -> str:
        path = self.public.path if self.public is not None else "/"
        return path if path.endswith("/") else path + "/"

    def _mac(self, purpose: str, expires: str) -> str:
        return hmac.new(self._secret, f"{purpose}:{expires}".encode(), hashlib.sha256
                        ).hexdigest()

    def _token(self, purpose: str, life: int) -> str:
        """A cookie's value: when it expires, signed with what it is for (``class`` or
        ``teacher``), so that one kind is never taken for the other."""
        expires = str(int(time.time()) + life)
        return expires + "." + self._mac(purpose, expires)

    def _give_token(self, response: web.StreamResponse, cookie: str, purpose: str, life: int,
                    path: str) -> None:
        """Set ``cookie`` to a token for ``purpose``: HttpOnly, SameSite=Strict, for ``path``
        only, and Secure behind an https ``--public-url``."""
        response.set_cookie(cookie, self._token(purpose, life), max_age=life, path=path,
                            httponly=True, samesite="Strict",
                            secure=self.public is not None and self.public.scheme == "https")

    def _has_token(self, request: web.Request, cookie: str, purpose: str) -> bool:
        """The browser has a ``cookie`` this server made for ``purpose``, not expired."""
        expires, _, mac = request.cookies.get(cookie, "").partition(".")
        if not (expires.isascii() and expires.isdigit() and len(expires) <= 12) or \
                int(expires) < time.time():
            return False
        return hmac.compare_digest(self._mac(purpose, expires), mac)

    def _passed(self, request: web.Request) -> bool:
        """The browser gave the class password."""
        return self._has_token(request, PASS_COOKIE, "class")

    def _terminal(self, request: web.Request, lang: str, name: str, teacher: bool = False
                  ) -> web.Response:
        """The tutor's page (``teacher``: the class view's), with a ticket for one
        websocket."""
        ticket = self._issue(name, lang, teacher)
        body = _render(self._pages["terminal.html"], lang=lang,
                       title=message(lang, "web.teacher_title" if teacher else "web.title"),
                       learner=name, connecting=message(lang, "web.connecting"),
                       ended=message(lang, "web.ended"), again=message(lang, "web.again"),
                       again_href=_TEACHER_URL if teacher else self._name_url(name),
                       websocket_url=self._websocket_url(request, ticket))
        return web.Response(text=body, content_type="text/html", charset="utf-8")

    def _websocket_url(self, request: web.Request, ticket: str) -> str:
        """Absolute (the page adds ``?width=..&height=..`` to it, so the ticket is in the
        path)."""
        if self.public is not None:
            scheme = "wss" if self.public.scheme == "https" else "ws"
            return f"{scheme}://{self.public.netloc}{self._base_path()}ws/{ticket}"
        return f"{'wss' if request.secure else 'ws'}://{request.host}/ws/{ticket}"

    # --- the class view: /teacher -----------------------------------------------------------

    def _teaching(self) -> bool:
        """The server has a teacher (``--teacher`` and the teacher's password)."""
        options = self.room.options
        return options.teacher is not None and options.teacher_password is not None

    def _teacher_form(self, lang: str, error: str = "", status: int = 200) -> web.Response:
        """The page that asks for the teacher's password (and nothing else)."""
        body = _render(self._pages["teacher.html"], lang=lang,
                       title=message(lang, "web.teacher_title"),
                       welcome=message(lang, "web.teacher_welcome"),
                       password_label=message(lang, "web.teacher_password"),
                       start=message(lang, "web.teacher_open"), action=_TEACHER_URL,
                       error=error)
        return web.Response(text=body, content_type="text/html", charset="utf-8",
                            status=status)

    async def _teacher_page(self, request: web.Request) -> web.StreamResponse:
        """GET /teacher: the class view's page once this browser gave the teacher's
        password, else the form that asks for it (404 without a teacher)."""
        if not self._teaching():
            raise web.HTTPNotFound()
        self._check_host(request)
        lang = self._lang(request)
        if not self._has_token(request, TEACHER_COOKIE, "teacher"):
            return self._teacher_form(lang)
        if request.query:  # textual.js reads ?delay and ?ping: not ours
            raise web.HTTPSeeOther(_TEACHER_URL)
        teacher = self.room.options.teacher
        assert teacher is not None
        return self._terminal(request, lang, teacher, teacher=True)

    async def _teacher_login(self, request: web.Request) -> web.StreamResponse:
        """POST /teacher: the teacher's password; on to GET /teacher with the teacher's
        cookie (a refresh of that page opens the view again), or the form again after a
        second (guessing is slow)."""
        if not self._teaching():
            raise web.HTTPNotFound()
        self._check_host(request)
        lang = self._lang(request)
        form = await request.post()
        expected = self.room.options.teacher_password
        assert expected is not None
        if not password_matches(expected, str(form.get("password", ""))):
            await asyncio.sleep(WRONG_PASSWORD_DELAY)
            return self._teacher_form(lang, message(lang, "web.teacher_wrong_password"), 403)
        response = web.HTTPSeeOther(_TEACHER_URL)
        self._give_token(response, TEACHER_COOKIE, "teacher", TEACHER_LIFE,
                         self._base_path() + _TEACHER_URL)
        raise response

    # --- tickets ------------------------------------------------------------------------------

    def _issue(self, learner: str, lang: str, teacher: bool = False) -> str:
        """A one-time ticket for one websocket (``teacher``: the class view's)."""
        now = asyncio.get_running_loop().time()
        while self._tickets:  # issued in order, all for as long: the oldest go first
            oldest = next(iter(self._tickets.values()))
            if oldest.expires > now and len(self._tickets) < self._max_tickets:
                break
            self._tickets.popitem(last=False)
        token = secrets.token_urlsafe(24)
        self._tickets[token] = _Ticket(learner, lang, now + TICKET_LIFE, teacher)
        return token

    def _take(self, token: str) -> _Ticket | None:
        ticket = self._tickets.pop(token, None)
        if ticket is None or ticket.expires < asyncio.get_running_loop().time():
            return None
        return ticket

    # --- static files -------------------------------------------------------------------------

    async def _static(self, request: web.Request) -> web.StreamResponse:
        file = self._files.get(request.match_info["path"])
        if file is None:
            raise web.HTTPNotFound()
        headers = {"Cache-Control": "max-age=3600", "Vary": "Accept-Encoding"}
        body = file.body
        if file.gzipped is not None and "gzip" in request.headers.get("Accept-Encoding", ""):
            body = file.gzipped
            headers["Content-Encoding"] = "gzip"
        return web.Response(body=body, content_type=file.content_type, headers=headers)

    # --- the websocket ------------------------------------------------------------------------

    def _origin_ok(self, request: web.Request) -> bool:
        """No Origin (not a browser), or this server's: another site's page cannot drive a
        learner's tutor."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        allowed = {f"http://{request.host}", f"https://{request.host}"}
        if self.public is not None:
            allowed.add(f"{self.public.scheme}://{self.public.netloc}")
        return origin.lower() in {a.lower() for a in allowed}

    def _address(self, request: web.Request) -> str:
        """The learner's address: the proxy's X-Forwarded-For (its last entry) when there is
        a proxy, else the peer's."""
        if self.public is not None:
            forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
            with contextlib.suppress(ValueError):
                return str(ipaddress.ip_address(forwarded))
        return request.remote or "-"

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        ticket = self._take(request.match_info["ticket"])
        if ticket is None or not self._origin_ok(request):
            raise web.HTTPForbidden()
        width, height = _int(request.query.get("width")), _int(request.query.get("height"))
        options = self.room.options
        ws = web.WebSocketResponse(heartbeat=options.keepalive_interval,
                                   max_msg_size=MAX_MESSAGE, compress=False,
                                   timeout=CLOSE_TIMEOUT)
        await ws.prepare(request)
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        transport = WebTransport(ws, request)
        self._transports.add(transport)
        try:
            await self._session(request, ws, transport, ticket, width or 80, height or 24)
        finally:
            self._transports.discard(transport)
            self._handlers.discard(task)
        return ws

    async def _session(self, request: web.Request, ws: web.WebSocketResponse,
                       transport: WebTransport, ticket: _Ticket, cols: int, rows: int
                       ) -> None:
        session = LearnerSession(self.room, transport, ticket.learner, self._address(request),
                                 teacher=ticket.teacher)
        transport.session = session
        session.resize(cols, rows)
        if not ticket.teacher:  # the view keeps no learner's place
            await self._after_earlier(ticket.learner)
        env = {"LANG": "zh_CN.UTF-8" if ticket.lang == "zh" else "en_US.UTF-8",
               "COLORTERM": "truecolor"}
        session.start(env)
        resizer = _Resizer(session)
        broken = True
        try:
            broken = await self._receive(ws, session, transport, resizer)
        finally:
            resizer.cancel()
            # The socket is closing: whatever the tutor still writes has nowhere to go.
            transport.gone()
            if broken:  # no pong (a browser gone without a word): nothing more is sent
                transport.abort()
            session.end("dropped")  # nothing if it has ended already
            await self._over(session, transport)
            await transport.finish()

    @staticmethod
    async def _over(session: LearnerSession, transport: WebTransport) -> None:
        """Return once the session is over. A tutor still running after the session has
        closed its transport was started while the session was ending (its end, during
        the start, found no tutor to stop): it is stopped here, or the session would never
        be over."""
        over = asyncio.ensure_future(session.closed())
        try:
            while not over.done():
                await asyncio.wait([over], timeout=0.1)
                tutor = session.tutor
                if not over.done() and transport.closing and tutor is not None \
                        and tutor.returncode is None:
                    await tutor.stop()
        finally:
            over.cancel()

    async def _after_earlier(self, learner: str) -> None:
        """Wait (a few seconds at most) for this learner's sessions that are ending: a page
        refreshed starts its tutor once the last one has written the learner's place."""
        ending = [s for s in list(self.room.manager.sessions)
                  if isinstance(s, LearnerSession) and s.learner == learner
                  and s.key is None and s.reason is not None]
        if ending:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.gather(*(s.closed() for s in ending)),
                                       KILL_AFTER + 2)

    async def _receive(self, ws: web.WebSocketResponse, session: LearnerSession,
                       transport: WebTransport, resizer: _Resizer) -> bool:
        """The browser's messages, until its socket closes (or stops answering heartbeats:
        aiohttp then closes it); True when it ended in an error."""
        while True:
            while not transport.reading.is_set():  # the tutor is not taking keys
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(transport.reading.wait(), 1.0)
                if ws.closed:
                    return ws.exception() is not None
            msg = await ws.receive()
            if msg.type == WSMsgType.TEXT:
                self._message(msg.data, session, transport, resizer)
            elif msg.type == WSMsgType.ERROR:
                return True
            elif msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED):
                return False
            # Binary frames: the page sends none; ignored.

    @staticmethod
    def _message(data: str, session: LearnerSession, transport: WebTransport,
                 resizer: _Resizer) -> None:
        """One JSON message from the page; anything ill-formed or unknown is ignored."""
        try:
            envelope = json.loads(data)
        except (ValueError, RecursionError):  # not JSON, or nested thousands deep
            return
        if not isinstance(envelope, list) or not envelope or len(envelope) > 2:
            return
        kind, value = envelope[0], envelope[1] if len(envelope) == 2 else None
        if kind == "stdin" and isinstance(value, str):
            session.input(value.encode("utf-8", "replace"))
        elif kind == "resize" and isinstance(value, dict):
            cols, rows = _int(value.get("width")), _int(value.get("height"))
            if cols is not None and rows is not None:
                resizer.request(cols, rows)
        elif kind == "ping" and isinstance(value, str) and len(value) <= 64:
            transport.send_text(json.dumps(["pong", value]))
        # "blur", "focus": xterm.js itself reports focus when the tutor asks for it.
