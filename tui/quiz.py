"""Predict, then reveal: the learner's answers and score, as a plain object (no Textual)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.numbers import fmt
from engine.records import Phase
from tui.i18n import t

if TYPE_CHECKING:
    from engine.walkthrough import Walkthrough


@dataclass(frozen=True)
class Verdict:
    """How one answer went: right or not, the true value, and the slip that explains it."""

    iteration: int
    k: int
    phase: Phase
    target: str
    answer: float | None
    """None when the learner asked to see the value without answering."""
    value: float
    correct: bool
    diagnosis: str | None = None


@dataclass
class Quiz:
    """Every answer given so far, by (iteration, step)."""

    verdicts: dict[tuple[int, int], Verdict] = field(default_factory=dict)

    def answered(self, iteration: int, k: int) -> bool:
        """True once step ``k`` of ``iteration`` has been answered (or revealed)."""
        return (iteration, k) in self.verdicts

    def check(self, w: Walkthrough, k: int, answer: float | None) -> Verdict:
        """Judge an answer to step ``k`` (None: reveal without answering) and keep it."""
        from engine.slips import close_enough, diagnose

        step = w.steps[k]
        correct = answer is not None and close_enough(answer, step.value)
        diagnosis = None if correct or answer is None else diagnose(w, k, answer)
        verdict = Verdict(w.iteration, k, step.phase, step.target, answer, step.value, correct,
                          diagnosis)
        self.verdicts[(w.iteration, k)] = verdict
        return verdict

    @property
    def score(self) -> tuple[int, int]:
        """(right, asked), over everything answered so far."""
        asked = [v for v in self.verdicts.values() if v.answer is not None]
        return sum(v.correct for v in asked), len(asked)

    def missed(self, iteration: int) -> Counter[str]:
        """How many steps of each phase were answered wrongly (or skipped) in an iteration."""
        return Counter(
            v.phase for (i, _), v in self.verdicts.items() if i == iteration and not v.correct
        )

    def iteration_score(self, iteration: int) -> tuple[int, int]:
        """(right, answered) within one iteration."""
        mine = [v for (i, _), v in self.verdicts.items() if i == iteration]
        return sum(v.correct for v in mine), len(mine)


@dataclass(frozen=True)
class QuizNote:
    """What the explanation and header say about the quiz at one place in the lesson."""

    verdict: Verdict | None
    """The answer given to the step just revealed, if any."""
    score: tuple[int, int]
    """(right, asked) so far."""
    summary: tuple[tuple[int, int], tuple[tuple[str, int], ...]] | None = None
    """At the end of an iteration: its (right, answered) and the missed steps per phase."""


def quiz_lines(note: QuizNote) -> list[tuple[str, str]]:
    """The quiz's lines for the explanation pane, each with a Rich style."""
    lines: list[tuple[str, str]] = []
    v = note.verdict
    if v is not None:
        value = fmt(v.value)
        if v.answer is None:
            lines.append((t("quiz.revealed", value=value), "bold"))
        elif v.correct:
            lines.append((t("quiz.right", value=value), "bold green"))
        else:
            lines.append((t("quiz.wrong", answer=fmt(v.answer), value=value), "bold red"))
            if v.diagnosis:
                lines.append((t(f"quiz.diag.{v.diagnosis}"), "yellow"))
    if note.summary is not None:
        (right, answered), missed = note.summary
        lines.append((t("quiz.summary", right=right, answered=answered), "bold"))
        if missed:
            parts = ", ".join(
                t("quiz.phase_count", count=n, phase=t(f"phase.{phase}")) for phase, n in missed
            )
            lines.append((t("quiz.summary_missed", missed=parts), ""))
        elif answered:
            lines.append((t("quiz.summary_perfect"), "green"))
    return lines
