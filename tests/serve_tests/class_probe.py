"""A stand-in for the tutor in tests/serve_tests/test_class_reports.py: it reports on its
channel to the server as a tutor does (tui/served.py), or misbehaves, by the learner's name
(its home folder's): ``garbage...`` writes 10 MB that is no report, ``flood...`` sends a
thousand good reports at once, anyone else a few steps and answers. Then it echoes each key
on its terminal (``key X``), each ``n`` moves it a step on (a place report), and ``r`` shows
what the server sent it (``got ...``)."""

from __future__ import annotations

import os
import socket
import tty
from pathlib import Path

from tui.served import CHANNEL_ENV, report_line

LESSON = "article"
GARBAGE = 10 * 1024 * 1024
FLOOD = 1000


def _say(text: str) -> None:
    os.write(1, (text + "\r\n").encode())


def _place(step: int, phase: str | None = "forward") -> bytes:
    return report_line("place", lesson=LESSON, iteration=0, step=step, total=22, phase=phase)


def _answer(step: int, phase: str, outcome: str, first_try: bool,
            slips: list[str]) -> bytes:
    return report_line("answer", lesson=LESSON, iteration=0, step=step, phase=phase,
                       outcome=outcome, first_try=first_try, slips=slips)


def main(args: list[str]) -> int:
    tty.setraw(0)  # as the tutor does: the server gives it keys from then on
    channel = socket.socket(fileno=int(os.environ[CHANNEL_ENV]))
    who = Path(os.environ["HOME"]).name
    step = 3
    try:
        if who.startswith("garbage"):
            channel.sendall(_place(1))
            channel.sendall(b"\x00garbage" * (GARBAGE // 8))  # no end of line in 10 MB
            channel.sendall(_place(2))
        elif who.startswith("flood"):
            channel.sendall(b"".join(_place(k) for k in range(FLOOD)))
        else:
            channel.sendall(_place(1) + _answer(1, "forward", "right", True, []) +
                            _place(2) + _answer(2, "loss", "wrong", True, ["half"]) +
                            _answer(2, "loss", "right", False, []) +
                            _place(3, "delta") + _answer(3, "delta", "revealed", True, []) +
                            report_line("training", lesson=LESSON, epochs=5))
    except OSError as error:  # cut off by the server: the tutor goes on all the same
        _say(f"channel: {type(error).__name__}")
    _say(f"{who} sent")
    while True:
        keys = os.read(0, 1024)
        if not keys:
            return 0
        for key in keys.decode(errors="replace"):
            _say(f"key {key}")
            if key == "n":
                step += 1
                try:
                    channel.sendall(_place(step))
                except OSError as error:
                    _say(f"channel: {type(error).__name__}")
            elif key == "r":  # what the server sent, if anything
                channel.setblocking(False)
                try:
                    _say("got " + channel.recv(4096).decode(errors="replace").strip())
                except OSError as error:
                    _say(f"nothing: {type(error).__name__}")
                channel.setblocking(True)
