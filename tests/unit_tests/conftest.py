"""Walkthroughs many unit tests read, made once per module."""

from __future__ import annotations

import pytest

from engine import Walkthrough, builtin, walk


@pytest.fixture(scope="module")
def article() -> Walkthrough:
    """The article's first iteration."""
    return walk(builtin("article"))


@pytest.fixture(scope="module")
def xor() -> Walkthrough:
    """The xor-sigmoid lesson's first (batch) iteration."""
    return walk(builtin("xor-sigmoid"))
