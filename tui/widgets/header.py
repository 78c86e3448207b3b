"""The one-line header: scenario, sample, epoch, phase, and step k of N; under ``serve``, the
teacher's broadcast before them."""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.text import Text
from textual.reactive import var

from engine.builtin_lessons import base_lesson
from engine.scenario import changes
from tui.explain import sample_words
from tui.glyphs import glyphs, shown
from tui.i18n import t
from tui.lesson import Cursor
from tui.widgets.cursor_view import CursorView
from tui.widgets.text_field import printable


class Fitted:
    """A line whose ``head`` gives way (cut with an ellipsis) so that its ``tail`` is always
    whole: the step counter and the quiz score stay in view however long the lesson's name or
    its sample (64 inputs) is."""

    def __init__(self, head: Text, tail: Text) -> None:
        self.head = head
        self.tail = tail

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        """Cut the head to the width the tail leaves."""
        width = options.max_width
        tail = _cut(self.tail, width)
        line = _cut(self.head, max(0, width - tail.cell_len)) + tail
        line.no_wrap = True
        yield from line.render(console)
        yield Segment.line()

    @property
    def plain(self) -> str:
        """The whole line, uncut."""
        return self.head.plain + self.tail.plain

    def __str__(self) -> str:
        return self.plain


def _cut(text: Text, width: int) -> Text:
    """``text`` in at most ``width`` cells, ending in an ellipsis (``...`` under --ascii) when
    cut."""
    if text.cell_len <= width:
        return text
    mark = shown("…")
    cut = text.copy()
    cut.truncate(max(0, width - len(mark)))
    cut.append(mark[:width])
    return cut


def teacher_words(text: str) -> str:
    """The teacher's broadcast as the terminal should get it: no control characters, and
    under --ascii, ASCII only (``?`` for what has no ASCII form)."""
    text = shown(printable(text))
    return text.encode("ascii", "replace").decode() if glyphs().ascii_only else text


class LessonHeader(CursorView):
    """Where the learner is, always in view."""

    broadcast: var[str | None] = var(None)
    """The teacher's message (``serve``), shown first until the teacher takes it away."""

    def watch_broadcast(self) -> None:
        """The teacher said something, or took it back."""
        self._redraw()

    def draw(self, cursor: Cursor) -> Fitted:
        """Scenario, sample, epoch, phase, changes; then, never cut, step k of N and the
        quiz score. An overflow warning comes first, then the teacher's broadcast: both give
        way before the step counter does."""
        w = cursor.walkthrough
        phase = "start" if cursor.phase is None else cursor.phase
        line = t(
            "header.line",
            scenario=w.scenario.name,
            sample=sample_words(w, cursor.k),
            epoch=w.epoch,
            phase=t(f"phase.{phase}"),
        )
        base = base_lesson(w.scenario)
        changed = changes(base, w.scenario) if base is not None else []
        if changed:
            parts = ", ".join(t(f"field.{name}", value=value) for name, value in changed)
            line += " │ " + t("header.changed", changes=parts)
        tail = " │ " + t("header.step", step=cursor.k + 1, total=cursor.step_count)
        if self.quiz_note is not None:
            right, asked = self.quiz_note.score
            tail += " │ " + t("quiz.score", right=right, asked=asked)
        head = Text()
        if not w.finite:  # first, so a narrow terminal never cuts it off
            head.append(t("header.overflow"), style="bold red reverse")
            head.append(shown(" │ "))
        if self.broadcast:  # the teacher's words as they are: plain text, never markup
            head.append(t("lead.broadcast_label") + teacher_words(self.broadcast),
                        style="reverse")
            head.append(shown(" │ "))
        head.append(shown(line))
        return Fitted(head, Text(shown(tail)))
