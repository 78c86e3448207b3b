"""The teacher watches a learner's screen (issue 15): ⏎ on the learner's row shows what the
learner sees, cell for cell, as they step; nothing the teacher types reaches the learner."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncssh

from tests.serve_tests.conftest import RIGHT, Terminal, connected, serving, terminal

TEACHER, SECRET = "teach", "chalk-and-talk"
ENTER, ESCAPE = b"\r", b"\x1b"


async def test_the_teacher_watches_a_learners_screen(host_key: asyncssh.SSHKey,
                                                     tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, teacher=TEACHER, teacher_password=SECRET) as server:
        async with terminal(server, "ann") as ann:
            await ann.wait_for("step 0 of 22")
            async with connected(server, TEACHER, password=SECRET) as conn:
                view = await Terminal(conn, 100, 32).open()
                await view.wait_for("ann", "0/22")
                view.press(ENTER)
                await view.wait_for("ann's screen", "read-only", "80×24", "step 0 of 22")
                for _ in range(3):
                    ann.press(RIGHT)
                await ann.wait_for("step 3 of 22")
                await view.wait_for("step 3 of 22", timeout=10)
                # The teacher's keys stay in the view: the learner does not move.
                view.press(RIGHT + b"x")
                await asyncio.sleep(0.5)
                assert "step 3 of 22" in ann.text
                # The learner's own window, resized: the mirror follows.
                ann.resize(90, 26)
                await view.wait_for("90×26", timeout=10)
                view.press(b"q")  # back to the class, not the end of the view
                await view.wait_for("3/22")
                assert "read-only" not in view.text
                ann.press(RIGHT)
                await view.wait_for("4/22")
                view.press(ENTER)
                await view.wait_for("ann's screen", "step 4 of 22")
                view.press(ESCAPE)
                await view.wait_for("4/22")
                view.press(b"q")
                assert await view.exit_status() == 0
            ann.press(b"q")
            assert await ann.exit_status() == 0


async def test_a_learner_who_leaves_and_comes_back_is_mirrored_again(
        host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, teacher=TEACHER, teacher_password=SECRET) as server:
        async with connected(server, TEACHER, password=SECRET) as conn:
            view = await Terminal(conn, 100, 32).open()
            async with terminal(server, "ann") as ann:
                await ann.wait_for("step 0 of 22")
                ann.press(RIGHT + RIGHT)
                await ann.wait_for("step 2 of 22")
                await view.wait_for("ann", "2/22")
                view.press(ENTER)
                await view.wait_for("ann's screen", "step 2 of 22")
                ann.press(b"q")
                assert await ann.exit_status() == 0
            await view.wait_for("ann is not connected")
            async with terminal(server, "ann", cols=70, rows=20) as ann:
                await ann.wait_for("step 2 of 22")  # resumed
                await view.wait_for("70×20", "step 2 of 22", timeout=10)
                assert "not connected" not in view.text
                ann.press(b"q")
                assert await ann.exit_status() == 0
            view.press(b"q")
            await view.wait_for("Class")
            view.press(b"q")
            assert await view.exit_status() == 0
