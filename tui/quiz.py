"""Predict, then reveal: the learner's answers and score, as a plain object (no Textual).

The quiz asks for a step's quantity by name (:func:`question`), judges the answer, names the
slip behind a wrong one (:mod:`engine.slips`), and keeps a record: the header's score, a
summary at the end of an iteration and when the quiz is switched off (:class:`Tally`), and a
"Quiz" section in the saved markdown transcript (:func:`markdown_lines`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.numbers import fmt
from engine.records import Phase, Step
from tui.i18n import t

if TYPE_CHECKING:
    from engine.scenario import Scenario
    from engine.walkthrough import Walkthrough

#: A step answered: the lesson (its scenario), the iteration and the step's index.
Key = tuple["Scenario", int, int]
#: At most this many slips are named for one answer, the likelier first.
NAMED_SLIPS = 2
#: Slips that give the same value wherever both apply, worded as one: ``w + α·Z·δ`` is both
#: "added the step" and "δ with the other sign" (engine.slips lists each).
ALWAYS_TOGETHER = (("plus", "delta_sign"),)


@dataclass(frozen=True)
class Verdict:
    """How one answer went: right or not, the true value, and the slips that explain it."""

    iteration: int
    k: int
    phase: Phase
    target: str
    answer: float | None
    """None when the learner asked to see the value without answering."""
    value: float
    correct: bool
    diagnoses: tuple[str, ...] = ()
    """The slips that give the answer, likelier first (engine.slips' kinds)."""
    loss: str = ""
    """The lesson's loss: which sign its δ starts from, for the words about a δ slip."""
    link: tuple[str, str] = ("", "")
    """An update's source and target units, for the words about where Z comes from."""

    @property
    def diagnosis(self) -> str | None:
        """The likeliest slip, if one explains the answer."""
        return self.diagnoses[0] if self.diagnoses else None

    @property
    def slips(self) -> tuple[str, ...]:
        """The slips a diagnosis names: one, two that are equally likely, or a pair that
        always gives the same value, worded as one (``plus_delta_sign``)."""
        named = self.diagnoses[:NAMED_SLIPS]
        for pair in ALWAYS_TOGETHER:
            if set(pair) <= set(self.diagnoses):
                return ("_".join(pair),)
        return named


def question(step: Step) -> str:
    """What the answer box asks: the step's quantity by name, e.g. ``δ(D0) = ?`` (the box
    shows the step's formula under it)."""
    return t("quiz.prompt", quantity=quantity(step.phase, step.target))


def quantity(phase: Phase, target: str) -> str:
    """The name of what a step computes: ``Z1``, ``E``, ``δ(D0)``, ``new w(X0->Z1)``."""
    return t(f"quiz.quantity.{phase}", unit=target, link=target)


@dataclass(frozen=True)
class Tally:
    """How a stretch of the quiz went: right first time, wrong, revealed, the slips."""

    right: int
    wrong: int
    revealed: int
    slips: tuple[tuple[tuple[str, ...], int], ...] = ()
    """The slips named for wrong answers and how often, most frequent first."""
    missed: tuple[tuple[Phase, int], ...] = ()
    """Steps wrong or revealed, per phase, in the order of the phases."""

    @property
    def steps(self) -> int:
        """How many steps were asked (answered or revealed)."""
        return self.right + self.wrong + self.revealed

    @classmethod
    def of(cls, verdicts: Iterable[Verdict]) -> Tally:
        """The tally of some answers."""
        from engine.records import PHASES

        verdicts = list(verdicts)
        right = sum(v.correct for v in verdicts)
        revealed = sum(v.answer is None for v in verdicts)
        slips = Counter(v.slips for v in verdicts if not v.correct and v.slips)
        missed = Counter(v.phase for v in verdicts if not v.correct)
        return cls(
            right, len(verdicts) - right - revealed, revealed,
            tuple(sorted(slips.items(), key=lambda item: -item[1])),
            tuple((phase, missed[phase]) for phase in PHASES if missed[phase]),
        )


@dataclass
class Quiz:
    """Every answer given so far, by lesson, iteration and step; and the current round (the
    answers since the quiz was last switched on)."""

    verdicts: dict[Key, Verdict] = field(default_factory=dict)
    round: dict[Key, None] = field(default_factory=dict)

    def answered(self, w: Walkthrough, k: int) -> bool:
        """True once step ``k`` of this walkthrough has been answered (or revealed)."""
        return (w.scenario, w.iteration, k) in self.verdicts

    def verdict(self, w: Walkthrough, k: int) -> Verdict | None:
        """The answer given to step ``k`` of this walkthrough, if any."""
        return self.verdicts.get((w.scenario, w.iteration, k))

    def start_round(self) -> None:
        """The quiz is switched on: a new round to sum up when it is switched off."""
        self.round.clear()

    def check(self, w: Walkthrough, k: int, answer: float | None) -> Verdict:
        """Judge an answer to step ``k`` (None: reveal without answering) and keep it."""
        from engine.slips import close_enough, diagnoses

        step = w.steps[k]
        correct = answer is not None and close_enough(answer, step.value)
        found = () if correct or answer is None else diagnoses(w, k, answer)
        link = w.link(step.target) if step.phase == "update" else None
        verdict = Verdict(
            w.iteration, k, step.phase, step.target, answer, step.value, correct, found,
            w.scenario.loss, ("", "") if link is None else (link.source, link.target),
        )
        key = (w.scenario, w.iteration, k)
        self.verdicts[key] = verdict
        self.round[key] = None
        return verdict

    @property
    def score(self) -> tuple[int, int]:
        """(right, asked), over everything answered so far."""
        asked = [v for v in self.verdicts.values() if v.answer is not None]
        return sum(v.correct for v in asked), len(asked)

    def of_iteration(self, w: Walkthrough) -> list[Verdict]:
        """The answers given in this walkthrough's iteration, in step order."""
        mine = [v for (s, i, _), v in self.verdicts.items() if s == w.scenario
                and i == w.iteration]
        return sorted(mine, key=lambda v: v.k)

    def iteration_tally(self, w: Walkthrough) -> Tally:
        """How the quiz went in this walkthrough's iteration."""
        return Tally.of(self.of_iteration(w))

    def round_tally(self) -> Tally:
        """How the quiz went since it was last switched on."""
        return Tally.of(self.verdicts[key] for key in self.round if key in self.verdicts)


@dataclass(frozen=True)
class QuizNote:
    """What the explanation and header say about the quiz at one place in the lesson."""

    verdict: Verdict | None
    """The answer given to the step just revealed, if any."""
    score: tuple[int, int]
    """(right, asked) so far."""
    summary: Tally | None = None
    """At the end of an iteration: how its quiz went."""


def _words(kind: str, v: Verdict) -> str:
    """What a slip means, with this lesson's δ sign and this link's units filled in."""
    this, other = ("y − o", "o − y") if v.loss == "article_error" else ("o − y", "y − o")
    source, target = v.link
    return t(f"quiz.diag.{kind}", this=this, other=other, source=source, target=target,
             unit=v.target)


def slip_names(slips: tuple[str, ...]) -> str:
    """The short name of the slips a diagnosis named: one, or "a or b"."""
    names = [t(f"quiz.slip.{kind}") for kind in slips]
    return names[0] if len(names) == 1 else t("quiz.slip_or", first=names[0], second=names[1])


def tally_text(tally: Tally) -> str:
    """``3 of 6 right first time, 1 wrong, 2 revealed``."""
    return t("quiz.tally", right=tally.right, steps=tally.steps, wrong=tally.wrong,
             revealed=tally.revealed)


def slips_text(tally: Tally) -> str:
    """``Slips: + instead of − ×2, f′(z) left out ×1.`` (empty when none was named)."""
    if not tally.slips:
        return ""
    parts = t("quiz.list_sep").join(t("quiz.slip_count", slip=slip_names(slips), count=n)
                      for slips, n in tally.slips)
    return t("quiz.summary_slips", slips=parts)


def round_summary(tally: Tally) -> list[str]:
    """What the quiz says when it is switched off: how the round went (nothing if no step
    was asked)."""
    if not tally.steps:
        return []
    lines = [t("quiz.round_summary", tally=tally_text(tally))]
    return lines + ([slips_text(tally)] if tally.slips else [])


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
            for n, kind in enumerate(v.slips):
                words = _words(kind, v)
                lines.append((words if n == 0 else t("quiz.diag.or", words=words), "yellow"))
    tally = note.summary
    if tally is not None and tally.steps:  # nothing asked in the iteration: nothing to sum up
        lines.append((t("quiz.summary", tally=tally_text(tally)), "bold"))
        if tally.slips:
            lines.append((slips_text(tally), "yellow"))
        if tally.missed:
            parts = t("quiz.list_sep").join(
                t("quiz.phase_count", count=n, phase=t(f"phase.{phase}"))
                for phase, n in tally.missed
            )
            lines.append((t("quiz.summary_missed", missed=parts), ""))
        else:
            lines.append((t("quiz.summary_perfect"), "green"))
    return lines


def markdown_lines(quiz: Quiz, w: Walkthrough) -> list[str]:
    """The saved transcript's "Quiz" section for this iteration: the tally, the slips, and
    a row per step asked (nothing when no step of it was)."""
    verdicts = quiz.of_iteration(w)
    if not verdicts:
        return []
    tally = Tally.of(verdicts)
    lines = [f"## {t('quiz.md.title')}", "", t("quiz.md.summary", tally=tally_text(tally)) + "  "]
    if tally.slips:
        lines.append(slips_text(tally))
    lines += ["", "| " + " | ".join(t(f"quiz.md.{c}") for c in
                                       ("step", "question", "answer", "value", "result")) + " |",
              "|---:|---|---:|---:|---|"]
    for v in verdicts:
        if v.answer is None:
            result = t("quiz.md.revealed")
        elif v.correct:
            result = t("quiz.md.right")
        else:
            result = (t("quiz.md.wrong_slips", slips=slip_names(v.slips)) if v.slips
                      else t("quiz.md.wrong"))
        answer = "" if v.answer is None else fmt(v.answer)
        cells = (str(v.k + 1), quantity(v.phase, v.target), answer or " ", fmt(v.value), result)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return [*lines, ""]
