"""The class records file (tui/serve/records.py): what is written comes back into a new
Classroom after a restart, what was committed survives the server being killed, writes are
batched, and a file of a newer schema or no database at all is refused, by ``serve`` too
(exit 2, one line)."""

from __future__ import annotations

import asyncio
import os
import select
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fresh_python import ROOT
from tests.serve_tests.conftest import LOOPBACK
from tui.i18n import CATALOGUES
from tui.serve.classroom import Classroom
from tui.serve.records import COMMIT_EVERY, SCHEMA_VERSION, Records, RecordsError
from tui.served import parse_report, report_line

EN = CATALOGUES["en"]
#: The fields a restart keeps as they were (idle_s counts from the last report, and nobody
#: is connected to a server that has just started).
KEPT = ("id", "name", "lesson", "iteration", "step", "total", "phase", "right_first",
        "answered", "revealed", "last_slip")


class FakeClock:
    def __init__(self) -> None:
        self.now = 2_000_000.0

    def __call__(self) -> float:
        return self.now


def _report(kind: str, **fields: object) -> dict[str, object]:
    report = parse_report(report_line(kind, **fields))
    assert report is not None
    return report


def _class_day(clock: FakeClock, *targets: Classroom | Records) -> None:
    """Some learners' sessions, told to each of ``targets``."""

    def tell(method: str, *args: object) -> None:
        for target in targets:
            getattr(target, method)(*args)

    tell("joined", "ann", "ann")
    tell("joined", "bob.00ff00ff00ff00ff", "bob")
    tell("report", "ann", _report("place", lesson="article", iteration=1, step=9, total=22,
                                  phase="update"))
    tell("report", "ann", _report("answer", lesson="article", iteration=1, step=4,
                                  phase="loss", outcome="wrong", first_try=True,
                                  slips=["half", "mean"]))
    tell("report", "ann", _report("answer", lesson="article", iteration=1, step=4,
                                  phase="loss", outcome="right", first_try=False, slips=[]))
    clock.now += 30
    tell("report", "bob.00ff00ff00ff00ff", _report(
        "answer", lesson="xor-sigmoid", iteration=0, step=2, phase="forward",
        outcome="right", first_try=True, slips=[]))
    tell("report", "bob.00ff00ff00ff00ff", _report(
        "answer", lesson="xor-sigmoid", iteration=0, step=3, phase="loss",
        outcome="revealed", first_try=True, slips=[]))
    tell("report", "bob.00ff00ff00ff00ff", _report(
        "answer", lesson="xor-sigmoid", iteration=0, step=7, phase="loss",
        outcome="wrong", first_try=True, slips=["half"]))
    tell("report", "bob.00ff00ff00ff00ff", _report("training", lesson="xor-sigmoid",
                                                   epochs=50))
    tell("left", "ann")
    tell("left", "bob.00ff00ff00ff00ff")


def test_a_restart_restores_the_class(tmp_path: Path) -> None:
    clock = FakeClock()
    live = Classroom(clock)
    records = Records.open(tmp_path / "class.sqlite3", clock=clock)
    _class_day(clock, live, records)
    records.close()
    records.close()  # idempotent
    assert (tmp_path / "class.sqlite3").stat().st_mode & 0o077 == 0  # it names learners

    clock.now += 100
    again = Classroom(clock)
    reopened = Records.open(tmp_path / "class.sqlite3", clock=clock)
    try:
        reopened.restore(again)
    finally:
        reopened.close()
    before, after = live.snapshot(), again.snapshot()
    assert [{k: row[k] for k in KEPT} for row in after["learners"]] == \
        [{k: row[k] for k in KEPT} for row in before["learners"]]  # type: ignore[union-attr]
    assert after["slips"] == before["slips"] == [
        {"phase": "loss", "slip": "half", "learners": 2},
        {"phase": "loss", "slip": "mean", "learners": 1}]
    assert [row["connected"] for row in after["learners"]] == [False, False]  # type: ignore[union-attr]
    # idle since each learner's last report
    assert [row["idle_s"] for row in after["learners"]] == [130.0, 100.0]  # type: ignore[union-attr]
    assert again.results_csv() == live.results_csv()


def test_the_file_is_in_wal_mode_with_its_schema_version(tmp_path: Path) -> None:
    records = Records.open(tmp_path / "class.sqlite3")
    try:
        reader = sqlite3.connect(tmp_path / "class.sqlite3")
        try:
            assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert reader.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 1
            tables = {row[0] for row in reader.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            assert {"learners", "places", "answers"} <= tables
        finally:
            reader.close()
    finally:
        records.close()


async def test_writes_are_committed_in_batches_from_the_event_loop(tmp_path: Path) -> None:
    path = tmp_path / "class.sqlite3"
    records = Records.open(path)
    reader = sqlite3.connect(path)
    try:
        def answers() -> int:
            return int(reader.execute("SELECT count(*) FROM answers").fetchone()[0])

        records.joined("ann", "ann")
        for step in range(20):
            records.report("ann", _report("answer", lesson="article", iteration=0, step=step,
                                          phase="loss", outcome="right", first_try=True,
                                          slips=[]))
        assert answers() == 0  # not yet committed
        loop = asyncio.get_running_loop()
        deadline = loop.time() + COMMIT_EVERY + 5
        while answers() < 20:
            assert loop.time() < deadline, "never committed"
            await asyncio.sleep(0.02)
    finally:
        reader.close()
        records.close()


_CRASH = """
import sys, time
from tui.serve.records import Records
from tui.served import parse_report, report_line

def answer(step):
    return parse_report(report_line("answer", lesson="article", iteration=0, step=step,
                                    phase="loss", outcome="wrong", first_try=True,
                                    slips=["half"]))

records = Records.open(sys.argv[1])
records.joined("ann", "ann")
for step in range(5):
    records.report("ann", answer(step))
records.flush()
records.report("ann", answer(99))  # never committed
print("committed", flush=True)
time.sleep(60)
"""


def test_a_killed_server_keeps_what_was_committed(tmp_path: Path) -> None:
    path = tmp_path / "class.sqlite3"
    process = subprocess.Popen([sys.executable, "-c", _CRASH, str(path)], cwd=tmp_path,
                               env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([process.stdout], [], [], 60)
        assert ready and process.stdout is not None
        assert process.stdout.readline().strip() == "committed"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    room = Classroom()
    records = Records.open(path)
    try:
        records.restore(room)
    finally:
        records.close()
    [ann] = room.snapshot()["learners"]  # type: ignore[misc]
    assert ann["answered"] == 5 and ann["last_slip"] == "half"


def _user_version(path: Path, version: int) -> None:
    db = sqlite3.connect(path)
    try:
        db.execute(f"PRAGMA user_version = {version}")
        db.commit()
    finally:
        db.close()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "class.sqlite3"
    Records.open(path).close()
    _user_version(path, 99)
    with pytest.raises(RecordsError) as refused:
        Records.open(path)
    assert refused.value.message() == EN["class.db_newer"].format(
        path=path, version=99, supported=SCHEMA_VERSION)


def test_another_database_or_no_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE photos (id INTEGER)")
    db.commit()
    db.close()
    with pytest.raises(RecordsError) as refused:
        Records.open(other)
    assert refused.value.args[0][0] == "class.db_foreign"
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database " * 1000)
    with pytest.raises(RecordsError) as refused:
        Records.open(junk)
    assert refused.value.args[0][0] == "class.db_unreadable"
    assert "not a database" in refused.value.message()
    with pytest.raises(RecordsError):
        Records.open(tmp_path / "no-such-folder" / "class.sqlite3")
    assert junk.read_bytes() == b"not a database " * 1000  # refused, and left as it was


def _serve(state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_STATE_HOME": str(state), "LANG": "C.UTF-8",
           "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "tui.cli", "serve", "--ssh",
                           f"{LOOPBACK}:0", *args], cwd=state, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def test_serve_refuses_such_files_with_exit_2(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    Records.open(newer).close()
    _user_version(newer, 99)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"junk " * 2000)
    for path, said in ((newer, "newer"), (junk, "cannot be used")):
        done = _serve(tmp_path, "--db", str(path))
        assert done.returncode == 2, done.stderr
        assert said in done.stderr and str(path) in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stdout == ""  # never listened
