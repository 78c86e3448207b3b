"""A served tutor reports its learner's progress to the server on its private channel (the
teacher's view of the class): the place as the learner steps, the quiz's answers, training
runs; every line one the server accepts. A local tutor sends nothing. At 80x24, by Pilot."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Iterator

import pytest
from textual.pilot import Pilot

from tests.functional_tests.conftest import make_app, shown_place
from tests.functional_tests.test_quiz_screen import ask_step
from tui.served import CHANNEL_ENV, parse_report

SIZE = (80, 24)
TIMEOUT = 10.0

Report = dict[str, object]


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[socket.socket]:
    """The server's end of a channel whose other end the next tutor takes, as one started
    by ``backprop-tutor serve`` does."""
    ours, theirs = socket.socketpair()
    monkeypatch.setenv(CHANNEL_ENV, str(theirs.detach()))
    ours.setblocking(False)
    yield ours
    ours.close()


class Reports:
    """The reports read from the server's end so far, each checked as the server checks it."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.pending = b""
        self.all: list[Report] = []

    def read(self) -> list[Report]:
        """Everything that has come, as reports (a line the server would refuse fails)."""
        try:
            while data := self.sock.recv(1 << 16):
                self.pending += data
        except BlockingIOError:
            pass
        *lines, self.pending = self.pending.split(b"\n")
        for line in lines:
            report = parse_report(line + b"\n")
            assert report is not None, f"the server would cut the tutor off for {line!r}"
            self.all.append(report)
        return self.all

    def of(self, kind: str) -> list[Report]:
        return [report for report in self.read() if report["report"] == kind]

    async def wait_for(self, pilot: Pilot[None], condition: Callable[[], bool],
                       what: str) -> None:
        """Let the app run until ``condition()`` holds, for at most TIMEOUT seconds."""
        deadline = time.monotonic() + TIMEOUT
        while not condition():
            assert time.monotonic() < deadline, f"timed out waiting for {what}: {self.all}"
            await asyncio.sleep(0.02)


def place(step: int, phase: str | None, iteration: int = 0, total: int = 22,
          lesson: str = "article") -> Report:
    return {"report": "place", "lesson": lesson, "iteration": iteration, "step": step,
            "total": total, "phase": phase}


async def test_the_place_is_reported_as_the_learner_steps(server: socket.socket) -> None:
    reports = Reports(server)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await reports.wait_for(pilot, lambda: bool(reports.of("place")), "the start")
        assert reports.of("place")[0] == place(0, None)
        await pilot.press("right", "right", "right")
        await pilot.pause(0.3)
        await reports.wait_for(pilot, lambda: reports.of("place")[-1]["step"] == 3,
                               "step 3")
        await pilot.pause(0.3)
        places = reports.of("place")
        assert places[-1] == place(3, "forward")
        assert len(places) <= 4
        assert all(a != b for a, b in zip(places, places[1:])), "a place sent twice"
        # A held key: many steps, few reports, the last one where the learner stopped.
        for _ in range(15):
            app.simulate_key("right")
        await reports.wait_for(pilot, lambda: shown_place(app).k == 17, "step 18")
        await reports.wait_for(pilot, lambda: reports.of("place")[-1]["step"] == 18,
                               "the last place")
        assert len(reports.of("place")) < len(places) + 15
        assert reports.of("place")[-1] == place(18, "update")
        # Another lesson: the corrected rule at the same place, then another's start.
        await pilot.press("c")
        await reports.wait_for(
            pilot, lambda: reports.of("place")[-1]["lesson"] == "article-corrected",
            "the corrected lesson")
        assert reports.of("place")[-1] == place(18, "update", lesson="article-corrected")
        app.lesson_screen.open_lesson("xor-sigmoid")
        await reports.wait_for(
            pilot, lambda: reports.of("place")[-1]["lesson"] == "xor-sigmoid", "xor")
        assert reports.of("place")[-1]["step"] == 0
    assert reports.of("answer") == reports.of("training") == []


async def test_quiz_answers_are_reported(server: socket.socket) -> None:
    reports = Reports(server)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        await ask_step(pilot, app, 0)
        await pilot.press("1", "enter")  # Z1: right
        await pilot.press("right", "enter")  # Z2: revealed
        await pilot.press("right", "3", "enter")  # Z3 = 1: wrong, no slip gives 3
        await ask_step(pilot, app, 9)
        await pilot.press("0", ".", "6", "enter")  # the update added
        await reports.wait_for(pilot, lambda: len(reports.of("answer")) == 10, "10 answers")
        answers = reports.of("answer")
        common = {"report": "answer", "lesson": "article", "iteration": 0, "first_try": True}
        assert answers[0] == {**common, "step": 1, "phase": "forward", "outcome": "right",
                              "slips": []}
        assert answers[1] == {**common, "step": 2, "phase": "forward", "outcome": "revealed",
                              "slips": []}
        assert answers[2] == {**common, "step": 3, "phase": "forward", "outcome": "wrong",
                              "slips": []}
        assert [a["outcome"] for a in answers[3:9]] == ["revealed"] * 6
        assert answers[9] == {**common, "step": 10, "phase": "update", "outcome": "wrong",
                              "slips": ["plus_delta_sign"]}
        await reports.wait_for(pilot, lambda: reports.of("place")[-1]["step"] == 10,
                               "the place after the last answer")


async def test_a_training_run_is_reported(server: socket.socket) -> None:
    reports = Reports(server)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("minus", "minus", "enter")  # 10 epochs
        await reports.wait_for(pilot, lambda: bool(reports.of("training")), "the run")
        assert reports.of("training") == [{"report": "training", "lesson": "article",
                                           "epochs": 10}]


async def test_a_local_tutor_sends_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CHANNEL_ENV, raising=False)
    ours, theirs = socket.socketpair()  # a socket the tutor is not told of
    ours.setblocking(False)
    try:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("right", "right", "right", "k", "right", "1", "enter")
            await pilot.pause(0.3)
            assert shown_place(app).k == 3
            assert app._reporter is None
        with pytest.raises(BlockingIOError):
            ours.recv(1)
    finally:
        ours.close()
        theirs.close()


async def test_reports_to_a_server_gone_are_dropped(server: socket.socket) -> None:
    reports = Reports(server)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await reports.wait_for(pilot, lambda: bool(reports.of("place")), "the start")
        server.close()
        await pilot.press("right", "right", "k", "right", "1", "enter")
        await pilot.pause(0.3)
        assert shown_place(app).k == 2
