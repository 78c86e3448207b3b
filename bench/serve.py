"""Benchmark: ``backprop-tutor serve`` with a class of simulated learners over SSH (or, with
``--web``, in browsers: websockets to its web front).

Run from the repository root::

    .venv/bin/python bench/serve.py             # 10, 30, 60, 100 learners at 0.5 keys/s and
                                                # 30 at 2 keys/s, 30 s of typing each
    .venv/bin/python bench/serve.py --quick     # a smoke run: 5 learners, 1 key/s, 5 s
    .venv/bin/python bench/serve.py --learners 10,30 --rate 0.5,2 --duration 20 --runs 3
    .venv/bin/python bench/serve.py --web       # the web front: 30 learners at 0.5 keys/s
    .venv/bin/python bench/serve.py --web --quick
    .venv/bin/python bench/serve.py --teacher   # 100 learners at 0.5 keys/s, without and then
                                                # with the teacher's class view open
    .venv/bin/python bench/serve.py --teacher --learners 10 --duration 10

Every scenario (a class of N learners typing R keys/s) starts its own server, as a teacher
does: ``python -m tui.cli serve --lang en --ssh 127.0.0.1:0 --max-sessions N --idle-timeout
30m`` with ``LANG=C.UTF-8``, ``XDG_STATE_HOME`` in a new temporary directory (its host key and
the learners' directories; so every learner starts the lesson at step 0) and that directory as
its working directory. The port is read from its "serving the lesson … on HOST:PORT" line. The
learners are asyncssh clients over loopback in this process, one asyncio loop, no terminal
emulator: each opens a session with a pty (``xterm-256color``, 80x24, ``LANG=en_US.UTF-8``, raw
bytes) as user ``learner001``, ``learner002``, … (no authentication: the name is the label).
A client only counts bytes, notes when they came, and looks for the first screen in the last
8 KiB of its output, escape sequences removed. The server's processes are found by walking
``/proc/*/stat``: every descendant of the server is one of its processes; one that has
descendants of its own, or whose command line says ``forkserver`` (without a terminal of its
own), is a fork server; the others are tutors. What is measured, per scenario:

all first screens
    s from the moment all N connects are started (at once) until every learner's output,
    escape sequences removed, contains ``step 0 of 22`` (the lesson's first screen). The
    server starts at most 4 tutors at once, so a class joining together queues: this is the
    time the last learner waits. A connect that fails before its handshake (the server may
    turn away logins beyond a limit while that many are in progress) is tried again after
    0.25 to 0.75 s, as a learner would type ``ssh`` again, until the join times out (30 s + 2
    s per learner); such refusals are counted. Also the time until every SSH handshake is
    done (``connect`` returned), and per learner the s from its own handshake to its first
    screen (median, max; this includes opening the session and the pty, and the wait in the
    queue).
one learner alone
    the same handshake → first screen for a learner alone on a fresh server: learners connect
    one after the other, each waiting for the one before to be gone; the first of them warms
    the file cache and is not counted (``--alone`` counted, median and range).
key latency
    once every learner has its first screen and the output of all has rested 0.5 s, each
    learner presses → (``ESC [ C``) 22 times then ← (``ESC [ D``) 22 times, and so on (the
    article's lesson has steps 0 to 22; → on the last step draws nothing), R times a second
    on a fixed clock with a random phase per learner, for D seconds, whether or not the last
    key's screen has come (a learner does not wait). A key's latency is the time from its
    write until its output has been quiet for 50 ms: the first bytes that come after the
    write, then 50 ms without a byte; the figure includes those 50 ms (nothing is subtracted;
    the p95 to the last byte, 50 ms less, is shown beneath). The header is not checked (unlike
    bench/tui.py): bytes of an earlier key's update that come just after a write count for the
    new key. A key that has no quiet output within 5 s is a timeout and not in the
    percentiles, but the p95 becomes inf when more than 5 % of keys timed out. p50, p95
    (linear interpolation) and max over every key of every learner.
memory
    PSS (``Pss:`` of /proc/PID/smaps_rollup: each shared page divided among the processes
    that map it, so the tutors' sum is what they cost together) halfway through the typing,
    of every tutor (median and total), the server and the fork server, if any, in MiB.
CPU
    utime + stime (/proc/PID/stat) in CPU seconds: the tutors' whole lives (start included)
    until the learners leave; the server's, the fork server's and this bench's own (the SSH
    clients: key exchange and encryption for every learner, on the same cores) over the run,
    from the moment the connects are started until the learners leave. During the typing
    phase the same as % of one core, to show who uses the machine.
idle CPU per session
    after the typing (and 0.5 s of rest) every learner stays connected without a key for
    ``--idle`` s (10): the tutors' CPU over that window (/proc/PID/task/*/schedstat, in
    nanoseconds: the ticks of /proc/PID/stat are too coarse for it) divided by the number of
    sessions, as % of one core; the server's as well, and the bytes a session received.
disconnect → tutor gone
    every client closes its connection at once; each tutor's pid is then polled in /proc
    every 10 ms until it is gone (a zombie still counts as there; a pid reused by another
    process counts as gone); s from the close until then, median and max.
processes left
    the server is sent SIGTERM (SIGKILL if still running 10 s later); once it has exited,
    how many of the processes ever seen under it are still there (zombies included). The
    one-learner-alone run stops its server with the last learner still connected, so that
    the server has a live session to end.

the web front (``--web``)
    the server is started with ``--web 127.0.0.1:0`` as well (its port read from its "web
    front on HOST:PORT" line), and the learners are aiohttp websocket clients instead, in
    this process, one loop, one ``ClientSession``: each gets the tutor's page
    ``/?name=learner001`` (…), takes the websocket's address (its ticket in the path) from
    the page's ``data-session-websocket-url`` and connects to it with ``?width=80&height=24``
    added, as the page's script does. The server's binary frames are the terminal's bytes
    (counted, timed and searched for the first screen as above; its text frames are not
    terminal output), the server's heartbeat pings are answered, and a key is a JSON text
    frame, ``["stdin", "\\u001b[C"]`` for → (as JSON writes it). Everything is measured as
    for SSH, with these differences: the "handshake" is the websocket open (page fetched,
    upgrade answered); a refused connect is a page or an upgrade that failed with a
    connection error or a 5xx answer (tried again as above); leaving is closing the socket
    (a close frame, as a tab closed); this bench's CPU is then aiohttp's. The default is 30
    learners at 0.5 keys/s (and the one-learner-alone figure); the other options work as
    for SSH.

the teacher's view (``--teacher``)
    every scenario runs twice, on a fresh server each time, first without and then with the
    teacher's class view open (``+teacher``); the one-learner-alone run is left out. Both
    servers are started with ``--teacher teacher --teacher-password-env VAR`` (a random
    password in VAR), so they differ only in the view. In the second, once every learner has
    its first screen, the teacher logs in as ``teacher`` with that password (an asyncssh
    client in this process, pty ``xterm-256color`` 120x40) and its output is fed to a pyte
    screen, the only terminal emulator here. The typing starts once the view shows the row
    of ``learner001`` (the name that sorts first: the first row of the view, sorted by name)
    with a ``k/22`` (after 30 s without it, the lag is not measured, and the bench says what
    the screen showed); the view is connected through the typing and the idle window
    and leaves with the learners. The view's process is the server's descendant whose
    command line mentions ``tui.teacher`` (spawned), else the one whose working directory is
    the server's ``…/teacher`` (forked by the fork server: its command line is the fork
    server's), else the newest that came with the teacher; it is not counted as a tutor in
    the other rows. Also measured:

    * the teacher's lag: every key ``learner001`` sends is noted with the step it leads to
      (0 to 22, as the bench counts); its own screen's ``step k of 22`` header is parsed
      from its output (the only learner whose output is read for more than its first
      screen) to check it got there (keys it did not show within 5 s are counted). The
      view's row of ``learner001`` is parsed from the pyte screen each time bytes have
      changed it: the first ``k/N`` after the name (the step column). A key's lag is the
      time from its write until the view's row changes to the key's step, or to the step
      of a later key already sent (the view may skip a step it was never sent: the snapshots
      come at most 4 times a second); a key the view has not followed within 10 s counts
      as inf (the p95 becomes inf when more than 5 % did). p50, p95 and max; the p95 from
      the moment the learner's own screen showed that step is shown beneath.
    * the ratios, with the teacher / without, of the key p50 and p95 (of all learners) and
      of the server's CPU (typing phase, and the whole run); per run, then the median.
    * the view's process: PSS halfway through the typing, CPU s from its start until the
      learners leave, % of a core while the class types and while it is idle, and the bytes
      a second its output was while the class typed.

The goals (issue 13) are printed beside the figures: key p95 ≤ 150 ms (stated for 100
learners at 0.5 keys/s and 30 at 2 keys/s; judged for every scenario, lighter ones should
meet it too); 60 learners joining at once all have their first screen within 5 s (judged for
N ≤ 60); one learner alone has it ≤ 0.5 s after the handshake; ≤ 25 MiB PSS per session;
≤ 0.1 % of a core per idle session; a tutor gone ≤ 3 s after its learner disconnects (the
max); no process left. With ``--teacher`` (issue 15, stated for 100 learners at 0.5 keys/s
and judged for every scenario): the key p95 with the teacher within 10 % of the one without
(ratio ≤ 1.10), and the teacher's table ≤ 1 s behind the learner (the lag's p95 and its max).
With ``--runs K`` every scenario runs K times and each figure is the
median of the K runs (min–max beside it). For the web front the goals are: key p95 ≤ 150 ms
(stated for 30 learners at 0.5 keys/s; judged for N ≤ 30 with at most those 15 keys/s in
all: lighter ones should meet it too); 30 learners joining at once all have their first
screen within 4 s (judged for N ≤ 30); no process left. The SSH goals for a session (PSS,
idle CPU, disconnect → gone, one learner alone) are shown beside the web's figures too,
marked "SSH's": the web front runs the same sessions and tutors. Every wait has a timeout,
and the server is stopped (SIGTERM, then SIGKILL) whatever happens, Ctrl-C included.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import importlib.util
import json
import math
import os
import platform
import random
import re
import resource
import secrets
import signal
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path

try:
    import asyncssh
except ImportError:  # pragma: no cover - a message instead of a traceback
    raise SystemExit("bench/serve.py needs asyncssh: pip install 'backprop-tutor[serve]'") from None
try:
    import aiohttp
except ImportError:  # pragma: no cover - only --web needs it
    aiohttp = None  # type: ignore[assignment]
try:
    import pyte
except ImportError:  # pragma: no cover - only --teacher needs it
    pyte = None  # type: ignore[assignment]

# bench/ holds a tui.py: when run as a script its folder comes first on sys.path and would
# shadow the real ``tui`` package of the server. Take it out, and put the checkout in.
_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

RIGHT = b"\x1b[C"
LEFT = b"\x1b[D"
QUIET_GAP = 0.05
"""A key's screen update is over once no byte has come for this long (s)."""
KEY_TIMEOUT = 5.0
"""A key whose output is not over this long after it was written is a timeout (s)."""
SETTLE_GAP = 0.5
"""Rest before the typing and before the idle window: every learner's output quiet this long."""
SETTLE_LIMIT = 10.0
LISTEN_TIMEOUT = 60.0
STOP_GRACE = 10.0
"""SIGTERM, then SIGKILL after this long (s)."""
RETRY_DELAY = 0.5
"""A refused connect is tried again after about this long (s, ±50 %)."""
GONE_TIMEOUT = 15.0
GONE_POLL = 0.01
TAIL = 8192
"""Bytes of recent output searched for the first screen."""
TERM_TYPE = "xterm-256color"
TERM_SIZE = (80, 24)
CLIENT_ENV = {"LANG": "en_US.UTF-8"}
FIRST_SCREEN = re.compile(r"step 0 of (\d+)")
HOST = "127.0.0.1"
IDLE_TIMEOUT = "30m"
DEFAULT_SCENARIOS = ((10, 0.5), (30, 0.5), (60, 0.5), (100, 0.5), (30, 2.0))
WEB_DEFAULT_SCENARIOS = ((30, 0.5),)
WEB_SOCKET_URL = re.compile(r'data-session-websocket-url="([^"]+)"')
"""The websocket's address in the tutor's page (the page's script reads it from there)."""
QUICK_SCENARIO = (5, 1.0)
TEACHER_DEFAULT_SCENARIOS = ((100, 0.5),)
TEACHER = "teacher"
"""The teacher's login name (``serve --teacher``)."""
TEACHER_PASSWORD_ENV = "BACKPROP_BENCH_TEACHER_PASSWORD"
TEACHER_SIZE = (120, 40)
WATCHED = "learner001"
"""The learner the teacher's lag is measured for: its name sorts first, its row is the first."""
STEP_HEADER = re.compile(r"step (\d+) of (\d+)")
"""A tutor's header: where the learner is."""
TEACHER_TIMEOUT = 30.0
"""For the teacher's login and for the view to show the watched learner's row (s)."""
LAG_TIMEOUT = 10.0
"""A key the view has not followed this long after it was written: inf (s)."""
HEADER_CARRY = 256
"""Bytes of the watched learner's output searched again with the next bytes (a header may
come in two reads)."""
CLK_TCK = os.sysconf("SC_CLK_TCK")
MIB = 1024 * 1024

# Escape sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ST), and two-byte escapes.
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[@-_]"
)

#: Set on Ctrl-C: the threads that poll /proc stop early.
_STOPPING = threading.Event()


def screen_text(data: bytes) -> str:
    """The printable text of terminal output: escape sequences removed, UTF-8 decoded."""
    return _ESCAPES.sub(b"", data).decode("utf-8", errors="replace")


def listening_pattern(key: str = "serve.listening", catalogue: str = "en_serve",
                      template: str = "serving the lesson {scenario} on {host}:{port}"
                      ) -> re.Pattern[str]:
    """The server's "serving the lesson … on HOST:PORT" line (or message ``key`` of another
    ``catalogue``; ``template`` when it cannot be read) as a regex with a ``port`` group,
    made from the English catalogue (tui/i18n/en_serve.py, loaded by path: nothing else of
    the tutor is imported here)."""
    path = ROOT / "tui" / "i18n" / f"{catalogue}.py"
    with contextlib.suppress(Exception):
        spec = importlib.util.spec_from_file_location(f"bench_{catalogue}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        template = module.MESSAGES[key]
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name == "port":
            parts.append(r"(?P<port>\d+)")
        elif name is not None:
            parts.append(r".+?")
    pattern = re.compile("".join(parts))
    if "port" not in pattern.groupindex:
        raise SystemExit(f"{key} has no {{port}}: {template!r}")
    return pattern


LISTENING = listening_pattern()
WEB_LISTENING = re.compile(listening_pattern("web.listening", "en_web",
                                             "web front on {host}:{port}").pattern + r"\r?\n")
"""The web front's "web front on HOST:PORT" line, to its end (so the port is read whole)."""


# --- /proc -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proc:
    """One line of /proc/PID/stat, the fields used here."""

    pid: int
    ppid: int
    state: str
    tty: int
    ticks: int
    """utime + stime, in clock ticks."""
    start: int
    """Start time in ticks after boot: tells a reused pid apart."""


def read_proc(pid: int) -> Proc | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stream:
            raw = stream.read()
    except OSError:
        return None
    rest = raw.rsplit(b")", 1)[1].split()  # after "pid (comm)": field 3 is rest[0]
    return Proc(pid, int(rest[1]), rest[0].decode(), int(rest[4]), int(rest[11]) + int(rest[12]),
                int(rest[19]))


def process_table() -> dict[int, Proc]:
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (proc := read_proc(int(entry))) is not None:
            table[proc.pid] = proc
    return table


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as stream:
            return stream.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def present(pid: int, start: int) -> bool:
    """The process is still there (a zombie too), not another that took its pid."""
    proc = read_proc(pid)
    return proc is not None and proc.start == start and proc.state != "X"


def cpu_ns(pid: int) -> int | None:
    """CPU time of a process's live threads in ns (schedstat), or from its ticks."""
    total, found = 0, False
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        tasks = []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat", "rb") as stream:
                total += int(stream.read().split()[0])
            found = True
        except (OSError, ValueError, IndexError):
            pass
    if found:
        return total
    proc = read_proc(pid)
    return None if proc is None else proc.ticks * 1_000_000_000 // CLK_TCK


def pss_bytes(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as stream:
            for line in stream:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


@dataclass
class Tree:
    """The server's processes at one moment."""

    when: float
    server: Proc | None
    tutors: list[Proc] = field(default_factory=list)
    helpers: list[Proc] = field(default_factory=list)
    """Fork servers (and anything else that has children of its own)."""
    views: list[Proc] = field(default_factory=list)
    """The teacher's class view (the pids given as such), not a tutor."""


def server_tree(server_pid: int, seen: dict[int, int], views: Iterable[int] = ()) -> Tree:
    """The server and its descendants now; every descendant is added to ``seen`` (pid: start).
    The pids in ``views`` are the teacher's view: in ``views``, not in ``tutors``."""
    views = set(views)
    table = process_table()
    when = time.perf_counter()
    children: dict[int, list[int]] = {}
    for proc in table.values():
        children.setdefault(proc.ppid, []).append(proc.pid)
    server = table.get(server_pid)
    tree = Tree(when, server)
    if server is None:
        return tree
    todo, found = list(children.get(server_pid, [])), []
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    for pid in sorted(found):
        proc = table[pid]
        seen[pid] = proc.start
        own_terminal = proc.tty not in (0, server.tty)
        if pid in views:
            tree.views.append(proc)
        elif children.get(pid) or ("forkserver" in cmdline(pid) and not own_terminal):
            tree.helpers.append(proc)
        else:
            tree.tutors.append(proc)
    return tree


def left_over(seen: dict[int, int]) -> list[int]:
    return [pid for pid, start in seen.items() if present(pid, start)]


def wait_gone(targets: Sequence[tuple[int, int]], since: float, timeout: float) -> list[float]:
    """Poll until every (pid, start) is gone: the s from ``since`` to each one's end (inf for
    one still there after ``timeout``)."""
    gone: dict[int, float] = {}
    deadline = since + timeout
    while len(gone) < len(targets) and not _STOPPING.is_set():
        now = time.perf_counter()
        for pid, start in targets:
            if pid not in gone and not present(pid, start):
                gone[pid] = now - since
        if now > deadline:
            break
        time.sleep(GONE_POLL)
    return [gone.get(pid, math.inf) for pid, _ in targets]


def bench_cpu() -> float:
    """This process's CPU seconds (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- the server ------------------------------------------------------------------------------


class Server:
    """``tui.cli serve`` as a child process in its own session (Ctrl-C does not reach it: it
    is stopped with SIGTERM, as a teacher's service manager would)."""

    running: list[Server] = []

    def __init__(self, state: Path, max_sessions: int, web: bool = False,
                 teacher_password: str | None = None) -> None:
        self.out_path, self.err_path = state / "serve.out", state / "serve.err"
        self.web = web
        self.state_dir = state / "xdg"
        env = dict(os.environ)
        for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
            env.pop(name, None)
        env.update(LANG="C.UTF-8", XDG_STATE_HOME=str(state / "xdg"),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
        self.argv = [sys.executable, "-m", "tui.cli", "serve", "--lang", "en",
                     "--ssh", f"{HOST}:0", "--max-sessions", str(max(1, max_sessions)),
                     "--idle-timeout", IDLE_TIMEOUT]
        if web:
            self.argv += ["--web", f"{HOST}:0"]
        if teacher_password is not None:
            env[TEACHER_PASSWORD_ENV] = teacher_password
            self.argv += ["--teacher", TEACHER, "--teacher-password-env", TEACHER_PASSWORD_ENV]
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.process = subprocess.Popen(self.argv, cwd=state, env=env,
                                            stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                            start_new_session=True)
        self.pid = self.process.pid
        self.stopped: tuple[float, bool, int | None] | None = None
        Server.running.append(self)

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, size: int = 2000) -> str:
        text = ""
        for path in (self.out_path, self.err_path):
            with contextlib.suppress(OSError):
                text += path.read_text(errors="replace")
        return text[-size:]

    async def listening(self) -> int:
        """The port the learners connect to (SSH's, or the web front's), once the server says
        it listens."""
        deadline = time.perf_counter() + LISTEN_TIMEOUT
        while True:
            with contextlib.suppress(OSError):
                text = self.out_path.read_text(errors="replace")
                found = LISTENING.search(text)
                if found and self.web:
                    found = WEB_LISTENING.search(text)
                if found:
                    return int(found["port"])
            if self.process.poll() is not None:
                raise RuntimeError(f"the server ended (status {self.process.returncode}) "
                                   f"before listening:\n{self.log_tail()}")
            if time.perf_counter() > deadline:
                raise RuntimeError(f"the server did not listen within {LISTEN_TIMEOUT:g} s:\n"
                                   f"{self.log_tail()}")
            await asyncio.sleep(0.05)

    async def stop(self) -> tuple[float, bool, int | None]:
        """SIGTERM, SIGKILL after STOP_GRACE s: (s until it exited, killed, exit status)."""
        if self.stopped is not None:
            return self.stopped
        began, killed = time.perf_counter(), False
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
        while self.process.poll() is None and time.perf_counter() - began < STOP_GRACE:
            await asyncio.sleep(0.01)
        if self.process.poll() is None:
            killed = True
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            end = time.perf_counter() + 5
            while self.process.poll() is None and time.perf_counter() < end:
                await asyncio.sleep(0.01)
        self.stopped = (time.perf_counter() - began, killed, self.process.poll())
        if self in Server.running:
            Server.running.remove(self)
        return self.stopped

    @classmethod
    def stop_all_now(cls) -> None:
        """Outside the event loop (after Ctrl-C or an error): stop what still runs."""
        for server in list(cls.running):
            if server.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    server.process.send_signal(signal.SIGTERM)
                try:
                    server.process.wait(STOP_GRACE)
                except subprocess.TimeoutExpired:
                    server.process.kill()
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        server.process.wait(5)
            cls.running.remove(server)


# --- a learner -------------------------------------------------------------------------------


class Learner:
    """One SSH client with a pty session: counts bytes, finds the first screen, types, and
    times every key. (:class:`WebLearner`: the same over the web front.)"""

    #: What a failed write of a key raises.
    WRITE_ERRORS: tuple[type[BaseException], ...] = (OSError, asyncssh.Error, RuntimeError,
                                                     BrokenPipeError)

    def __init__(self, name: str, password: str | None = None,
                 term_size: tuple[int, int] = TERM_SIZE) -> None:
        self.name = name
        self.password = password
        self.term_size = term_size
        self.conn: asyncssh.SSHClientConnection | None = None
        self.process: asyncssh.SSHClientProcess[bytes] | None = None
        self.reader: asyncio.Task[None] | None = None
        self.handshake: float | None = None
        """When ``connect`` returned."""
        self.first: float | None = None
        """When the first screen was read."""
        self.steps = 0
        self.error: str | None = None
        self.bytes = 0
        self.last_byte = 0.0
        self.tail = bytearray()
        self.first_seen = asyncio.Event()
        self.pending: deque[float] = deque()
        """Write times of the keys whose update is not over yet."""
        self.latencies: list[float] = []
        """Write → last byte before 50 ms of quiet, s."""
        self.timeouts = 0
        self.sent = 0
        self.position = 0
        self.direction = 1
        self.refused = 0
        """Connects that failed before the handshake (then tried again)."""
        self.refusal = ""

    async def join(self, port: int, deadline: float, alive: Callable[[], bool]) -> None:
        """Connect (again after RETRY_DELAY while the server refuses, as a learner would
        type ``ssh`` again, until ``deadline`` or the server's end), open the session; the
        reading goes on in a task of its own."""
        try:
            while True:
                try:
                    self.conn = await asyncio.wait_for(asyncssh.connect(
                        HOST, port, username=self.name, password=self.password,
                        known_hosts=None, client_keys=None, agent_path=None, config=None),
                        max(deadline - time.perf_counter(), 0.1))
                    break
                except (OSError, asyncssh.Error) as error:
                    self.refused += 1
                    self.refusal = f"{type(error).__name__}: {error}"
                    if time.perf_counter() + RETRY_DELAY > deadline or not alive():
                        raise
                    await asyncio.sleep(RETRY_DELAY * random.uniform(0.5, 1.5))
            self.handshake = time.perf_counter()
            self.process = await asyncio.wait_for(self.conn.create_process(
                term_type=TERM_TYPE, term_size=self.term_size, encoding=None, env=CLIENT_ENV),
                max(deadline - time.perf_counter(), 0.1))
        except (OSError, asyncssh.Error, asyncio.TimeoutError) as error:
            self.error = f"{type(error).__name__}: {error}"
            self.first_seen.set()
            return
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        assert self.process is not None
        stdout = self.process.stdout
        try:
            while data := await stdout.read(65536):
                self._received(data, time.perf_counter())
        except (OSError, asyncssh.Error) as error:
            self.error = self.error or f"{type(error).__name__}: {error}"
        finally:
            self.first_seen.set()

    def _received(self, data: bytes, now: float) -> None:
        if self.pending and now - self.last_byte >= QUIET_GAP:
            self._resolve(self.last_byte)  # the output was quiet before these bytes came
        self.bytes += len(data)
        self.last_byte = now
        if self.first is None:
            self.tail += data
            del self.tail[:-TAIL]
            found = FIRST_SCREEN.search(screen_text(bytes(self.tail)))
            if found:
                self.first, self.steps = now, int(found[1])
                self.tail = bytearray()
                self.first_seen.set()

    def _resolve(self, last: float) -> None:
        """The output went quiet after a byte read at ``last``: every key written before it
        is answered."""
        while self.pending and self.pending[0] < last:
            latency = last - self.pending.popleft()
            if latency + QUIET_GAP > KEY_TIMEOUT:
                self.timeouts += 1
            else:
                self.latencies.append(latency)

    def sweep(self, now: float) -> None:
        """Settle the keys whose output has been quiet for 50 ms, or never came in time."""
        if self.pending and now - self.last_byte >= QUIET_GAP:
            self._resolve(self.last_byte)
        while self.pending and now - self.pending[0] >= KEY_TIMEOUT:
            self.pending.popleft()
            self.timeouts += 1

    async def press(self) -> None:
        """→ until the last step, then ← back to step 0, and again."""
        if self.position >= self.steps:
            self.direction = -1
        elif self.position <= 0:
            self.direction = 1
        self.position += self.direction
        written = time.perf_counter()
        self.pending.append(written)
        try:
            await self.write(RIGHT if self.direction > 0 else LEFT)
        except self.WRITE_ERRORS as error:
            with contextlib.suppress(ValueError):
                self.pending.remove(written)
            self.error = self.error or f"{type(error).__name__}: {error}"
            return
        self.sent += 1
        self.pressed(written)

    def pressed(self, written: float) -> None:
        """A key was written at ``written`` (after it, ``position`` is the step it leads to)."""
    async def write(self, key: bytes) -> None:
        """Send a key (here at once, without giving way to the loop)."""
        assert self.process is not None
        self.process.stdin.write(key)

    async def type(self, start: float, rate: float, duration: float, phase: float) -> None:
        """Press a key every 1/rate s from ``start + phase`` until ``start + duration``."""
        k = 0
        while (at := start + phase + k / rate) < start + duration:
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            if self.error is not None:
                return
            await self.press()
            k += 1

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    async def closed(self, timeout: float) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.conn.wait_closed(), timeout)
        if self.reader is not None and not self.reader.done():
            self.reader.cancel()
            with contextlib.suppress(BaseException):
                await self.reader


class WebLearner(Learner):
    """A learner in a browser: the tutor's page fetched, its websocket opened with the page's
    size, the binary frames (the terminal's bytes) counted as an SSH session's output, keys
    sent as ``["stdin", text]``. The server's heartbeat pings are answered (autoping)."""

    WRITE_ERRORS = (OSError, RuntimeError, asyncio.TimeoutError,
                    *((aiohttp.ClientError,) if aiohttp else ()))

    def __init__(self, name: str, http: aiohttp.ClientSession) -> None:
        super().__init__(name)
        self.http = http
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.closer: asyncio.Future[None] | None = None

    async def join(self, port: int, deadline: float, alive: Callable[[], bool]) -> None:
        """Get the page and open its websocket (again after RETRY_DELAY while that fails with
        a connection error or a 5xx answer, until ``deadline`` or the server's end); the
        reading goes on in a task of its own."""
        try:
            while True:
                try:
                    self.ws = await asyncio.wait_for(self._open(port),
                                                     max(deadline - time.perf_counter(), 0.1))
                    break
                except (OSError, aiohttp.ClientConnectionError,
                        aiohttp.ClientResponseError) as error:
                    if isinstance(error, aiohttp.ClientResponseError) and error.status < 500:
                        raise
                    self.refused += 1
                    self.refusal = f"{type(error).__name__}: {error}"
                    if time.perf_counter() + RETRY_DELAY > deadline or not alive():
                        raise
                    await asyncio.sleep(RETRY_DELAY * random.uniform(0.5, 1.5))
            self.handshake = time.perf_counter()
        except (OSError, aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            self.error = f"{type(error).__name__}: {error}"
            self.first_seen.set()
            return
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def _open(self, port: int) -> aiohttp.ClientWebSocketResponse:
        """The tutor's page for this learner, then its websocket (as the page's script)."""
        async with self.http.get(f"http://{HOST}:{port}/", params={"name": self.name}) as page:
            page.raise_for_status()
            text = await page.text()
        found = WEB_SOCKET_URL.search(text)
        if found is None:
            raise ValueError(f"no websocket address in the page: {text[:200]!r}")
        url = html.unescape(found[1])
        return await self.http.ws_connect(f"{url}?width={TERM_SIZE[0]}&height={TERM_SIZE[1]}",
                                          autoping=True, max_msg_size=0)

    async def _read(self) -> None:
        ws = self.ws
        assert ws is not None
        try:
            while True:
                msg = await ws.receive()
                if msg.type == aiohttp.WSMsgType.BINARY:
                    self._received(msg.data, time.perf_counter())
                elif msg.type == aiohttp.WSMsgType.ERROR:
                    error = ws.exception()
                    self.error = self.error or f"{type(error).__name__}: {error}"
                    break
                elif msg.type != aiohttp.WSMsgType.TEXT:  # closed (text: the page's own)
                    break
        except (OSError, aiohttp.ClientError, RuntimeError) as error:
            self.error = self.error or f"{type(error).__name__}: {error}"
        finally:
            if self.closer is None and self.error is None:
                self.error = f"the server closed the socket (code {ws.close_code})"
            self.first_seen.set()

    async def write(self, key: bytes) -> None:
        assert self.ws is not None
        await asyncio.wait_for(self.ws.send_str(json.dumps(["stdin", key.decode()])),
                               KEY_TIMEOUT)

    def close(self) -> None:
        """Close the socket (a close frame, then the server's answer: in a task)."""
        if self.ws is not None and self.closer is None:
            self.closer = asyncio.ensure_future(self._close(self.ws))

    @staticmethod
    async def _close(ws: aiohttp.ClientWebSocketResponse) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(ws.close(), 5)

    async def closed(self, timeout: float) -> None:
        if self.closer is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self.closer), timeout)
        if self.reader is not None and not self.reader.done():
            self.reader.cancel()
            with contextlib.suppress(BaseException):
                await self.reader


class WatchedLearner(Learner):
    """The learner whose row the teacher's lag is measured on (SSH): also notes every key it
    sends with the step it leads to, and every step its own header (``step k of 22``) shows."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.keys: list[tuple[float, int]] = []
        """(write time, step the key leads to)."""
        self.headers: list[tuple[float, int]] = []
        """(time, step) each time the header's step changed."""
        self.header_tail = bytearray()

    def pressed(self, written: float) -> None:
        self.keys.append((written, self.position))

    def _received(self, data: bytes, now: float) -> None:
        super()._received(data, now)
        self.header_tail += data
        found = STEP_HEADER.findall(screen_text(bytes(self.header_tail)))
        del self.header_tail[:-HEADER_CARRY]
        if found:
            step = int(found[-1][0])
            if not self.headers or self.headers[-1][1] != step:
                self.headers.append((now, step))


class TeacherView(Learner):
    """The teacher: logged in with the teacher's password, a pty of TEACHER_SIZE, its output
    fed to a pyte screen. Every time bytes change the watched learner's row, the ``k/N`` of
    its step column is read; ``first_seen`` is set when the row first shows one."""

    def __init__(self, password: str, watched: str = WATCHED) -> None:
        super().__init__(TEACHER, password, TEACHER_SIZE)
        assert pyte is not None
        self.screen = pyte.Screen(*TEACHER_SIZE)
        self.stream = pyte.ByteStream(self.screen)
        self.watched = watched
        self.row = re.compile(rf"^\s*{re.escape(watched)}\s.*?(\d+)/(\d+)")
        self.shown: list[tuple[float, int]] = []
        """(time, step) each time the watched row's step changed on the screen."""
        self.total: int | None = None
        self.unreadable = 0
        """Times the watched row was drawn without a ``k/N`` in it."""
        self.feed_errors = 0

    def _received(self, data: bytes, now: float) -> None:
        self.bytes += len(data)
        self.last_byte = now
        try:
            self.stream.feed(data)
        except Exception:  # noqa: BLE001 - pyte on something it cannot parse: note it, go on
            self.feed_errors += 1
        screen = self.screen
        dirty, screen.dirty = sorted(screen.dirty), set()
        for y in dirty:
            if not 0 <= y < screen.lines:
                continue
            line = screen.buffer[y]
            text = "".join(line[x].data for x in range(screen.columns))
            if self.watched not in text:
                continue
            found = self.row.match(text)
            if found is None:
                self.unreadable += 1
                continue
            step, self.total = int(found[1]), int(found[2])
            if not self.shown or self.shown[-1][1] != step:
                self.shown.append((now, step))
            if self.first is None:
                self.first = now
                self.first_seen.set()


def teacher_lags(keys: Sequence[tuple[float, int]], shown: Sequence[tuple[float, int]],
                 headers: Sequence[tuple[float, int]], end: float
                 ) -> tuple[list[float], list[float], int]:
    """For each key (write time, step): the s until the view's row changed to its step, or to
    the step of a later key written by then (inf when neither came within LAG_TIMEOUT, or by
    ``end``); for each key followed, the s from its own header showing the step (within
    KEY_TIMEOUT of the write) to the view showing it; and how many keys the learner's own
    header did not show."""
    lags: list[float] = []
    from_own: list[float] = []
    own_missed = 0
    for i, (written, step) in enumerate(keys):
        seen_at = None
        for when, value in shown:
            if when < written:
                continue
            if when - written > LAG_TIMEOUT:
                break
            if value == step or any(value == later and at <= when
                                    for at, later in keys[i + 1:]):
                seen_at = when
                break
        own = next((when for when, value in headers
                    if written <= when <= written + KEY_TIMEOUT and value == step), None)
        if own is None:
            own_missed += 1
        if seen_at is None:
            if written + LAG_TIMEOUT <= end:
                lags.append(math.inf)
            continue
        lags.append(seen_at - written)
        if own is not None:
            from_own.append(seen_at - own)
    return lags, from_own, own_missed


def find_view(server_pid: int, seen: dict[int, int], before: set[int], teacher_dir: Path
              ) -> tuple[Proc | None, str]:
    """The teacher's view among the server's descendants (``before``: the pids there before
    the teacher came), and how it was found."""
    tree = server_tree(server_pid, seen)
    procs = tree.tutors + tree.helpers
    for proc in procs:
        if "tui.teacher" in cmdline(proc.pid):
            return proc, "command line"
    for proc in procs:
        with contextlib.suppress(OSError):
            if Path(os.readlink(f"/proc/{proc.pid}/cwd")) == teacher_dir:
                return proc, "working directory"
    new = [p for p in tree.tutors if p.pid not in before]
    if new:
        return max(new, key=lambda p: p.start), "newest process"
    return None, "not found"


@dataclass
class Front:
    """How the learners reach the server: SSH, or the web front through ``http``."""

    http: aiohttp.ClientSession | None = None

    @property
    def web(self) -> bool:
        return self.http is not None

    def learner(self, name: str) -> Learner:
        return Learner(name) if self.http is None else WebLearner(name, self.http)


async def settle(learners: Sequence[Learner], gap: float, limit: float) -> None:
    """Wait until no learner has received a byte for ``gap`` s (at most ``limit`` s)."""
    end = time.perf_counter() + limit
    while (now := time.perf_counter()) < end:
        quiet = now - max((lr.last_byte for lr in learners), default=0.0)
        if quiet >= gap:
            return
        await asyncio.sleep(min(gap - quiet, end - now))


# --- statistics ------------------------------------------------------------------------------


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile, linear interpolation between closest ranks (NumPy's default);
    inf when the rank reaches an inf."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    low, high, frac = ordered[lo], ordered[hi], pos - lo
    if frac == 0 or low == high:
        return low
    if math.isinf(high):
        return high
    return low + (high - low) * frac


def median(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.median(values) if values else math.nan


# --- one class -------------------------------------------------------------------------------


async def run_class(n: int, rate: float, duration: float, idle: float, rng: random.Random,
                    say: Callable[[str], None], front: Front, teacher: bool | None = None
                    ) -> dict[str, float]:
    """One scenario on a fresh server: join, type, rest, leave, stop. Its figures. With
    ``teacher`` not None the server takes a teacher (``--teacher``) and ``learner001`` is
    watched; with ``teacher`` True the teacher's view is open from before the typing until
    the learners leave."""
    out: dict[str, float] = {}
    seen: dict[int, int] = {}
    learners: list[Learner] = []
    view: TeacherView | None = None
    view_proc: Proc | None = None
    views: list[int] = []
    password = secrets.token_hex(12) if teacher is not None else None
    with tempfile.TemporaryDirectory(prefix="backprop-bench-serve-") as tmp:
        server = Server(Path(tmp), n, front.web, password)
        try:
            port = await server.listening()
            base = await asyncio.to_thread(server_tree, server.pid, seen)
            bench0 = bench_cpu()

            # Join: every connect started at once.
            say(f"{n} learners joining ...")
            join_timeout = 30.0 + 2.0 * n
            learners = [WatchedLearner(name) if teacher is not None and name == WATCHED
                        else front.learner(name)
                        for name in (f"learner{i:03d}" for i in range(1, n + 1))]
            began = time.perf_counter()

            async def arrive(learner: Learner) -> None:
                await learner.join(port, began + join_timeout, server.alive)
                await learner.first_seen.wait()

            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.gather(*(arrive(lr) for lr in learners)),
                                       join_timeout)
            joined = [lr for lr in learners if lr.first is not None and lr.error is None]
            out["joined"] = len(joined)
            out["refused"] = sum(lr.refused for lr in learners)
            if out["refused"]:
                reasons = {lr.refusal for lr in learners if lr.refused}
                say(f"{out['refused']:.0f} connects refused and tried again: "
                    f"{'; '.join(sorted(reasons))[:200]}")
            handshakes = [lr.handshake for lr in learners if lr.handshake is not None]
            out["handshakes"] = (max(handshakes) - began) if len(handshakes) == n else math.inf
            screens = [lr.first for lr in joined if lr.first is not None]
            out["all_first"] = max(screens) - began if len(screens) == n else math.inf
            firsts = [lr.first - lr.handshake for lr in joined
                      if lr.first is not None and lr.handshake is not None]
            out["hs_first_med"] = median(firsts)
            out["hs_first_max"] = max(firsts, default=math.nan)
            if len(joined) < n:
                errors = {lr.error or "no first screen" for lr in learners if lr not in joined}
                say(f"{n - len(joined)} learners did not join: {'; '.join(sorted(errors))[:300]}")
            if not joined:
                raise RuntimeError(f"no learner got a first screen:\n{server.log_tail()}")

            # The teacher, once the class is in.
            if teacher and password is not None:
                await settle(joined, SETTLE_GAP, SETTLE_LIMIT)
                say(f"the teacher logs in to watch {WATCHED} ...")
                present_before = {p.pid for p in
                                  (await asyncio.to_thread(server_tree, server.pid, seen)).tutors}
                view = TeacherView(password)
                came = time.perf_counter()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(view.join(port, came + TEACHER_TIMEOUT, server.alive),
                                           TEACHER_TIMEOUT)
                    await asyncio.wait_for(view.first_seen.wait(), TEACHER_TIMEOUT)
                if view.first is None:
                    say(f"the teacher's view showed no row of {WATCHED} with a k/N in "
                        f"{TEACHER_TIMEOUT:g} s ({view.error or 'no error'}; {view.bytes} bytes, "
                        f"{view.unreadable} unreadable rows); its lag is not measured. "
                        f"Screen:\n" + "\n".join(line.rstrip() for line in
                                                  view.screen.display[:6]))
                else:
                    out["teacher_first"] = view.first - came
                teacher_dir = (server.state_dir / "backprop-tutor" / TEACHER).resolve()
                how = "not found"
                for _ in range(50):
                    view_proc, how = await asyncio.to_thread(find_view, server.pid, seen,
                                                             present_before, teacher_dir)
                    if view_proc is not None:
                        break
                    await asyncio.sleep(0.1)
                if view_proc is not None:
                    views.append(view_proc.pid)
                    say(f"the teacher's view: pid {view_proc.pid} (by its {how}): "
                        f"{cmdline(view_proc.pid)[:80]!r}")
                else:
                    say("the teacher's view process was not found: its CPU is not measured")

            # Typing.
            await settle(joined, SETTLE_GAP, SETTLE_LIMIT)
            say(f"{n} learners typing {rate:g} keys/s for {duration:g} s"
                f"{' (the teacher watching)' if view is not None else ''} ...")
            before = await asyncio.to_thread(server_tree, server.pid, seen, views)
            bench1 = bench_cpu()
            view_bytes0 = view.bytes if view is not None else 0
            start = time.perf_counter() + 0.05
            typists = [asyncio.ensure_future(lr.type(start, rate, duration,
                                                     rng.uniform(0, 1 / rate)))
                       for lr in joined]

            async def sweeper() -> None:
                while True:
                    await asyncio.sleep(0.01)
                    now = time.perf_counter()
                    for learner in joined:
                        learner.sweep(now)

            async def memory() -> dict[str, float]:
                await asyncio.sleep(max(0.0, start + duration / 2 - time.perf_counter()))
                return await asyncio.to_thread(measure_memory, server.pid, seen, views)

            sweeping = asyncio.ensure_future(sweeper())
            measuring = asyncio.ensure_future(memory())
            try:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(asyncio.gather(*typists), duration + 30)
                end = time.perf_counter() + KEY_TIMEOUT + 0.5
                while any(lr.pending for lr in joined) and time.perf_counter() < end:
                    await asyncio.sleep(0.05)
                typed = time.perf_counter()
                out.update(await asyncio.wait_for(measuring, 60))
            finally:
                for task in (*typists, sweeping, measuring):
                    task.cancel()
            for learner in joined:
                learner.sweep(time.perf_counter() + KEY_TIMEOUT)
            after = await asyncio.to_thread(server_tree, server.pid, seen, views)
            bench2 = bench_cpu()
            view_bytes1 = view.bytes if view is not None else 0
            latencies = [x for lr in joined for x in lr.latencies]
            timeouts = sum(lr.timeouts for lr in joined)
            with_timeouts = [x + QUIET_GAP for x in latencies] + [math.inf] * timeouts
            out["keys"] = sum(lr.sent for lr in joined)
            out["key_p50"] = percentile(with_timeouts, 50) * 1000
            out["key_p95"] = percentile(with_timeouts, 95) * 1000
            out["key_max"] = max((x + QUIET_GAP for x in latencies), default=math.nan) * 1000
            out["key_p95_last"] = percentile(latencies + [math.inf] * timeouts, 95) * 1000
            out["timeouts"] = timeouts
            wall = after.when - before.when
            out["typing_tutors"] = 100 * ticks_between(before.tutors, after.tutors) / wall
            out["typing_server"] = 100 * ticks_between(
                [before.server] if before.server else [],
                [after.server] if after.server else []) / wall
            out["typing_bench"] = 100 * (bench2 - bench1) / wall
            if view is not None:
                out["typing_view"] = (100 * ticks_between(before.views, after.views) / wall
                                      if after.views else math.nan)
                out["view_bytes"] = (view_bytes1 - view_bytes0) / wall
                watched = next((lr for lr in joined if isinstance(lr, WatchedLearner)), None)
                if watched is not None and view.first is not None:
                    # Until the view has followed the last key (at most LAG_TIMEOUT after it).
                    last_key = watched.keys[-1][0] if watched.keys else typed
                    while time.perf_counter() < last_key + LAG_TIMEOUT:
                        lags, _, _ = teacher_lags(watched.keys, view.shown, watched.headers,
                                                  math.inf)
                        if len(lags) == len(watched.keys) and all(map(math.isfinite, lags)):
                            break
                        await asyncio.sleep(0.1)
                    lags, from_own, own_missed = teacher_lags(
                        watched.keys, view.shown, watched.headers, time.perf_counter())
                    out["lag_keys"] = len(watched.keys)
                    out["lag_missed"] = sum(1 for x in lags if math.isinf(x))
                    out["lag_p50"] = percentile(lags, 50)
                    out["lag_p95"] = percentile(lags, 95)
                    out["lag_max"] = max(lags, default=math.nan)
                    out["lag_own_p95"] = percentile(from_own, 95)
                    out["own_missed"] = own_missed
                    if view.unreadable or view.feed_errors or (
                            view.total is not None and view.total != watched.steps):
                        say(f"the view's row of {WATCHED}: {view.unreadable} drawn without a "
                            f"k/N, {view.feed_errors} pyte errors, N = {view.total} "
                            f"(the learner's: {watched.steps})")

            # Idle: everyone connected, nobody typing.
            await settle(joined, SETTLE_GAP, SETTLE_LIMIT)
            say(f"{n} learners idle for {idle:g} s ...")
            rest = await asyncio.to_thread(server_tree, server.pid, seen, views)
            pids = [p.pid for p in rest.tutors]
            view_pids = [p.pid for p in rest.views]
            cpu0 = await asyncio.to_thread(lambda: [cpu_ns(pid) for pid in [server.pid, *pids]])
            view0 = await asyncio.to_thread(lambda: [cpu_ns(pid) for pid in view_pids])
            bytes0, idle0 = sum(lr.bytes for lr in joined), time.perf_counter()
            await asyncio.sleep(idle)
            cpu1 = await asyncio.to_thread(lambda: [cpu_ns(pid) for pid in [server.pid, *pids]])
            view1 = await asyncio.to_thread(lambda: [cpu_ns(pid) for pid in view_pids])
            idle_wall = time.perf_counter() - idle0
            if view_pids and None not in view0 + view1:
                out["idle_view"] = 100 * (sum(view1) - sum(view0)) / 1e9 / idle_wall  # type: ignore[arg-type]
            deltas = [b - a for a, b in zip(cpu0, cpu1) if a is not None and b is not None]
            out["idle_server"] = (100 * deltas[0] / 1e9 / idle_wall
                                  if cpu0[0] is not None and cpu1[0] is not None else math.nan)
            tutor_deltas = [b - a for a, b in zip(cpu0[1:], cpu1[1:])
                            if a is not None and b is not None]
            out["idle_session"] = (100 * sum(tutor_deltas) / 1e9 / idle_wall / len(tutor_deltas)
                                   if tutor_deltas else math.nan)
            out["idle_bytes"] = (sum(lr.bytes for lr in joined) - bytes0) / len(joined)

            # CPU over the run: from the connects until the learners leave.
            last = await asyncio.to_thread(server_tree, server.pid, seen, views)
            bench3 = bench_cpu()
            if last.views:
                out["cpu_view"] = sum(p.ticks for p in last.views) / CLK_TCK
            out["run_s"] = last.when - began
            out["cpu_tutors"] = sum(p.ticks for p in last.tutors) / CLK_TCK
            out["cpu_server"] = ticks_between([base.server] if base.server else [],
                                              [last.server] if last.server else [])
            out["cpu_fork"] = (ticks_between(base.helpers, last.helpers, new_from_zero=True)
                               if last.helpers else math.nan)
            out["cpu_bench"] = bench3 - bench0

            # Leave: every connection closed at once.
            say(f"{n} learners leaving ...")
            targets = [(p.pid, p.start) for p in last.tutors]
            closed_at = time.perf_counter()
            for learner in learners:
                learner.close()
            if view is not None:
                view.close()
            gone = await asyncio.to_thread(wait_gone, targets, closed_at, GONE_TIMEOUT)
            out["gone_med"] = median(gone)
            out["gone_max"] = max(gone, default=math.nan)
            await asyncio.gather(*(lr.closed(5) for lr in learners), return_exceptions=True)
            if view is not None:
                await view.closed(5)

            # Stop.
            await asyncio.to_thread(server_tree, server.pid, seen)
            stop_s, killed, status = await server.stop()
            out["stop_s"] = stop_s
            left = left_over(seen)
            out["left"] = len(left)
            report_stop(say, killed, status, left, server)
        finally:
            for learner in learners:
                learner.close()
            if view is not None:
                view.close()
            await server.stop()
            await asyncio.gather(*(lr.closed(2) for lr in learners), return_exceptions=True)
            if view is not None:
                with contextlib.suppress(Exception):
                    await view.closed(2)
            kill_left(seen)
    return out


def ticks_between(before: Sequence[Proc], after: Sequence[Proc],
                  new_from_zero: bool = False) -> float:
    """CPU seconds used between two looks by the processes seen in both (and, with
    ``new_from_zero``, all of the CPU of those seen only in the second)."""
    earlier = {(p.pid, p.start): p.ticks for p in before}
    total = 0
    for proc in after:
        key = (proc.pid, proc.start)
        if key in earlier:
            total += proc.ticks - earlier[key]
        elif new_from_zero:
            total += proc.ticks
    return total / CLK_TCK


def measure_memory(server_pid: int, seen: dict[int, int], views: Iterable[int] = ()
                   ) -> dict[str, float]:
    """PSS of the tutors, the server, the fork server and the teacher's view, in MiB (run in
    a thread)."""
    tree = server_tree(server_pid, seen, views)
    view = [x for p in tree.views if (x := pss_bytes(p.pid)) is not None]
    tutors = [x for p in tree.tutors if (x := pss_bytes(p.pid)) is not None]
    helpers = [x for p in tree.helpers if (x := pss_bytes(p.pid)) is not None]
    server = pss_bytes(server_pid)
    return {
        "tutors": len(tree.tutors),
        "pss_med": median(tutors) / MIB,
        "pss_total": sum(tutors) / MIB,
        "pss_server": server / MIB if server is not None else math.nan,
        "pss_fork": sum(helpers) / MIB if helpers else math.nan,
        "pss_view": sum(view) / MIB if view else math.nan,
    }


def report_stop(say: Callable[[str], None], killed: bool, status: int | None, left: list[int],
                server: Server) -> None:
    if killed or status != 0:
        say(f"the server {'had to be killed' if killed else f'exited with status {status}'}:"
            f"\n{server.log_tail(600)}")
    if left:
        say(f"{len(left)} processes left after the server stopped: "
            + ", ".join(f"{pid} {cmdline(pid)[:60]!r}" for pid in left[:5]))


def kill_left(seen: dict[int, int]) -> None:
    """SIGKILL whatever of the server's processes outlived it (counted already)."""
    for pid in left_over(seen):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


# --- one learner alone -----------------------------------------------------------------------


async def run_alone(count: int, say: Callable[[str], None], front: Front) -> dict[str, float]:
    """``count`` + 1 learners one after the other on a fresh server (the first warms up, not
    counted); the last stays connected while the server is stopped."""
    out: dict[str, float] = {}
    seen: dict[int, int] = {}
    learners: list[Learner] = []
    with tempfile.TemporaryDirectory(prefix="backprop-bench-serve-") as tmp:
        server = Server(Path(tmp), 2, front.web)
        try:
            port = await server.listening()
            times: list[float] = []
            for i in range(count + 1):
                say(f"one learner alone: {i + 1}/{count + 1} ...")
                learner = front.learner(f"alone{i:03d}")
                learners.append(learner)
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(learner.join(port, time.perf_counter() + 60,
                                                        server.alive), 60)
                    await asyncio.wait_for(learner.first_seen.wait(), 60)
                if learner.first is None or learner.handshake is None:
                    raise RuntimeError(f"{learner.name} got no first screen "
                                       f"({learner.error or 'timeout'}):\n{server.log_tail()}")
                if i > 0:
                    times.append(learner.first - learner.handshake)
                await settle([learner], SETTLE_GAP, SETTLE_LIMIT)
                if i < count:
                    tree = await asyncio.to_thread(server_tree, server.pid, seen)
                    learner.close()
                    await asyncio.to_thread(wait_gone, [(p.pid, p.start) for p in tree.tutors],
                                            time.perf_counter(), GONE_TIMEOUT)
                    await learner.closed(5)
            out["alone_med"] = median(times)
            out["alone_min"] = min(times, default=math.nan)
            out["alone_max"] = max(times, default=math.nan)
            await asyncio.to_thread(server_tree, server.pid, seen)
            stop_s, killed, status = await server.stop()
            left = left_over(seen)
            out["alone_left"] = len(left)
            report_stop(say, killed, status, left, server)
        finally:
            for learner in learners:
                learner.close()
            await server.stop()
            await asyncio.gather(*(lr.closed(2) for lr in learners), return_exceptions=True)
            kill_left(seen)
    return out


# --- the report ------------------------------------------------------------------------------


Scenario = tuple[int, float, bool | None]
"""Learners, keys/s, and the teacher: None (no --teacher), False (a server that takes one,
without), True (the teacher's view open)."""


@dataclass
class Figure:
    """One row: a figure per scenario (median over runs), and the goal it is held to."""

    key: str
    label: str
    digits: int = 0
    goal: str = ""
    test: Callable[[float], bool] | None = None
    applies: Callable[[Scenario], bool] = lambda _s: True

    def cell(self, values: Sequence[float]) -> str:
        values = [v for v in values if not math.isnan(v)]
        if not values:
            return "-"

        def fmt(v: float) -> str:
            return "inf" if math.isinf(v) else f"{v:,.{self.digits}f}"

        med, low, high = fmt(statistics.median(values)), fmt(min(values)), fmt(max(values))
        return med if low == high else f"{med} ({low}–{high})"

    def verdict(self, scenario: Scenario, values: Sequence[float]) -> str:
        values = [v for v in values if not math.isnan(v)]
        if self.test is None or not values or not self.applies(scenario):
            return ""
        return "met" if self.test(statistics.median(values)) else "NOT met"


FIGURES = [
    Figure("joined", "learners with a first screen"),
    Figure("refused", "  connects refused, tried again"),
    Figure("handshakes", "  all SSH handshakes done (s)", 2),
    Figure("all_first", "all first screens (s)", 2, "<= 5 s (N <= 60)", lambda v: v <= 5,
           lambda s: s[0] <= 60),
    Figure("hs_first_med", "  handshake -> first screen, median (s)", 2),
    Figure("hs_first_max", "  handshake -> first screen, max (s)", 2),
    Figure("keys", "keys sent"),
    Figure("key_p50", "key latency p50 (ms)"),
    Figure("key_p95", "key latency p95 (ms)", 0, "<= 150", lambda v: v <= 150),
    Figure("key_max", "key latency max (ms)"),
    Figure("key_p95_last", "  p95 to the last byte (ms)"),
    Figure("timeouts", "keys timed out (no quiet output in 5 s)"),
    Figure("tutors", "tutor processes (mid-run)"),
    Figure("pss_med", "PSS per tutor, median (MiB)", 1, "<= 25", lambda v: v <= 25),
    Figure("pss_total", "PSS, all tutors (MiB)"),
    Figure("pss_server", "PSS, server (MiB)", 1),
    Figure("pss_fork", "PSS, fork server (MiB)", 1),
    Figure("run_s", "run: connects until leaving (s)", 1),
    Figure("cpu_tutors", "CPU s, tutors (their whole lives)", 1),
    Figure("cpu_server", "CPU s, server (run)", 1),
    Figure("cpu_fork", "CPU s, fork server (run)", 1),
    Figure("cpu_bench", "CPU s, this bench: the clients (run)", 1),
    Figure("typing_tutors", "typing: tutors (% of a core)"),
    Figure("typing_server", "typing: server (% of a core)"),
    Figure("typing_bench", "typing: this bench (% of a core)"),
    Figure("idle_session", "idle CPU per session (% of a core)", 3, "<= 0.1", lambda v: v <= 0.1),
    Figure("idle_server", "idle CPU, server (% of a core)", 3),
    Figure("idle_bytes", "idle bytes per session"),
    Figure("gone_med", "disconnect -> tutor gone, median (s)", 2),
    Figure("gone_max", "disconnect -> tutor gone, max (s)", 2, "<= 3", lambda v: v <= 3),
    Figure("left", "processes left after SIGTERM", 0, "0", lambda v: v == 0),
    Figure("stop_s", "  server exit after SIGTERM (s)", 2),
]

#: The web front's rows where they differ from SSH's: its own goals (issue 13: 30 learners,
#: key p95 <= 150 ms at 0.5 keys/s, 30 joining at once drawn within 4 s, no process left),
#: and SSH's goals for a session marked as such (the same sessions and tutors).
WEB_FIGURES = {
    "handshakes": {"label": "  all websockets open (s)"},
    "all_first": {"goal": "<= 4 s (N <= 30)", "test": lambda v: v <= 4,
                  "applies": lambda s: s[0] <= 30},
    "hs_first_med": {"label": "  websocket open -> first screen, median (s)"},
    "hs_first_max": {"label": "  websocket open -> first screen, max (s)"},
    "key_p95": {"goal": "<= 150 (N <= 30, N x rate <= 15 keys/s)",
                "applies": lambda s: s[0] <= 30 and s[0] * s[1] <= 15},
    "pss_med": {"goal": "<= 25 (SSH's)"},
    "idle_session": {"goal": "<= 0.1 (SSH's)"},
    "gone_max": {"goal": "<= 3 (SSH's)"},
}


#: ``--teacher``'s rows, each put after the row of the key it is listed under.
TEACHER_FIGURES = {
    "key_p95": [
        Figure("key_p50_ratio", "  key p50, with the teacher / without", 2),
        Figure("key_p95_ratio", "  key p95, with the teacher / without", 2,
               "<= 1.10 (within 10 %)", lambda v: v <= 1.10),
    ],
    "timeouts": [
        Figure("teacher_first", "teacher: login -> learner001's row shown (s)", 2),
        Figure("lag_keys", "teacher lag: learner001's keys"),
        Figure("lag_p50", "teacher lag, key -> its step in the view, p50 (s)", 2),
        Figure("lag_p95", "teacher lag, key -> its step in the view, p95 (s)", 2, "<= 1",
               lambda v: v <= 1),
        Figure("lag_max", "teacher lag, key -> its step in the view, max (s)", 2, "<= 1",
               lambda v: v <= 1),
        Figure("lag_own_p95", "  from learner001's own screen, p95 (s)", 2),
        Figure("lag_missed", "  keys the view did not follow (10 s)"),
        Figure("own_missed", "  keys learner001's own header did not show (5 s)"),
        Figure("view_bytes", "  teacher's output while typing (bytes/s)"),
    ],
    "pss_fork": [Figure("pss_view", "PSS, teacher view (MiB)", 1)],
    "cpu_fork": [Figure("cpu_view", "CPU s, teacher view (its life until leaving)", 1)],
    "typing_bench": [
        Figure("typing_view", "typing: teacher view (% of a core)"),
        Figure("typing_server_ratio", "typing: server CPU, with the teacher / without", 2),
        Figure("cpu_server_ratio", "CPU s, server (run), with the teacher / without", 2),
    ],
    "idle_server": [Figure("idle_view", "idle CPU, teacher view (% of a core)", 3)],
}
#: The ratios, with the teacher / without: (key, the figure divided).
TEACHER_RATIOS = (("key_p50_ratio", "key_p50"), ("key_p95_ratio", "key_p95"),
                  ("typing_server_ratio", "typing_server"), ("cpu_server_ratio", "cpu_server"))


def figures(web: bool, teacher: bool = False) -> list[Figure]:
    """The rows, for SSH or for the web front (with ``--teacher``'s)."""
    rows = FIGURES if not web else [
        replace(f, **WEB_FIGURES.get(f.key, {})) for f in FIGURES]  # type: ignore[arg-type]
    if teacher:
        rows = [row for f in rows for row in (f, *TEACHER_FIGURES.get(f.key, []))]
    return rows


def scenario_name(scenario: Scenario) -> str:
    return f"{scenario[0]}@{scenario[1]:g}/s" + (" +teacher" if scenario[2] else "")


def report(results: dict[Scenario, list[dict[str, float]]], alone: list[dict[str, float]],
           runs: int, duration: float, idle: float, web: bool = False) -> None:
    scenarios = list(results)
    names = [scenario_name(s) for s in scenarios]
    teacher = any(s[2] is not None for s in scenarios)
    rows = figures(web, teacher)

    def values(key: str, scenario: Scenario) -> list[float]:
        return [r.get(key, math.nan) for r in results[scenario]]

    width = max(len(f.label) for f in rows) + 2
    cells = {(f.key, s): f.cell(values(f.key, s)) for f in rows for s in scenarios}
    colw = max(12, *(len(c) + 2 for c in cells.values()), *(len(n) + 2 for n in names))
    corner = "web: learners @ keys/s" if web else "learners @ keys/s"
    header = f"{corner:<{width}}" + "".join(f"{n:>{colw}}" for n in names)
    header += "   goal"
    print(header)
    print("-" * len(header))
    for f in rows:
        line = f"{f.label:<{width}}" + "".join(f"{cells[(f.key, s)]:>{colw}}" for s in scenarios)
        if f.goal:
            marks = [f"{scenario_name(s)} {v}" for s in scenarios
                     if (v := f.verdict(s, values(f.key, s)))]
            line += f"   {f.goal}: {', '.join(marks) if marks else '-'}"
        print(line.rstrip())
    print()
    if teacher:
        print(f"the teacher: {TEACHER}@, pty {TERM_TYPE} {TEACHER_SIZE[0]}x{TEACHER_SIZE[1]} "
              f"read by pyte; lag = a key of {WATCHED} written until the view's row of "
              f"{WATCHED} shows its step (or a later key's); a ratio is per run, with the "
              f"teacher / without, and its median over the runs.")
    if not alone:
        print(f"median (min–max) of {runs} run{'s' if runs > 1 else ''}; {duration:g} s of "
              f"typing, {idle:g} s idle; key latency = write until {QUIET_GAP * 1000:.0f} ms "
              f"without output (the 50 ms included), timeout {KEY_TIMEOUT:g} s; MiB = 2^20 "
              f"bytes.")
        return
    lone = Figure("alone_med", "", 2, "<= 0.5", lambda v: v <= 0.5)
    meds = [a["alone_med"] for a in alone]
    spread = (f" (counted learners: {min(a['alone_min'] for a in alone):.2f}–"
              f"{max(a['alone_max'] for a in alone):.2f})")
    if web:
        print(f"one learner alone (web), websocket open -> first screen (s): {lone.cell(meds)}"
              f"{spread}   goal <= 0.5 s (SSH's): {lone.verdict((1, 0, None), meds)}")
    else:
        print(f"one learner alone, handshake -> first screen (s): {lone.cell(meds)}{spread}"
              f"   goal <= 0.5 s: {lone.verdict((1, 0, None), meds)}")
    left = Figure("alone_left", "", 0, "0", lambda v: v == 0)
    lefts = [a["alone_left"] for a in alone]
    print(f"processes left after SIGTERM with a learner connected{' (web)' if web else ''}: "
          f"{left.cell(lefts)}"
          f"   goal 0: {left.verdict((1, 0, None), lefts)}")
    print()
    print(f"median (min–max) of {runs} run{'s' if runs > 1 else ''}; {duration:g} s of typing, "
          f"{idle:g} s idle; key latency = write until {QUIET_GAP * 1000:.0f} ms without output "
          f"(the 50 ms included), timeout {KEY_TIMEOUT:g} s; MiB = 2^20 bytes.")


# --- main ------------------------------------------------------------------------------------


def context_lines(web: bool = False, teacher: bool = False) -> list[str]:
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    model = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError, IndexError, ValueError):
        info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
        kib_per_gib = 1024 * 1024
        memory = (f"{int(info['MemTotal'].split()[0]) / kib_per_gib:.1f} GiB, "
                  f"{int(info['MemAvailable'].split()[0]) / kib_per_gib:.1f} GiB available")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    if web:
        return [
            f"machine  {cpus} cpus (usable: {usable}), {model}, {platform.machine()}, "
            f"{platform.system()} {platform.release()}",
            f"memory   {memory}",
            f"load     {load} (1, 5, 15 min, before the run)",
            f"python   {platform.python_implementation()} {platform.python_version()}, aiohttp "
            f"{version('aiohttp')}, textual {version('textual')}, textual-serve "
            f"{version('textual-serve')}",
            f"server   python -m tui.cli serve --lang en --ssh {HOST}:0 --web {HOST}:0 "
            f"--max-sessions N --idle-timeout {IDLE_TIMEOUT} (LANG=C.UTF-8, fresh "
            f"XDG_STATE_HOME)",
            f"clients  aiohttp websockets in this process, one loop, one ClientSession; page "
            f"/?name=learnerNNN, socket ?width={TERM_SIZE[0]}&height={TERM_SIZE[1]}, keys as "
            f"[\"stdin\", ...] text frames",
        ]
    lines = [
        f"machine  {cpus} cpus (usable: {usable}), {model}, {platform.machine()}, "
        f"{platform.system()} {platform.release()}",
        f"memory   {memory}",
        f"load     {load} (1, 5, 15 min, before the run)",
        f"python   {platform.python_implementation()} {platform.python_version()}, asyncssh "
        f"{version('asyncssh')}, textual {version('textual')}"
        + (f", pyte {version('pyte')}" if teacher else ""),
        f"server   python -m tui.cli serve --lang en --ssh {HOST}:0 --max-sessions N "
        f"--idle-timeout {IDLE_TIMEOUT} (LANG=C.UTF-8, fresh XDG_STATE_HOME)"
        + (f" --teacher {TEACHER} --teacher-password-env VAR" if teacher else ""),
        f"clients  asyncssh in this process, one loop; pty {TERM_TYPE} "
        f"{TERM_SIZE[0]}x{TERM_SIZE[1]}, LANG={CLIENT_ENV['LANG']}",
    ]
    if teacher:
        lines.append(f"teacher  {TEACHER}@ with the password, asyncssh in the same loop; pty "
                     f"{TEACHER_SIZE[0]}x{TEACHER_SIZE[1]} fed to a pyte screen")
    return lines


def number_list(kind: Callable[[str], float]) -> Callable[[str], list[float]]:
    def parse(text: str) -> list[float]:
        try:
            values = [kind(part) for part in text.split(",") if part.strip()]
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected numbers like 10,30, got {text!r}") from None
        if not values or any(v <= 0 for v in values):
            raise argparse.ArgumentTypeError(f"expected numbers above 0, got {text!r}")
        return values
    return parse


async def bench(scenarios: Sequence[Scenario], runs: int, duration: float, idle: float,
                alone_count: int, seed: int, say: Callable[[str], None], web: bool = False
                ) -> tuple[list[dict[str, float]], dict[Scenario, list[dict[str, float]]]]:
    if not web:
        return await bench_with(Front(), scenarios, runs, duration, idle, alone_count, seed, say)
    # One HTTP client for every learner of every run, with no limit to its connections (a
    # websocket holds one for as long as it is open).
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        return await bench_with(Front(http), scenarios, runs, duration, idle, alone_count, seed,
                                say)


async def bench_with(front: Front, scenarios: Sequence[Scenario], runs: int, duration: float,
                     idle: float, alone_count: int, seed: int, say: Callable[[str], None]
                     ) -> tuple[list[dict[str, float]], dict[Scenario, list[dict[str, float]]]]:
    rng = random.Random(seed)
    alone: list[dict[str, float]] = []
    results: dict[Scenario, list[dict[str, float]]] = {s: [] for s in scenarios}
    for run in range(runs):
        prefix = f"run {run + 1}/{runs}: " if runs > 1 else ""

        def tell(text: str, prefix: str = prefix) -> None:
            say(prefix + text)

        if alone_count > 0:
            alone.append(await run_alone(alone_count, tell, front))
        for n, rate, teacher in scenarios:
            results[(n, rate, teacher)].append(
                await run_class(n, rate, duration, idle, rng, tell, front, teacher))
            without = results.get((n, rate, False))
            if teacher and without and len(without) > run:
                ours, theirs = results[(n, rate, teacher)][run], without[run]
                for key, of in TEACHER_RATIOS:
                    a, b = ours.get(of, math.nan), theirs.get(of, math.nan)
                    ours[key] = a / b if b and math.isfinite(b) else math.nan
    return alone, results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--learners", type=number_list(int), default=None,
                        help="class sizes, e.g. 10,30,60,100 (default: the issue's set)")
    parser.add_argument("--rate", type=number_list(float), default=None,
                        help="keys per second per learner, e.g. 0.5 or 0.5,2 (default 0.5)")
    parser.add_argument("--duration", type=float, default=None,
                        help="seconds of typing per scenario (30; --quick 5)")
    parser.add_argument("--idle", type=float, default=None,
                        help="seconds every learner rests, connected (10; --quick 3)")
    parser.add_argument("--runs", type=int, default=1, help="runs of every scenario (1)")
    parser.add_argument("--alone", type=int, default=None,
                        help="learners timed alone, after one warm-up (5; --quick 2)")
    parser.add_argument("--seed", type=int, default=1, help="of the learners' phases (1)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 5 learners at 1 key/s for 5 s")
    parser.add_argument("--web", action="store_true",
                        help="learners in browsers: websockets to the web front (serve --web); "
                        "default 30 learners at 0.5 keys/s")
    parser.add_argument("--teacher", action="store_true",
                        help="every scenario without and then with the teacher's class view "
                        "open (serve --teacher): the learners' key latency, the view's lag "
                        "and CPU; default 100 learners at 0.5 keys/s")
    args = parser.parse_args(argv)
    if args.web and aiohttp is None:
        raise SystemExit("bench/serve.py --web needs aiohttp: pip install 'backprop-tutor[serve]'")
    if args.teacher and args.web:
        parser.error("--teacher is for SSH learners (the teacher's view is SSH only): "
                     "leave out --web")
    if args.teacher and pyte is None:
        raise SystemExit("bench/serve.py --teacher needs pyte: pip install pyte")
    duration = args.duration if args.duration is not None else (5.0 if args.quick else 30.0)
    idle = args.idle if args.idle is not None else (3.0 if args.quick else 10.0)
    alone_count = args.alone if args.alone is not None else (2 if args.quick else 5)
    defaults = (TEACHER_DEFAULT_SCENARIOS if args.teacher else WEB_DEFAULT_SCENARIOS if args.web
                else DEFAULT_SCENARIOS)
    if args.learners is not None or args.rate is not None:
        sizes = args.learners or [n for n, _ in (defaults if args.web or args.teacher
                                                 else DEFAULT_SCENARIOS[:4])]
        rates = args.rate or [0.5]
        pairs = [(int(n), r) for r in rates for n in sizes]
    elif args.quick:
        pairs = [QUICK_SCENARIO]
    else:
        pairs = list(defaults)
    if args.runs < 1 or duration <= 0 or idle <= 0 or alone_count < 1:
        parser.error("--runs and --alone must be at least 1, --duration and --idle above 0")
    scenarios: list[Scenario] = [
        (n, r, teacher) for n, r in pairs
        for teacher in ((False, True) if args.teacher else (None,))]
    if args.teacher:
        alone_count = 0  # the one-learner-alone run is left out

    began = time.perf_counter()
    if args.web:
        print("backprop-tutor serve --web: a class of simulated learners in browsers "
              "(websockets to the web front)")
    elif args.teacher:
        print("backprop-tutor serve --teacher: a class of simulated learners over SSH, "
              "without and with the teacher's class view")
    else:
        print("backprop-tutor serve: a class of simulated learners over SSH")
    for line in context_lines(args.web, args.teacher):
        print("  " + line)
    print("  scenarios " + ", ".join(f"{n} learners at {r:g} keys/s"
                                     + (" with the teacher" if t else " without" if t is False
                                        else "")
                                     for n, r, t in scenarios)
          + f"; {duration:g} s typing, {idle:g} s idle, {args.runs} run(s)")
    print(flush=True)

    def say(text: str) -> None:
        stamp = f"[{time.perf_counter() - began:6.1f} s] "
        if sys.stderr.isatty():
            print(f"\r\x1b[K{stamp}{text}", end="" if "\n" not in text else "\n",
                  file=sys.stderr, flush=True)
        else:
            print(stamp + text, file=sys.stderr, flush=True)

    try:
        alone, results = asyncio.run(bench(scenarios, args.runs, duration, idle, alone_count,
                                           args.seed, say, args.web))
    except KeyboardInterrupt:
        _STOPPING.set()
        print("\ninterrupted", file=sys.stderr)
        return 130
    except RuntimeError as error:
        print(f"\nbench/serve.py: {error}", file=sys.stderr)
        return 1
    finally:
        _STOPPING.set()
        Server.stop_all_now()
        if sys.stderr.isatty():
            print("\r\x1b[K", end="", file=sys.stderr, flush=True)
    report(results, alone, args.runs, duration, idle, args.web)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average after the run: {load}; total time {time.perf_counter() - began:.0f} s")
    left = sum(r.get("left", 0) for rs in results.values() for r in rs) + sum(
        a.get("alone_left", 0) for a in alone)
    if left:
        print(f"FAILED: {left:.0f} processes outlived their server (killed since)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
