"""English messages for progress: merged into :mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {}
