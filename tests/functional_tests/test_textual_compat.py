"""Textual's internals the tutor relies on: each still there and still doing what
tui/textual_compat.py needs, and no other module touching one.

A failure here after upgrading Textual names the internal that changed: see the comment above
its use in tui/textual_compat.py for what it buys, then find the new release's way to do it.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import os
import queue
import re
import select
import signal
import sys
import threading
import time
import tty
from collections.abc import Iterable
from pathlib import Path

import pytest
import textual
from rich.text import Text
from textual import constants, events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer

import tui.textual_compat as compat
from tests.functional_tests.conftest import make_app, walked
from tests.screen_text import screen_text
from tui.i18n import set_language

ROOT = Path(__file__).resolve().parents[2]
COMPAT = ROOT / "tui" / "textual_compat.py"
TEXTUAL = Path(textual.__file__).resolve().parent


def changed(what: str, why: str) -> str:
    """The failure message: which internal, and what it is used for."""
    return (f"Textual {textual.__version__}: {what} is not as tui/textual_compat.py expects "
            f"(it is used {why})")


class Keys(App[None]):
    """A bare app with a footer and one labelled key."""

    BINDINGS = [Binding("n", "noop", "Next", id="next")]

    def compose(self) -> ComposeResult:
        yield Footer(show_command_palette=False)

    def action_noop(self) -> None:
        """Nothing."""


async def test_relabel_changes_the_labels_the_footer_shows() -> None:
    app = Keys()
    async with app.run_test() as pilot:
        assert hasattr(app, "_bindings") and hasattr(app._bindings, "key_to_bindings"), changed(
            "DOMNode._bindings.key_to_bindings", "to relabel keys in another language")
        set_language("zh")
        try:
            compat.relabel(app)
            for _ in range(3):
                await pilot.pause()
            labels = {key.description for key in app.screen.query(compat.FooterKey)}
        finally:
            set_language("en")
        assert labels == {"下一步"}, changed("Binding relabelling", "for the l key")


async def test_a_footer_key_greys_out_in_place() -> None:
    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        assert compat.footer_is_ready(footer), changed("Footer._bindings_ready", "by KeyFooter")
        (key,) = app.screen.query(compat.FooterKey)
        assert hasattr(key, "_disabled"), changed("FooterKey._disabled", "to grey keys")
        compat.set_footer_key_enabled(key, False)
        assert key._disabled and key.has_class("-disabled"), changed(
            "FooterKey._disabled", "to grey a key in place")
        compat.set_footer_key_enabled(key, True)
        assert not key._disabled and not key.has_class("-disabled")


class Table(App[None]):
    """A QuietDataTable of 40 rows in a short terminal."""

    def compose(self) -> ComposeResult:
        yield compat.QuietDataTable(cursor_type="row", show_cursor=True)

    def on_mount(self) -> None:
        table = self.query_one(compat.QuietDataTable)
        table.add_column("a", key="a", width=8)
        for i in range(40):
            table.add_row(Text(str(i)), key=f"r{i}")


async def test_a_row_is_written_and_repainted_alone() -> None:
    app = Table()
    async with app.run_test(size=(20, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(compat.QuietDataTable)
        assert isinstance(getattr(table, "_data", None), dict), changed(
            "DataTable._data", "to write cells without repainting the whole table")
        before = table._update_count
        column = next(iter(table.columns))
        table.write_row("r3", {column: Text("three")})
        assert str(table.get_row("r3")[0]) == "three", changed("DataTable._data", "to write cells")
        assert table._update_count == before + 1, changed(
            "DataTable._update_count", "to expire the render caches of a written row")
        await pilot.pause()
        assert "three" in screen_text(app)


async def test_the_table_never_scrolls_itself() -> None:
    app = Table()
    async with app.run_test(size=(20, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(compat.QuietDataTable)
        assert "_scroll_cursor_into_view" in vars(DataTable), changed(
            "DataTable._scroll_cursor_into_view", "as the hook that scrolls the cursor")
        table.move_cursor(row=30, scroll=False)
        await pilot.pause()
        assert table.scroll_y == 0, changed(
            "DataTable._scroll_cursor_into_view", "to stop the table scrolling itself")
        assert isinstance(table, DataTable)


async def test_the_screen_renders_as_text() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        assert hasattr(app.screen, "_compositor") and hasattr(app, "_background_screens"), (
            changed("Screen._compositor / App._background_screens", "to read the screen"))
        assert "step 0 of 22" in screen_text(app)


async def test_the_palette_s_page_keys_reach_the_guarded_action(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pages: list[int] = []
    monkeypatch.setattr(compat.TutorPalette, "action_page", lambda self, d: pages.append(d))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, compat.TutorPalette)
        await pilot.press("pagedown", "pageup")
        await pilot.pause()
    assert pages == [1, -1], changed(
        "CommandPalette's pagedown and pageup bindings",
        "to keep the palette's paging from OptionList._move_page's KeyError: 0")


# --- the input thread asleep while no key comes ------------------------------------------------

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="SleepingLinuxDriver is for Linux")

#: The sha256 (first 16 hex digits) of Textual 8.2.8's LinuxDriver.run_input_thread, which
#: SleepingLinuxDriver.run_input_thread copies (its select() calls changed).
RUN_INPUT_THREAD_SHA256 = "d796af6d69db337d"


@linux_only
def test_the_input_loop_is_the_one_copied() -> None:
    from textual.drivers.linux_driver import LinuxDriver

    source = inspect.getsource(LinuxDriver.run_input_thread)
    assert hashlib.sha256(source.encode()).hexdigest()[:16] == RUN_INPUT_THREAD_SHA256, changed(
        "LinuxDriver.run_input_thread", "as the loop SleepingLinuxDriver copies: copy it again")
    assert compat.sleeping_driver(LinuxDriver) is compat.SleepingLinuxDriver
    assert compat.sleeping_driver(compat.SleepingLinuxDriver) is compat.SleepingLinuxDriver
    assert make_app().driver_class is compat.SleepingLinuxDriver


def test_the_parser_says_when_it_holds_a_partial_sequence() -> None:
    from textual._xterm_parser import XTermParser

    parser = XTermParser()
    assert getattr(parser, "_timeout_time", 0) is None, changed(
        "Parser._timeout_time", "to tell when tick() has nothing to time out")
    assert [e.key for e in parser.feed("a")] == ["a"] and parser._timeout_time is None
    assert list(parser.feed("\x1b")) == [] and parser._timeout_time is not None, changed(
        "Parser._timeout_time", "to tell that a lone ESC waits for tick()")
    time.sleep(constants.ESCAPE_DELAY * 1.5)
    assert [e.key for e in parser.tick()] == ["escape"] and parser._timeout_time is None, changed(
        "Parser.tick", "to turn a lone ESC into Escape")


def wakeups(thread: threading.Thread) -> int:
    """A thread's voluntary context switches so far."""
    status = Path(f"/proc/self/task/{thread.native_id}/status").read_text()
    return int(re.search(r"^voluntary_ctxt_switches:\s*(\d+)$", status, re.MULTILINE)[1])


def readable(fd: int) -> bool:
    return bool(select.select([fd], [], [], 0)[0])


@linux_only
async def test_the_input_thread_sleeps_until_a_key_or_the_exit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SleepingLinuxDriver's loop on a pty of its own: asleep with no key, a lone ESC becomes
    Escape after ESCDELAY, and Textual's disable_input stops it at once. (Async: a Driver
    is made in a running event loop.)"""
    handlers = {n: signal.getsignal(n) for n in (signal.SIGTSTP, signal.SIGCONT, signal.SIGWINCH)}
    leader, follower = os.openpty()
    tty.setraw(follower)
    stdin = open(follower, closefd=False)  # closed below
    monkeypatch.setattr(sys, "__stdin__", stdin)  # LinuxDriver reads the keys of sys.__stdin__
    try:
        driver = compat.SleepingLinuxDriver(App(), mouse=False)  # mouse: no writer thread
        got: queue.Queue[object] = queue.Queue()
        driver.process_message = got.put  # type: ignore[method-assign]
        wake = driver.exit_event.open()
        thread = threading.Thread(target=driver.run_input_thread, daemon=True)
        driver._key_thread = thread
        thread.start()
        time.sleep(0.2)
        before = wakeups(thread)
        time.sleep(0.6)  # Textual's loop: 6 wake-ups
        assert wakeups(thread) - before <= 1, "the idle input thread woke"

        os.write(leader, b"a")
        key = got.get(timeout=2)
        assert isinstance(key, events.Key) and key.key == "a"
        pressed = time.monotonic()
        os.write(leader, b"\x1b")
        key = got.get(timeout=2)
        assert isinstance(key, events.Key) and key.key == "escape"
        assert time.monotonic() - pressed >= constants.ESCAPE_DELAY * 0.9

        assert not readable(wake)
        stopping = time.monotonic()
        driver.disable_input()  # Textual's: sets exit_event, joins the thread, clears it
        assert not thread.is_alive(), changed(
            "LinuxDriver.disable_input", "to stop the input thread by exit_event")
        assert time.monotonic() - stopping < 0.5, "the exit did not wake the input thread"
        assert not driver.exit_event.is_set() and not readable(wake)
        driver.exit_event.set()
        assert readable(wake)  # set again, as by a stop: readable until cleared
        driver.exit_event.clear()

        driver.close()
        assert driver.exit_event.fileno() is None
        with pytest.raises(OSError):
            os.fstat(wake)  # the pipe is closed
        driver.exit_event.set()  # with no pipe: a plain Event
        assert driver.exit_event.is_set()
    finally:
        stdin.close()
        os.close(follower)
        os.close(leader)
        for number, handler in handlers.items():
            signal.signal(number, handler)


# --- nothing else touches Textual's internals ------------------------------------------------

#: How a private name is made in Python source: an assignment to an attribute, a def, or a
#: class-level name.
_DEFINED = re.compile(
    r"(?:\bself\.|\bcls\.|\bdef\s+|^\s+)(_[A-Za-z]\w*)\s*(?:\(|:[^=\n]*=|=(?!=)|:\s*$)",
    re.MULTILINE,
)


def private_names(paths: Iterable[Path]) -> set[str]:
    """Single-underscore names these sources define (not dunders)."""
    names: set[str] = set()
    for path in paths:
        names.update(n for n in _DEFINED.findall(path.read_text(encoding="utf-8"))
                     if not n.startswith("__"))
    return names


def our_sources() -> list[Path]:
    """The tutor's and the tests' modules, the compat module and this test left out."""
    paths = [*(ROOT / "tui").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]
    return [p for p in paths if p.resolve() not in (COMPAT, Path(__file__).resolve())]


def name_sets() -> tuple[set[str], set[str]]:
    """Textual's private names, and ours (the engine's and the benchmarks' too, not the
    compat module's: it may define a Textual name, to override it)."""
    ours = [*our_sources(), *(ROOT / "engine").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]
    return private_names(TEXTUAL.rglob("*.py")), private_names(ours)


def of_a_standard_module(node: ast.Attribute) -> bool:
    """``os._exit``, ``sys._getframe``: a standard module's own name, not Textual's."""
    return isinstance(node.value, ast.Name) and node.value.id in sys.stdlib_module_names


def private_uses(source: str, textual_names: set[str], ours: set[str]) -> list[str]:
    """Where ``source`` reads a private name Textual defines and we do not, or imports from a
    private Textual module: ``line: what``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Attribute):
            name = node.attr
            if (name.startswith("_") and not name.startswith("__") and name in textual_names
                    and name not in ours and not of_a_standard_module(node)):
                found.append(f"{line}: .{name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] == "textual" and any(p.startswith("_") for p in parts):
                found.append(f"{line}: from {node.module}")
    return found


def test_only_the_compat_module_touches_textual_internals() -> None:
    textual_names, ours = name_sets()
    found = [
        f"{path.relative_to(ROOT)}:{use}"
        for path in our_sources()
        for use in private_uses(path.read_text(encoding="utf-8"), textual_names, ours)
    ]
    assert not found, "Textual internals outside tui/textual_compat.py:\n" + "\n".join(found)


@pytest.mark.parametrize("code", [
    "app._exception", "screen._compositor.render_update()", "table._data[key]",
    "from textual.widgets._footer import FooterKey",
])
def test_the_scan_sees_a_private_use(code: str) -> None:
    """The scan is not blind: each of these is flagged (with the names it really uses)."""
    textual_names, ours = name_sets()
    assert private_uses(code, textual_names, ours), code


def test_the_scan_leaves_our_own_names_alone() -> None:
    textual_names, ours = name_sets()
    assert private_uses("self._walkthrough\nlesson._go(0, -1)", textual_names, ours) == []
    assert private_uses("os._exit(1)", textual_names, ours) == []  # Textual has an _exit too
