"""The few symbols the tutor draws, and the one switch that makes everything ASCII.

``--ascii`` is chosen once, at start, like the language: :func:`use_ascii` sets it, the
catalogue lookup (:func:`tui.i18n.t`) applies it to every word, and :func:`shown` to the
engine's text (formulas, numbers, unit names) where a widget shows it. Nothing else needs to
know; pure drawing functions (the diagram, the transcripts) take ``ascii_only`` explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.text import to_ascii


@dataclass(frozen=True)
class Glyphs:
    """Symbols and text conversion for one drawing mode (Unicode or ``--ascii``)."""

    ascii_only: bool = False

    @property
    def marker(self) -> str:
        """Marks the current step's row or node, so it stands out without colour too."""
        return ">" if self.ascii_only else "▶"

    @property
    def warning(self) -> str:
        """Marks an erratum note, so it stands out without colour too (one cell wide in every
        terminal, unlike the warning-sign emoji)."""
        return "!!"

    @property
    def placeholder(self) -> str:
        """Stands in for a number not computed yet."""
        return "." if self.ascii_only else "·"

    def text(self, text: str) -> str:
        """Engine or catalogue text, made ASCII when asked."""
        return to_ascii(text) if self.ascii_only else text


_current = Glyphs()


def use_ascii(ascii_only: bool) -> None:
    """Draw everything (words, formulas, marks) with ASCII characters only, or not."""
    global _current
    _current = Glyphs(ascii_only)


def glyphs() -> Glyphs:
    """The drawing mode in use."""
    return _current


def shown(text: str) -> str:
    """Engine text (formulas, numbers, names) as the terminal should get it."""
    return _current.text(text)
