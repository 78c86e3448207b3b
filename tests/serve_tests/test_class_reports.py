"""The tutors' reports reach the class (issue 15): read from each tutor's channel into the
Classroom and the records file; a tutor that writes garbage or floods is cut off, runs on
with its learner none the wiser, and the rest of the class is not disturbed.

The tutor is a stand-in, tests/serve_tests/class_probe.py, that behaves by learner name."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import asyncssh
import pytest

from tests.serve_tests.conftest import serving, terminal
from tui.serve.child import is_gone
from tui.serve.classroom import Classroom
from tui.serve.records import Records
from tui.serve.server import TutorServer
from tui.serve.session import LearnerSession

PROBE = "tests.serve_tests.class_probe"
#: A report is in the classroom this soon after the tutor sent it.
ARRIVES = 1.0


async def _until(check: Callable[[], bool], timeout: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, f"{what}: not within {timeout} s"
        await asyncio.sleep(0.01)


def _learner(server: TutorServer, learner_id: str) -> dict[str, object]:
    learners = server.classroom.snapshot()["learners"]
    found = [row for row in learners if row["id"] == learner_id]  # type: ignore[union-attr]
    return found[0] if found else {}


def _session(server: TutorServer, learner: str) -> LearnerSession:
    found = [s for s in server.manager.sessions
             if isinstance(s, LearnerSession) and s.learner == learner]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("fork_server", [True, False], ids=["fork", "spawn"])
async def test_reports_reach_the_classroom_and_the_records(host_key: asyncssh.SSHKey,
                                                           tmp_path: Path,
                                                           fork_server: bool) -> None:
    db = tmp_path / "class.sqlite3"
    async with serving(host_key, tmp_path / "state", tutor_module=PROBE, db=db,
                       fork_server=fork_server) as server:
        async with terminal(server, "ann") as term:
            await term.wait_for("ann sent")
            await _until(lambda: _learner(server, "ann").get("revealed") == 1, ARRIVES,
                         "ann's reports")
            ann = _learner(server, "ann")
            assert {k: ann[k] for k in ("name", "connected", "lesson", "iteration", "step",
                                        "total", "phase", "right_first", "answered",
                                        "revealed", "last_slip")} == {
                "name": "ann", "connected": True, "lesson": "article", "iteration": 0,
                "step": 3, "total": 22, "phase": "delta", "right_first": 1, "answered": 2,
                "revealed": 1, "last_slip": "half"}
            assert server.classroom.snapshot()["slips"] == [
                {"phase": "loss", "slip": "half", "learners": 1}]
            version = server.classroom.version
            term.press(b"n")
            await term.wait_for("key n")
            await _until(lambda: _learner(server, "ann").get("step") == 4, ARRIVES,
                         "a report after a key")
            assert server.classroom.version > version
        await _until(lambda: _learner(server, "ann").get("connected") is False, 10,
                     "ann gone")
        live = _learner(server, "ann")
    # The server has closed: the records file holds what the class saw.
    records = Records.open(db)
    try:
        restored = Classroom()
        records.restore(restored)
    finally:
        records.close()
    again = restored.snapshot()["learners"][0]  # type: ignore[index]
    assert {k: v for k, v in again.items() if k != "idle_s"} == \
        {k: v for k, v in live.items() if k != "idle_s"}


@pytest.mark.parametrize("misbehaving", ["garbage", "flood"])
async def test_a_tutor_that_misbehaves_is_cut_off_and_the_class_goes_on(
        host_key: asyncssh.SSHKey, tmp_path: Path, misbehaving: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    async with serving(host_key, tmp_path / "state", tutor_module=PROBE) as server:
        async with terminal(server, "ann") as ann, terminal(server, misbehaving) as bad:
            await ann.wait_for("ann sent")
            await bad.wait_for(f"{misbehaving} sent")
            cut = _session(server, misbehaving)
            await _until(lambda: cut.cut, 5, "cut off")
            # Its tutor runs on, and its learner's keys still reach it.
            assert cut.tutor is not None and not is_gone(cut.tutor.pid)
            bad.press(b"x")
            await bad.wait_for("key x")
            assert cut.over is False
            # The server still reaches it: a notice comes through (as would a lead).
            cut.warn("idle", 30)
            bad.press(b"r")
            await bad.wait_for('got {"notice": "idle", "seconds": 30')
            # What it sent before it misbehaved counts; nothing after.
            expected_step = 1 if misbehaving == "garbage" else 199
            assert _learner(server, misbehaving)["step"] == expected_step
            # Another learner's reports still arrive.
            ann.press(b"n")
            await ann.wait_for("key n")
            await _until(lambda: _learner(server, "ann").get("step") == 4, ARRIVES,
                         "ann's report after the cut")
            assert _session(server, "ann")._channel is not None
    reason = "line-too-long" if misbehaving == "garbage" else "flood"
    said = [line for line in capsys.readouterr().err.splitlines() if "no longer read" in line]
    assert len(said) == 1 and misbehaving in said[0] and f"({reason})" in said[0], said
