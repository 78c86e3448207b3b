"""Every word the tutor shows, looked up by key in one catalogue per language.

Widgets and transcripts call :func:`t`; no user-facing sentence lives anywhere else. Unit names,
numbers and formulas come from the engine and are never translated.
"""

from __future__ import annotations

from tui.i18n import en

CATALOGUES: dict[str, dict[str, str]] = {"en": en.MESSAGES}
_language = "en"


def set_language(language: str) -> None:
    """Choose the language every later :func:`t` call uses."""
    global _language
    if language not in CATALOGUES:
        raise KeyError(language)
    _language = language


def language() -> str:
    """The language in use."""
    return _language


def t(key: str, **values: object) -> str:
    """The message ``key`` in the current language, with ``{placeholders}`` filled in."""
    text = CATALOGUES[_language].get(key) or CATALOGUES["en"][key]
    return text.format(**values) if values else text
