"""Plain words for each step: what it does and why, with its formula and its numbers.

Pure functions of the engine's walkthrough (no Textual), so the app's explanation pane and any
transcript say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from engine.builtin_lessons import ARTICLE_PAIR, base_lesson
from engine.numbers import fmt
from engine.scenario import changes
from tui.errata import Note, notes_for
from tui.i18n import t

if TYPE_CHECKING:
    from engine.opening import Iteration
    from engine.records import Step
    from engine.scenario import Scenario
    from engine.walkthrough import Walkthrough


@dataclass(frozen=True)
class Explanation:
    """What the explanation pane shows for one place in the lesson."""

    title: str
    body: tuple[str, ...]
    formula: str = ""
    working: str = ""
    """The formula with numbers, ``= value`` at its end."""
    warning: str = ""
    notes: tuple[Note, ...] = ()
    """Where the article goes wrong at this step (article lessons only)."""
    hint: str = ""
    """What to press next, when that is not just another step (the iteration's end)."""


#: A sample of more inputs (or targets) than this is written abridged, as the engine abridges
#: a long sum: its first and last few values around ``…(N more)``.
MAX_VALUES = 8
EDGE_VALUES = 3


def _values(values: Sequence[float]) -> str:
    """``0, 1`` or, for many values, ``0.1, 0.2, 0.3, …(58 more), 0.7, 0.8, 0.9``."""
    if len(values) <= MAX_VALUES:
        return ", ".join(fmt(v) for v in values)
    head = ", ".join(fmt(v) for v in values[:EDGE_VALUES])
    tail = ", ".join(fmt(v) for v in values[-EDGE_VALUES:])
    return f"{head}, …({len(values) - 2 * EDGE_VALUES} more), {tail}"


def sample_text(scenario: Scenario, sample: int) -> str:
    """``(0, 0) → 0``: a sample's inputs and targets (abridged when there are many)."""
    return f"({_values(scenario.inputs[sample])}) → {_values(scenario.targets[sample])}"


def sample_words(w: Iteration, k: int = -1) -> str:
    """Which sample step ``k`` is about: ``sample 0: (0, 0) → 0``, ``sample 1 of 4: …`` in a
    batch, or ``all 4 samples`` for a batch's start, mean loss and update."""
    step = w.step(k)
    if w.batch and (step is None or step.sample is None):
        return t("header.samples_all", count=len(w.samples))
    s = w.samples[0] if step is None or step.sample is None else step.sample
    text = sample_text(w.scenario, s)
    if w.batch:
        return t("header.batch_sample", sample=s, count=len(w.samples), text=text)
    return t("header.sample", sample=s, text=text)


def gradient_label(scenario: Scenario) -> str:
    """The update table's heading for Z·δ: the gradient, except where δ is the article's
    y − o (then Z·δ is the article's J′(W), the gradient with its sign flipped)."""
    if scenario.loss == "article_error":
        return t("sym.col.article_gradient")
    return t("col.gradient")


def changed_words(scenario: Scenario) -> str:
    """What an edited lesson does differently from the one opened (``α 0.5, sigmoid/sigmoid``),
    or ""."""
    base = base_lesson(scenario)
    if base is None:
        return ""
    return ", ".join(t(f"field.{name}", value=value) for name, value in changes(base, scenario))


def _start_body(w: Iteration) -> list[str]:
    """The start of an iteration: the lesson's first one, or one that carries on."""
    if w.iteration > 0:
        return [t("sym.start.later", iteration=w.iteration + 1)]
    body = [t("ex.start.body")]
    edited = changed_words(w.scenario)
    if edited:
        body.append(t("sym.start.edited", changes=edited))
        if w.scenario.name in ARTICLE_PAIR:
            body.append(t("sym.start.edited_article"))
    return body


def _forward_words(w: Walkthrough, k: int) -> str:
    """The unit's activation, its formula and its numbers."""
    from engine.unit_values import unit_values

    values = unit_values(w, k)
    assert values is not None
    act = values.activation
    key = "ex.forward.identity" if act.name == "identity" else "ex.forward.activation"
    return t(key, name=act.name, z=fmt(values.z), text=values.function_text())


def _delta_words(w: Walkthrough, k: int) -> str:
    """What f′(z) is at this δ, with numbers; at a sigmoid output with cross-entropy, why it
    is not there (it cancels)."""
    from engine.unit_values import unit_values

    values = unit_values(w, k)
    assert values is not None
    if values.output and w.scenario.loss == "cross_entropy":
        outputs = w.scenario.layers[-1]
        key = "sym.delta.cancels" if outputs == 1 else "sym.delta.cancels_mean"
        return t(key, unit=values.unit, text=values.derivative_text(), count=outputs)
    return t("sym.delta.fprime", unit=values.unit, z=fmt(values.z),
             text=values.derivative_text())


def _update_words(w: Iteration, k: int, step: Step) -> list[str]:
    """What the update does; in the article's lesson, what its "gradient" really is; in a
    batch, which sample the other panes show and what the update averages."""
    link = w.link(step.target)
    assert link is not None
    gradient = step.gradient if step.gradient is not None else 0.0
    if w.scenario.loss == "article_error":
        # The first output unit: the δ the article starts from.
        last = len(w.scenario.layers) - 1
        output = next(u.name for u in w.units if u.layer == last)
        body = [t("sym.update.article", source=link.source, target=link.target,
                  output=output, product=fmt(gradient), gradient=fmt(-gradient))]
    else:
        body = [t("ex.update.body", source=link.source, target=link.target)]
    if step.sample is None:
        shown = w.current_sample(k)
        body.append(t("ex.update.batch"))
        body.append(t("sym.update.batch_sample", sample=shown,
                      text=sample_text(w.scenario, shown), count=len(w.samples)))
    return body


def explain(w: Iteration, k: int) -> Explanation:
    """The explanation of step ``k`` of ``w`` (``k = -1``: the start of the iteration, which
    an :class:`~engine.opening.Opening` can show before the arithmetic is done)."""
    warning = "" if w.finite else t("ex.overflow")
    if k < 0:
        return Explanation(
            t("ex.start.title", scenario=w.scenario.name),
            (*_start_body(w), t("ex.start.sample", samples=sample_words(w))),
            warning=warning,
            notes=tuple(notes_for(w, k)),
        )
    step = w.steps[k]
    working = f"{step.substituted} = {fmt(step.value)}"
    body: list[str]
    # Past the start, ``w`` is a walkthrough: an opening has no steps.
    walkthrough = cast("Walkthrough", w)
    if step.phase == "forward":
        unit = w.unit(step.target)
        assert unit is not None
        bias = next(u.name for u in w.units if u.layer == unit.layer - 1 and u.bias)
        body = [t("ex.forward.body", unit=unit.name, bias=bias), _forward_words(walkthrough, k)]
        title = t("ex.forward.title", unit=step.target)
    elif step.phase == "loss":
        if step.sample is None:
            title, body = t("ex.loss.batch_title"), [t("ex.loss.batch")]
        else:
            title = t("ex.loss.title", sample=step.sample)
            body = [t(f"ex.loss.{w.scenario.loss}")]
    elif step.phase == "backward":
        unit = w.unit(step.target)
        assert unit is not None
        output = unit.layer == len(w.scenario.layers) - 1
        kind = "output" if output else "hidden"
        title = t(f"ex.backward.{kind}_title", unit=unit.name)
        body = [t(f"ex.backward.{kind}_body"), _delta_words(walkthrough, k)]
    else:
        title = t("ex.update.title", link=step.target)
        body = _update_words(w, k, step)
    hint = ""
    if k == len(w.steps) - 1:
        what = "epoch" if w.batch else "sample"
        hint = t("ex.end", what=t(f"ex.end.{what}"))
    return Explanation(title, tuple(body), step.formula, working, warning,
                       tuple(notes_for(w, k)), hint)
