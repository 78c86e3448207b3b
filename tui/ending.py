"""Ending on SIGHUP or SIGTERM with the learner's place written: a dropped SSH connection,
a closed window, ``serve`` ending a session (SIGHUP, SIGTERM 2 s later, SIGKILL at 5 s), or
``serve`` killed (a served tutor's parent dying: SIGHUP, once it is caught here) must not
lose the moves made since the place was last written. No Textual here: the app gives what to
do (stop taking keys, write the place, exit) as callables.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

#: What ends the tutor from outside, its place written first: SIGHUP (its terminal is gone: a
#: dropped SSH connection, a closed window; ``serve`` sends it when a learner leaves) and
#: SIGTERM (asked to stop; ``serve`` sends it 2 s after SIGHUP, then SIGKILL at 5 s).
ENDING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGHUP", "SIGTERM")
                       if hasattr(signal, name))
#: Seconds from such a signal to the end of the process at the latest, whatever holds the
#: exit up (a frame that a gone terminal will never take, a training thread).
END_DEADLINE = 1.0
#: Seconds the event loop has to write the place after such a signal; past them it is stuck
#: (see :meth:`EndingSignals._keep_the_deadline`) and the place is written from another
#: thread.
PLACE_WAIT = 0.4


class EndingSignals:
    """SIGHUP and SIGTERM taken for the app: ``on_signal`` (in the main thread: stop taking
    keys), then ``write_place`` and ``exit`` in the event loop, with a deadline kept by a
    thread of its own."""

    def __init__(self, on_signal: Callable[[], None], write_place: Callable[[], None],
                 exit_app: Callable[[], None]) -> None:
        self._on_signal, self._remember, self._exit_app = on_signal, write_place, exit_app
        self.ended_by: int | None = None
        """The signal (SIGHUP, SIGTERM) that is ending the tutor, once one came."""
        self._signal_handlers: dict[int, object] = {}
        self._signal_loop: asyncio.AbstractEventLoop | None = None
        self._ending = threading.Event()
        self._place_written = threading.Event()
        self._place_lock = threading.Lock()
        self._parent_death = 0
        """The signal the tutor's parent's death sent before :meth:`catch` (0: none)."""

    def release(self) -> None:
        """The signals' handlers as they were before the tutor took them (and its parent's
        death as it was)."""
        if self._parent_death:
            _parent_death_as(self._parent_death)
            self._parent_death = 0
        loop = self._signal_loop
        for number, handler in self._signal_handlers.items():
            if loop is not None:
                with contextlib.suppress(RuntimeError, ValueError, NotImplementedError):
                    loop.remove_signal_handler(number)
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(number, handler)  # type: ignore[arg-type]
        self._signal_handlers.clear()

    def catch(self) -> None:
        """Take SIGHUP and SIGTERM, so that a dropped connection does not lose the moves since
        the last write of the place.

        Both the event loop's add_signal_handler and a Python handler of our own in place of
        the no-op one it installs. The loop's part is its wake-up: the signal's number goes
        down the loop's self-pipe whichever thread the kernel hands the signal to, so a loop
        asleep in epoll wakes (a Python handler alone runs only once the main thread runs
        Python again). The Python handler's part: it runs in the main thread even when the
        loop is stuck handing a frame to a terminal nobody reads (Textual's writer thread
        blocked, its queue full: the wait is interrupted), which the loop's callback would
        never do, so the deadline is armed whatever happens. Either way the handler only
        notes the signal and silences the terminal; the place is written in the loop, between
        two messages, where the lesson is whole."""
        if threading.current_thread() is not threading.main_thread():
            return
        loop = self._signal_loop = asyncio.get_running_loop()
        threading.Thread(target=self._keep_the_deadline, name="tutor-deadline",
                         daemon=True).start()
        for number in ENDING_SIGNALS:
            previous = signal.getsignal(number)
            self._signal_handlers[number] = signal.SIG_DFL if previous is None else previous
            with contextlib.suppress(RuntimeError, ValueError, NotImplementedError):
                loop.add_signal_handler(number, self._on_ending_signal, number, None)
            signal.signal(number, self._on_ending_signal)
        # Served, the tutor dies with its parent (tui/serve/tutor_process.py), by SIGKILL
        # until now: from now on by SIGHUP, taken here like a dropped connection, so that a
        # server killed with SIGKILL (its fork server with it) loses none of the learner's
        # moves. The end stays sure: the deadline thread ends the process within a second.
        if hasattr(signal, "SIGHUP"):
            self._parent_death = _parent_death_as(signal.SIGHUP)

    def _on_ending_signal(self, number: int, _frame: object) -> None:
        """SIGHUP or SIGTERM (in the main thread, wherever it was; then from the loop, which
        finds it done): stop taking keys; on a hang-up point the screen's output at the null
        device first, since nothing written to a gone terminal arrives and a write to one may
        fail or block; then end through the loop, with the deadline kept by another thread."""
        if self.ended_by is not None:
            return  # already ending (serve's SIGTERM follows its SIGHUP)
        self.ended_by = number
        self._on_signal()
        if number == getattr(signal, "SIGHUP", None):
            _silence_output()
        self._ending.set()
        if self._signal_loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop is closed: the app has ended
                self._signal_loop.call_soon_threadsafe(self._end_on_signal)

    def _end_on_signal(self) -> None:
        """In the loop: write the place, then exit as q does (Textual restores the terminal,
        which after a hang-up is the null device)."""
        self._write_place()
        self._exit_app()

    def _write_place(self) -> None:
        """Write the place once, from whichever of the loop and the deadline thread comes
        first. On the way out nothing may stop the exit: a failure here is dropped (the file
        keeps the last place written, as after a crash)."""
        with self._place_lock:
            if self._place_written.is_set():
                return
            try:
                self._remember()
            except Exception:  # the terminal is gone: nowhere to report it
                pass
            self._place_written.set()

    def _keep_the_deadline(self) -> None:
        """The deadline thread: after an ending signal, write the place if the loop has not
        within :data:`PLACE_WAIT` (it is stuck, so the lesson is not moving), and end the
        process at :data:`END_DEADLINE` if the exit has not (a stuck writer thread, a
        training thread, a frame for a terminal that takes none)."""
        # Imported by name, and now (not while the interpreter may be ending): read as an
        # attribute, ``_exit`` looks like Textual's own App._exit to the check that nothing
        # but tui/textual_compat.py touches Textual's internals.
        from os import _exit

        if hasattr(signal, "pthread_sigmask"):
            # No signal for this thread: the kernel gives a process's signals to a thread
            # that does not block them, and one given here would wait for the main thread to
            # run Python before its handler runs (Textual's SIGTSTP and SIGCONT included).
            signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
        self._ending.wait()
        deadline = time.monotonic() + END_DEADLINE
        if not self._place_written.wait(PLACE_WAIT):
            self._write_place()
        time.sleep(max(0.0, deadline - time.monotonic()))
        _exit(128 + (self.ended_by or 0))


def _parent_death_as(number: int) -> int:
    """A served tutor's parent's death sent as ``number`` from now on; the signal it sent
    until now (0: the tutor does not die with its parent, and nothing changed)."""
    if not sys.platform.startswith("linux"):  # PR_SET_PDEATHSIG is Linux's
        return 0
    from tui.serve.tutor_process import parent_death_signal

    return parent_death_signal(number)


def _silence_output() -> None:
    """Point standard output and error (where Textual draws) at the null device: after a
    hang-up nothing written to the terminal arrives, and a write may fail (EIO, which would
    end Textual's writer thread with a traceback) or block (a pty nobody reads). Standard
    input is left: reading a hung-up terminal just ends."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        for fd in (1, 2):
            with contextlib.suppress(OSError):
                os.dup2(null, fd)
    finally:
        os.close(null)
