"""One tutor per session, on a new pseudo-terminal that is its controlling terminal, in its
own session and process group, with a minimal environment (started by tui/serve/launcher.py).

The tutor already handles the terminal (Textual); this module only carries bytes between
the pty and the SSH channel, passes window changes on, and makes sure the process ends and
is reaped: SIGHUP when the learner leaves, SIGTERM 2 s later, SIGKILL at 5 s (and it dies
with the server even if the server is killed: tui/serve/tutor_process.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import os
import re
import signal
import struct
import termios
from collections.abc import Callable, Mapping
from pathlib import Path

from tui.serve.launcher import Child, Launcher, TutorRequest, base_environment

DEFAULT_TERM = "xterm-256color"
_TERM = re.compile(r"[A-Za-z0-9._+-]{1,64}")
#: The locale variables a client may set (any other name is dropped: a client cannot fill
#: the tutor's environment with variables of its own).
LOCALE_NAMES = frozenset({
    "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LC_COLLATE", "LC_NUMERIC",
    "LC_TIME", "LC_MONETARY", "LC_PAPER", "LC_NAME", "LC_ADDRESS", "LC_TELEPHONE",
    "LC_MEASUREMENT", "LC_IDENTIFICATION",
})
_LOCALE_VALUE = re.compile(r"[A-Za-z0-9._@:+-]{1,64}")
MAX_SIZE = 1000
#: Input waiting for the tutor beyond which the SSH channel stops reading (back-pressure).
MAX_PENDING = 64 * 1024
HUP_GRACE = 2.0
KILL_AFTER = 5.0


def checked_term(term: str | None) -> str:
    """The client's TERM if it is a plausible terminal name, else xterm-256color (TERM
    picks a terminfo file: a path or an escape sequence must not get through)."""
    return term if term and _TERM.fullmatch(term) else DEFAULT_TERM


def clamp(value: int) -> int:
    """A window dimension within 1..1000 (a client may say 0, or 65535)."""
    return max(1, min(MAX_SIZE, int(value)))


def child_environment(client_env: Mapping[str, str], term: str, home: Path) -> dict[str, str]:
    """The tutor's whole environment: nothing of the server's but PATH, the client's locale
    and colour settings when well formed, TERM, and the learner's own directories (so each
    learner's progress is their own, and a reconnect resumes it)."""
    env = base_environment()
    env.update({
        "HOME": str(home),
        "TERM": term,
        "XDG_STATE_HOME": str(home / "state"),
        "BACKPROP_TUTOR_SAVE_DIR": str(home / "saved"),
    })
    for name, value in client_env.items():
        wanted = name in LOCALE_NAMES or name == "COLORTERM"
        if wanted and isinstance(value, str) and _LOCALE_VALUE.fullmatch(value):
            env[name] = value
    return env


class Tutor:
    """A tutor process on a pty; ``on_output`` gets what it draws, ``on_exit`` its status."""

    def __init__(self, master: int, child: Child, on_output: Callable[[bytes], None],
                 on_exit: Callable[[int], None]) -> None:
        """Carry the bytes of ``master`` (the pty's server end) from now on."""
        self._loop = asyncio.get_running_loop()
        self._on_output, self._on_exit = on_output, on_exit
        self._pending = bytearray()
        self._reading = False
        self._drained: Callable[[], None] | None = None
        self.returncode: int | None = None
        self._exited = asyncio.Event()
        self.child = child
        self.pid = child.pid
        self.master = master
        os.set_blocking(master, False)
        self.resume_output()
        child.watch(self._exited_with)

    # --- output: pty -> channel ------------------------------------------------------------

    def pause_output(self) -> None:
        """The channel's buffer is full: stop reading the tutor (its writes then block)."""
        if self._reading:
            self._loop.remove_reader(self.master)
            self._reading = False

    def resume_output(self) -> None:
        """Read the tutor again."""
        if not self._reading and self.master >= 0:
            self._loop.add_reader(self.master, self._readable)
            self._reading = True

    def _readable(self) -> None:
        try:
            data = os.read(self.master, 65536)
        except BlockingIOError:
            return
        except OSError:  # EIO: every copy of the pty's other end is closed: the tutor ended
            data = b""
        if data:
            self._on_output(data)
        else:
            self.pause_output()

    # --- input: channel -> pty ---------------------------------------------------------------

    def write(self, data: bytes, on_drained: Callable[[], None] | None = None) -> bool:
        """Send keys to the tutor; False when input is backing up (then ``on_drained`` is
        called once it has gone, and the caller should stop reading the channel)."""
        if self.master < 0 or self.returncode is not None:
            return True
        if not self._pending:
            try:
                written = os.write(self.master, data)
            except BlockingIOError:
                written = 0
            except OSError:
                return True
            data = data[written:]
            if not data:
                return True
            self._loop.add_writer(self.master, self._writable)
        self._pending += data
        if len(self._pending) > MAX_PENDING:
            self._drained = on_drained
            return False
        return True

    def _writable(self) -> None:
        try:
            written = os.write(self.master, self._pending)
        except BlockingIOError:
            return
        except OSError:
            written = len(self._pending)
        del self._pending[:written]
        if not self._pending:
            self._loop.remove_writer(self.master)
            if self._drained is not None:
                drained, self._drained = self._drained, None
                drained()

    # --- size, signals, exit -----------------------------------------------------------------

    def resize(self, cols: int, rows: int) -> None:
        """A window change: the pty's size (the kernel tells the foreground group), and
        SIGWINCH to the tutor's group as well."""
        if self.master < 0 or self.returncode is not None:
            return
        with contextlib.suppress(OSError):
            _set_size(self.master, cols, rows)
        self.signal(signal.SIGWINCH)

    def in_raw_mode(self) -> bool:
        """True once the tutor has turned echo and line editing off: keys written before
        that would be echoed back onto the learner's screen."""
        if self.master < 0:
            return False
        try:
            lflag = termios.tcgetattr(self.master)[3]
        except termios.error:
            return False
        return not lflag & (termios.ECHO | termios.ICANON)

    def signal(self, number: int) -> None:
        """Send ``number`` to the tutor's process group (it leads its own session)."""
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, number)

    def _exited_with(self, code: int) -> None:
        self.returncode = code
        self._drain_output()
        self._close_master()
        self._exited.set()
        self._on_exit(code)

    def _drain_output(self) -> None:
        """What the tutor wrote just before it ended (its last frame, an error)."""
        for _ in range(64):
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self._on_output(data)

    def _close_master(self) -> None:
        if self.master >= 0:
            self.pause_output()
            if self._pending:
                self._loop.remove_writer(self.master)
                self._pending.clear()
            os.close(self.master)
            self.master = -1

    async def wait(self, timeout: float | None = None) -> bool:
        """Wait for the exit; True if it came."""
        try:
            await asyncio.wait_for(self._exited.wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True

    async def stop(self) -> None:
        """End the tutor: SIGHUP (the terminal is gone), SIGTERM after 2 s, SIGKILL at 5 s;
        returns once it is reaped."""
        if self.returncode is not None:
            return
        self.signal(signal.SIGHUP)
        if await self.wait(HUP_GRACE):
            return
        self.signal(signal.SIGTERM)
        if await self.wait(KILL_AFTER - HUP_GRACE):
            return
        self.signal(signal.SIGKILL)
        await self.wait()


def _set_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", clamp(rows), clamp(cols), 0, 0))


def tutor_args(scenario: str, lang: str | None, ascii_only: bool,
               lessons: Path | None = None) -> list[str]:
    """The tutor's command line: the lesson and language, and the sandbox (save only to
    the learner's own folder, open only the built-in lessons and the teacher's folder)."""
    args = ["--scenario", scenario, "--sandbox"]
    if lessons is not None:
        args += ["--lessons", str(lessons)]
    if lang is not None:
        args += ["--lang", lang]
    if ascii_only:
        args.append("--ascii")
    return args


def view_args(lang: str | None, ascii_only: bool, lessons: Path | None = None) -> list[str]:
    """The class view's command line (``python -m tui.teacher``): ``lessons``, the folder the
    learners' tutors open lessons from, for its list of lessons to lead the class to."""
    args = [] if lang is None else ["--lang", lang]
    args += ["--lessons", str(lessons)] if lessons is not None else []
    return args + (["--ascii"] if ascii_only else [])


async def start_tutor(launcher: Launcher, request: TutorRequest, cols: int, rows: int,
                      on_output: Callable[[bytes], None],
                      on_exit: Callable[[int], None]) -> Tutor:
    """A new pty of ``cols`` x ``rows``, and the tutor on it (OSError, TimeoutError when it
    cannot be started)."""
    master, tty = os.openpty()
    try:
        _set_size(tty, cols, rows)
        child = await launcher.launch(request, tty)
    except BaseException:
        os.close(master)
        raise
    finally:
        os.close(tty)
    return Tutor(master, child, on_output, on_exit)


def is_gone(pid: int) -> bool:
    """True when no process (not even a zombie) has this pid: for tests and the shutdown
    check."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stream:
            state = stream.read().rsplit(b")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    except OSError as error:
        return error.errno == errno.ESRCH
    return state == b"X"
