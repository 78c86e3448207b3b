"""The app's open dialog (key o) on files that are not lessons: a FIFO, /dev/zero, a file far
too large, a lesson whose name would act on the terminal. Each is explained at once, in the
dialog, and the tutor keeps answering keys (issue 11)."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from engine import builtin, dump_scenario
from tests.fresh_python import run_fresh
from tests.functional_tests.conftest import make_app, pane_text, shown_place
from tui.app import TutorApp

MAX_FILE_BYTES = 16 * 1024 * 1024  # engine/scenario_file.py's cap


async def open_path(app: TutorApp, pilot, path: str) -> str:  # type: ignore[no-untyped-def]
    """Press o, enter ``path``; the dialog's error line."""
    await pilot.press("o")
    await pilot.pause()
    app.screen.query_one("#open-path").value = path  # type: ignore[attr-defined]
    await pilot.press("enter")
    await pilot.pause()
    return pane_text(app, "#open-error")


async def escape_keeps_the_lesson(app: TutorApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Escape closes the dialog on the same lesson and step, and the keys step on."""
    k = shown_place(app).k
    await pilot.press("escape")
    await pilot.pause()
    assert app.lesson.scenario.name == "article" and shown_place(app).k == k
    await pilot.press("right")
    await pilot.pause()
    assert shown_place(app).k == k + 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
async def test_a_fifo_is_refused_without_freezing_the_app(tmp_path: Path) -> None:
    fifo = tmp_path / "lesson.toml"
    os.mkfifo(fifo)
    # Before the fix, opening the FIFO blocked the event loop until a writer came: this writer
    # comes after 10 s (so the test fails rather than hangs) and says that it had to.
    rescued = threading.Event()
    done = threading.Event()

    def writer() -> None:
        if not done.wait(10):
            rescued.set()
            with open(fifo, "wb"):
                pass

    watchdog = threading.Thread(target=writer, daemon=True)
    watchdog.start()
    app = make_app()
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("right")
            error = await open_path(app, pilot, str(fifo))
            assert not rescued.is_set(), "the app waited on the FIFO"
            assert error == f"{fifo}: cannot read the file (not a regular file: a directory, " \
                "a device or a pipe)"
            await escape_keeps_the_lesson(app, pilot)
    finally:
        done.set()
        watchdog.join()


async def test_a_file_over_the_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right")
        error = await open_path(app, pilot, str(path))
        assert error == f"{path}: the file is larger than 16 MB, far more than any lesson needs"
        await escape_keeps_the_lesson(app, pilot)


async def test_a_name_that_would_act_on_the_terminal_is_refused(tmp_path: Path) -> None:
    text = dump_scenario(builtin("article")).replace(
        'name = "article"', 'name = "evil\\u001b]0;PWNED\\u0007\\u001b[2J"')
    path = tmp_path / "evil.toml"
    path.write_text(text, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right")
        error = await open_path(app, pilot, str(path))
        assert error.startswith(f"{path}: key 'name': expected one line of text"), error
        assert error.endswith("got '\\x1b'") and "\x1b" not in error, error
        await escape_keeps_the_lesson(app, pilot)


# In a fresh interpreter with a memory limit: before the fix, the dialog read /dev/zero until
# memory ran out.
DEV_ZERO = """
import asyncio, json, resource
limit = 2 << 30
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from engine import builtin
from tui.app import TutorApp

async def main():
    app = TutorApp(builtin("article"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#open-path").value = "/dev/zero"
        await pilot.press("enter")
        await pilot.pause()
        error = str(app.screen.query_one("#open-error").render())
        await pilot.press("escape")
        await pilot.pause()
        return error, app.screen is app.lesson_screen

print(json.dumps(asyncio.run(main())))
"""


@pytest.mark.skipif(sys.platform == "win32" or not Path("/dev/zero").exists(),
                    reason="POSIX devices and memory limits")
def test_dev_zero_is_refused_at_once() -> None:
    error, back = run_fresh(DEV_ZERO, timeout=120)
    assert error == "/dev/zero: cannot read the file (not a regular file: a directory, " \
        "a device or a pipe)"
    assert back
