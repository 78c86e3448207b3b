"""SVG snapshots of the teacher's view of the class at 80x24 and 120x36
(pytest-textual-snapshot), from a fixed snapshot: its time shown in UTC, the view's clock
standing still, so the picture never changes by itself.

Update them after a deliberate change with ``python3 dev.py test --snapshot-update`` and look
at the report before committing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from tests.functional_tests.class_data import learner
from tui.teacher.app import PER_SECOND, ClassViewApp
from tui.teacher.channel import SnapshotFeed

SIZES = [(80, 24), (120, 36)]



CLASS = {
    "learners": [
        learner("ada", "Ada Lovelace", step=12, phase="backward", right_first=9, answered=12,
                revealed=1, last_slip="plus_delta_sign", idle_s=185),
        learner("alan", "Alan", step=22, phase="update", right_first=14, answered=15,
                idle_s=12),
        learner("bob", "Bob", connected=False, lesson="xor-sigmoid", iteration=2, step=3,
                total=40, phase="forward", right_first=1, answered=5, revealed=3,
                last_slip="fprime", idle_s=4000),
        learner("cy", "Cy", lesson=None, iteration=None, step=None, total=None, idle_s=2),
        learner("grace", "Grace Hopper", iteration=1, step=17, phase="update", right_first=6,
                answered=8, last_slip="wrong_end", idle_s=47),
        learner("mal", "\x1b[31m[red]Mal[/]", step=5, phase="loss", right_first=2,
                answered=2, idle_s=600),
    ],
    "slips": [
        {"phase": "update", "slip": "plus_delta_sign", "learners": 7},
        {"phase": "backward", "slip": "fprime", "learners": 3},
        {"phase": "update", "slip": "wrong_end", "learners": 1},
    ],
    "time": 1764500000.0,  # 2025-11-30 10:53:20 UTC
}


@pytest.fixture(autouse=True)
def utc() -> Iterator[None]:
    """The snapshot's time shown as in UTC, whatever the machine's time zone."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_class_view(snap_compare, size: tuple[int, int]) -> None:
    feed = SnapshotFeed()
    app = ClassViewApp(feed, clock=lambda: 0.0)

    async def pushed(pilot) -> None:  # type: ignore[no-untyped-def]
        feed.push(CLASS)
        await pilot.pause(1 / PER_SECOND + 0.1)

    assert snap_compare(app, run_before=pushed, terminal_size=size)
