"""Simplified Chinese messages for readable: merged into :mod:`tui.i18n.zh`."""

MESSAGES: dict[str, str] = {
    # the explanation pane, when it holds more than fits
    "ex.more_below": "{mark} 下面还有：shift+↓",
    "ex.more_above": "{mark} 上面还有：shift+↑",
    # an erratum note's first line
    "ex.note_heading": "{mark} {heading}：{title}",
    "key.more_below": "更多",
    "key.more_above": "说明往回翻",
}
