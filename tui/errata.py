"""Where the article goes wrong, said at the step where it happens, with the engine's numbers.

:func:`notes_for` picks the notes for one step of an ``article`` or ``article-corrected``
walkthrough; the explanation pane and the ``print`` transcript both use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.builtin_lessons import XOR_SIGMOID, article_partner
from engine.numbers import fmt
from engine.opening import Opening
from tui.i18n import t

if TYPE_CHECKING:
    from engine.article_errata import ArticleFacts
    from engine.opening import Iteration

#: Notes whose words quote no measured number: the lesson's opening shows one before the
#: engine has done any arithmetic (see :mod:`engine.opening`).
PLAIN_NOTES = frozenset({"symmetry"})


@dataclass(frozen=True)
class Note:
    """One erratum: a short title and what the article does, what is right, and the proof."""

    id: str
    title: str
    text: str


def _vector(values: tuple[float, ...]) -> str:
    return "[" + ", ".join(fmt(v) for v in values) + "]"


def _note(note_id: str, f: ArticleFacts | None) -> Note:
    """The words of one note, its numbers filled in from the measured facts (none needed for
    the :data:`PLAIN_NOTES`)."""
    if f is None:
        return Note(note_id, t(f"err.{note_id}.title"), t(f"err.{note_id}.text"))
    from engine.article_errata import SYMMETRY_EPOCHS, symmetric_outputs

    c0, c1, c2 = f.linear_coefficients
    p1, p2, p3 = f.article_predictions
    values = {
        "prediction": fmt(f.prediction),
        "target": fmt(f.target),
        "claimed": fmt(f.claimed_target),
        "loss_if_claimed": fmt(f.loss_if_claimed),
        "loss": fmt(f.article_loss),
        "log_arg": fmt(f.log_argument),
        "numeric": fmt(f.numeric_gradient),
        "article_gradient": fmt(f.article_gradient),
        "article_weight": fmt(f.article_weight),
        "corrected_weight": fmt(f.corrected_weight),
        "p1": fmt(p1),
        "p2": fmt(p2),
        "p3": fmt(p3),
        "corrected_prediction": fmt(f.corrected_prediction),
        "grown": f.grown_weights,
        "total": f.total_weights,
        "c0": fmt(c0),
        "c1": fmt(c1),
        "c2": fmt(c2),
        "best": _vector(f.least_squares),
        "mse": fmt(f.least_squares_mse),
        "bias_delta": fmt(f.bias_delta),
    }
    if note_id == "symmetric_deltas":  # the only note that needs a training run
        values.update(outputs=_vector(symmetric_outputs()), epochs=SYMMETRY_EPOCHS,
                      # It trains the xor-sigmoid lesson from equal weights, at its rate.
                      learning_rate=fmt(XOR_SIGMOID.learning_rate))
    return Note(note_id, t(f"err.{note_id}.title"), t(f"err.{note_id}.text", **values))


def _note_ids(w: Iteration, k: int) -> list[str]:
    """Which notes belong to step ``k`` (-1: the start) of the article's first iteration."""
    if k < 0:
        return ["symmetry"]
    step = w.steps[k]
    table = {
        ("forward", "Z1"): ["linear"],
        ("forward", "D0"): ["targets"],
        ("loss", "loss"): ["cost"],
        ("backward", "D0"): ["sign"],
        ("backward", "Z1"): ["delta_rule"],
        ("backward", "Z2"): ["symmetric_deltas"],
        ("update", "X0->Z1"): ["batch"],
        ("update", "X0->Z2"): ["story"],
        ("update", "Z3->D0"): ["prediction"],
    }
    return table.get((step.phase, step.target), [])


def notes_for(w: Iteration, k: int) -> list[Note]:
    """The errata notes for step ``k`` of ``w``; none outside the article's first iteration."""
    # The article's lessons exactly (article_partner): an edited one has other numbers.
    if article_partner(w.scenario) is None or w.iteration != 0:
        return []
    ids = _note_ids(w, k)
    facts = None
    # Measured once the walkthrough is there (not for the opening, drawn before any
    # arithmetic), so the learner's first step does not wait for the measurements.
    if not isinstance(w, Opening) or not PLAIN_NOTES.issuperset(ids):
        from engine.article_errata import article_facts

        facts = article_facts()
    return [_note(note_id, None if note_id in PLAIN_NOTES else facts) for note_id in ids]


def all_notes(w: Iteration) -> list[tuple[int, Note]]:
    """Every note of the walkthrough with the step it belongs to (-1: the start)."""
    return [(k, note) for k in range(-1, len(w.steps)) for note in notes_for(w, k)]
