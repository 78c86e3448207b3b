"""The tutor: a Textual app that steps the learner through the engine's walkthrough.

State lives in one place, :attr:`TutorApp.cursor` (a :class:`~tui.lesson.Cursor` from the
:class:`~tui.lesson.Lesson`); every pane is bound to it with ``data_bind`` and redraws itself in
its own ``watch_cursor``. Keys move the lesson and set the App's state; the only widget an
action touches itself is the quiz's answer box, which asks the learner and hands the answer
back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.actions import parse
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.events import Resize
from textual.lazy import Lazy
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Static

from engine import BUILTIN_SCENARIOS, Scenario
from engine.builtin import article_partner
from engine.records import PHASES, Phase, iteration_samples
from tui.bindings import relabel
from tui.glyphs import Glyphs
from tui.i18n import LANGUAGES, language, set_language, t
from tui.lesson import Cursor, Lesson
from tui.quiz import Quiz, QuizNote, parse_answer
from tui.widgets.delta_table import DeltaTable
from tui.widgets.explanation import ExplanationPane
from tui.widgets.forward_table import ForwardTable
from tui.widgets.header import LessonHeader
from tui.widgets.key_footer import KeyFooter
from tui.widgets.network import NetworkDiagram
from tui.widgets.pane_tabs import PaneTabs
from tui.widgets.update_table import UpdateTable

if TYPE_CHECKING:
    from tui.screens.training import TrainedWeights
    from tui.widgets.answer_box import AnswerBox

# The screens behind keys (help, lesson chooser, training, editor, …) are imported when first
# opened, not at start-up: the first frame needs none of them (see bench/tui.py).

#: Below this the tutor asks for a larger terminal (and keeps the learner's place).
MIN_WIDTH, MIN_HEIGHT = 60, 18
#: From this size on, all four panes and the explanation are shown at once.
WIDE_WIDTH, WIDE_HEIGHT = 120, 34

PANES = ("network", "forward", "deltas", "updates")
PANE_OF_PHASE: dict[Phase | None, str] = {
    None: "network",
    "forward": "forward",
    "loss": "forward",
    "backward": "deltas",
    "update": "updates",
}


class MainScreen(Screen[None]):
    """The screen the lesson is composed on."""

    def on_screen_resume(self) -> None:
        """Back on top after a dialog: fit the arrangement to the terminal as it is now."""
        app = self.app
        if isinstance(app, TutorApp):
            app.call_later(app.refit)


class TutorApp(App[None]):
    """Step through backpropagation, one number at a time."""

    CSS_PATH = "app.tcss"
    TITLE = "backprop-tutor"
    #: Nothing takes the keyboard on its own: every key steps the lesson unless the learner
    #: is typing in the quiz's answer box.
    AUTO_FOCUS = None

    BINDINGS = [
        # Binding ids name the catalogue entry of the label ("key.<id>"); see _rebind.
        Binding("right,space,n", "next", t("key.next"), key_display="\u2192", id="next"),
        Binding("left,backspace,p", "previous", t("key.previous"), key_display="\u2190",
                id="previous"),
        Binding("right_square_bracket,pagedown", "next_phase", t("key.next_phase"),
                key_display="]", id="next_phase"),
        Binding("left_square_bracket,pageup", "previous_phase", t("key.previous_phase"),
                key_display="[", id="previous_phase"),
        Binding("home", "first", t("key.first"), id="first"),
        Binding("end", "last", t("key.last"), id="last"),
        # One key, two names: the footer says "Next sample" or "Next epoch" as the lesson does.
        Binding("enter", "next_iteration('sample')", t("key.next_sample"), key_display="\u23ce",
                id="next_sample"),
        Binding("enter", "next_iteration('epoch')", t("key.next_epoch"), key_display="\u23ce",
                id="next_epoch"),
        Binding("question_mark,f1", "help", t("key.help"), key_display="?", id="help"),
        Binding("q", "quit", t("key.quit"), id="quit"),
        Binding("t", "train", t("key.train"), id="train"),
        Binding("k", "toggle_quiz", t("key.quiz"), id="quiz"),
        Binding("l", "toggle_language", t("key.language"), id="language"),
        Binding("c", "toggle_corrected", t("key.corrected"), id="corrected"),
        Binding("v", "compare", t("key.compare"), id="compare"),
        Binding("e", "edit", t("key.edit"), id="edit"),
        Binding("o", "open_file", t("key.open"), id="open"),
        Binding("w", "save", t("key.save"), id="save"),
        Binding("f2", "screenshot", t("key.screenshot"), id="screenshot"),
        Binding("r", "restart", t("key.restart"), id="restart"),
        Binding("s", "choose_scenario", t("key.scenario"), id="scenario"),
        Binding("1", "pane('network')", t("key.pane1"), id="pane1"),
        Binding("2", "pane('forward')", t("key.pane2"), id="pane2"),
        Binding("3", "pane('deltas')", t("key.pane3"), id="pane3"),
        Binding("4", "pane('updates')", t("key.pane4"), id="pane4"),
    ]
    #: Which bindings the footer shows: all of these on a wide terminal, the first group on
    #: a narrow one (the help screen lists every key).
    FOOTER_ALWAYS = ("next", "previous", "next_phase", "next_sample", "next_epoch", "help", "quit")
    FOOTER_WIDE = ("train", "quiz", "corrected", "compare", "edit", "open", "save", "language",
                   "restart", "scenario")

    # Plain vars, not reactives: the app itself never repaints for them; each pane redraws
    # only what changed (a reactive would repaint the whole screen on every key).
    cursor: var[Cursor | None] = var(None, always_update=True)
    quiz_on: var[bool] = var(False)
    quiz_note: var[QuizNote | None] = var(None)
    pane: var[str] = var("network")
    layout_mode: var[str] = var("compact")
    """``wide`` (all panes), ``compact`` (one pane at a time) or ``tiny`` (too small)."""

    def __init__(self, scenario: Scenario, *, ascii_only: bool = False) -> None:
        super().__init__()
        # No animations: over SSH every frame of a sliding underline is bytes on the wire.
        self.animation_level = "none"
        self.glyphs = Glyphs(ascii_only)
        self.lesson = Lesson(scenario)
        self.quiz = Quiz()
        self._quitting = False
        self._available: tuple[bool | None, ...] = ()
        """What check_action said of every key when the footer last heard (see on_mount)."""
        self._arranged = False
        self._pane_phase: Phase | None | str = "unset"
        """The phase the visible pane was last chosen for; "unset" makes the next move choose."""
        if ascii_only:
            self.add_class("-ascii")

    def compose(self) -> ComposeResult:
        """The arrangement for the current terminal size; every pane bound to the cursor.

        Changing :attr:`layout_mode` composes again: the panes are rebuilt from the cursor,
        so nothing of the learner's place is lost.
        """
        g = self.glyphs
        if not self._arranged:
            # The first arrangement fits the terminal already: no second compose at start-up,
            # and the keys are labelled before the footer is made, so it is made once.
            self._arranged = True
            self.set_reactive(TutorApp.layout_mode, self._mode_for(*self.size))
            self._rebind()
        if self.layout_mode == "tiny":
            yield Static(self._too_small_message(), id="too-small", markup=False)
            return
        yield LessonHeader(g, id="header").data_bind(TutorApp.cursor, TutorApp.quiz_note)
        network = ScrollableContainer(
            NetworkDiagram(g, id="diagram").data_bind(TutorApp.cursor),
            id="network",
            can_focus=False,
        )
        compact = self.layout_mode != "wide"
        panes: dict[str, Widget] = {"network": network}
        for name, table in (("forward", ForwardTable), ("deltas", DeltaTable),
                            ("updates", UpdateTable)):
            # A table hidden behind another pane skips its work until shown: it observes the
            # pane as well as the cursor.
            panes[name] = table(g, compact=compact, id=name).data_bind(
                TutorApp.cursor, TutorApp.pane
            )
        for name, widget in panes.items():
            widget.border_title = g.text(t(f"pane.{name}"))
            widget.add_class("pane")
        explanation = ExplanationPane(g, compact=compact, id="explanation").data_bind(
            TutorApp.cursor, TutorApp.quiz_note
        )
        explanation.border_title = g.text(t("pane.explanation"))
        if self.layout_mode == "wide":
            with Vertical(id="panes"):
                with Horizontal(id="top"):
                    yield panes["network"]
                    yield explanation
                # The tables fill in with the walkthrough, after the first frame: mounting
                # them later keeps that frame to what it shows (see bench/tui.py, start).
                with Lazy(Horizontal(id="bottom")):
                    yield panes["forward"]
                    with Vertical(id="right"):
                        yield panes["deltas"]
                        yield panes["updates"]
        else:
            yield PaneTabs(g, PANES, id="tabs").data_bind(TutorApp.pane)
            with ContentSwitcher(initial=self.pane, id="panes"):
                yield from panes.values()
            yield explanation
        yield KeyFooter(compact=True, show_command_palette=False)

    # --- layout ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Fit the arrangement to the terminal and show the start of the lesson.

        A new lesson's start is its opening (the network and its starting weights), which
        needs no arithmetic: the first frame is drawn before NumPy is imported, and the
        walkthrough, with the same numbers, follows once that frame is out.
        """
        self._fit(self.size.width, self.size.height)
        # The footer was made with the keys as they are now: no refresh for the first cursor.
        # (Not in __init__: check_action reads layout_mode, and reading a reactive before the
        # app runs sets it up, watcher and all: a second compose before the first frame.)
        self._available = self._key_states()
        self.cursor = self.lesson.place
        if not self.lesson.walked:
            self.call_after_refresh(self._walk_first)

    def _walk_first(self) -> None:
        """The first frame is on screen: now the engine's walkthrough (unless a key already
        asked for it)."""
        if not self.lesson.walked:
            self.cursor = self.lesson.cursor

    def watch_layout_mode(self) -> None:
        """Compose the new arrangement: the panes are rebuilt from the cursor, so nothing of
        the learner's place is lost."""
        self.call_later(self._relayout)

    async def _relayout(self) -> None:
        """Compose again, then label the new footer's keys (a wide one shows more of them)."""
        await self.recompose()
        self._rebind()

    def _rebind(self) -> None:
        """Label every binding in the current language and choose which the footer shows."""
        shown = self.FOOTER_ALWAYS + (self.FOOTER_WIDE if self.layout_mode == "wide" else ())
        relabel(self, shown)

    def on_resize(self, event: Resize) -> None:
        """Choose the arrangement for the new terminal size."""
        self._fit(event.size.width, event.size.height)

    def refit(self) -> None:
        """Fit the arrangement to the terminal's current size."""
        self._fit(*self.size)

    @staticmethod
    def _mode_for(width: int, height: int) -> str:
        """The arrangement for a terminal of this size."""
        if width < MIN_WIDTH or height < MIN_HEIGHT:
            return "tiny"
        if width >= WIDE_WIDTH and height >= WIDE_HEIGHT:
            return "wide"
        return "compact"

    def _fit(self, width: int, height: int) -> None:
        if self.screen is not self.screen_stack[0]:
            # A dialog is open: composing now would rebuild the dialog, not the lesson. The
            # lesson's screen fits itself when it is back on top (MainScreen).
            return
        self.layout_mode = self._mode_for(width, height)
        if self.layout_mode == "tiny":
            for message in self.query("#too-small").results(Static):
                message.update(self._too_small_message())

    def get_default_screen(self) -> Screen[None]:
        """The lesson's screen, which fits the layout to the terminal whenever it is back on
        top (the terminal may have been resized while a dialog was open)."""
        return MainScreen(id="_default")

    def _too_small_message(self) -> str:
        width, height = self.size
        return self.glyphs.text(
            t("too_small", width=width, height=height, min_width=MIN_WIDTH,
              min_height=MIN_HEIGHT)
        )

    def watch_pane(self, pane: str) -> None:
        """Show the chosen pane (narrow terminals show one pane at a time)."""
        for switcher in self.query("#panes").results(ContentSwitcher):
            switcher.current = pane

    def on_pane_tabs_chosen(self, event: PaneTabs.Chosen) -> None:
        """A click on the pane bar."""
        self.pane = event.pane

    # --- state -----------------------------------------------------------------------------

    def watch_cursor(self, cursor: Cursor | None) -> None:
        """Follow the phase with the visible pane, and grey out keys that do nothing now."""
        if cursor is None:
            return
        if cursor.phase != self._pane_phase:
            self._pane_phase = cursor.phase
            self.pane = PANE_OF_PHASE[cursor.phase]
        self._note_quiz()
        available = self._key_states()
        if available != self._available:
            # The footer updates its keys on a refresh: only when a key's state changed.
            self._available = available
            self.refresh_bindings()

    def _key_states(self) -> tuple[bool | None, ...]:
        """What :meth:`check_action` says of every key now: the footer is refreshed when any
        of it changes (asked of check_action itself, so nothing here can fall out of step)."""
        return tuple(self.check_action(name, params) for name, params in _ACTIONS)

    def _note_quiz(self) -> None:
        """Tell the explanation and header how the quiz stands at the cursor."""
        cursor = self.cursor
        if not self.quiz_on or cursor is None:
            self.quiz_note = None
            return
        iteration = cursor.walkthrough.iteration
        summary = None
        if cursor.at_end:
            missed = tuple(sorted(self.quiz.missed(iteration).items()))
            summary = (self.quiz.iteration_score(iteration), missed)
        self.quiz_note = QuizNote(
            self.quiz.verdicts.get((iteration, cursor.k)), self.quiz.score, summary
        )

    def watch_quiz_on(self) -> None:
        """Show or hide the quiz's words."""
        self._note_quiz()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """None (shown greyed out) for a move that is not possible from here."""
        if self._quitting:
            return False  # keys typed after q in the same burst: the tutor is closing
        if self.layout_mode == "tiny" and action not in ("quit", "help"):
            return None  # nothing to act on until the terminal is large enough again
        lesson = self.lesson
        enabled = {
            "next": lesson.can_next,
            "next_phase": lesson.can_next,
            "last": lesson.can_next,
            "previous": lesson.can_previous,
            "previous_phase": lesson.can_previous,
            "first": lambda: not lesson.place.at_start,
            "next_iteration": lesson.can_next_iteration,
        }.get(action)
        if action == "toggle_language":
            return None if self.glyphs.ascii_only else True  # ASCII cannot draw Chinese
        if action in ("toggle_corrected", "compare"):
            return True if article_partner(lesson.scenario) is not None else None
        if action == "next_iteration":
            unit = "epoch" if lesson.scenario.update == "batch" else "sample"
            if parameters and parameters[0] != unit:
                return False  # the other name of the Enter key: hidden
        if enabled is None:
            return True
        return True if enabled() else None

    def get_key_display(self, binding: Binding) -> str:
        """Key names in the footer, in ASCII when asked."""
        return self.glyphs.text(super().get_key_display(binding))

    # --- actions ---------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Close the tutor; keys already typed behind q do nothing more."""
        self._quitting = True
        await super().action_quit()

    async def action_next(self) -> None:
        """One step on; in quiz mode, first ask for the value about to be revealed."""
        cursor = self.lesson.cursor
        if self.quiz_on and self.lesson.can_next():
            k = cursor.k + 1
            if not self.quiz.answered(cursor.walkthrough.iteration, k):
                step = cursor.walkthrough.steps[k]
                prompt = t("quiz.prompt", target=step.target, formula=step.formula)
                (await self._answer_box()).ask(self.glyphs.text(prompt))
                return
        self.cursor = self.lesson.next()

    async def _answer_box(self) -> AnswerBox:
        """The quiz's answer box, mounted above the footer the first time it is needed
        (nothing at start-up pays for a text input the learner may never use)."""
        from tui.widgets.answer_box import AnswerBox

        for box in self.screen_stack[0].query(AnswerBox).results(AnswerBox):
            return box
        box = AnswerBox(id="answer")
        await self.screen_stack[0].mount(box, before=self.screen_stack[0].query_one(KeyFooter))
        return box

    def _close_answer_box(self) -> None:
        """Hide the answer box, if there is one."""
        for box in self.screen_stack[0].query("#answer"):
            box.close()  # type: ignore[attr-defined]

    async def on_answer_box_answered(self, event: AnswerBox.Answered) -> None:
        """Judge the answer, then reveal the step with the verdict beside it."""
        box = await self._answer_box()
        answer = parse_answer(event.text)
        if answer is None and event.text.strip():
            box.complain(self.glyphs.text(t("quiz.not_a_number", text=event.text)))
            return
        box.close()
        cursor = self.lesson.cursor
        self.quiz.check(cursor.walkthrough, cursor.k + 1, answer)
        self.cursor = self.lesson.next()

    async def action_toggle_language(self) -> None:
        """Switch to the next language; the panes are rebuilt at the same step."""
        set_language(LANGUAGES[(LANGUAGES.index(language()) + 1) % len(LANGUAGES)])
        await self.recompose()
        self._rebind()  # after: the new footer must hear of the relabelled keys

    def action_toggle_quiz(self) -> None:
        """Quiz mode on or off: predict each value before it is revealed."""
        self.quiz_on = not self.quiz_on
        if not self.quiz_on:
            self._close_answer_box()
            self.notify(self.glyphs.text(t("quiz.off")), markup=False)
        # On: the header counts the answers and the answer box says how to use it; a toast
        # would sit on the answer box, in the bottom right corner, just as it opens.

    def action_previous(self) -> None:
        """One step back."""
        self.cursor = self.lesson.previous()

    def action_next_phase(self) -> None:
        """To the end of the current (or next) phase."""
        self.cursor = self.lesson.next_phase()

    def action_previous_phase(self) -> None:
        """Back to the end of the previous phase."""
        self.cursor = self.lesson.previous_phase()

    def action_first(self) -> None:
        """The start of this iteration."""
        self.cursor = self.lesson.first()

    def action_last(self) -> None:
        """The last step of this iteration."""
        self.cursor = self.lesson.last()

    def action_next_iteration(self, unit: str = "sample") -> None:
        """The next sample (online) or epoch (batch), from the updated weights."""
        self.cursor = self.lesson.next_iteration()

    def action_restart(self) -> None:
        """Back to the very start of the lesson, with the network pane in view again."""
        self._pane_phase = "unset"
        self.cursor = self.lesson.restart()

    def action_train(self) -> None:
        """Open the training view on the weights the lesson has reached."""
        from tui.screens.training import TrainingScreen

        cursor = self.lesson.cursor
        w = cursor.walkthrough
        weights = list(w.weights_after if cursor.at_end else w.weights_before)
        (first_sample, *_), _epoch = iteration_samples(self.lesson.scenario, self._next_iteration())
        self.push_screen(
            TrainingScreen(self.lesson.scenario, weights, self.glyphs, first_sample),
            self.trained,
        )

    def _next_iteration(self) -> int:
        """The iteration the lesson goes on with: this one, or the next once it is done."""
        cursor = self.lesson.cursor
        return cursor.walkthrough.iteration + (1 if cursor.at_end else 0)

    def trained(self, result: TrainedWeights | None) -> None:
        """Step on from the trained weights (nothing changes when no epoch ran): training
        started at the lesson's next sample, so they are its weights that many iterations on."""
        if result is None or result.epochs == 0:
            return
        s = self.lesson.scenario
        per_epoch = 1 if s.update == "batch" else s.n_samples
        start = self._next_iteration() + result.epochs * per_epoch
        self.lesson = Lesson(s, result.weights, start=start)
        self._pane_phase = "unset"
        self.cursor = self.lesson.cursor

    def action_toggle_corrected(self) -> None:
        """Switch between the article's rule and the corrected one, keeping the place."""
        partner = article_partner(self.lesson.scenario)
        if partner is not None:
            self.cursor = self.lesson.switch_scenario(partner)

    def action_compare(self) -> None:
        """Show both rules' updates side by side, from this iteration's weights."""
        from engine.errata import compare_rules
        from tui.screens.compare import CompareScreen

        if article_partner(self.lesson.scenario) is not None:
            w = self.lesson.cursor.walkthrough
            comparison = compare_rules(list(w.weights_before), w.iteration)
            self.push_screen(CompareScreen(comparison, self.glyphs))

    def action_pane(self, pane: str) -> None:
        """Show one pane (on narrow terminals)."""
        self.pane = pane

    def action_help(self) -> None:
        """Open the help screen."""
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.glyphs))

    def action_choose_scenario(self) -> None:
        """Open the lesson chooser."""
        from tui.screens.scenarios import ScenarioScreen

        self.push_screen(ScenarioScreen(self.glyphs, self.lesson.scenario.name), self.open_lesson)

    def open_lesson(self, name: str | None) -> None:
        """Start the named built-in lesson from its beginning (None: keep the current one)."""
        if name is not None and name in BUILTIN_SCENARIOS:
            self.start_lesson(BUILTIN_SCENARIOS[name])

    def start_lesson(self, scenario: Scenario | None) -> None:
        """Start a lesson from its beginning (None: keep the current one)."""
        if scenario is None:
            return
        self.lesson = Lesson(scenario)
        self._pane_phase = "unset"
        self.cursor = self.lesson.cursor

    def action_edit(self) -> None:
        """Change the lesson's settings; the walkthrough starts again with them."""
        from tui.screens.editor import EditorScreen

        self.push_screen(EditorScreen(self.lesson.scenario, self.glyphs), self.start_lesson)

    def action_open_file(self) -> None:
        """Open a scenario file; a broken one is explained and the lesson kept."""
        from tui.screens.open_file import OpenFileScreen

        self.push_screen(OpenFileScreen(self.glyphs), self.start_lesson)

    def action_save(self) -> None:
        """Write the scenario (TOML that loads back to this lesson) and this iteration's
        transcript (markdown), and say where."""
        from tui.saving import save_directory, save_lesson

        w = self.lesson.cursor.walkthrough
        try:
            toml_path, md_path = save_lesson(w, save_directory())
        except OSError as error:
            reason = error.strerror or type(error).__name__
            self.notify(self.glyphs.text(t("save.failed", reason=reason)), severity="error",
                        markup=False)
            return
        saved = t("save.done", toml=str(toml_path), md=str(md_path))
        self.notify(self.glyphs.text(saved), markup=False)

    def action_screenshot(self) -> None:
        """Save an SVG screenshot of the screen as it is, and say where."""
        from tui.saving import save_directory

        try:
            path = self.save_screenshot(path=str(save_directory()))
        except OSError as error:
            reason = error.strerror or type(error).__name__
            self.notify(self.glyphs.text(t("save.failed", reason=reason)), severity="error",
                        markup=False)
            return
        self.notify(self.glyphs.text(t("save.screenshot", path=path)), markup=False)

    def go_to_phase(self, phase: Phase) -> None:
        """Jump to the end of a phase of this iteration (from the command palette)."""
        self.cursor = self.lesson.go_to_phase(phase)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's own commands, plus one per phase and one per lesson."""
        yield from super().get_system_commands(screen)
        for phase in PHASES:
            yield SystemCommand(
                self.glyphs.text(t("palette.phase", phase=t(f"phase.{phase}"))),
                self.glyphs.text(t("palette.phase_help")),
                lambda phase=phase: self.go_to_phase(phase),  # type: ignore[misc]
            )
        for name in BUILTIN_SCENARIOS:
            yield SystemCommand(
                t("palette.scenario", name=name),
                self.glyphs.text(t("palette.scenario_help")),
                lambda name=name: self.open_lesson(name),  # type: ignore[misc]
            )


#: Every key's action and parameters, as check_action is asked about them.
_ACTIONS = tuple(parse(binding.action)[1:] for binding in TutorApp.BINDINGS)
