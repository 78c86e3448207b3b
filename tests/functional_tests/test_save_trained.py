"""Saving after training keeps the trained weights (issue 12): the .toml holds them as an
explicit [init] with a comment saying where they came from, and opening it goes on from
there."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine import builtin, load_scenario, train, walk
from engine.numbers import fmt
from tests.functional_tests.conftest import make_app, shown_place, train_in_the_view
from tests.screen_text import screen_text
from tui.saving import scenario_to_save


async def test_save_after_training_keeps_the_trained_weights_and_loads_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKPROP_TUTOR_SAVE_DIR", str(tmp_path))
    expected = train(builtin("xor-sigmoid"), 1000).weights
    app = make_app("xor-sigmoid")
    async with app.run_test(size=(80, 24)) as pilot:
        await train_in_the_view(app, pilot)  # 1000 epochs, the default
        await pilot.press("w")
        await pilot.pause()
        text = (tmp_path / "xor-sigmoid.toml").read_text(encoding="utf-8")
        assert 'kind = "explicit"' in text and 'kind = "random"\n' not in text
        assert ('# The weights lesson "xor-sigmoid" had reached at iteration 1000 (epoch 1000), '
                'by training\n# and stepping from its own (kind = "random", seed = 0).') in text
        loaded = load_scenario(tmp_path / "xor-sigmoid.toml")
        assert loaded.init.kind == "explicit"
        for got, want in zip(loaded.initial_weights(), expected, strict=True):
            np.testing.assert_array_equal(got, want)  # to the last bit
        # The rest of the lesson is the same.
        assert loaded.with_changes(init=builtin("xor-sigmoid").init) == builtin("xor-sigmoid")
        # Opened in the tutor: it starts from the trained weights, which it shows.
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#open-path").value = str(tmp_path / "xor-sigmoid.toml")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        place = shown_place(app)
        assert app.lesson.scenario == loaded
        for got, want in zip(place.walkthrough.weights_before, expected, strict=True):
            np.testing.assert_array_equal(got, want)
        # The trained network gets XOR right at its first step: the forward pass of (0, 0)
        # gives D0 = 0.011022 (the untrained one gives 0.67).
        await pilot.press("end")
        await pilot.pause()
        d0 = walk(loaded).steps
        assert any(s.target == "D0" and fmt(s.value) == "0.011022" for s in d0)
        await pilot.press("2")
        await pilot.pause()
        assert "0.011022" in screen_text(app), screen_text(app)


def test_the_first_iteration_saves_the_lesson_as_it_is() -> None:
    w = walk(builtin("xor-sigmoid"))
    assert scenario_to_save(w) == (builtin("xor-sigmoid"), [])


def test_an_online_lesson_says_which_sample_it_went_on_with() -> None:
    s = builtin("article-corrected")
    weights = train(s, 1).weights
    w = walk(s, weights, iteration=5)  # sample 1
    saved, comment = scenario_to_save(w)
    assert saved.init.kind == "explicit"
    assert " ".join(comment).endswith("It went on with sample 1; this file starts again at "
                                      "sample 0.")


def test_overflowed_weights_are_not_written_and_the_comment_says_why() -> None:
    s = builtin("article")
    w = walk(s, train(s, 3).weights, iteration=12)
    saved, comment = scenario_to_save(w)
    assert saved == s
    assert "overflowed to inf or nan" in comment[0]
