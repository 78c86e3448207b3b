"""Step through the article's iteration with the keyboard and read the numbers off the panes."""

from __future__ import annotations

import pytest

from tests.functional_tests.conftest import make_app, pane_text, row, shown_place, walked
from tests.screen_text import screen_text

LINKS_FROM_X0_OR_INTO_D0 = {"X0->Z1", "X0->Z2", "X0->Z3", "Z0->D0", "Z1->D0", "Z2->D0", "Z3->D0"}
ALL_LINKS = [f"X{i}->Z{j}" for j in (1, 2, 3) for i in (0, 1, 2)] + [
    f"Z{i}->D0" for i in range(4)
]


async def test_whole_article_iteration_by_its_numbers() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await walked(app, pilot)  # the tables fill in with the walkthrough
        # The start: inputs given, nothing computed.
        assert row(app, "forward", "X1")[1:3] == ["X1", "0"]
        assert row(app, "forward", "D0")[1:3] == ["D0", "·"]
        assert "step 0 of 22" in screen_text(app)
        for _ in range(3):
            await pilot.press("right")
        assert [row(app, "forward", f"Z{j}")[2] for j in (1, 2, 3)] == ["1", "1", "1"]
        assert row(app, "forward", "Z3")[0] == "▶"
        assert row(app, "forward", "Z3")[4] == "1·1 + 1·0 + 1·0"
        await pilot.press("space")
        assert row(app, "forward", "D0")[2] == "4"
        await pilot.press("n")
        assert row(app, "forward", "loss")[2] == "−4"
        text = screen_text(app)
        assert "0 − 4 = −4" in text
        for _ in range(4):
            await pilot.press("right")
        assert [row(app, "deltas", u)[2] for u in ("D0", "Z1", "Z2", "Z3")] == ["−4"] * 4
        # The current row is marked on screen too, not only in the table's data.
        assert "▶  Z3    −4" in screen_text(app)
        assert "Z0" not in [r.value for r in app.query_one("#deltas").rows]
        assert row(app, "updates", "X0->Z1")[3] == "·"  # not updated yet
        for _ in range(13):
            await pilot.press("right")
        for link in ALL_LINKS:
            cells = row(app, "updates", link)
            expected = "1.4" if link in LINKS_FROM_X0_OR_INTO_D0 else "1"
            assert cells[2] == "1" and cells[4] == expected, (link, cells)
            assert cells[3] == ("−4" if link in LINKS_FROM_X0_OR_INTO_D0 else "0")
        assert "step 22 of 22" in screen_text(app)
        # Nothing further in this iteration: the step key is greyed out, Enter goes on.
        screen = app.lesson_screen
        assert screen.check_action("move", ("next",)) is None
        assert screen.check_action("move", ("next_iteration",)) is True
        assert screen.check_action("move", ("next_iteration", "epoch")) is False  # online: hidden


async def test_forwards_then_back_gives_identical_screens() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen = [screen_text(app)]
        for _ in range(22):
            await pilot.press("right")
            await pilot.pause()
            seen.append(screen_text(app))
        assert shown_place(app).k == 21
        for k in range(21, -1, -1):
            await pilot.press("left")
            await pilot.pause()
            assert screen_text(app) == seen[k], f"screen differs at step {k}"
        assert app.lesson_screen.check_action("move", ("previous",)) is None


async def test_next_sample_uses_the_updated_weights_and_back_restores() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("end")
        end_screen = screen_text(app)
        await pilot.press("enter")
        text = screen_text(app)
        assert "sample 1: (0, 1) → 1" in text and "step 0 of 22" in text
        await pilot.press("right")
        # Z1 for (0, 1) with the new weights 1.4, 1, 1: 1.4·1 + 1·0 + 1·1 = 2.4
        assert row(app, "forward", "Z1")[2] == "2.4"
        assert row(app, "forward", "Z1")[4] == "1.4·1 + 1·0 + 1·1"
        await pilot.press("left", "left")
        assert screen_text(app) == end_screen


async def test_phase_keys_and_home_end() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket")
        assert shown_place(app).k == 3  # whole forward pass
        await pilot.press("pagedown")
        assert app.lesson_screen.cursor.k == 4  # the loss
        await pilot.press("right_square_bracket")
        assert app.lesson_screen.cursor.k == 8  # every delta
        await pilot.press("left_square_bracket")
        assert app.lesson_screen.cursor.k == 4
        await pilot.press("end")
        assert app.lesson_screen.cursor.k == 21
        await pilot.press("home")
        assert app.lesson_screen.cursor.k == -1
        assert app.lesson_screen.check_action("move", ("first",)) is None


async def test_restart_and_scenario_chooser() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right", "right", "r")
        assert shown_place(app).k == -1
        await pilot.press("s")
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.lesson.scenario.name == "xor-sigmoid"
        assert "all 4 samples" in screen_text(app)
        await pilot.press("s", "escape")
        assert app.lesson.scenario.name == "xor-sigmoid"


async def test_help_screen_opens_and_closes_keeping_the_place() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right")
        before = screen_text(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Keys" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert screen_text(app) == before


async def test_too_small_terminal_asks_to_enlarge_and_carries_on() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right", "right")
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        text = screen_text(app)
        assert "needs at least 60×18" in text and "40×10" in text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert shown_place(app).k == 2
        assert "step 3 of 22" in screen_text(app)


async def test_palette_commands_jump_to_a_phase() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)):
        app.lesson_screen.go_to_phase("backward")
        assert shown_place(app).k == 8


async def test_ascii_mode_draws_only_ascii() -> None:
    app = make_app(ascii_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(22):
            await pilot.press("right")
            text = screen_text(app)
            assert text.isascii(), [c for c in text if not c.isascii()][:5]
        await pilot.press("question_mark")
        await pilot.pause()
        assert screen_text(app).isascii()


async def test_batch_lesson_shows_each_sample_in_turn() -> None:
    app = make_app("xor-sigmoid")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket",
                          "right_square_bracket")
        # After sample 0's backward pass, sample 1's forward pass starts with blank rows.
        await pilot.press("right")
        assert "sample 1 (batch of 4): (0, 1) → 1" in screen_text(app)
        assert row(app, "forward", "D0")[2] == "·"
        assert row(app, "forward", "X2")[2] == "1"  # sample 1 is (0, 1)


async def test_batch_lesson_goes_on_to_the_next_epoch() -> None:
    app = make_app("xor-sigmoid")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.lesson_screen
        assert screen.check_action("move", ("next_iteration", "epoch")) is None  # greyed: not yet
        await pilot.press("end")
        assert "Next epoch" in screen_text(app) and "Next sample" not in screen_text(app)
        assert "all 4 samples" in screen_text(app)
        await pilot.press("enter")
        assert "epoch 1" in screen_text(app) and "step 0 of 50" in screen_text(app)


async def test_keys_typed_after_q_in_one_burst_do_nothing() -> None:
    # Over SSH "q" and the next keys can arrive in one read: none may open a screen while
    # the tutor is closing (that crashed with a traceback on the way out).
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("q", "e", "o", "t", "s"):
            app.simulate_key(key)
        await pilot.pause()
    assert app.return_code in (0, None)


async def test_the_end_of_an_iteration_says_what_to_press_even_beside_a_note() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end")
        text = pane_text(app, "#explanation")
        assert "What the update does to the prediction" in text  # the erratum note is there
        assert "Press Enter for the next sample." in text  # and so is the way on


async def test_a_table_shown_after_steps_taken_while_it_was_hidden_is_up_to_date() -> None:
    # On a small terminal one pane shows at a time; a hidden table skips the work of keeping
    # up with the cursor and catches up when it is shown.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end")  # the last update: only the weight-update table is on show
        await pilot.pause()
        assert app.lesson_screen.pane == "updates"
        await pilot.press("2")
        await pilot.pause()
        text = screen_text(app)
        assert "▶ 2 Forward pass" in text.replace("▶2", "▶ 2")
        assert row(app, "forward", "D0")[2] == "4"
        assert row(app, "forward", "loss")[2] == "−4"
        assert "D0        4  D0 = Σ w·Z" in text
        await pilot.press("home", "3")  # back to the start while the forward table shows
        await pilot.pause()
        assert row(app, "deltas", "D0")[2] == "·"
        await pilot.press("2")
        await pilot.pause()
        assert row(app, "forward", "D0")[2] == "·"
        assert "D0        ·" in screen_text(app)


async def test_a_table_shown_by_a_step_scrolls_once_to_the_right_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The step that shows a hidden table scrolls it before it has a size, so the first frame
    # already shows the right rows: measured wrongly (or later, once laid out), a second
    # frame follows to correct them.
    from tui.widgets.step_table import StepTable

    scrolls: list[tuple[str | None, float, bool]] = []
    original = StepTable.scroll_to

    def scroll_to(self: StepTable, *args: object, **kwargs: object) -> None:
        laid_out = bool(self.size.height)
        scrolls.append((self.id, kwargs.get("y"), laid_out))  # type: ignore[arg-type]
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(StepTable, "scroll_to", scroll_to)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        scrolls.clear()
        await pilot.press("end")  # the last update: the update table, its last row
        for _ in range(3):
            await pilot.pause()
        table = app.query_one("#updates", StepTable)
        assert app.lesson_screen.pane == "updates" and table.scroll_y > 0
        # Once, straight to where it stays, before the first frame of the table.
        assert scrolls == [("updates", table.scroll_y, False)]
        assert "▶  Z3->D0" in screen_text(app)


async def test_the_pane_bar_marks_the_pane_and_a_click_chooses_one() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        bar = screen_text(app).splitlines()[1]
        assert bar.startswith("▶1 Network") and "4 Weight updates" in bar
        start = bar.index("3 Deltas")
        await pilot.click("#tabs", offset=(start + 2, 0))
        await pilot.pause()
        assert app.lesson_screen.pane == "deltas"
        assert "▶3 Deltas" in screen_text(app).splitlines()[1]
