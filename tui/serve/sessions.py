"""The session manager: how many learners at once, how many tutors starting at once, and
each session's clocks (idle timeout with a warning first, maximum duration)."""

from __future__ import annotations

import asyncio
from typing import Protocol

from tui.i18n import CATALOGUES
from tui.serve.options import ServeOptions

#: The warning comes this long before an idle session closes; a timeout shorter than two
#: minutes is warned at its half instead.
WARN_BEFORE = 60.0
#: Class views open at once.
MAX_TEACHERS = 4


def message(lang: str, key: str, **values: object) -> str:
    """A message in the learner's language (not the server's), as one terminal line."""
    text = CATALOGUES.get(lang, CATALOGUES["en"]).get(key) or CATALOGUES["en"][key]
    return text.format(**values)


def warning_lead(timeout: float) -> float:
    """How long before the end the warning comes: a minute, or half of a short timeout."""
    return min(WARN_BEFORE, timeout / 2)


class Session(Protocol):
    """What the manager needs of a session (tui.serve.server.TutorSession)."""

    learner: str

    def warn(self, kind: str, seconds: float) -> None: ...

    def end(self, reason: str) -> None: ...

    async def closed(self) -> None: ...


class SessionManager:
    """Every session the server holds, and the limits on them."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.sessions: set[Session] = set()
        self.starting = asyncio.Semaphore(options.max_starting)
        """Held by a tutor from its start until its first output."""
        self.teachers: set[Session] = set()
        """The class views open (``ssh teacher@``)."""
        self.child_pids: list[int] = []
        """Every tutor started (for the tests and the shutdown check)."""
        self.closing = False

    def admit(self, session: Session, teacher: bool = False) -> bool:
        """Take a session in, or False when the class is full (or the server is stopping).
        A teacher takes no learner's place (at most MAX_TEACHERS of them at once)."""
        if self.closing:
            return False
        if teacher:
            if len(self.teachers) >= MAX_TEACHERS:
                return False
            self.teachers.add(session)
            return True
        if len(self.sessions) >= self.options.max_sessions:
            return False
        self.sessions.add(session)
        return True

    def release(self, session: Session) -> None:
        """The session has ended."""
        self.sessions.discard(session)
        self.teachers.discard(session)

    def clock(self, session: Session, teacher: bool = False) -> Clock:
        """The idle and duration clock of one session (a teacher watching the class is not
        idle)."""
        idle = float("inf") if teacher else self.options.idle_timeout
        return Clock(session, idle, self.options.max_duration)

    async def close_all(self) -> None:
        """End every session (the server is stopping) and wait until each tutor is reaped."""
        self.closing = True
        sessions = list(self.sessions | self.teachers)
        for session in sessions:
            session.end("server-stop")
        await asyncio.gather(*(s.closed() for s in sessions), return_exceptions=True)


class Clock:
    """Ends a session left idle (warning first) or open too long."""

    def __init__(self, session: Session, idle: float, longest: float) -> None:
        self.session, self.idle, self.longest = session, idle, longest
        self._loop = asyncio.get_running_loop()
        self.started = self._loop.time()
        self._last_key = self.started
        self._warned_idle = False
        self._warned_long = False
        self._task: asyncio.Task[None] | None = self._loop.create_task(self._run())

    @property
    def elapsed(self) -> float:
        """Seconds since the session began."""
        return self._loop.time() - self.started

    def key(self) -> None:
        """The learner typed something: the idle clock starts again."""
        self._last_key = self._loop.time()
        self._warned_idle = False

    def stop(self) -> None:
        """The session is over."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        tick = max(0.05, min(1.0, self.idle / 8, self.longest / 8))
        while True:
            await asyncio.sleep(tick)
            now = self._loop.time()
            idle_for, open_for = now - self._last_key, now - self.started
            if open_for >= self.longest:
                self.session.end("max-duration")
                return
            if idle_for >= self.idle:
                self.session.end("idle")
                return
            if not self._warned_idle and idle_for >= self.idle - warning_lead(self.idle):
                self._warned_idle = True
                left = self.idle - idle_for
                self.session.warn("idle", left)
            if not self._warned_long and open_for >= self.longest - warning_lead(self.longest):
                self._warned_long = True
                left = self.longest - open_for
                self.session.warn("time", left)

