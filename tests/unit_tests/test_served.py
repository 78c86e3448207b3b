"""The channel from ``serve`` to a tutor (tui/served.py): notices through, anything else
dropped, and the variable that named it gone from the tutor's environment."""

from __future__ import annotations

import socket
import threading

import pytest

from tui.served import CHANNEL_ENV, MAX_LINE, Notice, ServerChannel, notice_line, parse


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
