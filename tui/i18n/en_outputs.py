"""English messages for outputs: merged into :mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {}
