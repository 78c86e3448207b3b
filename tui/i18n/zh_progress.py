"""Simplified Chinese messages for progress: merged into :mod:`tui.i18n.zh`."""

MESSAGES: dict[str, str] = {}
