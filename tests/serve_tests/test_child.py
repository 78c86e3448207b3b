"""A tutor's process on its own: its terminal, session, signals and environment, window
changes, and the escalation that ends even a process that ignores SIGHUP and SIGTERM."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

from tests.serve_tests.conftest import wait_gone
from tui.serve.child import Tutor

PROBE = r"""
import fcntl, json, os, signal, struct, sys, termios, time
def size():
    rows, cols = struct.unpack("HHHH", fcntl.ioctl(0, termios.TIOCGWINSZ, b"\0" * 8))[:2]
    return [cols, rows]
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
facts = {
    "session_leader": os.getsid(0) == os.getpid(),
    "controlling_tty": os.tcgetpgrp(0) == os.getpgrp(),
    "ignored": status["SigIgn"].strip(), "blocked": status["SigBlk"].strip(),
    "env": sorted(os.environ), "size": size(),
}
print(json.dumps(facts), flush=True)
signal.signal(signal.SIGWINCH, lambda *_: print(json.dumps({"size": size()}), flush=True))
for ignored in sys.argv[1:]:
    signal.signal(getattr(signal, ignored), signal.SIG_IGN)
print("ready", flush=True)
time.sleep(60)
"""


class _Seen:
    def __init__(self) -> None:
        self.data = bytearray()
        self.codes: list[int] = []

    def lines(self) -> list[str]:
        return self.data.decode().replace("\r\n", "\n").splitlines()


async def _until(check, timeout: float = 20) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


def _start(tmp_path: Path, seen: _Seen, *ignore: str) -> Tutor:
    env = {"PATH": "/usr/bin:/bin", "TERM": "xterm", "HOME": str(tmp_path)}
    return Tutor([sys.executable, "-c", PROBE, *ignore], env, tmp_path, 100, 30,
                 on_output=seen.data.extend, on_exit=seen.codes.append)


async def test_the_tutor_has_its_own_terminal_session_and_default_signals(tmp_path: Path
                                                                         ) -> None:
    seen = _Seen()
    # What the server ignores or blocks must not reach the tutor (an exec keeps ignored
    # signals and the mask): ignore and block some here while it starts.
    previous = {n: signal.signal(n, signal.SIG_IGN) for n in (signal.SIGINT, signal.SIGHUP)}
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    try:
        tutor = _start(tmp_path, seen)
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
        # Only what it was given (Python itself adds LC_CTYPE under the C locale, PEP 538).
        assert set(facts["env"]) - {"LC_CTYPE"} == {"HOME", "PATH", "TERM"}
        assert facts["size"] == [100, 30]
        tutor.resize(130, 40)
        await _until(lambda: '{"size": [130, 40]}' in seen.lines())
        tutor.resize(0, 99999)  # clamped to 1..1000
        await _until(lambda: '{"size": [1, 1000]}' in seen.lines())
    finally:
        await asyncio.wait_for(tutor.stop(), 10)
    assert seen.codes == [-signal.SIGHUP]
    assert await wait_gone([tutor.pid], 1) == []


async def test_a_tutor_that_ignores_hup_and_term_is_killed(tmp_path: Path) -> None:
    seen = _Seen()
    tutor = _start(tmp_path, seen, "SIGHUP", "SIGTERM")
    try:
        await _until(lambda: "ready" in seen.lines())
    finally:
        await asyncio.wait_for(tutor.stop(), 15)
    assert seen.codes == [-signal.SIGKILL]
    assert await wait_gone([tutor.pid], 1) == []
