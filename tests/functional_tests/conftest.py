"""Shared helpers for driving the tutor with Textual's Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from engine import builtin
from tui.app import TutorApp
from tui.i18n import set_language


@pytest.fixture(autouse=True)
def english() -> None:
    """Every app test starts in English, whatever the machine's locale."""
    set_language("en")


@pytest.fixture(autouse=True)
def save_into_tmp(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Saves and screenshots (keys w and F2, which fuzzing presses too) go to a temporary
    directory, never into the working tree."""
    monkeypatch.setenv("BACKPROP_TUTOR_SAVE_DIR", str(tmp_path))


def make_app(name: str = "article", **options: bool) -> TutorApp:
    """A tutor on a built-in lesson."""
    return TutorApp(builtin(name), **options)


def row(app: TutorApp, table_id: str, key: str) -> list[str]:
    """The plain text of one table row, marker column first."""
    table = app.query_one(f"#{table_id}", DataTable)
    return [str(getattr(cell, "plain", cell)) for cell in table.get_row(key)]


def pane_text(app: TutorApp, selector: str) -> str:
    """The whole text a Static pane holds (not only the part on screen), on one line."""
    from textual.widgets import Static

    content = app.screen.query_one(selector, Static).content
    return " ".join(str(getattr(content, "plain", content)).split())
