"""The lesson screen: every pane of the tutor, bound to the learner's place.

One widget tree, composed once. How it is arranged follows the terminal's size through CSS
classes set in :meth:`LessonScreen.on_resize` (``-wide``: every pane at once; ``-compact``: one
pane at a time; ``-tiny``: only a request for a larger terminal) and the pane on show (``-off``
on what holds none of it); ``app.tcss`` does the rest. The state the panes draw lives in this
screen's vars (the cursor, the quiz's note, the pane); every pane observes them with
``data_bind`` and redraws only what changed. The lesson itself (a plain
:class:`~tui.lesson.Lesson`) and the quiz's answers belong to the app.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.events import Resize
from textual.reactive import var
from textual.screen import Screen

from engine import BUILTIN_SCENARIOS, Scenario
from engine.builtin_lessons import article_partner
from engine.records import Phase, iteration_samples
from tui.i18n import language, t
from tui.lesson import Cursor, Lesson, Move
from tui.quiz import QuizNote, question, round_summary
from tui.textual_compat import relabel
from tui.widgets.delta_table import DeltaTable
from tui.widgets.explanation import ExplanationPane
from tui.widgets.forward_table import ForwardTable
from tui.widgets.header import LessonHeader, teacher_words
from tui.widgets.key_footer import KeyFooter
from tui.widgets.mount_later import MountLater
from tui.widgets.network import NetworkDiagram
from tui.widgets.pane_group import PaneGroup
from tui.widgets.pane_tabs import PaneTabs
from tui.widgets.step_table import StepTable
from tui.widgets.too_small import TooSmall
from tui.widgets.update_table import UpdateTable

if TYPE_CHECKING:
    from engine.walkthrough import Walkthrough
    from tui.app import TutorApp
    from tui.screens.training import TrainedWeights
    from tui.served import Lead
    from tui.widgets.answer_box import AnswerBox

# The dialogs behind keys (training, editor, compare, …) are imported when first opened, not
# at start-up: the first frame needs none of them (see bench/tui.py).

#: Below this the tutor asks for a larger terminal (and keeps the learner's place).
MIN_WIDTH, MIN_HEIGHT = 60, 18
#: From this size on, all four panes and the explanation are shown at once.
WIDE_WIDTH, WIDE_HEIGHT = 120, 34
#: How long the teacher's hold is said, when a key would go past it: one toast for a burst of
#: keys (a held-down arrow), not one per key.
HELD_NOTICE_SECONDS = 4.0

PANES = ("network", "forward", "deltas", "updates")
PANE_OF_PHASE: dict[Phase | None, str] = {
    None: "network",
    "forward": "forward",
    "loss": "forward",
    "backward": "deltas",
    "update": "updates",
}


def layout_for(width: int, height: int) -> str:
    """The arrangement for a terminal of this size: ``wide``, ``compact`` or ``tiny``."""
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        return "tiny"
    if width >= WIDE_WIDTH and height >= WIDE_HEIGHT:
        return "wide"
    return "compact"


def _move(key: str, move: str, label: str, **options: object) -> Binding:
    """A binding for one of the lesson's moves; ``label`` names its catalogue entry."""
    return Binding(key, f"move('{move}')", t(f"key.{label}"), id=label, **options)  # type: ignore[arg-type]


class LessonScreen(Screen[None]):
    """Step through the lesson: the moves, the panes, the quiz and the dialogs about it."""

    BINDINGS = [
        # Binding ids name the catalogue entry of the label ("key.<id>"): see relabel().
        _move("right,space,n", "next", "next", key_display="→"),
        _move("left,backspace,p", "previous", "previous", key_display="←"),
        _move("right_square_bracket,pagedown", "next_phase", "next_phase", key_display="]"),
        _move("left_square_bracket,pageup", "previous_phase", "previous_phase",
              key_display="[", show=False),
        _move("home", "first", "first", show=False),
        _move("end", "last", "last", show=False),
        # One key, two names: the footer says "Next sample" or "Next epoch" as the lesson does.
        _move("enter", "next_iteration", "next_sample", key_display="⏎"),
        Binding("enter", "move('next_iteration', 'epoch')", t("key.next_epoch"),
                key_display="⏎", id="next_epoch"),
        Binding("t", "train", t("key.train"), id="train"),
        Binding("k", "toggle_quiz", t("key.quiz"), id="quiz"),
        Binding("c", "toggle_corrected", t("key.corrected"), id="corrected"),
        Binding("v", "compare", t("key.compare"), id="compare"),
        Binding("e", "edit", t("key.edit"), id="edit"),
        Binding("o", "open_file", t("key.open"), id="open"),
        Binding("w", "save", t("key.save"), id="save"),
        Binding("r", "restart", t("key.restart"), id="restart"),
        Binding("s", "choose_scenario", t("key.scenario"), id="scenario"),
        # The explanation scrolls by a page; the arrow keys keep stepping the lesson.
        Binding("shift+down", "scroll_explanation(1)", t("key.more_below"), id="more_below"),
        Binding("shift+up", "scroll_explanation(-1)", t("key.more_above"), id="more_above",
                show=False),
        # The network diagram, while it is larger than its pane (shown only then).
        Binding("down", "scroll_network(0, 1)", t("diagram.scroll"), key_display="↑↓",
                id="diagram.scroll"),
        Binding("up", "scroll_network(0, -1)", t("diagram.scroll_up"), id="diagram.scroll_up",
                show=False),
        Binding("shift+right", "scroll_network(1, 0)", t("diagram.scroll_sideways"),
                key_display="⇧←→", id="diagram.scroll_sideways"),
        Binding("shift+left", "scroll_network(-1, 0)", t("diagram.scroll_left"),
                id="diagram.scroll_left", show=False),
        *(
            Binding(str(n), f"show_pane('{pane}')", t(f"key.pane{n}"), id=f"pane{n}",
                    show=False)
            for n, pane in enumerate(PANES, start=1)
        ),
    ]
    #: The footer's order, by action: what a learner needs most comes first, and stays when
    #: the footer is too narrow for every key (the quiz's answer box first while it is open).
    FOOTER_ORDER = (
        "cancel", "move('next')", "move('previous')", "move('next_phase')",
        "move('next_iteration')", "move('next_iteration', 'epoch')", "help", "quit",
        "scroll_explanation(1)", "scroll_network(0, 1)", "scroll_network(1, 0)", "train",
        "toggle_quiz", "toggle_language", "toggle_corrected", "compare", "edit", "open_file",
        "save", "restart", "choose_scenario",
    )

    cursor: var[Cursor | None] = var(None, always_update=True)
    """Where the learner is: the lesson's place, as the panes draw it."""
    quiz_on: var[bool] = var(False)
    quiz_note: var[QuizNote | None] = var(None)
    pane: var[str] = var("network")
    """The pane on show when one pane is shown at a time."""
    wide: var[bool] = var(False)
    """Every pane at once (the tables then never wait to be shown)."""
    room: var[int] = var(0)
    """Rows a pane gets when one is shown at a time: a table shown this moment has no size
    yet, and scrolls by this instead, so its first frame is already the right one."""
    language: var[str] = var(language, init=False)
    """The language every word is drawn in: a change redraws them all, at the same step."""
    network_overflow: tuple[bool, bool] = (False, False)
    """Whether the network diagram is wider, and taller, than its pane (its scroll keys)."""
    broadcast: var[str | None] = var(None)
    """The teacher's message, shown in the header (served only: tui/served.py)."""
    held: int | None = None
    """The steps done in the learner's iteration the teacher holds the class at (served
    only; None: no hold): no move forward goes past it (see :meth:`_held_back`)."""
    _held_told = float("-inf")
    """When the learner was last told of the hold (time.monotonic())."""

    def __init__(self, size: tuple[int, int]) -> None:
        """A lesson screen arranged for a terminal of ``size`` from the start: styled once,
        not restyled as soon as it is mounted."""
        super().__init__(id="lesson", classes=f"-{layout_for(*size)}")
        self.set_reactive(LessonScreen.wide, layout_for(*size) == "wide")
        self._states: tuple[bool | None, ...] = ()
        """What check_action said of every key when the footer last heard."""

    @property
    def tutor(self) -> TutorApp:
        """The app, which keeps the lesson and the quiz."""
        return cast("TutorApp", self.app)

    @property
    def lesson(self) -> Lesson:
        """The lesson the app keeps."""
        return self.tutor.lesson

    @property
    def too_small(self) -> bool:
        """The terminal is too small to show the lesson: keys wait until it grows."""
        return self.has_class("-tiny")

    def compose(self) -> ComposeResult:
        """Every pane, once; CSS arranges them for the terminal's size (see module doc)."""
        cls = LessonScreen
        yield LessonHeader(id="header").data_bind(cls.cursor, cls.quiz_note, cls.language,
                                                  cls.broadcast)
        yield PaneTabs(PANES, id="tabs").data_bind(cls.pane, cls.language, cls.wide)
        with Vertical(id="panes"):
            # The tables first: one pane at a time they stand above the explanation; every
            # pane at once, #top is docked above them (app.tcss). They fill in with the
            # walkthrough, after the first frame: mounting them later keeps that frame to
            # what it shows (bench/tui.py, start).
            # Classes for the network pane, the first one shown (see _show_pane): set now,
            # each one set later would restyle its widget again.
            with MountLater(self._group(PaneGroup(holds=PANES[1:], id="bottom"))):
                yield self._table(ForwardTable(id="forward", classes="pane -off"))
                with self._group(PaneGroup(holds=("deltas", "updates"), id="right")):
                    yield self._table(DeltaTable(id="deltas", classes="pane -off"))
                    yield self._table(UpdateTable(id="updates", classes="pane -off"))
            with Horizontal(id="top", classes="-fill"):
                diagram = NetworkDiagram(id="diagram").data_bind(cls.cursor, cls.language)
                network = ScrollableContainer(diagram, id="network", classes="pane",
                                              can_focus=False)
                network.border_title = t("pane.network")
                yield network
                explanation = ExplanationPane(id="explanation")
                explanation.border_title = t("pane.explanation")
                yield explanation.data_bind(cls.cursor, cls.quiz_note, cls.language)
        yield TooSmall(MIN_WIDTH, MIN_HEIGHT, id="too-small").data_bind(cls.language)
        yield KeyFooter(first=self.FOOTER_ORDER)

    def _group(self, group: PaneGroup) -> PaneGroup:
        """A container of tables, bound to the pane on show."""
        return group.data_bind(LessonScreen.pane, LessonScreen.wide)

    def _table(self, table: StepTable) -> StepTable:
        """A table pane, titled, bound to what it shows (a table hidden behind another pane
        skips its work until shown)."""
        table.border_title = t(f"pane.{table.id}")
        cls = LessonScreen
        return table.data_bind(cls.cursor, cls.room, cls.pane, cls.wide, cls.language)

    def watch_language(self) -> None:
        """Titles and key labels in the new language (the panes redraw themselves)."""
        relabel(self)
        for widget in self.query("#panes .pane, #explanation"):
            widget.border_title = t(f"pane.{widget.id}")
        self.call_after_refresh(self.query_one(KeyFooter).refresh_keys)

    def on_mount(self) -> None:
        """Fit the terminal, label the keys, and show the start of the lesson.

        A new lesson's start is its opening (the network and its starting weights), which
        needs no arithmetic: the first frame is drawn before NumPy is imported, and the
        walkthrough, with the same numbers, follows once that frame is out.
        """
        self._fit(self.app.size.width, self.app.size.height)
        relabel(self)
        self._states = self._key_states()
        self.show_place(pane="network")

    def _walk_first(self) -> None:
        """The opening's frame is on screen: now the engine's walkthrough."""
        if not self.lesson.walked:
            self.cursor = self.lesson.walk_first()

    def walkthrough(self) -> Walkthrough:
        """The walkthrough at the learner's place, for a key that needs its numbers: made
        now if the lesson is still at its opening, and shown, so the screen never draws
        another place than the lesson's."""
        if not self.lesson.walked:
            self._walk_first()
        return self.lesson.walkthrough()

    # --- the arrangement --------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        """Arrange the panes for the terminal's new size (CSS classes only)."""
        self._fit(event.size.width, event.size.height)

    def on_screen_resume(self) -> None:
        """Back on top after a dialog: the terminal may have been resized meanwhile, and the
        keys relabelled (a language switch from a dialog is not heard by a covered screen's
        footer)."""
        self._fit(self.app.size.width, self.app.size.height)
        self.call_after_refresh(self.query_one(KeyFooter).refresh_keys)

    def _fit(self, width: int, height: int) -> None:
        layout = layout_for(width, height)
        for name in ("wide", "compact", "tiny"):
            self.set_class(layout == name, f"-{name}")
        self.wide = layout == "wide"
        self._refresh_keys()

    def watch_pane(self) -> None:
        """Show the chosen pane."""
        self._show_pane()

    def watch_wide(self) -> None:
        """One pane at a time again: the chosen one."""
        self._show_pane()

    def _show_pane(self) -> None:
        """When one pane is shown at a time, ``-off`` hides what holds none of the chosen one
        and ``-fill`` gives the network the room. On the widgets themselves, not the screen,
        and not when every pane is shown: a class change restyles and repaints the widget and
        all it holds. The tables and their containers, mounted after the first frame, mark
        themselves (StepTable, PaneGroup).

        Known cost: showing another pane changes the size of #top, #bottom or #right, and
        Textual lays a container whose size changed out again a frame later. At 80x24 the
        three pane changes of an iteration each send a second frame of about 4 KB, 25 ms
        after the first (bench/tui.py --detail); one switcher for all four panes avoided it,
        but cannot also hold the wide arrangement."""
        if self.wide:
            return
        table = self.pane != "network"
        for panes, explanation in zip(self.query("#panes"), self.query("#explanation")):
            self.room = panes.size.height - explanation.outer_size.height
        for network in self.query("#network"):
            network.set_class(table, "-off")
        for top in self.query("#top"):
            top.set_class(not table, "-fill")

    def on_pane_tabs_chosen(self, event: PaneTabs.Chosen) -> None:
        """A click on the pane bar."""
        self.pane = event.pane

    def action_show_pane(self, pane: str) -> None:
        """Show one pane (keys 1 to 4, on narrow terminals)."""
        self.pane = pane

    def action_scroll_network(self, across: int, down: int) -> None:
        """Scroll the network diagram (it keeps the current step in view as it steps)."""
        self.query_one(NetworkDiagram).scroll_by(8 * across, down)

    def on_network_diagram_overflowed(self, message: NetworkDiagram.Overflowed) -> None:
        """The diagram began or stopped overflowing its pane: show or hide its scroll keys."""
        self.network_overflow = (message.across, message.down)
        self._refresh_keys()

    def action_scroll_explanation(self, direction: int) -> None:
        """The explanation a page down (1) or up (-1): it is often longer than its pane."""
        for explanation in self.query(ExplanationPane).results(ExplanationPane):
            explanation.scroll_page(direction)

    # --- the place --------------------------------------------------------------------------

    def show_place(self, pane: str | None = None) -> None:
        """Draw the lesson's place (after a move, or a new lesson with ``pane="network"``).
        A new lesson's opening needs no arithmetic; its walkthrough follows once that frame
        is out."""
        if pane is not None:
            self.pane = pane
        self.cursor = self.lesson.place
        if not self.lesson.walked:
            self.call_after_refresh(self._walk_first)

    def watch_cursor(self, old: Cursor | None, cursor: Cursor | None) -> None:
        """Follow the phase with the visible pane, and grey out keys that do nothing now."""
        if cursor is None:
            return
        if old is not None and cursor.phase != old.phase:
            self.pane = PANE_OF_PHASE[cursor.phase]
        self._note_quiz()
        self._refresh_keys()

    def _key_states(self) -> tuple[bool | None, ...]:
        """What :meth:`check_action` says of every key of this screen now (the app's own keys
        do not change with the place)."""
        return tuple(self.check_action(name, params) for name, params in _ACTIONS)

    def _refresh_keys(self) -> None:
        """Tell the footer, only when some key's state changed (it then redraws its keys)."""
        states = self._key_states()
        if states != self._states:
            self._states = states
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """None (shown greyed out) for a key that does nothing here; False hides it."""
        if self.tutor.closing:
            return False  # keys typed after q in the same burst: the tutor is closing
        if self.too_small:
            return None  # nothing to act on until the terminal is large enough again
        lesson = self.lesson
        if action == "move":
            move = cast(Move, parameters[0])
            if move == "next_iteration":
                unit = parameters[1] if len(parameters) > 1 else "sample"
                if unit != ("epoch" if lesson.scenario.update == "batch" else "sample"):
                    return False  # the other name of the Enter key: hidden
            return True if lesson.can(move) else None
        if action in ("toggle_corrected", "compare"):
            return True if article_partner(lesson.scenario) is not None else None
        if action == "scroll_network":  # hidden while the diagram fits its pane
            across, down = self.network_overflow
            return across if parameters[0] else down
        return True

    async def action_move(self, move: Move, _unit: str = "") -> None:
        """One of the lesson's moves (none past the teacher's hold); in quiz mode, first ask
        for the value about to be revealed by a step forward."""
        if self._held_back(lambda: self.lesson.move(move)):
            return
        if move == "next" and self.quiz_on and self.lesson.can("next"):
            w, k = self.walkthrough(), self.lesson.place.k + 1
            if not self.tutor.quiz.answered(w, k):
                step = w.steps[k]
                (await self._answer_box()).ask(question(step), step.formula)
                return
        self.lesson.move(move)
        self.show_place()

    def go_to_phase(self, phase: Phase) -> None:
        """Jump to the end of a phase of this iteration (from the command palette), unless
        that goes past the teacher's hold."""
        if not self._held_back(lambda: self.lesson.go_to_phase(phase)):
            self.lesson.go_to_phase(phase)
            self.show_place()

    def action_restart(self) -> None:
        """Back to the very start of the lesson, with the network pane in view again."""
        self.lesson.restart()
        self.show_place(pane="network")

    # --- the teacher leads the class (served only: tui/served.py) ----------------------------

    def _held_back(self, move: Callable[[], object] | None = None) -> bool:
        """Whether the teacher's hold refuses ``move``: True, and the learner told, when it
        would take them forward past the hold. ``move`` changes the lesson's place and is
        undone here (the caller makes it for real when allowed); None is a move on to a later
        iteration (training). Every forward move of this screen is checked here first."""
        if self.held is None:
            return False
        lesson = self.lesson
        before = lesson.place
        if move is None:
            beyond = True
        else:
            try:
                move()
                after = lesson.place
            finally:
                lesson.place = before
            beyond = after.walkthrough.iteration > before.walkthrough.iteration or (
                after.walkthrough.iteration == before.walkthrough.iteration
                and after.k > before.k and after.k + 1 > self.held)
        if beyond:
            self._tell_held()
        return beyond

    def _tell_held(self, *, again: bool = False) -> None:
        """Say where the teacher holds the class: once for a burst of refused keys, while the
        last toast is still up (``again``: now, whatever was said before)."""
        now = time.monotonic()
        if not again and now - self._held_told < HELD_NOTICE_SECONDS:
            return
        self._held_told = now
        self.notify(t("lead.held", step=self.held), severity="warning", markup=False,
                    timeout=HELD_NOTICE_SECONDS)

    def hold(self, step: int | None) -> None:
        """The teacher holds the class at ``step`` steps done (None: releases it). A learner
        already past it stays there; moves back, and forward up to it, still go."""
        self.held = step
        if step is None:
            self._held_told = float("-inf")
            self.notify(t("lead.released"), markup=False)
        else:
            self._tell_held(again=True)

    def lead(self, lead: Lead) -> None:
        """The teacher moves the class to a number of steps done in the learner's iteration
        (clamped to it), to the start of a phase (before its first step), or to a lesson:
        whatever the hold, and the learner is told. A quiz question about the old place is
        closed."""
        if lead.kind == "lesson":
            self._lead_to_lesson(str(lead.to))
            return
        w = self.walkthrough()
        if lead.kind == "phase":
            runs = [run for run in w.phase_runs if w.phase_of(run[0]) == lead.to]
            if not runs:
                return
            steps, message = runs[0][0], t(f"lead.phase.{lead.to}")
        else:
            steps = max(0, min(int(lead.to), len(w)))
            message = t("lead.step", step=steps)
        for box in self.query("#answer"):
            box.close()  # type: ignore[attr-defined]
        self.lesson.resume(w.iteration, steps - 1)
        self.show_place()
        if lead.kind == "phase":  # the phase's own pane, though none of it is done yet
            self.pane = PANE_OF_PHASE[cast(Phase, lead.to)]
        self.notify(message, markup=False)

    def _lead_to_lesson(self, name: str) -> None:
        """Start the lesson the teacher named (a learner already in it keeps their place);
        one this tutor cannot open is said, and the learner's lesson kept."""
        from engine import ScenarioError
        from tui.i18n import describe_error
        from tui.lessons_dir import LessonRefused, lesson_named, safe_name

        shown_name = safe_name(name)
        try:
            scenario = lesson_named(name)
        except LessonRefused as refused:
            reason = t(f"open.refused.{refused.reason}", name=shown_name)
        except ScenarioError as error:
            reason = describe_error(error)
        else:
            for box in self.query("#answer"):
                box.close()  # type: ignore[attr-defined]
            if scenario != self.lesson.scenario:
                self.start_lesson(scenario)
            self.notify(t("lead.lesson", name=shown_name), markup=False)
            return
        self.notify(t("lead.lesson_failed", name=shown_name, reason=reason),
                    severity="warning", markup=False, timeout=10)

    def show_broadcast(self, text: str | None) -> None:
        """The teacher's message in the header, and as a toast (None: taken away)."""
        self.broadcast = text
        if text is not None:
            self.notify(teacher_words(text), title=t("lead.broadcast_title"), markup=False,
                        timeout=10)

    # --- the quiz ---------------------------------------------------------------------------

    def _note_quiz(self) -> None:
        """Tell the explanation and header how the quiz stands at the cursor."""
        cursor, quiz = self.cursor, self.tutor.quiz
        if not self.quiz_on or cursor is None:
            self.quiz_note = None
            return
        w = cursor.walkthrough
        summary = quiz.iteration_tally(w) if cursor.at_end else None
        self.quiz_note = QuizNote(quiz.verdict(w, cursor.k), quiz.score, summary)

    def watch_quiz_on(self) -> None:
        """Show or hide the quiz's words."""
        self._note_quiz()

    def action_toggle_quiz(self) -> None:
        """Quiz mode on or off: predict each value before it is revealed."""
        self.quiz_on = not self.quiz_on
        if self.quiz_on:
            self.tutor.quiz.start_round()
            self.app.clear_notifications()  # the last round's summary would hide the answer box
        else:
            for box in self.query("#answer"):
                box.close()  # type: ignore[attr-defined]
            # How the round went, in the toast: the explanation drops the quiz's words now.
            summary = round_summary(self.tutor.quiz.round_tally())
            self.notify("\n".join([t("quiz.off"), *summary]), markup=False,
                        timeout=12 if summary else None)
        # On: the header counts the answers and the answer box says how to use it; a toast
        # would sit on the answer box, in the bottom right corner, just as it opens.

    async def _answer_box(self) -> AnswerBox:
        """The quiz's answer box, mounted above the footer the first time it is needed
        (nothing at start-up pays for a text input the learner may never use)."""
        from tui.widgets.answer_box import AnswerBox

        for box in self.query(AnswerBox).results(AnswerBox):
            return box
        box = AnswerBox(id="answer")
        await self.mount(box, before=self.query_one(KeyFooter))
        return box

    async def on_answer_box_answered(self, event: AnswerBox.Answered) -> None:
        """Judge the answer, then reveal the step with the verdict beside it (held by the
        teacher before that step: the box stays open, the answer in it, until released)."""
        if self._held_back(lambda: self.lesson.move("next")):
            return
        (await self._answer_box()).close()
        w, k = self.walkthrough(), self.lesson.place.k + 1
        first_try = not self.tutor.quiz.answered(w, k)
        self.tutor.report_answer(self.tutor.quiz.check(w, k, event.value), first_try)
        self.lesson.move("next")
        self.show_place()

    # --- other lessons, and the dialogs about this one ---------------------------------------

    def start_lesson(self, scenario: Scenario | None) -> None:
        """Start a lesson from its beginning (None: keep the current one)."""
        if scenario is not None:
            self.tutor.lesson = Lesson(scenario)
            self.show_place(pane="network")

    def open_lesson(self, name: str | None) -> None:
        """Start the named built-in lesson (None: keep the current one)."""
        if name is not None and name in BUILTIN_SCENARIOS:
            self.start_lesson(BUILTIN_SCENARIOS[name])

    def action_choose_scenario(self) -> None:
        """Open the lesson chooser."""
        from tui.screens.scenarios import ScenarioScreen

        self.app.push_screen(ScenarioScreen(self.lesson.scenario.name), self.open_lesson)

    def action_edit(self) -> None:
        """Change the lesson's settings; the walkthrough starts again with them."""
        from tui.screens.editor import EditorScreen

        self.app.push_screen(EditorScreen(self.lesson.scenario), self.start_lesson)

    def action_open_file(self) -> None:
        """Open a scenario file; a broken one is explained and the lesson kept."""
        from tui.screens.open_file import OpenFileScreen

        self.app.push_screen(OpenFileScreen(), self.start_lesson)

    def action_toggle_corrected(self) -> None:
        """Switch between the article's rule and the corrected one, keeping the place."""
        partner = article_partner(self.lesson.scenario)
        if partner is not None:
            self.lesson.switch_scenario(partner)
            self.show_place()

    def action_compare(self) -> None:
        """Show both rules' updates side by side, from this iteration's weights."""
        from engine.article_errata import compare_rules
        from tui.screens.compare import CompareScreen

        if article_partner(self.lesson.scenario) is not None:
            w = self.walkthrough()
            self.app.push_screen(CompareScreen(compare_rules(list(w.weights_before), w.iteration)))

    def action_train(self) -> None:
        """Open the training view on the weights the lesson has reached."""
        from tui.screens.training import TrainingScreen

        if self._held_back():
            return
        lesson = self.lesson
        w = self.walkthrough()
        weights = list(w.weights_after if lesson.place.at_end else w.weights_before)
        (first, *_), _ = iteration_samples(lesson.scenario, lesson.next_iteration_number())
        self.app.push_screen(TrainingScreen(lesson.scenario, weights, first), self.trained)

    def trained(self, result: TrainedWeights | None) -> None:
        """Step on from the trained weights (nothing changes when no epoch ran): training
        started at the lesson's next sample, so they are its weights that many iterations on."""
        if result is None or result.epochs == 0 or self._held_back():
            return
        s = self.lesson.scenario
        per_epoch = 1 if s.update == "batch" else s.n_samples
        start = self.lesson.next_iteration_number() + result.epochs * per_epoch
        self.tutor.lesson = Lesson(s, result.weights, start=start)
        self.show_place(pane="network")

    def action_save(self) -> None:
        """Write the scenario (TOML that loads back to this lesson) and this iteration's
        transcript (markdown), and say where."""
        from tui.saving import save_directory, save_lesson, shown_path

        try:
            toml_path, md_path = save_lesson(self.walkthrough(), save_directory(),
                                             self.tutor.quiz)
        except OSError as error:
            self.notify(t("save.failed", reason=error.strerror or type(error).__name__),
                        severity="error", markup=False)
            return
        self.notify(t("save.done", toml=shown_path(toml_path), md=shown_path(md_path)),
                    markup=False)


#: Every key's action and parameters, as check_action is asked about them.
_ACTIONS = tuple(parse(binding.action)[1:] for binding in LessonScreen.BINDINGS)  # type: ignore[union-attr]
