"""The web front (``serve --web``) in-process, driven as textual.js drives it (an aiohttp
websocket client, its frames on a pyte screen): what a learner sees, keys and resizes,
that a closed or vanished browser leaves no tutor, the shared limits, the start page and
its password, and the pages' safety headers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import aiohttp
import asyncssh
import pytest

from tests.fresh_python import ROOT
from tests.serve_tests.conftest import (
    LOOPBACK,
    RIGHT,
    WebTerminal,
    serving,
    terminal,
    wait_gone,
    web_session,
    web_terminal,
)
from tui.i18n import CATALOGUES
from tui.serve import web as web_module
from tui.serve.command import is_loopback, parse_public_url, web_lines, web_settings
from tui.serve.options import ServeOptions

EN, ZH = CATALOGUES["en"], CATALOGUES["zh"]
KEY_RIGHT = RIGHT.decode()
QUIT_CODE = web_module.CLOSE_BASE  # the tutor quit: exit status 0
ENDED_CODE = web_module.CLOSE_BASE + 1  # refused, or ended for the learner


async def test_first_screen_then_a_key_steps(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0) as server:
        async with web_terminal(server, "alice") as term:
            await term.wait_for("step 0 of 22", "X0 1")  # the lesson's numbers
            await term.press(KEY_RIGHT)
            await term.wait_for("step 1 of 22")
            await term.press("q")
            assert await term.closed() == QUIT_CODE
        assert len(server.child_pids) == 1
        assert await wait_gone(server.child_pids, 5) == []
    # The learner's place is kept under the name given, as for the SSH user name.
    assert (tmp_path / "learners" / "alice" / "state").is_dir()


async def test_a_resize_switches_the_layout(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0) as server:
        async with web_terminal(server) as term:
            await term.wait_for("step 0 of 22")
            assert "─ Deltas" not in term.text  # one pane at a time at 80x24
            (session,) = server.manager.sessions
            # Ill-formed resizes are ignored; out of range ones clamped; a burst merged.
            await term.send(["resize", {"width": "wide", "height": 40}])
            await term.send(["resize", {"width": True, "height": 40}])
            await term.send(["resize", [130, 40]])
            await term.send(["resize", {"width": 0, "height": 99999}])
            for cols in range(90, 131, 10):
                await term.resize(cols, 40)
            await term.wait_for("─ Network", "─ Forward pass", "─ Deltas", "─ Weight updates")
            assert session.size == (130, 40)  # type: ignore[attr-defined]


async def test_a_closed_socket_leaves_no_tutor(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    async with serving(host_key, tmp_path, web_port=0) as server:
        from tui.serve.log import SessionLog

        server.log = SessionLog(str(log))
        async with web_terminal(server, "ben") as term:
            await term.wait_for("step 0 of 22")
            await term.close()  # the tab is closed
            assert await wait_gone(server.child_pids, 5) == []
        server.log.close()
    events = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(e["event"], e["learner"]) for e in events] == [("connect", "ben"),
                                                           ("disconnect", "ben")]
    assert events[1]["reason"] == "dropped" and events[0]["address"] == LOOPBACK
    assert events[0]["size"] == [80, 24] and events[0]["term"] == "xterm-256color"


async def test_a_socket_closed_at_once_leaves_no_tutor(host_key: asyncssh.SSHKey,
                                                       tmp_path: Path) -> None:
    # Closed while its tutor is starting (a double refresh): the tutor is ended all the same.
    async with serving(host_key, tmp_path, web_port=0) as server, web_session(server) as http:
        for _ in range(4):
            term = await WebTerminal(http, server.web_port or 0, 80, 24).open("quick")
            await term.close()
            await asyncio.sleep(0.2)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while server.manager.sessions and loop.time() < deadline:
            await asyncio.sleep(0.05)
        assert not server.manager.sessions
        assert await wait_gone(server.child_pids, 0) == []


async def test_a_vanished_browser_leaves_no_tutor(host_key: asyncssh.SSHKey,
                                                  tmp_path: Path) -> None:
    # Heartbeats every second: a browser that stops answering is closed within 1.5 s.
    async with serving(host_key, tmp_path, web_port=0, keepalive_interval=1.0) as server:
        async with web_terminal(server) as term:
            await term.wait_for("step 0 of 22")
            await asyncio.sleep(1.5)  # heartbeats answered: the session goes on
            assert await wait_gone(server.child_pids, 0) == server.child_pids
            term.answer_pings = False  # the laptop's lid is shut: no close, no pong
            assert await wait_gone(server.child_pids, 5) == []
            assert await term.closed(10) is not None


async def test_a_full_class_gets_the_message(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0, max_sessions=1) as server:
        async with web_terminal(server, "first") as first:
            await first.wait_for("step 0 of 22")
            async with web_terminal(server, "second") as second:
                assert await second.closed() == ENDED_CODE
                assert EN["serve.class_full"] in second.text  # on the page's terminal
            # One session manager for both fronts: SSH is refused too.
            async with terminal(server, "third") as third:
                assert await third.exit_status() == 1
                assert EN["serve.class_full"] in third.errors.decode()
            assert len(server.child_pids) == 1
            await first.press(KEY_RIGHT)  # the first learner goes on undisturbed
            await first.wait_for("step 1 of 22")


async def test_a_refresh_resumes_the_learners_place(host_key: asyncssh.SSHKey,
                                                    tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0) as server:
        async with web_session(server) as http:
            term = await WebTerminal(http, server.web_port or 0, 80, 24).open("erin")
            await term.wait_for("step 0 of 22")
            for step in (1, 2):
                await term.press(KEY_RIGHT)
                await term.wait_for(f"step {step} of 22")
            # A refresh: the page's socket closes and the new page connects at once.
            page = await term.page("erin")
            await term.close()
            again = await WebTerminal(http, server.web_port or 0, 80, 24).open("erin", page)
            await again.wait_for("step 2 of 22")
            await again.close()
            # The same name over SSH: the same place.
            async with terminal(server, "erin") as ssh:
                await ssh.wait_for("step 2 of 22")
        assert await wait_gone(server.child_pids, 5) == []


async def test_the_server_stopping_tells_the_browser(host_key: asyncssh.SSHKey,
                                                     tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0) as server:
        async with web_terminal(server) as term:
            await term.wait_for("step 0 of 22")
            await asyncio.wait_for(server.close(), 15)
            assert await wait_gone(server.child_pids, 0) == []
            assert await term.closed() == QUIT_CODE
            assert EN["serve.server_stopping"] in term.raw.decode("utf-8", "replace")


async def test_ill_formed_messages_are_ignored(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0) as server:
        async with web_terminal(server) as term:
            await term.wait_for("step 0 of 22")
            ws = term.ws
            for junk in ("not json", "[]", "{}", '"stdin"', '["stdin", 5]', '["stdin"]',
                         '["stdin", "x", "y"]', '["resize", {"width": 1e999}]', "[" * 5000,
                         '["ping", {"a": 1}]', '["open_url", {"url": "http://x"}]',
                         '["blur"]', '["focus"]', "9" * 5000):
                await ws.send_str(junk)  # type: ignore[attr-defined]
            await ws.send_bytes(b"\x1b[C")  # type: ignore[attr-defined]  # the page sends none
            await term.send(["ping", "1234"])
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 10
            while ["pong", "1234"] not in term.texts:
                assert loop.time() < deadline, term.texts
                await asyncio.sleep(0.05)
            await term.press(KEY_RIGHT)
            await term.wait_for("step 1 of 22")
            assert "step 2 of 22" not in term.text  # the binary frame was no key


async def test_a_message_too_long_ends_the_session(host_key: asyncssh.SSHKey,
                                                   tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0) as server:
        async with web_terminal(server) as term:
            await term.wait_for("step 0 of 22")
            await term.press("x" * (web_module.MAX_MESSAGE + 1))
            assert await term.closed() is not None
            assert await wait_gone(server.child_pids, 5) == []


# --- the start page, tickets, the password -----------------------------------------------------


async def _get(http: aiohttp.ClientSession, url: str, **options: object
               ) -> tuple[int, str, dict[str, str]]:
    async with http.get(url, allow_redirects=False, **options) as response:  # type: ignore[arg-type]
        return response.status, await response.text(), dict(response.headers)


async def test_the_start_page_and_its_headers(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0) as server, web_session(server) as http:
        base = f"http://{LOOPBACK}:{server.web_port}"
        status, page, headers = await _get(http, f"{base}/")
        assert status == 200 and 'name="name"' in page and 'type="password"' not in page
        assert 'method="get"' in page  # no password: the name goes in the address
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "default-src 'none'" in policy
        assert "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "no-store"
        # The tutor's page: everything it loads is ours, nothing from another host.
        status, page, headers = await _get(http, f"{base}/?name=fay")
        assert status == 200 and headers["Cache-Control"] == "no-store"
        assert "<script>" not in page and " on" not in page.split("<body", 1)[1].split(">")[0]
        loaded = re.findall(r'(?:href|src)="([^"]+)"', page)
        assert loaded and all(url.startswith(("static/", "./?")) for url in loaded), loaded
        assert re.search(r'data-session-websocket-url="ws://127\.0\.0\.1:\d+/ws/[\w-]+"', page)
        for url in loaded:
            if url.startswith("static/"):
                async with http.get(f"{base}/{url}") as response:
                    body = await response.read()
                assert response.status == 200 and body, url
                assert b"googleapis" not in body and b"@import" not in body
        status, body, _ = await _get(http, f"{base}/static/web/tutor.css")
        assert "@font-face" in body and "RobotoMono" in body and "http" not in body
        for missing in ("/static/images/background.png", "/static/../server.py",
                        "/static/js/../../server.py", "/static/%2e%2e/server.py", "/download/x"):
            status, _, _ = await _get(http, base + missing)
            assert status == 404, missing
        # Chinese to a browser that prefers it.
        _, page, _ = await _get(http, f"{base}/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
        assert ZH["web.name"] in page and 'lang="zh"' in page


async def test_names_are_checked(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0) as server, web_session(server) as http:
        base = f"http://{LOOPBACK}:{server.web_port}"
        for bad in ("../../etc", ".hidden", "a b", "李雷", "x" * 33, "<script>"):
            status, page, _ = await _get(http, f"{base}/", params={"name": bad})
            assert status == 200 and EN["web.bad_name"] in page, bad
            assert "data-session-websocket-url" not in page and "<script>" not in page
        # textual.js's own ?ping= and ?delay= are not passed on: the address is cleaned.
        status, _, headers = await _get(http, f"{base}/?name=gus&ping=http://x.example/")
        assert status == 303 and headers["Location"] == "./?name=gus"
        status, _, _ = await _get(http, f"{base}/", headers={"Host": "evil\"><x"})
        assert status == 400


async def test_tickets_and_origins(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0) as server, web_session(server) as http:
        base = f"ws://{LOOPBACK}:{server.web_port}"
        for url in (f"{base}/ws/made-up", f"{base}/ws/"):
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await asyncio.wait_for(http.ws_connect(url), 10)
        term = WebTerminal(http, server.web_port or 0, 80, 24)
        page = await term.page("hal")
        url = re.search(r'data-session-websocket-url="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        # Another site's page cannot use it ...
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await asyncio.wait_for(http.ws_connect(url, origin="http://evil.example"), 10)
        # ... and a ticket lets one socket in, once.
        page = await term.page("hal")
        url = re.search(r'data-session-websocket-url="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        origin = f"http://{LOOPBACK}:{server.web_port}"
        ws = await asyncio.wait_for(http.ws_connect(url, origin=origin), 10)
        await ws.close()
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await asyncio.wait_for(http.ws_connect(url, origin=origin), 10)


async def test_the_class_password_is_asked(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0, password="open sesame") as server, \
            web_session(server) as http:
        base = f"http://{LOOPBACK}:{server.web_port}"
        status, page, _ = await _get(http, f"{base}/?name=ivy")
        assert status == 200 and 'type="password"' in page and 'method="post"' in page
        assert "data-session-websocket-url" not in page and 'value="ivy"' in page
        async with http.post(f"{base}/", data={"name": "ivy", "password": "open says me"},
                             allow_redirects=False) as response:
            assert response.status == 403
            assert EN["web.wrong_password"] in await response.text()
        assert not http.cookie_jar.filter_cookies(base)  # type: ignore[arg-type]
        async with http.post(f"{base}/", data={"name": "ivy", "password": "open sesame"},
                             allow_redirects=False) as response:
            assert response.status == 303 and response.headers["Location"] == "./?name=ivy"
            cookie = response.headers["Set-Cookie"]
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        # The password is never in an address: the page's socket has a one-time ticket.
        term = WebTerminal(http, server.web_port or 0, 80, 24)
        page = await term.page("ivy")
        assert "sesame" not in page
        await term.open("ivy", page)
        await term.wait_for("step 0 of 22")
        await term.close()
        # Another browser (no cookie) is asked again.
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other:
            status, page, _ = await _get(other, f"{base}/?name=ivy")
            assert 'type="password"' in page and "data-session-websocket-url" not in page


# --- the transport's back-pressure ----------------------------------------------------------------


class _SlowSocket:
    """A websocket whose sends wait until ``flowing`` is set."""

    def __init__(self) -> None:
        self.flowing = asyncio.Event()
        self.sent: list[bytes] = []
        self.close_code: int | None = None

    async def send_bytes(self, data: bytes) -> None:
        await self.flowing.wait()
        self.sent.append(data)

    async def send_str(self, data: str) -> None:
        await self.flowing.wait()

    async def close(self, code: int) -> bool:
        self.close_code = code
        return True


class _Session:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def pause_output(self) -> None:
        self.calls.append("pause")

    def resume_output(self) -> None:
        self.calls.append("resume")


async def test_output_a_browser_cannot_take_pauses_the_tutor() -> None:
    socket, session = _SlowSocket(), _Session()
    transport = web_module.WebTransport(socket, None)  # type: ignore[arg-type]
    transport.session = session  # type: ignore[assignment]
    chunk = b"x" * 65536
    for _ in range(web_module.HIGH_WATER // len(chunk) + 2):
        transport.send(chunk)
    assert session.calls == ["pause"]
    socket.flowing.set()
    transport.close(0)
    await asyncio.wait_for(transport.finish(), 5)
    assert session.calls == ["pause", "resume"]
    assert sum(map(len, socket.sent)) == len(chunk) * (web_module.HIGH_WATER // len(chunk) + 2)
    assert max(map(len, socket.sent)) <= web_module.MAX_FRAME
    assert socket.close_code == QUIT_CODE


# --- the command line ---------------------------------------------------------------------------


def _fail(text: str) -> NoReturn:
    raise SystemExit(text)


def _args(**values: object) -> argparse.Namespace:
    return argparse.Namespace(**{"web": None, "public_url": None, "authorized_keys": None,
                                 **values})


def test_web_options() -> None:
    assert web_settings(_args(), None, _fail) == {}
    assert web_settings(_args(web="8000"), None, _fail) == {
        "web_host": "127.0.0.1", "web_port": 8000, "public_url": None}
    assert web_settings(_args(web="0.0.0.0:8000", public_url="HTTPS://Tutor.example/class"),
                        None, _fail)["public_url"] == "https://tutor.example/class/"
    for args, key in ((_args(web="80000"), "web.bad_address"),
                      (_args(web="8000", public_url="ftp://x/"), "web.bad_public_url"),
                      (_args(public_url="https://x/"), "web.public_url_alone"),
                      (_args(web="8000", authorized_keys="keys"), "web.keys_only")):
        with pytest.raises(SystemExit) as stop:
            web_settings(args, None, _fail)
        assert str(stop.value).split(":")[0] == EN[key].split(":")[0], key
    assert web_settings(_args(web="8000", authorized_keys="keys"), "pw", _fail)["web_port"]
    for bad in ("https://user:pw@x/", "https://x/?a=1", "https://x/#f", "https://x:99999/",
                "https://", "javascript:alert(1)", 'https://x/"><script>'):
        with pytest.raises(ValueError):
            parse_public_url(bad)
    assert parse_public_url("http://[::1]:8080") == "http://[::1]:8080/"


def test_a_web_front_reachable_from_elsewhere_is_warned_about() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    lines, warnings = web_lines(ServeOptions(web_host="127.0.0.1", web_port=0), 8000)
    assert "http://127.0.0.1:8000/" in lines[1] and warnings == []
    _, warnings = web_lines(ServeOptions(web_host="0.0.0.0", web_port=0), 8000)
    assert warnings == [EN["web.not_local"].format(host="0.0.0.0", port=8000)]
    lines, warnings = web_lines(ServeOptions(web_host="0.0.0.0", web_port=0,
                                             public_url="https://t.example/"), 8000)
    assert "https://t.example/" in lines[1] and warnings == []


def test_every_web_message_is_in_chinese() -> None:
    from tui.i18n import en_web, zh_web

    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert set(en_web.MESSAGES) == set(zh_web.MESSAGES)
    for key in en_web.MESSAGES:
        assert CATALOGUES["en"][key] == en_web.MESSAGES[key]
        chinese = CATALOGUES["zh"][key]
        assert chinese == zh_web.MESSAGES[key] and cjk.search(chinese), key
        bare = re.sub(r"--[\w-]+|[A-Z_]{3,}|\{\w+\}|https?://\S+|'[^']*'", "", chinese)
        words = set(re.findall(r"[A-Za-z]{3,}", bare))
        assert words <= {"ssh", "aiohttp", "textual", "serve", "web", "backprop", "tutor",
                         "pip", "install", "http", "https"}, (key, words)


async def test_serve_prints_the_web_address_and_stops_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path), "LANG": "C.UTF-8",
           "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tui.cli", "serve", "--ssh", f"{LOOPBACK}:0", "--web",
        f"{LOOPBACK}:0", cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    try:
        lines: list[str] = []
        while not any("http://" in line for line in lines):
            line = await asyncio.wait_for(process.stdout.readline(), 60)
            assert line, f"serve ended: {lines}"
            lines.append(line.decode())
        url = re.search(r"http://127\.0\.0\.1:\d+/", "".join(lines)).group(0)  # type: ignore[union-attr]
        async with aiohttp.ClientSession() as http, http.get(url) as response:
            assert response.status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 30)
    assert code == 0
    errors = (await process.stderr.read()).decode()
    assert "warning" not in errors.lower()  # loopback: nothing to warn about


def test_serve_web_on_a_taken_port_says_so(tmp_path: Path) -> None:
    import socket

    taken = socket.socket()
    taken.bind((LOOPBACK, 0))
    taken.listen()
    try:
        port = taken.getsockname()[1]
        env = {**os.environ, "XDG_STATE_HOME": str(tmp_path), "LANG": "C.UTF-8",
               "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-m", "tui.cli", "serve", "--ssh", f"{LOOPBACK}:0", "--web",
             f"{LOOPBACK}:{port}"], cwd=tmp_path, env=env, capture_output=True, text=True,
            timeout=60, check=False)
    finally:
        taken.close()
    assert done.returncode == 2
    assert EN["web.cannot_listen"].split("{")[0] in done.stderr
    assert f"{LOOPBACK}:{port}" in done.stderr
