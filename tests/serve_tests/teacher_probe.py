"""A stand-in class view for tests/serve_tests/test_teacher.py: waits for a class with a
learner in it, then leads (hold, broadcast, goto, a line that is no command, export) and
writes what the server answers to its terminal."""

from __future__ import annotations

import json
import os
import socket

from tui.served import command_line


def main(args: list[str]) -> int:
    """Lead once a learner is in the class; echo the server's lines that are not the class."""
    with socket.socket(fileno=int(os.environ["BACKPROP_TUTOR_CHANNEL"])) as sock:
        pending, led = b"", False
        while True:
            data = sock.recv(65536)
            if not data:
                return 0
            *lines, pending = (pending + data).split(b"\n")
            for line in lines:
                message = json.loads(line)
                if "class" in message:
                    snapshot = message["class"]
                    print(f"class {len(snapshot['learners'])} hold {snapshot['hold']} "
                          f"broadcast {snapshot['broadcast']}", flush=True)
                    if snapshot["learners"] and not led:
                        led = True
                        sock.sendall(command_line("hold", step=3)
                                     + command_line("broadcast", text="Look up")
                                     + b'{"command": "shell", "cmd": "ls"}\n'
                                     + command_line("goto", step=5)
                                     + command_line("export"))
                else:
                    print("got " + line.decode(), flush=True)
