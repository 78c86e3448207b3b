"""The explanation pane: what the current step does and why, with its formula and numbers.

Its height is set (app.tcss), so a long explanation scrolls: shift+↓ and shift+↑ (the lesson
screen's keys) move it a page, each new step starts again at its top, and its last line says
when more follows. It breaks its own lines (:mod:`tui.line_breaking`), so Chinese follows
Chinese rules and a formula stays whole.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.reactive import var

from tui.explain import explain
from tui.glyphs import glyphs, shown
from tui.i18n import t
from tui.lesson import Cursor
from tui.line_breaking import line_spans
from tui.quiz import quiz_lines
from tui.widgets.cursor_view import CursorView


def lines_of(text: Text, width: int) -> list[Text]:
    """``text`` broken into lines of at most ``width`` cells, styles kept."""
    lines: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        for start, end in line_spans(paragraph.plain, width):
            lines.append(paragraph[start:end])
    return lines


class ExplanationPane(CursorView):
    """Words for the current step, from :func:`tui.explain.explain`: the whole of them in
    :attr:`content`, the lines that fit from :attr:`top` on screen."""

    top: var[int] = var(0)
    """The first line on show (0 at every new step)."""

    def watch_cursor(self) -> None:
        """A new place: its words from their first line."""
        self.set_reactive(ExplanationPane.top, 0)
        super().watch_cursor()

    def watch_language(self) -> None:
        """Other words: from their first line."""
        self.set_reactive(ExplanationPane.top, 0)
        super().watch_language()

    def on_resize(self) -> None:
        """Another width breaks the lines elsewhere: from the first line again."""
        self.top = 0

    def watch_top(self) -> None:
        """Scrolled: the same words, other lines."""
        self.refresh()

    def scroll_page(self, direction: int) -> None:
        """A page down (``direction`` 1) or up (-1), keeping one line of the last page."""
        lines = self._lines()
        height = self.size.height
        page = max(1, height - 2)
        last = max(0, len(lines) - height + 1) if len(lines) > height else 0
        self.top = max(0, min(self.top + direction * page, last))

    def _lines(self) -> list[Text]:
        """Every line of the explanation at the pane's width."""
        content = self.content
        if not isinstance(content, Text) or self.size.width <= 0:
            return []
        return lines_of(content, self.size.width)

    def render(self) -> RenderResult:
        """The lines from :attr:`top` that fit, with a line saying more follows (or comes
        before) when it does."""
        content = self.content
        height = self.size.height
        if not isinstance(content, Text) or height <= 0:
            return super().render()
        lines = self._lines()
        if len(lines) <= height:
            return Text("\n").join(lines)
        top = min(self.top, max(0, len(lines) - height + 1))
        shown_lines: list[Text] = []
        room = height
        if top > 0:
            shown_lines.append(self._marker("ex.more_above"))
            room -= 1
        more = top + room < len(lines)
        if more:
            room -= 1
        shown_lines.extend(lines[top:top + max(room, 0)])
        if more:
            shown_lines.append(self._marker("ex.more_below"))
        return Text("\n").join(shown_lines)

    @staticmethod
    def _marker(key: str) -> Text:
        """A line that says more of the explanation is above or below, and which key shows
        it."""
        mark = {"ex.more_above": ("^", "▲"), "ex.more_below": ("v", "▼")}[key]
        return Text(t(key, mark=mark[0] if glyphs().ascii_only else mark[1]),
                    style="bold reverse", no_wrap=True, overflow="ellipsis")

    def draw(self, cursor: Cursor) -> Text:
        """Title, warning, formula, working, the quiz's verdict, the words, errata notes,
        and what to press at an iteration's end."""
        ex = explain(cursor.walkthrough, cursor.k)
        text = Text()
        text.append(shown(ex.title), style="bold")
        if ex.warning:  # right under the title: seen without scrolling
            text.append("\n" + shown(ex.warning), style="bold red")
        if ex.formula:
            text.append("\n")
            text.append(shown(ex.formula), style="italic")
        if ex.working:
            text.append("\n")
            text.append(shown(ex.working), style="bold")
        if self.quiz_note is not None:
            for line, style in quiz_lines(self.quiz_note):
                text.append("\n" + line, style=style)
        if ex.hint:  # before the words: the learner is stuck at the end without it
            text.append("\n" + shown(ex.hint), style="bold")
        # The idea first, then where the article goes wrong about it.
        for sentence in ex.body:
            text.append("\n" + shown(sentence))
        for note in ex.notes:
            heading = t("ex.note_heading", mark=glyphs().warning, heading=t("err.heading"),
                        title=shown(note.title))
            text.append("\n" + heading, style="bold yellow")
            text.append("\n" + shown(note.text))
        return text
