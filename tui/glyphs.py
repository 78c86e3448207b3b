"""The few symbols the app draws, with ASCII stand-ins for old terminals and fonts."""

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
        return ">" if self.ascii_only else "\u25b6"

    @property
    def warning(self) -> str:
        """Marks an erratum note, so it stands out without colour too (one cell wide in every
        terminal, unlike the warning-sign emoji)."""
        return "!!"

    @property
    def placeholder(self) -> str:
        """Stands in for a number not computed yet."""
        return "." if self.ascii_only else "\u00b7"

    def text(self, text: str) -> str:
        """Engine or catalogue text, made ASCII when asked."""
        return to_ascii(text) if self.ascii_only else text
