"""From the tutor: train and step on, change the lesson, open a file, save and load back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from textual.pilot import Pilot

from engine import builtin, load_scenario, train, walk
from tests.functional_tests.conftest import (
    make_app,
    pane_text,
    row,
    shown_place,
    train_in_the_view,
)
from tests.screen_text import screen_text
from tui.app import TutorApp


async def edit(app: TutorApp, pilot: Pilot[None], **fields: str) -> None:
    """Open the lesson editor (e), set fields by their id (``lr="0.5"`` sets ``#edit-lr``),
    apply (Ctrl+S)."""
    await pilot.press("e")
    await pilot.pause()
    for name, value in fields.items():
        app.screen.query_one(f"#edit-{name}").value = value  # type: ignore[attr-defined]
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_train_then_step_on_from_the_trained_weights() -> None:
    app = make_app("xor-sigmoid")
    async with app.run_test(size=(80, 24)) as pilot:
        await train_in_the_view(app, pilot)  # 1000 epochs, the default
        cursor = app.lesson_screen.cursor
        assert cursor is not None and cursor.k == -1
        assert cursor.walkthrough.epoch == 1000
        assert "epoch 1000" in screen_text(app)
        expected = train(builtin("xor-sigmoid"), 1000).weights
        for got, want in zip(cursor.walkthrough.weights_before, expected, strict=True):
            np.testing.assert_array_equal(got, want)
        # Restart goes back to the lesson's own initial weights.
        await pilot.press("r")
        assert shown_place(app).walkthrough.epoch == 0


async def test_edit_the_learning_rate_and_the_header_says_so() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await edit(app, pilot, lr="0.5")
        assert app.lesson.scenario.learning_rate == 0.5
        assert "changed: α 0.5" in screen_text(app)
        await pilot.press("end")
        assert row(app, "updates", "X0->Z1")[4] == "3"  # 1 − 0.5·(1·(−4))


async def test_edit_refused_by_the_engine_is_explained_and_nothing_changes() -> None:
    app = make_app("xor-sigmoid")
    async with app.run_test(size=(100, 30)) as pilot:
        await edit(app, pilot, output="identity")
        assert "cross_entropy" in pane_text(app, "#editor-error")
        await pilot.press("escape")
        await pilot.pause()
        assert app.lesson.scenario == builtin("xor-sigmoid")


@pytest.mark.parametrize(
    ("field", "value", "changed"),
    [
        ("hidden", "tanh", ("activations", ("tanh", "identity"))),
        ("loss", "half_squared_error", ("loss", "half_squared_error")),
        ("update", "batch", ("update", "batch")),
    ],
)
async def test_edit_each_setting(field: str, value: str, changed: tuple[str, object]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await edit(app, pilot, **{field: value})
        name, expected = changed
        assert getattr(app.lesson.scenario, name) == expected


async def test_edit_the_initial_weights() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await edit(app, pilot, init="random", seed="7")
        init = app.lesson.scenario.init
        assert (init.kind, init.seed) == ("random", 7)
        assert "weights seed 7" in screen_text(app)
        await edit(app, pilot, init="constant", value="0.5")
        assert app.lesson.scenario.init.value == 0.5
        await pilot.press("right")
        assert row(app, "forward", "Z1")[2] == "0.5"


async def test_a_broken_file_opened_from_the_app_keeps_the_lesson(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("layers = [2, 3, 1\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right", "right", "o")
        await pilot.pause()
        app.screen.query_one("#open-path").value = str(broken)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert "not valid TOML" in pane_text(app, "#open-error")
        await pilot.press("escape")
        await pilot.pause()
        assert app.lesson.scenario.name == "article"
        assert shown_place(app).k == 1


async def test_save_then_load_gives_the_same_walkthrough(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKPROP_TUTOR_SAVE_DIR", str(tmp_path))
    app = make_app("xor-sigmoid")
    async with app.run_test(size=(100, 30)) as pilot:
        await edit(app, pilot, lr="0.25")
        await pilot.press("w")
        await pilot.pause()
        saved = app.lesson.scenario
        toml_path = tmp_path / "xor-sigmoid.toml"
        md_path = tmp_path / "xor-sigmoid-iteration-0.md"
        assert toml_path.exists() and md_path.exists()
        assert "## Forward pass" in md_path.read_text(encoding="utf-8")
        loaded = load_scenario(toml_path)
        assert loaded == saved
        assert [s.to_dict() for s in walk(loaded).steps] == [s.to_dict() for s in walk(saved).steps]
        # Opened again from the app: the same lesson.
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#open-path").value = str(toml_path)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert app.lesson.scenario == saved
        # A second save does not overwrite the first.
        await pilot.press("w")
        await pilot.pause()
        assert (tmp_path / "xor-sigmoid-2.toml").exists()


async def test_screenshot_key_saves_an_svg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKPROP_TUTOR_SAVE_DIR", str(tmp_path))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        svgs = list(tmp_path.glob("*.svg"))
        assert len(svgs) == 1 and "<svg" in svgs[0].read_text(encoding="utf-8")


async def test_edit_keeps_each_hidden_layers_own_activation(tmp_path: Path) -> None:
    # A file may give each hidden layer its own activation; the editor has one choice for
    # all of them, and must not overwrite the file's when only the learning rate changes.
    path = tmp_path / "deep.toml"
    path.write_text(
        'name = "deep"\nlayers = [2, 3, 3, 1]\nactivations = ["tanh", "relu", "sigmoid"]\n'
        'loss = "half_squared_error"\nlearning_rate = 0.5\nupdate = "batch"\n'
        '[init]\nkind = "random"\nseed = 1\n'
        "[data]\ninputs = [[0, 0], [0, 1], [1, 0], [1, 1]]\ntargets = [[0], [1], [1], [0]]\n",
        encoding="utf-8",
    )
    app = TutorApp(load_scenario(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await edit(app, pilot, lr="0.25")
        assert app.lesson.scenario.activations == ("tanh", "relu", "sigmoid")
        assert app.lesson.scenario.learning_rate == 0.25
        await edit(app, pilot, hidden="sigmoid")
        assert app.lesson.scenario.activations == ("sigmoid", "sigmoid", "sigmoid")


@pytest.mark.parametrize("seed", ["²", "٣", "-1", "1.5"])
async def test_an_odd_seed_is_refused_with_a_message(seed: str) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await edit(app, pilot, init="random", seed=seed)
        assert app.is_running
        assert pane_text(app, "#editor-error")  # said, in the dialog still open
        await pilot.press("escape")
        await pilot.pause()
        assert app.lesson.scenario == builtin("article")


async def test_an_edited_article_is_no_longer_the_article() -> None:
    # The errata quote the article's measured numbers, and c / v switch to and compare with
    # the built-in lessons: none of that fits a lesson whose learning rate was changed.
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("end")
        assert "The article goes wrong here" in pane_text(app, "#explanation")
        assert app.lesson_screen.check_action("toggle_corrected", ()) is True
        await edit(app, pilot, lr="0.5")
        await pilot.press("end")
        assert app.lesson.scenario.name == "article"  # the name is kept ...
        assert "The article goes wrong here" not in pane_text(app, "#explanation")
        assert app.lesson_screen.check_action("toggle_corrected", ()) is None  # not the article
        assert app.lesson_screen.check_action("compare", ()) is None
        await pilot.press("c")
        assert app.lesson.scenario.learning_rate == 0.5


async def test_training_from_the_middle_of_an_epoch_goes_on_with_the_next_sample() -> None:
    app = make_app("article-corrected")  # online: one update per sample
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end")  # iteration 0 (sample 0) done: sample 1 is next
        await train_in_the_view(app, pilot, "minus", "minus", "enter")  # 10 epochs
        w = app.lesson_screen.cursor.walkthrough if app.lesson_screen.cursor else None
        assert w is not None and w.iteration == 1 + 10 * 4 and w.samples == (1,)
        expected = builtin("article-corrected").initial_weights()
        for iteration in range(41):  # the lesson's own iterations, one sample after another
            expected = list(walk(builtin("article-corrected"), expected, iteration).weights_after)
        for got, want in zip(w.weights_before, expected, strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)


async def test_an_edited_file_lesson_says_what_was_changed(tmp_path: Path) -> None:
    # Compared with the lesson as the file gave it (no built-in lesson has its name).
    path = tmp_path / "mine.toml"
    path.write_text(
        'name = "mine"\nlayers = [2, 2, 1]\nactivations = ["sigmoid", "sigmoid"]\n'
        'loss = "half_squared_error"\nlearning_rate = 0.5\nupdate = "batch"\n'
        '[init]\nkind = "constant"\nvalue = 0.5\n'
        "[data]\ninputs = [[0, 0], [0, 1], [1, 0], [1, 1]]\ntargets = [[0], [1], [1], [0]]\n",
        encoding="utf-8",
    )
    app = TutorApp(load_scenario(path))
    async with app.run_test(size=(160, 40)) as pilot:
        assert "changed" not in screen_text(app).splitlines()[0]
        await edit(app, pilot, lr="0.25")
        await pilot.pause()
        assert "changed: α 0.25" in screen_text(app).splitlines()[0]
        assert "You changed this lesson (α 0.25)" in pane_text(app, "#explanation")
        await edit(app, pilot, lr="0.5")  # back as the file has it: nothing changed
        await pilot.pause()
        assert "changed" not in screen_text(app).splitlines()[0]
