"""The teacher's live view of the class (tui/teacher/app.py), driven with Pilot: snapshots
pushed into a SnapshotFeed show as rows with the right numbers, later ones change the rows in
place, the keys sort, the slips panel says the commonest slip, Chinese is Chinese, and nothing
a snapshot holds can crash the view or reach the terminal raw."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from rich.text import Text

from tests.functional_tests.class_data import learner
from tests.screen_text import screen_text
from tui.i18n import set_language
from tui.teacher.app import PER_SECOND, ClassViewApp
from tui.teacher.channel import SnapshotFeed
from tui.teacher.model import IDLE_LATE
from tui.teacher.widgets import LearnerTable, SlipsPanel

SMALL, LARGE = (80, 24), (200, 50)
#: Longer than a redraw may wait for its turn (at most PER_SECOND redraws a second).
TURN = 1 / PER_SECOND + 0.1



def snapshot(*learners: dict[str, Any], slips: list[dict[str, Any]] | None = None
             ) -> dict[str, Any]:
    return {"learners": list(learners), "slips": slips or [], "time": 1764500000.0}


CLASS = snapshot(
    learner("ada", "Ada", step=12, phase="backward", right_first=9, answered=12, revealed=1,
            last_slip="plus_delta_sign", idle_s=185),
    learner("bob", "Bob", connected=False, lesson="xor-sigmoid", iteration=2, step=3,
            total=40, phase="forward", right_first=1, answered=5, idle_s=4000),
    learner("cy", "Cy", step=20, phase="update", right_first=4, answered=4, idle_s=3),
    slips=[{"phase": "update", "slip": "plus_delta_sign", "learners": 7},
           {"phase": "backward", "slip": "fprime", "learners": 2}],
)


def make(clock: float = 0.0) -> ClassViewApp:
    """The view on a feed, its clock standing still."""
    return ClassViewApp(SnapshotFeed(), clock=lambda: clock)


async def shown(app: ClassViewApp, pilot: Any, data: Any) -> None:
    """Push ``data`` and wait for its turn to be drawn."""
    app.source.push(data)  # type: ignore[union-attr]
    await pilot.pause(TURN)
    await pilot.pause()


def table(app: ClassViewApp) -> LearnerTable:
    return app.query_one(LearnerTable)


def order(app: ClassViewApp) -> list[str]:
    return [row.key.value for row in table(app).ordered_rows]  # type: ignore[misc]


def cells(app: ClassViewApp, key: str) -> list[str]:
    return [" ".join(cell.split()) for cell in table(app).row_text(key)]


async def test_waiting_until_the_first_snapshot() -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert "Waiting for the class…" in screen_text(app)
        await shown(app, pilot, CLASS)
        text = screen_text(app)
        assert "Waiting" not in text and "Ada" in text


async def test_rows_appear_with_the_right_numbers() -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await shown(app, pilot, CLASS)
        assert order(app) == ["ada", "bob", "cy"]  # by name
        assert cells(app, "ada") == ["Ada", "article", "███░░░ 12/22 backward", "9/12", "1",
                                     "+ instead o…", "3m"]
        assert cells(app, "bob") == ["Bob", "xor-sig…", "░░░░░░ 3/40 forward", "1/5", "0",
                                     "", "1h06m"]
        assert cells(app, "cy")[2:4] == ["█████░ 20/22 update", "4/4"]
        header = screen_text(app).splitlines()[0]
        assert "3 learners" in header and "2 connected" in header and "by name" in header
        assert re.search(r"\d\d:\d\d:\d\d", header)


async def test_a_learner_not_connected_is_dimmed() -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await shown(app, pilot, CLASS)

        def dim(key: str) -> bool:
            text = table(app).get_cell(key, "name")
            assert isinstance(text, Text)
            return any("dim" in str(span.style) for span in text.spans)

        assert dim("bob") and not dim("ada")
        again = copy.deepcopy(CLASS)
        again["learners"][1]["connected"] = True
        await shown(app, pilot, again)
        assert not dim("bob")
        assert "3 connected" in screen_text(app).splitlines()[0]


async def test_a_second_snapshot_changes_the_rows_in_place(
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await shown(app, pilot, CLASS)
        grid = table(app)
        keys = list(grid.rows)
        untouched = grid.get_cell("cy", "name")

        def never(*args: object, **kwargs: object) -> None:
            raise AssertionError("the table was cleared")

        monkeypatch.setattr(grid, "clear", never)
        later = copy.deepcopy(CLASS)
        later["learners"][0].update(step=13, phase="update", right_first=10, answered=13)
        await shown(app, pilot, later)
        assert list(grid.rows) == keys
        assert all(a is b for a, b in zip(grid.rows, keys))  # the very same row keys
        assert grid.get_cell("cy", "name") is untouched  # a row that did not change
        assert cells(app, "ada")[2:4] == ["███░░░ 13/22 update", "10/13"]
        # A learner who joins gets a row of their own; one who is gone loses theirs.
        later["learners"].append(learner("dee", "Dee"))
        del later["learners"][1]
        await shown(app, pilot, later)
        assert order(app) == ["ada", "cy", "dee"]
        assert all(any(k is key for key in keys) for k in list(grid.rows)[:2])


async def test_a_burst_is_drawn_at_most_four_times_a_second_and_ends_on_the_latest() -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        for step in range(20):
            burst = copy.deepcopy(CLASS)
            burst["learners"][0]["step"] = step
            app.source.push(burst)  # type: ignore[union-attr]
        await pilot.pause(TURN)
        await pilot.pause()
        assert app.draws <= 2
        assert cells(app, "ada")[2].endswith("19/22 backward")


@pytest.mark.parametrize(("key", "expected"), [
    ("n", ["ada", "bob", "cy"]),
    ("p", ["ada", "cy", "bob"]),  # iteration 0 at 12/22, iteration 0 at 20/22, iteration 2
    ("s", ["bob", "ada", "cy"]),  # 1/5, 9/12, 4/4
    ("i", ["bob", "ada", "cy"]),  # 4000 s, 185 s, 3 s
])
async def test_the_sort_keys_reorder_the_rows(key: str, expected: list[str]) -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await shown(app, pilot, CLASS)
        grid = table(app)
        keys = list(grid.rows)
        await pilot.press(key)
        await pilot.pause()
        if key == "n":  # already by name: the same key again turns the order round
            assert order(app) == expected[::-1]
            await pilot.press(key)
            await pilot.pause()
        assert order(app) == expected
        assert [line.split()[0] for line in screen_text(app).splitlines()[2:5]] == \
            [name.title() for name in expected]
        await pilot.press(key)
        await pilot.pause()
        assert order(app) == expected[::-1]
        assert "reversed" in screen_text(app).splitlines()[0]
        assert set(grid.rows) == set(keys)


async def test_the_order_follows_the_class() -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await shown(app, pilot, CLASS)
        await pilot.press("p")
        await pilot.pause()
        ahead = copy.deepcopy(CLASS)
        ahead["learners"][0]["iteration"] = 5  # Ada races ahead
        await shown(app, pilot, ahead)
        assert order(app) == ["cy", "bob", "ada"]


async def test_the_slips_panel_says_the_commonest_slip_first() -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await shown(app, pilot, CLASS)
        text = screen_text(app)
        assert "Most common slips" in text
        first = "7 learners added α·Z·δ instead of subtracting at update steps"
        second = "2 learners left out f′(z) in the backward pass"
        assert first in text and second in text and text.index(first) < text.index(second)
        await pilot.press("c")
        await pilot.pause()
        assert first not in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert first in screen_text(app)


async def test_no_slips_yet() -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await shown(app, pilot, snapshot(learner("ada", "Ada")))
        assert "No slips yet." in screen_text(app)


async def test_in_chinese_every_label_is_chinese() -> None:
    set_language("zh")
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert "正在等待全班的数据" in screen_text(app)
        await shown(app, pilot, CLASS)
        text = screen_text(app)
        for label in ("全班", "3 名学员", "2 人在线", "按姓名排序", "姓名", "课程", "进度", "得分",
                      "看答案", "最近的错误", "空闲", "反向", "3分", "1时06分", "最常见的错误",
                      "7 名学员在权重更新步骤中加上了 α·Z·δ，而不是减去", "退出", "帮助"):
            assert label in text, label
        # Nothing English is left: the only Latin words are the lessons' and learners' names.
        words = set(re.findall(r"[A-Za-z]{2,}", text)) - {"Ada", "Bob", "Cy", "article", "xor",
                                                         "sig"}
        assert not words, words
        await pilot.press("question_mark")
        await pilot.pause(0.2)
        help_text = screen_text(app)
        for said in ("全班实时视图", "按进度排序", "按 Escape 或 ? 关闭帮助"):
            assert said in help_text, said
        assert "sort by" not in help_text


async def test_the_help_opens_and_closes() -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await shown(app, pilot, CLASS)
        await pilot.press("question_mark")
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "The class, live" in text and "sort by progress" in text
        await pilot.press("escape")
        await pilot.pause()
        assert "The class, live" not in screen_text(app)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


HOSTILE = [
    "\x1b[31mEvil\x1b[0m", "\x1b]0;PWNED\x07", "[red]x[/]", "[bold]B[/bold]", "\x9b2J",
    "a\nb", "\u202egnp.exe", "\x07\x08\x7f", "[link=http://x]l[/link]",
]


async def test_hostile_names_neither_crash_nor_reach_the_screen_raw() -> None:
    app = make()
    async with app.run_test(size=LARGE) as pilot:
        hostile = snapshot(*(learner(f"h{n}", name, lesson=name, last_slip=name,
                                     phase=name) for n, name in enumerate(HOSTILE)),
                           slips=[{"phase": name, "slip": name, "learners": 3}
                                  for name in HOSTILE[:3]])
        await shown(app, pilot, hostile)
        assert len(order(app)) == len(HOSTILE)
        text = screen_text(app)
        for raw in ("\x1b", "\x9b", "\x07", "\x08", "\x7f", "\u202e"):
            assert raw not in text, repr(raw)
        assert "[red]x[/]" in text and "[bold]B[/bold]" in text  # literally, not as markup
        assert "�[31mEvil�[0m" in text
        assert "made the slip “[red]x[/]”" in text
        name = table(app).get_cell("h2", "name")
        assert isinstance(name, Text) and name.plain == "[red]x[/]"
        assert all("red" not in str(span.style) for span in name.spans)


async def test_malformed_and_huge_lines_are_dropped_and_the_view_goes_on() -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await shown(app, pilot, CLASS)
        feed = app.source
        assert isinstance(feed, SnapshotFeed)
        for bad in (b"not json\n", b"[" * 200_000 + b"\n", b'{"class": 5}\n',
                    b'{"class": {"learners": "all"}}\n', b"\xff\xfe\x00\n",
                    b"x" * 1_000_000 + b"\n", b"{" * 3_000_000 + b"\n"):
            assert not feed.push(bad)
        await pilot.pause(TURN)
        assert order(app) == ["ada", "bob", "cy"]
        # A 1 MB line that is a snapshot: a name of a megabyte is shown cut.
        huge = snapshot(learner("ada", "A" * 1_000_000, idle_s=1))
        await shown(app, pilot, huge)
        assert order(app) == ["ada"]
        assert cells(app, "ada")[0] == "AAAAAAAAAA…"
        # And the next good snapshot shows.
        await shown(app, pilot, CLASS)
        assert order(app) == ["ada", "bob", "cy"]
        assert app.is_running


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "200x50"])
async def test_a_hundred_learners(size: tuple[int, int]) -> None:
    app = make()
    async with app.run_test(size=size) as pilot:
        big = snapshot(*(learner(f"l{n:03d}", f"Learner {n:03d}", step=n % 23,
                                 connected=n % 5 != 0, idle_s=n * 7.0,
                                 answered=n % 9, right_first=n % 4 if n % 9 else 0)
                         for n in range(100)),
                       slips=[{"phase": "update", "slip": "plus", "learners": 40}])
        await shown(app, pilot, big)
        assert len(order(app)) == 100
        text = screen_text(app)
        lines = text.splitlines()
        assert len(lines) == size[1] and all(len(line) <= size[0] for line in lines)
        assert "100 learners" in lines[0] and "80 connected" in lines[0]
        assert "Learner 000" in text and "40 learners added α·Z·δ" in text
        assert "q Quit" in lines[-1]
        await pilot.press("i")
        await pilot.pause()
        assert order(app)[0] == "l099"
        await pilot.press("end")
        await pilot.pause()
        assert "Learner 000" in screen_text(app)  # the least idle, at the bottom


async def test_the_layout_follows_the_terminal_s_width() -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await shown(app, pilot, CLASS)
        keys = list(table(app).rows)
        assert not app.has_class("-side")
        await pilot.resize_terminal(200, 50)
        await pilot.pause(0.2)
        assert app.has_class("-side")
        assert cells(app, "ada")[5] == "+ instead of − or δ's…"  # wider columns
        assert set(table(app).rows) == set(keys)
        panel = app.query_one(SlipsPanel)
        assert panel.region.x >= table(app).region.right  # beside the table
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.2)
        assert not app.has_class("-side")
        assert app.query_one(SlipsPanel).region.y >= table(app).region.bottom  # under it


async def test_idle_times_move_on_between_snapshots() -> None:
    now = [0.0]
    app = ClassViewApp(SnapshotFeed(), clock=lambda: now[0])
    async with app.run_test(size=SMALL) as pilot:
        await shown(app, pilot, CLASS)
        assert cells(app, "cy")[6] == "3s"
        name = table(app).get_row("ada")[0]
        now[0] = 62.0
        app.tick()
        await pilot.pause()
        assert cells(app, "cy")[6] == "1m"
        assert cells(app, "ada")[6] == "4m"
        assert cells(app, "bob")[6] == "1h07m"
        assert table(app).get_row("ada")[0] is name  # a tick writes the idle cells only
        assert cells(app, "ada")[:6] == ["Ada", "article", "███░░░ 12/22 backward", "9/12",
                                         "1", "+ instead o…"]


async def test_a_tick_comes_only_when_an_idle_time_shown_changes() -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert app.next_tick is None  # nothing to move on before a snapshot
        await shown(app, pilot, snapshot(learner("ada", "Ada", idle_s=185.5)))
        # 4m, up to 10 s late: not every second
        assert app.next_tick == pytest.approx(54.5 + IDLE_LATE)
        await shown(app, pilot, snapshot(learner("ada", "Ada", idle_s=185.5),
                                         learner("cy", "Cy", idle_s=3.25)))
        assert app.next_tick == pytest.approx(0.75 + 0.9)  # 4s, under a second late
        await shown(app, pilot, snapshot())
        assert app.next_tick is None  # no learner: no tick at all


async def test_the_server_going_away_is_said() -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await shown(app, pilot, CLASS)
        app.source.end()  # type: ignore[union-attr]
        await pilot.pause()
        assert "server gone: no more updates" in screen_text(app).splitlines()[0]
        assert "Ada" in screen_text(app)  # the last snapshot stays


async def test_ascii() -> None:
    app = ClassViewApp(SnapshotFeed(), clock=lambda: 0.0, ascii_only=True)
    async with app.run_test(size=SMALL) as pilot:
        await shown(app, pilot, CLASS)
        text = screen_text(app)
        assert text.isascii(), [c for c in text if not c.isascii()][:5]
        assert "###--- 12/22 backward" in text
        assert "7 learners added a*Z*delta instead of subtracting at update steps" in text
