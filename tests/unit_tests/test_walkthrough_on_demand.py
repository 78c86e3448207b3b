"""Steps made on demand: the same steps as making them all, found by arithmetic, and a cost
that does not grow with the lesson (the largest allowed has over five million steps)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from engine import builtin, walk
from engine.scenario import Scenario
from engine.walkthrough import MAX_TERMS, Walkthrough, _StepMaker, summed
from tui.lesson import KEPT_WALKTHROUGHS, Lesson
from tui.widgets.diagram import diagram_lines


def lessons() -> Iterator[Scenario]:
    """Small lessons of several shapes, both update modes."""
    base = builtin("xor-sigmoid")
    rng = np.random.default_rng(3)
    for layers in [(2, 3, 1), (2, 2, 2), (3, 4, 3, 2)]:
        for update in ("online", "batch"):
            x = rng.random((5, layers[0])).round(3)
            y = (rng.random((5, layers[-1])) > 0.5).astype(float)
            yield base.with_changes(
                layers=layers, activations=("tanh",) * (len(layers) - 2) + ("sigmoid",),
                update=update, inputs=tuple(map(tuple, x)), targets=tuple(map(tuple, y)),
            )
    yield builtin("article")
    yield builtin("xor-sigmoid")


def reference_visible(w: Walkthrough, k: int) -> dict[tuple[str, str], object]:
    """The visible steps by their definition: every step up to k of the current sample, the
    shared ones, and every update made (later steps of a key win)."""
    shown: dict[tuple[str, str], object] = {}
    if k >= 0:
        sample = w.current_sample(k)
        for step in list(w.steps)[: k + 1]:
            if step.phase == "update" or step.sample in (sample, None):
                shown[(step.phase, step.target)] = step
    return shown


@pytest.mark.parametrize("scenario", list(lessons()), ids=lambda s: f"{s.layers}-{s.update}")
def test_steps_by_index_are_the_steps_in_order(scenario: Scenario) -> None:
    w = walk(scenario, iteration=1)
    in_order = list(w.steps)
    assert len(in_order) == len(w) == w.step_count
    assert [w.steps[k] for k in range(len(w))] == in_order
    assert w.steps[-1] == in_order[-1] and w.steps[1:3] == in_order[1:3]
    assert [s.index for s in in_order] == list(range(len(w)))
    for k, step in enumerate(in_order):
        assert w.phase_of(k) == step.phase
        run = w.phase_run(k)
        assert all(in_order[i].phase == step.phase for i in run)
        assert k in run
        expected = w.samples[-1] if step.sample is None else step.sample
        assert w.current_sample(k) == expected
    runs = w.phase_runs
    assert [i for run in runs for i in run] == list(range(len(w)))
    for a, b in zip(runs, runs[1:]):  # a run is as long as it can be
        same_sample = in_order[a[-1]].sample == in_order[b[0]].sample
        assert in_order[a[-1]].phase != in_order[b[0]].phase or not same_sample


@pytest.mark.parametrize("scenario", list(lessons()), ids=lambda s: f"{s.layers}-{s.update}")
def test_visible_is_the_definition(scenario: Scenario) -> None:
    w = walk(scenario)
    for k in range(-1, len(w)):
        shown = w.visible(k)
        expected = reference_visible(w, k)
        assert dict(shown) == expected, k
        assert len(shown) == len(expected)
        assert ("forward", "no-such-unit") not in shown


def test_a_sum_of_many_terms_is_abridged_and_only_its_written_terms_are_formatted() -> None:
    asked: list[int] = []

    def term(i: int) -> str:
        asked.append(i)
        return f"t{i}"

    assert summed(term, 3) == "t0 + t1 + t2"
    assert summed(term, MAX_TERMS).count(" + ") == MAX_TERMS - 1
    asked.clear()
    text = summed(term, 4096)
    assert text.startswith("t0 + t1") and text.endswith("t4094 + t4095")
    assert f"…({4096 - 16} more)" in text and len(asked) == 16


def counting_steps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every step made from the arrays, by index."""
    made: list[int] = []
    original = _StepMaker.step

    def step(self: _StepMaker, k: int):  # type: ignore[no-untyped-def]
        made.append(k)
        return original(self, k)

    monkeypatch.setattr(_StepMaker, "step", step)
    return made


def large_batch(samples: int) -> Scenario:
    """11 layers of 64 units (the largest network allowed), sigmoid, a batch of ``samples``."""
    rng = np.random.default_rng(0)
    layers = (64,) * 11
    return builtin("xor-sigmoid").with_changes(
        layers=layers, activations=("sigmoid",) * 10,
        inputs=tuple(map(tuple, rng.random((samples, 64)).round(3))),
        targets=tuple(map(tuple, (rng.random((samples, 64)) > 0.5).astype(float))),
    )


def test_the_cost_of_a_place_does_not_grow_with_the_lesson(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = counting_steps(monkeypatch)
    w = walk(large_batch(256))
    assert len(w) > 300_000 and made == []  # walking makes no step
    last = len(w) - 1
    assert w.finite and w.phase_of(last) == "update" and w.current_sample(last) == 255
    assert len(w.phase_runs) == 3 * 256 + 2 and w.phase_run(last)[0] == w.plan.updates_start
    assert made == []  # nor does finding phases, runs and samples
    for k in (-1, 0, 700, w.plan.samples_end, last):
        made.clear()
        shown = w.visible(k)
        for unit in w.delta_units[:50]:
            shown.get(("backward", unit))
        assert len(made) <= 50, k  # one step per row asked, not every step before k
        made.clear()
        diagram_lines(w, k)
        assert len(made) <= 200, k  # a window of the network, not all of it


def test_a_lesson_keeps_a_few_walkthroughs_and_walks_older_ones_again() -> None:
    lesson = Lesson(builtin("xor-sigmoid"))
    seen = []
    for _ in range(6):
        lesson.last()
        seen.append([(s.target, s.value) for s in lesson.walkthrough().steps])
        lesson.next_iteration()
    assert lesson.history is not None and len(lesson.history) == 7
    assert len(lesson.history._kept) == KEPT_WALKTHROUGHS
    for _ in range(6 * 50 + 6):  # back to the first iteration, step by step
        lesson.previous()
    assert lesson.index == 0 and lesson.place.k == -1
    lesson.last()
    assert [(s.target, s.value) for s in lesson.walkthrough().steps] == seen[0]


def test_a_lesson_hashes_its_data_once() -> None:
    """Answers and places are looked up by lesson at every step: hashing half a million
    numbers each time cost the largest lesson 8 ms a lookup."""
    import dataclasses
    import pickle

    s = builtin("xor-sigmoid")
    calls = 0
    inputs = s.inputs

    class Counted(tuple):  # type: ignore[type-arg]
        def __hash__(self) -> int:
            nonlocal calls
            calls += 1
            return hash(tuple(self))

    counted = dataclasses.replace(s, inputs=Counted(inputs))
    assert hash(counted) == hash(counted) == hash(counted)
    assert calls == 1
    assert hash(counted) == hash(dataclasses.replace(s)) and counted == s
    hash(s)
    again = pickle.loads(pickle.dumps(s))
    assert "_hash" in s.__dict__ and "_hash" not in again.__dict__ and hash(again) == hash(s)
    assert hash(s.with_changes(learning_rate=0.25)) != hash(s)
