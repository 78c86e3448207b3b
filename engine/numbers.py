"""One way to write a number, shared by every screen, transcript and export."""

from __future__ import annotations

import math

#: Significant digits shown. Five keep the article's numbers exact (4, −4, 1.4, 7.28, 158.82)
#: and show sigmoid outputs to the precision a learner can check by hand.
SIGNIFICANT_DIGITS = 5

MINUS = "\u2212"
_FORMAT = f".{SIGNIFICANT_DIGITS}g"


def fmt(value: float) -> str:
    """Format a number for display: ``4``, ``−4``, ``1.4``, ``0.57444``, ``inf``, ``nan``.

    Uses a true minus sign so columns of signed numbers read cleanly; :func:`engine.text.to_ascii`
    turns it back into ``-`` for ASCII terminals.
    """
    # format() alone writes nan, inf and -inf as wanted, and is most of the cost: a large
    # lesson's transcript formats tens of millions of numbers.
    text = format(value, _FORMAT)
    if text == "-0":
        return "0"
    return text.replace("-", MINUS)


def factor(value: float) -> str:
    """Format a number that is multiplied by something: negatives get parentheses, ``(−4)``."""
    text = fmt(value)
    return f"({text})" if text.startswith(MINUS) else text


def json_number(value: float) -> float | str:
    """A JSON-safe number: non-finite values become the strings ``nan``, ``inf``, ``-inf``."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return float(value)
