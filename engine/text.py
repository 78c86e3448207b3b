"""ASCII fallbacks for the non-ASCII symbols of the engine's formulas and of the app's words
and marks (arrows, the step marker, box lines), for ``--ascii``."""

from __future__ import annotations

_ASCII = str.maketrans(
    {
        "\u2212": "-",  # minus sign
        "\u00b7": "*",  # middle dot
        "\u03a3": "sum",  # capital sigma
        "\u03c3": "sig",  # small sigma (the logistic function)
        "\u03b4": "delta",
        "\u03b1": "a",  # alpha (learning rate)
        "\u00bd": "1/2",
        "\u00b2": "^2",
        "\u2190": "<-",
        "\u2192": "->",
        "\u2264": "<=",
        "\u2265": ">=",
        "\u2248": "~",
        "\u2026": "...",
        "\u2032": "'",
        "\u2502": "|",
        "\u2202": "d",
        "\u00d7": "x",
        "\u23ce": "Enter",
        "\u2191": "Up",
        "\u2193": "Down",
        "\u25b6": ">",
        # a weight's bar in the network diagram, by |w| (tui/widgets/diagram.py draws the same)
        "\u2582": "_",
        "\u2584": ":",
        "\u2586": "|",
        "\u2588": "#",
    }
)


def to_ascii(text: str) -> str:
    """Rewrite engine text with ASCII characters only, for old terminals and fonts."""
    return text.translate(_ASCII)
