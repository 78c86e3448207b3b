"""An idle tutor sleeps: the real tutor in a pseudo-terminal, no key pressed, wakes (almost)
never, and still takes a lone ESC as the Escape key and quits at once.

Textual's own input thread wakes 10 times a second to poll the terminal (about 30 voluntary
context switches in 3 s); the tutor's (tui/textual_compat.py, SleepingLinuxDriver) sleeps until
a key comes, or the exit. Counted from /proc/PID/task/*/status, every thread of the tutor.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "tui.cli", "--lang", "en"]
HEADER = "step 0 of 22"
HELP_HINT = "closes this help"  # the help screen's last line (help.close)
ALT_SCREEN = b"\x1b[?1049h"  # what the driver writes first as it starts
START_TIMEOUT = 30.0
IDLE = 3.0
#: Voluntary context switches of all the tutor's threads in IDLE seconds without a key, at
#: most: Textual's polling input thread alone makes about 30.
MAX_WAKEUPS = 10

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="counts wake-ups in /proc (Linux)")

# Escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), and two-byte escapes.
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[@-_]"
)
_VOLUNTARY = re.compile(r"^voluntary_ctxt_switches:\s*(\d+)$", re.MULTILINE)


class Tutor:
    """``python -m tui.cli`` in a new 80x24 pseudo-terminal, in a session of its own, with
    TERM=xterm-256color and empty state and save directories; its output kept as read."""

    def __init__(self, home: Path) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {name: value for name, value in os.environ.items()
               if name not in ("COLORTERM", "TEXTUAL_DRIVER", "ESCDELAY")}
        env.update(TERM="xterm-256color", XDG_STATE_HOME=str(home / "state"),
                   BACKPROP_TUTOR_SAVE_DIR=str(home / "saved"))
        try:
            self.process = subprocess.Popen(
                COMMAND, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env,
                start_new_session=True)
        finally:
            os.close(slave)
        self.output = bytearray()

    @property
    def pid(self) -> int:
        return self.process.pid

    def text(self, since: int = 0) -> str:
        """What it has drawn since byte ``since``, escape sequences removed."""
        return _ESCAPES.sub(b"", bytes(self.output[since:])).decode("utf-8", errors="replace")

    def read(self, seconds: float) -> bool:
        """Read its output for ``seconds``: False if something came."""
        before = len(self.output)
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if select.select([self.master], [], [], left)[0]:
                try:
                    data = os.read(self.master, 65536)
                except OSError:  # EIO: the tutor has ended
                    data = b""
                if not data:
                    time.sleep(left)  # nothing more will come
                    break
                self.output += data
        return len(self.output) == before

    def wait_for(self, text: str, since: int = 0, timeout: float = 5.0) -> float:
        """Seconds until ``text`` is on screen (drawn since byte ``since``); fails after
        ``timeout``."""
        return self._until(lambda: text in self.text(since), repr(text), since, timeout)

    def wait_for_bytes(self, data: bytes, since: int = 0, timeout: float = 5.0) -> float:
        """Seconds until it has written ``data`` (since byte ``since``), an escape sequence
        perhaps; fails after ``timeout``."""
        return self._until(lambda: data in self.output[since:], repr(data), since, timeout)

    def _until(self, done: Callable[[], bool], what: str, since: int, timeout: float) -> float:
        began = time.monotonic()
        while not done():
            assert self.process.poll() is None, f"the tutor ended:\n{self.text()[-2000:]}"
            assert time.monotonic() - began < timeout, (
                f"{what} not drawn within {timeout} s:\n{self.text(since)[-2000:]}")
            self.read(0.05)
        return time.monotonic() - began

    def wait_quiet(self, gap: float = 0.3, timeout: float = 5.0) -> None:
        """Read until nothing has come for ``gap`` seconds; fails after ``timeout``."""
        end = time.monotonic() + timeout
        while not self.read(gap):
            assert time.monotonic() < end, f"still drawing after {timeout} s"

    def press(self, keys: bytes) -> int:
        """Write ``keys``: how many bytes it had drawn before."""
        mark = len(self.output)
        os.write(self.master, keys)
        return mark

    def wakeups(self) -> dict[int, int]:
        """Voluntary context switches so far, per thread."""
        counts: dict[int, int] = {}
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            try:
                status = (task / "status").read_text()
            except OSError:  # the thread just ended
                continue
            if match := _VOLUNTARY.search(status):
                counts[int(task.name)] = int(match[1])
        return counts

    def idle_wakeups(self, seconds: float = IDLE) -> int:
        """Its threads' wake-ups during ``seconds`` without a key (its output read on)."""
        before = self.wakeups()
        self.read(seconds)
        after = self.wakeups()
        return sum(n - before[tid] for tid, n in after.items() if tid in before)

    def quits(self, timeout: float = 2.0) -> float:
        """Press q and wait for the end: seconds it took; fails after ``timeout``."""
        began = time.monotonic()
        self.press(b"q")
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"q did not end the tutor within {timeout} s")
        assert code == 0, f"exit status {code}:\n{self.text()[-2000:]}"
        return time.monotonic() - began

    def end(self) -> None:
        """Kill it if it still runs, reap it, close the pty."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        os.close(self.master)


@pytest.fixture
def tutor(tmp_path: Path) -> Iterator[Tutor]:
    """A tutor showing its first screen, settled; gone when the test ends."""
    started = Tutor(tmp_path)
    try:
        started.wait_for(HEADER, timeout=START_TIMEOUT)
        started.read(1.0)  # the walkthrough's first screen, a second layout
        yield started
    finally:
        started.end()
    assert started.process.returncode is not None
    assert not Path(f"/proc/{started.pid}").exists(), "the tutor is still there"


def closes_help_with_a_lone_escape(tutor: Tutor) -> float:
    """Open the help (?), close it with a lone ESC byte: seconds until the lesson is back."""
    mark = tutor.press(b"?")
    tutor.wait_for(HELP_HINT, since=mark)
    tutor.wait_quiet()
    mark = tutor.press(b"\x1b")
    # Nothing follows the ESC, so only the parser's timeout makes it the Escape key.
    return tutor.wait_for(HEADER, since=mark, timeout=3.0)


def test_an_idle_tutor_sleeps_and_still_takes_escape_and_q(tutor: Tutor) -> None:
    wakeups = tutor.idle_wakeups()
    assert wakeups < MAX_WAKEUPS, (
        f"the idle tutor woke {wakeups} times in {IDLE} s (Textual's polling: about 30)")
    delay = closes_help_with_a_lone_escape(tutor)
    assert delay < 1.0, f"a lone ESC took {delay:.2f} s to close the help"
    tutor.wait_quiet()
    # q on the help would close the help, not the tutor: it quits only if ESC closed it.
    assert tutor.quits(timeout=2.0) < 2.0


def fds(pid: int) -> int:
    """How many file descriptors the process has open."""
    return len(os.listdir(f"/proc/{pid}/fd"))


def stopped(pid: int) -> bool:
    """True if the process is stopped (state T)."""
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] == "T"


def test_a_suspended_and_resumed_tutor_sleeps_again(tutor: Tutor) -> None:
    """SIGTSTP stops the driver (its input thread ended, its wake-up pipe closed) and stops
    the process; SIGCONT starts the driver again, with a new pipe."""
    open_before = fds(tutor.pid)
    os.kill(tutor.pid, signal.SIGTSTP)
    deadline = time.monotonic() + 5.0
    while not stopped(tutor.pid):
        assert time.monotonic() < deadline, "SIGTSTP did not stop the tutor within 5 s"
        tutor.read(0.05)
    mark = len(tutor.output)
    os.kill(tutor.pid, signal.SIGCONT)
    # Back in application mode (the alternate screen); Textual redraws at the next key.
    tutor.wait_for_bytes(ALT_SCREEN, since=mark)
    tutor.wait_quiet()
    assert fds(tutor.pid) == open_before, "file descriptors left open by the suspend"
    wakeups = tutor.idle_wakeups()
    assert wakeups < MAX_WAKEUPS, f"after a resume the idle tutor woke {wakeups} times"
    closes_help_with_a_lone_escape(tutor)
    tutor.wait_quiet()
    tutor.quits(timeout=2.0)
