"""Every use of Textual's private internals, in one place, each with what it buys; and the
workaround for a Textual defect the tutor meets (the command palette's paging).

Textual is pinned to the release these were checked against (pyproject.toml);
``tests/functional_tests/test_textual_compat.py`` fails with a message naming the internal when a
release changes one, and another test checks that no other module of ``tui/`` or ``tests/``
touches a private Textual name. Figures are from ``bench/tui.py`` (see README, Performance).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.command import CommandInput, CommandList, CommandPalette
from textual.dom import DOMNode
from textual.widgets import DataTable, Footer
from textual.widgets._footer import FooterKey  # not exported by textual.widgets
from textual.widgets.data_table import ColumnKey, RowKey

from tui.i18n import t
from tui.widgets.text_field import MAX_FIELD, NO_CONTROL

__all__ = [
    "FooterKey",
    "QuietDataTable",
    "TutorPalette",
    "footer_is_ready",
    "relabel",
    "render_screen",
    "set_footer_key_enabled",
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
        data = self._data[RowKey(row)]  # DataTable's own cell store
        for column, text in cells.items():
            data[column] = text
        self._update_count += 1  # the render caches are keyed by it
        self.refresh_row(self.get_row_index(row))

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        """Nothing: the table scrolls itself (Textual 8's hook, called by the cursor's
        watchers)."""


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


# --- reading the screen in tests ------------------------------------------------------------


def render_screen(app: App[Any]) -> Any:
    """What the terminal shows now, every screen of the stack composited (a Rich
    renderable): what the tests read as text. Textual exposes it only as an SVG."""
    return app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens
    )
