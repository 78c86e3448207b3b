"""The teacher's folder of lessons and the sandbox (tui/lessons_dir.py), the save directory
under ``--sandbox`` (tui/saving.py), and the two options on the command line."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import builtin, dump_scenario
from tui.cli import main
from tui.i18n import CATALOGUES, set_language
from tui.lessons_dir import (
    MAX_LESSONS,
    OPEN,
    LessonRefused,
    LessonsPolicy,
    policy,
    safe_name,
    use_policy,
)
from tui.saving import save_directory

CJK = re.compile(r"[\u4e00-\u9fff]")
LESSON = dump_scenario(builtin("xor-sigmoid"))


@pytest.fixture(autouse=True)
def no_policy_left() -> Iterator[None]:
    """Each test starts, and leaves the process, without a sandbox in force."""
    use_policy(OPEN)
    yield
    use_policy(OPEN)
    set_language("en")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A teacher's folder: two lessons, and what must not be listed among them."""
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "b-second.toml").write_text(LESSON, encoding="utf-8")
    (lessons / "a-first.toml").write_text(LESSON, encoding="utf-8")
    (lessons / "notes.txt").write_text("not a lesson", encoding="utf-8")
    (lessons / ".hidden.toml").write_text(LESSON, encoding="utf-8")
    (lessons / "sub.toml").mkdir()  # a directory, whatever its name
    (lessons / "sub.toml" / "deep.toml").write_text(LESSON, encoding="utf-8")
    (lessons / "dangling.toml").symlink_to(tmp_path / "nowhere.toml")
    if hasattr(os, "mkfifo"):
        os.mkfifo(lessons / "pipe.toml")
    return lessons


def test_the_listing_is_the_folder_s_lesson_files_sorted(folder: Path) -> None:
    for sandbox in (False, True):
        listing = LessonsPolicy(folder, sandbox=sandbox).listing()
        assert listing.names == ("a-first.toml", "b-second.toml")
        assert not listing.more


def test_without_a_folder_there_is_nothing_to_list() -> None:
    assert LessonsPolicy().listing().names == ()
    with pytest.raises(LessonRefused) as refused:
        LessonsPolicy(sandbox=True).path_of("a.toml")
    assert refused.value.reason == "no_folder"


def test_a_folder_that_is_gone_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        LessonsPolicy(tmp_path / "gone").listing()


def test_at_most_max_lessons_are_listed(tmp_path: Path) -> None:
    for n in range(MAX_LESSONS + 5):
        (tmp_path / f"lesson-{n:04d}.toml").write_text("", encoding="utf-8")
    listing = LessonsPolicy(tmp_path, sandbox=True).listing()
    assert len(listing.names) == MAX_LESSONS and listing.more
    assert listing.names[0] == "lesson-0000.toml"
    assert listing.names[-1] == f"lesson-{MAX_LESSONS - 1:04d}.toml"


@pytest.mark.parametrize("name", [
    "../x.toml", "../lessons/a-first.toml", "sub.toml/deep.toml", "./a-first.toml",
    "a-first.toml/", "notes.txt", ".hidden.toml", "..", ".", "", "a-first.toml\0",
])
@pytest.mark.parametrize("sandbox", [False, True])
def test_only_a_bare_lesson_name_of_the_folder_gets_through(folder: Path, name: str,
                                                            sandbox: bool) -> None:
    (folder.parent / "x.toml").write_text(LESSON, encoding="utf-8")
    with pytest.raises(LessonRefused):
        LessonsPolicy(folder, sandbox=sandbox).path_of(name)


def test_an_absolute_path_never_gets_through(folder: Path) -> None:
    with pytest.raises(LessonRefused):
        LessonsPolicy(folder, sandbox=True).path_of(str(folder / "a-first.toml"))


def test_a_listed_lesson_opens_from_the_folder(folder: Path) -> None:
    assert LessonsPolicy(folder).path_of("a-first.toml") == folder / "a-first.toml"
    assert LessonsPolicy(folder, sandbox=True).path_of("a-first.toml") == \
        Path(os.path.realpath(folder / "a-first.toml"))


def test_a_link_out_of_the_folder_is_refused_in_a_sandbox(folder: Path) -> None:
    secret = folder.parent / "secret.toml"
    secret.write_text(LESSON, encoding="utf-8")
    (folder / "escape.toml").symlink_to(secret)
    (folder / "escape-relative.toml").symlink_to(Path("..") / "secret.toml")
    sandboxed = LessonsPolicy(folder, sandbox=True)
    assert "escape.toml" not in sandboxed.listing().names
    for name in ("escape.toml", "escape-relative.toml"):
        with pytest.raises(LessonRefused) as refused:
            sandboxed.path_of(name)
        assert refused.value.reason == "outside"
    # Without the sandbox a typed path could reach it anyway: the link is listed.
    assert "escape.toml" in LessonsPolicy(folder).listing().names
    assert LessonsPolicy(folder).path_of("escape.toml") == folder / "escape.toml"


def test_a_link_to_a_sibling_folder_with_the_same_prefix_is_outside(tmp_path: Path) -> None:
    """``/x/lessons-old`` starts with ``/x/lessons`` but is not inside it."""
    folder, sibling = tmp_path / "lessons", tmp_path / "lessons-old"
    folder.mkdir()
    sibling.mkdir()
    (sibling / "old.toml").write_text(LESSON, encoding="utf-8")
    (folder / "old.toml").symlink_to(sibling / "old.toml")
    with pytest.raises(LessonRefused):
        LessonsPolicy(folder, sandbox=True).path_of("old.toml")


def test_a_link_that_stays_inside_the_folder_is_fine(folder: Path) -> None:
    (folder / "deep.toml").symlink_to(folder / "sub.toml" / "deep.toml")
    sandboxed = LessonsPolicy(folder, sandbox=True)
    assert "deep.toml" in sandboxed.listing().names
    assert sandboxed.path_of("deep.toml") == Path(os.path.realpath(folder / "sub.toml"
                                                                   / "deep.toml"))


def test_a_folder_given_through_a_link_is_resolved(folder: Path, tmp_path: Path) -> None:
    link = tmp_path / "class"
    link.symlink_to(folder)
    sandboxed = LessonsPolicy(link, sandbox=True)
    assert sandboxed.directory == Path(os.path.realpath(folder))
    assert sandboxed.listing().names == ("a-first.toml", "b-second.toml")
    assert sandboxed.path_of("a-first.toml").parent == Path(os.path.realpath(folder))


def test_names_from_the_file_system_are_shown_safely(tmp_path: Path) -> None:
    nasty = ["\x1b]0;PWNED\x07.toml", "red\x1b[31m.toml", "\u202eevil.toml", "tab\there.toml",
             "line\nbreak.toml", "\x9bc.toml", "zero\u200bwidth.toml"]
    for name in nasty:
        (tmp_path / name).write_text(LESSON, encoding="utf-8")
    policy_ = LessonsPolicy(tmp_path, sandbox=True)
    listing = policy_.listing()
    assert sorted(listing.names) == sorted(nasty)
    for label in listing.labels:
        assert label.isprintable(), repr(label)
        assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in label)
    assert safe_name("red\x1b[31m.toml") == "red\\x1b[31m.toml"
    assert safe_name("\u202eevil.toml") == "\\u202eevil.toml"
    assert safe_name("课程-一.toml") == "课程-一.toml"  # what is printable stays as it is


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
def test_a_name_that_is_not_utf8_is_listed_and_opens(tmp_path: Path) -> None:
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9.toml")
    with open(raw, "w", encoding="utf-8") as stream:
        stream.write(LESSON)
    listing = LessonsPolicy(tmp_path, sandbox=True).listing()
    (name,) = listing.names
    assert listing.labels == ("caf\\udce9.toml",)
    assert LessonsPolicy(tmp_path, sandbox=True).path_of(name).is_file()


# --- saving under --sandbox ----------------------------------------------------------------


def test_a_sandbox_without_a_save_directory_refuses_to_save(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("BACKPROP_TUTOR_SAVE_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert save_directory() == Path(".")  # on one's own machine: the current directory
    use_policy(LessonsPolicy(sandbox=True))
    assert policy().sandbox
    with pytest.raises(OSError) as refused:
        save_directory()
    assert "BACKPROP_TUTOR_SAVE_DIR" in str(refused.value.strerror)
    set_language("zh")
    with pytest.raises(OSError) as refused:
        save_directory()
    assert CJK.search(str(refused.value.strerror))
    monkeypatch.setenv("BACKPROP_TUTOR_SAVE_DIR", str(tmp_path / "saved"))
    assert save_directory() == tmp_path / "saved"


# --- the command line and the catalogues -------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_shows_both_options(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", lang, "--help"])
    out = capsys.readouterr().out
    assert "--sandbox" in out and "--lessons DIR" in out
    line = next(line for line in out.splitlines() if "--sandbox " in line)
    assert ("served" in line) if lang == "en" else CJK.search(line)


def test_lessons_must_be_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    file = tmp_path / "lesson.toml"
    file.write_text(LESSON, encoding="utf-8")
    for given in (tmp_path / "missing", file):
        with pytest.raises(SystemExit) as stop:
            main(["--sandbox", "--lessons", str(given)])
        assert stop.value.code == 2
        err = capsys.readouterr().err
        assert err.strip() == f"backprop-tutor: error: --lessons {given}: not a folder that can " \
            "be read"


def test_the_options_reach_the_app(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """run_app gets the policy the options describe (the app itself is not started)."""
    seen: list[object] = []

    def run_app(scenario: object, ascii_only: bool, fresh: bool, policy: object) -> int:
        seen.append(policy)
        return 0

    monkeypatch.setattr("tui.cli.run_app", run_app)
    assert main(["--sandbox", "--lessons", str(folder)]) == 0
    assert main(["--lessons", str(folder)]) == 0
    assert main(["--sandbox"]) == 0
    assert main([]) == 0
    real = Path(os.path.realpath(folder))
    assert seen == [LessonsPolicy(real, sandbox=True), LessonsPolicy(real),
                    LessonsPolicy(sandbox=True), None]


def test_every_sandbox_message_is_in_chinese() -> None:
    from tui.i18n import en_sandbox, zh_sandbox

    assert set(en_sandbox.MESSAGES) == set(zh_sandbox.MESSAGES)
    for key in en_sandbox.MESSAGES:
        assert CATALOGUES["en"][key] == en_sandbox.MESSAGES[key]
        chinese = CATALOGUES["zh"][key]
        assert chinese == zh_sandbox.MESSAGES[key] and CJK.search(chinese), key
        # No English words beyond the names of options, variables, keys and placeholders.
        bare = re.sub(r"--\w+|\$?[A-Z_]{3,}|\.toml|\{\w+\}", "", chinese)
        words = set(re.findall(r"[A-Za-z]{3,}", bare))
        assert words <= {"Enter", "Esc", "Tab", "DIR"}, (key, words)
