"""A tutor's process on its own, forked by the fork server and spawned: its terminal,
session, signals and environment, window changes, and the escalation that ends even a
process that ignores SIGHUP and SIGTERM."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from tests.serve_tests.conftest import wait_gone
from tui.serve.child import Tutor, start_tutor
from tui.serve.launcher import Launcher, TutorRequest, base_environment


class _Seen:
    def __init__(self) -> None:
        self.data = bytearray()
        self.codes: list[int] = []

    def lines(self) -> list[str]:
        return self.data.decode().replace("\r\n", "\n").splitlines()


async def _until(check: Callable[[], bool], timeout: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


@pytest.fixture(params=["fork", "spawn"])
async def launcher(request: pytest.FixtureRequest) -> AsyncIterator[Launcher]:
    """Both ways of starting a tutor; the fork server is gone at the end."""
    launcher = Launcher(use_fork_server=request.param == "fork")
    await launcher.start()
    assert launcher.mode == request.param
    try:
        yield launcher
    finally:
        await asyncio.wait_for(launcher.close(), 10)
        assert await wait_gone(launcher.helper_pids, 1) == []


async def _start(launcher: Launcher, tmp_path: Path, seen: _Seen, *ignore: str) -> Tutor:
    env = base_environment() | {"TERM": "xterm", "HOME": str(tmp_path)}
    request = TutorRequest(list(ignore), env, tmp_path, module="tests.serve_tests.probe")
    return await start_tutor(launcher, request, 100, 30, on_output=seen.data.extend,
                             on_exit=seen.codes.append)


async def test_the_tutor_has_its_own_terminal_session_and_default_signals(
        launcher: Launcher, tmp_path: Path) -> None:
    seen = _Seen()
    # What the server ignores or blocks must not reach the tutor (an exec keeps ignored
    # signals and the mask; a fork keeps handlers too): ignore and block some here while it
    # starts.
    previous = {n: signal.signal(n, signal.SIG_IGN) for n in (signal.SIGINT, signal.SIGHUP)}
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    try:
        tutor = await _start(launcher, tmp_path, seen)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})
    try:
        await _until(lambda: "ready" in seen.lines())
        facts = json.loads(seen.lines()[0])
        assert facts["session_leader"] and facts["controlling_tty"]
        # Python itself ignores SIGPIPE and SIGXFSZ at start-up; nothing else may be.
        own = (1 << (signal.SIGPIPE - 1)) | (1 << (signal.SIGXFSZ - 1))
        assert int(facts["ignored"], 16) & ~own == 0
        assert int(facts["blocked"], 16) == 0
        handlers = facts["handlers"]
        assert handlers["SIGINT"] == str(signal.default_int_handler)
        assert {handlers[name] for name in ("SIGHUP", "SIGTERM", "SIGCHLD", "SIGWINCH")} \
            == {str(signal.SIG_DFL)}
        # Only what it was given (Python itself adds LC_CTYPE under the C locale, PEP 538).
        assert set(facts["env"]) - {"LC_CTYPE"} == set(base_environment()) | {"HOME", "TERM"}
        assert facts["cwd"] == str(tmp_path)
        assert facts["encoding"] == "utf-8"
        assert "wide: 學" in seen.lines()
        assert facts["fds"] == [0, 1, 2, 3]  # its terminal, and the listing's own descriptor
        assert facts["size"] == [100, 30]
        tutor.resize(130, 40)
        await _until(lambda: '{"size": [130, 40]}' in seen.lines())
        tutor.resize(0, 99999)  # clamped to 1..1000
        await _until(lambda: '{"size": [1, 1000]}' in seen.lines())
    finally:
        await asyncio.wait_for(tutor.stop(), 10)
    assert seen.codes == [-signal.SIGHUP]
    assert await wait_gone([tutor.pid], 1) == []


async def test_a_tutor_that_ignores_hup_and_term_is_killed(launcher: Launcher,
                                                           tmp_path: Path) -> None:
    seen = _Seen()
    tutor = await _start(launcher, tmp_path, seen, "SIGHUP", "SIGTERM")
    try:
        await _until(lambda: "ready" in seen.lines())
    finally:
        await asyncio.wait_for(tutor.stop(), 15)
    assert seen.codes == [-signal.SIGKILL]
    assert await wait_gone([tutor.pid], 1) == []


async def test_a_channel_reaches_the_tutor(launcher: Launcher, tmp_path: Path) -> None:
    seen = _Seen()
    ours, theirs = socket.socketpair()
    env = base_environment() | {"TERM": "xterm", "HOME": str(tmp_path)}
    request = TutorRequest([], env, tmp_path, module="tests.serve_tests.probe",
                           channel=theirs.fileno())
    try:
        tutor = await start_tutor(launcher, request, 80, 24, on_output=seen.data.extend,
                                  on_exit=seen.codes.append)
        theirs.close()
        ours.sendall(b'{"notice": "idle", "seconds": 60}\n')
        await _until(lambda: "ready" in seen.lines())
        echoed = json.loads(next(line for line in seen.lines() if '"channel"' in line))
        assert echoed["line"] == '{"notice": "idle", "seconds": 60}'
        assert "BACKPROP_TUTOR_CHANNEL" in json.loads(seen.lines()[0])["env"]
        ours.settimeout(10)
        assert ours.recv(64) == b"back\n"
    finally:
        ours.close()
        theirs.close()
        await asyncio.wait_for(tutor.stop(), 10)
    assert await wait_gone([tutor.pid], 1) == []


async def test_the_fork_servers_tutors_die_with_it(tmp_path: Path) -> None:
    launcher = Launcher()
    await launcher.start()
    seen = _Seen()
    try:
        tutor = await _start(launcher, tmp_path, seen, "SIGHUP", "SIGTERM")
        await _until(lambda: "ready" in seen.lines())
        assert launcher.fork_server is not None
        launcher.fork_server.process.kill()  # as if it crashed
        await _until(lambda: seen.codes != [], timeout=10)
        assert seen.codes == [-signal.SIGKILL]
        assert await wait_gone([tutor.pid], 2) == []
    finally:
        await asyncio.wait_for(launcher.close(), 10)
    assert await wait_gone(launcher.helper_pids, 1) == []
