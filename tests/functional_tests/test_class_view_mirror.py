"""The class view's mirror of a learner's screen (tui/teacher/mirror.py), driven by a
SnapshotFeed: ⏎ on the highlighted row asks the server for that learner's screen and opens
it; what the server sends is drawn cell for cell; Esc or q goes back and stops the copy; the
class's keys do nothing meanwhile; a screen bigger than the view scrolls."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.functional_tests.test_class_view_snapshots import CLASS
from tests.screen_text import screen_text
from tui.i18n import set_language
from tui.served import command_line
from tui.teacher.app import PER_SECOND, ClassViewApp
from tui.teacher.channel import SnapshotFeed
from tui.teacher.mirror import MirrorScreen, MirrorView

SMALL = (80, 24)
TURN = 1 / PER_SECOND + 0.1
#: A learner's screen, as a tutor would write it: colours, bold, Chinese, a line further down.
LEARNER_SCREEN = ("\x1b[2J\x1b[H\x1b[1;37;44m article │ step 3 of 22 \x1b[0m\r\n"
                  "\x1b[32mZ3 = Σ w·X = 1\x1b[0m\r\n第三步：前向传播\r\n"
                  "\x1b[6;1H\x1b[7m → Next  q Quit \x1b[0m").encode()


def mirror_line(learner: str, size: list[int] | None) -> str:
    return json.dumps({"mirror": {"learner": learner, "size": size}}) + "\n"


def screen_bytes(data: bytes) -> bytes:
    return b'{"screen": "' + base64.b64encode(data) + b'"}\n'


async def class_shown(app: ClassViewApp, pilot: Any) -> SnapshotFeed:
    feed = app.source
    assert isinstance(feed, SnapshotFeed)
    feed.push(CLASS)
    await pilot.pause(TURN)
    await pilot.pause()
    return feed


async def watching(app: ClassViewApp, pilot: Any, *keys: str) -> SnapshotFeed:
    """The class shown, then ``keys`` (to the row), then ⏎."""
    feed = await class_shown(app, pilot)
    await pilot.press(*keys, "enter")
    await pilot.pause()
    assert isinstance(app.screen, MirrorScreen)
    return feed


async def drawn(pilot: Any) -> None:
    await pilot.pause(0.15)
    await pilot.pause()


async def test_enter_watches_the_highlighted_learner_and_escape_stops() -> None:
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0)
    async with app.run_test(size=SMALL) as pilot:
        feed = await watching(app, pilot, "down")  # the second row: Alan
        assert feed.sent[-1] == command_line("mirror", learner="alan")
        text = screen_text(app)
        assert "Alan's screen" in text and "read-only" in text
        assert "Waiting for Alan's screen" in text
        feed.push(mirror_line("alan", [40, 6]))
        feed.push(screen_bytes(LEARNER_SCREEN))
        await drawn(pilot)
        lines = screen_text(app).splitlines()
        assert "40×6" in lines[0]
        assert lines[1].startswith(" article │ step 3 of 22")
        assert lines[2].startswith("Z3 = Σ w·X = 1") and lines[3].startswith("第三步：前向传播")
        assert lines[6].startswith(" → Next  q Quit")
        assert "Waiting" not in screen_text(app)
        # More bytes change the row they write, in place.
        feed.push(screen_bytes(b"\x1b[2;1H\x1b[KZ3 = 2"))
        await drawn(pilot)
        assert screen_text(app).splitlines()[2].startswith("Z3 = 2 ")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MirrorScreen)
        assert feed.sent[-1] == command_line("mirror", learner=None)
        assert app.watching is None and "Alan" in screen_text(app)


async def test_q_goes_back_to_the_class_and_w_watches_too() -> None:
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0)
    async with app.run_test(size=SMALL) as pilot:
        feed = await class_shown(app, pilot)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, MirrorScreen) and app.watching == "ada"
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, MirrorScreen)
        assert feed.sent == [command_line("mirror", learner="ada"),
                             command_line("mirror", learner=None)]


async def test_the_class_keys_do_nothing_while_a_learner_is_watched() -> None:
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0)
    async with app.run_test(size=SMALL) as pilot:
        feed = await watching(app, pilot)
        sent = len(feed.sent)
        await pilot.press("g", "h", "m", "e", "b", "n", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MirrorScreen) and len(app.screen_stack) == 2
        assert len(feed.sent) == sent
        footer = screen_text(app).splitlines()[-1]
        assert "Back" in footer and "To step" not in footer and "Export" not in footer


async def test_a_learner_not_connected_is_said_so() -> None:
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0)
    async with app.run_test(size=SMALL) as pilot:
        feed = await watching(app, pilot, "down", "down")  # Bob, not connected
        feed.push(mirror_line("bob", None))
        await drawn(pilot)
        assert "Bob is not connected" in screen_text(app)
        # They come back: their screen shows.
        feed.push(mirror_line("bob", [30, 3]))
        feed.push(screen_bytes(b"back again"))
        await drawn(pilot)
        assert "not connected" not in screen_text(app)
        assert screen_text(app).splitlines()[1].startswith("back again")


async def test_another_learners_screen_never_shows() -> None:
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0)
    async with app.run_test(size=SMALL) as pilot:
        feed = await watching(app, pilot)  # Ada
        feed.push(mirror_line("alan", [30, 3]))
        feed.push(screen_bytes(b"alan's secret"))
        await drawn(pilot)
        assert "alan's secret" not in screen_text(app)
        assert "Waiting for Ada Lovelace's screen" in screen_text(app)


async def test_a_screen_bigger_than_the_view_scrolls() -> None:
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0)
    async with app.run_test(size=SMALL) as pilot:
        feed = await watching(app, pilot)
        feed.push(mirror_line("ada", [200, 60]))
        rows = b"".join(f"\x1b[{y + 1};1Hrow {y:02d}".encode() + b"-" * 150 + b"end"
                        for y in range(60))
        feed.push(screen_bytes(rows))
        await drawn(pilot)
        text = screen_text(app)
        assert "row 00" in text and "row 59" not in text and "end" not in text
        await pilot.press("end")
        await pilot.pause()
        assert "row 59" in screen_text(app)
        view = app.screen.query_one(MirrorView)
        for _ in range(130):
            await pilot.press("right")
        await pilot.pause()
        assert view.scroll_offset.x > 100 and "end" in screen_text(app)


async def test_in_chinese() -> None:
    set_language("zh")
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0)
    async with app.run_test(size=SMALL) as pilot:
        feed = await watching(app, pilot, "down")
        assert "Alan 的屏幕" in screen_text(app) and "只读" in screen_text(app)
        feed.push(mirror_line("alan", None))
        await drawn(pilot)
        assert "Alan 未连接" in screen_text(app) and "返回" in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_mirror_snapshot(snap_compare, size: tuple[int, int]) -> None:
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0)

    async def watched(pilot) -> None:  # type: ignore[no-untyped-def]
        feed = await watching(app, pilot, "down")
        feed.push(mirror_line("alan", [60, 8]))
        feed.push(screen_bytes(LEARNER_SCREEN))
        await drawn(pilot)

    assert snap_compare(app, run_before=watched, terminal_size=size)


async def test_the_highlight_stays_in_view_and_picks_the_learner_watched() -> None:
    from tests.functional_tests.class_data import learner
    from tui.teacher.widgets import LearnerTable

    many = {"learners": [learner(f"l{n:02d}", f"Learner {n:02d}") for n in range(40)],
            "slips": [], "time": CLASS["time"]}
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0)
    async with app.run_test(size=SMALL) as pilot:
        feed = app.source
        assert isinstance(feed, SnapshotFeed)
        feed.push(many)
        await pilot.pause(1 / PER_SECOND + 0.1)
        await pilot.press(*["down"] * 30)
        await pilot.pause()
        table = app.query_one(LearnerTable)
        assert table.cursor_row == 30 and table.scroll_y > 0
        assert "Learner 30" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert feed.sent[-1] == command_line("mirror", learner="l30")
