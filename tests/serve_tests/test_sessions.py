"""The server in-process, driven by an asyncssh client on a pyte screen: what a learner sees,
what is refused, the limits, and that no tutor process outlives its session."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import asyncssh
import pytest

from tests.serve_tests.conftest import (
    RIGHT,
    Terminal,
    connected,
    serving,
    terminal,
    wait_gone,
)
from tui.i18n import CATALOGUES
from tui.serve.auth import read_authorized_keys

EN, ZH = CATALOGUES["en"], CATALOGUES["zh"]


def _parent(pid: int) -> int:
    with open(f"/proc/{pid}/stat", "rb") as stream:
        return int(stream.read().rsplit(b")", 1)[1].split()[1])


@pytest.mark.parametrize("fork_server", [True, False], ids=["forked", "spawned"])
async def test_first_screen_then_a_key_steps(host_key: asyncssh.SSHKey, tmp_path: Path,
                                             fork_server: bool) -> None:
    async with serving(host_key, tmp_path, fork_server=fork_server) as server:
        assert server.launcher.mode == ("fork" if fork_server else "spawn")
        async with terminal(server, "alice") as term:
            await term.wait_for("step 0 of 22", "X0 1")
            parent = _parent(server.child_pids[0])
            assert parent == (server.launcher.helper_pids[0] if fork_server else os.getpid())
            term.press(RIGHT)
            await term.wait_for("step 1 of 22")
            term.press(b"q")
            assert await term.exit_status() == 0
        assert len(server.child_pids) == 1


async def test_window_change_gives_the_wide_layout(host_key: asyncssh.SSHKey,
                                                   tmp_path: Path) -> None:
    async with serving(host_key, tmp_path) as server, terminal(server) as term:
        await term.wait_for("step 0 of 22")
        assert "─ Deltas" not in term.text  # one pane at a time at 80x24
        term.resize(130, 40)
        await term.wait_for("─ Network", "─ Forward pass", "─ Deltas", "─ Weight updates")


async def test_a_chinese_locale_gives_chinese(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path) as server:
        async with terminal(server, env={"LANG": "zh_CN.UTF-8"}) as term:
            step = ZH["header.step"].format(step=0, total=22)
            # pyte keeps a blank cell after each wide character: compare without spaces.
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 40
            while step.replace(" ", "") not in term.text.replace(" ", ""):
                assert loop.time() < deadline, term.text
                await asyncio.sleep(0.05)


async def test_exec_is_refused_with_a_message(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path) as server, connected(server) as conn:
        result = await asyncio.wait_for(conn.run("ls /", encoding="utf-8"), 15)
        assert result.exit_status == 1
        assert result.stdout == ""
        assert EN["serve.no_exec"] in str(result.stderr)
        assert server.child_pids == []


async def test_a_session_without_a_pty_gets_a_message(host_key: asyncssh.SSHKey,
                                                      tmp_path: Path) -> None:
    async with serving(host_key, tmp_path) as server, connected(server) as conn:
        process = await asyncio.wait_for(conn.create_process(encoding="utf-8"), 10)
        await asyncio.wait_for(process.wait_closed(), 15)
        assert process.exit_status == 1
        assert EN["serve.no_pty"] in await process.stderr.read()
        assert server.child_pids == []


async def test_sftp_and_forwarding_are_refused(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    # Something listening, so that a forwarded connection could succeed if it were allowed.
    target = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
    target_port = target.sockets[0].getsockname()[1]
    try:
        async with serving(host_key, tmp_path) as server, connected(server) as conn:
            with pytest.raises((asyncssh.SFTPError, asyncssh.ChannelOpenError)):
                await asyncio.wait_for(conn.start_sftp_client(), 10)
            with pytest.raises(asyncssh.ChannelOpenError):
                await asyncio.wait_for(conn.create_connection(
                    asyncssh.SSHTCPSession, "127.0.0.1", target_port), 10)
            with pytest.raises(asyncssh.ChannelListenError):
                await asyncio.wait_for(conn.forward_remote_port(
                    "127.0.0.1", 0, "127.0.0.1", target_port), 10)
            with pytest.raises(asyncssh.ChannelOpenError):
                await asyncio.wait_for(conn.create_unix_connection(
                    asyncssh.SSHUNIXSession, "/run/anything.sock"), 10)
            assert server.child_pids == []
    finally:
        target.close()
        await target.wait_closed()


async def test_a_full_class_says_so(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, max_sessions=1) as server:
        async with terminal(server, "first") as first:
            await first.wait_for("step 0 of 22")
            async with terminal(server, "second") as second:
                assert await second.exit_status() == 1
                assert EN["serve.class_full"] in second.errors.decode()
            assert len(server.child_pids) == 1
            first.press(RIGHT)  # the first learner goes on undisturbed
            await first.wait_for("step 1 of 22")


async def test_an_idle_session_is_warned_then_closed(host_key: asyncssh.SSHKey,
                                                     tmp_path: Path) -> None:
    # Warned at half a short timeout: by the tutor itself, a notification over its screen.
    async with serving(host_key, tmp_path, idle_timeout=4.0) as server:
        async with terminal(server) as term:
            await term.wait_for("step 0 of 22")
            await term.wait_for("No key pressed for a while", timeout=10)
            assert "in 2s" in term.text.replace("\n", " ")
            assert "step 0 of 22" in term.text  # the screen is whole around the notice
            assert await term.exit_status() == 1
            output = term.raw.decode("utf-8", "replace")
            assert EN["serve.idle_closed"].format(duration="4s") in output
            assert await wait_gone(server.child_pids, 5) == []


async def test_a_key_puts_the_idle_clock_back(host_key: asyncssh.SSHKey,
                                              tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, idle_timeout=4.0) as server:
        async with terminal(server) as term:
            await term.wait_for("No key pressed for a while", timeout=10)
            term.press(RIGHT)
            await term.wait_for("step 1 of 22")
            await asyncio.sleep(1.5)  # past the first deadline: still open
            assert term.process is not None and term.process.exit_status is None
            term.press(b"q")
            assert await term.exit_status() == 0


async def test_a_dropped_connection_leaves_no_tutor(host_key: asyncssh.SSHKey,
                                                   tmp_path: Path) -> None:
    async with serving(host_key, tmp_path) as server:
        async with connected(server) as conn:
            term = await Terminal(conn, 80, 24).open()
            await term.wait_for("step 0 of 22")
            conn.abort()  # the learner's network goes away: no goodbye
            assert await wait_gone(server.child_pids, 5) == []
        assert len(server.child_pids) == 1


async def test_closing_the_server_ends_every_session(host_key: asyncssh.SSHKey,
                                                     tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    async with serving(host_key, tmp_path) as server:
        from tui.serve.log import SessionLog

        server.log = SessionLog(str(log))
        async with terminal(server, "ann") as one, terminal(server, "ben") as two:
            await one.wait_for("step 0 of 22")
            await two.wait_for("step 0 of 22")
            pids = list(server.child_pids)
            assert len(pids) == 2 and await wait_gone(pids, 0) == pids
            await asyncio.wait_for(server.close(), 15)
            assert await wait_gone(pids, 0) == []  # close() returns once they are reaped
            for term in (one, two):
                assert await term.exit_status() == 0
                assert EN["serve.server_stopping"] in term.raw.decode("utf-8", "replace")
        server.log.close()
    events = [json.loads(line) for line in log.read_text().splitlines()]
    assert sorted((e["event"], e["learner"]) for e in events) == [
        ("connect", "ann"), ("connect", "ben"), ("disconnect", "ann"), ("disconnect", "ben")]
    ends = [e for e in events if e["event"] == "disconnect"]
    assert {e["reason"] for e in ends} == {"server-stop"}
    assert all(e["term"] == "xterm-256color" and e["size"] == [80, 24]
               and e["address"] == "127.0.0.1" and "duration" in e and "time" in e
               for e in ends)


async def test_a_wrong_password_is_refused(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, password="open sesame") as server:
        with pytest.raises(asyncssh.PermissionDenied):
            async with connected(server, password="open says me"):
                pass
        with pytest.raises(asyncssh.PermissionDenied):
            async with connected(server):  # no password at all
                pass
        async with terminal(server, password="open sesame") as term:
            await term.wait_for("step 0 of 22")
        assert len(server.child_pids) == 1


async def test_authorized_keys_let_in_only_their_keys(host_key: asyncssh.SSHKey,
                                                       tmp_path: Path) -> None:
    known, stranger = (asyncssh.generate_private_key("ssh-ed25519") for _ in range(2))
    keys_file = tmp_path / "authorized_keys"
    keys_file.write_bytes(known.export_public_key())
    async with serving(host_key, tmp_path, authorized_keys=keys_file,
                       authorized_keys_object=read_authorized_keys(str(keys_file))) as server:
        for client_keys in (None, [stranger]):
            with pytest.raises(asyncssh.PermissionDenied):
                async with connected(server, client_keys=client_keys):
                    pass
        async with terminal(server, "kim", client_keys=[known]) as term:
            await term.wait_for("step 0 of 22")
        assert len(server.child_pids) == 1


async def test_with_keys_a_name_resumes_only_with_its_key(host_key: asyncssh.SSHKey,
                                                          tmp_path: Path) -> None:
    kim, other = (asyncssh.generate_private_key("ssh-ed25519") for _ in range(2))
    keys_file = tmp_path / "authorized_keys"
    keys_file.write_bytes(kim.export_public_key() + other.export_public_key())
    async with serving(host_key, tmp_path, authorized_keys=keys_file,
                       authorized_keys_object=read_authorized_keys(str(keys_file))) as server:
        async with terminal(server, "kim", client_keys=[kim]) as term:
            await term.wait_for("step 0 of 22")
            term.press(RIGHT * 2)
            await term.wait_for("step 2 of 22")
            term.press(b"q")
            assert await term.exit_status() == 0
        # Someone else's key under kim's name: their own place, not kim's ...
        async with terminal(server, "kim", client_keys=[other]) as term:
            await term.wait_for("step 0 of 22")
            term.press(b"q")
            assert await term.exit_status() == 0
        # ... and kim, with her key, is back at step 2.
        async with terminal(server, "kim", client_keys=[kim]) as term:
            await term.wait_for("step 2 of 22")
    folders = sorted(p.name for p in (tmp_path / "learners").iterdir())
    assert len(folders) == 2 and all(name.startswith("kim.") for name in folders)


async def test_one_session_per_connection(host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path) as server, connected(server) as conn:
        first = await Terminal(conn, 80, 24).open()
        await first.wait_for("step 0 of 22")
        with pytest.raises(asyncssh.ChannelOpenError):
            await asyncio.wait_for(conn.create_process(term_type="xterm"), 10)
        assert len(server.child_pids) == 1


async def test_a_reconnect_with_the_same_name_resumes(host_key: asyncssh.SSHKey,
                                                     tmp_path: Path) -> None:
    async with serving(host_key, tmp_path) as server:
        async with terminal(server, "bob") as term:
            await term.wait_for("step 0 of 22")
            for step in (1, 2, 3):
                term.press(RIGHT)
                await term.wait_for(f"step {step} of 22")
            term.press(b"q")
            assert await term.exit_status() == 0
        async with terminal(server, "bob") as term:
            await term.wait_for("step 3 of 22")
            term.press(b"q")
            assert await term.exit_status() == 0
        async with terminal(server, "carol") as term:  # another learner: her own place
            await term.wait_for("step 0 of 22")
    progress = tmp_path / "learners" / "bob" / "state" / "backprop-tutor" / "progress.json"
    assert progress.stat().st_mode & 0o077 == 0


async def test_keys_typed_before_the_first_frame_reach_the_tutor(host_key: asyncssh.SSHKey,
                                                                 tmp_path: Path) -> None:
    async with serving(host_key, tmp_path) as server, terminal(server) as term:
        term.press(RIGHT * 2)  # at once: the tutor is still starting
        await term.wait_for("step 2 of 22")
        assert b"^[[C" not in term.raw  # never echoed by a terminal not yet in raw mode


async def test_a_flood_of_logins_is_refused_and_leaves_room(host_key: asyncssh.SSHKey,
                                                            tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, max_logging_in=2) as server:
        # Two connections that never log in take every place for logging in ...
        stalls = [await asyncio.open_connection("127.0.0.1", server.port) for _ in range(2)]
        try:
            for _, writer in stalls:
                writer.write(b"SSH-2.0-stall\r\n")
            await asyncio.sleep(0.2)
            with pytest.raises((asyncssh.Error, OSError)):
                async with connected(server, "late"):
                    pass
        finally:
            for _, writer in stalls:
                writer.close()
        # ... and once they are gone, a learner gets in.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while server.logging_in and loop.time() < deadline:
            await asyncio.sleep(0.05)
        async with terminal(server, "late") as term:
            await term.wait_for("step 0 of 22")


async def test_a_served_tutor_opens_only_the_teachers_lessons(host_key: asyncssh.SSHKey,
                                                              tmp_path: Path) -> None:
    from engine import builtin, dump_scenario

    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "week-two.toml").write_text(
        dump_scenario(builtin("xor-sigmoid").with_changes(name="week-two")))
    (tmp_path / "secret.toml").write_text("not for learners")
    (folder / "escape.toml").symlink_to(tmp_path / "secret.toml")
    async with serving(host_key, tmp_path / "state", lessons=folder) as server:
        async with terminal(server, "ann") as term:
            await term.wait_for("step 0 of 22")
            term.press(b"o")
            await term.wait_for(EN["open.title_sandbox"], "week-two.toml")
            assert EN["open.placeholder"] not in term.text  # no path to type
            assert "escape.toml" not in term.text  # a link out of the folder is not offered
            term.press(b"\r")
            await term.wait_for("week-two")
            await term.wait_for("step 0 of")
