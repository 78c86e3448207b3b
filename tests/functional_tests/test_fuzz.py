"""Key fuzzing: thousands of random keys and terminal resizes must never break the tutor.

Each run drives the real app with Pilot from a fixed seed, so a failure names its seed and the
keys that led to it and can be replayed. After every key the learner's place must be a real
place; between batches the whole screen is rendered; at the end, back at 80×24 on the same
lesson, ``r`` must give exactly the screen the run started with.

The keys: every binding of the app and of every screen in ``tui/screens`` (read from their
``BINDINGS``, so new keys are fuzzed too), printable characters, escape, enter, tab, shift+tab,
f1–f12, home/end/pageup/pagedown, backspace, and ctrl+p (the palette) with some typing and
escape. Never the keys that quit; quitting has its own tests at the end.

Cost: a key costs 15–40 ms of Textual's own work (mostly rendering) on this shared 2-core
machine, depending on its load. Four runs of 1,000 actions (about 4,400 keys with the palette's
typing) take one to two minutes. ``BACKPROP_TUTOR_FUZZ_ACTIONS`` sets another number of actions
per run (fewer for a quick local check, more for a longer hunt). Pilot normally also sleeps
2 × 20 ms per key waiting for the CPU to go idle; :func:`fast_keys` replaces that sleep with a
few event-loop turns (Pilot still waits for every widget of the screen to process its queue),
which makes the runs 3–4× faster without changing what is tested.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import pkgutil
import random
import string
import time
from collections.abc import Iterator

import pytest
from textual import events
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import OptionList

import tui.i18n as i18n
import tui.screens
from engine import BUILTIN_SCENARIOS
from tests.functional_tests.conftest import make_app, settled, shown_place
from tests.screen_text import screen_text
from tui.app import TutorApp
from tui.i18n import language, set_language, t
from tui.lesson import Cursor
from tui.screens.lesson import LessonScreen
from tui.widgets.pane_tabs import PaneTabs

#: Keys that end the app: never pressed at random (quitting is tested on its own below).
QUIT_KEYS = {"q", "ctrl+q", "ctrl+c"}

ACTIONS_PER_RUN = int(os.environ.get("BACKPROP_TUTOR_FUZZ_ACTIONS", "1000"))
BATCH = 25
START_SIZE = (80, 24)


def _keys_of(bindings: object) -> set[str]:
    keys: set[str] = set()
    for binding in bindings:  # type: ignore[attr-defined]
        key = binding[0] if isinstance(binding, tuple) else binding.key
        keys.update(k.strip() for k in key.split(","))
    return keys


def _screen_classes() -> Iterator[type[Screen[object]]]:
    """Every dialog the tutor defines (help, lesson chooser, and any added later)."""
    for info in pkgutil.iter_modules(tui.screens.__path__):
        module = importlib.import_module(f"tui.screens.{info.name}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, Screen)
                    and value.__module__ == module.__name__ and value is not LessonScreen):
                yield value


#: The tutor's own bindings: the app's (help, language, quit…) and the lesson screen's.
TUTOR_BINDINGS = [*TutorApp.BINDINGS, *LessonScreen.BINDINGS]


def _key_for(action: str) -> str:
    """The first key bound to an action of the tutor (a renamed action fails here, loudly)."""
    for binding in TUTOR_BINDINGS:
        if not isinstance(binding, tuple) and binding.action == action:
            return binding.key.split(",")[0]
    raise AssertionError(f"no key of the tutor is bound to {action!r}")


APP_KEYS = sorted(_keys_of(TUTOR_BINDINGS) - QUIT_KEYS)
SCREEN_KEYS = sorted(
    (
        set().union(*(_keys_of(cls.BINDINGS) for cls in _screen_classes()))
        | {"up", "down", "enter", "home", "end", "pageup", "pagedown"}  # the chooser's list
    )
    - QUIT_KEYS
)
OTHER_KEYS = (
    ["escape", "enter", "tab", "shift+tab", "home", "end", "pageup", "pagedown", "backspace"]
    + [f"f{i}" for i in range(1, 13)]
)
PRINTABLE = [c for c in string.printable if (c not in string.whitespace or c == " ")
             and c not in QUIT_KEYS]
PALETTE_TEXT = [c for c in string.ascii_letters + string.digits if c not in QUIT_KEYS]

RUNS = [
    # (lesson, seed, resizes): runs with resizes mixed in, and runs of keys only.
    pytest.param("article", 1, True, id="article-seed1-resizes"),
    pytest.param("xor-sigmoid", 2, True, id="xor-sigmoid-seed2-resizes"),
    pytest.param("article", 3, False, id="article-seed3-keys"),
    pytest.param("xor-sigmoid", 4, False, id="xor-sigmoid-seed4-keys"),
]


@pytest.fixture(autouse=True)
def keep_the_language() -> Iterator[None]:
    """The language key changes a global: put it back even when a run fails midway."""
    before = language()
    yield
    set_language(before)






def check_place(app: TutorApp, where: str) -> None:
    """The invariants that must hold after every key."""
    # A crash stops the app (run_test raises its exception on the way out).
    assert app.is_running, f"{where}: the app has stopped"
    cursor = app.lesson_screen.cursor
    assert cursor is not None, where
    assert -1 <= cursor.k <= cursor.step_count - 1, f"{where}: k={cursor.k} of {cursor.step_count}"
    assert cursor is app.lesson.place, f"{where}: the app and its lesson disagree on the place"


def step_words(cursor: Cursor) -> str:
    """How the header says "step k of N" in the current language."""
    return t("header.step", step=cursor.k + 1, total=cursor.step_count)




async def check_screen(app: TutorApp, pilot: Pilot[None], where: str) -> None:
    """Render the whole screen; on the lesson itself, the header must say where we are."""
    text = screen_text(app)
    cursor = app.lesson_screen.cursor
    assert cursor is not None
    step = step_words(cursor)
    on_lesson = len(app.screen_stack) == 1 and not app.lesson_screen.too_small
    if on_lesson and app.size.width >= 110:  # narrower, a long header is cut off
        if step not in text.splitlines()[0]:
            text = await settled(app, pilot)
        assert step in text.splitlines()[0], f"{where}: header does not say {step!r}"


async def fuzz(app: TutorApp, pilot: Pilot[None], seed: int, resizes: bool) -> list[str]:
    """Press random keys (and resize); return what was done, for the failure messages."""
    rng = random.Random(seed)
    done: list[str] = []
    sizes = [START_SIZE]
    for i in range(ACTIONS_PER_RUN):
        try:
            await one_action(app, pilot, rng, resizes, sizes, done)
            check_place(app, f"seed {seed}, action {i} (last: {done[-6:]})")
            if i % BATCH == BATCH - 1:
                await pilot.pause()
                check_place(app, f"seed {seed}, after action {i}")
                await check_screen(app, pilot, f"seed {seed}, after action {i}")
        except Exception as error:
            if hasattr(error, "add_note"):  # Python 3.11+: say how we got here
                error.add_note(f"seed {seed}, action {i}, the last actions: {done[-12:]}")
            raise
    return done


async def one_action(app: TutorApp, pilot: Pilot[None], rng: random.Random, resizes: bool,
                     sizes: list[tuple[int, int]], done: list[str]) -> None:
    """A resize, the palette, or one random key."""
    roll = rng.random()
    if roll < 0.05 and resizes:
        if rng.random() < 0.6:
            size = (rng.randint(20, 200), rng.randint(5, 50))
        else:
            size = rng.choice(sizes)  # and back
        sizes.append(size)
        done.append(f"resize {size[0]}x{size[1]}")
        await pilot.resize_terminal(*size)
    elif roll < 0.09:
        # The palette's search box takes the letters; escape closes it. (Whether ctrl+p opens
        # it at all is test_ctrl_p_opens_the_command_palette's business.)
        typed = [rng.choice(PALETTE_TEXT) for _ in range(rng.randint(0, 3))]
        done.append(f"ctrl+p {''.join(typed)!r} escape")
        await pilot.press("ctrl+p")
        # As a learner would, type once the palette is up: with fast_keys an escape can
        # otherwise reach the screen below before the palette is pushed, which then opens.
        for _ in range(20):
            if isinstance(app.screen, CommandPalette):
                break
            await pilot.pause()
        await pilot.press(*typed, "escape")
        for _ in range(20):
            if not isinstance(app.screen, CommandPalette):
                break
            await pilot.pause()
        assert not isinstance(app.screen, CommandPalette), "the palette stayed open"
    else:
        if roll < 0.55:
            key = rng.choice(APP_KEYS)
        elif roll < 0.70:
            key = rng.choice(SCREEN_KEYS)
        elif roll < 0.85:
            key = rng.choice(OTHER_KEYS)
        else:
            key = rng.choice(PRINTABLE)
        done.append(key)
        await pilot.press(key)


def own_switches(app: TutorApp) -> dict[str, object]:
    """The lesson screen's switches that keys flip (quiz mode), not the place or the pane."""
    return {"quiz_on": app.lesson_screen.quiz_on}


async def back_to_the_start(app: TutorApp, pilot: Pilot[None], lesson: str,
                            modes: dict[str, object], start_language: str) -> None:
    """Close what is open, undo the switches the keys flipped, reopen the lesson, restart."""
    for _ in range(10):  # help, chooser, palette, an answer box: escape leaves each
        if len(app.screen_stack) == 1 and app.focused is None:
            break
        await pilot.press("escape")
    assert len(app.screen_stack) == 1, f"could not close {app.screen!r}"
    assert app.focused is None, f"{app.focused!r} keeps the keyboard"
    await pilot.resize_terminal(*START_SIZE)
    language_key = _key_for("toggle_language")
    for _ in range(len(i18n.LANGUAGES)):  # the key goes round them all
        if language() == start_language:
            break
        await pilot.press(language_key)
    assert language() == start_language
    for name, value in modes.items():
        setattr(app.lesson_screen, name, value)
    app.clear_notifications()
    app.lesson_screen.open_lesson(lesson)  # the chooser may have switched lessons
    await pilot.press("r")


@pytest.mark.parametrize(("lesson", "seed", "resizes"), RUNS)
async def test_random_keys_never_break_the_tutor(
    fast_keys: None, lesson: str, seed: int, resizes: bool
) -> None:
    app = make_app(lesson)
    async with app.run_test(size=START_SIZE) as pilot:
        first = await settled(app, pilot)
        modes, start_language = own_switches(app), language()
        done = await fuzz(app, pilot, seed, resizes)
        await back_to_the_start(app, pilot, lesson, modes, start_language)
        check_place(app, f"seed {seed}, at the end")
        assert shown_place(app).k == -1 and app.lesson.index == 0
        last = await settled(app, pilot)
        assert last == first, f"seed {seed}: restart differs after {done[-30:]}"
    assert len(done) == ACTIONS_PER_RUN


def test_the_fuzzer_presses_every_key_of_the_tutor() -> None:
    """The random keys include every binding (except quitting) of the app and its screens."""
    assert {"right", "left", "enter", "r", "s", "question_mark", "1", "4"} <= set(APP_KEYS)
    assert {"escape", "down", "j", "up", "k"} <= set(SCREEN_KEYS)
    assert not QUIT_KEYS & (set(APP_KEYS) | set(SCREEN_KEYS) | set(OTHER_KEYS) | set(PRINTABLE))
    assert set(BUILTIN_SCENARIOS) >= {p.values[0] for p in RUNS}


# --- bugs the fuzzer found (all fixed), one key sequence each: regression tests ------------


@pytest.mark.parametrize("size", [(130, 40), (40, 10)], ids=["to-wide", "to-tiny"])
async def test_resizing_with_the_help_open_keeps_both_screens_whole(
    fast_keys: None, size: tuple[int, int]
) -> None:
    app = make_app()
    reference = make_app()
    async with reference.run_test(size=size) as pilot:
        await pilot.press("right", "right")
        # settled: on a wide terminal the tables are mounted a frame after the rest
        expected = await settled(reference, pilot)
    async with app.run_test(size=START_SIZE) as pilot:
        await pilot.press("right", "right", "question_mark")
        await pilot.pause()
        await pilot.resize_terminal(*size)
        await pilot.pause()
        await pilot.press("down", "j", "pagedown")  # the help's scroll keys
        await pilot.pause()
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert await settled(app, pilot) == expected  # the lesson, arranged for the new size


async def test_quiz_mode_on_a_too_small_terminal_does_not_crash(fast_keys: None) -> None:
    quiz_key = _key_for("toggle_quiz")
    app = make_app()
    async with app.run_test(size=START_SIZE) as pilot:
        await pilot.press(quiz_key)
        await pilot.resize_terminal(40, 10)
        await pilot.press("right")
        await pilot.pause()
        assert app.is_running
        await pilot.resize_terminal(*START_SIZE)
        await pilot.pause()
        assert app.is_running


async def test_a_new_lesson_starts_on_the_network_pane(fast_keys: None) -> None:
    reference = make_app("xor-sigmoid")
    async with reference.run_test(size=START_SIZE) as pilot:
        expected = await settled(reference, pilot)
    app = make_app()
    async with app.run_test(size=START_SIZE) as pilot:
        await pilot.press("end")  # the article's last step: the weight updates pane
        await pilot.press("s")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index("xor-sigmoid")
        await pilot.press("enter")
        await pilot.pause()
        assert app.lesson.scenario.name == "xor-sigmoid" and app.lesson_screen.cursor is not None
        assert app.lesson_screen.cursor.k == -1
        assert app.lesson_screen.pane == "network"
        assert await settled(app, pilot) == expected


@pytest.mark.parametrize("size", [(98, 9), (60, 10)], ids=["98x9", "60x10"])
async def test_the_training_view_on_a_short_terminal_does_not_crash(
    fast_keys: None, size: tuple[int, int]
) -> None:
    train_key = _key_for("train")
    app = make_app("xor-sigmoid")
    async with app.run_test(size=size) as pilot:
        await pilot.press(train_key)
        await pilot.pause()
        screen_text(app)
        assert app.is_running


@pytest.mark.parametrize("keys", [("2", "3"), ("end", "home")], ids=["2-3", "end-home"])
async def test_a_burst_of_pane_keys_settles(keys: tuple[str, str]) -> None:
    """Two keys that arrive in one read from the terminal (fast typing, a slow SSH link)."""
    app = make_app()
    async with app.run_test(size=START_SIZE) as pilot:
        await pilot.pause()
        for key in keys:
            event = events.Key(key, key if len(key) == 1 else None)
            app.post_message(event)  # as the driver does, no waiting in between
        await pilot.pause(0.3)
        tabs = app.query_one(PaneTabs)
        screen = app.lesson_screen
        shown = set()
        cpu = time.process_time()
        for _ in range(10):
            await asyncio.sleep(0.03)
            on = [p for p in ("network", "forward", "deltas", "updates")
                  if not screen.query_one(f"#{p}").has_class("-off")]
            shown.add((screen.pane, tabs.pane, tuple(on)))
        busy = time.process_time() - cpu
        assert len(shown) == 1, f"the pane keeps changing: {sorted(shown)}"
        pane, marked, classes = shown.pop()
        assert pane == marked and classes == (pane,)
        assert busy < 0.1, f"{busy:.2f} s of CPU in 0.3 s of doing nothing"


# --- the command palette and quitting, which the fuzzer never completes ------------------


async def test_ctrl_p_opens_the_command_palette_and_escape_closes_it(fast_keys: None) -> None:
    app = make_app()
    async with app.run_test(size=START_SIZE) as pilot:
        await pilot.press("right")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("b", "a", "c", "k")  # typed into the search box, not the lesson
        await pilot.pause()
        assert shown_place(app).k == 0
        assert app.lesson.scenario.name == "article"
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen_stack) == 1 and app.lesson_screen.cursor.k == 0


async def test_q_quits_the_tutor(fast_keys: None) -> None:
    app = make_app()
    async with app.run_test(size=START_SIZE) as pilot:
        await pilot.press("right", "right")
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


@pytest.mark.parametrize("opener", ["question_mark", "s"])
async def test_q_on_a_screen_over_the_lesson_closes_it_and_keeps_the_place(
    fast_keys: None, opener: str
) -> None:
    app = make_app()
    async with app.run_test(size=START_SIZE) as pilot:
        await pilot.press("right", "right", "right")
        await pilot.pause()
        before = screen_text(app)
        await pilot.press(opener)
        await pilot.pause()
        assert len(app.screen_stack) == 2
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and len(app.screen_stack) == 1
        assert shown_place(app).k == 2
        assert screen_text(app) == before


async def test_ctrl_q_quits_even_from_the_help_screen(fast_keys: None) -> None:
    app = make_app()
    async with app.run_test(size=START_SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0

