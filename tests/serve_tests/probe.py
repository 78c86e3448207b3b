"""A stand-in for the tutor in tests/serve_tests/test_child.py: reports, as JSON lines on its
terminal, what a tutor process finds about itself (session, controlling terminal, signals,
environment, window size), then waits; ``main(["SIGHUP", ...])`` ignores those signals."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import struct
import sys
import termios
import time


def _size() -> list[int]:
    rows, cols = struct.unpack("HHHH", fcntl.ioctl(0, termios.TIOCGWINSZ, b"\0" * 8))[:2]
    return [cols, rows]


def main(args: list[str]) -> int:
    """Print the facts, then sleep until a signal ends it."""
    with open("/proc/self/status") as stream:
        status = dict(line.split(":", 1) for line in stream)
    handlers = {name: str(signal.getsignal(getattr(signal, name)))
                for name in ("SIGINT", "SIGHUP", "SIGTERM", "SIGCHLD", "SIGWINCH")}
    facts = {
        "session_leader": os.getsid(0) == os.getpid(),
        "controlling_tty": os.tcgetpgrp(0) == os.getpgrp(),
        "ignored": status["SigIgn"].strip(), "blocked": status["SigBlk"].strip(),
        "handlers": handlers, "env": sorted(os.environ), "size": _size(),
        "cwd": os.getcwd(), "encoding": sys.stdout.encoding, "args": args,
        "fds": sorted(int(fd) for fd in os.listdir("/proc/self/fd")),
    }
    print(json.dumps(facts), flush=True)
    print("wide: 學", flush=True)
    channel = os.environ.get("BACKPROP_TUTOR_CHANNEL")
    if channel is not None:  # echo the server's first line: the channel works both ways
        with socket.socket(fileno=int(channel)) as sock:
            line = sock.recv(4096).decode().strip()
            print(json.dumps({"channel": channel, "line": line}), flush=True)
            sock.sendall(b"back\n")
    # os.write, not print: a second SIGWINCH (the kernel's, then the server's) may come while
    # the first is being printed, and a buffered stream refuses a reentrant call.
    signal.signal(signal.SIGWINCH,
                  lambda *_: os.write(1, (json.dumps({"size": _size()}) + "\r\n").encode()))
    for ignored in args:
        signal.signal(getattr(signal, ignored), signal.SIG_IGN)
    print("ready", flush=True)
    time.sleep(60)
    return 0
