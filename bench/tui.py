"""Benchmark: the real ``backprop-tutor`` in a pseudo-terminal, against a bare Textual app.

Run from the repository root::

    .venv/bin/python bench/tui.py             # 7 runs at 80x24 and at 200x50 (about 3 minutes)
    .venv/bin/python bench/tui.py --quick     # 3 runs
    .venv/bin/python bench/tui.py --detail    # also latency and bytes of every step

Each run starts the program in a new pty (``os.openpty``; the child gets it as its controlling
terminal, so a resize reaches it as SIGWINCH) sized with ``TIOCSWINSZ``, with
``TERM=xterm-256color`` and ``COLORTERM`` unset. Nothing answers the program's terminal queries
(a real emulator would), so it draws without synchronized output. What is measured, per run:

start
    ms from the fork until the bytes read from the pty, escape sequences removed, contain the
    header ``step 0 of N`` (the lesson's first screen: the network with its inputs and starting
    weights, drawn from the scenario before NumPy is imported; the walkthrough follows), or the
    bare app's one line (bench/bare_app.py). The ratio is tutor / bare app of the same round.
    Before the runs engine/ and tui/ are byte-compiled, as an installed copy is.
settled first screen
    beside the start: ms from the fork until the walkthrough's first screen is drawn and no
    byte has come for 50 ms. After the header, the screen text must contain
    ``Z0 1 ──────────────────┐`` (:data:`SETTLED_TEXT`), then 50 ms pass without output; the
    figure is the arrival of the last byte before that quiet, so the 50 ms are not counted.
    No computed value is on screen at step 0, at either size: every number the arithmetic
    makes (Z1…D0, E, the deltas, the new weights) is ``·`` until its step, and the opening
    already shows the inputs and weights the walkthrough has. What the walkthrough changes
    is the diagram's layout: it is sized for every number the iteration will show, which the
    opening cannot know, and its first bus line grows from 15 dashes to 18, at 80x24 and at
    200x50 alike (found by running the tutor; at 200x50 the three tables come in the same
    burst). Textual usually sends one more full frame some 30 ms later (a second layout),
    which counts if it comes within 50 ms. A tutor or lesson whose diagram draws otherwise
    never shows the text: its settled start is then left out (``-``) after
    SETTLED_TIMEOUT s, and the report says so.
step latency
    after the start and 0.5 s of rest, ``→`` (``ESC [ C``) is written N times, one iteration of
    the lesson (22 steps for the article); each time, ms from the write to the last byte of the
    screen update: the header must say ``step k of N`` and then no byte come for 50 ms. (The
    header condition matters: the tutor sometimes sends a small update at once and its frame
    more than 50 ms later; a bare "50 ms of silence" would end the step early and count its
    frame in the next step.) The median and the 95th percentile (linear interpolation) of one
    iteration's N steps; also the median time until the new header was read.
bytes per step
    the median over the N steps of the bytes read after a key, and a full repaint measured in the
    same run: the terminal is resized to one more column and, once that is drawn, back; Textual
    redraws every cell after a resize. Its output then holds more than one frame, so the full
    repaint is the size of the first full-screen frame in it (a cursor move to column 1 of
    every row in order, each followed by that row, see :func:`full_frames`): one complete
    redraw of the same screen at the measured size. The table also gives how many full frames
    a step's output holds, and all the bytes after the resize.
CPU per key
    the tutor's CPU time (user + system, every thread) over the iteration of steps, divided
    by the number of keys. The child is reaped only at the end, so it is read from /proc
    just before the first key (after the 0.5 s rest) and after each step has settled (the
    per-step values are in ``--detail``): the first field of every
    /proc/PID/task/TID/schedstat, ns on CPU, summed (/proc/PID/schedstat alone is the main
    thread's, and Textual reads the keys in a thread of its own), where the kernel keeps
    it; else, or when it falls short of the stat figure by more than 2 clock ticks (a
    thread ended between the readings and took its time with it), utime + stime of
    /proc/PID/stat, in clock ticks (``os.sysconf('SC_CLK_TCK')``, 10 ms at 100 Hz), which
    count the whole process, ended threads included. The report says which was used.
peak RSS
    ``VmHWM`` of /proc/PID/status once the iteration is done.
idle bytes
    bytes read during 5 s with no input, on the resting screen after the iteration (and the
    repaint). A round's tutors rest side by side and share one 5 s window: idle bytes do not
    depend on timing, and an idle program uses no CPU, so the tutor resting while the next is
    measured disturbs nothing (if it did send bytes, they would show in its own count).
idle CPU
    the tutor's CPU time during that window, read from /proc as for the CPU per key at its
    start and its end: ms, and the same as a percentage of one core over the window's
    measured length. It should be about 0 (Textual's input thread wakes 10 times a second to
    poll the terminal: about 1.3 ms a second on the 2-core machine).
whole-run CPU
    a cross-check: ``ru_utime + ru_stime`` from ``os.wait4`` when the tutor is reaped, its
    whole life from exec to exit (start, iteration, repaint, idle, quit); beside it the
    /proc reading at the end of the idle window, just before ``q``, which must not be
    larger (the difference is the quit).

Every program is quit with ``q`` at the end of its run; one that has not exited 5 s later is
killed (the report counts them), and an error or Ctrl-C quits whatever still runs. Before the
timed rounds one untimed start of each program warms the file cache. Rounds interleave the
programs and sizes, so machine noise hits them alike.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import platform
import re
import resource
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

# This file is called tui.py: when run as a script its own folder comes first on sys.path and
# would shadow the real ``tui`` package. Nothing here imports it, but keep the path clean anyway.
_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

RIGHT = b"\x1b[C"
QUIT = b"q"
QUIET_GAP = 0.05
"""A screen update is over when no byte has come for this long (seconds)."""
SETTLE_GAP = 0.5
"""Rest after the start before the first key: the app may draw more than one first frame."""
START_TIMEOUT = 30.0
KEY_TIMEOUT = 3.0
EXIT_TIMEOUT = 5.0
DEFAULT_SIZES = ((80, 24), (200, 50))

BARE_TEXT = "bare Textual app: 1 2 3"
"""bench/bare_app.py's one line (kept in step with its TEXT; the bare run checks it appears)."""
STEP_PATTERN = re.compile(r"step 0 of (\d+)")
SETTLED_TEXT = "Z0 1 ──────────────────┐"
"""The article's first bus line as the walkthrough lays the diagram out (the opening draws it
with 15 dashes, not 18): on screen once the walkthrough's first screen is (settled start)."""
SETTLED_TIMEOUT = 10.0

# Escape sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ST), and two-byte escapes.
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[@-_]"
)


def screen_text(data: bytes) -> str:
    """The printable text of terminal output: escape sequences removed, UTF-8 decoded."""
    return _ESCAPES.sub(b"", data).decode("utf-8", errors="replace")


_MOVE = re.compile(rb"\x1b\[(\d+);(\d+)H")


def full_frames(data: bytes, rows: int) -> list[int]:
    """The sizes in bytes of the full-screen frames in some terminal output.

    Textual draws a full frame (its ``LayoutUpdate``) as one cursor move to column 1 of every
    row, 1 to ``rows`` in order, each followed by that row's cells; a partial update moves to
    the changed spans only. A frame's bytes run from its first move to the move after its
    last row (or the end of the output).
    """
    moves = [(int(m[1]), int(m[2]), m.start()) for m in _MOVE.finditer(data)]
    sizes: list[int] = []
    i = 0
    while i + rows <= len(moves):
        if all(moves[i + r][:2] == (r + 1, 1) for r in range(rows)):
            end = moves[i + rows][2] if i + rows < len(moves) else len(data)
            sizes.append(end - moves[i][2])
            i += rows
        else:
            i += 1
    return sizes


# --- CPU time from /proc ---------------------------------------------------------------------

_TICK_NS = 1_000_000_000 / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuSample:
    """A process's CPU time so far, read from /proc (see the module's doc, CPU per key)."""

    sched_ns: int | None
    """The first fields of every thread's schedstat, summed (None: the kernel keeps none)."""
    stat_ns: float
    """utime + stime of /proc/PID/stat, in ns (whole clock ticks: the whole process)."""
    tids: frozenset[int]
    """The threads whose schedstat was read."""


NO_CPU = CpuSample(0, 0.0, frozenset())
"""A process before it has run."""


def read_cpu(pid: int) -> CpuSample | None:
    """The CPU time the process ``pid`` has used so far (None: it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()  # fields 3 on: utime is field 14, stime 15
    ticks = int(fields[11]) + int(fields[12])
    sched = 0
    tids: set[int] = set()
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        tasks = []
    for task in tasks:
        try:
            sched += int((task / "schedstat").read_text().split()[0])
        except (OSError, IndexError, ValueError):  # no schedstat, or the thread just ended
            continue
        tids.add(int(task.name))
    # A kernel without schedstat accounting shows "0 0 0" (a process that ran has used some).
    return CpuSample(sched if tids and sched else None, ticks * _TICK_NS, frozenset(tids))


def cpu_between(a: CpuSample, b: CpuSample, *, sched: bool = True) -> tuple[float, str]:
    """ms of CPU used from ``a`` to ``b``, and where they were read: ``schedstat`` if both
    have it, no thread read at ``a`` is gone at ``b``, and stat's ticks do not exceed it by
    more than their resolution (2 ticks), else ``stat``. ``sched=False``: ``stat`` always."""
    stat = b.stat_ns - a.stat_ns
    if sched and a.sched_ns is not None and b.sched_ns is not None and a.tids <= b.tids:
        ns = b.sched_ns - a.sched_ns
        if stat <= ns + 2 * _TICK_NS:
            return ns / 1e6, "schedstat"
    return stat / 1e6, "stat"


# --- one program in one pty -----------------------------------------------------------------


class Session:
    """A program running in a fresh pseudo-terminal of a given size, read as it writes."""

    def __init__(self, argv: Sequence[str], cols: int, rows: int, env: dict[str, str]) -> None:
        master, slave = os.openpty()
        _set_size(slave, cols, rows)
        self.spawned = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: new session, the pty as controlling terminal, then exec
            try:
                os.close(master)
                os.setsid()
                fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
                for fd in (0, 1, 2):
                    os.dup2(slave, fd)
                if slave > 2:
                    os.close(slave)
                os.chdir(ROOT)
                os.execve(argv[0], list(argv), env)
            finally:
                os._exit(127)
        os.close(slave)
        self.pid = pid
        self.fd = master
        self.cols, self.rows = cols, rows
        self.data = bytearray()
        self.last_read: float | None = None
        """When the latest bytes were read."""
        self.eof = False
        self.exit_status: int | None = None
        self.killed = False
        self.reaped_cpu_ms: float | None = None
        """User + system CPU of the whole life, from the rusage of the reap (os.wait4)."""

    # reading

    def _read(self, timeout: float) -> int:
        """Wait up to ``timeout`` s for output; read what is there. Bytes read (0: none)."""
        if self.eof:
            time.sleep(max(timeout, 0.0))
            return 0
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0.0))
        if not ready:
            return 0
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:  # EIO: the child closed its side of the pty
            chunk = b""
        if not chunk:
            self.eof = True
            return 0
        self.data += chunk
        self.last_read = time.perf_counter()
        return len(chunk)

    def wait_for(
        self, pattern: re.Pattern[str], timeout: float, since: int = 0
    ) -> tuple[float, re.Match[str]]:
        """Read until the screen text of the output from byte ``since`` on matches; the time
        the matching bytes arrived, and the match."""
        deadline = time.perf_counter() + timeout
        while True:
            found = pattern.search(screen_text(bytes(self.data[since:])))
            if found:
                return time.perf_counter(), found
            left = deadline - time.perf_counter()
            if left <= 0 or self.eof:
                raise TimeoutError(
                    f"{pattern.pattern!r} not on screen after {timeout:g} s; last output: "
                    f"{screen_text(bytes(self.data[-400:]))!r}"
                )
            self._read(min(left, 0.1))

    def until_quiet(
        self,
        gap: float = QUIET_GAP,
        first: float = KEY_TIMEOUT,
        limit: float = 10.0,
        last: float | None = None,
    ) -> tuple[int, float | None]:
        """Read until no byte has come for ``gap`` s, counting from ``last`` (the time of the
        last byte already read) if given, else waiting up to ``first`` s for a first byte.
        Bytes read and the time the last byte arrived (None if none ever came)."""
        start = time.perf_counter()
        total = 0
        while True:
            now = time.perf_counter()
            if now - start > limit:
                break
            wait = (start + first - now) if last is None else (last + gap - now)
            if wait <= 0:
                break
            n = self._read(wait)
            if n:
                total += n
                last = time.perf_counter()
        return total, last

    def count_for(self, seconds: float) -> int:
        """Bytes read during the next ``seconds`` s."""
        deadline = time.perf_counter() + seconds
        total = 0
        while (left := deadline - time.perf_counter()) > 0:
            total += self._read(left)
        return total

    # acting

    def write(self, data: bytes) -> float:
        """Send keys; the time they were written."""
        os.write(self.fd, data)
        return time.perf_counter()

    def resize(self, cols: int, rows: int) -> None:
        """Change the window size (the kernel sends SIGWINCH to the program)."""
        _set_size(self.fd, cols, rows)

    def peak_rss_mib(self) -> float:
        """The program's peak resident set size so far (VmHWM), in MiB."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        kib = int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1))  # type: ignore[union-attr]
        return kib / 1024

    def close(self) -> None:
        """Quit with ``q``; kill the program if it has not exited after EXIT_TIMEOUT s."""
        try:
            if self.exit_status is None and not self.eof:
                try:
                    os.write(self.fd, QUIT)
                except OSError:
                    pass
            deadline = time.perf_counter() + EXIT_TIMEOUT
            while self.exit_status is None and time.perf_counter() < deadline:
                self._reap()
                if self.exit_status is None:
                    self._read(0.02)  # drain, so the program never blocks writing
            for sig in (signal.SIGTERM, signal.SIGKILL):
                if self.exit_status is not None:
                    break
                self.killed = True
                try:
                    os.kill(self.pid, sig)
                except ProcessLookupError:
                    pass
                deadline = time.perf_counter() + 1.0
                while self.exit_status is None and time.perf_counter() < deadline:
                    self._reap()
                    self._read(0.02)
            if self.exit_status is None:  # SIGKILL cannot be refused: wait for it
                _, status, usage = os.wait4(self.pid, 0)
                self._reaped(status, usage)
        finally:
            os.close(self.fd)

    def _reap(self) -> None:
        pid, status, usage = os.wait4(self.pid, os.WNOHANG)
        if pid:
            self._reaped(status, usage)

    def _reaped(self, status: int, usage: resource.struct_rusage) -> None:
        self.exit_status = status
        self.reaped_cpu_ms = (usage.ru_utime + usage.ru_stime) * 1000


def _set_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


#: The state directories of the tutors a run starts (each its own, empty), removed at exit.
_STATE_ROOT = tempfile.TemporaryDirectory(prefix="backprop-bench-state-")


def child_env() -> dict[str, str]:
    """The environment of a 256-colour xterm without truecolor, and no size overrides; and
    a new, empty state directory, so that every run starts the lesson from its beginning
    (the tutor reopens where the last one left) and none writes into the real home."""
    env = dict(os.environ)
    env["TERM"] = "xterm-256color"
    env["XDG_STATE_HOME"] = tempfile.mkdtemp(dir=_STATE_ROOT.name)
    for key in ("COLORTERM", "COLUMNS", "LINES", "TEXTUAL", "NO_COLOR", "TERM_PROGRAM"):
        env.pop(key, None)
    return env


# --- the runs -------------------------------------------------------------------------------


@dataclass
class TutorRun:
    start_ms: float
    steps: int
    latencies_ms: list[float] = field(default_factory=list)
    header_ms: list[float] = field(default_factory=list)
    step_bytes: list[int] = field(default_factory=list)
    step_full_frames: list[int] = field(default_factory=list)
    repaint_bytes: int = 0
    resize_bytes: int = 0
    peak_rss_mib: float = 0.0
    idle_bytes: int = 0
    killed: bool = False
    settled_ms: float | None = None
    """The settled first screen (None: SETTLED_TEXT never came)."""
    iteration_cpu_ms: float | None = None
    """CPU over the iteration of steps (None: not read)."""
    cpu_source: str = ""
    """Where it was read: schedstat or stat."""
    step_cpu_ms: list[float] = field(default_factory=list)
    idle_cpu_ms: float | None = None
    idle_cpu_pct: float | None = None
    """Idle CPU as a percentage of one core (None: no idle window)."""
    proc_cpu_ms: float | None = None
    """CPU of the whole life so far, read from /proc at the idle window's end."""
    reaped_cpu_ms: float | None = None
    """CPU of the whole life, from the rusage at the reap."""

    @property
    def cpu_per_key_ms(self) -> float | None:
        if self.iteration_cpu_ms is None or not self.steps:
            return None
        return self.iteration_cpu_ms / self.steps


@dataclass
class BareRun:
    start_ms: float
    peak_rss_mib: float
    killed: bool


def run_tutor(argv: Sequence[str], cols: int, rows: int, *, steps: bool = True,
              resting: list[tuple[Session, TutorRun]] | None = None) -> TutorRun:
    """Start the tutor, step through one iteration, repaint, then quit; or, given
    ``resting``, leave it running there for :func:`measure_idle`."""
    session = Session(argv, cols, rows, child_env())
    kept = False
    run: TutorRun | None = None
    try:
        seen, found = session.wait_for(STEP_PATTERN, START_TIMEOUT)
        run = TutorRun((seen - session.spawned) * 1000, int(found.group(1)))
        total = run.steps
        run.settled_ms = settled_start(session)
        session.until_quiet(gap=SETTLE_GAP, first=SETTLE_GAP)
        if not steps:
            return run
        cpu = [read_cpu(session.pid)]
        for k in range(1, total + 1):
            mark = len(session.data)
            n, header, last = step(session, RIGHT, f"step {k} of {total}")
            cpu.append(read_cpu(session.pid))
            run.step_full_frames.append(len(full_frames(bytes(session.data[mark:]), rows)))
            run.header_ms.append(header * 1000)
            run.latencies_ms.append(last * 1000)
            run.step_bytes.append(n)
        samples = [c for c in cpu if c is not None]
        if len(samples) == len(cpu):
            run.iteration_cpu_ms, run.cpu_source = cpu_between(samples[0], samples[-1])
            run.step_cpu_ms = [
                cpu_between(a, b, sched=run.cpu_source == "schedstat")[0]
                for a, b in zip(samples, samples[1:])
            ]
        run.peak_rss_mib = session.peak_rss_mib()
        session.resize(cols + 1, rows)
        session.until_quiet(gap=SETTLE_GAP / 2)
        mark = len(session.data)
        session.resize(cols, rows)
        run.resize_bytes, _, _ = step(session, None, f"step {total} of {total}")
        frames = full_frames(bytes(session.data[mark:]), rows)
        if not frames:
            raise RuntimeError("no full frame found in the output after a resize")
        run.repaint_bytes = frames[0]
        session.until_quiet(gap=SETTLE_GAP / 2)  # the end of the repaint: not counted as idle
        if resting is not None:
            resting.append((session, run))
            kept = True
        return run
    finally:
        if not kept:
            session.close()
            if run is not None:
                run.killed = session.killed
                run.reaped_cpu_ms = session.reaped_cpu_ms


def settled_start(session: Session) -> float | None:
    """ms from the fork until the walkthrough's first screen (SETTLED_TEXT) was on screen
    and its last byte came, no byte following for QUIET_GAP s (that quiet not counted);
    None if the text does not come within SETTLED_TIMEOUT s."""
    try:
        seen, _ = session.wait_for(re.compile(re.escape(SETTLED_TEXT)), SETTLED_TIMEOUT)
    except TimeoutError:
        return None
    session.until_quiet(last=seen)
    last = seen if session.last_read is None else max(seen, session.last_read)
    return (last - session.spawned) * 1000


def measure_idle(resting: list[tuple[Session, TutorRun]], seconds: float) -> None:
    """Count the bytes every resting tutor sends during the same ``seconds`` s, then quit
    them all. Idle bytes do not depend on timing, so resting tutors can share the window
    (and one tutor may rest while another is measured: an idle program uses no CPU)."""
    try:
        cpu = {id(s): (read_cpu(s.pid), time.perf_counter()) for s, _ in resting}
        deadline = time.perf_counter() + seconds
        start = {id(s): len(s.data) for s, _ in resting}
        while (left := deadline - time.perf_counter()) > 0:
            live = [s for s, _ in resting if not s.eof]
            if not live:
                time.sleep(left)
                break
            ready, _, _ = select.select([s.fd for s in live], [], [], left)
            for s in live:
                if s.fd in ready:
                    s._read(0)
        for s, run in resting:
            run.idle_bytes = len(s.data) - start[id(s)]
            before, began = cpu[id(s)]
            after, ended = read_cpu(s.pid), time.perf_counter()
            if before is not None and after is not None:
                run.idle_cpu_ms = cpu_between(before, after)[0]
                if seconds > 0:
                    run.idle_cpu_pct = run.idle_cpu_ms / ((ended - began) * 1000) * 100
                run.proc_cpu_ms = cpu_between(NO_CPU, after)[0]
    finally:
        for s, run in resting:
            s.close()
            run.killed = run.killed or s.killed
            run.reaped_cpu_ms = s.reaped_cpu_ms
        resting.clear()


def step(session: Session, key: bytes | None, header: str) -> tuple[int, float, float]:
    """Send a key (None: only watch) and read the screen update it causes.

    The update is over once the header says ``header`` and then no byte has come for 50 ms:
    waiting for the header as well keeps an update that pauses for more than 50 ms before
    its frame (the app computing) from being cut short and counted in the next step.
    Returns the bytes read, and the seconds until the header was read and until the last byte.
    """
    mark = len(session.data)
    sent = session.write(key) if key is not None else time.perf_counter()
    seen, _ = session.wait_for(re.compile(re.escape(header)), KEY_TIMEOUT, since=mark)
    session.until_quiet(last=seen)
    last = seen if session.last_read is None else max(seen, session.last_read)
    return len(session.data) - mark, seen - sent, last - sent


def run_bare(argv: Sequence[str], cols: int, rows: int) -> BareRun:
    """Start the bare app, wait for its line, quit."""
    session = Session(argv, cols, rows, child_env())
    try:
        seen, _ = session.wait_for(re.compile(re.escape(BARE_TEXT)), START_TIMEOUT)
        start_ms = (seen - session.spawned) * 1000
        session.until_quiet(gap=QUIET_GAP * 4)
        rss = session.peak_rss_mib()
    finally:
        session.close()
    return BareRun(start_ms, rss, session.killed)


# --- statistics and the report ---------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile, linear interpolation between closest ranks (NumPy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


@dataclass
class Figure:
    """One row of the table: per-run values for each size, and the goal they are held to."""

    label: str
    values: dict[str, list[float]] = field(default_factory=dict)
    goal: str = ""
    test: Callable[[float], bool] | None = None
    digits: int = 0

    def cell(self, size: str) -> str:
        vs = self.values.get(size, [])
        if not vs:
            return "-"
        fmt = f"{{:,.{self.digits}f}}"
        med = fmt.format(statistics.median(vs))
        if len(vs) == 1 or min(vs) == max(vs):
            return med
        return f"{med} ({fmt.format(min(vs))}–{fmt.format(max(vs))})"

    def verdict(self, size: str) -> str:
        vs = self.values.get(size, [])
        if self.test is None or not vs:
            return ""
        return "met" if self.test(statistics.median(vs)) else "NOT met"


def size_name(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def report(figures: list[Figure], sizes: list[str], runs: int, idle: float) -> None:
    width = max(len(f.label) for f in figures) + 2
    cells = {(f.label, s): f.cell(s) for f in figures for s in sizes}
    colw = max(24, *(len(c) + 2 for c in cells.values()))
    header = f"{'':<{width}}" + "".join(f"{s:<{colw}}" for s in sizes) + "goal"
    print(header)
    print("-" * (len(header) + 28))
    for f in figures:
        line = f"{f.label:<{width}}" + "".join(f"{cells[(f.label, s)]:<{colw}}" for s in sizes)
        if f.goal:
            marks = ", ".join(f"{s} {f.verdict(s)}" for s in sizes)
            line += f"{f.goal}: {marks}"
        print(line.rstrip())
    print()
    print(f"median (min–max) of {runs} runs; latency until {QUIET_GAP * 1000:.0f} ms without "
          f"output; p95 over one iteration's steps; idle = {idle:g} s without input.")


def detail(runs: dict[str, list[TutorRun]]) -> None:
    """Per step: median latency, bytes and CPU over the runs, for each size; then the start,
    settled start and CPU figures of every run."""
    print()
    sizes = list(runs)
    head = "step " + "".join(
        f"{s + ' ms':>14}{s + ' bytes':>16}{'frames':>8}{'cpu ms':>8}" for s in sizes
    )
    print(head)
    count = min(len(r.latencies_ms) for rs in runs.values() for r in rs)
    for i in range(count):
        row = f"{i + 1:>4} "
        for s in sizes:
            lat = statistics.median(r.latencies_ms[i] for r in runs[s])
            nb = statistics.median(r.step_bytes[i] for r in runs[s])
            frames = statistics.median(r.step_full_frames[i] for r in runs[s])
            cpus = [r.step_cpu_ms[i] for r in runs[s] if len(r.step_cpu_ms) > i]
            cpu = f"{statistics.median(cpus):.2f}" if cpus else "-"
            row += f"{lat:>14.1f}{nb:>16,.0f}{frames:>8g}{cpu:>8}"
        print(row)
    print("(cpu ms: the tutor's CPU from the previous step settled to this one, median)")
    print()

    def ms(value: float | None, digits: int = 1) -> str:
        return "-" if value is None else f"{value:,.{digits}f}"

    print(f"{'run':<4}{'size':<9}{'start ms':>9}{'settled':>9}{'cpu/key':>9}{'source':>11}"
          f"{'idle cpu':>10}{'idle %':>8}{'/proc end':>11}{'reaped':>9}")
    for s in sizes:
        for i, r in enumerate(runs[s], 1):
            print(f"{i:<4}{s:<9}{ms(r.start_ms):>9}{ms(r.settled_ms):>9}"
                  f"{ms(r.cpu_per_key_ms, 2):>9}{r.cpu_source or '-':>11}"
                  f"{ms(r.idle_cpu_ms, 2):>10}{ms(r.idle_cpu_pct, 3):>8}"
                  f"{ms(r.proc_cpu_ms, 0):>11}{ms(r.reaped_cpu_ms, 0):>9}")
    print("(ms; cpu/key: CPU over the iteration / keys; idle cpu: ms in the idle window; "
          "/proc end and reaped: CPU of the whole life before 'q' and at the reap)")


def context_lines(tutor: Sequence[str], bare: Sequence[str]) -> list[str]:
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    return [
        f"python   {platform.python_implementation()} {platform.python_version()}, "
        f"textual {version('textual')}, rich {version('rich')}, numpy {version('numpy')}",
        f"cpus     {cpus} (usable: {usable}), {platform.machine()}, {platform.system()} "
        f"{platform.release()}",
        f"tutor    {' '.join(tutor)}",
        f"bare     {' '.join(bare)}",
        "terminal TERM=xterm-256color, COLORTERM unset, no replies to terminal queries",
        "bytecode engine/ and tui/ compiled before the runs, as pip does for an installed copy"
        + (" (PYTHONDONTWRITEBYTECODE is set: Python would not cache it)"
           if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""),
    ]


def compile_sources() -> None:
    """Byte-compile the tutor's packages, so every run starts as an installed copy does.

    The venv's editable install runs engine/ and tui/ from the checkout, which pip does not
    compile; where PYTHONDONTWRITEBYTECODE is set Python never caches the bytecode either, and
    each start would compile them again (about 20 ms on this machine) while Textual, NumPy and
    the bare app's imports come precompiled from site-packages.
    """
    import compileall

    for package in ("engine", "tui"):
        if not compileall.compile_dir(ROOT / package, quiet=1):
            raise SystemExit(f"could not compile {package}/")


def default_tutor_command() -> list[str]:
    script = Path(sys.executable).parent / "backprop-tutor"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "tui.cli"]


def parse_size(text: str) -> tuple[int, int]:
    cols, _, rows = text.lower().partition("x")
    try:
        size = int(cols), int(rows)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected COLSxROWS, e.g. 80x24, got {text!r}"
        ) from None
    return size


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="timed runs per program (7)")
    parser.add_argument("--quick", action="store_true", help="3 runs")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of rest measured (5)")
    parser.add_argument("--size", type=parse_size, action="append", default=None,
                        help="COLSxROWS, repeatable (80x24 and 200x50)")
    parser.add_argument("--detail", action="store_true", help="latency and bytes of every step")
    parser.add_argument("--command", nargs="+", default=None,
                        help="the tutor command (default: the venv's backprop-tutor)")
    args = parser.parse_args(argv)
    runs = args.runs if args.runs is not None else (3 if args.quick else 7)
    if runs < 1 or args.idle < 0:
        parser.error("--runs must be at least 1 and --idle 0 or more")
    sizes: list[tuple[int, int]] = args.size or list(DEFAULT_SIZES)
    tutor = args.command or default_tutor_command()
    bare = [sys.executable, str(_HERE / "bare_app.py")]

    began = time.perf_counter()
    print("backprop-tutor in a pty against a bare Textual app")
    for line in context_lines(tutor, bare):
        print("  " + line)
    print()

    def progress(text: str) -> None:
        if sys.stderr.isatty():
            print(f"\r\x1b[K{text}", end="", file=sys.stderr, flush=True)
        elif text:
            print(text, file=sys.stderr, flush=True)

    compile_sources()
    progress("warming up ...")
    run_bare(bare, *sizes[0])
    run_tutor(tutor, *sizes[0], steps=False)
    tutor_runs: dict[str, list[TutorRun]] = {size_name(s): [] for s in sizes}
    bare_runs: dict[str, list[BareRun]] = {size_name(s): [] for s in sizes}
    resting: list[tuple[Session, TutorRun]] = []
    try:
        for i in range(runs):
            for size in sizes:
                name = size_name(size)
                progress(f"run {i + 1}/{runs} {name} ...")
                if i % 2 == 0:
                    bare_runs[name].append(run_bare(bare, *size))
                    tutor_runs[name].append(run_tutor(tutor, *size, resting=resting))
                else:
                    tutor_runs[name].append(run_tutor(tutor, *size, resting=resting))
                    bare_runs[name].append(run_bare(bare, *size))
            progress(f"run {i + 1}/{runs} idle {args.idle:g} s ...")
            measure_idle(resting, args.idle)
    finally:
        measure_idle(resting, 0.0)  # after an error: quit whatever still runs
    progress("")

    names = [size_name(s) for s in sizes]

    def per_run(fn: Callable[[TutorRun], float | None]) -> dict[str, list[float]]:
        """A figure of every run, leaving out the runs that lack it (None)."""
        return {n: [v for r in tutor_runs[n] if (v := fn(r)) is not None] for n in names}

    start_ratio = {
        n: [t.start_ms / b.start_ms for t, b in zip(tutor_runs[n], bare_runs[n])] for n in names
    }
    figures = [
        Figure("start, tutor (ms)", per_run(lambda r: r.start_ms)),
        Figure("  settled first screen (ms)", per_run(lambda r: r.settled_ms)),
        Figure("start, bare app (ms)", {n: [b.start_ms for b in bare_runs[n]] for n in names}),
        Figure("start ratio tutor/bare", start_ratio, "<= 1.5", lambda v: v <= 1.5, 2),
        Figure("step latency, median (ms)", per_run(lambda r: statistics.median(r.latencies_ms)),
               "<= 30", lambda v: v <= 30, 1),
        Figure("step latency, p95 (ms)", per_run(lambda r: percentile(r.latencies_ms, 95)),
               "<= 60", lambda v: v <= 60, 1),
        Figure("  header on screen, median (ms)",
               per_run(lambda r: statistics.median(r.header_ms)), digits=1),
        Figure("CPU per key, tutor (ms)", per_run(lambda r: r.cpu_per_key_ms), digits=2),
        Figure("bytes per step (median)", per_run(lambda r: statistics.median(r.step_bytes))),
        Figure("full repaint, one frame (bytes)", per_run(lambda r: r.repaint_bytes)),
        Figure("  full frames per step (mean)",
               per_run(lambda r: statistics.mean(r.step_full_frames)), digits=2),
        Figure("  all bytes after a resize", per_run(lambda r: r.resize_bytes)),
        Figure("bytes per step / full repaint",
               per_run(lambda r: statistics.median(r.step_bytes) / max(r.repaint_bytes, 1)),
               "<= 0.40", lambda v: v <= 0.40, 2),
        Figure("peak RSS, tutor (MiB)", per_run(lambda r: r.peak_rss_mib), "<= 60",
               lambda v: v <= 60, 1),
        Figure("peak RSS, bare app (MiB)",
               {n: [b.peak_rss_mib for b in bare_runs[n]] for n in names}, digits=1),
        Figure(f"idle bytes in {args.idle:g} s", per_run(lambda r: r.idle_bytes), "0",
               lambda v: v == 0),
        Figure(f"idle CPU in {args.idle:g} s (ms)", per_run(lambda r: r.idle_cpu_ms),
               digits=2),
        Figure("  idle CPU (% of a core)", per_run(lambda r: r.idle_cpu_pct), digits=3),
        Figure("CPU, whole run, at reap (ms)", per_run(lambda r: r.reaped_cpu_ms)),
        Figure("  /proc before 'q' (ms)", per_run(lambda r: r.proc_cpu_ms)),
    ]
    steps = {r.steps for rs in tutor_runs.values() for r in rs}
    report(figures, names, runs, args.idle)
    every = [r for rs in tutor_runs.values() for r in rs]
    unsettled = sum(r.settled_ms is None for r in every)
    print(f"settled first screen: {SETTLED_TEXT!r} on screen after the header, then the last "
          f"byte before {QUIET_GAP * 1000:.0f} ms without output (those ms not counted)"
          + (f"; not seen in {unsettled} of {len(every)} runs" if unsettled else ""))
    sources = {src: sum(r.cpu_source == src for r in every) for src in ("schedstat", "stat")}
    print(f"CPU: user + system of the tutor over the iteration / keys, read from /proc "
          f"(schedstat of every thread in {sources['schedstat']} runs, stat ticks of "
          f"1/{os.sysconf('SC_CLK_TCK')} s in {sources['stat']}); idle % = of one core; "
          f"whole run = rusage of os.wait4")
    print(f"steps per iteration: {', '.join(map(str, sorted(steps)))}")
    killed = sum(r.killed for rs in (*tutor_runs.values(), *bare_runs.values()) for r in rs)
    print(f"programs that had to be killed after 'q': {killed}")
    if args.detail:
        detail(tutor_runs)
    print(f"total time {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
