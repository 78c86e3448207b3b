"""The tutor: a Textual app that steps the learner through the engine's walkthrough.

The app keeps the models (the :class:`~tui.lesson.Lesson` and the :class:`~tui.quiz.Quiz`),
the keys that mean the same on every screen (help, language, screenshot, quit) and the command
palette's commands; the lesson itself is :class:`~tui.screens.lesson.LessonScreen`.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from engine import BUILTIN_SCENARIOS, Scenario
from engine.records import PHASES
from tui.glyphs import glyphs, shown, use_ascii
from tui.i18n import LANGUAGES, language, set_language, t
from tui.lesson import Lesson
from tui.quiz import Quiz
from tui.screens.lesson import LessonScreen
from tui.textual_compat import TutorPalette, relabel


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
        Binding("f2", "screenshot", t("key.screenshot"), id="screenshot", show=False),
    ]

    def __init__(self, scenario: Scenario, *, ascii_only: bool = False) -> None:
        """The tutor on ``scenario``; ``ascii_only`` draws everything with ASCII characters."""
        use_ascii(ascii_only)
        super().__init__()
        # No animations: over SSH every frame of a sliding underline is bytes on the wire.
        self.animation_level = "none"
        self.lesson = Lesson(scenario)
        self.quiz = Quiz()
        self.closing = False
        """True once q is pressed: keys already typed behind it do nothing more."""
        if ascii_only:
            self.add_class("-ascii")

    def on_mount(self) -> None:
        """Key labels in the language in use (Textual read BINDINGS at import)."""
        relabel(self)

    def get_default_screen(self) -> Screen[None]:
        """The lesson."""
        return LessonScreen(self.size)

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
        await super().action_quit()

    def action_help(self) -> None:
        """Open the help screen."""
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_command_palette(self) -> None:
        """Open the command palette: Textual's, with PageUp and PageDown that cannot crash it
        and a bounded search field (see TutorPalette)."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(TutorPalette(id="--command-palette"))

    def action_toggle_language(self) -> None:
        """Switch to the next language, at the same step: every word is drawn again."""
        set_language(LANGUAGES[(LANGUAGES.index(language()) + 1) % len(LANGUAGES)])
        relabel(self)
        self.lesson_screen.language = language()

    def action_screenshot(self) -> None:
        """Save an SVG screenshot of the screen as it is, and say where."""
        from tui.saving import save_directory

        try:
            path = self.save_screenshot(path=str(save_directory()))
        except OSError as error:
            self.notify(t("save.failed", reason=error.strerror or type(error).__name__),
                        severity="error", markup=False)
            return
        self.notify(t("save.screenshot", path=path), markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's own commands, plus one per phase and one per lesson."""
        yield from super().get_system_commands(screen)
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
