"""A dropped connection loses no move: the real tutor (``python -m tui.cli``) on a pty of its
own, as ``backprop-tutor serve`` runs it, takes two steps, then gets SIGHUP (what serve sends
when a learner leaves; SIGTERM follows 2 s later, SIGKILL at 5 s). It must write the learner's
place and be gone well within the 2 s, whether the terminal is still read, hung up by the
kernel, or read by nobody.

Every wait is bounded; every tutor started is gone at the end of its test.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty") or not sys.platform.startswith(
    "linux"), reason="a Linux pseudo-terminal and its hang-up")

ROOT = Path(__file__).resolve().parents[2]
RIGHT = b"\x1b[C"
#: Escape sequences (CSI, OSC, and two-byte ones), taken out of what the tutor draws.
ESCAPES = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_=>])")
#: The longest a start-up or a step may take (a slow CI machine) before the test fails.
PATIENCE = 60.0
#: How soon the tutor must be gone after the signal: serve sends SIGTERM at 2 s.
WITHIN = 2.0
#: Makes the pty the controlling terminal of the new session (as tui/serve/child.py does),
#: then becomes the tutor: no preexec_fn in a test process that has threads.
START = ("import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
         "os.execv(sys.executable, [sys.executable, '-m', 'tui.cli', *sys.argv[1:]])")


class PtyTutor:
    """The tutor on a new 80x24 pty, in a session of its own; what it draws is kept."""

    def __init__(self, home: Path, *args: str) -> None:
        self.home = home
        self.screen = bytearray()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "XDG_STATE_HOME": str(home / "state"),
            "BACKPROP_TUTOR_SAVE_DIR": str(home / "saved"),
            "PYTHONPATH": str(ROOT),
            "OPENBLAS_NUM_THREADS": "1",
        }
        self.master, slave = os.openpty()
        try:
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            self.process = subprocess.Popen(
                [sys.executable, "-c", START, "--scenario", "article", *args],
                stdin=slave, stdout=slave, stderr=slave, cwd=home, env=env,
                start_new_session=True, close_fds=True)
        except BaseException:
            os.close(self.master)
            raise
        finally:
            os.close(slave)

    def read_until(self, text: str, timeout: float = PATIENCE) -> None:
        """Read what the tutor draws until ``text`` shows (escape sequences left out)."""
        deadline = time.monotonic() + timeout
        while text.encode() not in ESCAPES.sub(b"", bytes(self.screen)):
            left = deadline - time.monotonic()
            assert left > 0, f"{text!r} never showed: {self.text()[-500:]!r}"
            ready, _, _ = select.select([self.master], [], [], min(left, 0.1))
            if ready:
                try:
                    self.screen += os.read(self.master, 65536)
                except OSError:  # EIO: the tutor ended
                    raise AssertionError(f"the tutor ended before {text!r}: "
                                         f"{self.text()[-500:]!r}") from None

    def text(self) -> str:
        return ESCAPES.sub(b"", bytes(self.screen)).decode("utf-8", "replace")

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def wait_gone(self, timeout: float) -> float | None:
        """Seconds until the process ended (reaped), or None if it had not in ``timeout``."""
        start = time.monotonic()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        return time.monotonic() - start

    def close(self) -> None:
        """Kill what is left, reap it, close the pty."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def place(self) -> dict[str, object]:
        """The article's place as the progress file records it."""
        path = self.home / "state" / "backprop-tutor" / "progress.json"
        assert path.exists(), "the place was never written"
        lessons = json.loads(path.read_text(encoding="utf-8"))["lessons"]
        (place,) = [p for p in lessons if p["name"] == "article"]
        return place  # type: ignore[no-any-return]


@pytest.fixture
def tutor(tmp_path: Path) -> Iterator[PtyTutor]:
    """A tutor two steps into the article's lesson (22 steps an iteration)."""
    started = PtyTutor(tmp_path)
    try:
        started.read_until("step 0 of 22")
        started.press(RIGHT + RIGHT)
        started.read_until("step 2 of 22")
        yield started
    finally:
        started.close()
    assert started.process.poll() is not None, "a tutor was left running"
    with pytest.raises(ProcessLookupError):
        os.kill(started.process.pid, 0)


def test_sighup_writes_the_place_and_exits_in_time(tutor: PtyTutor) -> None:
    # Two moves: fewer than SAVE_EVERY, so nothing was written yet; serve signals the group.
    state = tutor.home / "state" / "backprop-tutor" / "progress.json"
    assert not state.exists()
    drawn = len(tutor.screen)
    os.killpg(tutor.process.pid, signal.SIGHUP)
    took = tutor.wait_gone(WITHIN)
    assert took is not None, "still running 2 s after SIGHUP"
    assert tutor.process.returncode == 128 + signal.SIGHUP  # ended by the hang-up, cleanly
    assert tutor.place()["iteration"] == 0
    assert tutor.place()["k"] == 1  # "step 2 of 22": the second step done
    # Nothing after the hang-up reached the terminal: no traceback, no error line.
    with contextlib.suppress(AssertionError):
        tutor.read_until("\x00never", timeout=0.3)
    after = ESCAPES.sub(b"", bytes(tutor.screen[drawn:])).decode("utf-8", "replace")
    assert "Traceback" not in after and "error" not in after, after


def test_sigterm_writes_the_place_and_exits_in_time(tutor: PtyTutor) -> None:
    os.killpg(tutor.process.pid, signal.SIGTERM)
    assert tutor.wait_gone(WITHIN) is not None, "still running 2 s after SIGTERM"
    assert tutor.process.returncode == 128 + signal.SIGTERM
    assert tutor.place()["k"] == 1


def test_a_terminal_hung_up_by_the_kernel(tutor: PtyTutor) -> None:
    """The pty's other end closes (the server's end of it, a terminal window): the kernel
    hangs the terminal up and sends SIGHUP; writes to it fail from then on."""
    os.close(tutor.master)
    tutor.master = -1
    assert tutor.wait_gone(WITHIN) is not None, "still running 2 s after the hang-up"
    assert tutor.process.returncode == 128 + signal.SIGHUP
    assert tutor.place()["k"] == 1


def test_a_terminal_nobody_reads_does_not_hold_the_exit(tutor: PtyTutor) -> None:
    """A connection that stalls before it drops: serve stops reading the pty, the tutor's
    frames back up until its writes block; then SIGHUP. It must still be gone in time."""
    for _ in range(80):  # each a step and a language switch: whole frames, never read
        tutor.press(RIGHT + b"l")
        time.sleep(0.01)
    time.sleep(0.5)
    os.killpg(tutor.process.pid, signal.SIGHUP)
    assert tutor.wait_gone(WITHIN) is not None, "still running 2 s after SIGHUP"
    assert tutor.process.returncode == 128 + signal.SIGHUP
    assert 1 <= int(tutor.place()["k"])  # type: ignore[call-overload]
