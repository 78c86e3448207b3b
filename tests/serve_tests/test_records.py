"""The class records file (tui/serve/records.py): what is written comes back into a new
Classroom after a restart, what was committed survives the server being killed, writes are
batched, a learner's last key is written now and then (not at every key) and counts for
their idle time after a restart, a file of the previous schema (version 1) is brought up to
this one with every row kept, and a file of a newer schema or no database at all is refused,
by ``serve`` too (exit 2, one line)."""

from __future__ import annotations

import asyncio
import os
import select
import shutil
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
from tui.serve.records import (
    COMMIT_EVERY,
    KEY_EVERY,
    MIGRATIONS,
    SCHEMA_V1,
    SCHEMA_VERSION,
    Records,
    RecordsError,
)
from tui.served import parse_report, report_line

EN = CATALOGUES["en"]
#: The fields a restart keeps as they were (idle_s counts from the last report or key, and
#: nobody is connected to a server that has just started).
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
            assert reader.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
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


@pytest.mark.parametrize("version", [SCHEMA_VERSION + 1, 99])
def test_a_newer_schema_is_refused(tmp_path: Path, version: int) -> None:
    path = tmp_path / "class.sqlite3"
    Records.open(path).close()
    _user_version(path, version)
    with pytest.raises(RecordsError) as refused:
        Records.open(path)
    assert refused.value.message() == EN["class.db_newer"].format(
        path=path, version=version, supported=SCHEMA_VERSION)
    assert _read(path, "PRAGMA user_version") == [(version,)]  # left as it was


# --- the last key (schema version 2) ------------------------------------------------------


def _read(path: Path, sql: str) -> list[tuple[object, ...]]:
    """What another connection (a teacher's script) reads from the file now."""
    reader = sqlite3.connect(path)
    try:
        return reader.execute(sql).fetchall()
    finally:
        reader.close()


def test_the_last_key_is_written_now_and_then_and_counts_after_a_restart(
        tmp_path: Path) -> None:
    path = tmp_path / "class.sqlite3"
    clock = FakeClock()
    start = clock.now
    records = Records.open(path, clock=clock)
    statements: list[str] = []
    assert records._db is not None
    records._db.set_trace_callback(statements.append)
    records.joined("ann", "ann")
    records.report("ann", _report("place", lesson="article", iteration=0, step=3, total=22,
                                  phase="forward"))
    last = start
    for _ in range(200):  # a key every 0.1 s for 20 s
        records.key("ann")
        last = clock.now
        clock.now += 0.1
    records.flush()
    writes = [s for s in statements if "last_key" in s]
    assert 1 < len(writes) <= 20 / KEY_EVERY + 1, writes  # not one a key
    last_key = _read(path, "SELECT last_key FROM learners")[0][0]
    assert last - KEY_EVERY < last_key <= last  # within KEY_EVERY of the last
    records.left("ann")  # the last key, exactly, as the session ends
    records.close()
    assert _read(path, "SELECT last_key FROM learners") == [(last,)]

    clock.now = start + 100
    again = Classroom(clock)
    reopened = Records.open(path, clock=clock)
    try:
        reopened.restore(again)
    finally:
        reopened.close()
    [ann] = again.snapshot()["learners"]  # type: ignore[misc]
    assert ann["idle_s"] == 80.1  # since the last key, not the report at the start (100 s)
    assert ann["step"] == 3


def test_keys_not_yet_written_are_written_on_close(tmp_path: Path) -> None:
    path = tmp_path / "class.sqlite3"
    clock = FakeClock()
    records = Records.open(path, clock=clock)
    records.joined("ann", "ann")
    records.key("ann")
    clock.now += 1
    records.key("ann")  # throttled: not written yet
    records.flush()
    assert _read(path, "SELECT last_key FROM learners") == [(clock.now - 1,)]
    records.close()  # the server stopping, ann still connected
    assert _read(path, "SELECT last_key FROM learners") == [(clock.now,)]


# --- a file of the previous schema (version 1) --------------------------------------------

#: Made by the version 1 code (tui/serve/records.py before schema version 2), before it was
#: changed: ``Records.open(path, clock=FakeClock())``, then ``_class_day(clock, records)``
#: as in this file, then ``records.close()`` (its journal in WAL mode, as the server leaves
#: it). Never written by the tests: each opens a copy.
V1_FILE = Path(__file__).parent / "data" / "class-v1.sqlite3"
#: What the v1 file holds, table -> rows.
V1_COUNTS = {"learners": 2, "places": 1, "answers": 5, "trainings": 1}


def _counts(path: Path) -> dict[str, int]:
    return {table: _read(path, f"SELECT count(*) FROM {table}")[0][0]  # type: ignore[misc]
            for table in V1_COUNTS}


def _columns(path: Path, table: str) -> list[str]:
    return [str(row[1]) for row in _read(path, f"PRAGMA table_info({table})")]


def test_the_committed_v1_file_is_brought_up_to_date_with_all_it_held(
        tmp_path: Path) -> None:
    path = tmp_path / "class.sqlite3"
    shutil.copyfile(V1_FILE, path)
    assert _read(path, "PRAGMA user_version") == [(1,)]
    rows_before = {table: _read(path, f"SELECT * FROM {table} ORDER BY 1")
                   for table in V1_COUNTS}
    assert "last_key" not in _columns(path, "learners")

    # The class it recorded, told again to a live classroom at the same times.
    clock = FakeClock()
    live = Classroom(clock)
    _class_day(clock, live)
    clock.now += 100
    again = Classroom(clock)
    records = Records.open(path, clock=clock)
    try:
        records.restore(again)
    finally:
        records.close()
    assert _read(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)] == [(2,)]
    assert "last_key" in _columns(path, "learners")
    assert _counts(path) == V1_COUNTS
    for table, rows in rows_before.items():  # every row kept, as it was (no key yet)
        after = _read(path, f"SELECT * FROM {table} ORDER BY 1")
        extra = (None,) if table == "learners" else ()
        assert after == [row + extra for row in rows], table
    before, after = live.snapshot(), again.snapshot()
    assert [{k: row[k] for k in KEPT} for row in after["learners"]] == \
        [{k: row[k] for k in KEPT} for row in before["learners"]]  # type: ignore[union-attr]
    assert [(row["step"], row["right_first"], row["answered"], row["revealed"])
            for row in after["learners"]] == [(9, 0, 1, 0), (None, 1, 2, 1)]  # type: ignore[union-attr]
    assert after["slips"] == before["slips"]
    assert again.results_csv() == live.results_csv()
    assert [row["idle_s"] for row in after["learners"]] == [130.0, 100.0]  # type: ignore[union-attr]
    assert V1_FILE.read_bytes()[:16] == b"SQLite format 3\x00"


def _v1_file(path: Path) -> None:
    """A version 1 file made from the version 1 schema (MIGRATIONS[1]), with a learner."""
    db = sqlite3.connect(path)
    try:
        db.executescript(f"{MIGRATIONS[1]}\nPRAGMA user_version = 1;")
        db.execute("INSERT INTO learners VALUES ('ann', 'ann', 10.0, 20.0, NULL)")
        db.execute("INSERT INTO places VALUES ('ann', 20.0, 'article', 0, 5, 22, 'loss')")
        db.commit()
    finally:
        db.close()


def test_a_v1_file_is_migrated_in_one_transaction(tmp_path: Path) -> None:
    assert MIGRATIONS[1] == SCHEMA_V1
    path = tmp_path / "class.sqlite3"
    _v1_file(path)
    records = Records.open(path, clock=lambda: 50.0)
    records.key("ann")
    records.close()
    assert _read(path, "PRAGMA user_version") == [(2,)]
    assert _read(path, "SELECT id, last_seen, last_key FROM learners") == [("ann", 20.0, 50.0)]
    assert _read(path, "SELECT step FROM places") == [(5,)]
    # A new file and a migrated one have the same tables and columns.
    new = tmp_path / "new.sqlite3"
    Records.open(new).close()
    for table in V1_COUNTS:
        assert _columns(new, table) == _columns(path, table)

    # A migration that fails leaves the file as it was: version 1, every row.
    broken = tmp_path / "broken.sqlite3"
    _v1_file(broken)
    columns = _columns(broken, "learners")
    db = sqlite3.connect(broken)
    try:  # a v1 file that has the column already: its ALTER TABLE fails
        db.execute("ALTER TABLE learners ADD COLUMN last_key REAL")
        db.execute("INSERT INTO trainings VALUES (1, 30.0, 'ann', 'article', 5)")
        db.commit()
    finally:
        db.close()
    with pytest.raises(RecordsError) as refused:
        Records.open(broken)
    assert refused.value.args[0][0] == "class.db_unreadable"
    assert _read(broken, "PRAGMA user_version") == [(1,)]
    assert _columns(broken, "learners") == [*columns, "last_key"]
    assert _read(broken, "SELECT id FROM learners") == [("ann",)]
    assert _read(broken, "SELECT count(*) FROM trainings") == [(1,)]


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
