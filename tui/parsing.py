"""Numbers as a learner types them, for the quiz's answers and the editor's fields."""

from __future__ import annotations

from engine.numbers import MINUS


def parse_number(text: str) -> float | None:
    """``-4``, ``−4``, ``1,4``, ``.5``, ``1e-3`` as a float; None when it is not a number."""
    cleaned = text.strip().replace(MINUS, "-").replace(",", ".").replace(" ", "")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None
