"""The teacher leads the class (issue 15): a served tutor follows the server's ``lead``,
``hold`` and ``broadcast`` lines (tui/served.py) — a move to a step or to a phase's start, a
hold no forward key passes, a message in the header — and says so in the learner's
language. At 80x24, by Pilot: through the app's handler, and through a real channel."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Iterator

import pytest
from textual.pilot import Pilot

from tests.functional_tests.conftest import make_app, settled, shown_place, walked
from tests.functional_tests.test_sandbox import notices
from tui.app import TutorApp
from tui.i18n import set_language
from tui.screens.lesson import HELD_NOTICE_SECONDS
from tui.served import CHANNEL_ENV, Broadcast, Hold, Lead, lead_line

SIZE = (80, 24)
TIMEOUT = 10.0


def header(text: str) -> str:
    """The header: the screen's first line."""
    return text.splitlines()[0].rstrip()


def toasts(app: TutorApp) -> str:
    """Every toast's text, as one line without spaces (a toast wraps its words)."""
    return "".join(notices(app).split())


def said(app: TutorApp, message: str) -> bool:
    return "".join(message.split()) in toasts(app)


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until ``condition()`` holds, for at most TIMEOUT seconds."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)
    await pilot.pause()


# --- through the app's handler -----------------------------------------------------------------


async def test_a_lead_to_a_step_moves_the_learner_there() -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        app.follow(Lead("step", 5))
        text = await settled(app, pilot)
        assert shown_place(app).k == 4
        assert header(text).endswith("│ step 5 of 22"), header(text)
        assert said(app, "Your teacher moved the class to step 5.")
        # ... and the learner goes on from there, either way.
        await pilot.press("right", "right")
        assert shown_place(app).k == 6
        await pilot.press("left", "left", "left")
        assert shown_place(app).k == 3
        # Beyond the iteration: its end; 0: its start.
        app.follow(Lead("step", 999))
        await pilot.pause()
        assert shown_place(app).k == 21
        app.follow(Lead("step", 0))
        await pilot.pause()
        assert shown_place(app).k == -1


async def test_a_lead_before_the_first_walkthrough_still_lands() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.follow(Lead("step", 5))  # at once: the lesson may still be at its opening
        await walked(app, pilot)
        text = await settled(app, pilot)
        assert shown_place(app).k == 4
        assert header(text).endswith("│ step 5 of 22"), header(text)


async def test_a_lead_to_a_phase_moves_to_its_start() -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        for _ in range(12):
            await pilot.press("right")
        app.follow(Lead("phase", "backward"))
        text = await settled(app, pilot)
        place = shown_place(app)
        assert place.k == 4 and place.walkthrough.phase_of(place.k + 1) == "backward"
        assert header(text).endswith("│ step 5 of 22"), header(text)
        assert app.lesson_screen.pane == "deltas"  # the backward pass's pane, ready
        assert said(app, "Your teacher moved the class to the start of the backward pass.")
        await pilot.press("right")
        assert shown_place(app).phase == "backward"  # its first step comes next
        app.follow(Lead("phase", "forward"))
        await pilot.pause()
        assert shown_place(app).k == -1
        app.follow(Lead("phase", "update"))
        await pilot.pause()
        assert shown_place(app).k == 8


async def test_a_lead_closes_a_quiz_question_about_the_old_place() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walked(app, pilot)
        await pilot.press("k", "right")
        await pilot.pause()
        assert app.lesson_screen.query_one("#answer").display
        app.follow(Lead("step", 5))
        await pilot.pause()
        assert not app.lesson_screen.query_one("#answer").display
        assert shown_place(app).k == 4


async def test_a_hold_stops_every_forward_key_and_a_release_lets_go() -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        app.follow(Hold(3))
        await pilot.pause()
        assert said(app, "Your teacher is holding the class at step 3.")
        for _ in range(5):
            await pilot.press("right")
        text = await settled(app, pilot)
        assert shown_place(app).k == 2
        assert header(text).endswith("│ step 3 of 22"), header(text)
        assert toasts(app).count("holdingtheclass") == 1  # still up: not one more per key
        # Once that toast is gone, the next refused key says it again, once.
        app.clear_notifications()
        app.lesson_screen._held_told -= HELD_NOTICE_SECONDS
        for _ in range(3):
            await pilot.press("right")
        await settled(app, pilot)
        assert shown_place(app).k == 2
        assert toasts(app).count("holdingtheclass") == 1
        assert said(app, "Your teacher is holding the class at step 3.")
        for key in ("right_square_bracket", "pagedown", "end", "space", "n"):
            await pilot.press(key)
            assert shown_place(app).k == 2, key
        app.lesson_screen.go_to_phase("update")  # the palette's phase commands
        await pilot.pause()
        assert shown_place(app).k == 2
        # Back, and forward again up to the hold, still go.
        await pilot.press("left", "left", "right")
        assert shown_place(app).k == 1
        await pilot.press("right_square_bracket")  # the end of the forward pass is past 3
        assert shown_place(app).k == 1
        await pilot.press("right", "right")
        assert shown_place(app).k == 2
        app.follow(Hold(None))
        await pilot.pause()
        assert said(app, "Your teacher released the class.")
        await pilot.press("right")
        assert shown_place(app).k == 3
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert shown_place(app).k == 8


async def test_a_learner_past_the_hold_stays_but_goes_no_further() -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        app.follow(Lead("step", 22))
        await pilot.pause()
        app.follow(Hold(3))
        await pilot.pause()
        assert shown_place(app).k == 21
        await pilot.press("enter")  # the next sample: a later iteration
        assert shown_place(app).k == 21 and shown_place(app).walkthrough.iteration == 0
        await pilot.press("t")  # training would go on from the next sample
        await pilot.pause()
        assert app.screen is app.lesson_screen
        await pilot.press("left", "left")
        assert shown_place(app).k == 19
        await pilot.press("right")
        assert shown_place(app).k == 19
        await pilot.press("home", "right", "right")
        assert shown_place(app).k == 1
        # The teacher's own lead goes past the hold; the hold still holds from there.
        app.follow(Lead("step", 10))
        await pilot.pause()
        assert shown_place(app).k == 9
        await pilot.press("right")
        assert shown_place(app).k == 9


async def test_a_hold_asks_no_quiz_question_past_it() -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        await pilot.press("k")
        app.follow(Hold(0))
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
        assert not app.lesson_screen.query("#answer") or \
            not app.lesson_screen.query_one("#answer").display
        assert shown_place(app).k == -1
        assert said(app, "Your teacher is holding the class at step 0.")


async def test_a_broadcast_shows_in_the_header_and_leaves_the_step_counter_whole() -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        app.follow(Broadcast("[bold]Eyes[/bold] on δ1"))
        line = header(await settled(app, pilot))
        assert line.startswith(" Teacher: [bold]Eyes[/bold] on δ1 │ article"), line
        assert line.endswith("│ step 0 of 22"), line
        assert said(app, "[bold]Eyes[/bold] on δ1") and said(app, "Message from your teacher")
        await pilot.press("right", "right")
        assert header(await settled(app, pilot)).endswith("│ step 2 of 22")
        app.follow(Broadcast("w" * 200))  # the longest: it gives way, the counter does not
        line = header(await settled(app, pilot))
        assert line.startswith(" Teacher: wwww") and "…" in line, line
        assert line.endswith("│ step 2 of 22"), line
        await pilot.press("k")
        line = header(await settled(app, pilot))
        assert line.endswith("│ step 2 of 22 │ quiz 0/0"), line
        app.follow(Broadcast(None))
        line = header(await settled(app, pilot))
        assert "Teacher" not in line and line.startswith(" article"), line


async def test_a_broadcast_under_ascii_is_ascii() -> None:
    app = make_app(ascii_only=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        app.follow(Broadcast("看 δ1 – now"))
        line = header(await settled(app, pilot))
        assert line.startswith(" Teacher: ? delta1 ? now | article"), line
        assert line.endswith("| step 0 of 22") and line.isascii(), line
        assert "?delta1?now" in toasts(app)


async def test_in_chinese() -> None:
    set_language("zh")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        app.follow(Lead("step", 5))
        text = await settled(app, pilot)
        assert header(text).endswith("│ 第 5/22 步"), header(text)
        assert said(app, "老师已把全班带到第 5 步。")
        app.follow(Lead("phase", "backward"))
        await pilot.pause()
        assert said(app, "老师已把全班带到反向传播的开头。")
        app.follow(Hold(5))
        await pilot.press("right")
        assert shown_place(app).k == 4
        assert said(app, "老师让全班停在第 5 步。")
        app.follow(Hold(None))
        await pilot.pause()
        assert said(app, "老师已让全班继续前进。")
        app.follow(Broadcast("看反向传播"))
        line = header(await settled(app, pilot))
        assert line.startswith(" 老师：看反向传播 │ "), line
        assert line.endswith("│ 第 5/22 步"), line
        assert said(app, "老师的消息")
        for english in ("Your teacher", "Teacher", "Message from"):
            assert english not in notices(app) + line, english


# --- through a real channel, as ``serve`` starts a tutor ----------------------------------------


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[socket.socket]:
    """The server's end of a channel whose other end the next tutor takes."""
    ours, theirs = socket.socketpair()
    monkeypatch.setenv(CHANNEL_ENV, str(theirs.detach()))
    yield ours
    ours.close()


async def test_the_teacher_leads_through_the_channel(server: socket.socket) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        server.sendall(b'{"lead": "step", "step": "5"}\n' + lead_line(lead="step", step=5))
        await until(pilot, lambda: shown_place(app).k == 4, "the lead to step 5")
        assert header(await settled(app, pilot)).endswith("│ step 5 of 22")
        server.sendall(lead_line(lead="phase", phase="forward") + lead_line(hold=3))
        await until(pilot, lambda: app.lesson_screen.held == 3, "the hold")
        assert shown_place(app).k == -1
        for _ in range(5):
            await pilot.press("right")
        assert shown_place(app).k == 2
        assert said(app, "Your teacher is holding the class at step 3.")
        await pilot.press("right_square_bracket")
        assert shown_place(app).k == 2
        server.sendall(lead_line(hold=None) + lead_line(broadcast="Now the loss"))
        await until(pilot, lambda: app.lesson_screen.broadcast == "Now the loss",
                    "the broadcast")
        assert app.lesson_screen.held is None
        await pilot.press("right")
        assert shown_place(app).k == 3
        # Each of the teacher's lines replaces the notes before it: none covers the header.
        line = header(await settled(app, pilot))
        assert line.startswith(" Teacher: Now the loss │ ") and \
            line.endswith("│ step 4 of 22"), line
        server.sendall(b'{"broadcast": "\\u001b[2J"}\n' + lead_line(broadcast=None))
        await until(pilot, lambda: app.lesson_screen.broadcast is None, "the broadcast's end")
        assert "Teacher" not in header(await settled(app, pilot))


# --- everyone to a lesson ------------------------------------------------------------------------


async def test_a_lead_to_a_builtin_lesson_starts_it() -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        app.follow(Lead("step", 5))
        app.follow(Lead("lesson", "xor-sigmoid"))
        text = await settled(app, pilot)
        assert app.lesson_screen.lesson.scenario.name == "xor-sigmoid"
        assert shown_place(app).k == -1 and header(text).endswith("step 0 of 50"), header(text)
        assert said(app, "Your teacher moved the class to the lesson xor-sigmoid.")


async def test_a_learner_already_in_the_lesson_keeps_their_place() -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        app.follow(Lead("step", 5))
        app.follow(Lead("lesson", "article"))
        await settled(app, pilot)
        assert shown_place(app).k == 4
        assert said(app, "Your teacher moved the class to the lesson article.")


async def test_a_lead_to_a_folder_lesson_and_to_one_that_cannot_be_opened(
        tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.functional_tests.test_sandbox import lesson_text
    from tui.lessons_dir import LessonsPolicy

    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "week-2.toml").write_text(lesson_text("week-two"), encoding="utf-8")
    (folder / "broken.toml").write_text("learning_rate = [", encoding="utf-8")
    app = make_app(policy=LessonsPolicy(folder, sandbox=True))  # type: ignore[arg-type]
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        app.follow(Lead("lesson", "broken.toml"))
        await settled(app, pilot)
        assert app.lesson_screen.lesson.scenario.name == "article"
        assert said(app, "which this tutor cannot open (broken.toml: not valid TOML")
        app.follow(Lead("lesson", "../../etc/passwd.toml"))
        await settled(app, pilot)
        assert app.lesson_screen.lesson.scenario.name == "article"
        app.follow(Lead("lesson", "week-2.toml"))
        await settled(app, pilot)
        assert app.lesson_screen.lesson.scenario.name == "week-two"
        assert said(app, "Your teacher moved the class to the lesson week-2.toml.")


async def test_without_a_folder_a_file_lesson_is_refused_in_chinese() -> None:
    set_language("zh")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walked(app, pilot)
        app.follow(Lead("lesson", "week-2.toml"))
        await settled(app, pilot)
        assert app.lesson_screen.lesson.scenario.name == "article"
        assert said(app, "老师把全班带到了课程 week-2.toml，但这里无法打开它")
