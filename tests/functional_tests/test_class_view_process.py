"""The class view as the server runs it: ``python -m tui.teacher`` on a pty of its own, with
its channel an inherited socket (one end of a socketpair) named in $BACKPROP_TUTOR_CHANNEL.
It draws a snapshot line written on the channel, never writes a learner's escape sequence to
the terminal, and q ends it. Without the channel it exits 2 and says who starts it.

Every wait is bounded; every process started is gone at the end of its test.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty") or not sys.platform.startswith(
    "linux"), reason="a Linux pseudo-terminal")

ROOT = Path(__file__).resolve().parents[2]
#: Escape sequences (CSI, OSC, and two-byte ones), taken out of what the view draws.
ESCAPES = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_=>])")
#: The longest a start-up may take (a slow CI machine) before the test fails.
PATIENCE = 60.0
#: A learner's name that would set the terminal's title if it reached the terminal raw.
HOSTILE = "\x1b]2;PWN\x07Eve"


def environment(home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(ROOT),
    }


class PtyView:
    """``python -m tui.teacher`` on a new 80x24 pty, in a session of its own, its channel the
    other end of :attr:`server`; what it draws is kept."""

    def __init__(self, home: Path) -> None:
        self.screen = bytearray()
        self.server, theirs = socket.socketpair()
        env = environment(home)
        env["BACKPROP_TUTOR_CHANNEL"] = str(theirs.fileno())
        self.master, slave = os.openpty()
        try:
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tui.teacher", "--lang", "en"],
                stdin=slave, stdout=slave, stderr=slave, cwd=home, env=env,
                pass_fds=(theirs.fileno(),), start_new_session=True)
        except BaseException:
            os.close(self.master)
            self.server.close()
            raise
        finally:
            os.close(slave)
            theirs.close()

    def read_until(self, text: str, timeout: float = PATIENCE) -> None:
        """Read what the view draws until ``text`` shows (escape sequences left out)."""
        deadline = time.monotonic() + timeout
        while text not in self.text():
            left = deadline - time.monotonic()
            assert left > 0, f"{text!r} never showed: {self.text()[-800:]!r}"
            ready, _, _ = select.select([self.master], [], [], min(left, 0.1))
            if ready:
                try:
                    self.screen += os.read(self.master, 65536)
                except OSError:  # EIO: the view ended
                    raise AssertionError(f"the view ended before {text!r}: "
                                         f"{self.text()[-800:]!r}") from None

    def text(self) -> str:
        return ESCAPES.sub(b"", bytes(self.screen)).decode("utf-8", "replace")

    def close(self) -> None:
        """Kill what is left, reap it, close the pty and the channel."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        if self.master >= 0:
            os.close(self.master)
            self.master = -1
        self.server.close()


@pytest.fixture
def view(tmp_path: Path) -> Iterator[PtyView]:
    started = PtyView(tmp_path)
    try:
        yield started
    finally:
        started.close()
    assert started.process.poll() is not None, "a view was left running"
    with pytest.raises(ProcessLookupError):
        os.kill(started.process.pid, 0)


def learner(key: str, name: str) -> dict[str, object]:
    return {"id": key, "name": name, "connected": True, "lesson": "article", "iteration": 0,
            "step": 12, "total": 22, "phase": "backward", "right_first": 9, "answered": 12,
            "revealed": 1, "last_slip": "plus_delta_sign", "idle_s": 185.0}


def test_the_view_shows_a_snapshot_from_its_channel_and_quits_on_q(view: PtyView) -> None:
    view.read_until("Waiting for the class…")
    snapshot = {"learners": [learner("grace", "Grace"), learner("m", HOSTILE)],
                "slips": [{"phase": "update", "slip": "plus_delta_sign", "learners": 2}],
                "time": time.time()}
    view.server.sendall(b"junk that is no snapshot\n")
    view.server.sendall(json.dumps({"class": snapshot}).encode() + b"\n")
    view.read_until("Grace")
    view.read_until("�]2;PWN�Eve")
    view.read_until("2 learners added α·Z·δ instead of subtracting at update steps")
    # The learner's escape sequence was shown as text, never written raw.
    assert b"PWN\x07" not in view.screen and b"\x1b]2;PWN" not in view.screen
    os.write(view.master, b"q")
    try:
        code = view.process.wait(10)
    except subprocess.TimeoutExpired:
        pytest.fail("q did not end the view within 10 s")
    assert code == 0, view.text()[-2000:]
    with pytest.raises(ProcessLookupError):
        os.kill(view.process.pid, 0)


def test_without_the_channel_it_says_serve_starts_it(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "tui.teacher", "--lang", "en"], cwd=tmp_path,
        env=environment(tmp_path), capture_output=True, text=True, timeout=60,
        stdin=subprocess.DEVNULL, check=False)
    assert completed.returncode == 2
    assert "backprop-tutor serve" in completed.stderr
    assert "Traceback" not in completed.stderr
