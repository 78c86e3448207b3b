"""The teacher leads the class end to end: the teacher's real view moves every learner's real
tutor to a step, to the start of the backward pass (keys g, b), to a lesson of the teacher's
folder (l), and shows them a message (m), as the learners' own screens show."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncssh

from engine import builtin, dump_scenario
from tests.serve_tests.conftest import RIGHT, Terminal, connected, serving, terminal

TEACHER, SECRET = "teach", "chalk-and-talk"


async def test_the_teacher_moves_everyone_to_a_folder_lesson(host_key: asyncssh.SSHKey,
                                                            tmp_path: Path) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "week-2.toml").write_text(
        dump_scenario(builtin("xor-sigmoid").with_changes(name="week-two")), encoding="utf-8")
    async with serving(host_key, tmp_path / "state", teacher=TEACHER, teacher_password=SECRET,
                       lessons=folder) as server:
        async with terminal(server, "ann") as ann, terminal(server, "bo") as bo:
            await ann.wait_for("step 0 of 22")
            await bo.wait_for("step 0 of 22")
            for _ in range(4):
                ann.press(RIGHT)
            await ann.wait_for("step 4 of 22")
            async with connected(server, TEACHER, password=SECRET) as conn:
                view = await Terminal(conn, 100, 30).open()
                await view.wait_for("ann", "bo", "4/22")
                view.press(b"l")
                await view.wait_for("Everyone to a lesson", "week-2.toml")
                for _ in range(3):  # past the three built-in lessons
                    view.press(b"\x1b[B")
                view.press(b"\r")
                await view.wait_for("Sent: everyone to the lesson week-2.toml")
                for learner in (ann, bo):
                    await learner.wait_for("week-two │", "step 0 of 50", timeout=10)
                await view.wait_for("week-two", timeout=10)
                view.press(b"q")
                assert await view.exit_status() == 0
            for learner in (ann, bo):
                learner.press(b"q")
                assert await learner.exit_status() == 0


async def test_everyone_to_a_step_to_the_backward_pass_and_a_message(
        host_key: asyncssh.SSHKey, tmp_path: Path) -> None:
    async with serving(host_key, tmp_path, teacher=TEACHER, teacher_password=SECRET) as server:
        async with terminal(server, "ann") as ann, terminal(server, "bo") as bo, \
                terminal(server, "cy") as cy:
            learners = (ann, bo, cy)
            for n, learner in enumerate(learners):
                await learner.wait_for("step 0 of 22")
                for _ in range(2 * n):
                    learner.press(RIGHT)
                await learner.wait_for(f"step {2 * n} of 22")
            async with connected(server, TEACHER, password=SECRET) as conn:
                view = await Terminal(conn, 100, 30).open()
                await view.wait_for("ann", "bo", "cy", "4/22")
                view.press(b"g")
                await view.wait_for("Everyone to step")
                for key in (b"\x7f", b"\x7f", b"\x7f", b"7", b"\r"):
                    view.press(key)
                    await asyncio.sleep(0.1)
                await view.wait_for("Sent: everyone to step 7")
                for learner in learners:
                    await learner.wait_for("step 7 of 22", timeout=10)
                view.press(b"b")
                for learner in learners:
                    # Before the backward pass's first step, its pane (the deltas) on show.
                    await learner.wait_for("step 5 of 22", "▶3 Deltas", timeout=10)
                view.press(b"m")
                await view.wait_for("Message to the class")
                view.press(b"Look at the deltas\r")
                for learner in learners:
                    await learner.wait_for("Teacher: Look at the deltas", timeout=10)
                    assert "step 5 of 22" in learner.text.splitlines()[0]
                await view.wait_for("5/22")
                assert "7/22" not in view.text
                view.press(b"q")
                assert await view.exit_status() == 0
            for learner in learners:
                learner.press(b"q")
                assert await learner.exit_status() == 0
