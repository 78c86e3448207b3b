"""The training view, driven by the keyboard: the three lessons by their numbers, pausing,
stopping, going on, and the weights it hands back."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import numpy as np
import pytest
from textual.pilot import Pilot

from engine import builtin, train
from engine.numbers import fmt
from tests.functional_tests.conftest import make_app
from tests.screen_text import screen_text
from tui.app import TutorApp
from tui.i18n import LANGUAGES, set_language, t
from tui.screens.training import ACTIVE, TrainedWeights, TrainingScreen

XOR_TARGETS = np.array([0.0, 1.0, 1.0, 0.0])
TIMEOUT = 60.0


async def open_training(app: TutorApp, pilot: Pilot[None], results: list[object]) -> TrainingScreen:
    """Push the training view on the tutor's lesson, as the tutor's key will."""
    s = app.lesson.scenario
    screen = TrainingScreen(s, s.initial_weights())
    await app.push_screen(screen, results.append)
    await pilot.pause()
    return screen


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until ``condition()`` holds (the worker runs in its own thread).

    A plain sleep, not ``pilot.pause``: that waits for every widget to go quiet, which takes
    long while reports stream in, and the moment to catch would be gone.
    """
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


async def start_long_run(app: TutorApp, pilot: Pilot[None], screen: TrainingScreen) -> None:
    """Enter, and wait for the first report of the run.

    ``pilot.press`` waits for the process to go idle after each key, which a busy worker
    thread never lets it do: a 20000-epoch run would be over before the next key arrived.
    ``simulate_key`` sends the same key event without waiting, as a learner's keyboard does.
    """
    app.simulate_key("enter")
    await wait_until(pilot, lambda: screen.run.done > 0, "the first report")
    assert screen.state == "running"


async def finish(app: TutorApp, pilot: Pilot[None], screen: TrainingScreen) -> None:
    """Wait for the run's worker and its last report."""
    await app.workers.wait_for_complete()
    await wait_until(pilot, lambda: screen.state not in ACTIVE, "the run to end")
    await pilot.pause()


def same_weights(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return all(np.array_equal(x, y, equal_nan=True) for x, y in zip(a, b, strict=True))


async def test_xor_sigmoid_learns_xor_in_the_default_1000_epochs() -> None:
    app = make_app("xor-sigmoid")
    results: list[object] = []
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_training(app, pilot, results)
        assert "[1000]" in screen_text(app)  # the default run length, shown
        assert screen.check_action("close", ()) is True
        await pilot.press("enter")
        await finish(app, pilot, screen)
        expected = train(app.lesson.scenario, 1000)
        assert screen.state == "done" and screen.total_epochs == 1000
        p = screen.predictions[:, 0]
        assert ((p > 0.5) == (XOR_TARGETS > 0.5)).all()
        # The slices add up to one run of 1000 epochs, to the last bit.
        assert same_weights(screen.weights, expected.weights)
        np.testing.assert_array_equal(screen.losses, expected.losses)
        text = screen_text(app)
        assert "epochs 1000 of 1000" in text
        assert f"loss {fmt(expected.losses[-1])}" in text
        for x, prediction in zip(("(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"), p):
            assert any(x in line and fmt(prediction) in line for line in text.splitlines())
        assert f"first {fmt(expected.losses[0])}" in text
        assert "Overflow" not in text and "nan" not in text
        assert screen.check_action("start", ()) is True


async def test_article_diverges_with_a_warning_and_no_crash() -> None:
    app = make_app("article")
    results: list[object] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_training(app, pilot, results)
        await pilot.press("enter")
        await finish(app, pilot, screen)
        assert screen.state == "done" and screen.total_epochs == 1000
        assert not np.isfinite(screen.predictions).any()
        text = screen_text(app)
        assert "Overflow: losses, weights or predictions became inf or nan" in text
        assert "loss nan" in text
        assert text.count("nan") >= 5  # the loss, the four predictions, the map's legend
        assert "? nan" in text
        assert f"first {fmt(-728.53756829)}" in text  # the signed error of the first epoch


async def test_article_in_ascii_is_pure_ascii_even_when_it_overflows() -> None:
    app = make_app("article", ascii_only=True)
    results: list[object] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_training(app, pilot, results)
        assert screen_text(app).isascii()
        await pilot.press("minus", "minus", "enter")
        await finish(app, pilot, screen)
        text = screen_text(app)
        assert screen.total_epochs == 10
        assert "Overflow" in text and "nan" in text
        assert text.isascii(), [c for c in text if not c.isascii()]


async def test_article_corrected_plateaus_at_one_half() -> None:
    app = make_app("article-corrected")
    results: list[object] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_training(app, pilot, results)
        await pilot.press("plus")
        assert "[5000]" in screen_text(app)
        await pilot.press("enter")
        await finish(app, pilot, screen)
        assert screen.total_epochs == 5000
        p = screen.predictions[:, 0]
        assert np.abs(p - 0.5).max() < 0.05
        text = screen_text(app)
        for prediction in p:
            assert fmt(prediction) in text
        assert "Overflow" not in text and "Diverging" not in text


async def test_stopping_a_run_keeps_the_weights_it_reached() -> None:
    app = make_app("article-corrected")
    results: list[object] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_training(app, pilot, results)
        await pilot.press("plus", "plus")
        assert screen.chosen_epochs == 20000
        assert screen.check_action("more", ()) is None  # the longest run already
        assert screen.check_action("stop", ()) is None  # nothing to stop yet
        await start_long_run(app, pilot, screen)
        await pilot.press("x")  # soon after: the run takes seconds, its first report came in ms
        assert screen.state in ("stopping", "stopped")
        await finish(app, pilot, screen)
        assert screen.state == "stopped"
        assert 0 < screen.total_epochs < 20000
        assert len(screen.losses) == screen.total_epochs
        # Exactly the weights of that many epochs: nothing lost, nothing run after the stop.
        expected = train(app.lesson.scenario, screen.total_epochs)
        assert same_weights(screen.weights, expected.weights)
        assert "stopped" in screen_text(app)
        # Enter goes on from there.
        await pilot.press("minus", "minus", "minus")
        assert screen.chosen_epochs == 100
        before = screen.total_epochs
        await pilot.press("enter")
        await finish(app, pilot, screen)
        assert screen.total_epochs == before + 100
        assert same_weights(screen.weights, train(app.lesson.scenario, before + 100).weights)


async def test_escape_stops_a_run_first_then_goes_back() -> None:
    app = make_app("article-corrected")
    results: list[object] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_training(app, pilot, results)
        await pilot.press("plus", "plus")
        await start_long_run(app, pilot, screen)
        assert screen.check_action("close", ()) is None
        await pilot.press("escape")
        await finish(app, pilot, screen)
        assert 0 < screen.total_epochs < 20000
        assert app.screen is screen and not results  # still here: Escape only stopped the run
        assert screen.state == "stopped"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen
        assert len(results) == 1


async def test_pause_holds_the_run_and_resume_finishes_it() -> None:
    app = make_app("article-corrected")
    results: list[object] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_training(app, pilot, results)
        await pilot.press("plus", "plus")
        await start_long_run(app, pilot, screen)
        await pilot.press("p")
        assert screen.state == "paused"
        assert screen.check_action("resume", ()) is True
        assert screen.check_action("pause", ()) is False  # the footer shows Resume instead
        for greyed in ("start", "more", "fewer", "close"):  # nothing else while a run lives
            assert screen.check_action(greyed, ()) is None, greyed
        assert screen.check_action("stop", ()) is True
        assert "paused" in screen_text(app)
        await pilot.pause(0.3)  # the worker ends its epoch, reports, then waits
        held = screen.run.done
        await pilot.pause(0.5)
        assert 0 < screen.run.done == held < 20000
        assert same_weights(screen.weights, train(app.lesson.scenario, held).weights)
        await pilot.press("p")  # press waits for quiet: the run may be over by the time it returns
        assert screen.state in ("running", "done")
        await finish(app, pilot, screen)
        assert screen.state == "done"
        assert screen.total_epochs == 20000
        assert same_weights(screen.weights, train(app.lesson.scenario, 20000).weights)


async def test_dismiss_returns_the_weights_and_the_epochs() -> None:
    app = make_app("xor-sigmoid")
    results: list[object] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_training(app, pilot, results)
        await pilot.press("minus", "minus", "enter")
        await finish(app, pilot, screen)
        await pilot.press("enter")  # a second run goes on from the weights reached
        await finish(app, pilot, screen)
        await pilot.press("escape")
        await pilot.pause()
    assert len(results) == 1
    result = results[0]
    assert isinstance(result, TrainedWeights)
    assert result.epochs == 20 and result.finite
    assert same_weights(result.weights, train(builtin("xor-sigmoid"), 20).weights)


async def test_closing_without_training_returns_the_starting_weights() -> None:
    app = make_app("xor-sigmoid")
    results: list[object] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await open_training(app, pilot, results)
        await pilot.press("escape")
        await pilot.pause()
    (result,) = results
    assert isinstance(result, TrainedWeights) and result.epochs == 0
    assert same_weights(result.weights, builtin("xor-sigmoid").initial_weights())


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_everything_fits_on_screen(size: tuple[int, int]) -> None:
    app = make_app("xor-sigmoid")
    results: list[object] = []
    async with app.run_test(size=size) as pilot:
        screen = await open_training(app, pilot, results)
        await pilot.press("enter")
        await finish(app, pilot, screen)
        text = screen_text(app)
        for words in ("Loss per epoch", "Predictions", "Decision map", "X1", "X2",
                      "samples by target", "first", "Train", "Back", "(1, 1)", "100%"):
            assert words in text, words
        # The four samples are on the map, marked by their target: read the map's box only.
        lines = text.splitlines()
        top = next(i for i, line in enumerate(lines) if "Decision map" in line)
        left = lines[top].index("Decision map") - 3
        cells = [line[left:].split("│") for line in lines[top + 1 :]]
        marks = "".join(ch for parts in cells if len(parts) >= 4 for ch in parts[2] if ch in "01")
        assert sorted(marks) == ["0", "0", "1", "1"]
        assert all(len(line) <= size[0] for line in lines)


async def test_key_labels_follow_the_language_in_use_when_the_view_opens() -> None:
    other = "zh"
    assert other in LANGUAGES
    app = make_app("xor-sigmoid")
    results: list[object] = []
    async with app.run_test(size=(120, 36)) as pilot:
        set_language(other)
        await open_training(app, pilot, results)
        text = screen_text(app)
        for key in ("train.key.start", "train.key.more", "train.key.close"):
            assert t(key) in text, key
        assert t("train.chart.title") in text
