"""How the server starts a tutor: forked by the fork server (tui/serve/forkserver.py), or,
where there is none (no fork on this system, or it failed), spawned as a new interpreter.
Either way the child runs tui/serve/tutor_process.py's ``prepare`` first, and the server
learns its pid and, once it is reaped, its exit status.
"""

from __future__ import annotations

import array
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import tui
from tui.serve.forkserver import REPORT
from tui.served import CHANNEL_ENV

#: Where the tutor's package lives, so ``-m tui...`` works from a checkout too.
CODE_ROOT = str(Path(tui.__file__).resolve().parent.parent)
#: The fork server imports everything before it says ready: seconds on a loaded machine.
READY_TIMEOUT = 60.0
#: A fork takes milliseconds; a fork server this slow to answer is treated as gone.
FORK_TIMEOUT = 10.0
#: How long the fork server may take to end its tutors and exit before it is killed.
STOP_TIMEOUT = 5.0


@dataclass(frozen=True)
class TutorRequest:
    """One tutor to start: ``module.main(args)`` in ``cwd`` with exactly ``env`` (and, when
    ``channel`` is a socket's descriptor, that socket as its channel to the server)."""

    args: list[str]
    env: Mapping[str, str]
    cwd: Path
    module: str = "tui.cli"
    channel: int | None = None


class Child(Protocol):
    """A started tutor, as the server sees it."""

    pid: int

    def watch(self, on_exit: Callable[[int], None]) -> None:
        """Call ``on_exit`` with the exit status (negative: the signal) once it is reaped."""


def base_environment() -> dict[str, str]:
    """What every tutor's environment starts from, and the fork server's whole
    environment: nothing of the server's (no TEXTUAL_* setting read at import, no
    COLUMNS/LINES) but PATH."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": CODE_ROOT,
        "OPENBLAS_NUM_THREADS": "1",
        "LANG": "C.UTF-8",
    }


# --- spawned --------------------------------------------------------------------------------


class Spawned:
    """A tutor spawned as a new interpreter; the server is its parent and reaps it."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.pid = process.pid
        self._loop = asyncio.get_running_loop()
        self._pidfd: int | None = None
        self._poller: asyncio.Task[None] | None = None

    def watch(self, on_exit: Callable[[int], None]) -> None:
        """Reap it when its pidfd says it has ended (or by polling, without pidfds)."""
        try:
            self._pidfd = os.pidfd_open(self.pid)
            self._loop.add_reader(self._pidfd, self._reap, on_exit)
        except (AttributeError, OSError):
            self._poller = self._loop.create_task(self._poll(on_exit))

    def _reap(self, on_exit: Callable[[int], None]) -> None:
        code = self.process.poll()
        if code is None:
            return
        if self._pidfd is not None:
            self._loop.remove_reader(self._pidfd)
            os.close(self._pidfd)
            self._pidfd = None
        on_exit(code)

    async def _poll(self, on_exit: Callable[[int], None]) -> None:
        while self.process.poll() is None:
            await asyncio.sleep(0.1)
        on_exit(self.process.returncode)


def spawn(request: TutorRequest, tty: int) -> Spawned:
    """Start the tutor as ``python -m tui.serve.tutor_process`` on ``tty`` (OSError if it
    cannot be started)."""
    argv = [sys.executable, "-m", "tui.serve.tutor_process", str(os.getpid()),
            request.module, *request.args]
    env, kept = dict(request.env), ()
    if request.channel is not None:
        env[CHANNEL_ENV], kept = str(request.channel), (request.channel,)
    process = subprocess.Popen(argv, stdin=tty, stdout=tty, stderr=tty, cwd=request.cwd,
                               env=env, start_new_session=True, close_fds=True,
                               pass_fds=kept)
    return Spawned(process)


# --- forked by the fork server --------------------------------------------------------------


class Forked:
    """A tutor forked by the fork server, which reaps it and reports its status."""

    def __init__(self, pid: int, report: socket.socket) -> None:
        self.pid = pid
        self._report = report
        self._loop = asyncio.get_running_loop()
        self._received = bytearray()

    def watch(self, on_exit: Callable[[int], None]) -> None:
        """Read the exit status from the report socket."""
        self._loop.add_reader(self._report.fileno(), self._readable, on_exit)

    def _readable(self, on_exit: Callable[[int], None]) -> None:
        try:
            data = self._report.recv(REPORT.size - len(self._received))
        except BlockingIOError:
            return
        except OSError:
            data = b""
        self._received += data
        if data and len(self._received) < REPORT.size:
            return
        self._loop.remove_reader(self._report.fileno())
        self._report.close()
        # No status: the fork server died, and its tutors with it (PR_SET_PDEATHSIG).
        code = REPORT.unpack(self._received)[0] if data else -9
        on_exit(code)


async def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    loop = asyncio.get_running_loop()
    data = b""
    while len(data) < size:
        chunk = await loop.sock_recv(sock, size - len(data))
        if not chunk:
            raise ConnectionError("the fork server closed the report socket")
        data += chunk
    return data


@dataclass
class ForkServerClient:
    """The server's end of the fork server: ask it for tutors, stop it."""

    process: subprocess.Popen[bytes]
    control: socket.socket
    alive: bool = True
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @classmethod
    async def start(cls) -> ForkServerClient:
        """Start the fork server and wait until it has imported everything (OSError or
        TimeoutError when it cannot start)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "tui.serve.forkserver", str(theirs.fileno()),
                 str(os.getpid())],
                pass_fds=[theirs.fileno()], env=base_environment(), cwd="/",
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        ours.setblocking(False)
        client = cls(process, ours)
        try:
            ready = await asyncio.wait_for(asyncio.get_running_loop().sock_recv(ours, 16),
                                           READY_TIMEOUT)
            if ready != b"ready":
                raise ConnectionError("the fork server did not start")
        except BaseException:
            await client.stop()
            raise
        return client

    @property
    def pid(self) -> int:
        """The fork server's pid."""
        return self.process.pid

    async def launch(self, request: TutorRequest, tty: int) -> Forked:
        """Fork a tutor on ``tty`` (OSError or TimeoutError when the fork server cannot)."""
        payload = json.dumps({"module": request.module, "args": list(request.args),
                              "env": dict(request.env), "cwd": str(request.cwd)}).encode()
        ours, theirs = socket.socketpair()
        try:
            passed = [tty, theirs.fileno()]
            if request.channel is not None:
                passed.append(request.channel)
            fds = array.array("i", passed)
            async with self._lock:
                await self._send(payload, fds)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        ours.setblocking(False)
        try:
            pid = REPORT.unpack(await asyncio.wait_for(_recv_exactly(ours, REPORT.size),
                                                       FORK_TIMEOUT))[0]
            if pid <= 0:
                raise ChildProcessError("the fork server could not fork")
        except BaseException:
            ours.close()
            raise
        return Forked(pid, ours)

    async def _send(self, payload: bytes, fds: array.array[int]) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + FORK_TIMEOUT
        while True:
            try:
                self.control.sendmsg([payload],
                                     [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds.tobytes())])
                return
            except BlockingIOError:
                if loop.time() > deadline:
                    raise TimeoutError("the fork server is not reading") from None
                await asyncio.sleep(0.01)

    async def stop(self) -> None:
        """Close the control socket (the fork server then kills and reaps what is left of
        its tutors, and exits); kill it if it has not gone within STOP_TIMEOUT."""
        self.alive = False
        self.control.close()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STOP_TIMEOUT
        while self.process.poll() is None and loop.time() < deadline:
            await asyncio.sleep(0.02)
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.process.kill()
            while self.process.poll() is None:
                await asyncio.sleep(0.02)


class Launcher:
    """Forks tutors when the fork server runs, spawns them otherwise."""

    def __init__(self, use_fork_server: bool = True,
                 say: Callable[[str], None] = lambda _text: None) -> None:
        self.use_fork_server = use_fork_server and hasattr(os, "fork") \
            and sys.platform.startswith("linux")
        self.say = say
        self.fork_server: ForkServerClient | None = None
        self.helper_pids: list[int] = []
        """The fork servers started (for the shutdown check)."""

    @property
    def mode(self) -> str:
        """``fork`` or ``spawn``: how the next tutor will be started."""
        return "fork" if self.fork_server is not None and self.fork_server.alive else "spawn"

    async def start(self) -> None:
        """Start the fork server; if it cannot start, say so and spawn instead."""
        if not self.use_fork_server:
            return
        try:
            self.fork_server = await ForkServerClient.start()
        except (OSError, ConnectionError, asyncio.TimeoutError) as error:
            self.say(f"fork server not started ({error}); each tutor will be spawned")
            return
        self.helper_pids.append(self.fork_server.pid)

    async def launch(self, request: TutorRequest, tty: int) -> Child:
        """Start one tutor on ``tty``."""
        fork_server = self.fork_server
        if fork_server is not None and fork_server.alive:
            if fork_server.process.poll() is None:
                try:
                    return await fork_server.launch(request, tty)
                except (OSError, ConnectionError, asyncio.TimeoutError) as error:
                    self.say(f"fork server failed ({error}); spawning tutors from now on")
            else:
                self.say("fork server ended; spawning tutors from now on")
            fork_server.alive = False
            await fork_server.stop()
        return spawn(request, tty)

    async def close(self) -> None:
        """Stop the fork server (after every session has ended)."""
        if self.fork_server is not None:
            await self.fork_server.stop()
