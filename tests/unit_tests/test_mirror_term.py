"""The learner's screen as the teacher's view plays it (tui/teacher/mirror_term.py): the
server's ``mirror`` and ``screen`` lines parsed strictly, the bytes played on a terminal of
the learner's size, colours and wide characters kept, control bytes never passed on, and only
the rows that changed made again."""

from __future__ import annotations

import base64
import json

import pytest

from tui.serve.mirror import screen_line, start_line
from tui.teacher.mirror_term import (
    MAX_SIZE,
    MirrorStart,
    MirrorTerm,
    mirror_items,
    parse_screen,
    parse_start,
)


def started(size: tuple[int, int] = (20, 4), learner: str = "ann") -> MirrorTerm:
    term = MirrorTerm()
    assert term.feed([MirrorStart(learner, size)], learner)
    return term


def test_the_servers_lines_are_read_back() -> None:
    data = "step 3 of 22 │ 第三步\x1b[1m".encode()
    assert parse_screen(screen_line(data).rstrip(b"\n")) == data
    assert parse_start(start_line("ann", (80, 24)).rstrip(b"\n")) == MirrorStart("ann", (80, 24))
    assert parse_start(start_line("ann", None)) == MirrorStart("ann", None)
    items = mirror_items([start_line("ann", (80, 24)).rstrip(b"\n"), b'{"class": {}}',
                          screen_line(b"hi").rstrip(b"\n")])
    assert items == [MirrorStart("ann", (80, 24)), b"hi"]


@pytest.mark.parametrize("line", [
    b'{"mirror": {"learner": "ann"}}',
    b'{"mirror": {"learner": "ann", "size": [80]}}',
    b'{"mirror": {"learner": "ann", "size": [0, 24]}}',
    b'{"mirror": {"learner": "ann", "size": [true, 24]}}',
    b'{"mirror": {"learner": "ann", "size": ["80", 24]}}',
    b'{"mirror": {"learner": "", "size": [80, 24]}}',
    b'{"mirror": {"learner": 7, "size": [80, 24]}}',
    b'{"mirror": {"learner": "ann", "size": [80, 24], "x": 1}}',
    b'{"mirror": null}',
    b'{"mirror": [',
    b'[' * 100000,
])
def test_a_malformed_start_is_dropped(line: bytes) -> None:
    assert parse_start(line) is None


@pytest.mark.parametrize("line", [
    b'{"screen": "not base64!"}',
    b'{"screen": "aGk="',
    b'{"screen": "aG k="}',
    b'{"screen":"aGk="}',
])
def test_a_malformed_screen_line_is_dropped(line: bytes) -> None:
    assert parse_screen(line) is None
    assert mirror_items([line]) == []


def test_a_huge_terminal_is_cut_to_the_largest_mirrored() -> None:
    line = json.dumps({"mirror": {"learner": "ann", "size": [100000, 5]}}).encode()
    assert parse_start(line) == MirrorStart("ann", (MAX_SIZE, 5))


def test_bytes_are_played_with_their_colours_and_wide_characters() -> None:
    term = started()
    assert term.size == (20, 4)
    term.feed([b"\x1b[1;38;2;255;0;0mRed\x1b[0m \x1b[44m\xe7\xac\xac\xe4\xb8\x89\x1b[0m",
               b"\r\n\x1b[2;5H\x1b[7mrev"], "ann")
    assert term.text().splitlines()[:2] == ["Red 第三", "    rev"]
    assert term.changed_rows() == {0, 1, 2, 3}  # a fresh screen: every row once
    first = term.row(0)
    assert [s.text for s in first][:3] == ["Red", " ", "第三"]
    assert first[0].style is not None and first[0].style.bold
    assert first[0].style.color is not None and first[0].style.color.triplet == (255, 0, 0)
    assert first[2].style is not None and first[2].style.bgcolor is not None
    assert first[2].style.bgcolor.name == "blue"
    assert term.row(1)[1].style is not None and term.row(1)[1].style.reverse
    # A wide character takes two cells: the row is still 20 cells wide.
    assert sum(len(s.text) + (s.text.count("第") + s.text.count("三")) for s in first) == 20
    assert term.changed_rows() == set()
    term.feed([b"\x1b[4;1Hbottom"], "ann")
    assert term.changed_rows() == {3}


def test_a_utf8_character_split_between_lines_is_whole() -> None:
    term = started()
    data = "α·Z·δ".encode()
    term.feed([data[:1], data[1:4], data[4:]], "ann")
    assert term.text().splitlines()[0] == "α·Z·δ"


def test_control_bytes_become_cells_never_output() -> None:
    term = started((30, 2))
    # A title, a clipboard write and a bell: nothing of them is on the screen, and every
    # cell the view draws is printable.
    term.feed([b"\x1b]0;owned\x07\x1b]52;c;ZXZpbA==\x07\x07ok\x1b[31m\x9b2J"], "ann")
    term.changed_rows()
    assert term.text().splitlines()[0].startswith("ok")
    assert all(s.text.isprintable() for y in range(2) for s in term.row(y))


def test_another_learners_bytes_are_dropped() -> None:
    term = started(learner="ann")
    assert not term.feed([b"from bo"], "bo")
    assert not term.feed([MirrorStart("bo", (10, 2))], "ann")
    assert term.size == (20, 4) and "from bo" not in term.text()


def test_a_learner_not_connected_has_no_screen() -> None:
    term = started()
    term.feed([MirrorStart("ann", None)], "ann")
    assert term.learner == "ann" and not term.connected
    assert term.size == (0, 0) and term.row(0) == []
    assert not term.feed([b"late"], "ann")


def test_a_restart_is_a_fresh_screen() -> None:
    term = started()
    term.feed([b"old"], "ann")
    generation = term.generation
    term.feed([MirrorStart("ann", (10, 3))], "ann")
    assert term.generation == generation + 1
    assert term.size == (10, 3) and "old" not in term.text()
    term.stop()
    assert term.learner is None and not term.feed([b"x"], None)


def test_a_screen_line_is_base64_inside_json() -> None:
    line = screen_line(b'"\n\\')
    assert json.loads(line) == {"screen": base64.b64encode(b'"\n\\').decode()}
