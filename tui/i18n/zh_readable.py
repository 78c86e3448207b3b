"""Simplified Chinese messages for readable: merged into :mod:`tui.i18n.zh`."""

MESSAGES: dict[str, str] = {}
