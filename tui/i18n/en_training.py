"""English messages of the training view (issue 5): merged into :mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {}
