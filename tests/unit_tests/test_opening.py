"""The opening (a lesson's first screen, before any arithmetic) agrees with the walkthrough it
stands in for, and needs no NumPy."""

from __future__ import annotations

from importlib import import_module

from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine import Init, Scenario, builtin, walk
from engine.opening import opening
from engine.scenario import ACTIVATION_NAMES, LOSS_NAMES
from tests.fresh_python import run_fresh


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """Any shape, data and mode, with starting weights NumPy is not needed for."""
    layers = (draw(st.integers(1, 3)), *draw(st.lists(st.integers(1, 5), max_size=3)),
              draw(st.integers(1, 3)))
    loss = draw(st.sampled_from(LOSS_NAMES))
    activations = tuple(draw(st.sampled_from(ACTIVATION_NAMES)) for _ in layers[1:])
    if loss == "cross_entropy":
        activations = (*activations[:-1], "sigmoid")
    m = draw(st.integers(1, 5))
    number = st.floats(-3, 3, allow_nan=False)
    inputs = tuple(tuple(draw(number) for _ in range(layers[0])) for _ in range(m))
    targets = tuple(tuple(draw(st.floats(0, 1)) for _ in range(layers[-1])) for _ in range(m))
    if draw(st.booleans()):
        init = Init(kind="constant", value=draw(number))
    else:
        init = Init(kind="explicit", weights=tuple(
            tuple(tuple(draw(number) for _ in range(a + 1)) for _ in range(b))
            for a, b in zip(layers, layers[1:])
        ))
    return Scenario(
        name="drawn", layers=layers, activations=activations, loss=loss,
        learning_rate=draw(st.sampled_from([0.01, 0.1, 1.0])),
        update=draw(st.sampled_from(["online", "batch"])), init=init, inputs=inputs,
        targets=targets,
    )


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_the_opening_shows_what_the_walkthrough_starts_with(s: Scenario) -> None:
    o, w = opening(s), walk(s)
    assert o is not None
    assert len(o) == len(w) == len(w.steps)  # "step 0 of N" is right before the arithmetic
    assert (o.units, o.links, o.samples, o.iteration, o.epoch) == (
        w.units, w.links, w.samples, w.iteration, w.epoch)
    assert o.steps == () and o.visible(-1) == {} == dict(w.visible(-1))
    for link in o.links:  # the very numbers the walkthrough starts from
        assert o.weight(link) == w.weight(link)
    for sample in o.samples:
        assert o.input_values(sample) == w.input_values(sample)
    assert o.batch == w.batch


def test_the_built_in_lessons_open_without_numpy_unless_their_weights_are_random() -> None:
    assert opening(builtin("article")) is not None
    assert opening(builtin("article-corrected")) is not None
    assert opening(builtin("xor-sigmoid")) is None  # seeded random weights: NumPy's generator
    assert len(opening(builtin("article"))) == 22  # type: ignore[arg-type]


def test_engine_names_and_their_homes_agree() -> None:
    assert set(engine._HOMES) <= set(engine.__all__)
    assert set(engine.__all__) <= set(dir(engine))
    for name, home in engine._HOMES.items():
        assert getattr(engine, name) is getattr(import_module(home), name), name


def test_engine_builtin_is_the_function_whatever_was_imported_first() -> None:
    # The function shares its name with the module engine.builtin_lessons: loaded lazily, the module
    # took its place once some other import had loaded it (found in review, order-dependent).
    report = run_fresh(
        "import json, engine.scenario_file\n"
        "from engine import builtin\n"
        "print(json.dumps({'callable': callable(builtin), 'name': builtin('article').name}))"
    )
    assert report == {"callable": True, "name": "article"}


NO_NUMPY = """
import json, sys
import engine, engine.opening, engine.records, engine.scenario, engine.builtin_lessons
from engine import BUILTIN_SCENARIOS, Scenario, ScenarioError, resolve_scenario
from tui.lesson import Lesson
from tui.explain import explain
from tui.widgets.diagram import diagram_lines
import tui.app, tui.cli
lesson = Lesson(resolve_scenario("article"))
w = lesson.place.walkthrough
drawn = [t.plain for t in diagram_lines(w, -1)]
words = explain(w, -1)
before = "numpy" in sys.modules
lesson.next()
print(json.dumps({
    "numpy_before_a_step": before,
    "numpy_after": "numpy" in sys.modules,
    "drawn": drawn,
    "notes": [n.title for n in words.notes],
    "k": lesson.place.k,
}))
"""


def test_the_app_and_the_opening_need_no_numpy() -> None:
    # In a fresh interpreter: this process imported NumPy long ago.
    report = run_fresh(NO_NUMPY)
    assert report["numpy_before_a_step"] is False
    assert report["numpy_after"] is True and report["k"] == 0  # the first step did the sums
    assert any("X1 0" in line for line in report["drawn"])
    assert report["notes"] == ["Equal starting weights"]


def test_plain_starting_weights_are_the_arrays_the_engine_starts_from() -> None:
    import numpy as np

    article = builtin("article")
    explicit = article.with_changes(init=Init(kind="explicit", weights=(
        ((0.5, -1.0, 2.0),) * 3, ((0.25, 1.0, -2.0, 3.0),))))
    for s in (article, explicit):
        plain = s.initial_weight_values()
        assert plain is not None
        for matrix, array in zip(plain, s.initial_weights(), strict=True):
            assert np.array_equal(np.array(matrix), array) and array.dtype == np.float64
    assert builtin("xor-sigmoid").initial_weight_values() is None


def test_scenario_checks_without_numpy_still_refuse_what_is_not_finite() -> None:
    import pytest

    from engine import ScenarioError

    article = builtin("article")
    for rate in (float("inf"), float("nan"), 10**400):
        with pytest.raises(ScenarioError):
            article.with_changes(learning_rate=rate)
    with pytest.raises(ScenarioError):
        article.with_changes(init=Init(kind="constant", value=float("nan")))


def test_the_start_is_about_the_first_sample_and_no_step() -> None:
    for name in ("article", "xor-sigmoid"):  # online, and batch (whose last steps use all)
        w = walk(builtin(name))
        assert w.current_sample(-1) == w.samples[0] and w.step(-1) is None
        assert w.step(0) is w.steps[0]
    o = opening(builtin("article"))
    assert o is not None and o.current_sample(-1) == 0 and o.step(-1) is None
