"""English messages for symbols: merged into :mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {}
