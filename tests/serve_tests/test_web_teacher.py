"""The class view on the web (``/teacher``, issue 15) in-process, driven as textual.js drives
it: only with the teacher's password (a learner's class cookie is not it), a ticket that
opens the real view once, never a learner's place, no page without ``--teacher``, and the
teacher's name refused on the learners' start page.
"""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

import aiohttp
import asyncssh
import pytest
from yarl import URL

from tests.serve_tests.conftest import (
    LOOPBACK,
    RIGHT,
    WEB_SOCKET_URL,
    WebTerminal,
    serving,
    terminal,
    web_session,
    web_terminal,
)
from tui.i18n import CATALOGUES
from tui.serve import web as web_module

EN, ZH = CATALOGUES["en"], CATALOGUES["zh"]
TEACHER, SECRET, CLASS_PW = "prof-kay", "chalk-and-talk", "class-pw"
QUIT_CODE = web_module.CLOSE_BASE  # the view quit: exit status 0


async def _get(http: aiohttp.ClientSession, url: str, **options: object
               ) -> tuple[int, str, dict[str, str]]:
    async with http.get(url, allow_redirects=False, **options) as response:  # type: ignore[arg-type]
        return response.status, await response.text(), dict(response.headers)


async def _post(http: aiohttp.ClientSession, url: str, data: dict[str, str]
                ) -> tuple[int, str, dict[str, str]]:
    async with http.post(url, data=data, allow_redirects=False) as response:
        return response.status, await response.text(), dict(response.headers)


async def _teacher_page(http: aiohttp.ClientSession, base: str, password: str = SECRET) -> str:
    """Log in at /teacher as a browser does (the form, then where it leads): the view's page."""
    status, _, headers = await _post(http, f"{base}/teacher", {"password": password})
    assert status == 303 and headers["Location"] == "teacher", status
    status, page, _ = await _get(http, f"{base}/teacher")
    assert status == 200 and re.search(WEB_SOCKET_URL, page), page
    return page


async def test_the_view_needs_the_teachers_password(host_key: asyncssh.SSHKey,
                                                    tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0, teacher=TEACHER, teacher_password=SECRET,
                       password=CLASS_PW) as server, web_session(server) as http:
        base = f"http://{LOOPBACK}:{server.web_port}"
        status, page, headers = await _get(http, f"{base}/teacher")
        assert status == 200 and 'type="password"' in page and 'name="name"' not in page
        assert 'method="post"' in page and "data-session-websocket-url" not in page
        assert "<script" not in page and TEACHER not in page
        assert "script-src 'self';" in headers["Content-Security-Policy"]
        assert headers["Cache-Control"] == "no-store" and headers["X-Frame-Options"] == "DENY"
        loaded = re.findall(r'(?:href|src|action)="([^"]+)"', page)
        assert loaded and all(url.startswith(("static/", "teacher")) for url in loaded), loaded
        _, page, _ = await _get(http, f"{base}/teacher", headers={"Accept-Language": "zh-CN"})
        assert html.escape(ZH["web.teacher_password"]) in page and 'lang="zh"' in page
        # No password, the class's, a guess: refused, a second later, and no cookie.
        loop = asyncio.get_running_loop()
        for wrong in ("", CLASS_PW, "guess", SECRET + " "):
            started = loop.time()
            status, page, headers = await _post(http, f"{base}/teacher", {"password": wrong})
            assert status == 403 and html.escape(EN["web.teacher_wrong_password"]) in page, wrong
            assert loop.time() - started >= web_module.WRONG_PASSWORD_DELAY
            assert "Set-Cookie" not in headers and "data-session-websocket-url" not in page
        status, _, _ = await _post(http, f"{base}/teacher", {})
        assert status == 403
        # A learner's class cookie is no teacher's: /teacher still asks.
        status, _, headers = await _post(http, f"{base}/", {"name": "ann", "password": CLASS_PW})
        assert status == 303 and "Set-Cookie" in headers
        status, page, _ = await _get(http, f"{base}/teacher")
        assert status == 200 and "data-session-websocket-url" not in page
        learner_cookie = http.cookie_jar.filter_cookies(URL(base))[web_module.PASS_COOKIE].value
        status, page, _ = await _get(http, f"{base}/teacher", cookies={
            web_module.TEACHER_COOKIE: learner_cookie})
        assert "data-session-websocket-url" not in page
        # ... and the teacher's cookie is no learner's class cookie (nor made up ones).
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other:
            status, _, headers = await _post(other, f"{base}/teacher", {"password": SECRET})
            assert status == 303
            cookie = headers["Set-Cookie"]
            assert cookie.startswith(web_module.TEACHER_COOKIE + "=")
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
            assert "Path=/teacher" in cookie and SECRET not in cookie
            teacher_cookie = other.cookie_jar.filter_cookies(
                URL(f"{base}/teacher"))[web_module.TEACHER_COOKIE].value
        async with aiohttp.ClientSession() as fresh:
            made_up = ("99999999999.00", "²." + "0" * 64, "9" * 5000, teacher_cookie + "0")
            for forged in (teacher_cookie, *made_up):
                _, page, _ = await _get(fresh, f"{base}/?name=ann",
                                        cookies={web_module.PASS_COOKIE: forged})
                assert 'type="password"' in page and "data-session-websocket-url" not in page
            for forged in made_up:
                status, page, _ = await _get(fresh, f"{base}/teacher",
                                             cookies={web_module.TEACHER_COOKIE: forged})
                assert status == 200 and "data-session-websocket-url" not in page
        assert server.manager.teachers == set() and server.child_pids == []


async def test_the_teacher_sees_the_class_and_takes_no_place(host_key: asyncssh.SSHKey,
                                                             tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0, teacher=TEACHER, teacher_password=SECRET,
                       max_sessions=1) as server:
        base = f"http://{LOOPBACK}:{server.web_port}"
        async with web_terminal(server, "ann") as learner, web_session(server) as http:
            await learner.wait_for("step 0 of 22")
            # The class is full, and the teacher still gets in: the view, not a tutor.
            page = await _teacher_page(http, base)
            assert f"<title>{html.escape(EN['web.teacher_title'])}: {TEACHER}</title>" in page
            view = await WebTerminal(http, server.web_port or 0, 100, 30).open(TEACHER, page)
            await view.wait_for("ann")
            assert "step 0 of 22" not in view.text
            for _ in range(3):
                await learner.press(RIGHT.decode())
            await learner.wait_for("step 3 of 22")
            await view.wait_for("3/22", timeout=10)
            assert len(server.manager.teachers) == 1
            assert [s.learner for s in server.manager.sessions] == ["ann"]
            (session,) = server.manager.teachers
            assert session.teacher and session.learner == TEACHER  # type: ignore[attr-defined]
            assert session.clock.idle == float("inf")  # type: ignore[attr-defined]
            # Its ticket let one socket in: once.
            url = re.search(WEB_SOCKET_URL, page).group(1)  # type: ignore[union-attr]
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await asyncio.wait_for(http.ws_connect(url), 10)
            await view.press("q")
            assert await view.closed() == QUIT_CODE
            assert server.manager.teachers == set()
            # The page again (a refresh, "start again"): the view again, no password asked.
            status, page, _ = await _get(http, f"{base}/teacher")
            assert status == 200 and re.search(WEB_SOCKET_URL, page)
            status, _, headers = await _get(http, f"{base}/teacher?ping=http://x.example/")
            assert status == 303 and headers["Location"] == "teacher"
        snapshot = server.classroom.snapshot()
        assert [row["name"] for row in snapshot["learners"]] == ["ann"]  # no teacher row
        assert not (tmp_path / "learners" / TEACHER).exists()


async def test_a_learners_page_never_opens_the_view(host_key: asyncssh.SSHKey,
                                                    tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0, teacher=TEACHER,
                       teacher_password=SECRET) as server, web_session(server) as http:
        base = f"http://{LOOPBACK}:{server.web_port}"
        # The teacher's name on the start page: neither the view nor a tutor in that name.
        for query in ({"name": TEACHER}, {"name": f" {TEACHER} "}):
            status, page, _ = await _get(http, f"{base}/", params=query)
            assert status == 200 and html.escape(EN["web.teacher_name"]) in page
            assert "data-session-websocket-url" not in page
        _, page, _ = await _get(http, f"{base}/", params={"name": TEACHER},
                                headers={"Accept-Language": "zh"})
        assert html.escape(ZH["web.teacher_name"]) in page
        status, page, headers = await _post(http, f"{base}/", {"name": TEACHER})
        assert status == 200 and html.escape(EN["web.teacher_name"]) in page
        assert "Location" not in headers
        # A learner's ticket is a learner's: a tutor, in the class, not the view.
        learner = await WebTerminal(http, server.web_port or 0, 80, 24).open("ann")
        await learner.wait_for("step 0 of 22")
        assert server.manager.teachers == set()
        assert [s.learner for s in server.manager.sessions] == ["ann"]
        await learner.close()
    assert not (tmp_path / "learners" / TEACHER).exists()


async def test_the_teachers_name_needs_the_teachers_password_with_a_class_password(
        host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0, teacher=TEACHER, teacher_password=SECRET,
                       password=CLASS_PW) as server, web_session(server) as http:
        base = f"http://{LOOPBACK}:{server.web_port}"
        for password in (CLASS_PW, SECRET):
            status, page, headers = await _post(http, f"{base}/",
                                                {"name": TEACHER, "password": password})
            assert status == 200 and html.escape(EN["web.teacher_name"]) in page
            assert "Set-Cookie" not in headers
        # As over SSH, where that name always asks for the teacher's password.
        with pytest.raises(asyncssh.PermissionDenied):
            async with terminal(server, TEACHER, password=CLASS_PW):
                pass
        assert server.child_pids == []


async def test_no_teacher_no_page(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, web_port=0, password=CLASS_PW) as server, \
            web_session(server) as http:
        base = f"http://{LOOPBACK}:{server.web_port}"
        status, _, _ = await _get(http, f"{base}/teacher")
        assert status == 404
        status, _, _ = await _post(http, f"{base}/teacher", {"password": CLASS_PW})
        assert status == 404
        # Without a teacher, no name is the teacher's.
        status, _, headers = await _post(http, f"{base}/", {"name": TEACHER,
                                                            "password": CLASS_PW})
        assert status == 303 and headers["Location"] == f"./?name={TEACHER}"


def test_every_message_of_the_web_view_is_in_chinese() -> None:
    from tui.i18n import en_webteacher, zh_webteacher

    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert set(en_webteacher.MESSAGES) == set(zh_webteacher.MESSAGES)
    for key, english in en_webteacher.MESSAGES.items():
        assert EN[key] == english and ZH[key] == zh_webteacher.MESSAGES[key], key
        assert cjk.search(ZH[key]), key


def test_serve_prints_where_the_teacher_opens_the_view() -> None:
    from tui.serve.command import web_lines
    from tui.serve.options import ServeOptions

    lines, _ = web_lines(ServeOptions(web_host="127.0.0.1", web_port=0, teacher="teach",
                                      teacher_password="pw"), 8000)
    assert any("http://127.0.0.1:8000/teacher" in line for line in lines)
    lines, _ = web_lines(ServeOptions(web_host="127.0.0.1", web_port=0,
                                      public_url="https://school.example/class/",
                                      teacher="teach", teacher_password="pw"), 8000)
    assert any("https://school.example/class/teacher," in line for line in lines)
    lines, _ = web_lines(ServeOptions(web_host="127.0.0.1", web_port=0), 8000)
    assert not any("teacher" in line for line in lines)
