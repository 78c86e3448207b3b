"""A stand-in learner's tutor for tests/serve_tests/test_teacher.py: says it is ready, then
writes every line the server sends on its channel to its terminal."""

from __future__ import annotations

import os
import socket


def main(args: list[str]) -> int:
    """Echo the channel's lines until the server closes it."""
    print("ready", flush=True)
    with socket.socket(fileno=int(os.environ["BACKPROP_TUTOR_CHANNEL"])) as sock:
        pending = b""
        while True:
            data = sock.recv(4096)
            if not data:
                return 0
            *lines, pending = (pending + data).split(b"\n")
            for line in lines:
                print("got " + line.decode(), flush=True)
