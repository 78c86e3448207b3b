"""The class as the teacher sees it (issue 15): who is here, where each learner is in the
lesson, how their quiz answers went, and the slips the class makes most, kept live from
the reports each tutor sends on its channel (tui/served.py). No Textual here: the teacher's
view reads :meth:`Classroom.snapshot`, and redraws when :attr:`Classroom.version` moved.

A learner is keyed by their directory's name (tui/serve/auth.py ``learner_dir``: the name,
or ``name.keyid`` for a key login), and shown by their name. The counts are of the
quiz's steps as each was met the first time (``first_try``: the tutor had no answer to
that step yet; an answer given again, on a second pass, counts only for its slips):

* ``answered``: steps answered (right or wrong);
* ``right_first``: those answered right;
* ``revealed``: steps revealed instead of answered.
"""

from __future__ import annotations

import csv
import io
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from tui.i18n import t

#: The most different slips kept for one learner (a tutor could name endless made-up ones:
#: the class's table of slips must stay small).
MAX_SLIP_KINDS = 64
#: What a spreadsheet reads as the start of a formula (and so runs): such a cell is
#: exported with a ``'`` before it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The exports' columns; the CSV's header, the markdown's (translated) through class.col.*.
COLUMNS = ("name", "lesson", "answered", "right_first", "revealed", "slips")


@dataclass
class _Learner:
    """One learner, as the class sees them."""

    name: str
    last: float
    """The time (unix) of their last report or key."""
    sessions: int = 0
    """Their sessions open now (SSH and a browser may both be)."""
    lesson: str | None = None
    iteration: int | None = None
    step: int | None = None
    total: int | None = None
    phase: str | None = None
    right_first: int = 0
    answered: int = 0
    revealed: int = 0
    last_slip: str | None = None
    slips: Counter[str] = field(default_factory=Counter)


class Classroom:
    """The live state of the class; every method is cheap and runs in the event loop."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._learners: dict[str, _Learner] = {}
        self._slips: dict[tuple[str, str], set[str]] = {}
        """(phase, slip) -> the learners who made it."""
        self.version = 0
        """Moves on every change: a view redraws only when it has moved."""
        self.hold: int | None = None
        """The step the teacher holds the class at (None: no hold)."""
        self.broadcast: str | None = None
        """The teacher's one-line message to every learner (None: none)."""

    def lead(self, hold: int | None, broadcast: str | None) -> None:
        """The teacher's hold and message, as they are now."""
        if (hold, broadcast) != (self.hold, self.broadcast):
            self.hold, self.broadcast = hold, broadcast
            self.version += 1

    # --- what happens ------------------------------------------------------------------------

    def joined(self, learner_id: str, name: str) -> None:
        """A session of this learner began (their tutor started)."""
        learner = self._learner(learner_id, name)
        learner.name = name
        learner.sessions += 1
        learner.last = self._clock()
        self.version += 1

    def left(self, learner_id: str) -> None:
        """A session of this learner ended."""
        learner = self._learners.get(learner_id)
        if learner is not None and learner.sessions > 0:
            learner.sessions -= 1
            self.version += 1

    def key(self, learner_id: str) -> None:
        """The learner typed something (not idle)."""
        learner = self._learners.get(learner_id)
        if learner is not None:
            learner.last = self._clock()
            self.version += 1

    def report(self, learner_id: str, report: Mapping[str, object]) -> None:
        """A report from the learner's tutor, as :func:`tui.served.parse_report` gave it."""
        learner = self._learner(learner_id, learner_id)
        learner.last = self._clock()
        kind = report.get("report")
        if kind == "place":
            self._place(learner, report)
        elif kind == "answer":
            self._answer(learner_id, learner, report)
        self.version += 1

    def restore(self, learner_id: str, name: str, last: float,
                place: Mapping[str, object] | None = None,
                answers: Iterable[Mapping[str, object]] = ()) -> None:
        """A learner as the class records last knew them (tui/serve/records.py), not
        connected: their place, and their answers in the order given."""
        learner = self._learner(learner_id, name)
        learner.name, learner.last = name, last
        if place is not None:
            self._place(learner, place)
        for answer in answers:
            self._answer(learner_id, learner, answer)
        self.version += 1

    def _learner(self, learner_id: str, name: str) -> _Learner:
        learner = self._learners.get(learner_id)
        if learner is None:
            learner = self._learners[learner_id] = _Learner(name, self._clock())
        return learner

    @staticmethod
    def _place(learner: _Learner, place: Mapping[str, object]) -> None:
        learner.lesson = place.get("lesson")  # type: ignore[assignment]
        learner.iteration = place.get("iteration")  # type: ignore[assignment]
        learner.step = place.get("step")  # type: ignore[assignment]
        learner.total = place.get("total")  # type: ignore[assignment]
        learner.phase = place.get("phase")  # type: ignore[assignment]

    def _answer(self, learner_id: str, learner: _Learner, answer: Mapping[str, object]) -> None:
        outcome = answer.get("outcome")
        if answer.get("first_try") is True:
            if outcome == "revealed":
                learner.revealed += 1
            else:
                learner.answered += 1
                learner.right_first += outcome == "right"
        phase = str(answer.get("phase"))
        slips = [s for s in answer.get("slips") or () if isinstance(s, str)]  # type: ignore[attr-defined]
        if slips:
            learner.last_slip = slips[0]
        for slip in slips:
            if slip not in learner.slips and len(learner.slips) >= MAX_SLIP_KINDS:
                continue
            learner.slips[slip] += 1
            self._slips.setdefault((phase, slip), set()).add(learner_id)

    # --- what the teacher sees ---------------------------------------------------------------

    def snapshot(self) -> dict[str, object]:
        """The class now, as JSON-able data: every learner (by name), and the slips made,
        the most common first (by how many learners made each)."""
        now = self._clock()
        learners = [
            {"id": learner_id, "name": learner.name, "connected": learner.sessions > 0,
             "lesson": learner.lesson, "iteration": learner.iteration, "step": learner.step,
             "total": learner.total, "phase": learner.phase,
             "right_first": learner.right_first, "answered": learner.answered,
             "revealed": learner.revealed, "last_slip": learner.last_slip,
             "idle_s": round(max(0.0, now - learner.last), 1)}
            for learner_id, learner in self._ordered()
        ]
        slips = [{"phase": phase, "slip": slip, "learners": len(who)}
                 for (phase, slip), who in self._slips.items()]
        slips.sort(key=lambda s: (-s["learners"], s["phase"], s["slip"]))  # type: ignore[operator]
        return {"learners": learners, "slips": slips, "time": now, "hold": self.hold,
                "broadcast": self.broadcast}

    def _ordered(self) -> list[tuple[str, _Learner]]:
        return sorted(self._learners.items(), key=lambda item: (item[1].name, item[0]))

    def _rows(self) -> list[list[object]]:
        """The quiz results, one row per learner (:data:`COLUMNS`)."""
        rows: list[list[object]] = []
        for _, learner in self._ordered():
            made = sorted(learner.slips.items(), key=lambda item: (-item[1], item[0]))
            slips = ", ".join(f"{slip} ({count})" for slip, count in made)
            rows.append([learner.name, learner.lesson or "", learner.answered,
                         learner.right_first, learner.revealed, slips])
        return rows

    def results_csv(self) -> str:
        """The class's quiz results as CSV (header: :data:`COLUMNS`); a text cell a
        spreadsheet would take for a formula starts with ``'``."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for row in self._rows():
            writer.writerow([_no_formula(cell) if isinstance(cell, str) else cell
                             for cell in row])
        return out.getvalue()

    def results_markdown(self) -> str:
        """The class's quiz results as a markdown table (headers in the server's
        language)."""
        header = [t(f"class.col.{column}") for column in COLUMNS]
        lines = ["| " + " | ".join(header) + " |",
                 "| --- | --- | ---: | ---: | ---: | --- |"]
        for row in self._rows():
            lines.append("| " + " | ".join(_markdown_cell(cell) for cell in row) + " |")
        return "\n".join(lines) + "\n"


def _no_formula(cell: str) -> str:
    """A text cell a spreadsheet will not run."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _markdown_cell(cell: object) -> str:
    """A table cell: a ``|`` (and the backslash that could undo its escape) escaped."""
    return str(cell).replace("\\", "\\\\").replace("|", "\\|")
