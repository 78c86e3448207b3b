"""``backprop-tutor serve`` as a teacher runs it: what it prints, the host key it keeps, the
options it refuses (exit 2), and SIGTERM ending every session with no process left."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import asyncssh

from tests.fresh_python import ROOT, run_fresh
from tests.serve_tests.conftest import LOOPBACK, Terminal, wait_gone
from tui.i18n import CATALOGUES

EN = CATALOGUES["en"]


def _env(state: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "XDG_STATE_HOME": str(state), "LANG": "C.UTF-8",
            "PYTHONPATH": str(ROOT), **extra}


def _serve(state: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """A serve command that stops at once (a bad option): its output and status."""
    return subprocess.run([sys.executable, "-m", "tui.cli", "serve", *args], cwd=state,
                          env=_env(state, **extra), capture_output=True, text=True,
                          timeout=60, check=False)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stream:
                    fields = stream.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _cmdline(pid: int) -> str:
    with open(f"/proc/{pid}/cmdline", "rb") as stream:
        return stream.read().replace(b"\0", b" ").decode()


def _family(pid: int) -> tuple[list[int], list[int]]:
    """The server's fork server, and the tutors it forked: every process the server
    started."""
    helpers = _children(pid)
    assert len(helpers) == 1 and "tui.serve.forkserver" in _cmdline(helpers[0])
    return helpers, _children(helpers[0])


async def _start(state: Path) -> tuple[asyncio.subprocess.Process, int, str]:
    """The server as a process on a free port: (process, port, fingerprint it printed)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tui.cli", "serve", "--ssh", f"{LOOPBACK}:0", cwd=state,
        env=_env(state), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
    assert process.stdout is not None
    lines = []
    while not any("ssh -p" in line for line in lines):
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        assert line, f"serve ended: {lines}"
        lines.append(line.decode())
    text = "".join(lines)
    port = int(re.search(r"ssh -p (\d+) NAME@127\.0\.0\.1", text).group(1))  # type: ignore
    fingerprint = re.search(r"SHA256:\S+", text).group(0)  # type: ignore[union-attr]
    return process, port, fingerprint


async def _stop(process: asyncio.subprocess.Process) -> int:
    process.send_signal(signal.SIGTERM)
    return await _ended(process)


async def _ended(process: asyncio.subprocess.Process) -> int:
    """Its exit status, once it has exited and its output pipe is read to the end (so its
    transport is closed now, not by the garbage collector later)."""
    await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode is not None
    return process.returncode


async def test_serve_prints_how_to_connect_and_sigterm_leaves_nothing(tmp_path: Path) -> None:
    process, port, fingerprint = await _start(tmp_path)
    tutors: list[int] = []
    try:
        key_file = tmp_path / "backprop-tutor" / "ssh_host_ed25519_key"
        assert key_file.stat().st_mode & 0o777 == 0o600
        key = asyncssh.read_private_key(str(key_file))
        assert key.get_fingerprint("sha256") == fingerprint
        # The client trusts only that key: what the teacher read out is what it meets.
        conn = await asyncio.wait_for(asyncssh.connect(
            LOOPBACK, port, username="dana", known_hosts=([key.convert_to_public()], [], []),
            client_keys=None, agent_path=None, config=None), 15)
        async with conn:
            term = await Terminal(conn, 80, 24).open()
            await term.wait_for("step 0 of 22")
            helpers, tutors = _family(process.pid)
            assert len(tutors) == 1
            tutors += helpers
            assert await _stop(process) == 0
            assert await term.exit_status() == 0
        assert await wait_gone(tutors, 0) == []
    finally:
        if process.returncode is None:
            process.kill()
            await _ended(process)
    assert await wait_gone(tutors, 5) == []
    # The second run reuses the key: learners' known_hosts stay valid.
    process, _, again = await _start(tmp_path)
    try:
        assert again == fingerprint
    finally:
        assert await _stop(process) == 0


def _dead(pid: int) -> bool:
    """Gone, or a zombie: dead, waiting for whoever adopted it to reap it."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stream:
            return stream.read().rsplit(b")", 1)[1].split()[0] in (b"Z", b"X")
    except OSError:
        return True


async def test_tutors_die_with_a_killed_server(tmp_path: Path) -> None:
    """SIGKILL leaves the server no chance to clean up: PR_SET_PDEATHSIG ends the tutors."""
    process, port, _ = await _start(tmp_path)
    tutors: list[int] = []
    try:
        conn = await asyncio.wait_for(asyncssh.connect(
            LOOPBACK, port, username="eve", known_hosts=None, client_keys=None,
            agent_path=None, config=None), 15)
        async with conn:
            term = await Terminal(conn, 80, 24).open()
            await term.wait_for("step 0 of 22")
            helpers, tutors = _family(process.pid)
            assert len(tutors) == 1 and not _dead(tutors[0])
            tutors += helpers
            process.kill()
            await _ended(process)
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 5
            while not all(_dead(pid) for pid in tutors) and loop.time() < deadline:
                await asyncio.sleep(0.05)
            assert all(_dead(pid) for pid in tutors)
    finally:
        if process.returncode is None:
            process.kill()
            await _ended(process)
        for pid in tutors:  # never leave one behind, even when the test fails
            if not _dead(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_host_key_others_can_read_is_refused(tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_bytes(asyncssh.generate_private_key("ssh-ed25519").export_private_key())
    key.chmod(0o644)
    done = _serve(tmp_path, "--host-key", str(key), "--ssh", f"{LOOPBACK}:0")
    assert done.returncode == 2
    assert "chmod 600" in done.stderr and "Traceback" not in done.stderr
    key.write_text("not a key")
    key.chmod(0o600)
    done = _serve(tmp_path, "--host-key", str(key), "--ssh", f"{LOOPBACK}:0")
    assert done.returncode == 2
    assert "cannot be used" in done.stderr and "Traceback" not in done.stderr


def test_bad_options_exit_2_with_one_line(tmp_path: Path) -> None:
    cases = [
        (["--ssh", "nope"], "--ssh"),
        (["--ssh", "127.0.0.1:70000"], "--ssh"),
        (["--idle-timeout", "10x"], "--idle-timeout"),
        (["--max-duration", "0s"], "--max-duration"),
        (["--max-sessions", "0"], "--max-sessions"),
        (["--password-env", "NO_SUCH_PASSWORD_VARIABLE"], "NO_SUCH_PASSWORD_VARIABLE"),
        (["--password-file", str(tmp_path / "missing")], "missing"),
        (["--authorized-keys", str(tmp_path / "missing")], "missing"),
        (["--lessons", str(tmp_path / "no-such-folder")], "--lessons"),
    ]
    for args, said in cases:
        done = _serve(tmp_path, *args)
        assert done.returncode == 2, args
        assert said in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)
    chinese = _serve(tmp_path, "--lang", "zh", "--ssh", "nope")
    assert chinese.returncode == 2
    assert CATALOGUES["zh"]["serve.bad_address"].format(value="nope") in chinese.stderr


def test_serve_without_asyncssh_says_how_to_install_it(tmp_path: Path) -> None:
    script = ("import sys; sys.modules['asyncssh'] = None\n"
              "from tui.cli import main\n"
              "sys.exit(main(['serve', '--ssh', '127.0.0.1:0']))")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=_env(tmp_path),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "pip install 'backprop-tutor[serve]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_server_process_never_imports_textual() -> None:
    imported = run_fresh(
        "import json, sys\n"
        "import tui.cli, tui.serve.command, tui.serve.server, tui.serve.sessions\n"
        "import tui.serve.launcher, tui.serve.forkserver\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))")
    assert imported == []
