"""The serve command's settings, parsed without asyncssh (so that ``serve`` without it can
still say how to install it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 2222
#: Tutors that may be starting (imports, first frame) at once: a class joining together
#: must not starve the sessions already running.
MAX_STARTING = 4
LOGIN_TIMEOUT = 30.0
#: Connections still logging in at once: a flood of half-open logins cannot use up the
#: server (each costs a key exchange and some memory) before any learner gets in, while a
#: whole class typing ``ssh`` at the same moment still gets in (bench/serve.py: 60 learners
#: joining at once, 28 of them were turned away with a limit of 32).
MAX_LOGGING_IN = 128
KEEPALIVE_INTERVAL = 30.0
KEEPALIVE_COUNT_MAX = 3

_DURATION = re.compile(r"(\d+(?:\.\d+)?)([smh]?)")
_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float:
    """Seconds in ``30s``, ``30m``, ``4h`` (a bare number is seconds); ValueError otherwise,
    or when it is not above zero."""
    match = _DURATION.fullmatch(text.strip())
    if not match:
        raise ValueError(text)
    seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise ValueError(text)
    return seconds


def format_duration(seconds: float) -> str:
    """``1h02m``, ``5m03s``, ``42s``: short, for logs and messages."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


def parse_address(text: str) -> tuple[str, int]:
    """``[HOST:]PORT`` (``[::1]:2222`` for IPv6) as (host, port); the host defaults to the
    loopback address, so nothing is reachable from the network unless the teacher says so.
    ValueError when the port is not 0 to 65535."""
    host, port = DEFAULT_HOST, text
    if ":" in text:
        host, port = text.rsplit(":", 1)
        host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
        if not host:
            raise ValueError(text)
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(text)
    return host, int(port)


@dataclass(frozen=True)
class ServeOptions:
    """Everything the server needs, checked: what the tutor runs, the limits, where things
    live."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    #: The ``--scenario`` the tutor gets: a built-in lesson's name or an absolute path.
    scenario: str = "article"
    #: The tutor's language when the learner's locale is not Chinese (None: the locale's).
    lang: str | None = None
    ascii_only: bool = False
    max_sessions: int = 50
    idle_timeout: float = 30 * 60.0
    max_duration: float = 4 * 3600.0
    #: The folder of lessons a learner may open besides the built-in ones (None: only those).
    lessons: Path | None = None
    #: Where learners' progress and saved files go: ``<state>/learners/<name>/``.
    state_dir: Path = Path(".")
    password: str | None = None
    #: The SSH user name that opens the class view instead of a tutor (None: no view), and
    #: the password it always needs.
    teacher: str | None = None
    teacher_password: str | None = None
    #: What runs for the teacher (tests put a stand-in here, as for tutor_module).
    teacher_module: str = "tui.teacher.__main__"
    authorized_keys: Path | None = None
    max_starting: int = MAX_STARTING
    max_logging_in: int = MAX_LOGGING_IN
    login_timeout: float = LOGIN_TIMEOUT
    keepalive_interval: float = KEEPALIVE_INTERVAL
    #: Fork tutors from a fork server that has imported everything once (False: spawn each).
    fork_server: bool = True
    #: The web front (``--web``): where it listens (None: no web front).
    web_host: str = DEFAULT_HOST
    web_port: int | None = None
    #: The address learners' browsers use when a proxy stands in front (``--public-url``):
    #: ``http(s)://host[:port]/path/`` (None: whatever address the browser asked for).
    public_url: str | None = None
    #: The class records (``--db``, tui/serve/records.py): an SQLite file (None: the class is
    #: followed in memory only; the command gives ``<state dir>/class.sqlite3``).
    db: Path | None = None
    #: What a tutor runs: ``module.main(args)`` (tests put a stand-in here).
    tutor_module: str = "tui.cli"
