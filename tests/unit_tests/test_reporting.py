"""What a served tutor reports to its server (tui/reporting.py): places coalesced to a few a
second, the latest one never lost, answers and training runs at once, and never a line the
server would refuse (tui/served.py cuts such a tutor off)."""

from __future__ import annotations

import socket

from tui.reporting import BUDGET, PLACE_EVERY, WINDOW, Reporter
from tui.served import MAX_TEXT, ServerChannel, parse_report


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def reporter() -> tuple[Reporter, Clock, list[dict[str, object]]]:
    """A reporter on a fake clock, and the reports it sent (each checked as the server
    checks it)."""
    clock, sent = Clock(), []

    def send(line: bytes) -> None:
        assert line.endswith(b"\n") and line.count(b"\n") == 1
        report = parse_report(line)
        assert report is not None, line
        sent.append(report)

    return Reporter(send, clock=clock), clock, sent


def test_a_burst_of_places_sends_the_first_at_once_and_the_last_when_due() -> None:
    r, clock, sent = reporter()
    for k in range(20):  # 20 steps in 0.1 s: a key held down
        r.place("article", 0, k + 1, 22, "forward")
        clock.now += 0.005
    assert [report["step"] for report in sent] == [1]
    due = r.due()
    assert due == 100.0 + PLACE_EVERY
    r.flush_due()  # not yet
    assert len(sent) == 1
    clock.now = due
    r.flush_due()
    assert [report["step"] for report in sent] == [1, 20]
    assert sent[-1] == {"report": "place", "lesson": "article", "iteration": 0, "step": 20,
                        "total": 22, "phase": "forward"}
    assert r.due() is None
    r.flush_due()
    assert len(sent) == 2


def test_a_place_after_a_quiet_while_goes_at_once() -> None:
    r, clock, sent = reporter()
    r.place("article", 0, 0, 22, None)
    clock.now += PLACE_EVERY
    r.place("article", 0, 1, 22, "forward")
    assert [report["step"] for report in sent] == [0, 1]
    assert sent[0]["phase"] is None
    assert r.due() is None


def test_the_same_place_is_not_sent_again() -> None:
    r, clock, sent = reporter()
    r.place("article", 0, 3, 22, "forward")
    clock.now += 1
    r.place("article", 0, 3, 22, "forward")
    assert len(sent) == 1
    r.place("article", 0, 4, 22, "loss")
    assert len(sent) == 2
    # Away and back within the interval: the server already knows where the learner is.
    r.place("article", 0, 3, 22, "forward")
    assert r.due() is not None
    r.place("article", 0, 4, 22, "loss")
    assert r.due() is None
    clock.now += 1
    r.flush_due()
    assert len(sent) == 2
    r.place("article", 1, 4, 22, "loss")  # another iteration: another place
    assert len(sent) == 3


def test_a_waiting_place_goes_out_on_flush() -> None:
    r, clock, sent = reporter()
    r.place("article", 0, 1, 22, "forward")
    r.place("article", 0, 2, 22, "forward")
    r.flush()
    assert [report["step"] for report in sent] == [1, 2]
    r.flush()
    assert len(sent) == 2


def test_odd_lesson_names_are_made_printable_and_short() -> None:
    r, clock, sent = reporter()
    r.place("x" * 500, 0, 1, 22, "forward")
    r.answer("a\nb\x1b[31m\u200bc", 0, 1, "forward", "wrong", True, ["bias", "", "\x07"])
    r.training("名" * 100, 10)
    assert sent[0]["lesson"] == "x" * MAX_TEXT
    assert sent[1]["lesson"] == "ab[31mc"
    assert sent[1]["slips"] == ["bias"]
    assert sent[2]["lesson"] == "名" * MAX_TEXT


def test_what_the_server_would_refuse_is_dropped_not_raised() -> None:
    r, clock, sent = reporter()
    r.place("article", -1, 1, 22, "forward")  # negative numbers are refused
    r.place("article", 0, 10**9, 22, "forward")
    r.answer("article", 0, 1, "forward", "maybe", True)  # no such outcome
    r.answer("article", 0, 1, "forward", "wrong", 1)  # type: ignore[arg-type]
    r.training("article", True)  # a bool is no number of epochs
    r.training("article", 1.5)  # type: ignore[arg-type]
    assert sent == []
    # A refused place holds nothing back: the next one goes at once.
    r.place("article", 0, 1, 22, "forward")
    assert len(sent) == 1
    r.answer("article", 0, 1, "forward", "wrong", True, [object(), "bias"])  # type: ignore[list-item]
    assert sent[-1]["slips"] == ["bias"]


def test_answers_and_training_runs_go_at_once() -> None:
    r, clock, sent = reporter()
    r.place("article", 0, 1, 22, "forward")
    r.answer("article", 0, 2, "forward", "right", True)
    r.answer("article", 0, 3, "forward", "revealed", False)
    r.answer("article", 0, 10, "update", "wrong", True, ("plus_delta_sign", "a", "b", "c", "d"))
    r.training("article", 1000)
    assert [report["report"] for report in sent] == ["place", "answer", "answer", "answer",
                                                     "training"]
    assert sent[3]["slips"] == ["plus_delta_sign", "a", "b", "c"]
    assert sent[4] == {"report": "training", "lesson": "article", "epochs": 1000}


def test_never_more_reports_than_the_budget_however_fast_the_answers() -> None:
    clock, times = Clock(), []
    r = Reporter(lambda line: times.append((clock.now, parse_report(line))), clock=clock)
    r.place("article", 0, 1, 22, "forward")
    for k in range(3 * BUDGET):  # answers as fast as keys go: 20 a second for 15 s
        r.answer("article", 0, k % 22 + 1, "forward", "revealed", True)
        clock.now += 0.05
    # No WINDOW seconds hold more than BUDGET reports (half what the server takes), and the
    # answers go on once the window has moved on.
    sent = [t for t, _ in times]
    assert all(b - a >= WINDOW for a, b in zip(sent, sent[BUDGET:]))
    assert BUDGET + 1 < len(sent) < 3 * BUDGET
    # A place waits for the budget, and is not lost.
    for _ in range(BUDGET):  # the budget spent now, whatever was left of it
        r.answer("article", 0, 1, "forward", "revealed", True)
    r.place("article", 0, 5, 22, "forward")
    due = r.due()
    assert times[-1][1]["report"] == "answer"  # type: ignore[index]
    assert due is not None and due > clock.now
    clock.now = due
    r.flush_due()
    assert times[-1][1]["report"] == "place" and times[-1][1]["step"] == 5  # type: ignore[index]


def test_the_channel_sends_lines_and_never_blocks_nor_raises() -> None:
    ours, theirs = socket.socketpair()
    channel = ServerChannel(theirs)
    r = Reporter(channel.send)
    r.place("article", 0, 1, 22, "forward")
    r.training("article", 10)
    ours.settimeout(5)
    received = b""
    while received.count(b"\n") < 2:
        received += ours.recv(4096)
    lines = received.splitlines(keepends=True)
    assert [parse_report(line)["report"] for line in lines] == ["place", "training"]  # type: ignore[index]
    # Nobody reads: the buffer fills and lines are dropped, never a wait.
    theirs.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    line = b'{"report": "training", "lesson": "' + b"x" * 70 + b'", "epochs": 1}\n'
    for _ in range(20000):
        channel.send(line)
    # Whatever got through is whole lines: a line the buffer took only part of is finished
    # by the next send, before any other line.
    received = drain(ours)
    channel.send(line)
    received += drain(ours)
    lines = received.splitlines(keepends=True)
    assert received.endswith(b"\n") and 0 < len(lines) < 20001
    assert all(parse_report(x) is not None for x in lines)
    ours.close()  # the server is gone
    for _ in range(3):
        channel.send(line)
    channel.close()
    channel.send(line)  # closed: nothing, not even an exception


def drain(sock: socket.socket) -> bytes:
    """What the socket holds now."""
    sock.setblocking(False)
    received = b""
    try:
        while data := sock.recv(1 << 16):
            received += data
    except BlockingIOError:
        pass
    return received
