"""The class survives the server being killed (issue 15): after ``serve`` is killed with
SIGKILL and started again on the same ``--db``, the teacher's view shows the same steps and
scores, and a learner who connects again resumes where they were.

The real command, in a process of its own, with real tutors (the fork server's) and the real
class view. A server killed so leaves its fork server and tutors to the nearest reaper of
orphans: here that is a small wrapper process (``_REAPER``, a child subreaper) started
between the test and the server, since this machine's init may never reap them, and a
zombie is a process still there to the check that none is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import asyncssh

from tests.fresh_python import ROOT
from tests.serve_tests.conftest import LOOPBACK, RIGHT, Terminal, wait_gone

TEACHER, SECRET = "teach", "chalk-and-talk"
PASSWORD_ENV = "BACKPROP_TUTOR_TEST_TEACHER_PASSWORD"
#: Generous: the server imports everything and its fork server preloads the tutor.
START_TIMEOUT = 60.0
#: From SIGKILL to no process of the server's left: the tutors, told by SIGHUP that their
#: parent has gone, write their learner's place and end within a second (tui/ending.py).
GONE_TIMEOUT = 5.0
#: The records are committed every half second; on a loaded machine allow more.
COMMITTED_TIMEOUT = 10.0
ENTER = b"\r"

#: ``python -c _REAPER COMMAND...``: runs COMMAND as its child, adopts (as a child subreaper)
#: every process COMMAND leaves behind when it dies, reaps them all, and exits 0 once none is
#: left; if this test process dies first, SIGTERM (PR_SET_PDEATHSIG) ends it, and it passes
#: SIGTERM on to COMMAND.
_REAPER = """
import ctypes, os, signal, subprocess, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
    sys.exit(f"no subreaper: errno {ctypes.get_errno()}")
libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
command = subprocess.Popen(sys.argv[1:])
signal.signal(signal.SIGTERM, lambda *_: os.kill(command.pid, signal.SIGTERM))
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
"""


def _stat(pid: int) -> list[bytes]:
    with open(f"/proc/{pid}/stat", "rb") as stream:
        return stream.read().rsplit(b")", 1)[1].split()


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` now (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(_stat(int(entry))[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == pid:
                found.append(int(entry))
    return found


def _descendants(pid: int) -> list[int]:
    """Every process under ``pid`` (children, theirs, ...), breadth first."""
    found, level = [], [pid]
    for _ in range(16):  # the server -> the fork server -> tutors: three levels deep
        level = [child for parent in level for child in _children(parent)]
        if not level:
            break
        found += level
    return found


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as stream:
            return stream.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


async def _until(check: Callable[[], bool], timeout: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, f"{what}: not within {timeout} s"
        await asyncio.sleep(0.05)


@dataclass
class Served:
    """``serve`` running under the reaper: its pid, and the port it listens on."""

    reaper: asyncio.subprocess.Process
    pid: int
    port: int
    errors: IO[bytes]
    said: list[str] = field(default_factory=list)

    def family(self) -> list[int]:
        """Every process the server has started (its fork server, the fork server's
        tutors and class views)."""
        return _descendants(self.pid)

    async def ended(self, timeout: float = 30) -> int:
        """The reaper's exit status, once it has reaped the server and everything the
        server left (and its output is read to the end)."""
        await asyncio.wait_for(self.reaper.communicate(), timeout)
        assert self.reaper.returncode is not None
        return self.reaper.returncode


@contextlib.asynccontextmanager
async def _serving(tmp_path: Path, run: int) -> AsyncIterator[Served]:
    """``backprop-tutor serve`` on 127.0.0.1 (a free port), its state and records file in
    ``tmp_path``, with the teacher's view; whatever happens, no process of it is left at
    the end."""
    state = tmp_path / "state"
    state.mkdir(exist_ok=True)
    env = {**os.environ, "XDG_STATE_HOME": str(state), "LANG": "C.UTF-8",
           "PYTHONPATH": str(ROOT), PASSWORD_ENV: SECRET}
    command = [sys.executable, "-m", "tui.cli", "serve", "--ssh", f"{LOOPBACK}:0",
               "--db", str(tmp_path / "class.sqlite3"), "--teacher", TEACHER,
               "--teacher-password-env", PASSWORD_ENV]
    errors = open(tmp_path / f"serve-{run}.err", "wb")  # noqa: SIM115 - closed below
    reaper = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _REAPER, *command, cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=errors)
    served: Served | None = None
    try:
        assert reaper.stdout is not None
        lines: list[str] = []
        while not any("ssh -p" in line for line in lines):
            line = await asyncio.wait_for(reaper.stdout.readline(), START_TIMEOUT)
            assert line, f"serve ended: {lines} {(tmp_path / f'serve-{run}.err').read_text()}"
            lines.append(line.decode())
        port = int(re.search(r"ssh -p (\d+) NAME@", "".join(lines)).group(1))  # type: ignore[union-attr]
        [pid] = _children(reaper.pid)
        assert "tui.cli serve" in _cmdline(pid)
        served = Served(reaper, pid, port, errors, lines)
        yield served
    finally:
        if reaper.returncode is None:
            # Never leave a process behind, even when the test failed: everything under the
            # reaper killed, then the reaper (which reaps them) waited for.
            for pid in reversed(_descendants(reaper.pid)):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(reaper.communicate(), 10)
            if reaper.returncode is None:
                reaper.kill()
                await asyncio.wait_for(reaper.wait(), 10)
        errors.close()


@contextlib.asynccontextmanager
async def _terminal(served: Served, user: str, password: str | None = None,
                    cols: int = 100, rows: int = 30) -> AsyncIterator[Terminal]:
    """An SSH session with a pty on the served class."""
    conn = await asyncio.wait_for(asyncssh.connect(
        LOOPBACK, served.port, username=user, password=password, known_hosts=None,
        client_keys=None, agent_path=None, config=None), 15)
    try:
        yield await Terminal(conn, cols, rows).open()
    finally:
        conn.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(conn.wait_closed(), 10)


async def _step_to(term: Terminal, step: int) -> None:
    """Step the lesson on to ``step``, one key at a time, each seen on the screen."""
    for k in range(1, step + 1):
        term.press(RIGHT)
        await term.wait_for(f"step {k} of 22")


async def _answer(term: Terminal, step: int, answer: bytes) -> None:
    """With the quiz on, step on to ``step``: its question, answered (nothing: revealed)."""
    term.press(RIGHT)
    await term.wait_for("= ?")
    term.press(answer + ENTER)
    await _until(lambda: "= ?" not in term.text and f"step {step} of 22" in term.text, 20,
                 f"step {step} answered:\n{term.text}")


def _committed(db: Path) -> tuple[dict[str, int], dict[str, list[str]], list[str]]:
    """What the records file holds now, as a teacher's script reads it: each learner's
    step, their answers' outcomes, and who has a last key."""
    reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        steps = dict(reader.execute("SELECT learner, step FROM places").fetchall())
        keyed = [row[0] for row in reader.execute(
            "SELECT id FROM learners WHERE last_key IS NOT NULL ORDER BY id")]
        outcomes: dict[str, list[str]] = {}
        for learner, outcome in reader.execute(
                "SELECT learner, outcome FROM answers ORDER BY id"):
            outcomes.setdefault(learner, []).append(outcome)
        return steps, outcomes, keyed
    finally:
        reader.close()


def _row(view: Terminal, name: str) -> str:
    """The class view's line for ``name``."""
    rows = [line for line in view.screen.display if re.match(rf"\s*{name}\s", line)]
    return rows[0] if len(rows) == 1 else ""


async def test_a_killed_server_comes_back_with_the_class(tmp_path: Path) -> None:
    db = tmp_path / "class.sqlite3"
    # ann steps to 7 (her tutor writes her place every few moves, SAVE_EVERY in tui/app.py:
    # the last moves are in no file yet when the server is killed); bob turns the quiz on
    # and answers three steps: right, revealed, wrong.
    expected_steps = {"ann": 7, "bob": 3}
    async with _serving(tmp_path, 1) as served:
        async with _terminal(served, "ann") as ann, _terminal(served, "bob") as bob:
            await ann.wait_for("step 0 of 22")
            await bob.wait_for("step 0 of 22")
            await _step_to(ann, 7)
            bob.press(b"k")
            for k, answer in ((1, b"1"), (2, b""), (3, b"3")):
                await _answer(bob, k, answer)
            async with _terminal(served, TEACHER, SECRET, cols=120) as view:
                await _until(lambda: "7/22" in _row(view, "ann") and
                             "3/22" in _row(view, "bob") and "1/2" in _row(view, "bob"),
                             20, f"the class in the view:\n{view.text}")
                await view.wait_for("2 learners", "2 connected")
                seen = {name: _row(view, name) for name in ("ann", "bob")}
                # What the view shows is in the file (committed every half second).
                await _until(lambda: _committed(db) == (expected_steps, {
                    "bob": ["right", "revealed", "wrong"]}, ["ann", "bob"]),
                    COMMITTED_TIMEOUT, "the records committed")
                [fork_server] = _children(served.pid)
                assert "tui.serve.forkserver" in _cmdline(fork_server)
                family = served.family()
                assert len(family) == 4, family  # the fork server, two tutors, the view
                os.kill(served.pid, signal.SIGKILL)
                # Every process the server started ends, at once, reaped by the reaper.
                assert await wait_gone([served.pid, *family], GONE_TIMEOUT) == []
                assert await served.ended(10) == 0
                await _lost(view)
            for term in (ann, bob):  # their connections went with the server
                await _lost(term)

    async with _serving(tmp_path, 2) as served:
        async with _terminal(served, TEACHER, SECRET, cols=120) as view:
            await _until(lambda: all(_row(view, name) for name in ("ann", "bob")), 20,
                         f"the class in the view:\n{view.text}")
            # The same steps and scores, nobody connected (the idle time goes on).
            await view.wait_for("2 learners", "0 connected")
            for name, row in seen.items():
                again = _row(view, name)
                assert _cells(again) == _cells(row), (row, again)
            assert len(served.family()) == 2  # the fork server, the view
            async with _terminal(served, "ann") as ann:
                await ann.wait_for("step 7 of 22")  # resumed where she was
                async with _terminal(served, "bob") as bob:
                    await bob.wait_for("step 3 of 22", "quiz 1/2")  # his answers too
                    await _until(lambda: "3/22" in _row(view, "bob"), 10, "bob back")
                    assert "1/2" in _row(view, "bob")
                    family = served.family()
                    ann.press(b"q")
                    assert await ann.exit_status() == 0
        os.kill(served.pid, signal.SIGTERM)
        assert await served.ended(30) == 0
        assert await wait_gone([served.pid, *family], 1) == []


async def _lost(term: Terminal) -> None:
    """The session's end, its connection lost with the server (every read is over)."""
    with contextlib.suppress(asyncssh.ConnectionLost, asyncssh.DisconnectError):
        await term.exit_status(10)


def _cells(row: str) -> list[str]:
    """A view row's cells but the idle time (the last): name, lesson, bar and step, phase,
    score, revealed."""
    return row.split()[:-1]
