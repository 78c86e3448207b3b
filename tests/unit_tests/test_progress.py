"""Progress that survives a quit (tui/progress.py): the state file, read and written as plain
Python. The app's side (the notice, --fresh, the keys) is in
tests/functional_tests/test_progress_app.py."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import numpy as np
import pytest

import tui.progress as progress
from engine import builtin
from tui.lesson import Lesson
from tui.progress import FORMAT, Place, ProgressFile, lesson_digest, place_of, resume
from tui.quiz import Quiz


def stepped(name: str = "article", iteration: int = 1, k: int = 4) -> Lesson:
    """A lesson the learner has stepped through to step ``k`` of ``iteration``."""
    lesson = Lesson(builtin(name))
    for _ in range(iteration):
        lesson.last()
        lesson.next_iteration()
    for _ in range(k + 1):
        lesson.next()
    return lesson


def test_the_state_directory_follows_xdg_state_home(tmp_path: Path) -> None:
    assert progress.state_directory({"XDG_STATE_HOME": str(tmp_path)}) == \
        tmp_path / "backprop-tutor"
    home = Path.home() / ".local" / "state" / "backprop-tutor"
    assert progress.state_directory({}) == home
    assert progress.state_directory({"XDG_STATE_HOME": "relative/dir"}) == home  # XDG: ignored
    assert ProgressFile().path == tmp_path / "state" / "backprop-tutor" / "progress.json"


def test_a_place_comes_back_at_the_same_step_and_iteration_with_its_numbers(
        tmp_path: Path) -> None:
    lesson, quiz = stepped(iteration=2, k=6), Quiz()
    quiz.check(lesson.walkthrough(), 6, 1.0)  # a wrong answer, kept with its diagnosis
    file = ProgressFile(tmp_path / "p.json")
    assert file.record(place_of(lesson, quiz, quiz_on=True))

    place, changed = ProgressFile(tmp_path / "p.json").find(builtin("article"))
    assert place is not None and not changed
    assert (place.iteration, place.k, place.quiz_on) == (2, 6, True)
    again, quiz_again = resume(builtin("article"), place)
    assert again.place.walkthrough.iteration == 2 and again.place.k == 6
    # The very numbers: the weights this iteration starts from (7 of them 1.4 after the
    # first article update, then 1.4 + …), and the history before it, to step back into.
    for mine, theirs in zip(again.walkthrough().weights_before,
                            lesson.walkthrough().weights_before):
        np.testing.assert_array_equal(mine, theirs)
    assert again.can("previous") and again.index == 2
    assert quiz_again.verdicts == quiz.verdicts and quiz_again.score == (0, 1)


HOSTILE = [{"target": "Z1\x1b]0;PWNED\x07"}, {"target": "Z9"}, {"diagnoses": ["no_such_slip"]},
           {"diagnoses": 5}, {"link": 7}, {"link": ["Z1", "\x1b[2J"]}, {"phase": "evil"},
           {"value": "1"}, {"correct": "yes"}, {"k": True}, {"loss": "other"}]


@pytest.mark.parametrize("change", HOSTILE, ids=[str(c) for c in HOSTILE])
def test_answers_read_back_keep_only_what_the_tutor_could_have_written(
        tmp_path: Path, change: dict[str, object]) -> None:
    """The answers' words reach the screen and the saved transcript, and a slip's kind names
    a message: an edited state file must not put text on the terminal or crash a lookup."""
    lesson, quiz = stepped(iteration=0, k=6), Quiz()
    quiz.check(lesson.walkthrough(), 6, 1.0)
    path = tmp_path / "p.json"
    ProgressFile(path).record(place_of(lesson, quiz, quiz_on=True))
    content = json.loads(path.read_text(encoding="utf-8"))
    (verdict,) = content["lessons"][0]["verdicts"]
    place, _ = ProgressFile(path).find(builtin("article"))
    assert place is not None and len(resume(builtin("article"), place)[1].verdicts) == 1
    verdict.update(change)
    path.write_text(json.dumps(content), encoding="utf-8")
    place, _ = ProgressFile(path).find(builtin("article"))
    assert place is not None
    again, quiz_again = resume(builtin("article"), place)
    assert quiz_again.verdicts == {} and again.place.k == 6


def test_trained_weights_come_back(tmp_path: Path) -> None:
    """A lesson stepped on from trained weights (t) resumes from those weights, not from the
    scenario's own."""
    s = builtin("xor-sigmoid")
    trained = [w * 3 + 0.25 for w in s.initial_weights()]
    lesson = Lesson(s, trained, start=500)
    lesson.next()
    lesson.next()
    file = ProgressFile(tmp_path / "p.json")
    file.record(place_of(lesson, Quiz(), quiz_on=False))

    place, _ = ProgressFile(tmp_path / "p.json").find(s)
    assert place is not None and place.start == 500 and place.weights is not None
    again, _ = resume(s, place)
    assert again.place.walkthrough.iteration == 500 and again.place.k == 1
    for mine, theirs in zip(again.walkthrough().weights_before, trained):
        np.testing.assert_array_equal(mine, theirs)
    assert not np.allclose(again.walkthrough().weights_before[0], s.initial_weights()[0])


def test_a_place_far_on_keeps_its_weights_rather_than_walking_them_again(
        tmp_path: Path) -> None:
    lesson = stepped(iteration=progress.MAX_REPLAY + 3, k=0)
    place = place_of(lesson, Quiz(), quiz_on=False)
    assert place.start == progress.MAX_REPLAY + 3 and place.weights is not None
    again, _ = resume(builtin("article"), place)
    np.testing.assert_array_equal(again.walkthrough().weights_before[1],
                                  lesson.walkthrough().weights_before[1])


def test_each_lesson_has_its_own_place(tmp_path: Path) -> None:
    file = ProgressFile(tmp_path / "p.json")
    file.record(place_of(stepped("article", 0, 3), Quiz(), False))
    file.record(place_of(stepped("xor-sigmoid", 1, 0), Quiz(), False))
    again = ProgressFile(tmp_path / "p.json")
    article, _ = again.find(builtin("article"))
    xor, _ = again.find(builtin("xor-sigmoid"))
    assert article is not None and (article.iteration, article.k) == (0, 3)
    assert xor is not None and (xor.iteration, xor.k) == (1, 0)


def test_another_version_of_the_lesson_does_not_resume_and_keeps_its_place(
        tmp_path: Path) -> None:
    """A lesson file edited since (same name, other weights or data) starts afresh; the old
    version's place stays in the file."""
    file = ProgressFile(tmp_path / "p.json")
    file.record(place_of(stepped("article", 1, 2), Quiz(), False))
    edited = builtin("article").with_changes(learning_rate=0.5)
    assert lesson_digest(edited) != lesson_digest(builtin("article"))
    # The description is words, not numbers: it does not make another lesson.
    assert lesson_digest(builtin("article").with_changes(description="x")) == \
        lesson_digest(builtin("article"))

    again = ProgressFile(tmp_path / "p.json")
    place, changed = again.find(edited)
    assert place is None and changed
    again.record(Place("article", lesson_digest(edited), 0, 0))
    kept = ProgressFile(tmp_path / "p.json")
    old, _ = kept.find(builtin("article"))
    new, _ = kept.find(edited)
    assert old is not None and (old.iteration, old.k) == (1, 2)
    assert new is not None and (new.iteration, new.k) == (0, 0)


@pytest.mark.parametrize("content", [
    b"{not json", b"\xff\xfe garbage", b"[]", b'{"format": 1}', b'{"format": 1, "lessons": [1]}',
    b'{"format": 1, "lessons": [{"name": "article"}]}',
    b'{"format": 1, "lessons": [{"name": "article", "digest": "x", "iteration": "1", "k": 0}]}',
    b"",
])
def test_a_corrupt_file_is_set_aside_whole_never_overwritten(tmp_path: Path,
                                                             content: bytes) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(content)
    file = ProgressFile(path)
    assert file.problem == "corrupt" and file.places == []
    assert file.record(place_of(stepped(), Quiz(), False))
    assert (tmp_path / "p.json.corrupt").read_bytes() == content  # kept as it was
    assert json.loads(path.read_text())["lessons"][0]["k"] == 4
    # A second corrupt file does not take the first one's place aside.
    path.write_bytes(b"{again")
    ProgressFile(path).set_aside()
    assert (tmp_path / "p.json.corrupt").read_bytes() == content
    assert (tmp_path / "p.json.corrupt-2").read_bytes() == b"{again"


def test_an_unreadable_file_is_left_as_it_is(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the file holds, a tutor that could not read it never writes over it."""
    path = tmp_path / "p.json"
    path.write_text('{"format": 1, "lessons": []}')

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(progress, "open", refused, raising=False)
    file = ProgressFile(path)
    monkeypatch.undo()
    assert file.problem == "unreadable" and not file.writable
    assert not file.record(place_of(stepped(), Quiz(), False))
    assert path.read_text() == '{"format": 1, "lessons": []}'


def test_a_directory_or_a_fifo_in_the_file_s_place_is_unreadable_not_opened(
        tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    assert ProgressFile(tmp_path / "dir").problem == "unreadable"
    os.mkfifo(tmp_path / "fifo")  # opening it for reading would wait for a writer forever
    file = ProgressFile(tmp_path / "fifo")
    assert file.problem == "unreadable"
    assert not file.record(place_of(stepped(), Quiz(), False))
    assert stat.S_ISFIFO(os.stat(tmp_path / "fifo").st_mode)


def test_a_newer_tutor_s_file_is_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    text = json.dumps({"format": FORMAT + 1, "lessons": "a format we do not know"})
    path.write_text(text)
    file = ProgressFile(path)
    assert file.problem == "newer"
    assert not file.record(place_of(stepped(), Quiz(), False))
    assert path.read_text() == text


def test_a_place_that_does_not_fit_the_lesson_is_refused(tmp_path: Path) -> None:
    s, digest = builtin("article"), lesson_digest(builtin("article"))
    with pytest.raises(ValueError):
        resume(s, Place("article", digest, 0, 22))  # the article has 22 steps: 0 to 21
    with pytest.raises(ValueError):
        resume(s, Place("article", digest, 3, 0, start=5))
    with pytest.raises(ValueError):
        resume(s, Place("article", digest, 0, 0, weights=[[[1.0, 2.0]]]))


def test_the_write_is_atomic_and_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write cut short (here: the process killed while the data goes to disk) leaves the old
    file whole and no temporary file behind; a finished write is the new file, mode 0600."""
    path = tmp_path / "state" / "p.json"
    file = ProgressFile(path)
    assert file.record(place_of(stepped("article", 0, 1), Quiz(), False))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    before = path.read_bytes()

    def killed(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(progress.os, "fsync", killed)
    with pytest.raises(KeyboardInterrupt):
        file.record(place_of(stepped("article", 0, 9), Quiz(), False))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["p.json"]

    assert file.record(place_of(stepped("article", 0, 9), Quiz(), False))
    assert json.loads(path.read_text())["lessons"][0]["k"] == 9
    assert sorted(p.name for p in path.parent.iterdir()) == ["p.json"]


def test_two_tutors_at_once_keep_each_other_s_lessons(tmp_path: Path) -> None:
    """Each writes its own lesson's place beside what the file holds now, not what it held
    when that tutor started."""
    one, two = ProgressFile(tmp_path / "p.json"), ProgressFile(tmp_path / "p.json")
    one.record(place_of(stepped("article", 0, 3), Quiz(), False))
    two.record(place_of(stepped("xor-sigmoid", 0, 5), Quiz(), False))
    one.record(place_of(stepped("article", 0, 7), Quiz(), False))
    again = ProgressFile(tmp_path / "p.json")
    article, _ = again.find(builtin("article"))
    xor, _ = again.find(builtin("xor-sigmoid"))
    assert article is not None and article.k == 7
    assert xor is not None and xor.k == 5


def test_a_failed_write_is_no_error(tmp_path: Path) -> None:
    """A state directory that cannot be made (a file in its way): progress is not saved, and
    the tutor goes on."""
    (tmp_path / "blocked").write_text("")
    file = ProgressFile(tmp_path / "blocked" / "p.json")
    assert not file.record(place_of(stepped(), Quiz(), False))


@pytest.mark.parametrize(("args", "fresh"), [((), False), (("--fresh",), True),
                                              (("--scenario", "xor-sigmoid", "--fresh"), True)])
def test_fresh_on_the_command_line_reaches_the_tutor(monkeypatch: pytest.MonkeyPatch,
                                                     args: tuple[str, ...], fresh: bool) -> None:
    import sys

    from tui.cli import main

    opened: list[bool] = []

    class Tutor:
        return_code = 0

        def __init__(self, scenario: object, *, ascii_only: bool, fresh: bool) -> None:
            opened.append(fresh)

        def run(self) -> None:
            pass

        def remember(self) -> None:
            pass

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr("tui.app.TutorApp", Tutor)
    assert main(list(args)) == 0
    assert opened == [fresh]
