"""Safe on a shared server: what a learner types or pastes into a text field (the quiz's
answer, the editor's fields, the command palette's search) can neither crash nor freeze the
tutor, nor reach the terminal raw; the palette's paging keys cannot crash it either.

A paste is sent as the terminal sends it, as one Paste event (bracketed paste).
"""

from __future__ import annotations

import re

import pytest
from textual import events
from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets import Input, Select

from tests.functional_tests.conftest import make_app, pane_text, shown_place, walked
from tests.screen_text import screen_text
from tui.i18n import set_language
from tui.screens.editor import EditorScreen
from tui.widgets.text_field import EXCERPT, MAX_FIELD, excerpt, printable

#: Control characters (C0, DEL, C1), none of which may reach the screen.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: Ten kilobytes of text that is no number, with every kind of control character in it: an
#: escape sequence that would clear the terminal, a bell, backspaces, tabs, a newline late.
HOSTILE = "".join(f"{chr(c)}ab\x1b[2J\x07\x08\t" for c in range(32) if c != 10) * 40 + "\nz"


def shows_no_control_character(app) -> bool:  # type: ignore[no-untyped-def]
    """Nothing drawn holds a control character (the screen's lines, their ends aside)."""
    return not any(CONTROL.search(line) for line in screen_text(app).splitlines())


async def open_palette(app, pilot) -> CommandPalette:  # type: ignore[no-untyped-def]
    """Press ctrl+p and wait until the palette lists its commands."""
    await pilot.press("ctrl+p")
    for _ in range(50):
        screen = app.screen
        if isinstance(screen, CommandPalette) and screen.query_one(CommandList).option_count:
            return screen
        await pilot.pause()
    raise AssertionError("the command palette never listed its commands")


async def open_answer_box(app, pilot) -> Input:  # type: ignore[no-untyped-def]
    """Quiz on, then a step forward: the answer box asks for the first value."""
    await walked(app, pilot)
    await pilot.press("k", "right")
    await pilot.pause()
    field = app.focused
    assert isinstance(field, Input) and field.id == "answer-input"
    return field


async def paste(app, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Paste ``text`` as a terminal with bracketed paste does."""
    app.post_message(events.Paste(text))
    await pilot.pause()
    await pilot.pause()


# --- the command palette's paging keys --------------------------------------------------------


@pytest.mark.parametrize("key", ["pageup", "pagedown"])
async def test_a_page_key_at_once_after_ctrl_p_does_nothing(fast_keys: None, key: str) -> None:
    # The list is not laid out yet: Textual's OptionList._move_page raised KeyError: 0.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", key)
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_a_page_key_in_a_terminal_too_short_for_the_list_does_nothing() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        palette = await open_palette(app, pilot)
        commands = palette.query_one(CommandList)
        await pilot.resize_terminal(80, 4)  # the list has no room: no lines to page through
        await pilot.pause()
        await pilot.press("pagedown", "pageup")
        await pilot.pause()
        assert app.screen is palette
        await pilot.resize_terminal(80, 24)  # room again: the keys page as they should
        await pilot.pause()
        first = commands.highlighted
        await pilot.press("pagedown")
        await pilot.pause()
        assert commands.highlighted is not None and commands.highlighted > (first or 0)


# --- the editor's fields ----------------------------------------------------------------------


async def open_editor_on_a_random_seed(app, pilot) -> Input:  # type: ignore[no-untyped-def]
    """The editor, its initial weights set to random; the seed field."""
    await walked(app, pilot)
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, EditorScreen)
    app.screen.query_one("#edit-init", Select).value = "random"
    await pilot.pause()
    seed = app.screen.query_one("#edit-seed", Input)
    seed.focus()
    seed.value = ""
    return seed


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "a whole number from 0 to 2**63 - 1"),
    ("zh", "0 到 2**63 - 1 之间的整数"),
])
async def test_a_pasted_seed_of_5000_digits_is_cut_and_refused_in_the_dialog(
    language: str, expected: str,
) -> None:
    # int() raises ValueError on 4300 digits and more: the editor crashed the tutor.
    set_language(language)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        seed = await open_editor_on_a_random_seed(app, pilot)
        await paste(app, pilot, "7" * 5000)
        assert seed.value == "7" * MAX_FIELD
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen), "the dialog stays, saying what is wrong"
        assert expected in " ".join(screen_text(app).split())
        assert app.lesson.scenario.init.kind == "constant"  # the lesson is as it was


async def test_a_seed_too_long_for_int_is_refused_unread() -> None:
    # Whatever put it there: the check does not rest on the field's length alone.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        seed = await open_editor_on_a_random_seed(app, pilot)
        seed.value = "9" * 5000
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert "2**63 - 1" in screen_text(app)


async def test_a_seed_with_leading_zeros_is_still_a_seed() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor_on_a_random_seed(app, pilot)  # the seed field has the cursor
        await pilot.press(*"0000000000000000000000042")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.lesson.scenario.init.seed == 42


async def test_the_editor_fields_take_no_control_characters() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        seed = await open_editor_on_a_random_seed(app, pilot)
        await paste(app, pilot, "\x1b[2J4\x072\t")
        assert seed.value == "[2J42"
        assert shows_no_control_character(app)


# --- the quiz's answer box --------------------------------------------------------------------


async def test_a_10kb_wrong_answer_is_quoted_short_and_the_input_stays_in_view() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        field = await open_answer_box(app, pilot)
        await paste(app, pilot, "x" * 10_000)
        assert field.value == "x" * MAX_FIELD
        await pilot.press("enter")
        await pilot.pause()
        said = pane_text(app, "#answer-prompt")
        assert said.startswith('"' + "x" * (EXCERPT - 1) + '…" is not a number'), said
        assert shown_place(app).k == -1
        screen = app.screen.region
        assert field.region.width >= 16 and screen.contains_region(field.region)
        assert app.focused is field


async def test_a_pasted_answer_loses_its_control_characters_and_never_steps() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        field = await open_answer_box(app, pilot)
        await paste(app, pilot, HOSTILE)
        assert field.value == printable(HOSTILE.splitlines()[0])[:MAX_FIELD]
        assert shows_no_control_character(app)
        assert shown_place(app).k == -1, "a paste is text: it does not answer"
        await pilot.press("enter")
        await pilot.pause()
        assert shows_no_control_character(app)
        assert shown_place(app).k == -1


async def test_a_pasted_number_with_control_characters_is_the_number() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        field = await open_answer_box(app, pilot)
        await paste(app, pilot, "\x1b1\x07\r\n2")  # first line only
        assert field.value == "1"
        await pilot.press("enter")
        await pilot.pause()
        assert shown_place(app).k == 0  # Z1 is 1: answered, and revealed
        assert "Right" in screen_text(app)


async def test_a_megabyte_paste_fills_the_field_and_no_more() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        field = await open_answer_box(app, pilot)
        await pilot.press("1", ".")
        await paste(app, pilot, "5" * 1_000_000)
        assert field.value == "1." + "5" * (MAX_FIELD - 2)
        await paste(app, pilot, "9")  # full: nothing more goes in
        assert len(field.value) == MAX_FIELD


async def test_a_paste_with_the_answer_box_closed_does_not_step_the_lesson() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        await paste(app, pilot, "]]]] \r\n q")
        assert shown_place(app).k == -1 and app.focused is None
        await pilot.press("right")
        assert shown_place(app).k == 0


def test_an_excerpt_is_short_and_printable() -> None:
    assert excerpt("1.5") == "1.5"
    assert excerpt("\x1b[2J" + "y" * 100) == "[2J" + "y" * (EXCERPT - 4) + "…"
    assert len(excerpt("z" * 10_000)) == EXCERPT
    assert excerpt("\x07" * 200 + "tail") == "…"  # something was left out, and says so


# --- the command palette's search -------------------------------------------------------------


async def test_the_palette_search_refuses_a_huge_paste_and_control_characters() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        palette = await open_palette(app, pilot)
        search = palette.query_one(CommandInput)
        await paste(app, pilot, "lesson " * 2000)
        assert search.value == ""
        await paste(app, pilot, "less\x1b[2Jon\x07")
        assert search.value == ""
        assert shows_no_control_character(app)
        await paste(app, pilot, "lesson")  # a plain paste is searched for
        assert search.value == "lesson"
        assert isinstance(app.screen, CommandPalette)
