"""The key bar: Textual's Footer, with the most needed keys first, only whole keys, and keys
greyed out and back in place instead of rebuilt."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.app import ComposeResult
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from tui.textual_compat import FooterKey, footer_is_ready, set_footer_key_enabled

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


def in_order(actions: Iterable[str], first: Sequence[str]) -> list[str]:
    """``actions`` with those named in ``first`` in front, in that order; the rest keep
    theirs."""
    rank = {action: i for i, action in enumerate(first)}
    listed = list(actions)
    return sorted(listed, key=lambda a: (rank.get(a, len(rank)), listed.index(a)))


class KeyFooter(Footer):
    """Textual's Footer, with three changes.

    - ``first`` names the actions shown first (stepping, help, quit); the rest follow.
    - Only keys that fit whole are shown: a narrow terminal drops the last ones, never cuts
      a label in half (the help screen lists every key).
    - A key that is only greyed out, or back, changes in place. Footer rebuilds every key
      whenever any binding changes; the tutor's keys change state at the start and the end of
      each iteration, and each rebuild cost about 40 ms and a second frame (bench/tui.py, step
      latency). Anything else (a language, a dialog's keys) rebuilds as Footer does.
    """

    def __init__(self, *, compact: bool = False, show_command_palette: bool = True,
                 first: Sequence[str] = ()) -> None:
        super().__init__(compact=compact, show_command_palette=show_command_palette)
        self.first = tuple(first)
        self._rebuild_pending = False

    def compose(self) -> ComposeResult:
        """Footer's keys, the ``first`` ones in front."""
        widgets = list(super().compose())
        keys = {w.action: w for w in widgets if isinstance(w, FooterKey)}
        ordered = [keys[a] for a in in_order(keys, self.first)]
        yield from ordered
        yield from (w for w in widgets if not isinstance(w, FooterKey))

    def on_mount(self) -> None:
        """Subscribe to binding changes (Footer's own), and fit once composed."""
        super().on_mount()
        self.call_after_refresh(self._fit)

    def on_resize(self, event: Resize) -> None:
        """A new width: show the keys that fit whole."""
        self._fit()

    def _fit(self) -> None:
        """Show as many keys as fit whole, in order; hide the rest."""
        room = self.size.width
        for key in self.query_children(FooterKey):
            width = self._width_of(key)
            key.display = width <= room
            # Once one key does not fit, none after it is shown: the order is the priority.
            room = room - width if key.display else 0

    @staticmethod
    def _width_of(key: Widget) -> int:
        """The cells a key takes, its margin included."""
        return key.get_content_width(key.size, key.size) + key.styles.margin.width

    async def recompose(self) -> None:
        """Rebuild the keys, then fit them."""
        await super().recompose()
        self._fit()

    def bindings_changed(self, screen: Screen) -> None:
        """Update the keys' states in place when only their states changed."""
        keys = list(self.query_children(FooterKey)) if footer_is_ready(self) else []
        wanted = {w[1]: w for w in shown_keys(screen)}
        same = sorted((k.key, k.action, k.description) for k in keys) == sorted(
            w[:3] for w in wanted.values()
        )
        if keys and same and screen is self.screen and screen.app.app_focus:
            for key in keys:
                set_footer_key_enabled(key, wanted[key.action][3])
            return
        # Footer rebuilds once per notice, and at start-up a screen sends several in one
        # frame: one rebuild for them all. (Each rebuild also leaves its old keys alive:
        # Footer's data_bind keeps them in its watchers. Six of them at start-up were
        # 3 MiB of peak RSS, bench/tui.py.)
        if not self._rebuild_pending:
            self._rebuild_pending = True
            super().bindings_changed(screen)  # rebuilds after the next refresh
            self.call_after_refresh(self._rebuilt)

    def _rebuilt(self) -> None:
        """The rebuild asked for is under way: later notices ask for another."""
        self._rebuild_pending = False
