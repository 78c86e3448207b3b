"""Every use of Textual's private internals, in one place, each with what it buys; and the
workaround for a Textual defect the tutor meets (the command palette's paging).

Textual is pinned to the release these were checked against (pyproject.toml);
``tests/functional_tests/test_textual_compat.py`` fails with a message naming the internal when a
release changes one, and another test checks that no other module of ``tui/`` or ``tests/``
touches a private Textual name. Figures are from ``bench/tui.py`` (see README, Performance).
"""

from __future__ import annotations

import contextlib
import os
import selectors
import sys
import threading
from codecs import getincrementaldecoder
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.command import CommandInput, CommandList, CommandPalette
from textual.dom import DOMNode
from textual.driver import Driver
from textual.widgets import DataTable, Footer
from textual.widgets._footer import FooterKey  # not exported by textual.widgets
from textual.widgets.data_table import ColumnKey, RowKey

from tui.i18n import t
from tui.widgets.text_field import MAX_FIELD, NO_CONTROL

__all__ = [
    "FooterKey",
    "PipedEvent",
    "QuietDataTable",
    "TutorPalette",
    "footer_is_ready",
    "relabel",
    "render_screen",
    "set_footer_key_enabled",
    "sleeping_driver",
]


# --- key labels in the language in use ----------------------------------------------------
# Textual reads BINDINGS once, at import, and has no public way to change a binding's label.
# Without this, a language switch (the l key) would leave the footer in the old language.


def label_key(binding_id: str) -> str:
    """The catalogue entry of a binding's label: ``key.<id>``, or the id itself when it is
    already a full key (``train.key.start``)."""
    return binding_id if "." in binding_id else f"key.{binding_id}"


def relabel(node: DOMNode) -> None:
    """Label ``node``'s bindings from the catalogue (see :func:`label_key`)."""
    # From the node's own bindings, not the class's: Textual adds some at run time (the
    # command palette's ctrl+p), and those must stay.
    keys: dict[str, list[Binding]] = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        keys[key] = [
            replace(b, description=t(label_key(b.id))) if b.id else b
            for b in bindings
        ]
    node._bindings = BindingsMap.from_keys(keys)
    node.refresh_bindings()  # a no-op until the node is mounted


# --- the footer: a key greyed out, or back, in place ---------------------------------------
# Footer rebuilds every key whenever any binding's state changes; the tutor's keys change
# state at the start and end of each iteration. Measured with Footer's own rebuild instead
# (bench/tui.py, 5 runs, 2026-11-30): step latency p95 63 ms at 80x24 and 61 ms at 200x50,
# against 49 and 39 ms greyed in place (goal <= 60).


def footer_is_ready(footer: Footer) -> bool:
    """True once the footer has composed its keys from the screen's bindings."""
    return bool(footer._bindings_ready)


def set_footer_key_enabled(key: FooterKey, enabled: bool) -> None:
    """Grey a footer key out (or back) without rebuilding the footer."""
    if key._disabled == enabled:  # FooterKey's own flag: a click on a disabled key rings
        key._disabled = not enabled
        key.set_class(not enabled, "-disabled")


# --- tables that repaint only the rows that changed ----------------------------------------


class QuietDataTable(DataTable[Text]):
    """A DataTable whose cells can change without repainting the whole table, and which never
    scrolls itself.

    ``update_cell`` repaints the whole table. Measured with it instead (bench/tui.py, 3 runs,
    2026-11-30): bytes per step 0.84 of a full repaint at 80x24 and 0.54 at 200x50, against
    0.37 and 0.33 written row by row (goal <= 0.40); step latency median 20 ms against 9.
    And DataTable scrolls its cursor into view, measured by its current size, whenever the
    cursor moves or shows: a table shown this moment has no size yet, so it scrolled twice
    (tests/functional_tests/test_stepping.py, a table shown by a step scrolls once) and the
    offset came to depend on the way the learner came; the tables scroll themselves, by the
    row alone, so stepping back restores the very screen seen on the way forward.
    """

    def write_row(self, row: str, cells: Mapping[ColumnKey, Text]) -> None:
        """Put ``cells`` in row ``row`` and repaint that row alone."""
        self.write_rows({row: cells})

    def write_rows(self, rows: Mapping[str, Mapping[ColumnKey, Text]]) -> None:
        """Put the cells of each row in ``rows`` (a row the table no longer has is left out)
        and repaint those rows alone. The render caches are invalidated once for them all:
        they are keyed by DataTable's ``_update_count``, and so is ``ordered_rows``, which
        every row's refresh reads; row by row, 100 rows written listed the rows 100 times."""
        written = []
        for row, cells in rows.items():
            data = self._data.get(RowKey(row))  # DataTable's own cell store
            if data is not None:
                data.update(cells)
                written.append(row)
        if written:
            self._update_count += 1  # the render caches are keyed by it
            for row in written:
                self.refresh_row(self.get_row_index(row))

    scrolls_itself: ClassVar[bool] = True
    """The table scrolls itself, by the row alone (the tutor's tables); False: DataTable
    keeps its cursor in view, as it does (the class view's table of learners, whose rows
    are there before its cursor moves)."""

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        """Nothing when the table scrolls itself, else DataTable's own (Textual 8's hook,
        called by the cursor's watchers)."""
        if not self.scrolls_itself:
            super()._scroll_cursor_into_view(animate)


# --- the command palette: paging before its list has a size -------------------------------
# Textual 8.2.8's OptionList._move_page looks up the line of the highlighted option, and a list
# not laid out yet has no lines: PageUp or PageDown at once after ctrl+p (before the first
# frame of the palette), or in a terminal too short to show the list, raised KeyError: 0 and
# closed the tutor (tests/functional_tests/test_robustness.py).


class TutorPalette(CommandPalette):
    """Textual's command palette, its PageUp and PageDown waiting for the list to have a size,
    its search field taking no control characters and no more than a short line."""

    BINDINGS = [
        Binding("pagedown", "page(1)", "Next page", show=False),
        Binding("pageup", "page(-1)", "Previous page", show=False),
    ]

    def on_mount(self) -> None:
        """Bound the search field (a paste longer or with a control character is refused)."""
        search = self.query_one(CommandInput)
        search.max_length, search.restrict = MAX_FIELD, NO_CONTROL

    def action_page(self, direction: int) -> None:
        """One page down (1) or up (-1) the list, once it has lines to page through."""
        commands = self.query_one(CommandList)
        if commands.scrollable_content_region:
            (commands.action_page_down if direction > 0 else commands.action_page_up)()


# --- an input thread asleep while no key comes --------------------------------------------
# Textual's LinuxDriver reads the keys in a thread that loops on select() with a 0.1 s timeout,
# for two things only: the parser's tick(), which turns an ESC that no more of a sequence
# follows within ESCDELAY (0.1 s) into the Escape key, and the exit event, which ends the loop
# when the driver stops. Idle, that is 10 wake-ups a second, all of an idle tutor's CPU, and
# there is one tutor per learner, up to 100 on a 2-core server. Measured (bench/tui.py --quick,
# 3 runs, 2026-11-30): idle CPU 0.079 and 0.081 % of a core (4.0 ms in 5 s) at 80x24 and
# 200x50 with Textual's loop, 0.000 (0.00 ms) with this one. It waits with no timeout while
# the parser holds no partial input (tick() has nothing to time out then), with Textual's
# 0.1 s while it does (a lone ESC becomes Escape as late as before: 151 ms from the byte to
# the redrawn screen, median of 30, both ways), and the exit event also makes a pipe the
# thread waits on readable, so a stop wakes it at once
# (tests/functional_tests/test_idle_tutor.py).

#: Textual's select() timeout in LinuxDriver.run_input_thread (seconds): the wait while the
#: parser holds the start of an escape sequence, and before the last read.
INPUT_POLL = 0.1


class PipedEvent(threading.Event):
    """A threading.Event that also makes a pipe readable while it is set, so that a thread
    asleep in select() on :meth:`fileno` wakes when it is set. The pipe is made by
    :meth:`open` and closed by :meth:`close`; without one it is a plain Event."""

    def __init__(self) -> None:
        super().__init__()
        self.pipe: tuple[int, int] | None = None
        """The pipe's read and write ends while open."""

    def open(self) -> int:
        """Make the pipe (once; readable at once if the event is set): its read end."""
        if self.pipe is None:
            self.pipe = os.pipe()
            for end in self.pipe:
                os.set_blocking(end, False)
            if self.is_set():
                self._wake()
        return self.pipe[0]

    def fileno(self) -> int | None:
        """The pipe's read end, readable while the event is set (None: no pipe open)."""
        return None if self.pipe is None else self.pipe[0]

    def set(self) -> None:
        super().set()
        self._wake()

    def clear(self) -> None:
        super().clear()
        if self.pipe is not None:
            with contextlib.suppress(BlockingIOError):  # empty: drained
                while os.read(self.pipe[0], 4096):
                    pass

    def close(self) -> None:
        """Close the pipe (the event itself still works)."""
        pipe, self.pipe = self.pipe, None
        for end in pipe or ():
            os.close(end)

    def _wake(self) -> None:
        if self.pipe is not None:
            with contextlib.suppress(BlockingIOError):  # full: readable already
                os.write(self.pipe[1], b"\0")


if sys.platform.startswith("linux"):
    from textual._loop import loop_last
    from textual._parser import ParseError
    from textual._xterm_parser import XTermParser
    from textual.drivers.linux_driver import LinuxDriver

    class SleepingLinuxDriver(LinuxDriver):
        """Textual's LinuxDriver, its input thread asleep while no key comes.

        The exit event is a :class:`PipedEvent`, its pipe open while the driver is in
        application mode (a suspend closes the driver, a resume starts it again).
        """

        exit_event: PipedEvent

        def __init__(self, app: App[Any], *, debug: bool = False, mouse: bool = True,
                     size: tuple[int, int] | None = None) -> None:
            super().__init__(app, debug=debug, mouse=mouse, size=size)
            self.exit_event = PipedEvent()

        def start_application_mode(self) -> None:
            self.exit_event.open()  # before Textual starts the input thread
            super().start_application_mode()

        def close(self) -> None:
            super().close()
            self.exit_event.close()  # the input thread has been joined (disable_input)

        def run_input_thread(self) -> None:
            """Textual 8.2.8's LinuxDriver.run_input_thread, but for the select() calls:
            no timeout while the parser holds no partial input, and the exit event's pipe
            in the selector (its readiness is not input: it is not passed on)."""
            selector = selectors.SelectSelector()
            selector.register(self.fileno, selectors.EVENT_READ)
            wake = self.exit_event.fileno()
            if wake is not None:
                selector.register(wake, selectors.EVENT_READ)

            fileno = self.fileno
            EVENT_READ = selectors.EVENT_READ

            parser = XTermParser(self._debug)
            feed = parser.feed
            tick = parser.tick

            utf8_decoder = getincrementaldecoder("utf-8")().decode
            decode = utf8_decoder
            read = os.read

            def process_selector_events(
                selector_events: list[tuple[selectors.SelectorKey, int]],
                final: bool = False,
            ) -> None:
                """Process events from selector (Textual's, unchanged)."""
                for last, (_selector_key, mask) in loop_last(selector_events):
                    if mask & EVENT_READ:
                        unicode_data = decode(read(fileno, 1024 * 4), final=final and last)
                        if not unicode_data:
                            # This can occur if the stdin is piped
                            break
                        for event in feed(unicode_data):
                            self.process_message(event)
                for event in tick():
                    self.process_message(event)

            def select() -> list[tuple[selectors.SelectorKey, int]]:
                """The terminal's readiness, as Textual's select(0.1) while the parser holds
                a partial sequence (its _timeout_time, when tick() will act, is set) or there
                is no pipe; else with no timeout, until a key comes or the exit event is set.
                The pipe's readiness is left out: process_selector_events would read the
                terminal for it, and block."""
                poll = parser._timeout_time is not None or wake is None
                ready = selector.select(INPUT_POLL if poll else None)
                return [(key, mask) for key, mask in ready if key.fd == fileno]

            try:
                while not self.exit_event.is_set():
                    process_selector_events(select())
                selector.unregister(self.fileno)
                if wake is not None:
                    selector.unregister(wake)
                process_selector_events(selector.select(INPUT_POLL), final=True)

            finally:
                selector.close()
                try:
                    for _event in feed(""):
                        pass
                except (EOFError, ParseError):
                    pass


def sleeping_driver(driver: type[Driver]) -> type[Driver]:
    """The driver to use where Textual would use ``driver``: :class:`SleepingLinuxDriver` in
    place of Textual's LinuxDriver on Linux, ``driver`` itself anywhere else."""
    if sys.platform.startswith("linux") and driver is LinuxDriver:
        return SleepingLinuxDriver
    return driver


# --- reading the screen in tests ------------------------------------------------------------


def render_screen(app: App[Any]) -> Any:
    """What the terminal shows now, every screen of the stack composited (a Rich
    renderable): what the tests read as text. Textual exposes it only as an SVG."""
    return app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens
    )
