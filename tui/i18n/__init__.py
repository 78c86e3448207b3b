"""Every word the tutor shows, looked up by key in one catalogue per language.

Widgets and transcripts call :func:`t`; no user-facing sentence lives anywhere else. Unit names,
numbers and formulas come from the engine and are never translated.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from engine.scenario_errors import ScenarioError
from tui.glyphs import shown
from tui.i18n import en, zh

CATALOGUES: dict[str, dict[str, str]] = {"en": en.MESSAGES, "zh": zh.MESSAGES}
LANGUAGES = tuple(CATALOGUES)
_language = "en"


def detect_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for: the first of LC_ALL, LC_MESSAGES, LANG that is set
    decides (as POSIX does); one starting with ``zh`` gives Chinese, anything else English."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") and "zh" in CATALOGUES else "en"
    return "en"


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
    """The message ``key`` in the current language, with ``{placeholders}`` filled in, in
    ASCII when :func:`tui.glyphs.use_ascii` asked for it."""
    text = CATALOGUES[_language].get(key) or CATALOGUES["en"][key]
    return shown(text.format(**values) if values else text)


def describe_error(error: ScenarioError) -> str:
    """A scenario error in the current language."""
    prefix = "error.expected."
    catalogue = CATALOGUES[_language]
    expected = {k[len(prefix):]: v for k, v in catalogue.items() if k.startswith(prefix)}
    problems = {k[11:]: v for k, v in catalogue.items() if k.startswith("error.file.")}
    frames = {k[12:]: v for k, v in catalogue.items() if k.startswith("error.frame.")}
    return shown(error.render(expected, problems, frames))
