"""What a served tutor tells its server about the learner, for the teacher's view of the
class (tui/served.py has the lines' forms): where the learner is, the quiz's answers, the
training runs. No Textual here.

Places come with every move, up to dozens a second while a key is held down: the
:class:`Reporter` sends one at once, then at most one per :data:`PLACE_EVERY` seconds, the
latest (the app calls :meth:`Reporter.flush_due` from a timer at :meth:`Reporter.due`).
Answers and training runs are rare and go at once. A report the server would refuse is never
sent: names are made printable and short first, and what is still refused is dropped. Nor are
more than :data:`BUDGET` reports sent in any :data:`WINDOW` seconds, half what the server
takes before it cuts a tutor off as a flood (tui/serve/session.py): beyond it, answers and
training runs are dropped and the place waits.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable

from tui.served import MAX_TEXT, report_line

#: The shortest time between two place reports, in seconds.
PLACE_EVERY = 0.25
#: The most slips an answer report names (tui/served.py refuses more).
MAX_SLIPS = 4
#: At most BUDGET reports in any WINDOW seconds.
BUDGET = 100
WINDOW = 10.0

#: A place: lesson, iteration, steps done, steps in the iteration, phase of the last one.
Place = tuple[str, int, int, int, str | None]


def clean(text: str) -> str:
    """``text`` as a report may carry it: printable characters only, at most
    :data:`~tui.served.MAX_TEXT` of them."""
    return "".join(c for c in text if c.isprintable())[:MAX_TEXT]


class Reporter:
    """Report lines to ``send`` (:meth:`tui.served.ServerChannel.send`), places coalesced."""

    def __init__(self, send: Callable[[bytes], None],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._send = send
        self._clock = clock
        self._sent: Place | None = None
        """The last place sent."""
        self._sent_at: float | None = None
        """When it was sent (on ``clock``)."""
        self._pending: Place | None = None
        """The latest place, waiting for its due time."""
        self._times: deque[float] = deque(maxlen=BUDGET)
        """When the last reports were sent."""

    def place(self, lesson: str, iteration: int, step: int, total: int,
              phase: str | None) -> None:
        """The learner is ``step`` steps of ``total`` into ``iteration`` of ``lesson``; the
        step just done is of ``phase`` (None before the first step). Sent now if the last
        place went out :data:`PLACE_EVERY` seconds ago or more, else kept until
        :meth:`due`; the place last sent is not sent again."""
        place: Place = (clean(lesson), iteration, step, total, phase)
        if place == self._sent:
            self._pending = None  # back where the server knows the learner is
            return
        due = self.due_after()
        if due is not None and self._clock() < due:
            self._pending = place
        else:
            self._send_place(place)

    def due_after(self) -> float | None:
        """When the next place may go out (None: at once)."""
        last = None if self._sent_at is None else self._sent_at + PLACE_EVERY
        times = [t for t in (last, self._free_at()) if t is not None]
        return max(times) if times else None

    def _free_at(self) -> float | None:
        """When the budget allows another report (None: it does now)."""
        return self._times[0] + WINDOW if len(self._times) == BUDGET else None

    def due(self) -> float | None:
        """When the place that waits is to be sent (on ``clock``); None when none waits."""
        return None if self._pending is None else self.due_after()

    def flush_due(self) -> None:
        """Send the place that waits, if its time has come."""
        due = self.due()
        if due is not None and self._clock() >= due:
            self.flush()

    def flush(self) -> None:
        """Send the place that waits now, whatever the time (the tutor is closing)."""
        if self._pending is not None:
            self._send_place(self._pending)

    def _send_place(self, place: Place) -> None:
        self._pending = None
        lesson, iteration, step, total, phase = place
        if self._report("place", lesson=lesson, iteration=iteration, step=step, total=total,
                        phase=phase):
            self._sent, self._sent_at = place, self._clock()

    def answer(self, lesson: str, iteration: int, step: int, phase: str, outcome: str,
               first_try: bool, slips: Iterable[str] = ()) -> None:
        """A quiz answer judged at ``step`` (counted from 1) of ``iteration``: ``outcome``
        is ``right``, ``wrong`` or ``revealed``; ``slips`` name a wrong one's likely slips."""
        named = [s for s in (clean(s) for s in slips if isinstance(s, str)) if s][:MAX_SLIPS]
        self._report("answer", lesson=clean(lesson), iteration=iteration, step=step,
                     phase=phase, outcome=outcome, first_try=first_try, slips=named)

    def training(self, lesson: str, epochs: int) -> None:
        """A training run of ``epochs`` epochs on ``lesson``."""
        self._report("training", lesson=clean(lesson), epochs=epochs)

    def _report(self, kind: str, **fields: object) -> bool:
        """Send one report; False when the server would refuse it, or the budget is spent
        (then nothing is sent)."""
        free_at, now = self._free_at(), self._clock()
        if free_at is not None and now < free_at:
            return False
        try:
            line = report_line(kind, **fields)
        except (ValueError, TypeError):
            return False
        self._send(line)
        self._times.append(now)
        return True
