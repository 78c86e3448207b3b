"""The read-only mirror of one learner's screen (issue 15): ⏎ on a learner's row.

The screen the learner sees, cell for cell and in its colours, as the server copies it to the
view (tui/serve/mirror.py) and :class:`~tui.teacher.mirror_term.MirrorTerm` plays it. Keys go
nowhere near the learner: the view sends the server which learner to watch, and nothing else.
A learner's terminal bigger than the teacher's scrolls (the arrow keys); Esc or q goes back.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from tui.glyphs import shown
from tui.i18n import t
from tui.teacher.mirror_term import MirrorTerm
from tui.textual_compat import relabel
from tui.widgets.key_footer import KeyFooter


class MirrorView(ScrollView, can_focus=True):
    """The learner's screen: a line of cells per row, only changed rows repainted."""

    BINDINGS = [
        Binding("up", "scroll_up", "Up", show=False),
        Binding("down", "scroll_down", "Down", show=False),
        Binding("left", "scroll_left", "Left", show=False),
        Binding("right", "scroll_right", "Right", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
    ]

    def __init__(self, term: MirrorTerm, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.term = term
        self._generation = -1

    def show_changes(self) -> None:
        """Repaint the rows that changed (all of them after a restart or a resize)."""
        rows = self.term.changed_rows()
        cols, lines = self.term.size
        if self.term.generation != self._generation or self.virtual_size != Size(cols, lines):
            self._generation = self.term.generation
            self.virtual_size = Size(cols, lines)
            self.refresh()
            return
        for y in sorted(rows):
            self.refresh_line(y)

    def render_line(self, y: int) -> Strip:
        """Row ``y`` of the view: the learner's row under it, cut to the view's width."""
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        segments = self.term.row(y + scroll_y)
        if not segments:
            return Strip.blank(width, self.rich_style)
        base = self.rich_style
        strip = Strip([Segment(s.text, base + s.style if s.style else base)
                       for s in segments])
        return strip.crop_extend(scroll_x, scroll_x + width, base)


class MirrorScreen(Screen[None]):
    """Watching one learner, read-only."""

    BINDINGS = [
        # q too: a teacher who quits the learner's screen means to go back, not to end the view.
        Binding("escape,q", "back", t("teacher.key.back"), id="teacher.key.back"),
    ]

    def __init__(self, learner_id: str, name: str, term: MirrorTerm) -> None:
        super().__init__()
        self.learner_id = learner_id
        self.learner_name = name
        self.term = term

    def action_back(self) -> None:
        """Back to the class (the view then has the server stop the copy)."""
        self.dismiss(None)

    def compose(self) -> ComposeResult:
        """Who is watched, their screen (or why it is not there), the keys."""
        yield Static(id="mirror-header", markup=False)
        with Container(id="mirror-frame"):
            yield Static(id="mirror-absent", markup=False)
            yield MirrorView(self.term, id="mirror-view")
        yield KeyFooter(first=("back", "help"))

    def on_mount(self) -> None:
        """Key labels in the language in use; start from what is known (a fresh screen
        comes from the server)."""
        relabel(self)
        self.show_changes()
        self.query_one(MirrorView).focus()

    def show_changes(self) -> None:
        """The header, and the rows that changed (called as the mirror's bytes come)."""
        term = self.term
        started = term.learner == self.learner_id
        waiting = not started
        absent = started and not term.connected
        header = Text(shown(t("teacher.mirror.title", name=self.learner_name)), style="bold",
                      no_wrap=True, overflow="ellipsis", end="")
        header.append(shown(" │ "))
        header.append(t("teacher.mirror.read_only"), style="italic")
        if started and term.connected:
            cols, rows = term.size
            header.append(shown(" │ "))
            header.append(shown(t("teacher.mirror.size", cols=cols, rows=rows)))
        self.query_one("#mirror-header", Static).update(header)
        note = self.query_one("#mirror-absent", Static)
        note.display = waiting or absent
        if waiting or absent:
            note.update(shown(t("teacher.mirror.waiting" if waiting else "teacher.mirror.absent",
                                name=self.learner_name)))
        view = self.query_one(MirrorView)
        view.display = started and term.connected
        if view.display:
            view.show_changes()
