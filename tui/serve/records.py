"""The class records that last (issue 15): who came, where each learner last was, and every
quiz answer, in one SQLite file (default ``<state dir>/class.sqlite3``, ``serve --db``), so
that the teacher's view survives a restart or a crash of the server.

The server is the only writer (WAL mode: a reader, a teacher's script, never blocks it).
Writes are batched: each runs at once inside a transaction that is committed at most
:data:`COMMIT_EVERY` seconds later (from the event loop), on :meth:`Records.flush`, or on
:meth:`Records.close`; a crash loses at most that last half second. A file of a newer
schema, or one that is not a database, is refused with :class:`RecordsError`; one of an
older schema is brought up to this one (:data:`MIGRATIONS`) in one transaction as it is
opened, every row kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from tui.i18n import t
from tui.serve.classroom import Classroom

#: The schema this code writes (``PRAGMA user_version``).
SCHEMA_VERSION = 2
COMMIT_EVERY = 0.5
#: How long a statement waits for a lock someone else holds (a reader's checkpoint).
BUSY_TIMEOUT_MS = 2000
#: A learner's last key is written at most this often (seconds): keys come many a second,
#: and a restart needs their idle time only to within a few seconds.
KEY_EVERY = 5.0

#: The first schema (version 1), kept as it was: a new file starts from it, like a file
#: written by the first version of the server, and :data:`MIGRATIONS` take both on.
SCHEMA_V1 = """
CREATE TABLE learners (
    id TEXT PRIMARY KEY,          -- the learner's directory name (name, or name.keyid)
    name TEXT NOT NULL,           -- the name shown
    first_seen REAL NOT NULL,     -- unix time
    last_seen REAL NOT NULL,      -- their last join or report
    last_left REAL                -- the end of their last session
);
CREATE TABLE places (
    learner TEXT PRIMARY KEY REFERENCES learners(id),
    time REAL NOT NULL,
    lesson TEXT NOT NULL,
    iteration INTEGER NOT NULL,
    step INTEGER NOT NULL,
    total INTEGER NOT NULL,
    phase TEXT
);
CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    time REAL NOT NULL,
    learner TEXT NOT NULL REFERENCES learners(id),
    lesson TEXT NOT NULL,
    iteration INTEGER NOT NULL,
    step INTEGER NOT NULL,
    phase TEXT NOT NULL,
    outcome TEXT NOT NULL,        -- right, wrong or revealed
    first_try INTEGER NOT NULL,   -- 0 or 1
    slips TEXT NOT NULL           -- a JSON list of slip names
);
CREATE INDEX answers_by_learner ON answers(learner, id);
CREATE TABLE trainings (
    id INTEGER PRIMARY KEY,
    time REAL NOT NULL,
    learner TEXT NOT NULL REFERENCES learners(id),
    lesson TEXT NOT NULL,
    epochs INTEGER NOT NULL
);
"""
#: version -> the SQL that brings a file of the version before up to it (a new file is
#: version 0). Run with the new user_version in one transaction, so a file is of one
#: version or the next, never half of one; a migration keeps every row.
MIGRATIONS: dict[int, str] = {
    1: SCHEMA_V1,
    # Version 2: the learner's last key (unix time, written every KEY_EVERY seconds at
    # most), so that after a restart their idle time counts from it, not their last report.
    2: "ALTER TABLE learners ADD COLUMN last_key REAL;",
}
_TABLES = {"learners", "places", "answers", "trainings"}


class RecordsError(Exception):
    """A records file that cannot be used: ``args[0]`` is (message key, values)."""

    def message(self) -> str:
        """The reason, in the server's language."""
        key, values = self.args[0]
        return t(key, **values)


class Records:
    """The class records file, open for writing (the server's only writer)."""

    def __init__(self, path: Path, connection: sqlite3.Connection,
                 say: Callable[[str], None], clock: Callable[[], float]) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = connection
        self._say = say
        self._clock = clock
        self._in_transaction = False
        self._timer: asyncio.TimerHandle | None = None
        self._failing = False
        """A write or commit failed and the teacher was told (once, until one succeeds)."""
        self._keys: dict[str, float] = {}
        """learner id -> the time of their last key (learners in class now)."""
        self._keys_written: dict[str, float] = {}
        """learner id -> the last key time written (the throttle: :data:`KEY_EVERY`)."""

    @classmethod
    def open(cls, path: Path | str, say: Callable[[str], None] = lambda _text: None,
             clock: Callable[[], float] = time.time) -> Records:
        """Open (or make, mode 0600: it names learners) the records file, bringing one of an
        older schema up to this one; RecordsError when it is of a newer schema, not ours,
        or unreadable."""
        path = Path(path)
        shown = str(path)
        try:
            if not path.exists():
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
            db = sqlite3.connect(path, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise RecordsError(("class.db_unreadable",
                                {"path": shown, "reason": _reason(error)})) from error
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RecordsError(("class.db_newer", {"path": shown, "version": version,
                                                       "supported": SCHEMA_VERSION}))
            tables = {row[0] for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if version == 0 and tables:
                raise RecordsError(("class.db_foreign", {"path": shown}))
            if version > 0 and not _TABLES <= tables:
                raise RecordsError(("class.db_foreign", {"path": shown}))
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise RecordsError(("class.db_unreadable",
                                    {"path": shown, "reason": f"journal mode {mode}"}))
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            if version < SCHEMA_VERSION:  # a new file, or one of an older schema
                version = _migrate(db)
                if version > SCHEMA_VERSION:  # made newer meanwhile, by a newer server
                    raise RecordsError(("class.db_newer", {
                        "path": shown, "version": version, "supported": SCHEMA_VERSION}))
            check = db.execute("PRAGMA quick_check(1)").fetchone()[0]
            if check != "ok":
                raise RecordsError(("class.db_unreadable", {"path": shown, "reason": check}))
        except RecordsError:
            db.close()
            raise
        except sqlite3.Error as error:
            db.close()
            raise RecordsError(("class.db_unreadable",
                                {"path": shown, "reason": _reason(error)})) from error
        return cls(path, db, say, clock)

    # --- what happens ------------------------------------------------------------------------

    def joined(self, learner_id: str, name: str) -> None:
        """A session of this learner began."""
        now = self._clock()
        self._write("INSERT INTO learners (id, name, first_seen, last_seen) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                    " last_seen = excluded.last_seen", (learner_id, name, now, now))

    def left(self, learner_id: str) -> None:
        """A session of this learner ended (their last key written, if it was not)."""
        self._write_key(learner_id)
        self._keys.pop(learner_id, None)
        self._keys_written.pop(learner_id, None)
        self._write("UPDATE learners SET last_left = ? WHERE id = ?",
                    (self._clock(), learner_id))

    def key(self, learner_id: str) -> None:
        """The learner typed something: its time is written at most every
        :data:`KEY_EVERY` seconds (a write per key would be one a keystroke), in the batch
        like any other write, so that a restart counts their idle time from it."""
        now = self._keys[learner_id] = self._clock()
        written = self._keys_written.get(learner_id)
        if written is None or now - written >= KEY_EVERY:
            self._write_key(learner_id)

    def _write_key(self, learner_id: str) -> None:
        """The learner's last key, unless it is written already."""
        last = self._keys.get(learner_id)
        if last is None or self._keys_written.get(learner_id) == last:
            return
        self._keys_written[learner_id] = last
        self._write("UPDATE learners SET last_key = ? WHERE id = ?", (last, learner_id))

    def report(self, learner_id: str, report: Mapping[str, object]) -> None:
        """A report from the learner's tutor (tui.served.parse_report's dict)."""
        now = self._clock()
        self._seen(learner_id, now)
        kind = report.get("report")
        if kind == "place":
            self._write("INSERT OR REPLACE INTO places (learner, time, lesson, iteration, step,"
                        " total, phase) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (learner_id, now, report["lesson"], report["iteration"],
                         report["step"], report["total"], report["phase"]))
        elif kind == "answer":
            self._write("INSERT INTO answers (time, learner, lesson, iteration, step, phase,"
                        " outcome, first_try, slips) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (now, learner_id, report["lesson"], report["iteration"],
                         report["step"], report["phase"], report["outcome"],
                         int(bool(report["first_try"])),
                         json.dumps(report["slips"], ensure_ascii=False)))
        elif kind == "training":
            self._write("INSERT INTO trainings (time, learner, lesson, epochs)"
                        " VALUES (?, ?, ?, ?)",
                        (now, learner_id, report["lesson"], report["epochs"]))

    def _seen(self, learner_id: str, now: float) -> None:
        # A learner the records have not met (joined failed to be written): met now.
        self._write("INSERT INTO learners (id, name, first_seen, last_seen) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT(id) DO UPDATE SET last_seen = excluded.last_seen",
                    (learner_id, learner_id, now, now))

    # --- writing -----------------------------------------------------------------------------

    def _write(self, sql: str, values: tuple[object, ...]) -> None:
        """Run one statement in the open batch, and see that the batch is committed soon."""
        if self._db is None:  # closed: the server is stopping
            return
        try:
            if not self._in_transaction:
                self._db.execute("BEGIN")
                self._in_transaction = True
            self._db.execute(sql, values)
        except sqlite3.Error as error:
            self._failed(error)
            return
        self._schedule()

    def _schedule(self) -> None:
        if self._timer is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a script, a test): flush() or close() commits
            return
        self._timer = loop.call_later(COMMIT_EVERY, self._commit_later)

    def _commit_later(self) -> None:
        self._timer = None
        self.flush()

    def flush(self) -> None:
        """Commit what has been written so far."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._in_transaction or self._db is None:
            return
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            self._failed(error)
            return
        self._in_transaction = False
        self._failing = False

    def _failed(self, error: sqlite3.Error) -> None:
        """A write failed (a full disk, the file removed): the batch is lost, the class
        goes on, and the teacher is told once until writing works again."""
        with contextlib.suppress(sqlite3.Error):
            if self._db is not None and self._db.in_transaction:
                self._db.execute("ROLLBACK")
        self._in_transaction = False
        self._keys_written.clear()  # those were in the batch lost: written again next time
        if not self._failing:
            self._failing = True
            self._say(t("class.db_write", path=self.path, reason=_reason(error)))

    def close(self) -> None:
        """Write the last keys not yet written, commit, and close the file (idempotent)."""
        if self._db is None:
            return
        for learner_id in list(self._keys):
            self._write_key(learner_id)
        self.flush()
        db, self._db = self._db, None
        with contextlib.suppress(sqlite3.Error):
            db.close()

    # --- reading -----------------------------------------------------------------------------

    def restore(self, classroom: Classroom) -> None:
        """Load every learner's latest place, answers and last time (their last report or
        key, whichever came later) into ``classroom`` (the server starting again: nobody is
        connected yet)."""
        db = self._db
        assert db is not None, "restore() after close()"
        try:
            places = {row[0]: {"lesson": row[1], "iteration": row[2], "step": row[3],
                               "total": row[4], "phase": row[5]}
                      for row in db.execute("SELECT learner, lesson, iteration, step, total,"
                                            " phase FROM places")}
            answers: dict[str, list[dict[str, object]]] = {}
            for learner, phase, outcome, first_try, slips in db.execute(
                    "SELECT learner, phase, outcome, first_try, slips FROM answers"
                    " ORDER BY id"):
                answers.setdefault(learner, []).append(
                    {"phase": phase, "outcome": outcome, "first_try": bool(first_try),
                     "slips": _slips(slips)})
            learners = db.execute("SELECT id, name, last_seen, last_key FROM learners"
                                  " ORDER BY id").fetchall()
        except sqlite3.Error as error:  # a file damaged past what quick_check looked at
            raise RecordsError(("class.db_unreadable",
                                {"path": str(self.path), "reason": _reason(error)})) from error
        for learner_id, name, last_seen, last_key in learners:
            last = float(last_seen) if last_key is None else max(float(last_seen),
                                                                 float(last_key))
            classroom.restore(str(learner_id), str(name), last,
                              places.get(learner_id), answers.get(learner_id, ()))


def _migrate(db: sqlite3.Connection) -> int:
    """Bring the file up to :data:`SCHEMA_VERSION` in one transaction (its version read
    again inside it: another server may have got there first); the version it is now."""
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version < SCHEMA_VERSION:
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[target]):
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            version = SCHEMA_VERSION
        db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    return int(version)


def _statements(script: str) -> list[str]:
    """A script's statements, one by one (``executescript`` would commit the transaction
    they must run in)."""
    statements, statement = [], ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            statements.append(statement.strip())
            statement = ""
    if statement.strip():  # a last statement without its ';'
        statements.append(statement.strip())
    return statements


def _slips(text: str) -> list[str]:
    try:
        slips = json.loads(text)
    except (TypeError, ValueError):
        return []
    return [s for s in slips if isinstance(s, str)] if isinstance(slips, list) else []


def _reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error) or type(error).__name__
