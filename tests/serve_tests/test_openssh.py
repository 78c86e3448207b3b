"""A stock OpenSSH client, as a learner runs it: ``ssh -p PORT learner@127.0.0.1`` in a
terminal, the host key checked against a known_hosts file, the first screen, then q."""

from __future__ import annotations

import asyncio
import fcntl
import os
import shutil
import signal
import struct
import subprocess
import termios
from pathlib import Path

import asyncssh
import pyte

from tests.serve_tests.conftest import LOOPBACK, serving, wait_gone


async def test_the_openssh_client_sees_the_tutor(host_key: asyncssh.SSHKey,
                                                 tmp_path: Path) -> None:
    ssh = shutil.which("ssh")
    assert ssh is not None, "the OpenSSH client is needed (.ci/run installs openssh-client)"
    async with serving(host_key, tmp_path / "state") as server:
        known_hosts = tmp_path / "known_hosts"
        public = host_key.export_public_key("openssh").decode().split()[:2]
        known_hosts.write_text(f"[{LOOPBACK}]:{server.port} {' '.join(public)}\n")
        argv = [ssh, "-F", "/dev/null", "-tt", "-p", str(server.port),
                "-o", f"UserKnownHostsFile={known_hosts}",
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes",
                "-o", "IdentityAgent=none", "-o", "PubkeyAuthentication=no",
                "-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no",
                "-o", "ConnectTimeout=10", "-o", "SetEnv=LANG=en_US.UTF-8",
                f"learner@{LOOPBACK}"]
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                   start_new_session=True, env={**os.environ, "HOME":
                                                                str(tmp_path)})
        os.close(slave)
        screen = pyte.Screen(80, 24)
        stream = pyte.ByteStream(screen)
        loop = asyncio.get_running_loop()
        os.set_blocking(master, False)

        def readable() -> None:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: ssh has exited
                loop.remove_reader(master)
                return
            stream.feed(data)

        loop.add_reader(master, readable)
        try:
            deadline = loop.time() + 40
            while "step 0 of 22" not in "\n".join(screen.display):
                assert process.poll() is None, "\n".join(screen.display)
                assert loop.time() < deadline, "\n".join(screen.display)
                await asyncio.sleep(0.05)
            os.write(master, b"q")
            while process.poll() is None:
                assert loop.time() < deadline + 20, "ssh did not exit after q"
                await asyncio.sleep(0.05)
            assert process.returncode == 0
            assert await wait_gone(server.child_pids, 5) == []
        finally:
            loop.remove_reader(master)
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
            os.close(master)
        assert len(server.child_pids) == 1
