"""The errata notes: each one's numbers, measured by the engine, and where each one appears."""

from __future__ import annotations

import pytest

from engine import builtin, walk
from engine.article_errata import article_facts, compare_rules, symmetric_outputs
from tui.errata import all_notes, notes_for
from tui.i18n import set_language
from tui.transcript import render_json, render_markdown

MINUS = "−"


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


def test_the_measured_facts() -> None:
    f = article_facts()
    assert (f.prediction, f.target, f.loss_if_claimed, f.article_loss) == (4, 0, -3, -4)
    assert f.log_argument == -3
    assert f.numeric_gradient == pytest.approx(4, abs=1e-6)
    assert f.article_gradient == -4
    assert (f.article_weight, f.corrected_weight) == (pytest.approx(1.4), pytest.approx(0.6))
    assert f.article_predictions == pytest.approx((7.28, 19.68558592, 158.8199773), rel=1e-9)
    assert f.corrected_prediction == pytest.approx(1.68)
    assert (f.grown_weights, f.total_weights) == (7, 13)
    assert f.linear_coefficients == (4, 3, 3)
    assert f.least_squares == pytest.approx((0.5,) * 4)
    assert f.least_squares_mse == pytest.approx(0.25)
    outputs = symmetric_outputs()
    assert outputs[0] < 0.5 and outputs[1] > 0.5 and outputs[2] > 0.5
    assert outputs[3] > 0.5, "equal weights leave (1, 1) misclassified"
    assert outputs[1] == outputs[2], "the symmetric units give equal outputs for (0,1), (1,0)"
    assert f.bias_delta == -4


def test_notes_appear_at_their_steps() -> None:
    w = walk(builtin("article"))
    where = {note.id: k for k, note in all_notes(w)}
    assert where == {
        "symmetry": -1,
        "linear": 0,
        "targets": 3,
        "cost": 4,
        "sign": 5,
        "delta_rule": 6,
        "symmetric_deltas": 7,
        "batch": 9,
        "story": 12,
        "prediction": 21,
    }
    assert [s.target for s in w.steps if s.index in where.values()] == [
        "Z1", "D0", "loss", "D0", "Z1", "Z2", "X0->Z1", "X0->Z2", "Z3->D0"
    ]


@pytest.mark.parametrize(
    ("note_id", "numbers"),
    [
        ("prediction", ["7.28", "19.686", "158.82", "0.6", "1.4", "1.68"]),
        ("sign", ["= 4;", f"{MINUS}4"]),
        ("targets", [f"{MINUS}3", f"{MINUS}4", "gives 4"]),
        ("cost", [f"log({MINUS}3)", f"{MINUS}4"]),
        ("linear", ["D0 = 4 + 3·X1 + 3·X2", "[0.5, 0.5, 0.5, 0.5]", "0.25"]),
        ("symmetric_deltas", ["2000 epochs", "0.66845"]),
        ("story", ["7 of the 13", "1.4"]),
        ("delta_rule", [f"δ(Z0) = {MINUS}4"]),
    ],
)
def test_each_note_states_its_numbers(note_id: str, numbers: list[str]) -> None:
    notes = {note.id: note for _, note in all_notes(walk(builtin("article")))}
    for number in numbers:
        assert number in notes[note_id].text, (note_id, number, notes[note_id].text)


def test_notes_only_for_the_article_lessons_and_first_iteration() -> None:
    assert all_notes(walk(builtin("xor-sigmoid"))) == []
    corrected = walk(builtin("article-corrected"))
    assert {note.id for _, note in all_notes(corrected)} >= {"sign", "prediction"}
    later = walk(builtin("article"), list(walk(builtin("article")).weights_after), iteration=1)
    assert notes_for(later, 0) == []


def test_print_includes_the_notes_with_their_numbers() -> None:
    w = walk(builtin("article"))
    text = render_markdown(w)
    assert "## Where the article goes wrong" in text
    assert "7.28" in text and "1.68" in text
    notes = __import__("json").loads(render_json(w))["notes"]
    assert any("7.28" in n["text"] and "1.68" in n["text"] for n in notes)


def test_compare_rules_from_the_same_weights() -> None:
    c = compare_rules(list(walk(builtin("article")).weights_before), 0)
    assert (c.before, c.after_article, c.after_corrected) == pytest.approx((4, 7.28, 1.68))
    link = c.article.link("X0->Z1")
    assert link is not None
    assert c.article.weight(link, after=True) == pytest.approx(1.4)
    assert c.corrected.weight(link, after=True) == pytest.approx(0.6)


def test_only_the_unchanged_article_lessons_are_partners() -> None:
    from engine.builtin_lessons import article_partner, builtin_name

    article, corrected = builtin("article"), builtin("article-corrected")
    assert article_partner(article) == corrected and article_partner(corrected) == article
    assert article_partner(builtin("xor-sigmoid")) is None
    edited = article.with_changes(learning_rate=0.5)
    assert edited.name == "article" and builtin_name(edited) is None
    assert article_partner(edited) is None
    assert notes_for(walk(edited), -1) == []
    assert notes_for(walk(article), -1) != []
