"""One line per connect and disconnect: JSON lines in the ``--log`` file (for the teacher's
scripts) and a human-readable line on stderr (for the teacher watching)."""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime, timezone
from typing import IO, Any

from tui.i18n import t


class SessionLog:
    """Where the server says who came and went."""

    def __init__(self, path: str | None = None, stderr: IO[str] | None = None) -> None:
        """``path``: the JSON lines file, appended to (made with mode 0600: it names
        learners and their addresses)."""
        self.stderr = stderr if stderr is not None else sys.stderr
        self._file: IO[str] | None = None
        if path is not None:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self._file = os.fdopen(fd, "a", encoding="utf-8")

    def event(self, event: str, **fields: Any) -> None:
        """Write one event: ``connect``, ``disconnect``, ``refused``."""
        record = {"time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                  "event": event, **fields}
        if self._file is not None:
            try:
                self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
                self._file.flush()
            except OSError as error:  # a full disk: the class goes on, the teacher is told
                self.say(f"--log: {error.strerror or error}")
        self.say(t(f"serve.log.{event}", **{k: _plain(v) for k, v in fields.items()}))

    def say(self, text: str) -> None:
        """A line on stderr, with the time."""
        stamp = time.strftime("%H:%M:%S")
        try:
            print(f"{stamp} {text}", file=self.stderr, flush=True)
        except (OSError, ValueError):  # stderr gone: the server goes on
            pass

    def close(self) -> None:
        """Close the JSON lines file."""
        if self._file is not None:
            self._file.close()
            self._file = None


def _plain(value: Any) -> str:
    """A value for a human line: sizes as COLSxROWS, nothing as -."""
    if value is None:
        return "-"
    if isinstance(value, (list, tuple)):
        return "x".join(str(v) for v in value)
    return str(value)
