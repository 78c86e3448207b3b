"""The teacher leads the class from the class view (tui/teacher/app.py), driven with Pilot on a
real channel (one end of a socketpair; the test reads the other, as the server does): g, b, f,
h, m and e each write exactly the command line tui.served.command_line makes, say so in a
notification, and never block; the hold and the message come back in snapshots and show in
the header; an export's paths come back in a notification; the broadcast field refuses
control characters; a server gone is said, never a crash. English and Chinese, 80x24 and
120x36. Every wait is bounded."""

from __future__ import annotations

import copy
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Input

from tests.functional_tests.class_data import learner
from tests.screen_text import screen_text
from tui.i18n import set_language
from tui.served import MAX_BROADCAST, command_line, parse_command
from tui.teacher.app import PER_SECOND, ClassViewApp
from tui.teacher.channel import ClassChannel, SnapshotFeed
from tui.teacher.dialogs import BroadcastDialog, StepDialog
from tui.teacher.model import (
    Exported,
    class_step,
    class_total,
    parse_exported,
    parse_line,
)

SIZES = [(80, 24), (120, 36)]
SIZE_IDS = ["80x24", "120x36"]
#: The longest any wait here may take before the test fails.
PATIENCE = 10.0
TURN = 1 / PER_SECOND + 0.1



CLASS: dict[str, Any] = {
    "learners": [learner("ada", "Ada", step=12), learner("bob", "Bob", step=12),
                 learner("cy", "Cy", step=20),
                 learner("dee", "Dee", step=3, total=40, connected=False)],
    "slips": [], "time": 1764500000.0,
}


def with_fields(**fields: Any) -> dict[str, Any]:
    snapshot = copy.deepcopy(CLASS)
    snapshot.update(fields)
    return snapshot


class Server:
    """The server's end of the view's channel: what it writes, what it reads."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.sock.settimeout(PATIENCE)
        self._pending = b""

    def write(self, message: dict[str, Any]) -> None:
        self.sock.sendall(json.dumps(message).encode() + b"\n")

    def snapshot(self, data: dict[str, Any]) -> None:
        self.write({"class": data})

    def line(self) -> bytes:
        """The next line the view wrote (its end of line kept)."""
        while b"\n" not in self._pending:
            data = self.sock.recv(65536)
            assert data, "the view closed its channel"
            self._pending += data
        line, _, self._pending = self._pending.partition(b"\n")
        return line + b"\n"

    def nothing(self, wait: float = 0.2) -> bool:
        """True if the view wrote nothing more within ``wait`` seconds."""
        if self._pending:
            return False
        self.sock.settimeout(wait)
        try:
            self._pending += self.sock.recv(65536)
        except TimeoutError:
            return True
        finally:
            self.sock.settimeout(PATIENCE)
        return not self._pending


@pytest.fixture
def pair() -> Iterator[tuple[Server, ClassChannel]]:
    ours, theirs = socket.socketpair()
    server = Server(ours)
    channel = ClassChannel(theirs)
    try:
        yield server, channel
    finally:
        ours.close()
        channel.close()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


async def until(pilot: Any, condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        await pilot.pause(0.05)


async def shown(app: ClassViewApp, pilot: Any, server: Server, data: dict[str, Any]) -> None:
    """Write a snapshot on the channel and wait until the view shows it."""
    server.snapshot(data)
    expected = parse_line(json.dumps({"class": data}).encode())
    await until(pilot, lambda: app.snapshot == expected, "the snapshot shown")
    await pilot.pause()


@pytest.fixture(autouse=True)
def noted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every notification's message kept on its app, in order (read by :func:`notes`)."""
    notify = ClassViewApp.notify

    def keep(self: ClassViewApp, message: str, *args: Any, **kwargs: Any) -> None:
        self.__dict__.setdefault("noted", []).append(message)
        notify(self, message, *args, **kwargs)

    monkeypatch.setattr(ClassViewApp, "notify", keep)


def notes(app: ClassViewApp) -> list[str]:
    """The notifications' messages, oldest first."""
    return list(app.__dict__.get("noted", []))


def header(app: ClassViewApp) -> str:
    return screen_text(app).splitlines()[0]


async def typed(pilot: Any, text: str) -> None:
    await pilot.press(*(" " if c == " " else c for c in text))


async def seen(app: ClassViewApp, pilot: Any, *texts: str) -> str:
    """Wait until the screen shows every one of ``texts``; the screen's text."""
    await until(pilot, lambda: all(text in screen_text(app) for text in texts),
                f"{texts} on the screen")
    return screen_text(app)


async def opened(app: ClassViewApp, pilot: Any, key: str, kind: type) -> None:
    """Press ``key`` and wait until its dialog is up, its field ready for keys."""
    await pilot.press(key)
    await until(pilot, lambda: isinstance(app.screen, kind) and
                isinstance(app.screen.focused, Input), f"the dialog of {key!r}")
    await pilot.pause()


def field(app: ClassViewApp) -> Input:
    return app.screen.query_one("#dialog-field", Input)


# --- g: everyone to step --------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_g_5_enter_sends_goto_5(pair: tuple[Server, ClassChannel],
                                      size: tuple[int, int]) -> None:
    server, channel = pair
    app = ClassViewApp(channel, clock=lambda: 0.0)
    async with app.run_test(size=size, notifications=True) as pilot:
        await shown(app, pilot, server, CLASS)
        footer = screen_text(app).splitlines()[-1]
        assert "g To step…" in footer and "q Quit" in footer
        await opened(app, pilot, "g", StepDialog)
        assert isinstance(app.screen, StepDialog)
        text = await seen(app, pilot, "Everyone to step…", "step from 0 to 22:")
        assert app.screen.prompt.endswith(" A step from 0 to 22:")
        assert all(len(line) <= size[0] for line in text.splitlines())
        await pilot.press("5", "enter")
        await pilot.pause()
        assert server.line() == command_line("goto", step=5)
        assert not isinstance(app.screen, StepDialog)
        assert notes(app)[-1] == "Sent: everyone to step 5"
        await seen(app, pilot, "Sent: everyone to step 5")
        assert server.nothing()


async def test_a_step_past_the_class_s_iteration_is_refused_and_escape_cancels(
        pair: tuple[Server, ClassChannel]) -> None:
    server, channel = pair
    app = ClassViewApp(channel, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await shown(app, pilot, server, CLASS)
        await opened(app, pilot, "g", StepDialog)
        await typed(pilot, "23x-")  # the most common total is 22; only digits are taken
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StepDialog)  # still asking
        assert field(app).value == "23"
        await seen(app, pilot, "Type a step from 0 to 22.")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StepDialog)
        assert server.nothing()
        assert not notes(app)


async def test_without_a_class_any_step_goes(pair: tuple[Server, ClassChannel]) -> None:
    server, channel = pair
    app = ClassViewApp(channel, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(app, pilot, "g", StepDialog)
        await seen(app, pilot, "Everyone to step…", "steps:")
        assert isinstance(app.screen, StepDialog)
        assert app.screen.prompt.endswith(" A number of steps:")
        await typed(pilot, "123")
        await pilot.press("enter")
        await pilot.pause()
        assert server.line() == command_line("goto", step=123)


# --- b, f: the start of a pass ----------------------------------------------------------------


async def test_b_and_f_send_the_phases(pair: tuple[Server, ClassChannel]) -> None:
    server, channel = pair
    app = ClassViewApp(channel, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await shown(app, pilot, server, CLASS)
        await pilot.press("b")
        await pilot.pause()
        assert server.line() == command_line("phase", phase="backward")
        assert notes(app)[-1] == "Sent: everyone to the start of the backward pass"
        await pilot.press("f")
        await pilot.pause()
        assert server.line() == command_line("phase", phase="forward")
        assert notes(app)[-1] == "Sent: everyone to the start of the forward pass"


# --- h: hold, release -------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_h_holds_at_a_step_and_again_releases(pair: tuple[Server, ClassChannel],
                                                    size: tuple[int, int]) -> None:
    server, channel = pair
    app = ClassViewApp(channel, clock=lambda: 0.0)
    async with app.run_test(size=size, notifications=True) as pilot:
        await shown(app, pilot, server, CLASS)
        assert "held" not in header(app)
        await opened(app, pilot, "h", StepDialog)
        assert isinstance(app.screen, StepDialog)
        await seen(app, pilot, "Hold the class at step…")
        assert field(app).value == "12"  # where most connected learners are
        await pilot.press("enter")
        await pilot.pause()
        assert server.line() == command_line("hold", step=12)
        assert notes(app)[-1] == "Sent: hold the class at step 12"
        # Typed over the offered step.
        await opened(app, pilot, "h", StepDialog)
        await pilot.press("7", "enter")
        await pilot.pause()
        assert server.line() == command_line("hold", step=7)
        # The server says the class is held: the header says so, and h releases it.
        await shown(app, pilot, server, with_fields(hold=7))
        assert "held at step 7" in header(app)
        await pilot.press("h")
        await pilot.pause()
        assert not isinstance(app.screen, StepDialog)  # no question asked
        assert server.line() == command_line("hold", step=None)
        assert notes(app)[-1] == "Sent: release the hold"
        await shown(app, pilot, server, with_fields(hold=None))
        assert "held" not in header(app)


# --- m: broadcast ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_m_broadcasts_a_line_and_empty_clears_it(pair: tuple[Server, ClassChannel],
                                                       size: tuple[int, int]) -> None:
    server, channel = pair
    app = ClassViewApp(channel, clock=lambda: 0.0)
    async with app.run_test(size=size, notifications=True) as pilot:
        await shown(app, pilot, server, CLASS)
        await opened(app, pilot, "m", BroadcastDialog)
        assert isinstance(app.screen, BroadcastDialog)
        await seen(app, pilot, "Message to the class")
        await typed(pilot, "Look at slide 3")
        await pilot.press("enter")
        await pilot.pause()
        assert server.line() == command_line("broadcast", text="Look at slide 3")
        assert notes(app)[-1] == "Sent: message “Look at slide 3”"
        # The message on show comes back in the snapshot: a line under the header.
        await shown(app, pilot, server, with_fields(broadcast="Look at slide 3"))
        lines = screen_text(app).splitlines()
        assert "Message to the class: Look at slide 3" in lines[1]
        assert all(len(line) <= size[0] for line in lines)
        # m again offers it; emptied, it clears the broadcast.
        await opened(app, pilot, "m", BroadcastDialog)
        assert field(app).value == "Look at slide 3"
        await pilot.press("backspace")  # the offered text is selected: all of it goes
        await pilot.pause()
        assert field(app).value == ""
        await pilot.press("enter")
        await pilot.pause()
        assert server.line() == command_line("broadcast", text=None)
        assert notes(app)[-1] == "Sent: clear the message"
        await shown(app, pilot, server, with_fields(broadcast=None))
        assert "Message to the class" not in screen_text(app)


async def test_a_long_broadcast_is_cut_to_one_line(pair: tuple[Server, ClassChannel]) -> None:
    server, channel = pair
    app = ClassViewApp(channel, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(app, pilot, server, with_fields(broadcast="word " * 40))
        lines = screen_text(app).splitlines()
        assert lines[1].rstrip().endswith("…") and len(lines) == 24
        assert lines[2].startswith("Name")


HOSTILE_PASTES = ["\x1b]2;PWN\x07", "\x1b[31mred", "a\x9bb", "\u202egnp.exe", "tab\there",
                  "\x00", "x" * (MAX_BROADCAST + 1)]


@pytest.mark.parametrize("paste", HOSTILE_PASTES, ids=range(len(HOSTILE_PASTES)))
async def test_the_broadcast_field_refuses_control_characters(
        pair: tuple[Server, ClassChannel], paste: str) -> None:
    server, channel = pair
    app = ClassViewApp(channel, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(app, pilot, server, CLASS)
        await opened(app, pilot, "m", BroadcastDialog)
        await typed(pilot, "ok")
        field(app).post_message(events.Paste(paste))
        await pilot.pause()
        assert field(app).value == "ok"  # the paste refused whole
        field(app).value = "ok" + paste  # nor set by a program
        await pilot.pause()
        assert field(app).value.isprintable() and len(field(app).value) <= MAX_BROADCAST
        field(app).value = "ok"
        await pilot.press("enter")
        await pilot.pause()
        line = server.line()
        assert line == command_line("broadcast", text="ok")
        for raw in (b"\x1b", b"\\u001b", b"\x07", b"\\u0007", b"\\u009b", b"\\u202e"):
            assert raw not in line


async def test_the_broadcast_field_takes_at_most_max_broadcast_characters(
        pair: tuple[Server, ClassChannel]) -> None:
    server, channel = pair
    app = ClassViewApp(channel, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(app, pilot, "m", BroadcastDialog)
        field(app).post_message(events.Paste("é" * MAX_BROADCAST))  # printable, at the limit
        await pilot.pause()
        await typed(pilot, "zz")
        assert field(app).value == "é" * MAX_BROADCAST
        await pilot.press("enter")
        await pilot.pause()
        line = server.line()
        assert line == command_line("broadcast", text="é" * MAX_BROADCAST)
        assert parse_command(line) is not None


# --- e: export ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_e_exports_and_the_paths_are_shown(pair: tuple[Server, ClassChannel],
                                                 size: tuple[int, int]) -> None:
    server, channel = pair
    app = ClassViewApp(channel, clock=lambda: 0.0)
    async with app.run_test(size=size, notifications=True) as pilot:
        await shown(app, pilot, server, CLASS)
        await pilot.press("e")
        await pilot.pause()
        assert server.line() == command_line("export")
        assert notes(app)[-1] == "Sent: export the class's records"
        server.write({"exported": {"csv": "/srv/c/class.csv", "markdown": "/srv/c/class.md"}})
        await until(pilot, lambda: "Exported" in screen_text(app), "the export's notification")
        assert notes(app)[-1] == "CSV: /srv/c/class.csv\nMarkdown: /srv/c/class.md"
        text = screen_text(app)
        assert "/srv/c/class.csv" in text and "/srv/c/class.md" in text


async def test_a_hostile_exported_line_is_shown_cleaned_or_dropped(
        pair: tuple[Server, ClassChannel]) -> None:
    server, channel = pair
    app = ClassViewApp(channel, clock=lambda: 0.0)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await shown(app, pilot, server, CLASS)
        server.sock.sendall(b'{"exported": "nope"}\n{"exported": {"csv": 5}}\nnot json\n')
        server.write({"exported": {"csv": "/x/\x1b]2;PWN\x07.csv", "markdown": "[red]m[/]"}})
        await until(pilot, lambda: bool(notes(app)), "the export's notification")
        assert notes(app) == ["CSV: /x/\ufffd]2;PWN\ufffd.csv\nMarkdown: [red]m[/]"]
        assert "\x1b" not in screen_text(app)


# --- feedback when nothing can be sent ------------------------------------------------------


async def test_a_server_gone_is_said_and_nothing_crashes(
        pair: tuple[Server, ClassChannel]) -> None:
    server, channel = pair
    app = ClassViewApp(channel, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await shown(app, pilot, server, CLASS)
        server.sock.close()
        await until(pilot, lambda: app.lost, "the channel's end seen")
        for key in ("b", "f", "e", "h"):
            await pilot.press(key)
            await pilot.pause()
            if isinstance(app.screen, StepDialog):
                await pilot.press("enter")
                await pilot.pause()
        assert len(notes(app)) == 4
        assert all("the server is gone" in note for note in notes(app))
        assert notes(app)[0] == ("Not sent (everyone to the start of the backward pass): "
                                 "the server is gone")
        assert app.is_running


class FakeSocket:
    """A socket whose send takes ``takes`` bytes at a time, or raises ``error``."""

    def __init__(self, takes: int = 1 << 20, error: type[OSError] | None = None) -> None:
        self.takes, self.error = takes, error
        self.written = b""
        self.calls = 0

    def send(self, data: bytes, flags: int = 0) -> int:
        self.calls += 1
        if self.error is not None:
            raise self.error()
        taken = data[:self.takes]
        self.written += taken
        return len(taken)


def test_send_never_raises_and_finishes_a_partial_line() -> None:
    fake = FakeSocket(takes=10)
    channel = ClassChannel(fake)  # type: ignore[arg-type]
    first = command_line("broadcast", text="a message of some length")
    assert channel.send(first)  # taken in part
    assert fake.written == first[:10]
    assert not channel.send(command_line("export"))  # the first is not out yet: dropped
    while not channel.flush():
        pass
    assert fake.written == first  # whole, and nothing of the dropped line in between
    fake.takes = 1 << 20
    assert channel.send(command_line("export"))
    assert fake.written == first + command_line("export")
    fake.error = BlockingIOError  # a full buffer: dropped, the channel still works
    assert not channel.send(command_line("export")) and not channel.gone
    fake.error = BrokenPipeError  # the server gone: nothing more is tried
    assert not channel.send(command_line("export")) and channel.gone
    calls = fake.calls
    assert not channel.send(command_line("export")) and not channel.flush()
    assert fake.calls == calls


async def test_a_server_not_reading_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeSocket(error=BlockingIOError)
    channel = ClassChannel(fake)  # type: ignore[arg-type]
    monkeypatch.setattr(channel, "start", lambda *args: None)
    monkeypatch.setattr(channel, "close", lambda: None)
    app = ClassViewApp(channel, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert notes(app) == ["Not sent (everyone to the start of the backward pass): the "
                              "server is not reading; try again"]


async def test_a_partial_line_is_finished_without_another_key(
        monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeSocket(takes=4)
    channel = ClassChannel(fake)  # type: ignore[arg-type]
    monkeypatch.setattr(channel, "start", lambda *args: None)
    monkeypatch.setattr(channel, "close", lambda: None)
    app = ClassViewApp(channel, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: fake.written == command_line("export"), "the line out")
        assert notes(app) == ["Sent: export the class's records"]


async def test_commands_wait_while_the_help_is_open() -> None:
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause(0.2)
        for key in ("b", "e", "g", "m"):
            await pilot.press(key)
        await pilot.pause()
        assert app.source.sent == []  # type: ignore[union-attr]
        text = screen_text(app)
        assert "Leading the class" in text or "The class, live" in text
        assert not isinstance(app.screen, (StepDialog, BroadcastDialog))


# --- Chinese ---------------------------------------------------------------------------------


async def test_in_chinese(pair: tuple[Server, ClassChannel]) -> None:
    set_language("zh")
    server, channel = pair
    app = ClassViewApp(channel, clock=lambda: 0.0)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await shown(app, pilot, server, with_fields(hold=7, broadcast="看第 3 页"))
        lines = screen_text(app).splitlines()
        assert "已停在第 7 步" in lines[0]
        assert "给全班的消息：看第 3 页" in lines[1]
        for label in ("到第几步…", "反向", "前向", "停住", "消息…", "导出", "帮助", "退出"):
            assert label in lines[-1], label
        await opened(app, pilot, "g", StepDialog)
        await seen(app, pilot, "全班到第几步", "Enter 发送 · Escape 取消")
        assert isinstance(app.screen, StepDialog)
        assert app.screen.prompt.endswith("。0 到 22 之间的步数：")
        await pilot.press("5", "enter")
        await pilot.pause()
        assert server.line() == command_line("goto", step=5)
        assert notes(app)[-1] == "已发送：全班到第 5 步"
        await pilot.press("b")
        await pilot.pause()
        assert server.line() == command_line("phase", phase="backward")
        assert notes(app)[-1] == "已发送：全班到反向传播的开头"
        await pilot.press("h")  # a hold is on: released
        await pilot.pause()
        assert server.line() == command_line("hold", step=None)
        assert notes(app)[-1] == "已发送：解除停住"
        await opened(app, pilot, "m", BroadcastDialog)
        await seen(app, pilot, "留空则清除消息")
        await pilot.press("escape", "e")
        await pilot.pause()
        assert server.line() == command_line("export")
        assert notes(app)[-1] == "已发送：导出全班的记录"
        server.write({"exported": {"csv": "/c.csv", "markdown": "/c.md"}})
        await until(pilot, lambda: notes(app)[-1].startswith("CSV"), "the export shown")
        assert notes(app)[-1] == "CSV：/c.csv\nMarkdown：/c.md"
        await pilot.press("question_mark")
        await pilot.pause(0.2)
        assert "带领全班" in screen_text(app) or "全班实时视图" in screen_text(app)


# --- the model's side ------------------------------------------------------------------------


@pytest.mark.parametrize(("hold", "expected"), [
    (7, 7), (0, 0), (None, None), (True, None), (-1, None), (10**6, None), ("7", None),
    (7.0, None),
])
def test_the_snapshot_s_hold_is_checked(hold: object, expected: int | None) -> None:
    snapshot = parse_line(json.dumps({"class": with_fields(hold=hold)}))
    assert snapshot is not None and snapshot.hold == expected


@pytest.mark.parametrize(("broadcast", "expected"), [
    ("hello", "hello"), (None, None), ("", None), (5, None), (["x"], None),
    ("\x1b]2;PWN\x07x", "\ufffd]2;PWN\ufffdx"), ("a\nb", "a\ufffdb"),
    ("y" * 500, "y" * MAX_BROADCAST),
])
def test_the_snapshot_s_broadcast_is_checked(broadcast: object, expected: str | None) -> None:
    snapshot = parse_line(json.dumps({"class": with_fields(broadcast=broadcast)}))
    assert snapshot is not None and snapshot.broadcast == expected


def test_without_hold_and_broadcast_a_snapshot_has_neither() -> None:
    snapshot = parse_line(json.dumps({"class": CLASS}))
    assert snapshot is not None and snapshot.hold is None and snapshot.broadcast is None


@pytest.mark.parametrize(("line", "expected"), [
    (b'{"exported": {"csv": "/a.csv", "markdown": "/a.md"}}', Exported("/a.csv", "/a.md")),
    (b'{"exported": {"csv": "/a.csv"}}', None),
    (b'{"exported": {"csv": "", "markdown": "/a.md"}}', None),
    (b'{"exported": {"csv": 1, "markdown": "/a.md"}}', None),
    (b'{"exported": ["/a.csv", "/a.md"]}', None),
    (b'{"exported": {"csv": "/a", "markdown": "/b"}, "more": 1}', None),
    (b'{"class": {"learners": [{"id": "exported"}]}}', None),
    (b'not json "exported"', None),
    (b'{"exported": {"csv": "/a", "markdown": "' + b"m" * 20000 + b'"}}', None),
])
def test_an_exported_line_is_checked(line: bytes, expected: Exported | None) -> None:
    assert parse_exported(line) == expected


def test_the_class_s_total_and_step() -> None:
    snapshot = parse_line(json.dumps({"class": CLASS}))
    assert class_total(snapshot) == 22  # three of four
    assert class_step(snapshot) == 12  # of the connected: 12, 12, 20
    assert class_total(None) is None and class_step(None) is None
    tie = parse_line(json.dumps({"class": {"learners": [
        learner("a", "A", step=4, total=10), learner("b", "B", step=2, total=30)]}}))
    assert class_total(tie) == 30 and class_step(tie) == 2
    nobody = parse_line(json.dumps({"class": {"learners": [
        learner("a", "A", step=None, total=None)]}}))
    assert class_total(nobody) is None and class_step(nobody) is None


def test_the_feed_passes_exports_on_and_keeps_what_is_sent() -> None:
    feed = SnapshotFeed()
    got: list[Exported] = []
    feed.start(lambda snapshot: None, lambda: None, got.append)
    assert feed.push(b'{"exported": {"csv": "/a.csv", "markdown": "/a.md"}}\n')
    assert got == [Exported("/a.csv", "/a.md")]
    assert feed.send(b"x\n") and feed.sent == [b"x\n"]
    feed.end()
    assert not feed.send(b"y\n") and feed.gone and feed.sent == [b"x\n"]


async def test_under_ascii_the_dialogs_and_notifications_are_ascii() -> None:
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0, ascii_only=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.source.push(with_fields(hold=3, broadcast="“quoted” é " + "w " * 60))
        await until(pilot, lambda: app.snapshot is not None, "the snapshot shown")
        await opened(app, pilot, "g", StepDialog)
        text = await seen(app, pilot, "Everyone to step...")
        assert text.isascii(), [c for c in text if not c.isascii()][:5]
        await pilot.press("4", "enter")
        text = await seen(app, pilot, "Sent: everyone to step 4")
        assert text.isascii(), [c for c in text if not c.isascii()][:5]
        assert "held at step 3" in text.splitlines()[0]
        assert app.source.sent == [command_line("goto", step=4)]  # type: ignore[union-attr]


# --- the view as the server runs it -------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "openpty") or not sys.platform.startswith("linux"),
                    reason="a Linux pseudo-terminal")
def test_the_view_on_its_inherited_channel_sends_commands_and_shows_the_export(
        tmp_path: Path) -> None:
    from tests.functional_tests.test_class_view_process import PtyView

    view = PtyView(tmp_path)
    try:
        server = Server(view.server)
        view.read_until("Waiting for the class…")
        server.snapshot(CLASS)
        view.read_until("Ada")
        os.write(view.master, b"b")
        assert server.line() == command_line("phase", phase="backward")
        view.read_until("Sent: everyone to the")  # the notification (wrapped in 40 columns)
        os.write(view.master, b"e")
        assert server.line() == command_line("export")
        server.write({"exported": {"csv": "/srv/c.csv", "markdown": "/srv/c.md"}})
        view.read_until("/srv/c.csv")
        os.write(view.master, b"q")
        assert view.process.wait(PATIENCE) == 0
    finally:
        view.close()
