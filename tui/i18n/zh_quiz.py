"""Simplified Chinese messages for quiz: merged into :mod:`tui.i18n.zh`."""

MESSAGES: dict[str, str] = {}
