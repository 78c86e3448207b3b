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
