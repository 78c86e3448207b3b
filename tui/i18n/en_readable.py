"""English messages for readable: merged into :mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {
    # the explanation pane, when it holds more than fits
    "ex.more_below": "{mark} more below: shift+↓",
    "ex.more_above": "{mark} more above: shift+↑",
    # an erratum note's first line
    "ex.note_heading": "{mark} {heading}: {title}",
    "key.more_below": "More",
    "key.more_above": "Back up the explanation",
}
