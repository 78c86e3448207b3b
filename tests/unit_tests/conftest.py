"""Walkthroughs many unit tests read, made once per module."""

from __future__ import annotations

import pytest

from engine import Walkthrough, builtin, walk


@pytest.fixture(autouse=True)
def state_into_tmp(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The learner's progress (tui/progress.py) goes to a temporary directory, never into the
    real home."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture(scope="module")
def article() -> Walkthrough:
    """The article's first iteration."""
    return walk(builtin("article"))


@pytest.fixture(scope="module")
def xor() -> Walkthrough:
    """The xor-sigmoid lesson's first (batch) iteration."""
    return walk(builtin("xor-sigmoid"))
