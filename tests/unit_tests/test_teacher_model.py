"""The class view's data (tui/teacher/model.py, tui/teacher/channel.py): a snapshot line
checked field by field, made safe to show, sorted and worded; lines framed and bounded; the
channel's thread handing over the latest snapshot."""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest

from engine.slips import KINDS
from tui.glyphs import use_ascii
from tui.i18n import CATALOGUES, set_language
from tui.teacher.channel import ClassChannel, LineFramer, SnapshotFeed
from tui.teacher.model import (
    IDLE_LATE,
    MAX_LINE,
    MAX_NAME,
    REPLACEMENT,
    ClassSnapshot,
    SlipCount,
    idle_redraw_in,
    idle_text,
    idle_text_lasts,
    ordered,
    parse_line,
    progress_bar,
    slip_name,
    slip_sentence,
)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    use_ascii(False)
    yield
    set_language("en")
    use_ascii(False)


def learner(key: str, name: str | None = None, **fields: object) -> dict[str, object]:
    """A learner's entry as Classroom.snapshot() makes it."""
    entry: dict[str, object] = {
        "id": key, "name": key.title() if name is None else name, "connected": True,
        "lesson": "article", "iteration": 0, "step": 3, "total": 22, "phase": "forward",
        "right_first": 2, "answered": 3, "revealed": 1, "last_slip": None, "idle_s": 5.0}
    entry.update(fields)
    return entry


def line(*learners: dict[str, object], slips: list[object] | None = None,
         time: object = 1764500000.0) -> bytes:
    return json.dumps({"class": {"learners": list(learners), "slips": slips or [],
                                 "time": time}}).encode()


def parsed(*learners: dict[str, object], **options: object) -> ClassSnapshot:
    snapshot = parse_line(line(*learners, **options))  # type: ignore[arg-type]
    assert snapshot is not None
    return snapshot


# --- parsing ------------------------------------------------------------------------------


def test_a_snapshot_is_read_field_by_field() -> None:
    snapshot = parsed(learner("ada", step=12, phase="backward", last_slip="plus"),
                      learner("bob", connected=False),
                      slips=[{"phase": "update", "slip": "plus", "learners": 7}])
    ada, bob = snapshot.learners
    assert (ada.id, ada.name, ada.connected, ada.lesson) == ("ada", "Ada", True, "article")
    assert (ada.iteration, ada.step, ada.total, ada.phase) == (0, 12, 22, "backward")
    assert (ada.right_first, ada.answered, ada.revealed, ada.last_slip) == (2, 3, 1, "plus")
    assert ada.idle_s == 5.0 and not bob.connected
    assert snapshot.connected == 1
    assert snapshot.slips == (SlipCount("update", "plus", 7),)
    assert snapshot.time == 1764500000.0


def test_a_learner_with_no_place_yet_is_kept() -> None:
    # Classroom.snapshot() gives None for the place of a learner who has not reported one.
    (cy,) = parsed(learner("cy", lesson=None, iteration=None, step=None, total=None,
                           phase=None)).learners
    assert (cy.lesson, cy.iteration, cy.step, cy.total, cy.phase) == ("", None, None, None, None)
    assert progress_bar(cy.step, cy.total, 6) == "░░░░░░"


@pytest.mark.parametrize("text", [
    b"", b"not json", b"[]", b'"class"', b"{}", b'{"notice": "idle", "seconds": 60}',
    b'{"class": []}', b'{"class": {"learners": {}}}', b'{"class": {"slips": []}}',
    b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000, b'{"class": ' * 50_000,
    b'{"class": {"learners": [], "time": 1' + b"0" * 5000 + b"}}",
])
def test_a_malformed_line_is_refused(text: bytes) -> None:
    assert parse_line(text) is None


def test_a_line_longer_than_the_limit_is_refused_unread() -> None:
    big = line(learner("ada", name="x" * (MAX_LINE + 10)))
    assert len(big) > MAX_LINE and parse_line(big) is None


def test_a_one_megabyte_line_within_the_limit_is_read_and_its_texts_cut() -> None:
    big = line(learner("ada", name="N" * 900_000), learner("bob", lesson="L" * 100_000))
    assert 1_000_000 <= len(big) <= MAX_LINE
    ada, bob = parse_line(big).learners  # type: ignore[union-attr]
    assert ada.name == "N" * MAX_NAME
    assert len(bob.lesson) <= 80


@pytest.mark.parametrize("entry", [
    "ada", 7, None, [], {"name": "no id"}, {"id": ""}, {"id": 5}, {"id": "x" * 201},
])
def test_a_learner_entry_not_of_its_form_is_left_out(entry: object) -> None:
    snapshot = parsed(learner("bob"), entry)  # type: ignore[arg-type]
    assert [x.id for x in snapshot.learners] == ["bob"]


def test_a_second_entry_with_the_same_id_is_left_out() -> None:
    snapshot = parsed(learner("ada", name="First"), learner("ada", name="Second"))
    assert [x.name for x in snapshot.learners] == ["First"]


@pytest.mark.parametrize(("field", "value", "read"), [
    ("step", True, None), ("step", -1, None), ("step", 10**12, None), ("step", 2.5, None),
    ("step", "3", None), ("answered", False, 0), ("answered", -4, 0), ("revealed", 1e300, 0),
    ("idle_s", float("nan"), 0.0), ("idle_s", float("inf"), 0.0), ("idle_s", -3, 0.0),
    ("idle_s", "60", 0.0), ("idle_s", 61, 61.0), ("connected", "yes", False),
    ("connected", 1, False), ("phase", 3, None), ("last_slip", "", None),
    ("last_slip", ["plus"], None), ("lesson", {"a": 1}, ""),
])
def test_a_field_out_of_range_is_taken_as_unknown(field: str, value: object,
                                                  read: object) -> None:
    # NaN and infinity are not JSON: json.dumps writes them anyway, as the server never would.
    (ada,) = parsed(learner("ada", **{field: value})).learners
    assert getattr(ada, field) == read


@pytest.mark.parametrize("time", [None, "noon", float("nan"), 12.5, 1e12, True])
def test_a_time_that_is_no_unix_time_is_not_shown(time: object) -> None:
    assert parsed(learner("ada"), time=time).time is None


@pytest.mark.parametrize(("name", "shown"), [
    ("\x1b[31mred", f"{REPLACEMENT}[31mred"),
    ("\x1b]0;PWNED\x07", f"{REPLACEMENT}]0;PWNED{REPLACEMENT}"),
    ("[red]x[/]", "[red]x[/]"),  # shown as it is: the view never reads markup
    ("a\nb\rc\td", f"a{REPLACEMENT}b{REPLACEMENT}c{REPLACEMENT}d"),
    ("\x9b2J", f"{REPLACEMENT}2J"),  # C1 CSI
    ("abc\u202edef", f"abc{REPLACEMENT}def"),  # right-to-left override
    ("\ud800x", f"{REPLACEMENT}x"),  # a lone surrogate (cannot be written to a terminal)
    ("李雷", "李雷"),
])
def test_no_text_reaches_the_screen_raw(name: str, shown: str) -> None:
    (x,) = parsed(learner("x", name=name, lesson=name, last_slip=name)).learners
    assert x.name == shown and x.lesson == shown and x.last_slip == shown


def test_under_ascii_texts_are_ascii() -> None:
    use_ascii(True)
    (x,) = parsed(learner("x", name="李雷 α")).learners
    assert x.name == "?? a"


def test_slips_are_checked_and_kept_most_common_first() -> None:
    slips = [{"phase": "backward", "slip": "fprime", "learners": 2}, "junk",
             {"phase": "update", "slip": "plus", "learners": 7},
             {"phase": "update", "slip": "", "learners": 3},
             {"phase": "update", "slip": "mean", "learners": 0},
             {"phase": None, "slip": "mean", "learners": 3}]
    snapshot = parsed(learner("ada"), slips=slips)
    assert [(s.slip, s.learners) for s in snapshot.slips] == [("plus", 7), ("fprime", 2)]


# --- order and words ----------------------------------------------------------------------

CLASS = parsed(
    learner("c", name="cy", iteration=1, step=2, right_first=1, answered=4, idle_s=10),
    learner("a", name="Ada", iteration=0, step=20, right_first=3, answered=3, idle_s=200),
    learner("b", name="bob", iteration=0, step=5, right_first=0, answered=0, idle_s=30),
    learner("d", name="Dee", iteration=None, step=None, total=None, right_first=1,
            answered=2, idle_s=0),
).learners


@pytest.mark.parametrize(("sort", "order"), [
    ("name", "abcd"),  # A to Z, whatever the case
    ("progress", "dbac"),  # the furthest behind first; no place yet first of all
    ("score", "cdab"),  # 1/4, 1/2, 3/3; nothing answered last
    ("idle", "abcd"),  # the longest idle first
])
def test_the_sorts(sort: str, order: str) -> None:
    assert "".join(x.id for x in ordered(CLASS, sort)) == order
    assert "".join(x.id for x in ordered(CLASS, sort, reverse=True)) == order[::-1]


@pytest.mark.parametrize(("step", "total", "bar"), [
    (0, 22, "░░░░░░"), (12, 22, "███░░░"), (22, 22, "██████"), (30, 22, "██████"),
    (None, 22, "░░░░░░"), (3, 0, "░░░░░░"),
])
def test_the_progress_bar(step: int | None, total: int, bar: str) -> None:
    assert progress_bar(step, total, 6) == bar


def test_the_progress_bar_in_ascii() -> None:
    use_ascii(True)
    assert progress_bar(12, 22, 6) == "###---"


@pytest.mark.parametrize(("seconds", "en", "zh"), [
    (0, "0s", "0秒"), (59.9, "59s", "59秒"), (60, "1m", "1分"), (185, "3m", "3分"),
    (3599, "59m", "59分"), (3600 + 7 * 60 + 9, "1h07m", "1时07分"),
    (3 * 86400 + 4 * 3600, "3d04h", "3天04时"),
])
def test_idle_times(seconds: float, en: str, zh: str) -> None:
    assert idle_text(seconds) == en
    set_language("zh")
    assert idle_text(seconds) == zh


@pytest.mark.parametrize(("seconds", "lasts"), [
    (0, 1), (0.25, 0.75), (59.5, 0.5), (60, 60), (185, 55), (3600 + 7 * 60 + 9, 51),
    (86400, 3600), (3 * 86400 + 4 * 3600 + 10, 3590), (-3, 1),
])
def test_how_long_an_idle_time_shown_lasts(seconds: float, lasts: float) -> None:
    assert idle_text_lasts(seconds) == pytest.approx(lasts)


@pytest.mark.parametrize(("seconds", "redraw"), [
    (0, 1.9), (59.5, 1.4), (185, 55 + IDLE_LATE), (86400, 3900),
])
def test_when_an_idle_time_shown_is_redrawn(seconds: float, redraw: float) -> None:
    # A little after it changes: one redraw for every learner whose text changes meanwhile.
    assert idle_redraw_in(seconds) == pytest.approx(redraw)


def test_an_idle_time_shown_changes_exactly_when_it_is_said_to() -> None:
    for seconds in [n * 7.3 for n in range(2000)] + [59, 3599, 86399, 86400 * 999 + 3599]:
        lasts = idle_text_lasts(seconds)
        assert 0 < lasts <= 3600
        assert idle_text(seconds + lasts * 0.999) == idle_text(seconds)
        assert idle_text(seconds + lasts + 1e-6) != idle_text(seconds)


def test_a_learner_unchanged_but_for_idle_time_is_parsed_alike() -> None:
    first = parsed(learner("ada", name="Ada\x1b[31m"), learner("bob", connected=False))
    again = parsed(learner("ada", name="Ada\x1b[31m", idle_s=9.5),
                   learner("bob", connected=False))
    assert again.learners[0] == replace(first.learners[0], idle_s=9.5)
    assert again.learners[1] == first.learners[1]
    assert again.learners[0].name == f"Ada{REPLACEMENT}[31m"
    # Equal values of another type are parsed as such: 1 is no True, 3.0 no step.
    other = parsed(learner("ada", name="Ada\x1b[31m", step=3.0), learner("bob", connected=0))
    assert other.learners[0].step is None and not other.learners[1].connected
    again = parsed(learner("ada", name="Ada\x1b[31m", step=3), learner("bob", connected=True))
    assert again.learners[0].step == 3 and again.learners[1].connected
    # --ascii cleans the same entry otherwise.
    assert parsed(learner("ada", name="Adé")).learners[0].name == "Adé"
    use_ascii(True)
    assert parsed(learner("ada", name="Adé")).learners[0].name == "Ad?"
    use_ascii(False)
    assert parsed(learner("ada", name="Adé")).learners[0].name == "Adé"
    # A field that is no JSON scalar is parsed every time, as before.
    assert parsed(learner("ada", lesson=["x"])).learners[0].lesson == ""


def test_the_slips_sentence() -> None:
    assert slip_sentence(SlipCount("update", "plus_delta_sign", 7)) == \
        "7 learners added α·Z·δ instead of subtracting at update steps"
    assert slip_sentence(SlipCount("backward", "fprime", 1)) == \
        "1 learner left out f′(z) in the backward pass"
    # A slip or phase this view does not know is still said, by its (cleaned) name.
    assert slip_sentence(SlipCount("?", "new_slip", 2)) == "2 learners made the slip “new_slip”"
    set_language("zh")
    assert slip_sentence(SlipCount("update", "plus_delta_sign", 7)) == \
        "7 名学员在权重更新步骤中加上了 α·Z·δ，而不是减去"


def test_every_slip_the_tutor_names_has_words_in_both_languages() -> None:
    for kind in (*KINDS, "plus_delta_sign"):
        for catalogue in CATALOGUES.values():
            assert f"teacher.did.{kind}" in catalogue, kind
            assert f"quiz.slip.{kind}" in catalogue, kind
    assert slip_name("plus") == "+ instead of −"
    assert slip_name("made_up") == "made_up"


# --- framing and the channel -------------------------------------------------------------


def test_lines_are_framed_across_reads() -> None:
    framer = LineFramer(limit=10)
    assert framer.feed(b"ab") == []
    assert framer.feed(b"c\nde\n\nf") == [b"abc", b"de", b""]
    assert framer.feed(b"g\n") == [b"fg"]


def test_a_line_too_long_is_dropped_whole_and_never_held() -> None:
    framer = LineFramer(limit=10)
    assert framer.feed(b"0123456") == []
    assert framer.feed(b"789abcdef") == []  # over the limit: dropped at once
    assert framer.holding == 0
    for _ in range(100):  # however long it goes on, nothing is kept
        assert framer.feed(b"x" * 1000) == []
        assert framer.holding == 0
    assert framer.feed(b"tail\nok\n") == [b"ok"]  # its tail is not taken for a line
    assert framer.feed(b"0123456789abc\nfine\n") == [b"fine"]


def test_the_feed_passes_on_the_latest_well_formed_snapshot() -> None:
    feed = SnapshotFeed()
    got: list[ClassSnapshot] = []
    assert feed.push({"learners": [learner("early")], "slips": [], "time": 1.0})
    feed.start(got.append, lambda: None)
    assert [x.learners[0].id for x in got] == ["early"]  # kept until the view started
    burst = line(learner("one")) + b"\n" + line(learner("two")) + b"\nnot json\n"
    assert feed.push(burst)
    assert [x.learners[0].id for x in got] == ["early", "two"]
    assert not feed.push(b"garbage\n")
    assert len(got) == 2


def test_the_channel_reads_in_its_thread_until_the_server_closes() -> None:
    ours, theirs = socket.socketpair()
    channel = ClassChannel(theirs)
    got: list[ClassSnapshot] = []
    came, ended = threading.Event(), threading.Event()

    def arrived(snapshot: ClassSnapshot) -> None:
        got.append(snapshot)
        came.set()

    channel.start(arrived, ended.set)
    try:
        ours.sendall(b"x" * (MAX_LINE + 5) + b"\n")  # dropped, without hanging the reader
        ours.sendall(b"nonsense\n" + line(learner("ada")) + b"\n")
        assert came.wait(10)
        assert [x.learners[0].id for x in got] == ["ada"]
        ours.close()
        assert ended.wait(10)
    finally:
        channel.close()


def test_the_channel_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BACKPROP_TUTOR_CHANNEL", raising=False)
    assert ClassChannel.from_environment() is None
    monkeypatch.setenv("BACKPROP_TUTOR_CHANNEL", "not a number")
    assert ClassChannel.from_environment() is None
    ours, theirs = socket.socketpair()
    try:
        monkeypatch.setenv("BACKPROP_TUTOR_CHANNEL", str(theirs.detach()))
        channel = ClassChannel.from_environment()
        assert channel is not None
        assert "BACKPROP_TUTOR_CHANNEL" not in os.environ  # nothing it starts inherits it
        channel.close()
    finally:
        ours.close()
