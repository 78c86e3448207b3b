"""The tutor: a Textual app that steps the learner through the engine's walkthrough.

The app keeps the models (the :class:`~tui.lesson.Lesson` and the :class:`~tui.quiz.Quiz`),
the keys that mean the same on every screen (help, language, screenshot, quit) and the command
palette's commands; the lesson itself is :class:`~tui.screens.lesson.LessonScreen`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.driver import Driver
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import ThemeProvider

from engine import BUILTIN_SCENARIOS, Scenario
from engine.records import PHASES
from tui.ending import EndingSignals
from tui.glyphs import glyphs, shown, use_ascii
from tui.i18n import LANGUAGES, language, set_language, t
from tui.lesson import Lesson
from tui.lessons_dir import OPEN, LessonsPolicy, use_policy
from tui.progress import ProgressFile, place_of, resume
from tui.quiz import Quiz
from tui.reporting import Reporter
from tui.screens.lesson import LessonScreen
from tui.serve.options import format_duration
from tui.served import (
    NOTICES,
    Broadcast,
    Hold,
    Lead,
    Notice,
    Repaint,
    ServerChannel,
    ServerMessage,
)
from tui.textual_compat import TutorPalette, relabel, sleeping_driver
from tui.widgets.text_field import printable

if TYPE_CHECKING:
    from textual.timer import Timer

    from tui.lesson import Cursor
    from tui.quiz import Verdict
    from tui.screens.training import TrainingProgress

#: Moves between two writes of the learner's place (and on quit, and on a lesson change).
SAVE_EVERY = 5


class TutorApp(App[None]):
    """Step through backpropagation, one number at a time."""

    CSS_PATH = "app.tcss"
    TITLE = "backprop-tutor"
    #: Nothing takes the keyboard on its own, on any screen: every key steps the lesson
    #: unless the learner is typing in the quiz's answer box (a screen's own None defers here).
    AUTO_FOCUS = None

    BINDINGS = [
        # Binding ids name the catalogue entry of the label ("key.<id>"): see relabel().
        Binding("question_mark,f1", "help", t("key.help"), key_display="?", id="help"),
        Binding("q", "quit", t("key.quit"), id="quit"),
        Binding("l", "toggle_language", t("key.language"), id="language"),
        Binding("g", "glossary", t("key.glossary"), id="glossary"),
        Binding("f2", "screenshot", t("key.screenshot"), id="screenshot", show=False),
    ]

    def __init__(self, scenario: Scenario, *, ascii_only: bool = False,
                 fresh: bool = False, policy: LessonsPolicy = OPEN) -> None:
        """The tutor on ``scenario``, where the learner left it (``fresh``: from its
        beginning); ``ascii_only`` draws everything with ASCII characters; ``policy`` says
        which lesson files may be opened and whether saving may fall back on the current
        directory (``--lessons``, ``--sandbox``)."""
        use_ascii(ascii_only)
        use_policy(policy)
        super().__init__()
        self.policy = policy
        """What the open dialog offers (tui/lessons_dir.py)."""
        self._channel: ServerChannel | None = None
        self._reporter: Reporter | None = None
        """What the teacher's view hears of this learner (served only: tui/reporting.py)."""
        self._report_timer: Timer | None = None
        self.ending = EndingSignals(self._stop_taking_keys, self.remember, self.exit)
        """SIGHUP and SIGTERM: the place written, then the end (tui/ending.py)."""
        # No animations: over SSH every frame of a sliding underline is bytes on the wire.
        self.animation_level = "none"
        self.progress = ProgressFile()
        """Where each lesson was left (tui/progress.py): read now, written as the learner goes."""
        self._lesson, self.quiz, self._opening_notice, self._quiz_was_on = \
            self._reopen(scenario, fresh)
        self._moves = 0
        """Moves since the learner's place was last written."""
        self.closing = False
        """True once q is pressed: keys already typed behind it do nothing more."""
        if ascii_only:
            self.add_class("-ascii")

    def on_mount(self) -> None:
        """Key labels in the language in use (Textual read BINDINGS at import); say where the
        lesson reopens, and write the learner's place every few moves."""
        relabel(self)
        screen = self.lesson_screen
        screen.quiz_on = self._quiz_was_on
        self.watch(screen, "cursor", self._moved, init=False)
        if self._opening_notice is not None:
            message, severity = self._opening_notice
            self.notify(message, severity=severity, markup=False, timeout=8)
        if not self.is_headless:  # a real terminal, not a test's Pilot
            self.ending.catch()
        self._listen_to_server()

    def on_unmount(self) -> None:
        """The signals' handlers as they were; the server's channel closed."""
        self.ending.release()
        if self._reporter is not None:
            self._reporter.flush()
        if self._channel is not None:
            self._channel.close()
            self._channel = None

    @property
    def ended_by(self) -> int | None:
        """The signal (SIGHUP, SIGTERM) that is ending the tutor, once one came."""
        return self.ending.ended_by

    def _stop_taking_keys(self) -> None:
        """An ending signal came: keys already typed do nothing more."""
        self.closing = True

    # --- served by backprop-tutor serve (tui/served.py) ----------------------------------------

    def _listen_to_server(self) -> None:
        """Under ``serve``: show the server's notices (the session closes soon), and follow
        the teacher's lead (see :meth:`follow`)."""
        self._channel = ServerChannel.from_environment()
        if self._channel is not None:
            self._channel.start(self._notice_arrived)
            self._reporter = Reporter(self._channel.send)
            self.watch(self.lesson_screen, "cursor", self._report_place)

    def _notice_arrived(self, message: ServerMessage) -> None:
        """In the channel's thread: hand the server's line to the app's loop."""
        self.call_from_thread(self.follow, message)

    def follow(self, message: ServerMessage) -> None:
        """A line from the server: a notice (:meth:`show_notice`), or the teacher leading
        the class: a move (:meth:`LessonScreen.lead`), a hold or its release
        (:meth:`LessonScreen.hold`), a broadcast or its end
        (:meth:`LessonScreen.show_broadcast`); or a repaint (the teacher has begun to watch:
        every cell is drawn again, whatever screen is up). Nothing once the tutor is closing."""
        if isinstance(message, Repaint):
            if not self.closing and self.screen_stack:
                self.screen.refresh()
            return
        screen = self.screen_stack[0] if self.screen_stack else None
        if self.closing or not isinstance(screen, LessonScreen):
            return
        if isinstance(message, Notice):
            self.show_notice(message)
            return
        # The teacher's newest word replaces what is still up: a few leads in a row would
        # otherwise stack their notes up over the header.
        self.clear_notifications()
        if isinstance(message, Lead):
            screen.lead(message)
        elif isinstance(message, Hold):
            screen.hold(message.step)
        elif isinstance(message, Broadcast):
            screen.show_broadcast(message.text)

    def _report_place(self, cursor: Cursor | None) -> None:
        """Tell the server where the learner is now (at most a few times a second)."""
        if self._reporter is None or cursor is None:
            return
        self._reporter.place(cursor.walkthrough.scenario.name, cursor.walkthrough.iteration,
                             cursor.k + 1, cursor.step_count, cursor.phase)
        if self._report_timer is None:
            self._flush_reports()

    def _flush_reports(self) -> None:
        """Send the place that waits once it is due, by a one-shot timer (none while no
        place waits: an idle tutor stays asleep)."""
        self._report_timer = None
        if self._reporter is None:
            return
        self._reporter.flush_due()
        due = self._reporter.due()
        if due is not None:
            self._report_timer = self.set_timer(max(0.0, due - time.monotonic()) + 0.005,
                                                self._flush_reports)

    def report_answer(self, verdict: Verdict, first_try: bool) -> None:
        """Tell the server how a quiz answer went (nothing when not served)."""
        if self._reporter is not None:
            outcome = "revealed" if verdict.answer is None else \
                "right" if verdict.correct else "wrong"
            self._reporter.answer(self._lesson.scenario.name, verdict.iteration, verdict.k + 1,
                                  verdict.phase, outcome, first_try, list(verdict.slips))

    def on_training_progress(self, message: TrainingProgress) -> None:
        """A training run ended (its last report bubbles up from the training view): tell
        the server how many epochs it ran."""
        if self._reporter is not None and message.final and message.done > 0:
            self._reporter.training(self._lesson.scenario.name, message.done)

    def show_notice(self, notice: Notice) -> None:
        """A notice from the server, as a warning that stays until it no longer holds."""
        text = t(NOTICES[notice.kind], duration=format_duration(notice.seconds))
        self.bell()
        self.notify(text, severity="warning", markup=False,
                    timeout=max(5.0, min(notice.seconds, 60.0)))

    # --- progress that survives a quit (tui/progress.py) --------------------------------------

    def _reopen(self, scenario: Scenario, fresh: bool
                ) -> tuple[Lesson, Quiz, tuple[str, SeverityLevel] | None, bool]:
        """The lesson where the learner left it, its quiz, and what to tell the learner."""
        progress, name = self.progress, printable(scenario.name)
        path = printable(str(progress.path))
        if progress.problem == "corrupt":
            aside = progress.set_aside()
            notice = t("progress.corrupt", path=path, aside=printable(str(aside))) \
                if aside is not None else t("progress.unreadable", path=path)
            return Lesson(scenario), Quiz(), (notice, "warning"), False
        if progress.problem is not None:
            return Lesson(scenario), Quiz(), (t(f"progress.{progress.problem}", path=path),
                                              "warning"), False
        if fresh:
            progress.forget(scenario)
            return Lesson(scenario), Quiz(), None, False
        place, changed = progress.find(scenario)
        if place is None or place.at_beginning:
            notice = (t("progress.changed", name=name), "information") if changed else None
            return Lesson(scenario), Quiz(), notice, False
        try:
            lesson, quiz = resume(scenario, place)
        except (ValueError, TypeError, ArithmeticError):
            return Lesson(scenario), Quiz(), (t("progress.unfit", name=name), "warning"), False
        cursor = lesson.place
        notice = t("progress.resumed", name=name, epoch=cursor.walkthrough.epoch,
                   step=cursor.k + 1, total=cursor.step_count)
        return lesson, quiz, (notice, "information"), place.quiz_on

    @property
    def lesson(self) -> Lesson:
        """The lesson on screen (the lesson screen's keys and dialogs change it)."""
        return self._lesson

    @lesson.setter
    def lesson(self, lesson: Lesson) -> None:
        """Another lesson: where the learner left this one is written first."""
        if lesson is not self._lesson:
            self.remember()
        self._lesson = lesson

    def _moved(self) -> None:
        """Write the place every few moves (after the frame is out: a step never waits for
        the disk), so a killed tutor loses little."""
        self._moves += 1
        if self._moves >= SAVE_EVERY:
            self._moves = 0
            self.call_after_refresh(self.remember)

    def remember(self) -> None:
        """Write where the learner is in the lesson on screen (nothing, when the file must be
        kept as it is or nothing changed)."""
        self._moves = 0
        for screen in self.screen_stack[:1]:  # none once the tutor has closed
            if isinstance(screen, LessonScreen):
                self._quiz_was_on = screen.quiz_on
        self.progress.record(place_of(self._lesson, self.quiz, self._quiz_was_on))

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """A link's address opens in a web browser, except in a sandbox: there the browser
        would be the server's (a text one in the learner's terminal, with the server's
        files at hand). The tutor's own texts have no links; this is for any to come."""
        if not self.policy.sandbox:
            super().open_url(url, new_tab=new_tab)

    def get_default_screen(self) -> Screen[None]:
        """The lesson."""
        return LessonScreen(self.size)

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, on Linux with its input thread asleep while no key comes."""
        return sleeping_driver(super().get_driver_class())

    @property
    def lesson_screen(self) -> LessonScreen:
        """The lesson's screen, under whatever dialog is open."""
        screen = self.screen_stack[0]
        assert isinstance(screen, LessonScreen)
        return screen

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """None (greyed out) for a key that does nothing now."""
        if self.closing:
            return False
        lesson = self.screen_stack[0] if self.screen_stack else None
        if action not in ("quit", "help") and isinstance(lesson, LessonScreen) and \
                lesson.too_small:
            return None  # nothing to act on until the terminal is large enough again
        if action == "toggle_language":
            # ASCII cannot draw Chinese: the key is hidden (its label is in Chinese too).
            return False if glyphs().ascii_only else True
        return True

    def get_key_display(self, binding: Binding) -> str:
        """Key names in the footer, in ASCII when asked."""
        return shown(super().get_key_display(binding))

    async def action_quit(self) -> None:
        """Close the tutor; keys already typed behind q do nothing more."""
        self.closing = True
        self.remember()
        await super().action_quit()

    def action_help(self) -> None:
        """Open the help screen."""
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_glossary(self) -> None:
        """Open the glossary: every word and symbol the screens use (from help too)."""
        from tui.screens.glossary import GlossaryScreen

        if not isinstance(self.screen, GlossaryScreen):
            self.push_screen(GlossaryScreen())

    def action_command_palette(self) -> None:
        """Open the command palette: Textual's, with PageUp and PageDown that cannot crash it
        and a bounded search field (see TutorPalette)."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(TutorPalette(id="--command-palette",
                                          placeholder=t("palette.search")))

    def search_themes(self) -> None:
        """The theme picker (the palette's Theme command), its search field in the language
        in use."""
        self.push_screen(TutorPalette(providers=[ThemeProvider],
                                      placeholder=t("palette.search_themes")))

    def action_toggle_language(self) -> None:
        """Switch to the next language, at the same step: every word is drawn again."""
        set_language(LANGUAGES[(LANGUAGES.index(language()) + 1) % len(LANGUAGES)])
        relabel(self)
        self.lesson_screen.language = language()

    def action_screenshot(self) -> None:
        """Save an SVG screenshot of the screen as it is, and say where."""
        from tui.saving import save_directory, shown_path

        try:
            path = self.save_screenshot(path=str(save_directory()))
        except OSError as error:
            self.notify(t("save.failed", reason=error.strerror or type(error).__name__),
                        severity="error", markup=False)
            return
        self.notify(t("save.screenshot", path=shown_path(path)), markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's own commands (Textual's, said in the language in use: Textual words
        them in English), plus one per phase and one per lesson."""
        yield SystemCommand(t("palette.theme"), t("palette.theme_help"), self.search_themes)
        yield SystemCommand(t("palette.quit"), t("palette.quit_help"), self.action_quit)
        if screen.query("HelpPanel"):
            yield SystemCommand(t("palette.keys"), t("palette.keys_hide"),
                                self.action_hide_help_panel)
        else:
            yield SystemCommand(t("palette.keys"), t("palette.keys_show"),
                                self.action_show_help_panel)
        if screen.maximized is not None:
            yield SystemCommand(t("palette.minimize"), t("palette.minimize_help"),
                                screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(t("palette.maximize"), t("palette.maximize_help"),
                                screen.action_maximize)
        # The tutor's own screenshot (F2): into the save directory, and it says where.
        yield SystemCommand(t("palette.screenshot"), t("palette.screenshot_help"),
                            self.action_screenshot)
        lesson = self.lesson_screen
        for phase in PHASES:
            yield SystemCommand(
                t("palette.phase", phase=t(f"phase.{phase}")),
                t("palette.phase_help"),
                lambda phase=phase: lesson.go_to_phase(phase),  # type: ignore[misc]
            )
        for name in BUILTIN_SCENARIOS:
            yield SystemCommand(
                t("palette.scenario", name=name),
                t("palette.scenario_help"),
                lambda name=name: lesson.open_lesson(name),  # type: ignore[misc]
            )
