"""The first thing a tutor process does, forked by the fork server or spawned: make its pty
its controlling terminal, put every signal back as a fresh Python has it, die with its
parent, and speak UTF-8 whatever the locale; then run the tutor.

Dying with its parent is SIGKILL from the kernel (PR_SET_PDEATHSIG) until the tutor takes
SIGHUP (tui/ending.py: the learner's place written, the end within a second), which then
asks for SIGHUP instead (:func:`parent_death_signal`): a server killed with SIGKILL, and its
fork server with it, must not lose the moves made since the place was last written.

Spawned, it is ``python -m tui.serve.tutor_process PARENT_PID MODULE ARGS...``: this runs
after the exec, in the child itself, so the server never needs ``preexec_fn`` (unsafe in
a process with threads, as the server's event loop may have).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import importlib
import io
import os
import signal
import sys
import termios
from collections.abc import Callable, Sequence

PR_SET_PDEATHSIG = 1
PR_GET_PDEATHSIG = 2
#: Exit status when the parent died before the child could tie itself to it.
ORPHANED = 70


def _libc_prctl() -> Callable[..., int] | None:
    """libc's prctl, where there is one (Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


_PRCTL = _libc_prctl()


def die_with_parent(parent_pid: int) -> None:
    """SIGKILL when the parent ends (PR_SET_PDEATHSIG); exit at once if it already has."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # it died before prctl took effect
        os._exit(ORPHANED)


def parent_death_signal(number: int) -> int:
    """For a process that dies with its parent (:func:`die_with_parent`): its parent's death
    comes as ``number`` from now on. Gives the signal it replaced; 0, and nothing changed,
    for a process that was not to die with its parent (not started by ``serve``) or where
    there is no prctl."""
    if _PRCTL is None:
        return 0
    current = ctypes.c_int(0)
    if _PRCTL(PR_GET_PDEATHSIG, ctypes.byref(current), 0, 0, 0) != 0 or not current.value:
        return 0
    if _PRCTL(PR_SET_PDEATHSIG, number, 0, 0, 0) != 0:
        return 0
    return current.value


def default_signals() -> None:
    """Every signal as a fresh Python has it: default, except SIGINT (KeyboardInterrupt) and
    SIGPIPE and SIGXFSZ (ignored, so writes fail with an error instead); none blocked."""
    signal.set_wakeup_fd(-1)
    for number in signal.valid_signals():
        if number not in (signal.SIGKILL, signal.SIGSTOP):
            with contextlib.suppress(OSError, ValueError):
                signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, set())


def utf8_stdio() -> None:
    """New standard streams on fds 0-2, in UTF-8: the tutor draws UTF-8 whatever locale
    the learner's client named, and a forked child must not share the fork server's
    buffers."""
    stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)),
                             encoding="utf-8", errors="surrogateescape")
    stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)),
                              encoding="utf-8", errors="replace", line_buffering=True)
    stderr = io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False)),
                              encoding="utf-8", errors="backslashreplace", line_buffering=True)
    sys.stdin = sys.__stdin__ = stdin
    sys.stdout = sys.__stdout__ = stdout
    sys.stderr = sys.__stderr__ = stderr


def prepare(parent_pid: int) -> None:
    """The child's side of starting a tutor, once fds 0-2 are its pty and it leads a new
    session: the pty becomes its controlling terminal, signals are reset, it dies with its
    parent, and its standard streams are UTF-8."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    default_signals()
    die_with_parent(parent_pid)
    utf8_stdio()


def run(module: str, args: Sequence[str]) -> int:
    """Run ``module.main(args)`` (the tutor: ``tui.cli``) and give its exit status."""
    sys.argv = [module, *args]
    try:
        code = importlib.import_module(module).main(list(args))
    except SystemExit as stop:
        code = stop.code
    except KeyboardInterrupt:
        code = 130
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def spawned(argv: Sequence[str]) -> int:
    """The spawned path: ``PARENT_PID MODULE ARGS...``."""
    parent, module, *args = argv
    prepare(int(parent))
    return run(module, args)


if __name__ == "__main__":
    raise SystemExit(spawned(sys.argv[1:]))
