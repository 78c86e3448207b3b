"""Textual's internals the tutor relies on: each still there and still doing what
tui/textual_compat.py needs, and no other module touching one.

A failure here after upgrading Textual names the internal that changed: see the comment above
its use in tui/textual_compat.py for what it buys, then find the new release's way to do it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
import textual
from rich.text import Text
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


def private_uses(source: str, textual_names: set[str], ours: set[str]) -> list[str]:
    """Where ``source`` reads a private name Textual defines and we do not, or imports from a
    private Textual module: ``line: what``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Attribute):
            name = node.attr
            if (name.startswith("_") and not name.startswith("__") and name in textual_names
                    and name not in ours):
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
