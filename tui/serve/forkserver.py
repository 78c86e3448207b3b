"""The fork server: a process that imports Textual, NumPy and the tutor once, then forks one
tutor per learner, so that a learner's first frame does not pay the imports and every tutor
shares those pages with it.

``python -m tui.serve.forkserver CONTROL_FD PARENT_PID`` is started by the server (a fresh
interpreter with a clean environment: nothing of the server's state, threads or event loop
is inherited). It says ``ready`` on the control socket, then for every request (a JSON
object: module, args, env, cwd; and two file descriptors: the pty's tutor end and a report
socket) forks a tutor and writes to the report socket its pid, then, once it has reaped it,
its exit status (two signed 32-bit integers). When the control socket closes (the server is
stopping or gone), it kills what is left of its tutors, reaps them and exits. It dies with
the server (PR_SET_PDEATHSIG), and its tutors die with it.
"""

from __future__ import annotations

import array
import contextlib
import gc
import importlib
import json
import os
import selectors
import signal
import socket
import struct
import sys

from tui.serve.tutor_process import die_with_parent, prepare, run
from tui.served import CHANNEL_ENV

#: Where a forked tutor finds its channel to the server (tui/served.py).
CHANNEL_FD = 3
#: Largest request (a few dozen environment variables and arguments).
MAX_REQUEST = 64 * 1024
REPORT = struct.Struct("!i")


#: What a tutor imports by the time it has drawn its first screens (modules imported later,
#: lazily, are in this list too where they are large).
PRELOAD = (
    "numpy", "engine", "engine.walkthrough", "engine.training", "engine.article_errata",
    "tui.cli", "tui.app", "tui.screens.lesson", "tui.screens.open_file",
    "tui.teacher.__main__", "tui.teacher.app",
    "textual.drivers.linux_driver", "textual.layouts.factory", "textual.layouts.horizontal",
    "textual.layouts.stream", "rich._emoji_codes",
)


def preload() -> None:
    """Import everything a tutor needs to draw its first screen."""
    for name in PRELOAD:
        importlib.import_module(name)
    from rich.cells import cell_len

    cell_len("學")  # loads the table of character widths


def _receive(control: socket.socket) -> tuple[dict[str, object], list[int]] | None:
    """One request and its descriptors, or None when the server has closed the socket."""
    size = socket.CMSG_SPACE(3 * array.array("i").itemsize)
    data, ancillary, _flags, _address = control.recvmsg(MAX_REQUEST, size)
    fds: list[int] = []
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            usable = len(payload) - len(payload) % array.array("i").itemsize
            fds.extend(array.array("i", payload[:usable]))
    if not data:
        for fd in fds:
            os.close(fd)
        return None
    return json.loads(data), fds


class ForkServer:
    """The fork server's loop: requests in, tutors out, every exit reaped and reported."""

    def __init__(self, control: socket.socket, parent_pid: int) -> None:
        self.control, self.parent_pid = control, parent_pid
        self.reports: dict[int, int] = {}
        """pid -> report socket's fd, for every tutor not yet reaped."""
        self._wake_r, self._wake_w = os.pipe()
        for fd in (self._wake_r, self._wake_w):
            os.set_blocking(fd, False)
        signal.set_wakeup_fd(self._wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.control, selectors.EVENT_READ, "control")
        self.selector.register(self._wake_r, selectors.EVENT_READ, "signal")

    def serve(self) -> None:
        """Until the control socket closes."""
        try:
            while True:
                for key, _events in self.selector.select():
                    if key.data == "signal":
                        with contextlib.suppress(BlockingIOError):
                            os.read(self._wake_r, 4096)
                        self.reap()
                    elif not self.request():
                        return
        finally:
            self.selector.close()
            self.stop_all()

    def request(self) -> bool:
        """Start the tutor asked for; False when the server has gone."""
        try:
            received = _receive(self.control)
        except (OSError, ValueError):
            return False
        if received is None:
            return False
        request, fds = received
        if len(fds) not in (2, 3):
            for fd in fds:
                os.close(fd)
            return True
        tty, report, *channel = fds
        try:
            pid = self.fork(request, tty, report, channel[0] if channel else None)
        except OSError:
            pid = -1
        finally:
            for fd in (tty, *channel):
                os.close(fd)
        try:
            os.write(report, REPORT.pack(pid))
        except OSError:
            pass
        if pid > 0:
            self.reports[pid] = report
        else:
            os.close(report)
        return True

    def fork(self, request: dict[str, object], tty: int, report: int,
             channel: int | None) -> int:
        """Fork one tutor on ``tty`` (with the server's ``channel`` as its fd 3); the parent
        gets its pid, the child never returns."""
        sys.stdout.flush()
        sys.stderr.flush()
        me = os.getpid()
        pid = os.fork()
        if pid:
            return pid
        code = 1
        try:
            for fd in (self.selector.fileno(), self.control.fileno(), self._wake_r,
                       self._wake_w, report, *self.reports.values()):
                with contextlib.suppress(OSError):
                    os.close(fd)
            os.setsid()
            for fd in (0, 1, 2):
                os.dup2(tty, fd)
            os.close(tty)
            env = {str(k): str(v) for k, v in dict(request["env"]).items()}  # type: ignore[call-overload]
            if channel is not None:
                if channel != CHANNEL_FD:
                    os.dup2(channel, CHANNEL_FD)
                    os.close(channel)
                os.set_inheritable(CHANNEL_FD, False)
                env[CHANNEL_ENV] = str(CHANNEL_FD)
            prepare(me)
            os.environ.clear()
            os.environ.update(env)
            os.chdir(str(request["cwd"]))
            _fresh_randomness()
            args = [str(arg) for arg in request["args"]]  # type: ignore[attr-defined]
            code = run(str(request["module"]), args)
        except BaseException:  # noqa: B036 - nothing may return into the fork server's loop
            with contextlib.suppress(BaseException):
                import traceback

                traceback.print_exc()
        finally:
            os._exit(code)

    def reap(self) -> None:
        """Collect every tutor that has ended and report its status."""
        while self.reports:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            report = self.reports.pop(pid, None)
            if report is not None:
                with contextlib.suppress(OSError):
                    os.write(report, REPORT.pack(os.waitstatus_to_exitcode(status)))
                os.close(report)

    def stop_all(self) -> None:
        """The server has gone: kill what is left, and reap it."""
        for pid in list(self.reports):
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        while self.reports:
            try:
                pid, status = os.waitpid(-1, 0)
            except ChildProcessError:
                break
            report = self.reports.pop(pid, None)
            if report is not None:
                with contextlib.suppress(OSError):
                    os.write(report, REPORT.pack(os.waitstatus_to_exitcode(status)))
                os.close(report)


def _fresh_randomness() -> None:
    """NumPy's global generator reseeded: forked tutors must not all draw the same numbers
    (Python's ``random`` reseeds itself after a fork)."""
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()


def main(argv: list[str]) -> int:
    """``CONTROL_FD PARENT_PID``."""
    control = socket.socket(fileno=int(argv[0]))
    parent = int(argv[1])
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when this ends
    preload()
    gc.collect()
    gc.freeze()  # the imported objects stay on shared pages: the collector never writes them
    server = ForkServer(control, parent)
    control.sendall(b"ready")
    server.serve()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
