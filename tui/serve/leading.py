"""The teacher leads the class (issue 15): a command from the class view (tui/served.py's
``parse_command``) becomes a line to every learner's tutor, and the hold and the broadcast
are kept, so that a learner who joins later gets them too; an export writes the class's
quiz results where the teacher can take them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from tui.serve.classroom import Classroom
from tui.served import lead_line


class Learner(Protocol):
    """What leading needs of a learner's session (tui.serve.session.LearnerSession)."""

    def tell(self, line: bytes) -> None:
        """Send the tutor one line on its channel (dropped if it cannot take it now)."""


def lines_for(command: dict[str, object]) -> list[bytes]:
    """What every tutor is sent for ``command`` (none for an export)."""
    kind = command["command"]
    if kind == "goto":
        return [lead_line(lead="step", step=command["step"])]
    if kind == "phase":
        return [lead_line(lead="phase", phase=command["phase"])]
    if kind == "lesson":
        return [lead_line(lead="lesson", lesson=command["lesson"])]
    if kind == "hold":
        return [lead_line(hold=command["step"])]
    if kind == "broadcast":
        return [lead_line(broadcast=command["text"])]
    return []


def joining_lines(classroom: Classroom) -> list[bytes]:
    """What a tutor that starts now is sent: the class's hold and broadcast, if any."""
    lines = []
    if classroom.hold is not None:
        lines.append(lead_line(hold=classroom.hold))
    if classroom.broadcast is not None:
        lines.append(lead_line(broadcast=classroom.broadcast))
    return lines


def lead(command: dict[str, object], classroom: Classroom,
         learners: Iterable[Learner]) -> None:
    """Carry ``command`` out: the class's state first, then every tutor told."""
    kind = command["command"]
    if kind == "hold":
        classroom.lead(command["step"], classroom.broadcast)  # type: ignore[arg-type]
    elif kind == "broadcast":
        classroom.lead(classroom.hold, command["text"])  # type: ignore[arg-type]
    for line in lines_for(command):
        for learner in learners:
            learner.tell(line)


def export(classroom: Classroom, folder: Path) -> dict[str, str]:
    """Write the class's quiz results as CSV and markdown into ``folder`` (made 0700, files
    0600, never over an existing file); their paths."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    written: dict[str, str] = {}
    for kind, suffix, text in (("csv", "csv", classroom.results_csv()),
                               ("markdown", "md", classroom.results_markdown())):
        for n in range(100):
            path = folder / f"class-{stamp}{'' if n == 0 else f'-{n}'}.{suffix}"
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
            written[kind] = str(path)
            break
    return written
