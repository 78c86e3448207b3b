"""The server's parts one by one: names, durations, addresses, the child's terminal and
environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.serve.auth import learner_dir, learner_name, password_matches
from tui.serve.child import checked_term, child_environment, clamp
from tui.serve.options import format_duration, parse_address, parse_duration
from tui.serve.sessions import warning_lead


@pytest.mark.parametrize(("given", "name"), [
    ("alice", "alice"),
    ("Bob_2.x-y", "Bob_2.x-y"),
    ("..", "learner"),
    ("../../etc", "etc"),
    (".hidden", "hidden"),
    ("a/b\\c d\x1b[31m", "abcd31m"),
    ("李雷", "learner"),
    ("", "learner"),
    ("x" * 40, "x" * 32),
])
def test_learner_names_are_safe_directory_names(given: str, name: str) -> None:
    assert learner_name(given) == name
    assert learner_dir(Path("/s"), given) == Path("/s/learners") / name


def test_durations() -> None:
    assert [parse_duration(d) for d in ("30s", "30m", "4h", "90", "1.5m")] == \
        [30, 1800, 14400, 90, 90]
    for bad in ("", "0", "0s", "-1m", "4d", "m", "1 h h"):
        with pytest.raises(ValueError):
            parse_duration(bad)
    assert [format_duration(s) for s in (1, 59.6, 61, 3725)] == ["1s", "1m00s", "1m01s",
                                                                  "1h02m"]


def test_warnings_come_a_minute_early_or_at_half_a_short_timeout() -> None:
    assert warning_lead(1800) == 60
    assert warning_lead(1) == 0.5


def test_addresses_default_to_loopback() -> None:
    assert parse_address("2222") == ("127.0.0.1", 2222)
    assert parse_address("0") == ("127.0.0.1", 0)
    assert parse_address("0.0.0.0:22") == ("0.0.0.0", 22)
    assert parse_address("[::1]:2222") == ("::1", 2222)
    for bad in ("", "x", ":22", "host:", "host:65536", "host:-1"):
        with pytest.raises(ValueError):
            parse_address(bad)


def test_term_and_sizes_are_checked() -> None:
    assert checked_term("xterm-kitty") == "xterm-kitty"
    assert checked_term("screen.xterm-256color") == "screen.xterm-256color"
    for bad in (None, "", "../../tmp/evil", "x" * 65, "xterm\x1b]0;hi\x07", "a b"):
        assert checked_term(bad) == "xterm-256color"
    assert [clamp(n) for n in (0, 1, 80, 1000, 65535)] == [1, 1, 80, 1000, 1000]


def test_the_child_environment_is_minimal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "999")
    monkeypatch.setenv("SECRET_TOKEN", "s3cret")
    client = {"LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8", "COLORTERM": "truecolor",
              "LD_PRELOAD": "/tmp/evil.so", "PYTHONSTARTUP": "/tmp/evil.py",
              "LC_CTYPE": "bad value; rm", "TERM": "vt100", "LINES": "5"}
    env = child_environment(client, "xterm", Path("/state/learners/ann"))
    assert env["LANG"] == env["LC_ALL"] == "zh_CN.UTF-8"
    assert env["COLORTERM"] == "truecolor"
    assert env["TERM"] == "xterm"
    assert env["HOME"] == "/state/learners/ann"
    assert env["XDG_STATE_HOME"] == "/state/learners/ann/state"
    assert env["BACKPROP_TUTOR_SAVE_DIR"] == "/state/learners/ann/saved"
    for absent in ("COLUMNS", "LINES", "SECRET_TOKEN", "LD_PRELOAD", "PYTHONSTARTUP",
                   "LC_CTYPE"):
        assert absent not in env


def test_passwords_compare_exactly() -> None:
    assert password_matches("open sesame", "open sesame")
    assert not password_matches("open sesame", "open sesame ")
    assert not password_matches("é", "e")
