"""A learner's entry in a class snapshot, as tui.serve.classroom.Classroom.snapshot() makes
it, for the class view's tests."""

from __future__ import annotations

from typing import Any


def learner(key: str, name: str, **fields: Any) -> dict[str, Any]:
    """A learner at the start of the article's lesson, connected, with no answers, but for
    ``fields``."""
    entry = {"id": key, "name": name, "connected": True, "lesson": "article", "iteration": 0,
             "step": 0, "total": 22, "phase": None, "right_first": 0, "answered": 0,
             "revealed": 0, "last_slip": None, "idle_s": 0.0}
    entry.update(fields)
    return entry
