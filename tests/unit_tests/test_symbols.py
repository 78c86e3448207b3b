"""Every symbol explained where it is used: each activation and its derivative with the step's
numbers, why σ′ cancels, the article's "gradient", batch updates, the start of an iteration,
one notation for links and δ (issue 12)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import builtin, walk
from engine.activations import ACTIVATIONS
from engine.numbers import MINUS
from engine.unit_values import unit_values
from tui.errata import all_notes
from tui.explain import explain, gradient_label
from tui.i18n import CATALOGUES, set_language


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


def words(w, k: int) -> str:  # type: ignore[no-untyped-def]
    """Everything the explanation says at step k, on one line."""
    ex = explain(w, k)
    return " ".join([ex.title, *ex.body, *(n.text for n in ex.notes)])


@pytest.mark.parametrize(
    ("name", "z", "function", "derivative"),
    [
        ("identity", 4.0, "f(z) = z = 4", "f′(z) = 1"),
        ("sigmoid", 0.0, "σ(z) = 1/(1 + e^(−z)) = 1/(1 + e^(0)) = 0.5",
         "σ′(z) = σ(z)·(1 − σ(z)) = 0.5·0.5 = 0.25"),
        ("tanh", 0.5, f"tanh(z) = (e^z − e^(−z))/(e^z + e^(−z)) = (e^(0.5) − e^({MINUS}0.5))"
         f"/(e^(0.5) + e^({MINUS}0.5)) = 0.46212", "tanh′(z) = 1 − tanh(z)² = 1 − 0.46212² = "
         "0.78645"),
        ("relu", -0.3, f"relu(z) = max(0, z) = max(0, {MINUS}0.3) = 0",
         f"relu′(z) = 1 (z > 0), 0 (z ≤ 0): relu′({MINUS}0.3) = 0"),
        ("relu", 2.0, "relu(z) = max(0, z) = max(0, 2) = 2",
         "relu′(z) = 1 (z > 0), 0 (z ≤ 0): relu′(2) = 1"),
    ],
)
def test_each_activation_writes_itself_and_its_derivative_with_numbers(
    name: str, z: float, function: str, derivative: str
) -> None:
    act = ACTIVATIONS[name]
    zs = np.array([z])
    a = act.function(zs)
    fprime = act.derivative(zs, a)
    assert act.function_text(z, float(a[0])) == function
    assert act.derivative_text(z, float(a[0]), float(fprime[0])) == derivative
    # The numbers written are the function's own: 1/(1 + e^−z), tanh, max.
    expected = {"identity": z, "sigmoid": 1 / (1 + math.exp(-z)), "tanh": math.tanh(z),
                "relu": max(0.0, z)}[name]
    assert float(a[0]) == pytest.approx(expected)


def test_forward_steps_give_the_activation_with_the_units_numbers() -> None:
    w = walk(builtin("xor-sigmoid"))
    d0 = 3  # D0 of sample 0
    assert w.steps[d0].target == "D0"
    values = unit_values(w, d0)
    assert values is not None
    assert values.z == pytest.approx(-3.4035, abs=1e-4)
    assert values.a == pytest.approx(w.steps[d0].value)
    assert f"z = {MINUS}3.4035" in words(w, d0)
    assert "σ(z) = 1/(1 + e^(−z)) = 1/(1 + e^(3.4035)) = 0.032185" in words(w, d0)
    article = walk(builtin("article"))
    assert "the weighted sum z = 4 is the value it passes on: f(z) = z = 4" in words(article, 3)


def test_delta_steps_give_the_derivative_with_numbers() -> None:
    w = walk(builtin("xor-sigmoid"))
    z1 = 6  # δ(Z1) of sample 0
    assert (w.steps[z1].phase, w.steps[z1].target) == ("backward", "Z1")
    a = float(w.arrays.a[0][0, 0])
    assert a == pytest.approx(0.53139, abs=1e-5)
    fprime = float(w.arrays.fprime[0][0, 0])
    assert fprime == pytest.approx(a * (1 - a))
    text = words(w, z1)
    assert "f′(z) is the slope of Z1's activation at z = 0.12573" in text
    assert "σ′(z) = σ(z)·(1 − σ(z)) = 0.53139·0.46861 = 0.24901" in text
    # The article's identity units: f′ is 1, said so at each δ.
    assert "f′(z) is the slope of Z1's activation at z = 1: f′(z) = 1" in words(
        walk(builtin("article")), 6)


def test_sigmoid_with_cross_entropy_says_why_the_derivative_cancels() -> None:
    w = walk(builtin("xor-sigmoid"))
    d0 = 5  # δ(D0) of sample 0
    assert (w.steps[d0].phase, w.steps[d0].target) == ("backward", "D0")
    assert w.steps[d0].formula == "δ(D0) = D0 − y"
    text = words(w, d0)
    assert "Why there is no f′(z)" in text
    assert "∂E/∂o = (o − y)/(o·(1 − o))" in text
    assert "σ′(z) = σ(z)·(1 − σ(z)) = 0.032185·0.96781 = 0.031149" in text
    assert "leaving δ(D0) = D0 − y" in text
    # Not for a loss whose δ keeps f′: there the slope is given with its numbers.
    corrected = walk(builtin("article-corrected"))
    assert "Why there is no f′(z)" not in words(corrected, 5)
    assert "f′(z) is the slope of D0's activation at z = 4: f′(z) = 1" in words(corrected, 5)


def test_tanh_and_relu_lessons_explain_their_own_functions() -> None:
    s = builtin("xor-sigmoid").with_changes(activations=("tanh", "sigmoid"))
    w = walk(s)
    assert "tanh(z) = (e^z − e^(−z))/(e^z + e^(−z)) = " in words(w, 0)
    assert "tanh′(z) = 1 − tanh(z)² = 1 − " in words(w, 6)
    r = walk(builtin("xor-sigmoid").with_changes(activations=("relu", "sigmoid")))
    assert "relu(z) = max(0, z) = max(0, 0.12573) = 0.12573" in words(r, 0)
    assert "relu′(z) = 1 (z > 0), 0 (z ≤ 0): relu′(0.12573) = 1" in words(r, 6)


def test_the_article_lessons_update_column_and_every_update_step_say_what_z_delta_is() -> None:
    article, corrected = walk(builtin("article")), walk(builtin("article-corrected"))
    assert gradient_label(article.scenario) == "article's Z·δ"
    assert gradient_label(corrected.scenario) == "gradient Z·δ"
    updates = [k for k, step in enumerate(article.steps) if step.phase == "update"]
    assert len(updates) == 13
    for k in updates:
        step = article.steps[k]
        link = article.link(step.target)
        assert link is not None
        text = words(article, k)
        assert "the article's \"gradient\" Z·δ is minus the true one" in text, k
        gradient = "0" if step.gradient == 0 else "4"
        product = "0" if step.gradient == 0 else f"{MINUS}4"
        assert f"{link.source}·δ({link.target}) = {product}, but ∂E/∂w = {gradient}" in text
    for k, step in enumerate(corrected.steps):
        if step.phase == "update":
            assert "minus the true one" not in words(corrected, k)


def test_a_batch_update_says_which_sample_the_tables_show_and_that_it_takes_the_mean() -> None:
    w = walk(builtin("xor-sigmoid"))
    k = len(w.steps) - 1
    assert w.steps[k].phase == "update" and w.steps[k].sample is None
    assert w.current_sample(k) == 3
    text = words(w, k)
    assert "The forward table and the network diagram show sample 3, (1, 1) → 0" in text
    assert "the mean of Z·δ over all 4 samples" in text
    online = walk(builtin("article"))
    assert "network diagram show sample" not in words(online, len(online.steps) - 1)


def test_the_opening_words_only_at_the_start_and_an_edit_is_said() -> None:
    first = walk(builtin("article"))
    assert "starts with the weights of this lesson" in words(first, -1)
    later = walk(builtin("article"), list(first.weights_after), iteration=1)
    text = words(later, -1)
    assert "starts with the weights of this lesson" not in text
    assert "Iteration 2: the network carries on from the weights it has reached" in text
    edited = walk(builtin("article").with_changes(learning_rate=0.5))
    text = words(edited, -1)
    assert "You changed this lesson (α 0.5)" in text
    assert "The article's !! notes are left out" in text
    assert "You changed" not in words(first, -1)


def test_one_notation_for_links_and_deltas_in_the_notes() -> None:
    for language in ("en", "zh"):
        set_language(language)
        notes = " ".join(note.text for _, note in all_notes(walk(builtin("article"))))
        assert "∂E/∂w(Z1->D0)" in notes
        assert "→D0" not in notes, "links are written Z1->D0, as the tables write them"
        assert "δ_j" not in notes and "δ = o − y" not in notes and "δ(next)" not in notes
        assert "δ(D0) = D0 − y" in notes and "δ(Z1) = f′(z)·Σ w·δ" in notes
    set_language("en")
    for catalogue in CATALOGUES.values():
        for key, text in catalogue.items():
            if key.startswith("err."):
                assert "→D0" not in text and "δ_j" not in text, key


def test_the_symmetry_note_says_where_its_figures_come_from() -> None:
    notes = {note.id: note.text for _, note in all_notes(walk(builtin("article")))}
    assert "after 2000 epochs at learning rate 1 (full batch)" in notes["symmetric_deltas"]
