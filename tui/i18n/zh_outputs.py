"""Simplified Chinese messages for outputs: merged into :mod:`tui.i18n.zh`."""

MESSAGES: dict[str, str] = {}
