"""The class view over SSH (``--teacher NAME``): only with the teacher's password, never a
learner's place, and it shows the class as learners join and step."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncssh
import pytest

from tests.serve_tests.conftest import RIGHT, Terminal, connected, serving, terminal

TEACHER, SECRET = "teach", "chalk-and-talk"


async def test_the_class_view_needs_the_teachers_password(host_key: asyncssh.SSHKey,
                                                          tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, teacher=TEACHER, teacher_password=SECRET,
                       password="class-pw") as server:
        for password in (None, "class-pw", "guess"):
            with pytest.raises(asyncssh.PermissionDenied):
                async with connected(server, TEACHER, password=password):
                    pass
        # Learners still log in with the class's password, and only with it.
        with pytest.raises(asyncssh.PermissionDenied):
            async with connected(server, "ann", password=SECRET):
                pass
        async with terminal(server, "ann", password="class-pw") as term:
            await term.wait_for("step 0 of 22")
        assert server.manager.teachers == set()


async def test_the_teacher_sees_the_class_and_takes_no_place(host_key: asyncssh.SSHKey,
                                                             tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, teacher=TEACHER, teacher_password=SECRET,
                       max_sessions=1) as server:
        async with terminal(server, "ann") as learner:
            await learner.wait_for("step 0 of 22")
            # The class is full, and the teacher still gets in: the view, not a tutor.
            async with connected(server, TEACHER, password=SECRET) as conn:
                view = await Terminal(conn, 100, 30).open()
                await view.wait_for("ann")
                assert "step 0 of 22" not in view.text
                for _ in range(3):
                    learner.press(RIGHT)
                await learner.wait_for("step 3 of 22")
                await view.wait_for("3/22", timeout=10)
                assert len(server.manager.teachers) == 1
                view.press(b"q")
                assert await view.exit_status() == 0
            learner.press(b"q")
            assert await learner.exit_status() == 0
        snapshot = server.classroom.snapshot()
        assert [row["name"] for row in snapshot["learners"]] == ["ann"]  # no teacher row
        await asyncio.sleep(0)


async def test_the_teacher_leads_every_learner(host_key: asyncssh.SSHKey,
                                               tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, teacher=TEACHER, teacher_password=SECRET,
                       tutor_module="tests.serve_tests.lead_probe",
                       teacher_module="tests.serve_tests.teacher_probe") as server:
        async with terminal(server, "ann") as ann:
            await ann.wait_for("ready")
            async with connected(server, TEACHER, password=SECRET) as conn:
                view = Terminal(conn, 120, 30)
                await view.open()
                await ann.wait_for('got {"hold": 3}', 'got {"broadcast": "Look up"}',
                                   'got {"lead": "step", "step": 5}', timeout=10)
                await view.wait_for("got {\"exported\"", "hold 3 broadcast Look up", timeout=10)
                exported = server.options.state_dir / "exports"
                csv_files = list(exported.glob("class-*.csv"))
                assert len(csv_files) == 1 and csv_files[0].stat().st_mode & 0o077 == 0
                assert csv_files[0].read_text().splitlines()[1].startswith("ann,")
                assert "shell" not in ann.text  # a line that is no command goes nowhere
                # A learner who joins now is held, and reads the message, at once.
                async with terminal(server, "bo") as bo:
                    await bo.wait_for('got {"hold": 3}', 'got {"broadcast": "Look up"}')
                    assert "step" not in bo.text  # the lead was for those then in class


async def test_a_hold_from_the_real_view_stops_a_real_tutor(host_key: asyncssh.SSHKey,
                                                            tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, teacher=TEACHER, teacher_password=SECRET) as server:
        async with terminal(server, "ann") as learner:
            await learner.wait_for("step 0 of 22")
            async with connected(server, TEACHER, password=SECRET) as conn:
                view = await Terminal(conn, 120, 36).open()
                await view.wait_for("ann")
                view.press(b"h")
                await view.wait_for("Hold the class at step", timeout=10)
                for key in (b"\x7f", b"\x7f", b"\x7f", b"2", b"\r"):  # the step offered -> 2
                    view.press(key)
                    await asyncio.sleep(0.2)
                loop = asyncio.get_running_loop()
                deadline = loop.time() + 10
                while server.classroom.hold != 2:
                    assert loop.time() < deadline, view.text
                    await asyncio.sleep(0.05)
                for _ in range(5):
                    learner.press(RIGHT)
                    await asyncio.sleep(0.1)
                await learner.wait_for("step 2 of 22")
                await asyncio.sleep(0.5)
                assert "step 2 of 22" in learner.text  # held: no further
                view.press(b"h")  # released
                while server.classroom.hold is not None:
                    assert loop.time() < deadline + 10, view.text
                    await asyncio.sleep(0.05)
                learner.press(RIGHT)
                await learner.wait_for("step 3 of 22")
                view.press(b"q")
                assert await view.exit_status() == 0


async def test_a_name_that_cleans_to_the_teachers_needs_the_teachers_password(
        host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, teacher=TEACHER,
                       teacher_password=SECRET) as server:  # learners need no password
        for user in (f"{TEACHER}!", f"{TEACHER} ", f"{TEACHER}/"):
            with pytest.raises(asyncssh.PermissionDenied):
                async with connected(server, user):
                    pass
        async with connected(server, f"{TEACHER}!", password=SECRET) as conn:
            view = await Terminal(conn, 100, 30).open()
            await view.wait_for("Class")
            assert len(server.manager.teachers) == 1 and not server.manager.sessions
            view.press(b"q")
            assert await view.exit_status() == 0
