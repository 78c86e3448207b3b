"""Checks that hold for the whole test run."""

from __future__ import annotations

from pathlib import Path

import pytest

#: The checkout's top directory: a test that saves or takes a screenshot without pointing
#: BACKPROP_TUTOR_SAVE_DIR elsewhere writes here (and such files were once committed).
TOP = Path(__file__).resolve().parent.parent
_before: set[str] = set()


def pytest_sessionstart(session: pytest.Session) -> None:
    """Note what the top directory holds before any test runs."""
    _before.update(p.name for p in TOP.iterdir())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when tests left files in the top directory."""
    left = sorted(p.name for p in TOP.iterdir() if p.name not in _before)
    left = [name for name in left if not name.startswith(".")]  # .hypothesis, caches
    if left:
        writer = session.config.get_terminal_writer()
        writer.line()
        writer.line(
            f"tests left files in {TOP}: {', '.join(left[:10])}"
            + (f" and {len(left) - 10} more" if len(left) > 10 else ""),
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
