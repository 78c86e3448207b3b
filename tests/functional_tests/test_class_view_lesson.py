"""Everyone to a lesson from the class view (key l): the built-in lessons and the teacher's
folder's offered, the chosen one sent as a ``lesson`` command, a folder that cannot be read
said in the dialog, and names from the file system shown only as safe text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.functional_tests.test_class_view_snapshots import CLASS
from tests.screen_text import screen_text
from tui.i18n import set_language
from tui.served import command_line, parse_command
from tui.teacher.app import PER_SECOND, ClassViewApp
from tui.teacher.channel import SnapshotFeed
from tui.teacher.dialogs import LessonDialog

SMALL = (80, 24)


async def opened(app: ClassViewApp, pilot: Any) -> SnapshotFeed:
    feed = app.source
    assert isinstance(feed, SnapshotFeed)
    feed.push(CLASS)
    await pilot.pause(1 / PER_SECOND + 0.1)
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(app.screen, LessonDialog)
    return feed


async def test_l_offers_the_builtin_and_the_folders_lessons(tmp_path: Path) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    for name in ("week-2.toml", "\x1b[31mred.toml", ".hidden.toml", "notes.txt"):
        (folder / name).write_text("", encoding="utf-8")
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0, lessons=folder)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        feed = await opened(app, pilot)
        text = screen_text(app)
        assert "Everyone to a lesson" in text
        for name in ("article", "article-corrected", "xor-sigmoid", "week-2.toml"):
            assert name in text, name
        assert ".hidden" not in text and "notes.txt" not in text and "\x1b" not in text
        assert app.screen.names[-2:] == ["week-2.toml", "\x1b[31mred.toml"] or \
            app.screen.names[-2:] == ["\x1b[31mred.toml", "week-2.toml"]
        index = app.screen.names.index("week-2.toml")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, LessonDialog)
        assert feed.sent[-1] == command_line("lesson", lesson="week-2.toml")
        assert parse_command(feed.sent[-1]) == {"command": "lesson", "lesson": "week-2.toml"}


async def test_without_a_folder_the_builtin_lessons_and_escape_sends_nothing() -> None:
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0)
    async with app.run_test(size=SMALL) as pilot:
        feed = await opened(app, pilot)
        assert app.screen.names == ["article", "article-corrected", "xor-sigmoid"]
        await pilot.press("escape")
        await pilot.pause()
        assert feed.sent == []
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("enter")  # the first: the article's lesson
        await pilot.pause()
        assert feed.sent == [command_line("lesson", lesson="article")]


async def test_a_folder_that_cannot_be_read_is_said(tmp_path: Path) -> None:
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0, lessons=tmp_path / "gone")
    async with app.run_test(size=SMALL) as pilot:
        await opened(app, pilot)
        assert "The folder of lessons cannot be read" in screen_text(app)
        assert app.screen.names == ["article", "article-corrected", "xor-sigmoid"]


async def test_in_chinese() -> None:
    set_language("zh")
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0)
    async with app.run_test(size=SMALL) as pilot:
        await opened(app, pilot)
        assert "全班到某课程" in screen_text(app)
