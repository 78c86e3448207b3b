"""The key bar: Textual's Footer, with keys greyed out and back in place instead of rebuilt."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

Shown = tuple[str, str, str, bool]
"""A key as the footer shows it: key, action, label, and whether it does something now."""


def shown_keys(screen: Screen) -> list[Shown]:
    """The keys Footer composes for ``screen``, in its order: one per action (the first of
    its bindings), shown ones only."""
    keys: dict[str, Shown] = {}
    for _node, binding, enabled, _tooltip in screen.active_bindings.values():
        if binding.show and binding.group is None and binding.action not in keys:
            keys[binding.action] = (binding.key, binding.action, binding.description, enabled)
    return list(keys.values())


class KeyFooter(Footer):
    """Textual's Footer, but a key that is only greyed out, or back, changes in place.

    Footer rebuilds every key whenever any binding changes. The tutor's keys change state at
    the start and the end of each iteration (Back does nothing at the very start, Next nothing
    at the end), and each rebuild cost about 40 ms and a second frame (bench/tui.py, step
    latency). When the same keys keep the same labels, setting each one's state is enough;
    anything else (a language, a wider footer, a dialog's keys) rebuilds as Footer does.
    """

    def bindings_changed(self, screen: Screen) -> None:
        """Update the keys' states in place when only their states changed."""
        keys = list(self.query(FooterKey)) if self._bindings_ready else []
        wanted = shown_keys(screen)
        same = [(k.key, k.action, k.description) for k in keys] == [w[:3] for w in wanted]
        if keys and same and screen is self.screen and screen.app.app_focus:
            for key, (*_, enabled) in zip(keys, wanted):
                if key._disabled == enabled:  # FooterKey's own flag (it rings on a click)
                    key._disabled = not enabled
                    key.set_class(not enabled, "-disabled")
            return
        super().bindings_changed(screen)
