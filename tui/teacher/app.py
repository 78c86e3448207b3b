"""The teacher's live view of the class (issue 15): ``ssh -p 2222 teacher@HOST`` under
``backprop-tutor serve``.

One row per learner (name, lesson, where in it, quiz score, answers revealed, last slip, time
idle), sortable with n, p, s and i; the slips the class makes most in a panel below (on the
right in a wide terminal; c hides it); ? for help, q to quit.

The teacher leads the class from here: g moves everyone to a step, b and f to the start of
the backward or forward pass, h holds the class at a step (or releases the hold), m
broadcasts a line to every learner, e has the server export the class's records. Each is a
command line (:func:`tui.served.command_line`) written on the channel without waiting
(:meth:`~tui.teacher.channel.ClassChannel.send`), and said in a notification: sent, or not
sent because the server is gone or not reading. The hold and the message on show come back in
the snapshots (the header says ``held at step 7``; the message has a line under it), and the
export's paths in an ``exported`` line, shown in a notification. The snapshots come from a
:mod:`tui.teacher.channel` source, are checked by :mod:`tui.teacher.model`, and are drawn at
most :data:`PER_SECOND` times a second: a burst keeps only the latest (:class:`ClassUpdate`
replaces one still queued, and one that comes sooner waits for its turn).

Run by ``python -m tui.teacher`` (tui/teacher/__main__.py); a test makes it with a
:class:`~tui.teacher.channel.SnapshotFeed` and pushes snapshots into that.
"""

from __future__ import annotations

import contextlib
import importlib.util
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.coordinate import Coordinate
from textual.css.query import NoMatches
from textual.driver import Driver
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.timer import Timer
from textual.widgets import DataTable, Static

from tui.glyphs import glyphs, shown, use_ascii
from tui.i18n import t
from tui.served import LEAD_PHASES, command_line
from tui.teacher.channel import ClassChannel, SnapshotFeed
from tui.teacher.dialogs import BroadcastDialog, LessonDialog, StepDialog
from tui.teacher.mirror import MirrorScreen
from tui.teacher.mirror_term import MirrorStart, MirrorTerm
from tui.teacher.model import (
    SORTS,
    ClassSnapshot,
    Exported,
    class_step,
    class_total,
    header_parts,
    hold_text,
    ordered,
    sort_name,
)
from tui.teacher.widgets import NARROW, WIDE, LearnerTable, SlipsPanel
from tui.textual_compat import relabel, sleeping_driver
from tui.widgets.key_footer import KeyFooter

#: Redraws a second at most.
PER_SECOND = 4
#: Redraws a second at most of a learner's screen the teacher watches.
MIRROR_PER_SECOND = 10
#: The slips panel goes beside the table when this many columns are left for it.
SIDE_PANEL = 40
#: How often the idle times move on between snapshots (seconds).
TICK = 1.0
#: How often the rest of a command the socket took only part of is tried again (seconds).
FLUSH = 0.2
#: How long the notification with an export's paths stays (seconds).
EXPORTED_TIMEOUT = 20.0
#: The keys in front in the footer (the commands, help, quit); the sorts follow if they fit.
FOOTER_FIRST = ("goto", "lead_phase('backward')", "lead_phase('forward')", "hold",
                "broadcast", "export", "help", "quit", "lead_lesson", "watch", "back")
#: The keys that act on the table and the class: not while a learner's screen is watched.
CLASS_ACTIONS = frozenset({"sort", "toggle_slips", "goto", "lead_phase", "lead_lesson",
                           "hold", "broadcast", "export", "watch"})


@dataclass(eq=False)
class ClassUpdate(Message):
    """A snapshot of the class came (posted from the channel's thread)."""

    snapshot: ClassSnapshot

    def can_replace(self, message: Message) -> bool:
        """A burst keeps only the latest: a newer snapshot supersedes one still queued."""
        return isinstance(message, ClassUpdate)


@dataclass(eq=False)
class ChannelClosed(Message):
    """The server closed the channel: nothing more will come."""


@dataclass(eq=False)
class MirrorChanged(Message):
    """The watched learner's screen changed (posted from the channel's thread)."""

    def can_replace(self, message: Message) -> bool:
        """A burst is one redraw: the screen is read when it is drawn."""
        return isinstance(message, MirrorChanged)


@dataclass(eq=False)
class ExportDone(Message):
    """The server wrote the export the view asked for (posted from the channel's thread)."""

    exported: Exported


class AtMost:
    """Calls ``draw`` at most ``per_second`` times a second: at once when the last call is
    old enough, else once, as soon as it is (asks meanwhile are that one call)."""

    def __init__(self, app: App[None], per_second: float, draw: Callable[[], None]) -> None:
        self.app, self.every, self.draw = app, 1 / per_second, draw
        self._timer: Timer | None = None
        self._last = -math.inf
        """When (time.monotonic) ``draw`` was last called."""

    def ask(self) -> None:
        """``draw`` now, or when its turn comes."""
        if self._timer is not None:
            return
        wait = self._last + self.every - time.monotonic()
        if wait <= 0:
            self._call()
        else:
            self._timer = self.app.set_timer(wait, self._call)

    def _call(self) -> None:
        self._timer = None
        self._last = time.monotonic()
        self.draw()


def _range(top: int | None) -> str:
    """``A step from 0 to 22:`` (any number of steps when the class's is not known)."""
    return t("teacher.dialog.range", top=top) if top is not None else t("teacher.dialog.any")


class ClassViewApp(App[None]):
    """The class, live."""

    CSS_PATH = "teacher.tcss"
    TITLE = "backprop-tutor class"

    BINDINGS = [
        # Binding ids name the catalogue entry of the label: see tui.textual_compat.relabel.
        Binding("n", "sort('name')", t("teacher.key.name"), id="teacher.key.name"),
        Binding("p", "sort('progress')", t("teacher.key.progress"), id="teacher.key.progress"),
        Binding("s", "sort('score')", t("teacher.key.score"), id="teacher.key.score"),
        Binding("i", "sort('idle')", t("teacher.key.idle"), id="teacher.key.idle"),
        Binding("c", "toggle_slips", t("teacher.key.slips"), id="teacher.key.slips"),
        Binding("g", "goto", t("teacher.key.goto"), id="teacher.key.goto"),
        Binding("b", "lead_phase('backward')", t("teacher.key.backward"),
                id="teacher.key.backward"),
        Binding("f", "lead_phase('forward')", t("teacher.key.forward"),
                id="teacher.key.forward"),
        Binding("l", "lead_lesson", t("teacher.key.lesson"), id="teacher.key.lesson"),
        Binding("h", "hold", t("teacher.key.hold"), id="teacher.key.hold"),
        Binding("m", "broadcast", t("teacher.key.message"), id="teacher.key.message"),
        Binding("e", "export", t("teacher.key.export"), id="teacher.key.export"),
        Binding("enter,w", "watch", t("teacher.key.watch"), key_display="⏎",
                id="teacher.key.watch"),
        Binding("question_mark,f1", "help", t("key.help"), key_display="?", id="help"),
        Binding("q", "quit", t("key.quit"), id="quit"),
    ]

    sort_by: var[str] = var("name", init=False)
    """The order of the rows: one of tui.teacher.model.SORTS."""
    reverse: var[bool] = var(False, init=False)
    """The order turned round (the same sort key pressed again)."""
    show_slips: var[bool] = var(True, init=False)
    """The slips panel is on show (c)."""
    snapshot: var[ClassSnapshot | None] = var(None, init=False)
    """The snapshot on show (None until the first comes)."""
    lost: var[bool] = var(False, init=False)
    """The server closed the channel."""

    def __init__(self, source: ClassChannel | SnapshotFeed | None = None, *,
                 ascii_only: bool = False,
                 clock: Callable[[], float] = time.monotonic,
                 lessons: Path | None = None) -> None:
        """The view of what ``source`` sends (a new :class:`SnapshotFeed` if None, in
        :attr:`source`); ``clock`` moves the idle times on between snapshots (a test's may
        stand still); ``lessons``: the teacher's folder of lessons (``serve --lessons``), the
        learners' tutors open the ones it offers."""
        use_ascii(ascii_only)
        super().__init__()
        self.source = source if source is not None else SnapshotFeed()
        self.lessons = lessons
        self.clock = clock
        self.animation_level = "none"  # over SSH every frame of an animation is bytes
        self._received_at = 0.0
        """When (on ``clock``) the snapshot on show came."""
        self._pending: ClassSnapshot | None = None
        """The latest snapshot, waiting for its turn to be drawn."""
        self._snapshots = AtMost(self, PER_SECOND, self._draw_pending)
        """Draws the latest snapshot, at most PER_SECOND times a second."""
        self.draws = 0
        """How many snapshots have been drawn."""
        self._flushing: Timer | None = None
        """Tries again to write the rest of a command the socket took only part of."""
        self._ticker: Timer | None = None
        """The next tick of the idle times, if any is due (see :meth:`tick`)."""
        self.next_tick: float | None = None
        """In how many seconds that tick was set to come (None: no tick is due)."""
        self._header_line: Text | None = None
        """The header as last drawn."""
        self.mirror_term = MirrorTerm()
        """The screen of the learner watched (fed in the channel's thread)."""
        self.watching: str | None = None
        """The id of the learner whose screen is watched, if any."""
        self._mirror_draws = AtMost(self, MIRROR_PER_SECOND, self._draw_mirror)
        if ascii_only:
            self.add_class("-ascii")

    def compose(self) -> ComposeResult:
        """Header, the waiting line, the table and the slips, the keys."""
        yield Static(id="class-header", markup=False)
        yield Static(id="broadcast", markup=False)
        yield Static(t("teacher.waiting"), id="waiting", markup=False)
        with Container(id="body"):
            yield LearnerTable(id="learners")
            yield SlipsPanel(id="slips")
        yield KeyFooter(first=FOOTER_FIRST)

    def on_mount(self) -> None:
        """Key labels in the language in use; columns for the terminal's width; then listen."""
        relabel(self)
        self._fit(self.size)
        self._draw_header()
        self.source.start(self._arrived, self._ended, self._exported, self._mirrored)

    def on_unmount(self) -> None:
        """Stop listening (the channel's thread then ends)."""
        self.source.close()

    def get_key_display(self, binding: Binding) -> str:
        """Key names in the footer, in ASCII when asked."""
        return shown(super().get_key_display(binding))

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, on Linux with its input thread asleep while no key comes."""
        return sleeping_driver(super().get_driver_class())

    # --- snapshots in ---------------------------------------------------------------------

    def _arrived(self, snapshot: ClassSnapshot) -> None:
        """In the channel's thread (or a test's push): hand the snapshot to the app's loop."""
        self.post_message(ClassUpdate(snapshot))

    def _ended(self) -> None:
        """In the channel's thread: the server closed its end."""
        self.post_message(ChannelClosed())

    def _exported(self, exported: Exported) -> None:
        """In the channel's thread: the server answered an export."""
        self.post_message(ExportDone(exported))

    def _mirrored(self, items: list[MirrorStart | bytes]) -> None:
        """In the channel's thread: the watched learner's screen, played on the mirror's
        terminal there (the app's loop only draws it)."""
        if self.mirror_term.feed(items, self.watching):
            self.post_message(MirrorChanged())

    def on_export_done(self, message: ExportDone) -> None:
        """Say where the records were written."""
        self.notify(t("teacher.exported", csv=message.exported.csv,
                      markdown=message.exported.markdown),
                    title=t("teacher.exported_title"), timeout=EXPORTED_TIMEOUT, markup=False)

    def on_class_update(self, message: ClassUpdate) -> None:
        """Draw the snapshot now, or as soon as the last drawing is old enough."""
        self._pending = message.snapshot
        self._snapshots.ask()  # a drawing already due takes the latest

    def on_mirror_changed(self, message: MirrorChanged) -> None:
        """Draw the watched screen now, or as soon as the last drawing is old enough."""
        self._mirror_draws.ask()

    def _draw_mirror(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, MirrorScreen):
                screen.show_changes()

    def on_channel_closed(self, message: ChannelClosed) -> None:
        """Say the view no longer changes."""
        self.lost = True

    def _draw_pending(self) -> None:
        snapshot, self._pending = self._pending, None
        if snapshot is not None:
            self.draws += 1
            if snapshot != self.snapshot:  # the same again: the idle times go on as they were
                self._received_at = self.clock()
                self.snapshot = snapshot

    # --- drawing ----------------------------------------------------------------------------

    def watch_snapshot(self, snapshot: ClassSnapshot | None) -> None:
        """The new snapshot: rows, slips, header."""
        self.query_one("#waiting").display = snapshot is None
        self.query_one("#body").display = snapshot is not None
        if snapshot is not None:
            self._draw_rows()
            self.query_one(SlipsPanel).show(snapshot)
        self._draw_header()
        self._draw_broadcast()

    def watch_sort_by(self) -> None:
        self._draw_rows()
        self._draw_header()

    def watch_reverse(self) -> None:
        self._draw_rows()
        self._draw_header()

    def watch_lost(self) -> None:
        self._draw_header()

    def watch_show_slips(self, show: bool) -> None:
        self.query_one(SlipsPanel).display = show

    def tick(self, wait: float | None = None) -> None:
        """The idle times, moved on by the time since the snapshot came: only the idle cells
        whose text changed are written. The next tick comes when the idle times shown next
        need a redraw (in ``wait`` seconds when the table has just said so; see
        tui.teacher.model.idle_redraw_in), not every second: at rest, a class idle for
        minutes is redrawn every few seconds at most, and a view without learners never."""
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
            self.next_tick = None
        if self.snapshot is None:
            return
        if wait is None:
            since = max(0.0, self.clock() - self._received_at)
            with contextlib.suppress(NoMatches):  # the app is closing: its table is gone
                wait = self.query_one(LearnerTable).show_idle(since)
        if wait is not None and math.isfinite(wait):
            self._ticker = self.set_timer(wait, self.tick)
            self.next_tick = wait

    def _draw_rows(self) -> None:
        """The table, as the snapshot and the order say (only what changed is written); the
        next tick of the idle times set for when the first of them changes."""
        snapshot = self.snapshot
        if snapshot is None:
            return
        since = max(0.0, self.clock() - self._received_at)
        rows = ordered(snapshot.learners, self.sort_by, self.reverse)
        self.tick(self.query_one(LearnerTable).show(rows, since))

    def _draw_header(self) -> None:
        """Title, whether the server is gone, class size, connected, the server's time, the
        order."""
        snapshot = self.snapshot
        clock = None
        if snapshot is not None and snapshot.time is not None:
            clock = time.strftime("%H:%M:%S", time.localtime(snapshot.time))
        bar = shown(" │ ")
        line = Text(t("teacher.title"), style="bold", no_wrap=True, overflow="ellipsis",
                    end="")
        if self.lost:  # first, so a narrow terminal never cuts it off
            line.append(bar)
            line.append(t("teacher.lost"), style="bold red")
        held = hold_text(snapshot)
        if held is not None:
            line.append(bar)
            line.append(held, style="bold yellow")
        for part in header_parts(snapshot, clock):
            line.append(bar)
            line.append(part)
        if snapshot is not None:
            line.append(bar)
            line.append(sort_name(self.sort_by, self.reverse))
        if line == self._header_line:
            return  # most snapshots change rows, not the header: no repaint
        self._header_line = line
        # One line, whatever it says: no layout (it cost 3-5 ms a snapshot, bench/class_view.py).
        self.query_one("#class-header", Static).update(line, layout=False)

    def _draw_broadcast(self) -> None:
        """The message the learners see, on a line under the header (none: no line)."""
        text = self.snapshot.broadcast if self.snapshot is not None else None
        widget = self.query_one("#broadcast", Static)
        widget.display = text is not None
        if text is not None:
            overflow = "crop" if glyphs().ascii_only else "ellipsis"
            widget.update(Text(t("teacher.broadcast_line", text=text), no_wrap=True,
                               overflow=overflow, end=""))

    # --- the terminal's size ----------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        """Columns and panel placed for the new size."""
        self._fit(event.size)

    def _fit(self, size: Size) -> None:
        """Wide columns from :data:`WIDE`'s width; the slips beside the table when there is
        room, else under it."""
        columns = WIDE if size.width >= WIDE.width + 1 else NARROW
        side = size.width >= columns.width + 1 + SIDE_PANEL
        self.set_class(side, "-side")
        table = self.query_one(LearnerTable)
        table.styles.width = columns.width + 1 if side else "1fr"
        if table.use_columns(columns):
            self._draw_rows()

    # --- keys -------------------------------------------------------------------------------

    def action_sort(self, sort: str) -> None:
        """Order the rows by ``sort``; the same key again turns the order round."""
        if sort not in SORTS:
            return
        if sort == self.sort_by:
            self.reverse = not self.reverse
        else:
            self.reverse = False
            self.sort_by = sort

    def action_toggle_slips(self) -> None:
        """Show or hide the slips panel."""
        self.show_slips = not self.show_slips

    # --- leading the class ------------------------------------------------------------------

    def _dialog_open(self) -> bool:
        """True while another screen (a dialog, the help, a learner's) is over the class."""
        return len(self.screen_stack) > 1

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The class's keys are not shown (and do nothing) while a learner is watched."""
        if action in CLASS_ACTIONS and isinstance(self.screen, MirrorScreen):
            return False
        return True

    # --- watching a learner's screen ----------------------------------------------------------

    def on_data_table_row_selected(self, message: DataTable.RowSelected) -> None:
        """⏎ on a learner's row: watch their screen."""
        message.stop()
        self.action_watch()

    def action_watch(self) -> None:
        """Watch the screen of the learner on the highlighted row (read-only)."""
        if self._dialog_open() or self.snapshot is None:
            return
        table = self.query_one(LearnerTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        learner = next((row for row in self.snapshot.learners if row.id == key), None)
        if learner is None:
            return
        if importlib.util.find_spec("pyte") is None:
            self.notify(t("teacher.mirror.no_emulator"), severity="error", markup=False)
            return
        self.mirror_term.stop()
        self.watching = learner.id
        self._send(command_line("mirror", learner=learner.id))  # no notification
        self.push_screen(MirrorScreen(learner.id, learner.name, self.mirror_term),
                         self._stopped_watching)

    def _stopped_watching(self, _result: None = None) -> None:
        """Back from a learner's screen: the server stops copying it."""
        self.watching = None
        self.mirror_term.stop()
        self._send(command_line("mirror", learner=None))

    def _send(self, line: bytes) -> bool:
        """Write one command line without waiting; the rest of one the socket took only
        part of is written by a timer. True if sent."""
        if self.lost or not self.source.send(line):
            return False
        if not self.source.flush() and self._flushing is None:
            self._flushing = self.set_interval(FLUSH, self._write_rest)
        return True

    def command(self, what: str, command: str, **fields: object) -> bool:
        """Send one command and say so (``what`` names it in the notification): sent, or not
        because the server is gone or not reading. Never waits, never raises; True if sent."""
        try:
            line = command_line(command, **fields)
        except ValueError:  # never, from these keys: the server would ignore it
            self.notify(t("teacher.not_sent_bad", what=what), severity="error", markup=False)
            return False
        if not self._send(line):
            gone = self.lost or self.source.gone
            self.notify(t("teacher.not_sent_gone" if gone else "teacher.not_sent_busy",
                          what=what), severity="error", markup=False)
            return False
        self.notify(t("teacher.sent", what=what), markup=False)
        return True

    def _write_rest(self) -> None:
        """Write more of a command the socket took only part of; stop once it is all out (or
        the server is gone)."""
        if self.source.flush() or self.source.gone:
            if self._flushing is not None:
                self._flushing.stop()
            self._flushing = None

    def action_goto(self) -> None:
        """Ask for a step, and move everyone to it."""
        if self._dialog_open():
            return
        top = class_total(self.snapshot)
        prompt = t("teacher.dialog.goto_prompt", range=_range(top))
        self.push_screen(StepDialog(t("teacher.dialog.goto_title"), prompt, top),
                         self._goto_answered)

    def _goto_answered(self, answer: str | None) -> None:
        if answer is not None:
            step = int(answer)
            self.command(t("teacher.cmd.goto", step=step), "goto", step=step)

    def action_lead_phase(self, phase: str) -> None:
        """Move everyone to the start of ``phase`` (one of tui.served.LEAD_PHASES)."""
        if self._dialog_open() or phase not in LEAD_PHASES:
            return
        self.command(t(f"teacher.cmd.phase.{phase}"), "phase", phase=phase)

    def action_lead_lesson(self) -> None:
        """Ask for a lesson (a built-in one, or one of the folder's), and move everyone to it."""
        if self._dialog_open():
            return
        from engine import BUILTIN_SCENARIOS
        from tui.lessons_dir import LessonsPolicy, safe_name

        builtins = [(name, t(f"scenario.{name}")) for name in BUILTIN_SCENARIOS]
        listing, problem = None, None
        if self.lessons is not None:
            try:
                listing = LessonsPolicy(self.lessons, sandbox=True).listing()
            except OSError as error:
                problem = t("teacher.dialog.lesson_unreadable",
                            reason=safe_name(error.strerror or str(error)))
        files = listing.names if listing is not None else ()
        self.push_screen(LessonDialog(builtins, files, listing is not None and listing.more,
                                      problem), self._lesson_answered)

    def _lesson_answered(self, name: str | None) -> None:
        if name is not None:
            from tui.lessons_dir import safe_name

            self.command(t("teacher.cmd.lesson", name=safe_name(name)), "lesson", lesson=name)

    def action_hold(self) -> None:
        """Release the hold if one is on; else ask for a step and hold the class at it."""
        if self._dialog_open():
            return
        if self.snapshot is not None and self.snapshot.hold is not None:
            self.command(t("teacher.cmd.release"), "hold", step=None)
            return
        top = class_total(self.snapshot)
        prompt = t("teacher.dialog.hold_prompt", range=_range(top))
        step = class_step(self.snapshot)
        if step is not None and top is not None:
            step = min(step, top)
        self.push_screen(StepDialog(t("teacher.dialog.hold_title"), prompt, top, step),
                         self._hold_answered)

    def _hold_answered(self, answer: str | None) -> None:
        if answer is not None:
            step = int(answer)
            self.command(t("teacher.cmd.hold", step=step), "hold", step=step)

    def action_broadcast(self) -> None:
        """Ask for a line to show every learner (empty: clear the one on show)."""
        if self._dialog_open():
            return
        current = self.snapshot.broadcast if self.snapshot is not None else None
        self.push_screen(BroadcastDialog(current), self._broadcast_answered)

    def _broadcast_answered(self, answer: str | None) -> None:
        if answer is None:
            return
        if answer:
            self.command(t("teacher.cmd.message", text=answer), "broadcast", text=answer)
        else:
            self.command(t("teacher.cmd.clear"), "broadcast", text=None)

    def action_export(self) -> None:
        """Have the server write the class's records (the paths come back in a notification)."""
        if self._dialog_open():
            return
        self.command(t("teacher.cmd.export"), "export")

    def action_help(self) -> None:
        """Open the help."""
        from tui.teacher.help import ClassHelpScreen

        if not isinstance(self.screen, ClassHelpScreen):
            self.push_screen(ClassHelpScreen())
