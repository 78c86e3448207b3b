"""Shared helpers for driving the tutor with Textual's Pilot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import DataTable

from engine import builtin
from tui.app import TutorApp
from tui.glyphs import use_ascii
from tui.i18n import set_language
from tui.lesson import Cursor


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Every app test starts in English and Unicode, whatever the machine's locale and the
    test before (both are chosen once per process, as the tutor starts), and leaves them so:
    a test of another folder (a server's log line) must not read Chinese a test here chose."""
    set_language("en")
    use_ascii(False)
    yield
    set_language("en")
    use_ascii(False)


@pytest.fixture(autouse=True)
def save_into_tmp(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Saves and screenshots (keys w and F2, which fuzzing presses too) go to a temporary
    directory, never into the working tree."""
    monkeypatch.setenv("BACKPROP_TUTOR_SAVE_DIR", str(tmp_path))


@pytest.fixture(autouse=True)
def state_into_tmp(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The learner's progress (tui/progress.py) goes to a temporary directory, never into the
    real home; and every test starts with none, so no test resumes where another left."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def make_app(name: str = "article", **options: bool) -> TutorApp:
    """A tutor on a built-in lesson."""
    return TutorApp(builtin(name), **options)


def shown_place(app: TutorApp) -> Cursor:
    """The place the lesson screen shows (it must show one)."""
    cursor = app.lesson_screen.cursor
    assert cursor is not None, "the lesson screen shows no place"
    return cursor


def row(app: TutorApp, table_id: str, key: str) -> list[str]:
    """The plain text of one table row, marker column first."""
    table = app.query_one(f"#{table_id}", DataTable)
    return [str(getattr(cell, "plain", cell)) for cell in table.get_row(key)]


def pane_text(app: TutorApp, selector: str) -> str:
    """The whole text a Static pane holds (not only the part on screen), on one line."""
    from textual.widgets import Static

    content = app.screen.query_one(selector, Static).content
    return " ".join(str(getattr(content, "plain", content)).split())


@pytest.fixture
def fast_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot's key presses without its 2 × 20 ms idle sleep per key: a few turns of the event
    loop instead (Pilot still waits for every widget to process its queue), so fuzzing can
    press thousands of keys in a minute."""
    import asyncio

    import textual.app

    async def turn_the_loop(min_sleep: float = 0.0, max_sleep: float = 1.0) -> None:
        for _ in range(3):
            await asyncio.sleep(0)

    monkeypatch.setattr(textual.app, "wait_for_idle", turn_the_loop)


async def settled(app: TutorApp, pilot) -> str:  # type: ignore[no-untyped-def]
    """The screen once it stops changing. With :func:`fast_keys` a layout change (the footer,
    a table's columns, the explanation's height, the network's scroll keys, which wait for the
    layout after the drawing) can still be pending right after a key: the screen counts as
    settled only when it stays the same across two real pauses of a few frames each."""
    from tests.screen_text import screen_text

    text, still = "", 0
    for _ in range(40):
        await pilot.pause(0.05 if text else None)
        now = screen_text(app)
        still = still + 1 if now == text else 0
        if still == 2:
            break
        text = now
    return text


async def train_in_the_view(app: TutorApp, pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Open the training view (t), start a run with ``keys`` (default: Enter, the default 1000
    epochs), wait for it to finish and close the view: the lesson goes on from the trained
    weights."""
    await pilot.press("t")
    await pilot.pause()
    await pilot.press(*(keys or ("enter",)))
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("escape")
    await pilot.pause()


async def walked(app: TutorApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the lesson's first walkthrough: a new lesson opens with the network and its
    starting weights (no arithmetic), and the walkthrough and the tables follow the first
    frame."""
    for _ in range(50):
        tables = app.query("#forward")
        if app.lesson.walked and app.lesson_screen.cursor is app.lesson.place and tables:
            return
        await pilot.pause()
    raise AssertionError("the first walkthrough never came")
