"""Saving a lesson (the app's ``w`` key) into a directory others may write to as well.

A save creates new files only: it never follows a link planted in the directory, never
overwrites a file that appears while it saves, and names its files after the lesson in any
script, short enough for the file system.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
from pathlib import Path

import pytest

from engine import builtin, walk
from engine.scenario_file import load_scenario
from tui.saving import save_lesson
from tui.transcript import render_markdown

#: What a file system allows in one name, in bytes.
NAME_MAX = 255


def lesson(name: str = "xor-sigmoid"):  # type: ignore[no-untyped-def]
    """The xor-sigmoid lesson's first walkthrough, under ``name``."""
    return walk(dataclasses.replace(builtin("xor-sigmoid"), name=name))


def test_saves_the_scenario_and_the_iteration(tmp_path: Path) -> None:
    w = lesson()
    toml_path, md_path = save_lesson(w, tmp_path)
    assert (toml_path.name, md_path.name) == ("xor-sigmoid.toml", "xor-sigmoid-iteration-0.md")
    assert load_scenario(toml_path) == w.scenario
    assert md_path.read_text(encoding="utf-8") == render_markdown(w) + "\n"
    again = save_lesson(w, tmp_path)
    assert [p.name for p in again] == ["xor-sigmoid-2.toml", "xor-sigmoid-iteration-0-2.md"]
    assert load_scenario(toml_path) == w.scenario  # the first save is untouched


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_planted_link_is_not_followed(tmp_path: Path) -> None:
    """A dangling link ``xor-sigmoid.toml -> elsewhere/new.toml`` used to get the scenario
    written through it, outside the save directory."""
    shared, elsewhere = tmp_path / "shared", tmp_path / "elsewhere"
    shared.mkdir()
    elsewhere.mkdir()
    (shared / "xor-sigmoid.toml").symlink_to(elsewhere / "new.toml")
    (elsewhere / "victim.md").write_text("mine\n", encoding="utf-8")
    (shared / "xor-sigmoid-iteration-0.md").symlink_to(elsewhere / "victim.md")
    toml_path, md_path = save_lesson(lesson(), shared)
    assert (toml_path.name, md_path.name) == ("xor-sigmoid-2.toml",
                                              "xor-sigmoid-iteration-0-2.md")
    assert not toml_path.is_symlink() and not md_path.is_symlink()
    assert list(elsewhere.iterdir()) == [elsewhere / "victim.md"]
    assert (elsewhere / "victim.md").read_text(encoding="utf-8") == "mine\n"


def test_a_file_that_appears_after_the_check_is_not_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The name was checked, then written: a file made in between was overwritten. Here
    every check says "free" although the files are there."""
    (tmp_path / "xor-sigmoid.toml").write_text("theirs\n", encoding="utf-8")
    (tmp_path / "xor-sigmoid-iteration-0.md").write_text("theirs\n", encoding="utf-8")
    monkeypatch.setattr(pathlib.Path, "exists", lambda self, **_: False)
    toml_path, md_path = save_lesson(lesson(), tmp_path)
    assert (toml_path.name, md_path.name) == ("xor-sigmoid-2.toml",
                                              "xor-sigmoid-iteration-0-2.md")
    for name in ("xor-sigmoid.toml", "xor-sigmoid-iteration-0.md"):
        assert (tmp_path / name).read_text(encoding="utf-8") == "theirs\n"


@pytest.mark.parametrize(("name", "stem"), [
    ("été", "été"),
    ("异或课程", "异或课程"),
    ("e\u0301te\u0301", "été"),  # decomposed accents are composed first
    ("my lesson: v2", "my-lesson-v2"),
    ("../../etc/passwd", "etc-passwd"),
    ("..hidden", "hidden"),
    ("a\\b/c", "a-b-c"),
    ("∑∑∑", "lesson"),
])
def test_file_names_keep_letters_and_digits_in_any_script(tmp_path: Path, name: str,
                                                          stem: str) -> None:
    """"été" used to be saved as ``t.toml`` and a Chinese name as ``lesson.toml``."""
    toml_path, md_path = save_lesson(lesson(name), tmp_path)
    assert (toml_path.name, md_path.name) == (f"{stem}.toml", f"{stem}-iteration-0.md")
    assert toml_path.parent == md_path.parent == tmp_path


@pytest.mark.parametrize("name", ["a" * 300, "é" * 300, "异" * 300, "𠀀" * 80, "ab" + "𠀀" * 80],
                         ids=["ascii", "latin", "chinese", "4-byte", "odd-bytes"])
def test_file_stems_fit_the_file_system(name: str) -> None:
    """A name over ~250 bytes used to fail with "File name too long"."""
    from tui.saving import MAX_STEM_BYTES, file_stem

    stem = file_stem(name)
    assert 0 < len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    assert name.startswith(stem)  # cut at a character, not inside one
    longest = f"{stem}-iteration-{10**9}-{10**4}.md"
    assert len(longest.encode("utf-8")) <= NAME_MAX


def test_a_long_name_in_four_byte_letters_is_saved(tmp_path: Path) -> None:
    """80 letters of 4 bytes each (the longest name a scenario file may have) are 320 bytes:
    too long for one file name, so cut to fit."""
    name = "𠀀" * 80
    toml_path, md_path = save_lesson(lesson(name), tmp_path)
    for path in (toml_path, md_path):
        assert path.name.startswith("𠀀")
        assert len(path.name.encode("utf-8")) <= NAME_MAX
    assert load_scenario(toml_path).name == name
