"""English messages for readable: merged into :mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {}
