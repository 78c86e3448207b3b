"""Simplified Chinese messages for symbols: merged into :mod:`tui.i18n.zh`."""

MESSAGES: dict[str, str] = {}
