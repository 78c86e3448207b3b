"""English messages for quiz: merged into :mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {}
