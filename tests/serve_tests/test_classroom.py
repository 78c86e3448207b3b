"""The class as the teacher sees it (tui/serve/classroom.py): reports move the snapshot,
slips are counted per phase by learners, the version moves on every change, and the
exports give the answers as they were, with nothing a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import json

from tui.i18n import set_language
from tui.serve.classroom import Classroom
from tui.served import parse_report, report_line


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _place(step: int, phase: str | None = "forward", lesson: str = "article",
           iteration: int = 0, total: int = 22) -> dict[str, object]:
    report = parse_report(report_line("place", lesson=lesson, iteration=iteration,
                                      step=step, total=total, phase=phase))
    assert report is not None
    return report


def _answer(step: int, phase: str, outcome: str, first_try: bool = True,
            slips: tuple[str, ...] = (), lesson: str = "article") -> dict[str, object]:
    report = parse_report(report_line("answer", lesson=lesson, iteration=0, step=step,
                                      phase=phase, outcome=outcome, first_try=first_try,
                                      slips=list(slips)))
    assert report is not None
    return report


def test_a_new_classroom_is_empty() -> None:
    clock = FakeClock()
    snapshot = Classroom(clock).snapshot()
    assert snapshot == {"learners": [], "slips": [], "time": clock.now, "hold": None,
                        "broadcast": None}
    json.dumps(snapshot)


def test_the_teachers_hold_and_message_are_in_the_snapshot() -> None:
    classroom = Classroom(FakeClock())
    before = classroom.version
    classroom.lead(7, "Look at the deltas")
    assert classroom.version == before + 1
    snapshot = classroom.snapshot()
    assert (snapshot["hold"], snapshot["broadcast"]) == (7, "Look at the deltas")
    classroom.lead(7, "Look at the deltas")  # no change: the view need not redraw
    assert classroom.version == before + 1


def test_reports_move_the_snapshot() -> None:
    clock = FakeClock()
    room = Classroom(clock)
    room.joined("ann", "ann")
    room.joined("bob.0123abcd", "bob")
    room.report("ann", _place(4, "loss"))
    room.report("ann", _answer(4, "loss", "wrong", slips=("half", "mean")))
    room.report("ann", _answer(4, "loss", "right", first_try=False))
    room.report("ann", _answer(5, "delta", "right"))
    room.report("ann", _answer(6, "delta", "revealed"))
    room.report("ann", parse_report(report_line("training", lesson="article", epochs=3)))  # type: ignore[arg-type]
    clock.now += 12.5
    room.left("bob.0123abcd")
    snapshot = room.snapshot()
    json.dumps(snapshot)
    assert snapshot["time"] == clock.now
    assert snapshot["learners"] == [
        {"id": "ann", "name": "ann", "connected": True, "lesson": "article", "iteration": 0,
         "step": 4, "total": 22, "phase": "loss", "right_first": 1, "answered": 2,
         "revealed": 1, "last_slip": "half", "idle_s": 12.5},
        {"id": "bob.0123abcd", "name": "bob", "connected": False, "lesson": None,
         "iteration": None, "step": None, "total": None, "phase": None, "right_first": 0,
         "answered": 0, "revealed": 0, "last_slip": None, "idle_s": 12.5},
    ]
    room.key("ann")
    assert room.snapshot()["learners"][0]["idle_s"] == 0.0  # type: ignore[index]


def test_a_learner_with_two_sessions_is_connected_until_both_end() -> None:
    room = Classroom(FakeClock())
    room.joined("ann", "ann")
    room.joined("ann", "ann")
    room.left("ann")
    assert room.snapshot()["learners"][0]["connected"] is True  # type: ignore[index]
    room.left("ann")
    room.left("ann")  # more ends than starts: still just not connected
    assert room.snapshot()["learners"][0]["connected"] is False  # type: ignore[index]
    room.joined("ann", "ann")
    assert room.snapshot()["learners"][0]["connected"] is True  # type: ignore[index]


def test_an_answer_given_again_counts_only_for_its_slips() -> None:
    room = Classroom(FakeClock())
    room.joined("ann", "ann")
    room.report("ann", _answer(4, "loss", "right"))
    room.report("ann", _answer(4, "loss", "wrong", first_try=False, slips=("half",)))
    room.report("ann", _answer(4, "loss", "revealed", first_try=False))
    [ann] = room.snapshot()["learners"]  # type: ignore[misc]
    assert (ann["answered"], ann["right_first"], ann["revealed"], ann["last_slip"]) == \
        (1, 1, 0, "half")


def test_slips_are_counted_per_phase_by_learners_most_common_first() -> None:
    room = Classroom(FakeClock())
    for learner in ("ann", "bob", "cy", "dee"):
        room.joined(learner, learner)
    room.report("ann", _answer(2, "loss", "wrong", slips=("half",)))
    room.report("ann", _answer(3, "loss", "wrong", slips=("half",)))  # ann again: one learner
    room.report("bob", _answer(2, "loss", "wrong", slips=("half", "mean")))
    room.report("cy", _answer(9, "update", "wrong", slips=("sign",)))
    room.report("dee", _answer(9, "update", "wrong", slips=("sign",)))
    room.report("dee", _answer(2, "loss", "wrong", slips=("half",)))
    room.report("cy", _answer(5, "forward", "wrong", slips=("sign",)))
    assert room.snapshot()["slips"] == [
        {"phase": "loss", "slip": "half", "learners": 3},
        {"phase": "update", "slip": "sign", "learners": 2},
        {"phase": "forward", "slip": "sign", "learners": 1},
        {"phase": "loss", "slip": "mean", "learners": 1},
    ]


def test_the_version_moves_on_every_change_and_only_then() -> None:
    room = Classroom(FakeClock())
    seen = [room.version]

    def moved() -> None:
        assert room.version > seen[-1]
        seen.append(room.version)

    room.joined("ann", "ann")
    moved()
    room.report("ann", _place(1))
    moved()
    room.report("ann", _answer(1, "forward", "right"))
    moved()
    room.key("ann")
    moved()
    room.left("ann")
    moved()
    room.snapshot()
    room.results_csv()
    room.results_markdown()
    room.key("nobody")
    room.left("nobody")
    assert room.version == seen[-1]


def _answers_given(room: Classroom) -> None:
    room.joined("ann", "ann")
    room.joined("-bob", "-bob")
    room.joined("cy", "cy")
    room.report("ann", _place(3, lesson="xor|sigmoid"))
    room.report("ann", _answer(1, "forward", "right"))
    room.report("ann", _answer(2, "loss", "wrong", slips=("half",)))
    room.report("ann", _answer(2, "loss", "right", first_try=False))
    room.report("ann", _answer(3, "loss", "wrong", slips=("half", "mean")))
    room.report("-bob", _place(7, lesson="=HYPERLINK(\"http://x\")"))
    room.report("-bob", _answer(7, "update", "revealed"))
    room.report("-bob", _answer(8, "update", "wrong", slips=("@sum",)))


def test_the_csv_export_gives_the_answers_and_no_formula() -> None:
    room = Classroom(FakeClock())
    _answers_given(room)
    rows = list(csv.reader(io.StringIO(room.results_csv())))
    assert rows == [
        ["name", "lesson", "answered", "right_first", "revealed", "slips"],
        ["'-bob", "'=HYPERLINK(\"http://x\")", "1", "0", "1", "'@sum (1)"],
        ["ann", "xor|sigmoid", "3", "1", "0", "half (2), mean (1)"],
        ["cy", "", "0", "0", "0", ""],
    ]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_the_markdown_export_gives_the_answers_with_bars_escaped() -> None:
    room = Classroom(FakeClock())
    _answers_given(room)
    lines = room.results_markdown().splitlines()
    assert lines[0] == "| Learner | Lesson | Answered | Right first time | Revealed | Slips |"
    assert lines[2:] == [
        '| -bob | =HYPERLINK("http://x") | 1 | 0 | 1 | @sum (1) |',
        "| ann | xor\\|sigmoid | 3 | 1 | 0 | half (2), mean (1) |",
        "| cy |  | 0 | 0 | 0 |  |",
    ]
    for line in lines:  # as many cells as columns: no bar got through unescaped
        assert line.replace("\\|", "").count("|") == 7


def test_the_markdown_export_s_headers_follow_the_language() -> None:
    room = Classroom(FakeClock())
    set_language("zh")
    try:
        header = room.results_markdown().splitlines()[0]
    finally:
        set_language("en")
    assert "学员" in header and "Learner" not in header


def test_a_learner_s_made_up_slips_are_bounded() -> None:
    from tui.serve.classroom import MAX_SLIP_KINDS

    room = Classroom(FakeClock())
    room.joined("ann", "ann")
    for n in range(MAX_SLIP_KINDS * 3):
        room.report("ann", _answer(n, "loss", "wrong", slips=(f"made-up-{n}",)))
    assert len(room.snapshot()["slips"]) == MAX_SLIP_KINDS  # type: ignore[arg-type]
