"""The open dialog with a teacher's folder of lessons (``--lessons``), and a served session's
sandbox (``--sandbox``): no typed path, no link out of the folder, no save into the current
directory; at 80x24, driven by Pilot."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from textual.widgets import OptionList

from engine import builtin, dump_scenario
from tests.functional_tests.conftest import make_app, pane_text, shown_place, walked
from tests.screen_text import screen_text
from tui.app import TutorApp
from tui.i18n import set_language
from tui.lessons_dir import LessonsPolicy

SIZE = (80, 24)
CJK = re.compile(r"[\u4e00-\u9fff]")


def notices(app: TutorApp) -> str:
    """The text of the toasts on screen, each on one line."""
    from textual.widgets import Static

    return "\n".join(" ".join(str(toast.render()).split())
                     for toast in app.screen.query("Toast").results(Static))


def lesson_text(name: str, base: str = "xor-sigmoid") -> str:
    """A lesson file: a built-in lesson under another name."""
    return dump_scenario(builtin(base).with_changes(name=name))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A teacher's folder with three lessons, one of them broken."""
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "1-first.toml").write_text(lesson_text("first"), encoding="utf-8")
    (lessons / "2-second.toml").write_text(lesson_text("second", "article-corrected"),
                                           encoding="utf-8")
    (lessons / "3-broken.toml").write_text("learning_rate = [", encoding="utf-8")
    return lessons


def app_with(folder: Path | None, sandbox: bool) -> TutorApp:
    """The tutor on the article's lesson, with a folder of lessons and maybe the sandbox."""
    return make_app(policy=LessonsPolicy(folder, sandbox=sandbox))  # type: ignore[arg-type]


async def open_dialog(app: TutorApp, pilot) -> str:  # type: ignore[no-untyped-def]
    """Press o on the walked lesson; the screen's text."""
    await walked(app, pilot)
    await pilot.press("o")
    await pilot.pause()
    return screen_text(app)


async def test_the_dialog_lists_the_folder_s_lessons(folder: Path) -> None:
    app = app_with(folder, sandbox=False)
    async with app.run_test(size=SIZE) as pilot:
        text = await open_dialog(app, pilot)
        for name in ("1-first.toml", "2-second.toml", "3-broken.toml"):
            assert name in text
        assert "type a path" in text
        # Without the sandbox the path field is there too, and still opens a typed path.
        assert app.screen.query("#open-path")
        assert isinstance(app.screen.focused, OptionList)  # arrow keys move in the list
        other = folder.parent / "elsewhere.toml"
        other.write_text(lesson_text("elsewhere"), encoding="utf-8")
        app.screen.query_one("#open-path").value = str(other)  # type: ignore[attr-defined]
        app.screen.query_one("#open-path").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.lesson.scenario.name == "elsewhere"


@pytest.mark.parametrize("sandbox", [False, True])
async def test_picking_a_lesson_opens_it(folder: Path, sandbox: bool) -> None:
    app = app_with(folder, sandbox=sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(app, pilot)
        await pilot.press("down", "enter")  # the second of the list
        await pilot.pause()
        assert app.screen is app.lesson_screen
        assert app.lesson.scenario.name == "second"
        await walked(app, pilot)
        assert "second" in screen_text(app).splitlines()[0]  # the header names it


async def test_a_broken_lesson_is_explained_and_the_lesson_kept(folder: Path) -> None:
    app = app_with(folder, sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        await walked(app, pilot)
        await pilot.press("right")
        await pilot.pause()
        await open_dialog(app, pilot)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        error = pane_text(app, "#open-error")
        # Named by its file name only: where the teacher's folder is stays unsaid.
        assert error.startswith("3-broken.toml: not valid TOML"), error
        assert str(folder) not in error
        await pilot.press("escape")
        await pilot.pause()
        assert app.lesson.scenario.name == "article" and shown_place(app).k == 0


async def test_in_a_sandbox_there_is_no_path_field(folder: Path) -> None:
    app = app_with(folder, sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        text = await open_dialog(app, pilot)
        assert "teacher's folder" in text and "1-first.toml" in text
        assert not app.screen.query("#open-path")
        assert "path/to/lesson.toml" not in text and "type a path" not in text
        assert "built-in lessons are under s" in text
        # Typing goes nowhere (there is no field to take it); Enter picks the highlighted
        # lesson, the first.
        await pilot.press(*"/etc/passwd", "enter")
        await pilot.pause()
        assert app.screen is app.lesson_screen and app.lesson.scenario.name == "first"


async def test_in_a_sandbox_a_typed_path_is_ignored_even_if_posted(folder: Path) -> None:
    """Nothing can submit a path to the dialog in a sandbox, not even a stray message."""
    from textual.widgets import Input

    other = folder.parent / "outside.toml"
    other.write_text(lesson_text("outside"), encoding="utf-8")
    app = app_with(folder, sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(app, pilot)
        dialog = app.screen
        field = Input(str(other))
        dialog.post_message(Input.Submitted(field, str(other)))
        await pilot.pause()
        assert app.screen is dialog and app.lesson.scenario.name == "article"


async def test_in_a_sandbox_a_link_out_of_the_folder_is_refused(folder: Path) -> None:
    secret = folder.parent / "secret.toml"
    secret.write_text(lesson_text("secret"), encoding="utf-8")
    (folder / "0-link.toml").symlink_to(secret)
    app = app_with(folder, sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        text = await open_dialog(app, pilot)
        assert "0-link.toml" not in text  # not even offered
        # A file listed when the dialog opened, swapped for such a link before it is picked:
        # checked again when picked, and refused.
        (folder / "1-first.toml").unlink()
        (folder / "1-first.toml").symlink_to(secret)
        await pilot.press("enter")
        await pilot.pause()
        assert "leads outside the lesson folder" in pane_text(app, "#open-error")
        await pilot.press("escape")
        await pilot.pause()
        assert app.lesson.scenario.name == "article"


async def test_without_the_sandbox_a_link_out_of_the_folder_opens(folder: Path) -> None:
    other = folder.parent / "shared.toml"
    other.write_text(lesson_text("shared"), encoding="utf-8")
    (folder / "0-link.toml").symlink_to(other)
    app = app_with(folder, sandbox=False)
    async with app.run_test(size=SIZE) as pilot:
        text = await open_dialog(app, pilot)
        assert "0-link.toml" in text
        await pilot.press("enter")
        await pilot.pause()
        assert app.lesson.scenario.name == "shared"


async def test_in_a_sandbox_without_a_folder_o_says_so() -> None:
    app = app_with(None, sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        text = await open_dialog(app, pilot)
        assert "Your teacher has given no lesson folder" in text
        assert not app.screen.query("#open-path") and not app.screen.query(OptionList)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.lesson_screen


async def test_in_a_sandbox_without_a_folder_o_says_so_in_chinese() -> None:
    set_language("zh")
    app = app_with(None, sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        text = await open_dialog(app, pilot)
        assert "老师没有提供课程目录" in text
        assert "teacher" not in text and "folder" not in text


async def test_the_sandbox_dialog_in_chinese_has_no_english(folder: Path) -> None:
    set_language("zh")
    app = app_with(folder, sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        text = await open_dialog(app, pilot)
        box = text[text.index("打开老师提供的课程"):]
        for english in ("Open", "lesson", "choose", "Escape keeps", "teacher", "built-in"):
            assert english not in box, english
        assert "1-first.toml" in box and "内置课程请按 s" in box


async def test_a_file_name_never_reaches_the_terminal_raw(tmp_path: Path) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "evil\x1b]0;PWNED\x07.toml").write_text(lesson_text("evil"), encoding="utf-8")
    app = app_with(folder, sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        text = await open_dialog(app, pilot)
        assert "evil\\x1b]0;PWNED\\x07.toml" in text
        assert "\x1b" not in text and "\x07" not in text
        await pilot.press("enter")
        await pilot.pause()
        assert app.lesson.scenario.name == "evil"


async def test_an_empty_folder_says_so(tmp_path: Path) -> None:
    app = app_with(tmp_path, sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        text = await open_dialog(app, pilot)
        assert "The lesson folder has no lesson files (.toml)." in text


@pytest.mark.parametrize("key", ["w", "f2"])
async def test_in_a_sandbox_saving_without_a_save_directory_is_refused(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, key: str) -> None:
    monkeypatch.delenv("BACKPROP_TUTOR_SAVE_DIR", raising=False)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)  # where a save would have gone (never the checkout)
    app = app_with(None, sandbox=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        await pilot.press(key)
        await pilot.pause()
        assert "Could not save: this session has no save folder" in notices(app)
    assert list(cwd.iterdir()) == []


async def test_in_a_sandbox_saving_goes_to_the_save_directory(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    monkeypatch.setenv("BACKPROP_TUTOR_SAVE_DIR", str(saved))
    app = app_with(None, sandbox=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        await pilot.press("w")
        await pilot.pause()
        said = notices(app)
        # The learner is told the files' names, not where the server keeps their folder.
        assert "article.toml" in said and str(saved) not in said.replace(" ", "")
    assert sorted(p.suffix for p in saved.iterdir()) == [".md", ".toml"]


async def test_in_a_sandbox_no_web_browser_is_started(monkeypatch: pytest.MonkeyPatch) -> None:
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url))
    app = app_with(None, sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        await walked(app, pilot)
        app.open_url("file:///etc/passwd")
        await pilot.pause()
    assert opened == []
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walked(app, pilot)
        app.open_url("https://example.org/")
        await pilot.pause()
    assert opened == ["https://example.org/"]


async def test_without_a_folder_the_dialog_is_as_before() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        text = await open_dialog(app, pilot)
        assert "Open a scenario file (.toml)" in text
        assert app.screen.query("#open-path") and not app.screen.query(OptionList)
        assert app.screen.focused is app.screen.query_one("#open-path")
    assert os.environ.get("BACKPROP_TUTOR_SAVE_DIR")  # the fixture's, untouched
