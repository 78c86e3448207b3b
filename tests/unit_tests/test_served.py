"""The channel from ``serve`` to a tutor (tui/served.py): notices through, anything else
dropped, and the variable that named it gone from the tutor's environment."""

from __future__ import annotations

import socket
import threading

import pytest

from tui.served import (
    CHANNEL_ENV,
    MAX_LINE,
    Notice,
    ServerChannel,
    notice_line,
    parse,
    parse_report,
    report_line,
)


def test_notices_are_parsed_and_nothing_else() -> None:
    assert parse(notice_line("idle", 59.96)) == Notice("idle", 60.0)
    assert parse(b'{"notice": "time", "seconds": 30}') == Notice("time", 30.0)
    for junk in (b"", b"{", b"[]", b'"idle"', b'{"notice": "shell", "seconds": 1}',
                 b'{"notice": "idle", "seconds": true}', b'{"notice": "idle", "seconds": -1}',
                 b'{"notice": "idle", "seconds": 1e400}', b'{"notice": "idle"}',
                 b"[" * 100000, b"\xff\xfe"):
        assert parse(junk) is None, junk


def test_the_channel_reads_notices_until_the_server_closes_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    ours, theirs = socket.socketpair()
    monkeypatch.setenv(CHANNEL_ENV, str(theirs.detach()))
    channel = ServerChannel.from_environment()
    assert channel is not None
    assert CHANNEL_ENV not in __import__("os").environ
    seen: list[Notice] = []
    done = threading.Event()

    def arrived(notice: Notice) -> None:
        seen.append(notice)
        if notice.kind == "time":
            done.set()

    channel.start(arrived)
    ours.sendall(b"garbage\n" + b"x" * (MAX_LINE * 3) + b"\n" + notice_line("idle", 60)
                 + b'{"notice": "ti' + b'me", "seconds": 5}\n')
    assert done.wait(10)
    assert seen == [Notice("idle", 60.0), Notice("time", 5.0)]
    ours.close()
    channel.close()


@pytest.mark.parametrize("value", ["", "x", "-1", "999999"])
def test_a_bad_channel_number_is_no_channel(monkeypatch: pytest.MonkeyPatch,
                                            value: str) -> None:
    monkeypatch.setenv(CHANNEL_ENV, value)
    assert ServerChannel.from_environment() is None


def test_reports_round_trip_and_anything_else_is_refused() -> None:
    place = report_line("place", lesson="article", iteration=0, step=3, total=22,
                        phase="forward")
    assert parse_report(place) == {"report": "place", "lesson": "article", "iteration": 0,
                                   "step": 3, "total": 22, "phase": "forward"}
    answer = report_line("answer", lesson="article", iteration=0, step=9, phase="update",
                         outcome="wrong", first_try=True, slips=["plus"])
    assert parse_report(answer) is not None
    refused = [
        b'{"report": "place"}',
        b'{"report": "shell", "cmd": "ls"}',
        b'{"report": "training", "lesson": "a", "epochs": true}',
        b'{"report": "training", "lesson": "a", "epochs": -1}',
        b'{"report": "training", "lesson": "a\\u001b[2J", "epochs": 1}',
        b'{"report": "training", "lesson": "a", "epochs": 1, "extra": 1}',
        b'{"report": "answer", "lesson": "a", "iteration": 0, "step": 1, "phase": "loss",'
        b' "outcome": "guessed", "first_try": true, "slips": []}',
        b'{"report": "answer", "lesson": "a", "iteration": 0, "step": 1, "phase": "loss",'
        b' "outcome": "wrong", "first_try": true, "slips": [1]}',
        b"x" * (MAX_LINE + 1),
        b"[" * 50000,
    ]
    for line in refused:
        assert parse_report(line) is None, line[:80]
    with pytest.raises(ValueError):
        report_line("place", lesson="x" * 81, iteration=0, step=0, total=1, phase=None)
