"""The web front in a real browser: headless Chromium (Debian's ``chromium``, driven by
Playwright's Python API; Playwright's own browser download is not used) loads the start
page, names the learner, waits for the tutor to draw, presses keys, resizes the window,
refreshes the page, quits, and a second browser finds the class full (a third opens the
teacher's class view at ``/teacher``); screenshots of each moment are kept (pytest's
``tmp_path``) and checked.

xterm.js draws on a canvas and textual.js keeps its Terminal object to itself, so the
screen is read from what the browser received on its websocket (Playwright's frame
events), on a pyte screen of the size the page asked for.

Skipped only where there is no chromium and no apt-get to install it (.ci/run installs it);
the skip is reported in the run's summary (tests/serve_tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import struct
import zlib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import asyncssh
import pyte
import pytest

from tests.serve_tests.conftest import LOOPBACK, SCREEN_TIMEOUT, serving, wait_gone
from tui.i18n import CATALOGUES

EN, ZH = CATALOGUES["en"], CATALOGUES["zh"]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage"]


def _chromium() -> str:
    """The browser's path; a skip only when it cannot be had here at all."""
    found = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if found:
        return found
    if shutil.which("apt-get") is None:
        pytest.skip("no chromium and no apt-get to install it: the web front was not tried "
                    "in a real browser")
    pytest.fail("chromium is missing: apt-get install -y chromium (as .ci/run does)")


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stream:
                    parents[int(entry)] = int(stream.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB(A) pixels of an 8-bit, non-interlaced PNG (what
    Chromium's screenshots are)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    size = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * size
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for x in range(stride):
            left = line[x - size] if x >= size else 0
            up, corner = previous[x], previous[x - size] if x >= size else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc
                                      else corner)) & 255
        rows.append(bytes(line) if size == 3 else bytes(
            b for i in range(0, stride, 4) for b in line[i:i + 3]))
        previous = line
    return width, height, rows


def check_screenshot(data: bytes, width: int, height: int) -> set[bytes]:
    """A screenshot of the viewport's size with something drawn on it: its colours."""
    w, h, rows = png_pixels(data)
    assert (w, h) == (width, height)
    colours = {row[x:x + 3] for row in rows[::7] for x in range(0, len(row), 3 * 5)}
    assert len(colours) >= 4, f"a screenshot of {len(colours)} colours: nothing drawn"
    return colours


class BrowserScreen:
    """What one of the page's websockets received, on a pyte screen sized as the page
    asked (its URL's width and height, then its resize messages)."""

    def __init__(self, url: str) -> None:
        query = parse_qs(urlsplit(url).query)
        self.cols, self.rows = int(query["width"][0]), int(query["height"][0])
        self.screen = pyte.Screen(self.cols, self.rows)
        self.stream = pyte.ByteStream(self.screen)
        self.closed = False

    def received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            self.stream.feed(payload)

    def sent(self, payload: str | bytes) -> None:
        if isinstance(payload, str):
            message = json.loads(payload)
            if message[0] == "resize":
                self.cols, self.rows = message[1]["width"], message[1]["height"]
                self.screen.resize(self.rows, self.cols)

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)


class Browser:
    """The page's sockets and requests, as the test follows them."""

    def __init__(self, port: int) -> None:
        self.origin = f"http://{LOOPBACK}:{port}"
        self.screens: list[BrowserScreen] = []
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.problems: list[str] = []

    def watch(self, page: object) -> None:
        page.on("websocket", self._socket)  # type: ignore[attr-defined]
        page.on("request", lambda request: self.requests.append(request.url))  # type: ignore[attr-defined]
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))  # type: ignore[attr-defined]
        page.on("console", self._console)  # type: ignore[attr-defined]

    def _socket(self, ws: object) -> None:
        screen = BrowserScreen(ws.url)  # type: ignore[attr-defined]
        self.screens.append(screen)
        ws.on("framereceived", screen.received)  # type: ignore[attr-defined]
        ws.on("framesent", screen.sent)  # type: ignore[attr-defined]
        ws.on("close", lambda _ws: setattr(screen, "closed", True))  # type: ignore[attr-defined]

    def _console(self, message: object) -> None:
        text = message.text  # type: ignore[attr-defined]
        if "Content Security Policy" in text or "Refused to" in text:
            self.problems.append(f"console: {text}")

    async def route(self, route: object) -> None:
        """Anything but this server is refused (and noted): the page must work offline."""
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(self.origin + "/"):
            await route.continue_()  # type: ignore[attr-defined]
        else:
            self.blocked.append(url)
            await route.abort()  # type: ignore[attr-defined]

    async def screen_shows(self, *texts: str, timeout: float = SCREEN_TIMEOUT) -> BrowserScreen:
        """The latest socket's screen, once every one of ``texts`` is on it (spaces
        ignored: pyte keeps a blank cell after a wide character)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self.screens:
                screen = self.screens[-1]
                flat = screen.text.replace(" ", "")
                if all(text.replace(" ", "") in flat for text in texts):
                    return screen
            if loop.time() > deadline:
                shown = self.screens[-1].text if self.screens else "(no socket)"
                raise AssertionError(f"{texts!r} not on the screen after {timeout} s:\n{shown}")
            await asyncio.sleep(0.05)


async def test_a_learner_in_chromium(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    executable = _chromium()
    before = _descendants(os.getpid())
    shots = tmp_path / "screenshots"
    shots.mkdir()
    async with serving(host_key, tmp_path / "state", web_port=0) as server:
        follow = Browser(server.web_port or 0)
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=executable,
                                                       headless=True, args=ARGS)
            try:
                context = await browser.new_context(viewport={"width": 820, "height": 520},
                                                    locale="en-GB")
                await context.route("**/*", follow.route)
                page = await context.new_page()
                page.set_default_timeout(SCREEN_TIMEOUT * 1000)
                follow.watch(page)
                # The start page: a name.
                await page.goto(follow.origin + "/")
                await page.fill("#name", "zoe")
                await page.screenshot(path=shots / "0-start.png")
                await page.click("button[type=submit]")
                await page.wait_for_url("**/?name=zoe")
                # The tutor draws: the page shows the terminal, in the font served.
                await _body_has(page, "-first-byte")
                first = await follow.screen_shows("step 0 of 22", "X0 1")
                assert await page.evaluate("document.fonts.ready.then(() => [...document.fonts]"
                                           ".some(f => f.family.includes('Roboto Mono')"
                                           " && f.status === 'loaded'))")
                await asyncio.sleep(0.5)  # the canvas is drawn on the next animation frame
                shot = await page.screenshot(path=shots / "1-first-screen.png")
                colours = check_screenshot(shot, 820, 520)
                # A key steps.
                await page.focus(".xterm-helper-textarea")
                await page.keyboard.press("ArrowRight")
                await follow.screen_shows("step 1 of 22")
                await asyncio.sleep(0.5)
                stepped = await page.screenshot(path=shots / "2-a-key-stepped.png")
                check_screenshot(stepped, 820, 520)
                assert stepped != shot
                # A larger window: the wide layout, every pane at once.
                assert "─ Deltas" not in first.text
                await page.set_viewport_size({"width": 1500, "height": 960})
                wide = await follow.screen_shows("─ Network", "─ Forward pass", "─ Deltas",
                                                 "─ Weight updates")
                (session,) = server.manager.sessions
                assert session.size == (wide.cols, wide.rows)  # type: ignore[attr-defined]
                assert wide.cols >= 130 and wide.rows >= 40
                await asyncio.sleep(0.5)
                check_screenshot(await page.screenshot(path=shots / "3-wide.png"), 1500, 960)
                # A refresh: the same learner, at the same place.
                await page.reload()
                await _body_has(page, "-first-byte")
                resumed = await follow.screen_shows("step 1 of 22", "─ Deltas")
                assert resumed is follow.screens[-1] and len(follow.screens) == 2
                # q: the tutor ends, the page says so and offers to start again.
                await page.focus(".xterm-helper-textarea")
                await page.keyboard.press("q")
                await _body_has(page, "-closed")
                assert await page.is_visible(".closed-dialog")
                assert await page.inner_text(".closed-dialog a") == EN["web.again"]
                await asyncio.sleep(0.3)
                ended = await page.screenshot(path=shots / "4-ended.png")
                assert check_screenshot(ended, 1500, 960) != colours
                await context.close()
            finally:
                await browser.close()
        assert await wait_gone(server.child_pids, 5) == []
    # Everything came from this server, with no policy refused and no script error.
    assert follow.blocked == [] and follow.problems == []
    assert follow.requests and all(url.startswith(follow.origin + "/")
                                   for url in follow.requests), follow.requests
    assert any(url.endswith("/static/js/textual.js") for url in follow.requests)
    assert any(url.endswith(".ttf") for url in follow.requests)
    for name in ("0-start", "1-first-screen", "2-a-key-stepped", "3-wide", "4-ended"):
        assert (shots / f"{name}.png").stat().st_size > 1000, name
    # Neither the browser nor Playwright's driver is left.
    left = _descendants(os.getpid()) - before
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while left and loop.time() < deadline:
        await asyncio.sleep(0.1)
        left = {pid for pid in left if not _is_gone(pid)}
    assert left == set()


async def _body_has(page: object, name: str, timeout: float = SCREEN_TIMEOUT) -> None:
    """Wait until the page's body has the class ``name`` (textual.js sets ``-first-byte``
    and ``-closed``). Polled with evaluate: wait_for_function would need the 'unsafe-eval'
    the pages' policy refuses."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    from playwright.async_api import Error

    script = f"!!document.body && document.body.classList.contains({json.dumps(name)})"
    while True:
        try:
            if await page.evaluate(script):  # type: ignore[attr-defined]
                return
        except Error:  # between two pages (a form sent, a refresh)
            pass
        assert loop.time() < deadline, f"no {name} on the page's body after {timeout} s"
        await asyncio.sleep(0.05)


def _is_gone(pid: int) -> bool:
    from tui.serve.child import is_gone

    return is_gone(pid)


async def test_chinese_the_password_and_a_full_class_in_chromium(host_key: asyncssh.SSHKey,
                                                                  tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    executable = _chromium()
    async with serving(host_key, tmp_path / "state", web_port=0, password="sesame",
                       max_sessions=1, teacher="kay", teacher_password="chalk") as server:
        follow = Browser(server.web_port or 0)
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=executable,
                                                       headless=True, args=ARGS)
            try:
                context = await browser.new_context(viewport={"width": 1000, "height": 600},
                                                    locale="zh-CN")
                await context.route("**/*", follow.route)
                page = await context.new_page()
                page.set_default_timeout(SCREEN_TIMEOUT * 1000)
                follow.watch(page)
                await page.goto(follow.origin + "/?name=li")
                assert await page.input_value("#name") == "li"
                assert ZH["web.password"] in await page.inner_text("form")
                await page.fill("#password", "open says me")
                await page.click("button[type=submit]")
                await page.wait_for_selector(".error:has-text('" + ZH["web.wrong_password"]
                                             + "')")
                assert follow.screens == []
                await page.fill("#password", "sesame")
                await page.click("button[type=submit]")
                await _body_has(page, "-first-byte")
                await follow.screen_shows(ZH["header.step"].format(step=0, total=22))
                await asyncio.sleep(0.5)
                check_screenshot(await page.screenshot(path=tmp_path / "chinese.png"),
                                 1000, 600)
                # Another learner, in another browser: the class is full, and the page
                # says so where the terminal would be.
                other = await browser.new_context(viewport={"width": 800, "height": 400},
                                                  locale="en-US")
                await other.route("**/*", follow.route)
                late = await other.new_page()
                late.set_default_timeout(SCREEN_TIMEOUT * 1000)
                follow.watch(late)
                await late.goto(follow.origin + "/?name=sam")
                await late.fill("#password", "sesame")
                await late.click("button[type=submit]")
                await _body_has(late, "-closed")
                await follow.screen_shows(EN["serve.class_full"])
                assert await late.is_visible(".closed-dialog")
                await asyncio.sleep(0.5)
                check_screenshot(await late.screenshot(path=tmp_path / "class-full.png"),
                                 800, 400)
                assert len(server.child_pids) == 1
                await other.close()
                # The teacher, in a third browser: the class view at /teacher with the
                # teacher's password alone, the class full or not.
                teach = await browser.new_context(viewport={"width": 1000, "height": 600},
                                                  locale="zh-CN")
                await teach.route("**/*", follow.route)
                view = await teach.new_page()
                view.set_default_timeout(SCREEN_TIMEOUT * 1000)
                follow.watch(view)
                await view.goto(follow.origin + "/teacher")
                assert ZH["web.teacher_password"] in await view.inner_text("form")
                await view.fill("#password", "chalk")
                await view.click("button[type=submit]")
                await _body_has(view, "-first-byte")
                await follow.screen_shows("li", "0/22")
                assert len(server.manager.teachers) == 1 and len(server.child_pids) == 2
                await teach.close()
                await context.close()
            finally:
                await browser.close()
    assert follow.blocked == [] and follow.problems == []
