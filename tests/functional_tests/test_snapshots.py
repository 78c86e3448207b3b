"""SVG snapshots of the key screens at 80x24 and 120x36 (pytest-textual-snapshot).

Update them after a deliberate change with ``python3 dev.py test --snapshot-update`` and look
at the report before committing.
"""

from __future__ import annotations

import pytest

from tests.functional_tests.conftest import make_app
from tui.i18n import set_language

SIZES = [(80, 24), (120, 36)]
SCREENS = {
    "start": [],
    "mid_forward": ["right", "right"],
    "deltas": ["right_square_bracket", "right_square_bracket", "right", "right"],
    "updates": ["end"],
    "help": ["question_mark"],
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_article_screens(snap_compare, screen: str, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), press=SCREENS[screen], terminal_size=size)


def test_too_small(snap_compare) -> None:
    assert snap_compare(make_app(), press=["right"], terminal_size=(50, 12))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ascii(snap_compare, size: tuple[int, int]) -> None:
    app = make_app(ascii_only=True)
    assert snap_compare(app, press=["right"] * 10, terminal_size=size)


def test_xor_sigmoid_wide(snap_compare) -> None:
    assert snap_compare(make_app("xor-sigmoid"), press=["right"] * 7, terminal_size=(120, 36))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", ["start", "deltas", "updates", "help"])
def test_chinese_screens(snap_compare, screen: str, size: tuple[int, int]) -> None:
    set_language("zh")
    assert snap_compare(make_app(), press=SCREENS[screen], terminal_size=size)


def test_quiz_question(snap_compare) -> None:
    assert snap_compare(make_app(), press=["k", "right", "1"], terminal_size=(80, 24))


def test_compare_view(snap_compare) -> None:
    assert snap_compare(make_app(), press=["end", "v"], terminal_size=(80, 24))
