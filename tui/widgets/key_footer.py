"""The key bar: Textual's Footer, with the most needed keys first, only whole keys, and keys
greyed out and back in place instead of rebuilt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer

from tui.textual_compat import FooterKey, footer_is_ready, set_footer_key_enabled


@dataclass(frozen=True)
class Shown:
    """A key as the footer shows it."""

    key: str
    action: str
    description: str
    display: str
    """The key as drawn (``→``, ``⏎``)."""
    enabled: bool
    """False: greyed out, it does nothing now."""

    @property
    def width(self) -> int:
        """Cells it takes in a compact footer: the key, a space, the label, a margin."""
        label = 1 + cell_len(self.description) if self.description else 0
        return cell_len(self.display) + label + 1


def shown_keys(screen: Screen, first: Sequence[str] = ()) -> list[Shown]:
    """The keys a footer shows for ``screen``: one per action (the first of its bindings),
    shown ones only, those whose action is in ``first`` in front, in that order."""
    keys: dict[str, Shown] = {}
    for _node, binding, enabled, _tooltip in screen.active_bindings.values():
        if binding.show and binding.action not in keys:
            keys[binding.action] = Shown(binding.key, binding.action, binding.description,
                                         screen.app.get_key_display(binding), enabled)
    rank = {action: i for i, action in enumerate(first)}
    ordered = list(keys.values())
    return sorted(ordered, key=lambda s: (rank.get(s.action, len(rank)), ordered.index(s)))


def fitting(keys: Sequence[Shown], width: int) -> list[Shown]:
    """The keys, in order, as long as they fit whole in ``width`` cells."""
    fit: list[Shown] = []
    for key in keys:
        width -= key.width
        if width < 0:
            break
        fit.append(key)
    return fit


class KeyFooter(Footer):
    """Textual's Footer, composing its own keys, with three changes.

    - ``first`` names the actions shown first (stepping, help, quit); the rest follow.
    - Only keys that fit whole are made: a narrow terminal drops the last ones, never cuts a
      label in half (the help screen lists every key).
    - A key that is only greyed out, or back, changes in place. Footer rebuilds every key
      whenever any binding changes; the tutor's keys change state at the start and the end of
      each iteration (see tui/textual_compat.py for what a rebuild costs). Anything else (a
      language, a dialog's keys, a width that fits more or fewer) rebuilds.

    Footer's own compose binds each key to the footer's ``compact``, and those bindings keep
    every rebuilt key alive; these keys are made compact and never rebuilt for it. Binding
    groups and the palette key, which the tutor does not use, are not drawn.
    """

    def __init__(self, *, first: Sequence[str] = ()) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self.first = tuple(first)
        self._rebuild_pending = False

    def _wanted(self) -> list[Shown]:
        """The keys that fit, as the screen's bindings stand now."""
        width = self.size.width or self.app.size.width
        return fitting(shown_keys(self.screen, self.first), width)

    def compose(self) -> ComposeResult:
        """One compact key per action that fits, in order."""
        if not footer_is_ready(self):
            return  # the screen's bindings are not known yet
        for key in self._wanted():
            yield FooterKey(key.key, key.display, key.description, key.action,
                            disabled=not key.enabled, classes="-compact")

    def on_resize(self, event: Resize) -> None:
        """A new width: rebuild if it fits other keys. Until the rebuild (after the next
        frame), keys that no longer fit are hidden, so that frame shows no half key."""
        if footer_is_ready(self) and not self._same_keys():
            room = event.size.width
            for key in self.query_children(FooterKey):
                room -= key.outer_size.width or cell_len(f"{key.key_display} {key.description} ")
                key.display = room >= 0
            self._rebuild(self.screen)

    def _same_keys(self) -> bool:
        """The keys made are those that fit now, states aside."""
        made = [(k.key, k.action, k.description) for k in self.query_children(FooterKey)]
        return made == [(w.key, w.action, w.description) for w in self._wanted()]

    def bindings_changed(self, screen: Screen) -> None:
        """Update the keys' states in place when only their states changed."""
        if footer_is_ready(self) and screen is self.screen and screen.app.app_focus and \
                self._same_keys():
            states = {w.action: w.enabled for w in self._wanted()}
            for key in self.query_children(FooterKey):
                set_footer_key_enabled(key, states[key.action])
            return
        self._rebuild(screen)

    def refresh_keys(self) -> None:
        """Rebuild if the keys made are not those the bindings want now: for a change whose
        notice the footer may not have heard (its screen was covered by a dialog)."""
        if footer_is_ready(self) and self.is_attached and not self._same_keys():
            self._rebuild(self.screen)

    def _rebuild(self, screen: Screen) -> None:
        """Footer's rebuild, once for all the notices that come together (at start-up a
        screen sends several at once): asked for once the footer's own queue is through them.
        By :meth:`call_later`, which runs in the footer's own queue: a callback after refresh
        runs on the screen on top, and is lost if that is a dialog closed before its next
        refresh (the flag then stayed set, and the footer never rebuilt again)."""
        if not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_later(self._rebuild_now, screen)

    def _rebuild_now(self, screen: Screen) -> None:
        """The notices of the frame are in: rebuild from the bindings as they stand. A notice
        from now on asks for another rebuild (a flag cleared only once the rebuild had been
        asked of Footer lost a language switch that came in between)."""
        self._rebuild_pending = False
        if not self.is_attached:
            return
        super().bindings_changed(screen)  # recomposes after the next refresh
        if not screen.app.app_focus and screen is self.screen:
            # Footer skips its rebuild while the terminal is not focused (its bindings
            # then stay as they are), and a resize of an unfocused terminal left the
            # keys of the old width, the last cut in half ("r Res").
            self.call_after_refresh(self.recompose)
