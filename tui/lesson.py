"""Where the learner is: a plain object, no Textual, so it is easy to test and to reason about.

A :class:`Cursor` says which iteration is on screen and how many of its steps are done. The
:class:`Lesson` keeps every iteration met so far (the :class:`History`), so stepping back across
an iteration restores exactly the numbers that were on screen before.

A new lesson starts at its :class:`~engine.opening.Opening` (the network and its starting
weights, no arithmetic, no NumPy), so the app's first frame need not wait for NumPy. The first
walkthrough is made by :meth:`Lesson.walk_first`, which the app calls after that frame, or by
the first move.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from engine.opening import Opening, opening
from engine.records import Phase
from engine.scenario import Scenario

if TYPE_CHECKING:
    import numpy as np

    from engine.walkthrough import Walkthrough

Move = Literal[
    "next", "previous", "next_phase", "previous_phase", "first", "last", "next_iteration"
]
MOVES: tuple[Move, ...] = (
    "next", "previous", "next_phase", "previous_phase", "first", "last", "next_iteration"
)


@dataclass(frozen=True)
class Cursor:
    """One place in the lesson: ``k`` is the last step done in ``walkthrough`` (-1: none yet).

    Before the lesson's first walkthrough is made, ``walkthrough`` is its opening (``k = -1``).
    """

    walkthrough: Opening | Walkthrough
    k: int

    @property
    def step_count(self) -> int:
        """Steps in this iteration."""
        return len(self.walkthrough)

    @property
    def phase(self) -> Phase | None:
        """The phase of the step just done; None before the first step."""
        return None if self.k < 0 else self.walkthrough.phase_of(self.k)

    @property
    def at_start(self) -> bool:
        """True before the first step of the iteration."""
        return self.k < 0

    @property
    def at_end(self) -> bool:
        """True once the iteration's last step (its last update) is done."""
        return self.k == self.step_count - 1


#: Walkthroughs kept whole (with their arrays); one of the largest lesson's batches holds
#: about 100 MB of them. Others keep only their starting weights and are walked again.
KEPT_WALKTHROUGHS = 3


class History:
    """The iterations met so far, from the lesson's first: each one's starting weights, and
    the walkthroughs of the last few visited (walked again, to the same numbers, when an
    older one is visited)."""

    def __init__(self, scenario: Scenario, first: Walkthrough) -> None:
        self.scenario = scenario
        self.start = first.iteration
        self._weights = [list(first.weights_before)]
        self._kept: OrderedDict[int, Walkthrough] = OrderedDict({0: first})

    def __len__(self) -> int:
        return len(self._weights)

    def __getitem__(self, i: int) -> Walkthrough:
        """Iteration ``start + i``, walked again if it was let go."""
        from engine.walkthrough import walk

        w = self._kept.get(i)
        if w is None:
            w = walk(self.scenario, self._weights[i], iteration=self.start + i)
        self._kept[i] = w
        self._kept.move_to_end(i)
        while len(self._kept) > KEPT_WALKTHROUGHS:
            self._kept.popitem(last=False)
        return w

    def extend_to(self, i: int) -> None:
        """Walk on until iteration ``start + i`` is met."""
        while len(self._weights) <= i:
            last = self[len(self._weights) - 1]
            self._weights.append(list(last.weights_after))

    def first_weights(self) -> list[np.ndarray]:
        """The starting weights of the lesson's first iteration."""
        return self._weights[0]


class Lesson:
    """The walkthroughs of the iterations met so far and the learner's place among them."""

    def __init__(
        self, scenario: Scenario, weights: list[np.ndarray] | None = None, start: int = 0
    ) -> None:
        """A lesson from the scenario's initial weights, or from ``weights`` reached after
        ``start`` iterations (the training view hands those back)."""
        self.scenario = scenario
        self.start = start
        self.history: History | None = None
        """None until the first walkthrough is made."""
        first = opening(scenario) if weights is None and start == 0 else None
        self.place: Cursor = Cursor(first, -1) if first is not None else self._begin(weights)
        """Where the learner is, as drawn now: at a new lesson's start, its opening."""

    def _begin(self, weights: list[np.ndarray] | None = None) -> Cursor:
        """The first walkthrough (NumPy's arithmetic), its start the place."""
        from engine.walkthrough import walk

        self.history = History(self.scenario, walk(self.scenario, weights, iteration=self.start))
        self.place = Cursor(self.history[0], -1)
        return self.place

    @property
    def walked(self) -> bool:
        """True once the first walkthrough is made (the opening needs none)."""
        return not isinstance(self.place.walkthrough, Opening)

    def walk_first(self) -> Cursor:
        """Make the first walkthrough if it is not made yet (the arithmetic: NumPy is imported
        then); the place, now in a walkthrough."""
        return self.place if self.walked else self._begin()

    def walkthrough(self) -> Walkthrough:
        """The walkthrough the learner is in (made first if the lesson is at its opening)."""
        w = self.walk_first().walkthrough
        assert not isinstance(w, Opening)
        return w

    @property
    def index(self) -> int:
        """Which entry of the history the cursor is in (0 = where this lesson began)."""
        return self.place.walkthrough.iteration - self.start

    def _go(self, iteration: int, k: int) -> Cursor:
        self.walk_first()
        assert self.history is not None
        self.history.extend_to(iteration)
        self.place = Cursor(self.history[iteration], k)
        return self.place

    # --- the moves, by name (the app's keys name them); known at the opening too --------

    def can(self, move: Move) -> bool:
        """Whether ``move`` goes anywhere from here (no arithmetic needed to tell)."""
        place = self.place
        if move in ("next", "next_phase", "last"):
            return not place.at_end
        if move in ("previous", "previous_phase"):
            return not (place.at_start and self.index == 0)
        if move == "first":
            return not place.at_start
        return place.at_end  # next_iteration: once this one is done

    def move(self, move: Move) -> Cursor:
        """Make ``move``; the new place (the same one when the move goes nowhere)."""
        moves: dict[Move, Callable[[], Cursor]] = {
            "next": self.next,
            "previous": self.previous,
            "next_phase": self.next_phase,
            "previous_phase": self.previous_phase,
            "first": self.first,
            "last": self.last,
            "next_iteration": self.next_iteration,
        }
        return moves[move]()

    def next(self) -> Cursor:
        """One step on (at the end of an iteration: nothing, :meth:`next_iteration` goes on)."""
        if self.can("next"):
            return self._go(self.index, self.place.k + 1)
        return self.walk_first()

    def previous(self) -> Cursor:
        """One step back, into the previous iteration's last step from the start of this one."""
        k = self.walk_first().k
        if k >= 0:
            return self._go(self.index, k - 1)
        if self.index > 0:
            return self._go(self.index - 1, self.walkthrough().step_count - 1)
        return self.place

    def next_phase(self) -> Cursor:
        """To the last step of the current phase, or of the next one if this one is done."""
        w, k = self.walkthrough(), self.place.k + 1
        if k >= len(w):
            return self.place
        return self._go(self.index, w.phase_run(k)[-1])

    def previous_phase(self) -> Cursor:
        """Back to the end of the previous phase (or the start of the iteration)."""
        w, k = self.walkthrough(), self.place.k
        if k < 0:
            return self.previous()
        return self._go(self.index, w.phase_run(k)[0] - 1)

    def first(self) -> Cursor:
        """The start of this iteration, before any step."""
        return self._go(self.index, -1)

    def last(self) -> Cursor:
        """The last step of this iteration."""
        return self._go(self.index, len(self.walkthrough().steps) - 1)

    def next_iteration(self) -> Cursor:
        """The start of the next iteration (next sample, or next epoch), from the new weights."""
        if self.can("next_iteration"):
            return self._go(self.index + 1, -1)
        return self.walk_first()

    def go_to_phase(self, phase: Phase) -> Cursor:
        """The last step of the first run of ``phase`` in this iteration (palette jumps)."""
        w = self.walkthrough()
        for run in w.phase_runs:
            if w.phase_of(run[0]) == phase:
                return self._go(self.index, run[-1])
        return self.place

    def next_iteration_number(self) -> int:
        """The iteration the lesson goes on with: this one, or the next once it is done."""
        place = self.place
        return place.walkthrough.iteration + (1 if place.at_end else 0)

    def switch_scenario(self, scenario: Scenario) -> Cursor:
        """Change to a lesson of the same shape (the article and its correction) at the same
        iteration and step, recomputing the history under the new scenario's rules."""
        from engine.walkthrough import walk

        iteration, k = self.index, self.walk_first().k
        assert self.history is not None
        first = self.history.first_weights()
        self.scenario = scenario
        self.history = History(scenario, walk(scenario, first, self.start))
        cursor = self._go(iteration, -1)
        return self._go(iteration, min(k, cursor.step_count - 1))

    def resume(self, iteration: int, k: int) -> Cursor:
        """Step ``k`` of ``iteration`` (a remembered place: tui/progress.py), walked to from
        where the lesson began; ValueError if the lesson has no such place."""
        if iteration < self.start:
            raise ValueError(f"iteration {iteration} is before the lesson's start")
        cursor = self._go(iteration - self.start, -1)
        if not -1 <= k < cursor.step_count:
            raise ValueError(f"step {k} is not in iteration {iteration}")
        return self._go(iteration - self.start, k)

    def restart(self) -> Cursor:
        """The very start: the first iteration from the initial weights, no step done."""
        if self.start:
            self.start = 0
            self._begin()
        return self._go(0, -1)
