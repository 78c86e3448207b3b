"""The server's side of the mirror (tui/serve/mirror.py): a learner's output copied to the
view in order, a fresh screen and a repaint asked for at each start, and a view that stops
reading costing at most BACKLOG bytes, then a fresh start, never the learner's session."""

from __future__ import annotations

import asyncio
import json

from tui.serve.mirror import BACKLOG, CHUNK, Mirror
from tui.served import REPAINT_LINE
from tui.teacher.mirror_term import MirrorStart, mirror_items


class Learner:
    """A learner's session as the mirror sees it."""

    def __init__(self, learner_id: str, size: tuple[int, int] = (80, 24)) -> None:
        self.learner_id, self.size = learner_id, size
        self.watchers: set[Mirror] = set()
        self.told: list[bytes] = []

    def tell(self, line: bytes) -> None:
        self.told.append(line)


class View:
    """The view's end: what it was sent, and a switch to stop it reading."""

    def __init__(self) -> None:
        self.lines: list[bytes] = []
        self.reading = asyncio.Event()
        self.reading.set()
        self.gone = False

    async def send(self, data: bytes) -> bool:
        await self.reading.wait()
        if self.gone:
            return False
        self.lines += data.splitlines()
        return True

    def items(self) -> list[MirrorStart | bytes]:
        return mirror_items(self.lines)


async def settled() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_start_a_repaint_then_the_output_in_order() -> None:
    view, ann = View(), Learner("ann")
    mirror = Mirror(view.send)
    task = asyncio.create_task(mirror.run())
    mirror.watch("ann", ann)
    assert ann.watchers == {mirror} and ann.told == [REPAINT_LINE]
    for chunk in (b"one ", b"two ", b"three"):
        mirror.output(chunk)
    await settled()
    assert view.items() == [MirrorStart("ann", (80, 24)), b"one two three"]
    mirror.resized((90, 30))
    mirror.output(b"after")
    await settled()
    assert view.items()[2:] == [MirrorStart("ann", (90, 30)), b"after"]
    mirror.ended()
    await settled()
    assert view.items()[-1] == MirrorStart("ann", None) and ann.watchers == set()
    task.cancel()


async def test_long_output_is_cut_into_lines_the_view_reads() -> None:
    view, ann = View(), Learner("ann")
    mirror = Mirror(view.send)
    task = asyncio.create_task(mirror.run())
    mirror.watch("ann", ann)
    data = bytes(range(256)) * (CHUNK // 100)
    mirror.output(data)
    await settled()
    screens = [item for item in view.items() if isinstance(item, bytes)]
    assert len(screens) == -(-len(data) // CHUNK) and b"".join(screens) == data
    assert max(len(line) for line in view.lines) < 70_000
    task.cancel()


async def test_a_view_that_stops_reading_costs_a_backlog_then_starts_again() -> None:
    view, ann = View(), Learner("ann")
    mirror = Mirror(view.send)
    task = asyncio.create_task(mirror.run())
    mirror.watch("ann", ann)
    await settled()
    view.reading.clear()  # the teacher's terminal stalls
    mirror.output(b"x")
    await settled()  # the sender waits on the view with that byte
    for _ in range(3 * BACKLOG // 1000):
        mirror.output(b"y" * 1000)
        assert mirror._queued <= BACKLOG
    assert ann.told == [REPAINT_LINE]
    view.reading.set()
    await settled()
    items = view.items()
    # What was sent before the stall, then a fresh screen and a second repaint: the
    # dropped bytes are never played on the old screen.
    assert items[:2] == [MirrorStart("ann", (80, 24)), b"x"]
    assert items[2:] == [MirrorStart("ann", (80, 24))]
    assert ann.told == [REPAINT_LINE, REPAINT_LINE]
    mirror.output(b"fresh")
    await settled()
    assert view.items()[-1] == b"fresh"
    task.cancel()


async def test_watching_another_learner_drops_the_first_ones_queue() -> None:
    view, ann, bo = View(), Learner("ann"), Learner("bo", (100, 30))
    mirror = Mirror(view.send)
    mirror.watch("ann", ann)
    mirror.output(b"ann's")
    mirror.watch("bo", bo)
    task = asyncio.create_task(mirror.run())
    await settled()
    assert view.items() == [MirrorStart("bo", (100, 30))]
    assert ann.watchers == set() and bo.watchers == {mirror}
    mirror.watch(None, None)
    assert bo.watchers == set()
    mirror.watch("cy", None)  # not connected
    await settled()
    assert view.items()[-1] == MirrorStart("cy", None)
    task.cancel()


async def test_the_sender_ends_when_the_view_is_gone() -> None:
    view, ann = View(), Learner("ann")
    mirror = Mirror(view.send)
    view.gone = True
    mirror.watch("ann", ann)
    await asyncio.wait_for(mirror.run(), 2)
    assert ann.watchers == set()
    assert json.loads(REPAINT_LINE) == {"repaint": True}
