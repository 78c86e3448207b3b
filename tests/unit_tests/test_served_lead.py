"""The teacher's lead on a tutor's channel (tui/served.py, issue 15): ``lead``, ``hold`` and
``broadcast`` lines parsed exactly as the server writes them (``lead_line``), anything else
dropped, and every kind handed on by the channel's reader, notices included."""

from __future__ import annotations

import json
import socket
import threading

import pytest

from tui.served import (
    CHANNEL_ENV,
    MAX_BROADCAST,
    MAX_LINE,
    Broadcast,
    Hold,
    Lead,
    Notice,
    ServerChannel,
    ServerMessage,
    lead_line,
    notice_line,
    parse,
)


@pytest.mark.parametrize(("fields", "expected"), [
    ({"lead": "step", "step": 5}, Lead("step", 5)),
    ({"lead": "step", "step": 0}, Lead("step", 0)),
    ({"lead": "step", "step": 999_999}, Lead("step", 999_999)),
    ({"lead": "phase", "phase": "forward"}, Lead("phase", "forward")),
    ({"lead": "phase", "phase": "loss"}, Lead("phase", "loss")),
    ({"lead": "phase", "phase": "backward"}, Lead("phase", "backward")),
    ({"lead": "phase", "phase": "update"}, Lead("phase", "update")),
    ({"hold": 3}, Hold(3)),
    ({"hold": 0}, Hold(0)),
    ({"hold": None}, Hold(None)),
    ({"broadcast": "Look at δ1 now"}, Broadcast("Look at δ1 now")),
    ({"broadcast": "看反向传播"}, Broadcast("看反向传播")),
    ({"broadcast": "[bold]not markup[/]"}, Broadcast("[bold]not markup[/]")),
    ({"broadcast": "x" * MAX_BROADCAST}, Broadcast("x" * MAX_BROADCAST)),
    ({"broadcast": None}, Broadcast(None)),
])
def test_the_server_s_lead_lines_are_parsed(fields: dict[str, object],
                                            expected: ServerMessage) -> None:
    assert parse(lead_line(**fields)) == expected
    assert parse(lead_line(**fields).rstrip(b"\n")) == expected  # as the reader splits it


@pytest.mark.parametrize("line", [
    # leads
    b'{"lead": "step"}', b'{"lead": "step", "step": -1}', b'{"lead": "step", "step": 1.0}',
    b'{"lead": "step", "step": "5"}', b'{"lead": "step", "step": true}',
    b'{"lead": "step", "step": 1000000}', b'{"lead": "step", "step": null}',
    b'{"lead": "step", "step": 5, "phase": "loss"}', b'{"lead": "step", "step": 5, "x": 1}',
    b'{"lead": "phase", "phase": "start"}', b'{"lead": "phase", "phase": "Forward"}',
    b'{"lead": "phase", "phase": ["forward"]}', b'{"lead": "phase", "phase": null}',
    b'{"lead": "phase", "step": 5}', b'{"lead": "phase"}', b'{"lead": "jump", "step": 5}',
    b'{"lead": ["step"], "step": 5}', b'{"lead": null, "step": 5}',
    # holds
    b'{"hold": -1}', b'{"hold": "3"}', b'{"hold": 3.5}', b'{"hold": false}',
    b'{"hold": [3]}', b'{"hold": 3, "broadcast": null}', b'{"hold": 10000000}',
    # broadcasts
    b'{"broadcast": ""}', b'{"broadcast": 5}', b'{"broadcast": ["hi"]}',
    b'{"broadcast": "two\\nlines"}', b'{"broadcast": "a\\u001b[2Jclear"}',
    b'{"broadcast": "tab\\there"}', b'{"broadcast": "hi", "hold": 3}',
    ('{"broadcast": "%s"}' % ("x" * (MAX_BROADCAST + 1))).encode(),
    # neither, or not JSON at all
    b"", b"{}", b"[]", b"null", b'"hold"', b"{", b"\xff\xfe", b"[" * 100000,
    b'{"notice": ["idle"], "seconds": 5}', b'{"notice": {}, "seconds": 5}',
    b'{"broadcast": "' + b"x" * MAX_LINE + b'"}',
])
def test_anything_else_is_dropped(line: bytes) -> None:
    assert parse(line) is None, line


def test_the_notices_are_parsed_as_before() -> None:
    assert parse(notice_line("idle", 59.96)) == Notice("idle", 60.0)
    assert parse(b'{"notice": "time", "seconds": 30}') == Notice("time", 30.0)


def test_the_lead_messages_are_frozen() -> None:
    lead = Lead("step", 5)
    with pytest.raises(AttributeError):
        lead.to = 6  # type: ignore[misc]
    assert Hold(3) == Hold(3) and Hold(3) != Hold(None)
    assert hash(Broadcast("hi")) == hash(Broadcast("hi"))


def test_the_channel_hands_on_every_kind_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    ours, theirs = socket.socketpair()
    monkeypatch.setenv(CHANNEL_ENV, str(theirs.detach()))
    channel = ServerChannel.from_environment()
    assert channel is not None
    seen: list[ServerMessage] = []
    done = threading.Event()

    def arrived(message: ServerMessage) -> None:
        seen.append(message)
        if message == Broadcast(None):
            done.set()

    channel.start(arrived)
    line = lead_line(lead="phase", phase="backward")
    ours.sendall(lead_line(lead="step", step=5) + b'{"hold": "3"}\n' + lead_line(hold=3)
                 + notice_line("idle", 60) + line[:10])
    ours.sendall(line[10:] + b"x" * (MAX_LINE * 2) + b"\n" + lead_line(broadcast="Eyes up")
                 + lead_line(hold=None) + b'{"broadcast": 1}\n' + lead_line(broadcast=None))
    assert done.wait(10)
    assert seen == [Lead("step", 5), Hold(3), Notice("idle", 60.0), Lead("phase", "backward"),
                    Broadcast("Eyes up"), Hold(None), Broadcast(None)]
    ours.close()
    channel.close()


def test_a_repaint_is_parsed_and_nothing_like_it() -> None:
    from tui.served import REPAINT_LINE, Repaint

    assert parse(REPAINT_LINE) == Repaint()
    for line in (b'{"repaint": false}', b'{"repaint": 1}', b'{"repaint": true, "x": 1}'):
        assert parse(line) is None


@pytest.mark.parametrize(("learner", "ok"), [
    ("ann", True), ("ann.3f9a2c", True), (None, True), ("", False), (7, False),
    ("a" * 101, False), ("ann\x1b[2J", False), (["ann"], False),
])
def test_the_mirror_command_names_one_learner_or_none(learner: object, ok: bool) -> None:
    from tui.served import command_line, parse_command

    line = json.dumps({"command": "mirror", "learner": learner}).encode()
    assert (parse_command(line) is not None) == ok
    if ok:
        assert parse_command(command_line("mirror", learner=learner)) == {
            "command": "mirror", "learner": learner}


@pytest.mark.parametrize(("name", "ok"), [
    ("xor-sigmoid", True), ("week 2.toml", True), ("第二周.toml", True), ("", False),
    ("a" * 121, False), ("x\x1b[2J.toml", False), (3, False), (None, False),
])
def test_a_lesson_lead_names_one_lesson(name: object, ok: bool) -> None:
    from tui.serve.leading import lines_for
    from tui.served import command_line, parse_command

    line = json.dumps({"command": "lesson", "lesson": name}).encode()
    assert (parse_command(line) is not None) == ok
    if ok:
        command = parse_command(command_line("lesson", lesson=name))
        assert command is not None
        (sent,) = lines_for(command)
        assert parse(sent) == Lead("lesson", name)  # type: ignore[arg-type]
    assert parse(json.dumps({"lead": "lesson", "lesson": name}).encode()) == (
        Lead("lesson", name) if ok else None)  # type: ignore[arg-type]
